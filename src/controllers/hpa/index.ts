// HorizontalPodAutoscaler controller (pkg/controller/podautoscaler/horizontal.go). Every HPA is
// synced on a fixed 15 s period from its creation (the real controller's rate-limited queue puts
// every HPA back with that delay, so even a new one waits one period): it reads the target's
// scale, the pods' metrics from the model `top` shows (src/kubelet/usage.ts), computes the replica
// count the targets ask for, stabilises and limits it, scales through the scale subresource, and
// records conditions, status and events as the real controller does.
import type { Component, ComponentClient } from '../component.js';
import type { KObject } from '../../apiserver/types.js';
import { rfc3339 } from '../../cluster/clock.js';
import { resourceFor } from '../../apiserver/apiserver.js';
import { fromLabelSelector, fromMap, matches, selectorString } from '../../apiserver/selectors.js';
import { milliValue, formatQuantity, tryParseQuantity } from '../../apiserver/quantity.js';
import { clusterLoad, podUsage, type LoadMap } from '../../kubelet/usage.js';
import { CalcError, rawResourceReplicas, resourceReplicas, type PodMetrics } from './replicas.js';
import { normalizeDefault, normalizeWithBehavior, recordInitial, storeScaleEvent, type HpaMemory } from './normalize.js';

export const COMPONENT = 'horizontal-pod-autoscaler';
/** --horizontal-pod-autoscaler-sync-period */
export const SYNC_PERIOD_MS = 15_000;
/** metrics-server's --metric-resolution: samples are this far apart, and a rate needs two */
export const METRIC_RESOLUTION_MS = 15_000;

/** What a scaleTargetRef can name: kind → resource and group (the scale subresources served). */
const SCALABLE: Record<string, { resource: string; group: string }> = {
  Deployment: { resource: 'deployments', group: 'apps' },
  ReplicaSet: { resource: 'replicasets', group: 'apps' },
  StatefulSet: { resource: 'statefulsets', group: 'apps' },
  ReplicationController: { resource: 'replicationcontrollers', group: '' },
};

interface Entry {
  uid: string;
  /** the virtual time of the last sync (or of first sight: the first sync is one period later) */
  last: number;
  mem: HpaMemory;
}

interface State {
  hpas: Record<string, Entry>;
}

/** The world one reconcile reads, built once and shared by every HPA it syncs. */
export interface World {
  podsByNs: Map<string, KObject[]>;
  load: LoadMap;
  now: number;
}

export async function readWorld(c: ComponentClient): Promise<World> {
  const pods = await c.list('pods');
  const services = await c.list('services');
  const podsByNs = new Map<string, KObject[]>();
  for (const p of pods) {
    const ns = p.metadata?.namespace ?? '';
    if (!podsByNs.has(ns)) podsByNs.set(ns, []);
    podsByNs.get(ns)!.push(p);
  }
  return { podsByNs, load: clusterLoad(pods, services), now: c.now() };
}

const milliQuantity = (m: number) => formatQuantity({ nanos: BigInt(Math.trunc(m)) * 1_000_000n, format: 'DecimalSI' });

/**
 * The resource metrics API's answer for these pods: a pod has a sample once metrics-server has
 * scraped it twice since its containers started; values in milli-units (memory bytes x 1000).
 */
export function resourceMetrics(pods: KObject[], resource: string, container: string, world: World): PodMetrics {
  const out: PodMetrics = new Map();
  const scrape = Math.floor(world.now / METRIC_RESOLUTION_MS) * METRIC_RESOLUTION_MS;
  for (const pod of pods) {
    const usage = podUsage(pod, world.now, world.load).filter((u) => !container || u.name === container);
    if (!usage.length) continue;
    let started = 0;
    for (const s of pod.status?.containerStatuses ?? []) {
      const t = Date.parse(s.state?.running?.startedAt ?? '');
      if (!Number.isNaN(t)) started = Math.max(started, t);
    }
    if (scrape - METRIC_RESOLUTION_MS < started) continue;
    let value = 0;
    for (const u of usage) value += resource === 'cpu' ? u.cpuMilli : resource === 'memory' ? u.memoryBytes * 1000 : 0;
    out.set(pod.metadata!.name!, { value, timestamp: scrape, window: METRIC_RESOLUTION_MS });
  }
  return out;
}

// ---- conditions ----

type Status = Record<string, any>;

function setCondition(status: Status, type: string, s: 'True' | 'False', reason: string, message: string, now: number): void {
  const list: any[] = (status.conditions ??= []);
  let cond = list.find((c) => c.type === type);
  if (!cond) {
    cond = { type };
    list.push(cond);
  }
  if (cond.status !== s) cond.lastTransitionTime = rfc3339(now);
  cond.status = s;
  cond.reason = reason;
  cond.message = message;
}

