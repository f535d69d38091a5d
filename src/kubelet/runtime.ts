// The container runtime model (containerd behind CRI): container IDs, how long creating and
// starting take, what a container's process does once started (serve forever, or end on its own
// with an exit code) and how it reacts to SIGTERM. Derived from the image catalogue and the
// container's command, so the same pod always behaves the same way.
import type { Rng } from '../cluster/random.js';
import { lookupImage } from './catalogue.js';

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

const SHELLS = new Set(['sh', 'bash', '/bin/sh', '/bin/bash', 'ash', '/bin/ash']);

/**
 * What the container's process does. An explicit command is read the way a tutorial reader would:
 * a loop, `tail -f` or `sleep infinity` runs forever; a lone `sleep N` ends after N seconds; a
 * command that only echoes or exits ends at once (`exit N` gives its code). A shell runs its
 * command, so it does not react to SIGTERM itself.
 */
export function behaviourOf(container: { image: string; command?: string[]; args?: string[] }): Behaviour {
  const info = lookupImage(container.image);
  const argv = [...(container.command ?? []), ...(container.args ?? [])];
  if (argv.length === 0) {
    return info.exits ? { exitsAfterMs: info.exits.afterMs, exitCode: info.exits.code, sigterm: info.sigterm } : { exitCode: 0, sigterm: info.sigterm };
  }
  const text = argv.join(' ');
  const program = argv[0].split('/').pop()!;
  const viaShell = SHELLS.has(argv[0]) || SHELLS.has(program);
  // A program that is not a shell or a one-shot tool is a server (etcd, kube-apiserver, redis-server ...).
  if (!viaShell && !ONE_SHOT.has(program)) return { exitCode: 0, sigterm: info.sigterm };
  if (/\bwhile\b|\bfor\b.*\bdo\b|\buntil\b|tail\s+-f|sleep\s+inf|\bnc\s+-l|httpd|\bnginx\b|\bredis-server\b/.test(text)) {
    return { exitCode: 0, sigterm: false };
  }
  const exit = /\bexit\s+(\d+)/.exec(text);
  let ms = 0;
  for (const m of text.matchAll(/\bsleep\s+(\d+(?:\.\d+)?)/g)) ms += Number(m[1]) * 1000;
  const code = exit ? Number(exit[1]) : program === 'false' || /(^|;|&&)\s*false\s*($|;)/.test(text) ? 1 : 0;
  return { exitsAfterMs: Math.round(ms) + 20, exitCode: code, sigterm: false };
}

/** programs that do one thing and end */
const ONE_SHOT = new Set(['echo', 'printf', 'sleep', 'true', 'false', 'date', 'env', 'printenv', 'cat', 'ls', 'nslookup', 'wget', 'curl', 'perl', 'hostname', 'id', 'uname', 'exit']);

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
