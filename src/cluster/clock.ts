// The cluster's clock. For now it follows the wall clock; the control plane's virtual clock
// (time modes, `cluster advance`) replaces `now` without touching its callers.
export interface Clock {
  now(): number;
}

export const wallClock: Clock = { now: () => Date.now() };

/** RFC 3339 with second precision, as metav1.Time serialises. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
