// ResourceQuota admission (k8s.io/apiserver/pkg/admission/plugin/resourcequota with the evaluators of
// pkg/quota/v1/evaluator/core): refuses what would take a namespace over one of its quotas, and
// charges what it admits to the quotas' status.used, as the real plugin does before the write.
import type { AdmissionContext } from './index.js';
import type { KObject } from '../types.js';
import type { Store } from '../../storage/store.js';
import { forbidden } from '../errors.js';
import { RESOURCES, qualifiedName, storageKey } from '../resources.js';
import {
  type ResourceList,
  addResourceLists,
  countQuantity,
  formatQuantity,
  formatResourceList,
  parseResourceList,
  tryParseQuantity,
  zeroQuantity,
} from '../quantity.js';
import { podResourceList } from './limit-ranger.js';

/** A group/resource pair, e.g. {group: 'apps', resource: 'deployments'}. */
interface GroupResource {
  group: string;
  resource: string;
}

interface ScopeSelector {
  scopeName: string;
  operator: string;
  values?: string[];
}

/** What quota knows about one kind of object (quota.Evaluator). */
interface Evaluator {
  gr: GroupResource;
  /** the resource names of a quota's hard list this evaluator accounts for */
  matching(names: string[]): string[];
  usage(obj: KObject, now: number): ResourceList;
  /** scopes only mean something for pods; other evaluators match no scoped quota */
  matchesScope(sel: ScopeSelector, obj: KObject): boolean;
  /** extra checks before counting (pods: cpu/memory must be set when quota tracks them) */
  constraints?(required: string[], obj: KObject): string | undefined;
}

/** "count/deployments.apps", or "count/pods" in the core group. */
export function objectCountName(gr: GroupResource): string {
  return gr.group ? `count/${gr.resource}.${gr.group}` : `count/${gr.resource}`;
}

// Core resources whose object count also has its pre-"count/" name.
const LEGACY_COUNT: Record<string, string> = {
  configmaps: 'configmaps',
  secrets: 'secrets',
  replicationcontrollers: 'replicationcontrollers',
  resourcequotas: 'resourcequotas',
};

const ONE = () => countQuantity(1);

function intersect(names: string[], known: string[]): string[] {
  return names.filter((n) => known.includes(n));
}

// ---- pods ----

const POD_RESOURCES = [
  'count/pods', 'cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage',
  'limits.cpu', 'limits.memory', 'limits.ephemeral-storage', 'pods',
];

// A mistake Kubernetes keeps for compatibility: when a quota tracks these, every container must set them.
const VALIDATION_SET = ['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'];

function isNativeResource(name: string): boolean {
  return !name.includes('/') || name.startsWith('kubernetes.io/');
}

/** podComputeUsageHelper: what requests and limits are charged as. */
function computeUsage(requests: ResourceList, limits: ResourceList): ResourceList {
  const out: ResourceList = { pods: ONE() };
  for (const r of ['cpu', 'memory', 'ephemeral-storage']) {
    if (r in requests) {
      out[r] = requests[r];
      out[`requests.${r}`] = requests[r];
    }
    if (r in limits) out[`limits.${r}`] = limits[r];
  }
  for (const [r, q] of Object.entries(requests)) {
    if (r.startsWith('hugepages-')) {
      out[r] = q;
      out[`requests.${r}`] = q;
    } else if (!isNativeResource(r)) {
      out[`requests.${r}`] = q;
    }
  }
  return out;
}

/** QuotaV1Pod: terminal pods, and pods past their deletion grace period, use no compute quota. */
function podCharged(pod: KObject, now: number): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  const del = pod.metadata?.deletionTimestamp;
  if (del) {
    const grace = pod.metadata?.deletionGracePeriodSeconds ?? 0;
    const deadline = Date.parse(del) + grace * 1000;
    if (!Number.isNaN(deadline) && now > deadline) return false;
  }
  return true;
}

function isBestEffort(pod: KObject): boolean {
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
    for (const field of ['requests', 'limits']) {
      for (const r of Object.keys(c?.resources?.[field] ?? {})) {
        if (r === 'cpu' || r === 'memory' || r.startsWith('hugepages-')) return false;
      }
    }
  }
  return true;
}

function isTerminating(pod: KObject): boolean {
  const ads = pod.spec?.activeDeadlineSeconds;
  return typeof ads === 'number' && ads >= 0;
}

function usesCrossNamespaceAffinity(pod: KObject): boolean {
  const aff = pod.spec?.affinity ?? {};
  const terms = (a: any): any[] => [
    ...(a?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
    ...(a?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w: any) => w?.podAffinityTerm),
  ];
  return [...terms(aff.podAffinity), ...terms(aff.podAntiAffinity)].some(
    (t) => (t?.namespaces?.length ?? 0) > 0 || t?.namespaceSelector != null,
  );
}

