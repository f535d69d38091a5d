// The HPA's replica calculator (pkg/controller/podautoscaler/replica_calculator.go): from the pods'
// metrics and requests, how many replicas would bring the average to the target. Pure functions of
// their inputs, so that the arithmetic (tolerance, missing and not-yet-ready pods) is testable alone.
import type { KObject } from '../../apiserver/types.js';
import { milliValue, tryParseQuantity } from '../../apiserver/quantity.js';

/** One pod's metric as the resource metrics API serves it (values in milli-units). */
export interface PodMetric {
  value: number;
  /** when the sample was taken (epoch ms) */
  timestamp: number;
  /** the span the sample covers (ms) */
  window: number;
}

export type PodMetrics = Map<string, PodMetric>;

/** --horizontal-pod-autoscaler-tolerance */
export const TOLERANCE = 0.1;
/** --horizontal-pod-autoscaler-cpu-initialization-period */
export const CPU_INITIALIZATION_PERIOD_MS = 5 * 60_000;
/** --horizontal-pod-autoscaler-initial-readiness-delay */
export const DELAY_OF_INITIAL_READINESS_STATUS_MS = 30_000;

export class CalcError extends Error {}

export interface Proposal {
  replicas: number;
  /** percentage of request (utilization targets) */
  utilization?: number;
  /** the average raw value per pod, in milli-units */
  rawAverage: number;
  timestamp: number;
}

const time = (s: unknown): number | undefined => (typeof s === 'string' ? Date.parse(s) : undefined);

/** groupPods: which pods count, which wait (not ready yet), which lack metrics, which are ignored. */
export function groupPods(pods: KObject[], metrics: PodMetrics, resource: string, now: number) {
  let readyPodCount = 0;
  const unready = new Set<string>();
  const missing = new Set<string>();
  const ignored = new Set<string>();
  for (const pod of pods) {
    const name = pod.metadata!.name!;
    if (pod.metadata?.deletionTimestamp || pod.status?.phase === 'Failed') {
      ignored.add(name);
      continue;
    }
    if (pod.status?.phase === 'Pending') {
      unready.add(name);
      continue;
    }
    const metric = metrics.get(name);
    if (!metric) {
      missing.add(name);
      continue;
    }
    if (resource === 'cpu') {
      // A pod's first CPU samples include its start-up burst: they only count once the pod has
      // been ready for a whole sample window (or long after it started).
      const cond = (pod.status?.conditions ?? []).find((c: any) => c.type === 'Ready');
      const start = time(pod.status?.startTime);
      let isUnready: boolean;
      if (!cond || start === undefined) {
        isUnready = true;
      } else {
        const transition = time(cond.lastTransitionTime) ?? 0;
        if (start + CPU_INITIALIZATION_PERIOD_MS > now) {
          isUnready = cond.status === 'False' || metric.timestamp < transition + metric.window;
        } else {
          isUnready = cond.status === 'False' && start + DELAY_OF_INITIAL_READINESS_STATUS_MS > transition;
        }
      }
      if (isUnready) {
        unready.add(name);
        continue;
      }
    }
    readyPodCount++;
  }
  return { readyPodCount, unready, missing, ignored };
}

/** calculatePodRequests: the summed request of each pod (milli-units), or the first container without one. */
export function podRequests(pods: KObject[], resource: string, container = ''): Map<string, number> {
  const out = new Map<string, number>();
  for (const pod of pods) {
    let sum = 0;
    // Sidecars (init containers that keep running) take part in the pod's usage, so in its request.
    const containers = [...(pod.spec?.initContainers ?? []).filter((c: any) => c.restartPolicy === 'Always'), ...(pod.spec?.containers ?? [])];
    for (const c of containers) {
      if (container && c.name !== container) continue;
      const q = tryParseQuantity(c.resources?.requests?.[resource]);
      if (!q) throw new CalcError(`missing request for ${resource} in container ${c.name} of Pod ${pod.metadata?.name}`);
      sum += milliValue(q);
    }
    out.set(pod.metadata!.name!, sum);
  }
  return out;
}

/** GetResourceUtilizationRatio: Go's integer arithmetic, so 88.6% is 88%. */
export function utilizationRatio(metrics: PodMetrics, requests: Map<string, number>, target: number) {
  let metricsTotal = 0;
  let requestsTotal = 0;
  let n = 0;
  for (const [name, m] of metrics) {
    const r = requests.get(name);
    if (r === undefined) continue;
    metricsTotal += m.value;
    requestsTotal += r;
    n++;
  }
  if (requestsTotal === 0) throw new CalcError('no metrics returned matched known pods');
  const utilization = Math.trunc((metricsTotal * 100) / requestsTotal);
  return { ratio: utilization / target, utilization, rawAverage: Math.trunc(metricsTotal / n) };
}

