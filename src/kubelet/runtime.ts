// The container runtime model (containerd behind CRI): container IDs, how long creating and
// starting take, and (through the process model) what a container's process does once started
// and how it reacts to SIGTERM.
import type { Rng } from '../cluster/random.js';
import { processModel, type ContainerSpecLike } from './process.js';

/** A containerd container ID: 64 hex characters. */
export function newContainerID(rng: Rng): string {
  let s = '';
  for (let i = 0; i < 8; i++) s += rng.nextUint32().toString(16).padStart(8, '0');
  return s;
}

export interface Behaviour {
  /** the process ends on its own this long after it starts */
  exitsAfterMs?: number;
  exitCode: number;
  /** stops promptly on SIGTERM; otherwise it is killed when the grace period ends */
  sigterm: boolean;
}

/** What the container's process does, from the process model (src/kubelet/process.ts). */
export function behaviourOf(container: ContainerSpecLike): Behaviour {
  const m = processModel(container);
  return { exitsAfterMs: m.exitAfterMs, exitCode: m.exitCode, sigterm: m.sigterm };
}

/** How long creating plus starting a container takes after its image is there. */
export function startDelayMs(rng: Rng): number {
  return 100 + rng.intn(700);
}

/** How long a process that honours SIGTERM takes to stop. */
export function sigtermStopMs(rng: Rng): number {
  return 100 + rng.intn(400);
}

/** Sandbox creation and CNI setup. */
export function sandboxDelayMs(rng: Rng): number {
  return 300 + rng.intn(700);
}