function podMatchesScope(sel: ScopeSelector, pod: KObject): boolean {
  switch (sel.scopeName) {
    case 'Terminating':
      return isTerminating(pod);
    case 'NotTerminating':
      return !isTerminating(pod);
    case 'BestEffort':
      return isBestEffort(pod);
    case 'NotBestEffort':
      return !isBestEffort(pod);
    case 'CrossNamespacePodAffinity':
      return usesCrossNamespaceAffinity(pod);
    case 'PriorityClass': {
      const pc: string | undefined = pod.spec?.priorityClassName || undefined;
      const values = sel.values ?? [];
      switch (sel.operator) {
        case 'Exists':
          return pc !== undefined;
        case 'DoesNotExist':
          return pc === undefined;
        case 'In':
          return pc !== undefined && values.includes(pc);
        case 'NotIn':
          return pc === undefined || !values.includes(pc);
      }
      return false;
    }
  }
  return false;
}

function podConstraints(required: string[], pod: KObject): string | undefined {
  const requiredSet = required.filter((r) => VALIDATION_SET.includes(r));
  const missing = new Map<string, Set<string>>();
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
    const usage = computeUsage(parseResourceList(c?.resources?.requests), parseResourceList(c?.resources?.limits));
    for (const r of requiredSet) {
      if (r in usage) continue;
      if (!missing.has(r)) missing.set(r, new Set());
      missing.get(r)!.add(c.name);
    }
  }
  if (!missing.size) return undefined;
  const parts = [...missing.keys()].sort().map((r) => `${r} for: ${[...missing.get(r)!].sort().join(',')}`);
  return `must specify ${parts.join('; ')}`;
}

const podEvaluator: Evaluator = {
  gr: { group: '', resource: 'pods' },
  matching(names) {
    return [
      ...intersect(names, POD_RESOURCES),
      ...names.filter((n) => n.startsWith('hugepages-') || n.startsWith('requests.hugepages-')),
      ...names.filter((n) => n.startsWith('requests.') && !isNativeResource(n.slice('requests.'.length))),
    ];
  },
  usage(pod, now) {
    const out: ResourceList = { 'count/pods': ONE() };
    if (!podCharged(pod, now)) return out;
    return { ...out, ...computeUsage(podResourceList(pod.spec, 'requests'), podResourceList(pod.spec, 'limits')) };
  },
  matchesScope: podMatchesScope,
  constraints: podConstraints,
};

// ---- services ----

const SERVICE_RESOURCES = ['count/services', 'services', 'services.nodeports', 'services.loadbalancers'];

const serviceEvaluator: Evaluator = {
  gr: { group: '', resource: 'services' },
  matching: (names) => intersect(names, SERVICE_RESOURCES),
  usage(svc) {
    const out: ResourceList = { 'count/services': ONE(), services: ONE() };
    const ports: any[] = svc.spec?.ports ?? [];
    const type = svc.spec?.type ?? 'ClusterIP';
    if (type === 'NodePort') out['services.nodeports'] = countQuantity(ports.length);
    if (type === 'LoadBalancer') {
      // Without node port allocation only explicitly requested node ports count.
      const n = svc.spec?.allocateLoadBalancerNodePorts === false ? ports.filter((p) => p?.nodePort).length : ports.length;
      out['services.nodeports'] = countQuantity(n);
      out['services.loadbalancers'] = ONE();
    }
    return out;
  },
  matchesScope: () => false,
};

// ---- persistentvolumeclaims ----

const STORAGE_CLASS_SUFFIX = '.storageclass.storage.k8s.io/';

const pvcEvaluator: Evaluator = {
  gr: { group: '', resource: 'persistentvolumeclaims' },
  matching: (names) =>
    names.filter(
      (n) =>
        ['count/persistentvolumeclaims', 'persistentvolumeclaims', 'requests.storage'].includes(n) ||
        (n.includes(STORAGE_CLASS_SUFFIX) && /\/(requests\.storage|persistentvolumeclaims)$/.test(n)),
    ),
  usage(pvc) {
    const out: ResourceList = { 'count/persistentvolumeclaims': ONE(), persistentvolumeclaims: ONE() };
    const sc: string | undefined =
      pvc.spec?.storageClassName ?? pvc.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'];
    if (sc) out[`${sc}${STORAGE_CLASS_SUFFIX}persistentvolumeclaims`] = ONE();
    const storage = tryParseQuantity(pvc.spec?.resources?.requests?.storage);
    if (storage) {
      out['requests.storage'] = storage;
      if (sc) out[`${sc}${STORAGE_CLASS_SUFFIX}requests.storage`] = storage;
    }
    return out;
  },
  matchesScope: () => false,
};

