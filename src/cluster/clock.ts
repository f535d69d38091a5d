// The cluster's clock. Every timestamp the cluster writes (creationTimestamp, events, container
// start times) and every age a printer shows is read from it. A cluster keeps virtual time: it
// moves with the wall clock (realtime, optionally faster), jumps over waits (instant), or moves
// only when told to (manual, and `cluster advance` in any mode).
export interface Clock {
  now(): number;
}

export const wallClock: Clock = { now: () => Date.now() };

export type TimeMode = 'realtime' | 'instant' | 'manual';

/** What a cluster remembers about its time between commands (kept in the state file). */
export interface TimeState {
  mode: TimeMode;
  /** virtual seconds per wall second in realtime mode */
  speed: number;
  /** the virtual time reached ... */
  virtual: number;
  /** ... at this wall time */
  wall: number;
  /** the earliest timer a component asked for when the cluster was last brought up to date */
  nextWake?: number;
}

/** A clock the simulation runtime moves; it never goes backwards. */
export class VirtualClock implements Clock {
  constructor(private t: number) {}

  now(): number {
    return this.t;
  }

  set(t: number): void {
    if (t > this.t) this.t = t;
  }
}

/** The virtual time a cluster should have reached now, given the wall clock. */
export function targetTime(state: TimeState, wallNow: number): number {
  if (state.mode === 'manual') return state.virtual;
  return state.virtual + Math.max(0, wallNow - state.wall) * state.speed;
}

/** RFC 3339 with second precision, as metav1.Time serialises. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** RFC 3339 with microseconds, as metav1.MicroTime serialises (Leases, events.k8s.io). */
export function rfc3339Micro(ms: number): string {
  const d = new Date(ms);
  return d.toISOString().replace(/\.(\d{3})Z$/, (_, m) => `.${m}000Z`);
}