// ---- metrics → replicas ----

interface MetricOutcome {
  replicas: number;
  name: string;
  status: any;
}

class MetricError extends Error {
  constructor(message: string, readonly condition: { reason: string; message: string }) {
    super(message);
  }
}

async function failMetric(c: ComponentClient, hpa: KObject, reason: string, inner: string, outer: string): Promise<never> {
  // getUnableComputeReplicaCountCondition records the event as it builds the condition.
  await c.event(hpa, 'Warning', reason, inner, { component: COMPONENT });
  throw new MetricError(outer, { reason, message: `the HPA was unable to compute the replica count: ${inner}` });
}

async function computeForMetric(c: ComponentClient, hpa: KObject, spec: any, current: number, pods: KObject[], world: World): Promise<MetricOutcome> {
  const ns = hpa.metadata!.namespace!;
  switch (spec?.type) {
    case 'Resource':
    case 'ContainerResource': {
      const container = spec.type === 'ContainerResource';
      const src = container ? spec.containerResource : spec.resource;
      const resource: string = src?.name ?? '';
      const reason = container ? 'FailedGetContainerResourceMetric' : 'FailedGetResourceMetric';
      const wrap = (inner: string) => (container ? `failed to get ${resource} container metric value: ${inner}` : `failed to get ${resource} resource metric value: ${inner}`);
      const metrics = resourceMetrics(pods, resource, container ? src.container : '', world);
      const avgValue = tryParseQuantity(src?.target?.averageValue);
      {
        if (avgValue) {
          let p;
          try {
            p = rawResourceReplicas(current, milliValue(avgValue), resource, pods, metrics, world.now);
          } catch (e) {
            if (e instanceof CalcError) return await failMetric(c, hpa, reason, `failed to get ${resource} usage: ${e.message}`, wrap(`failed to get ${resource} usage: ${e.message}`));
            throw e;
          }
          const current_ = { averageValue: milliQuantity(p.rawAverage) };
          return {
            replicas: p.replicas,
            name: container ? `${resource} container resource` : `${resource} resource`,
            status: container ? { type: spec.type, containerResource: { name: resource, container: src.container, current: current_ } } : { type: spec.type, resource: { name: resource, current: current_ } },
          };
        }
        const target = src?.target?.averageUtilization;
        if (typeof target !== 'number') {
          const msg = 'invalid resource metric source: neither an average utilization target nor an average value (usage) target was set';
          return await failMetric(c, hpa, reason, msg, wrap(msg));
        }
        let p;
        try {
          p = resourceReplicas(current, target, resource, pods, metrics, world.now, container ? src.container : '');
        } catch (e) {
          if (e instanceof CalcError) return await failMetric(c, hpa, reason, `failed to get ${resource} utilization: ${e.message}`, wrap(`failed to get ${resource} utilization: ${e.message}`));
          throw e;
        }
        const cur = { averageUtilization: p.utilization, averageValue: milliQuantity(p.rawAverage) };
        return {
          replicas: p.replicas,
          name: container ? `${resource} container resource utilization (percentage of request)` : `${resource} resource utilization (percentage of request)`,
          status: container ? { type: spec.type, containerResource: { name: resource, container: src.container, current: cur } } : { type: spec.type, resource: { name: resource, current: cur } },
        };
      }
    }
    // No custom or external metrics API is served in minikctl: these fail as they do on a
    // cluster without an adapter.
    case 'Pods': {
      const name = spec.pods?.metric?.name ?? '';
      const inner = `unable to get metric ${name}: unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered`;
      return await failMetric(c, hpa, 'FailedGetPodsMetric', inner, `failed to get pods metric value: ${inner}`);
    }
    case 'Object': {
      const name = spec.object?.metric?.name ?? '';
      const obj = spec.object?.describedObject ?? {};
      const inner = `unable to get metric ${name}: ${obj.kind} on ${ns} ${obj.name}/unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered`;
      return await failMetric(c, hpa, 'FailedGetObjectMetric', inner, `failed to get object metric value: ${inner}`);
    }
    case 'External': {
      const name = spec.external?.metric?.name ?? '';
      const inner = `unable to get external metric ${ns}/${name}/${JSON.stringify(spec.external?.metric?.selector ?? null)}: unable to fetch metrics from external metrics API: the server could not find the requested resource (get ${name}.external.metrics.k8s.io)`;
      return await failMetric(c, hpa, 'FailedGetExternalMetric', inner, `failed to get ${name} external metric: ${inner}`);
    }
    default: {
      const msg = `unknown metric source type "${spec?.type ?? ''}"`;
      return await failMetric(c, hpa, 'InvalidMetricSourceType', msg, msg);
    }
  }
}