/** generic.NewObjectCountEvaluator: one of each object, under count/<resource>.<group> (and its legacy name). */
function objectCountEvaluator(gr: GroupResource): Evaluator {
  const names = [objectCountName(gr)];
  const legacy = gr.group === '' ? LEGACY_COUNT[gr.resource] : undefined;
  if (legacy) names.push(legacy);
  return {
    gr,
    matching: (input) => intersect(input, names),
    usage() {
      const out: ResourceList = {};
      for (const n of names) out[n] = ONE();
      return out;
    },
    matchesScope: () => false,
  };
}

function evaluatorFor(gr: GroupResource): Evaluator {
  if (gr.group === '') {
    if (gr.resource === 'pods') return podEvaluator;
    if (gr.resource === 'services') return serviceEvaluator;
    if (gr.resource === 'persistentvolumeclaims') return pvcEvaluator;
  }
  return objectCountEvaluator(gr);
}

/** Every namespaced resource the apiserver serves, once per group/resource, with its storage prefix. */
function namespacedResources(): { gr: GroupResource; prefix: string }[] {
  const seen = new Set<string>();
  const out: { gr: GroupResource; prefix: string }[] = [];
  for (const ri of RESOURCES) {
    if (!ri.namespaced) continue;
    const prefix = storageKey(ri);
    if (seen.has(prefix)) continue;
    seen.add(prefix);
    out.push({ gr: { group: ri.group, resource: ri.name }, prefix });
  }
  return out;
}

// ---- quota arithmetic ----

function scopeSelectors(rq: KObject): ScopeSelector[] {
  const out: ScopeSelector[] = (rq.spec?.scopes ?? []).map((s: string) => ({ scopeName: s, operator: 'Exists' }));
  for (const e of rq.spec?.scopeSelector?.matchExpressions ?? []) out.push(e);
  return out;
}

function hardOf(rq: KObject): ResourceList {
  const status = rq.status?.hard;
  return parseResourceList(status && Object.keys(status).length ? status : rq.spec?.hard);
}

/** generic.Matches: the quota tracks something of this kind and every one of its scopes holds. */
function quotaMatches(ev: Evaluator, rq: KObject, obj: KObject): boolean {
  if (!ev.matching(Object.keys(hardOf(rq))).length) return false;
  return scopeSelectors(rq).every((s) => ev.matchesScope(s, obj));
}

function mask(list: ResourceList, names: string[]): ResourceList {
  const out: ResourceList = {};
  for (const n of names) if (n in list) out[n] = list[n];
  return out;
}

/** prettyPrint: name=value pairs sorted by name, joined by commas without spaces. */
function prettyPrint(list: ResourceList): string {
  return Object.keys(list)
    .sort()
    .map((k) => `${k}=${formatQuantity(list[k])}`)
    .join(',');
}

/**
 * What the objects already stored in the namespace use of the quota's hard resources, as the quota
 * controller computes status.used: every hard resource has an entry, zero when nothing uses it.
 * `skip` leaves one object out (the one being admitted, when it is an update).
 */
export function computeQuotaUsage(store: Store, rq: KObject, now: number, skip?: KObject): ResourceList {
  const ns = rq.metadata?.namespace;
  const hard = hardOf(rq);
  const names = Object.keys(hard);
  let used: ResourceList = {};
  for (const { gr, prefix } of namespacedResources()) {
    const ev = evaluatorFor(gr);
    const tracked = ev.matching(names);
    if (!tracked.length) continue;
    for (const obj of store.list(prefix, ns)) {
      if (skip && obj.metadata?.uid && obj.metadata.uid === skip.metadata?.uid) continue;
      if (!scopeSelectors(rq).every((s) => ev.matchesScope(s, obj))) continue;
      used = addResourceLists(used, mask(ev.usage(obj, now), tracked));
    }
  }
  const out: ResourceList = {};
  for (const n of names) out[n] = used[n] ?? zeroQuantity(hard[n].format);
  return out;
}

/**
 * The status a quota should show: hard is spec.hard, used is measured from the store. A quota not
 * stored yet counts itself (`unstored`), as the controller will once it is.
 */
export function quotaStatus(
  store: Store,
  rq: KObject,
  now: number,
  unstored = false,
): { hard: Record<string, string>; used: Record<string, string> } {
  const hard = parseResourceList(rq.spec?.hard);
  const probe = { ...rq, status: { hard: rq.spec?.hard ?? {} } };
  let used = computeQuotaUsage(store, probe, now);
  if (unstored) {
    const self = objectCountEvaluator({ group: '', resource: 'resourcequotas' });
    used = addResourceLists(used, mask(self.usage(rq, now), self.matching(Object.keys(hard))));
  }
  return { hard: formatResourceList(hard), used: formatResourceList(used) };
}

