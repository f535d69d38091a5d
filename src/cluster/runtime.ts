// The simulation runtime. There is no daemon: each command brings the cluster up to date. It runs
// every component until nothing changes (a "settle"), then moves the virtual clock to the earliest
// time a component asked to be woken (an image pull finishing, a grace period ending) and settles
// again, in order, until the clock reaches the time the command may reach. Instant mode also jumps
// over the waits that lie ahead, so the command sees the cluster settled.
import type { ApiServer } from '../apiserver/apiserver.js';
import type { VirtualClock } from './clock.js';
import { ComponentClient, CONTROLLER_MANAGER, RuntimeHooks, type Component } from '../controllers/component.js';
import { COMPONENTS } from './components.js';
import type { Trace } from '../trace/trace.js';

/** rounds of every component at one instant before the runtime gives up on reaching a fixed point */
const MAX_ROUNDS = 100;
/** how far ahead instant mode fast-forwards through pending work */
export const INSTANT_HORIZON_MS = 15 * 60_000;
/** a guard against a component that keeps asking to be woken */
const MAX_STEPS = 200_000;

export interface AdvanceResult {
  /** the earliest pending wake-up after the clock stopped (saved so that a reader knows to act) */
  nextWake?: number;
  steps: number;
}

/** Runs every component until a round changes nothing, at the clock's current time. */
export async function settle(api: ApiServer, hooks = new RuntimeHooks(), components: Component[] = COMPONENTS): Promise<RuntimeHooks> {
  const client = new ComponentClient(api, CONTROLLER_MANAGER, hooks);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    hooks.reset();
    let changed = false;
    for (const comp of components) {
      if (await comp.reconcile(client)) changed = true;
    }
    if (!changed) return hooks;
  }
  return hooks;
}

/**
 * Brings the cluster to virtual time `target`, replaying every timer in order. With `instant`, work
 * that is pending after target (within INSTANT_HORIZON_MS) is done too and the clock ends there.
 */
export async function advance(api: ApiServer, clock: VirtualClock, target: number, opts: { instant?: boolean; trace?: Trace; components?: Component[] } = {}): Promise<AdvanceResult> {
  const hooks = new RuntimeHooks(opts.trace);
  let limit = Math.max(target, clock.now());
  const horizon = limit + INSTANT_HORIZON_MS;
  let steps = 0;
  for (;;) {
    await settle(api, hooks, opts.components);
    if (opts.instant && hooks.nextWork <= horizon) limit = Math.max(limit, hooks.nextWork);
    const next = Math.max(Math.min(hooks.nextWork, hooks.nextBackground), clock.now() + 1);
    if (next > limit || ++steps > MAX_STEPS) break;
    clock.set(next);
  }
  clock.set(limit);
  const nextWake = Math.min(hooks.nextWork, hooks.nextBackground);
  return { nextWake: Number.isFinite(nextWake) ? nextWake : undefined, steps };
}