// ---- one sync ----

async function syncOne(c: ComponentClient, stored: KObject, mem: HpaMemory, world: World): Promise<boolean> {
  const hpa = structuredClone(stored);
  const now = world.now;
  const ns = hpa.metadata!.namespace!;
  const spec = hpa.spec ?? {};
  const status: Status = (hpa.status = structuredClone(stored.status ?? {}));
  const ref = spec.scaleTargetRef ?? {};
  const group = String(ref.apiVersion ?? '').includes('/') ? String(ref.apiVersion).split('/')[0] : '';
  const writeStatus = async () => {
    if (JSON.stringify(stored.status ?? {}) === JSON.stringify(status)) return false;
    return !!(await c.write({ verb: 'update', resource: 'horizontalpodautoscalers', subresource: 'status', namespace: ns, name: hpa.metadata!.name, body: hpa }));
  };
  const failScale = async (err: string) => {
    await c.event(hpa, 'Warning', 'FailedGetScale', err, { component: COMPONENT });
    setCondition(status, 'AbleToScale', 'False', 'FailedGetScale', `the HPA controller was unable to get the target's current scale: ${err}`, now);
    return writeStatus();
  };

  const kind = SCALABLE[ref.kind ?? ''];
  if (!kind || kind.group !== group) return failScale(`no matches for kind "${ref.kind ?? ''}" in group "${group}"`);
  const target = await c.get(kind.resource, ns, ref.name ?? '');
  if (!target) return failScale(`${kind.group ? `${kind.resource}.${kind.group}` : kind.resource} "${ref.name ?? ''}" not found`);
  setCondition(status, 'AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale", now);
  const currentReplicas: number = target.spec?.replicas ?? 0;
  recordInitial(mem, currentReplicas, now);

  const min: number = spec.minReplicas ?? 1;
  const max: number = spec.maxReplicas ?? 0;
  let desired = 0;
  let reason = '';
  let rescale = true;
  let metricStatuses: any[] | undefined;

  if (currentReplicas === 0 && min !== 0) {
    desired = 0;
    rescale = false;
    setCondition(status, 'ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero', now);
  } else if (currentReplicas > max) {
    reason = 'Current number of replicas above Spec.MaxReplicas';
    desired = max;
  } else if (currentReplicas < min) {
    reason = 'Current number of replicas below Spec.MinReplicas';
    desired = min;
  } else {
    const sel = ref.kind === 'ReplicationController' ? fromMap(target.spec?.selector) : fromLabelSelector(target.spec?.selector);
    const selText = ref.kind === 'ReplicationController' ? Object.keys(target.spec?.selector ?? {}).length : selectorString(target.spec?.selector).length;
    if (!selText) {
      await c.event(hpa, 'Warning', 'SelectorRequired', 'selector is required', { component: COMPONENT });
      setCondition(status, 'ScalingActive', 'False', 'InvalidSelector', "the HPA target's scale is missing a selector", now);
      return writeStatus();
    }
    const pods = (world.podsByNs.get(ns) ?? []).filter((p) => matches(sel, p.metadata?.labels));
    const specs: any[] = spec.metrics ?? [];
    metricStatuses = specs.map(() => ({ type: '' }));
    let invalid = 0;
    let first: MetricError | undefined;
    let proposal = 0;
    let metricName = '';
    for (let i = 0; i < specs.length; i++) {
      try {
        const out = await computeForMetric(c, hpa, specs[i], currentReplicas, pods, world);
        metricStatuses[i] = out.status;
        if (proposal === 0 || out.replicas > proposal) {
          proposal = out.replicas;
          metricName = out.name;
        }
      } catch (e) {
        if (!(e instanceof MetricError)) throw e;
        if (!first) first = e;
        invalid++;
      }
    }
    if (first && (invalid >= specs.length || proposal < currentReplicas)) {
      setCondition(status, 'ScalingActive', 'False', first.condition.reason, first.condition.message, now);
      // setCurrentReplicasAndMetricsInStatus: the desired count stays what it was.
      setStatus(status, currentReplicas, status.desiredReplicas ?? 0, metricStatuses, false, now);
      const wrote = await writeStatus();
      await c.event(hpa, 'Warning', 'FailedComputeMetricsReplicas', `invalid metrics (${invalid} invalid out of ${specs.length}), first error is: ${first.message}`, { component: COMPONENT });
      return wrote;
    }
    setCondition(status, 'ScalingActive', 'True', 'ValidMetricFound', `the HPA was able to successfully calculate a replica count from ${metricName}`, now);
    desired = proposal;
    if (desired > currentReplicas) reason = `${metricName} above target`;
    if (desired < currentReplicas) reason = 'All metrics below target';
    const limited = spec.behavior
      ? normalizeWithBehavior(mem, spec.behavior, currentReplicas, desired, min, max, now)
      : normalizeDefault(mem, currentReplicas, desired, min, max, now);
    setCondition(status, 'AbleToScale', 'True', limited.able.reason, limited.able.message, now);
    setCondition(status, 'ScalingLimited', limited.limited.status, limited.limited.reason, limited.limited.message, now);
    desired = limited.replicas;
    rescale = desired !== currentReplicas;
  }

  if (rescale) {
    const res = await c.api.handle({
      verb: 'patch', resource: resourceFor(kind.resource), namespace: ns, name: target.metadata!.name,
      subresource: 'scale', patchType: 'merge', body: { spec: { replicas: desired } }, user: c.user, userAgent: COMPONENT,
    });
    if (res.code >= 300) {
      const err = res.body?.message ?? 'unknown error';
      await c.event(hpa, 'Warning', 'FailedRescale', `New size: ${desired}; reason: ${reason}; error: ${err}`, { component: COMPONENT });
      setCondition(status, 'AbleToScale', 'False', 'FailedUpdateScale', `the HPA controller was unable to update the target scale: ${err}`, now);
      setStatus(status, currentReplicas, status.desiredReplicas ?? 0, status.currentMetrics, false, now);
      return writeStatus();
    }
    setCondition(status, 'AbleToScale', 'True', 'SucceededRescale', `the HPA controller was able to update the target scale to ${desired}`, now);
    await c.event(hpa, 'Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${reason}`, { component: COMPONENT });
    storeScaleEvent(mem, spec.behavior, currentReplicas, desired, now);
    c.trace('rescale', `horizontalpodautoscaler/${hpa.metadata!.name}`, `${ref.kind}/${ref.name} ${currentReplicas} -> ${desired}: ${reason}`);
  } else {
    desired = currentReplicas;
  }
  setStatus(status, currentReplicas, desired, metricStatuses, rescale, now);
  await writeStatus();
  return rescale || JSON.stringify(stored.status ?? {}) !== JSON.stringify(status);
}

/** setStatus: the v2 status as the controller writes it (currentReplicas is omitempty). */
function setStatus(status: Status, current: number, desired: number, metrics: any[] | undefined, rescale: boolean, now: number): void {
  if (current) status.currentReplicas = current;
  else delete status.currentReplicas;
  status.desiredReplicas = desired;
  if (metrics && metrics.length) status.currentMetrics = metrics;
  else delete status.currentMetrics;
  if (rescale) status.lastScaleTime = rfc3339(now);
}

export const horizontalPodAutoscalerController: Component = {
  name: COMPONENT,
  watches: ['horizontalpodautoscalers'],
  async reconcile(c) {
    const hpas = await c.list('horizontalpodautoscalers');
    const st = c.state<State>('horizontal-pod-autoscaler', () => ({ hpas: {} }));
    const now = c.now();
    let touched = false;
    let next = Infinity;
    const due: { hpa: KObject; entry: Entry }[] = [];
    const live = new Set<string>();
    for (const hpa of hpas) {
      const key = `${hpa.metadata!.namespace}/${hpa.metadata!.name}`;
      live.add(key);
      let entry = st.hpas[key];
      if (!entry || entry.uid !== hpa.metadata!.uid) {
        // Put in the queue with the sync period's delay, from when the HPA was created.
        const created = Date.parse(hpa.metadata?.creationTimestamp ?? '');
        entry = st.hpas[key] = { uid: hpa.metadata!.uid!, last: Number.isNaN(created) ? now : Math.min(created, now), mem: { recommendations: [], scaleUp: [], scaleDown: [] } };
        touched = true;
      }
      if (now >= entry.last + SYNC_PERIOD_MS) due.push({ hpa, entry });
      else next = Math.min(next, entry.last + SYNC_PERIOD_MS);
    }
    for (const key of Object.keys(st.hpas)) {
      if (!live.has(key)) {
        delete st.hpas[key];
        touched = true;
      }
    }
    let changed = false;
    if (due.length) {
      const world = await readWorld(c);
      for (const { hpa, entry } of due) {
        if (await syncOne(c, hpa, entry.mem, world)) changed = true;
        // The next sync is a whole period after this one, on the period's grid.
        entry.last += Math.floor((now - entry.last) / SYNC_PERIOD_MS) * SYNC_PERIOD_MS;
        next = Math.min(next, entry.last + SYNC_PERIOD_MS);
      }
      touched = true;
    }
    if (touched) c.touch();
    if (Number.isFinite(next)) c.wakeAt(next, 'background');
    return changed;
  },
};