function usageRatio(metrics: PodMetrics, target: number) {
  let total = 0;
  for (const m of metrics.values()) total += m.value;
  const usage = Math.trunc(total / metrics.size);
  return { ratio: usage / target, usage };
}

function latest(metrics: PodMetrics): number {
  let t = 0;
  for (const m of metrics.values()) t = Math.max(t, m.timestamp);
  return t;
}

function prune(metrics: PodMetrics, pods: KObject[], resource: string, now: number) {
  if (metrics.size === 0) throw new CalcError(`unable to get metrics for resource ${resource}: no metrics returned from resource metrics API`);
  if (pods.length === 0) throw new CalcError('no pods returned by selector while calculating replica count');
  const g = groupPods(pods, metrics, resource, now);
  const kept: PodMetrics = new Map(metrics);
  for (const n of [...g.ignored, ...g.unready]) kept.delete(n);
  if (kept.size === 0) throw new CalcError('did not receive metrics for targeted pods (pods might be unready)');
  return { g, kept };
}

/** GetResourceReplicas: a utilization target (percentage of request). */
export function resourceReplicas(currentReplicas: number, target: number, resource: string, pods: KObject[], metrics: PodMetrics, now: number, container = ''): Proposal {
  const { g, kept } = prune(metrics, pods, resource, now);
  const requests = podRequests(pods, resource, container);
  const first = utilizationRatio(kept, requests, target);
  const timestamp = latest(metrics);
  const base = { utilization: first.utilization, rawAverage: first.rawAverage, timestamp };
  const scaleUpWithUnready = g.unready.size > 0 && first.ratio > 1;
  if (!scaleUpWithUnready && g.missing.size === 0) {
    if (Math.abs(1 - first.ratio) <= TOLERANCE) return { ...base, replicas: currentReplicas };
    return { ...base, replicas: Math.ceil(first.ratio * g.readyPodCount) };
  }
  // Pods without metrics are assumed to use what dampens the change: their full request (or the
  // target, if higher) on the way down, nothing on the way up; pods not ready yet, nothing.
  for (const name of g.missing) {
    if (first.ratio < 1) kept.set(name, { value: Math.trunc(((requests.get(name) ?? 0) * Math.max(100, target)) / 100), timestamp, window: 0 });
    else if (first.ratio > 1) kept.set(name, { value: 0, timestamp, window: 0 });
  }
  if (scaleUpWithUnready) for (const name of g.unready) kept.set(name, { value: 0, timestamp, window: 0 });
  const second = utilizationRatio(kept, requests, target);
  if (Math.abs(1 - second.ratio) <= TOLERANCE || (first.ratio < 1 && second.ratio > 1) || (first.ratio > 1 && second.ratio < 1)) {
    return { ...base, replicas: currentReplicas };
  }
  const replicas = Math.ceil(second.ratio * kept.size);
  if ((second.ratio < 1 && replicas > currentReplicas) || (second.ratio > 1 && replicas < currentReplicas)) return { ...base, replicas: currentReplicas };
  return { ...base, replicas };
}

/** GetRawResourceReplicas: an average-value target (milli-units per pod). */
export function rawResourceReplicas(currentReplicas: number, targetMilli: number, resource: string, pods: KObject[], metrics: PodMetrics, now: number): Proposal {
  const { g, kept } = prune(metrics, pods, resource, now);
  const first = usageRatio(kept, targetMilli);
  const timestamp = latest(metrics);
  const base = { rawAverage: first.usage, timestamp };
  const scaleUpWithUnready = g.unready.size > 0 && first.ratio > 1;
  if (!scaleUpWithUnready && g.missing.size === 0) {
    if (Math.abs(1 - first.ratio) <= TOLERANCE) return { ...base, replicas: currentReplicas };
    return { ...base, replicas: Math.ceil(first.ratio * g.readyPodCount) };
  }
  for (const name of g.missing) {
    if (first.ratio < 1) kept.set(name, { value: targetMilli, timestamp, window: 0 });
    else if (first.ratio > 1) kept.set(name, { value: 0, timestamp, window: 0 });
  }
  if (scaleUpWithUnready) for (const name of g.unready) kept.set(name, { value: 0, timestamp, window: 0 });
  const second = usageRatio(kept, targetMilli);
  if (Math.abs(1 - second.ratio) <= TOLERANCE || (first.ratio < 1 && second.ratio > 1) || (first.ratio > 1 && second.ratio < 1)) {
    return { ...base, replicas: currentReplicas };
  }
  const replicas = Math.ceil(second.ratio * kept.size);
  if ((second.ratio < 1 && replicas > currentReplicas) || (second.ratio > 1 && replicas < currentReplicas)) return { ...base, replicas: currentReplicas };
  return { ...base, replicas };
}
