// From the metrics' proposal to the replica count the HPA sets (horizontal.go's normalize*): the
// stabilisation window over recent recommendations, the scale rate limits (the fixed x2-or-4 rule
// without spec.behavior, the policies with it) and min/max, with the condition each step sets.
// The recommendation and scale-event history is the controller's memory, kept with the cluster.

export interface Recommendation {
  replicas: number;
  t: number;
}

export interface ScaleEvent {
  change: number;
  t: number;
  outdated?: boolean;
}

/** What the controller remembers per HPA between syncs. */
export interface HpaMemory {
  recommendations: Recommendation[];
  scaleUp: ScaleEvent[];
  scaleDown: ScaleEvent[];
}

export interface Limited {
  replicas: number;
  /** the AbleToScale reason/message (stabilised or ready) */
  able: { reason: string; message: string };
  /** the ScalingLimited condition */
  limited: { status: 'True' | 'False'; reason: string; message: string };
}

/** --horizontal-pod-autoscaler-downscale-stabilization */
export const DOWNSCALE_STABILISATION_MS = 5 * 60_000;

const READY = { reason: 'ReadyForNewScale', message: 'recommended size matches current size' };
const DOWN_STABILIZED = { reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' };
const UP_STABILIZED = { reason: 'ScaleUpStabilized', message: 'recent recommendations were lower than current one, applying the lowest recent recommendation' };
const WITHIN = { reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
const UP_LIMIT = { reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' };
const DOWN_LIMIT = { reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' };
const TOO_MANY = { reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
const TOO_FEW = { reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };

/** The first sync remembers the current size as a recommendation (recordInitialRecommendation). */
export function recordInitial(mem: HpaMemory, current: number, now: number): void {
  if (mem.recommendations.length === 0) mem.recommendations.push({ replicas: current, t: now });
}

/** Replaces the oldest expired sample, or appends: the history stays as long as the window needs. */
function remember(mem: HpaMemory, replicas: number, now: number, expiredBefore: number): void {
  let old = -1;
  mem.recommendations.forEach((r, i) => {
    if (r.t < expiredBefore) old = i;
  });
  if (old >= 0) mem.recommendations[old] = { replicas, t: now };
  else mem.recommendations.push({ replicas, t: now });
}

/** normalizeDesiredReplicas: no spec.behavior. */
export function normalizeDefault(mem: HpaMemory, current: number, proposed: number, min: number, max: number, now: number): Limited {
  const cutoff = now - DOWNSCALE_STABILISATION_MS;
  let stabilized = proposed;
  for (const r of mem.recommendations) if (r.t >= cutoff && r.replicas > stabilized) stabilized = r.replicas;
  remember(mem, proposed, now, cutoff);
  const able = stabilized !== proposed ? DOWN_STABILIZED : READY;
  const scaleUpLimit = Math.max(2 * current, 4);
  let replicas = stabilized;
  let reason = WITHIN;
  const [maxAllowed, maxReason] = max > scaleUpLimit ? [scaleUpLimit, UP_LIMIT] : [max, TOO_MANY];
  if (stabilized < min) {
    replicas = min;
    reason = TOO_FEW;
  } else if (stabilized > maxAllowed) {
    replicas = maxAllowed;
    reason = maxReason;
  }
  return { replicas, able, limited: { status: replicas === stabilized ? 'False' : 'True', ...reason } };
}

export interface ScalingRules {
  stabilizationWindowSeconds?: number;
  selectPolicy?: 'Max' | 'Min' | 'Disabled';
  policies?: { type: 'Pods' | 'Percent'; value: number; periodSeconds: number }[];
}

function changeInPeriod(periodSeconds: number, events: ScaleEvent[], now: number): number {
  const cutoff = now - periodSeconds * 1000;
  let n = 0;
  for (const e of events) if (e.t > cutoff) n += e.change;
  return n;
}

function scaleUpLimit(current: number, events: ScaleEvent[], rules: ScalingRules, now: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const pick = rules.selectPolicy === 'Min' ? Math.min : Math.max;
  let result = pick === Math.max ? -Infinity : Infinity;
  for (const p of rules.policies ?? []) {
    const start = current - changeInPeriod(p.periodSeconds, events, now);
    result = pick(result, p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100)));
  }
  return Number.isFinite(result) ? result : current;
}

function scaleDownLimit(current: number, events: ScaleEvent[], rules: ScalingRules, now: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const pick = rules.selectPolicy === 'Min' ? Math.max : Math.min;
  let result = pick === Math.max ? -Infinity : Infinity;
  for (const p of rules.policies ?? []) {
    const start = current + changeInPeriod(p.periodSeconds, events, now);
    result = pick(result, p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100)));
  }
  return Number.isFinite(result) ? result : current;
}

/** normalizeDesiredReplicasWithBehaviors: spec.behavior (defaulted by the API). */
export function normalizeWithBehavior(mem: HpaMemory, behavior: { scaleUp?: ScalingRules; scaleDown?: ScalingRules }, current: number, proposed: number, min: number, max: number, now: number): Limited {
  const up = behavior.scaleUp ?? {};
  const down = behavior.scaleDown ?? {};
  const upWindow = up.stabilizationWindowSeconds ?? 0;
  const downWindow = down.stabilizationWindowSeconds ?? DOWNSCALE_STABILISATION_MS / 1000;
  const goingUp = proposed >= current;
  const window = goingUp ? upWindow : downWindow;
  const better = goingUp ? Math.min : Math.max;
  const cutoff = now - window * 1000;
  let stabilized = proposed;
  for (const r of mem.recommendations) if (r.t > cutoff) stabilized = better(r.replicas, stabilized);
  remember(mem, proposed, now, now - Math.max(upWindow, downWindow) * 1000);
  const able = stabilized !== proposed ? (goingUp ? UP_STABILIZED : DOWN_STABILIZED) : READY;

  let replicas = stabilized;
  let reason = WITHIN;
  if (stabilized > current) {
    const limit = Math.max(scaleUpLimit(current, mem.scaleUp, up, now), current);
    const [maxAllowed, why] = max > limit ? [limit, UP_LIMIT] : [max, TOO_MANY];
    if (stabilized > maxAllowed) [replicas, reason] = [maxAllowed, why];
  } else if (stabilized < current) {
    const limit = Math.min(scaleDownLimit(current, mem.scaleDown, down, now), current);
    const [minAllowed, why] = min < limit ? [limit, DOWN_LIMIT] : [min, TOO_FEW];
    if (stabilized < minAllowed) [replicas, reason] = [minAllowed, why];
  }
  return { replicas, able, limited: { status: replicas === stabilized ? 'False' : 'True', ...reason } };
}

function longestPeriod(rules: ScalingRules | undefined): number {
  return Math.max(0, ...(rules?.policies ?? []).map((p) => p.periodSeconds));
}

/** storeScaleEvent: only with spec.behavior, whose policies count changes per period. */
export function storeScaleEvent(mem: HpaMemory, behavior: { scaleUp?: ScalingRules; scaleDown?: ScalingRules } | undefined, prev: number, next: number, now: number): void {
  if (!behavior) return;
  const upward = next > prev;
  const list = upward ? mem.scaleUp : mem.scaleDown;
  const cutoff = now - longestPeriod(upward ? behavior.scaleUp : behavior.scaleDown) * 1000;
  let old = -1;
  list.forEach((e, i) => {
    if (e.t < cutoff) old = i;
  });
  const ev = { change: Math.abs(next - prev), t: now };
  if (old >= 0) list[old] = ev;
  else list.push(ev);
}