/** Fills status.hard and status.used of a quota about to be created (the quota controller's first sync). */
export function initQuotaStatus(store: Store, quota: KObject, now = Date.now()): void {
  quota.status = quotaStatus(store, quota, now, true);
}

/**
 * Recomputes status of every quota in a namespace and stores those that changed: for callers that
 * release usage (deletes, pods finishing), as the resourcequota controller's resync does.
 */
export function syncQuotaStatus(store: Store, namespace: string, now = Date.now()): void {
  for (const rq of store.list('resourcequotas', namespace)) {
    const status = quotaStatus(store, rq, now);
    if (JSON.stringify(status) === JSON.stringify({ hard: rq.status?.hard, used: rq.status?.used })) continue;
    store.put('resourcequotas', { ...rq, status: { ...(rq.status ?? {}), ...status } });
  }
}

function groupResourceOf(ctx: AdmissionContext): GroupResource {
  return { group: ctx.resource.group, resource: ctx.resource.name };
}

export function resourceQuotaValidate(ctx: AdmissionContext, obj: KObject): void {
  if (!ctx.resource.namespaced) return;
  const ns = obj.metadata?.namespace ?? ctx.namespace;
  if (!ns) return;

  // A new or changed quota starts with the status its controller would give it.
  if (obj.kind === 'ResourceQuota' && (ctx.operation === 'CREATE' || ctx.operation === 'UPDATE')) {
    const specChanged = ctx.operation === 'CREATE' || JSON.stringify(ctx.old?.spec) !== JSON.stringify(obj.spec);
    if (specChanged) {
      const probe = { ...obj, metadata: { ...obj.metadata, namespace: ns } };
      obj.status = { ...(obj.status ?? {}), ...quotaStatus(ctx.store, probe, ctx.now, ctx.operation === 'CREATE') };
    }
  }

  // Evaluators charge creation; updates of pods' resources are not charged here.
  if (ctx.operation !== 'CREATE') return;
  // A subresource's body (a Binding, an Eviction) is not the object quota counts.
  if (obj.kind && obj.kind !== ctx.resource.kind) return;
  const quotas = ctx.store.list('resourcequotas', ns);
  if (!quotas.length) return;
  const ev = evaluatorFor(groupResourceOf(ctx));
  const name = obj.metadata?.name || obj.metadata?.generateName || 'Unknown';
  const refuse = (msg: string) => forbidden(`${qualifiedName(ctx.resource)} "${name}" is forbidden: ${msg}`, ctx.resource, name);

  const interesting: { rq: KObject; tracked: string[] }[] = [];
  for (const rq of quotas) {
    if (!quotaMatches(ev, rq, obj)) continue;
    const tracked = ev.matching(Object.keys(hardOf(rq)));
    const failed = ev.constraints?.(tracked, obj);
    if (failed) throw refuse(`failed quota: ${rq.metadata?.name}: ${failed}`);
    interesting.push({ rq, tracked });
  }
  if (!interesting.length) return;

  const delta = ev.usage(obj, ctx.now);
  const negative = Object.keys(delta).filter((k) => delta[k].nanos < 0n).sort();
  if (negative.length) throw refuse(`quota usage is negative for resource(s): ${negative.join(',')}`);
  if (Object.values(delta).every((q) => q.nanos === 0n)) return;

  const updates: KObject[] = [];
  for (const { rq } of interesting) {
    const hard = hardOf(rq);
    const hardNames = Object.keys(hard);
    const used = computeQuotaUsage(ctx.store, rq, ctx.now);
    const requested = mask(delta, hardNames);
    const newUsage = addResourceLists(used, requested);
    const exceeded = Object.keys(requested).filter((k) => newUsage[k].nanos > hard[k].nanos);
    if (exceeded.length) {
      throw refuse(
        `exceeded quota: ${rq.metadata?.name}, requested: ${prettyPrint(mask(requested, exceeded))}, ` +
          `used: ${prettyPrint(mask(used, exceeded))}, limited: ${prettyPrint(mask(hard, exceeded))}`,
      );
    }
    const status = { hard: formatResourceList(hard), used: formatResourceList(mask(newUsage, hardNames)) };
    updates.push({ ...rq, status: { ...(rq.status ?? {}), ...status } });
  }
  // All quotas are checked before any is charged, so a refusal leaves every status untouched.
  if (ctx.dryRun) return;
  for (const u of updates) {
    const cur = u.metadata && ctx.store.get('resourcequotas', ns, u.metadata.name!);
    if (cur && JSON.stringify(cur.status) === JSON.stringify(u.status)) continue;
    ctx.store.put('resourcequotas', { ...u, metadata: { ...u.metadata } });
  }
}
