// The simulation runtime. There is no daemon: each command brings the cluster up to date. It runs
// every component until nothing changes (a "settle"), then moves the virtual clock to the earliest
// time a component asked to be woken (an image pull finishing, a grace period ending) and settles
// again, in order, until the clock reaches the time the command may reach. Instant mode also jumps
// over the waits that lie ahead, so the command sees the cluster settled.
import { type ApiServer, resourceFor } from '../apiserver/apiserver.js';
import { storageKey } from '../apiserver/resources.js';
import type { VirtualClock } from './clock.js';
import { ComponentClient, CONTROLLER_MANAGER, RuntimeHooks, type Component } from '../controllers/component.js';
import { COMPONENTS } from './components.js';
import type { Trace } from '../trace/trace.js';

/** rounds of every component at one instant before the runtime gives up on reaching a fixed point */
const MAX_ROUNDS = 100;
/** how far ahead instant mode fast-forwards through pending work */
export const INSTANT_HORIZON_MS = 15 * 60_000;
/** the resolution of the timer queue */
const TIMER_GRID_MS = 100;
/** a guard against a component that keeps asking to be woken */
const MAX_STEPS = 200_000;

export interface AdvanceResult {
  /** the earliest pending wake-up after the clock stopped (saved so that a reader knows to act) */
  nextWake?: number;
  steps: number;
}

/** Per component, the position in the store's change log it has seen. */
type Seen = Map<string, number>;

function prefixesOf(comp: Component): Set<string> | undefined {
  return comp.watches ? new Set(comp.watches.map((r) => storageKey(resourceFor(r)))) : undefined;
}

const watchSets = new WeakMap<Component, Set<string> | undefined>();

/**
 * Whether comp has anything to do: a change it watches, or a wake-up that has fallen due. Changes
 * it does not care about are marked seen, so that each change is looked at once per component.
 */
function triggered(comp: Component, api: ApiServer, hooks: RuntimeHooks, seen: Seen, client: ComponentClient): boolean {
  const from = seen.get(comp.name);
  if (from === undefined) return true;
  if (hooks.dueAt(comp.name) <= api.clock.now()) return true;
  const changes = api.store.changes;
  if (from >= changes.length) return false;
  let hit: boolean;
  if (comp.wants) {
    hit = comp.wants(changes.slice(from), client);
  } else {
    if (!watchSets.has(comp)) watchSets.set(comp, prefixesOf(comp));
    const prefixes = watchSets.get(comp);
    hit = !prefixes;
    for (let i = from; !hit && i < changes.length; i++) if (prefixes!.has(changes[i].prefix)) hit = true;
  }
  if (!hit) seen.set(comp.name, changes.length);
  return hit;
}

/**
 * Runs the components until none has anything left to do at the clock's current time. A component
 * runs when something it watches changed or a wake-up of its own fell due (as informers and work
 * queues drive the real controllers); a settle over thousands of pods thus costs what changed.
 */
export async function settle(api: ApiServer, hooks = new RuntimeHooks(), components: Component[] = COMPONENTS, seen: Seen = new Map()): Promise<RuntimeHooks> {
  const client = new ComponentClient(api, CONTROLLER_MANAGER, hooks);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const before = api.store.changes.length;
    let changed = false;
    for (const comp of components) {
      if (!triggered(comp, api, hooks, seen, client)) continue;
      const from = seen.get(comp.name);
      const cause = {
        changes: from === undefined ? undefined : api.store.changes.slice(from),
        dueKeys: hooks.takeDue(comp.name, api.clock.now()),
      };
      seen.set(comp.name, api.store.changes.length);
      hooks.reset(comp.name);
      hooks.current = comp.name;
      if (await comp.reconcile(client.withCause(comp.name, cause))) changed = true;
    }
    // A fixed point: a round in which nobody changed anything.
    if (!changed && api.store.changes.length === before) break;
  }
  hooks.current = '';
  return hooks;
}

/**
 * Brings the cluster to virtual time `target`, replaying every timer in order. With `instant`, work
 * that is pending after target (within INSTANT_HORIZON_MS) is done too and the clock ends there.
 */
export async function advance(api: ApiServer, clock: VirtualClock, target: number, opts: { instant?: boolean; trace?: Trace; components?: Component[] } = {}): Promise<AdvanceResult> {
  const hooks = new RuntimeHooks(opts.trace);
  const seen: Seen = new Map();
  let limit = Math.max(target, clock.now());
  const horizon = limit + INSTANT_HORIZON_MS;
  let steps = 0;
  for (;;) {
    await settle(api, hooks, opts.components, seen);
    // Timers are served on a 100 ms grid (at most that late, as a real kubelet's or controller's
    // queue would be): the thousands of pods of a big rollout then take hundreds of steps, not
    // thousands, and event times (second precision) are unchanged in substance.
    const grid = (t: number) => Math.max(Math.ceil(t / TIMER_GRID_MS) * TIMER_GRID_MS, clock.now() + 1);
    if (opts.instant && hooks.nextWork <= horizon) limit = Math.max(limit, grid(hooks.nextWork));
    const next = grid(Math.min(hooks.nextWork, hooks.nextBackground));
    if (next > limit || ++steps > MAX_STEPS) break;
    clock.set(next);
  }
  clock.set(limit);
  const nextWake = Math.min(hooks.nextWork, hooks.nextBackground);
  return { nextWake: Number.isFinite(nextWake) ? nextWake : undefined, steps };
}
