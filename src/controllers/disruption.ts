// Disruption controller (pkg/controller/disruption): keeps every PodDisruptionBudget's status —
// how many of its pods are healthy (Ready, not terminating, not just evicted), how many must be
// (desiredHealthy from minAvailable or maxUnavailable, percentages scaled against the pods'
// controllers), how many more may be disrupted (disruptionsAllowed), and the DisruptionAllowed
// condition. The eviction subresource spends the budget; this controller refills it as
// replacements become Ready.
import type { KObject } from '../apiserver/types.js';
import { fromLabelSelector, matches } from '../apiserver/selectors.js';
import type { Component, ComponentClient } from './component.js';
import { indexOf } from './informer.js';
import { controllerRef, isPodReady } from './pod-control.js';
import { reorderStatus, setDisruptionAllowedCondition } from '../apiserver/registry/eviction.js';

const COMPONENT = 'disruption-controller';
/** the recorder's source: the disruption controller records as "controllermanager" */
const EVENT_SOURCE = 'controllermanager';
/** DeletionTimeout: an evicted pod not deleted within this is counted again */
export const DELETION_TIMEOUT_MS = 2 * 60_000;

const keyOf = (o: KObject) => `${o.metadata!.namespace}/${o.metadata!.name}`;

/** intstr.GetScaledValueFromIntOrPercent with roundUp = true */
export function scaledValue(v: number | string, total: number): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) {
    const n = Number(v);
    if (v !== '' && Number.isInteger(n)) return n;
    throw new Error(`invalid value for IntOrString: invalid value "${v}": strconv.Atoi: parsing "${v}": invalid syntax`);
  }
  return Math.ceil((Number(m[1]) * total) / 100);
}

function selects(pdb: KObject, pod: KObject): boolean {
  const sel = pdb.spec?.selector;
  // LabelSelectorAsSelector: nil selects nothing, {} selects everything in the namespace.
  if (!sel) return false;
  return matches(fromLabelSelector(sel), pod.metadata?.labels);
}

/** The PDBs a run must sync, from what changed: the PDB itself, or a pod it selects. */
function dirtyPdbs(c: ComponentClient, pdbs: KObject[]): KObject[] {
  const changes = c.cause.changes;
  if (!changes) return pdbs;
  const keys = new Set<string>(c.cause.dueKeys);
  const podsByNs = new Map<string, KObject[]>();
  for (const e of changes) {
    if (e.prefix === 'policy/poddisruptionbudgets') keys.add(keyOf(e.object));
    else if (e.prefix === 'pods') {
      const ns = e.object.metadata!.namespace!;
      const l = podsByNs.get(ns);
      if (l) l.push(e.object);
      else podsByNs.set(ns, [e.object]);
    }
  }
  return pdbs.filter((pdb) => {
    if (keys.has(keyOf(pdb))) return true;
    const changed = podsByNs.get(pdb.metadata!.namespace!);
    return !!changed?.some((p) => selects(pdb, p));
  });
}

interface Ctx {
  c: ComponentClient;
}

/** The finders of the real controller: the scale of a pod's controller (a Deployment for its ReplicaSets). */
async function controllerScale(x: Ctx, pod: KObject): Promise<{ uid: string; scale: number } | undefined> {
  const ref = controllerRef(pod)!;
  const ns = pod.metadata!.namespace!;
  const c = x.c;
  switch (ref.kind) {
    case 'ReplicationController': {
      const rc = await c.get('replicationcontrollers', ns, ref.name);
      return rc && rc.metadata!.uid === ref.uid ? { uid: ref.uid, scale: rc.spec?.replicas ?? 1 } : undefined;
    }
    case 'ReplicaSet': {
      const rs = await c.get('replicasets', ns, ref.name);
      if (!rs || rs.metadata!.uid !== ref.uid) return undefined;
      const dref = controllerRef(rs);
      if (dref?.kind === 'Deployment') {
        const d = await c.get('deployments', ns, dref.name);
        return d && d.metadata!.uid === dref.uid ? { uid: dref.uid, scale: d.spec?.replicas ?? 1 } : undefined;
      }
      return { uid: ref.uid, scale: rs.spec?.replicas ?? 1 };
    }
    case 'StatefulSet': {
      const ss = await c.get('statefulsets', ns, ref.name);
      return ss && ss.metadata!.uid === ref.uid ? { uid: ref.uid, scale: ss.spec?.replicas ?? 1 } : undefined;
    }
    default:
      return undefined;
  }
}

/** getExpectedScale: the sum of the scales of the pods' controllers, and the pods without one. */
async function expectedScale(x: Ctx, pods: KObject[]): Promise<{ expected: number; unmanaged: string[] }> {
  const scales = new Map<string, number>();
  const unmanaged: string[] = [];
  for (const pod of pods) {
    const ref = controllerRef(pod);
    if (!ref) {
      unmanaged.push(pod.metadata!.name!);
      continue;
    }
    if (scales.has(ref.uid)) continue;
    const found = await controllerScale(x, pod);
    if (!found) throw new Error(`found no controllers for pod "${pod.metadata!.name}"`);
    scales.set(found.uid, found.scale);
    if (found.uid !== ref.uid) scales.set(ref.uid, 0);
  }
  let expected = 0;
  for (const v of scales.values()) expected += v;
  return { expected, unmanaged };
}

/** getExpectedPodCount */
async function expectedPodCount(x: Ctx, pdb: KObject, pods: KObject[]): Promise<{ expected: number; desired: number; unmanaged: string[] }> {
  const spec = pdb.spec ?? {};
  if (spec.maxUnavailable != null) {
    const { expected, unmanaged } = await expectedScale(x, pods);
    const maxUnavailable = scaledValue(spec.maxUnavailable, expected);
    return { expected, desired: Math.max(0, expected - maxUnavailable), unmanaged };
  }
  if (spec.minAvailable != null) {
    if (typeof spec.minAvailable === 'number') return { expected: pods.length, desired: spec.minAvailable, unmanaged: [] };
    const { expected, unmanaged } = await expectedScale(x, pods);
    return { expected, desired: scaledValue(spec.minAvailable, expected), unmanaged };
  }
  return { expected: 0, desired: 0, unmanaged: [] };
}

/** buildDisruptedPodMap: the evictions still in flight, and when the earliest of them expires. */
function disruptedPodMap(pdb: KObject, pods: KObject[], now: number): { map: Record<string, string>; recheck?: number; expired: KObject[] } {
  const recorded: Record<string, string> = pdb.status?.disruptedPods ?? {};
  const map: Record<string, string> = {};
  const expired: KObject[] = [];
  let recheck: number | undefined;
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp) continue;
    const at = recorded[pod.metadata!.name!];
    if (at === undefined) continue;
    const expires = Date.parse(at) + DELETION_TIMEOUT_MS;
    if (expires < now) {
      expired.push(pod);
      continue;
    }
    if (recheck === undefined || expires < recheck) recheck = expires;
    map[pod.metadata!.name!] = at;
  }
  return { map, recheck, expired };
}

function countHealthy(pods: KObject[], disrupted: Record<string, string>, now: number): number {
  let n = 0;
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp) continue;
    const at = disrupted[pod.metadata!.name!];
    if (at !== undefined && Date.parse(at) + DELETION_TIMEOUT_MS > now) continue;
    if (isPodReady(pod)) n++;
  }
  return n;
}

function conditionsUpToDate(pdb: KObject): boolean {
  const st = pdb.status ?? {};
  const cond = (st.conditions ?? []).find((c: any) => c.type === 'DisruptionAllowed');
  if (!cond) return false;
  if ((st.observedGeneration ?? 0) !== (pdb.metadata?.generation ?? 0)) return false;
  if ((st.disruptionsAllowed ?? 0) > 0) return cond.status === 'True' && cond.reason === 'SufficientPods';
  return cond.status === 'False' && cond.reason === 'InsufficientPods';
}

const sameMap = (a: Record<string, string> | undefined, b: Record<string, string>) =>
  JSON.stringify(Object.entries(a ?? {}).sort()) === JSON.stringify(Object.entries(b).sort());

/** trySync for one PDB; returns whether it wrote. */
async function syncPdb(x: Ctx, pdb: KObject, pods: KObject[]): Promise<boolean> {
  const c = x.c;
  const now = c.now();
  if (pods.length === 0) await c.event(pdb, 'Normal', 'NoPods', 'No matching pods found', { component: EVENT_SOURCE });
  let counts: { expected: number; desired: number; unmanaged: string[] };
  try {
    counts = await expectedPodCount(x, pdb, pods);
  } catch (e) {
    const msg = (e as Error).message;
    await c.event(pdb, 'Warning', 'CalculateExpectedPodCountFailed', `Failed to calculate the number of expected pods: ${msg}`, { component: EVENT_SOURCE });
    return failSafe(c, pdb, msg);
  }
  if (counts.unmanaged.length) {
    await c.event(pdb, 'Warning', 'UnmanagedPods', `Pods selected by this PodDisruptionBudget (selector: ${selectorText(pdb.spec?.selector)}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.`, { component: EVENT_SOURCE });
  }
  const { map, recheck, expired } = disruptedPodMap(pdb, pods, now);
  for (const pod of expired) {
    // The real controller names the PDB's namespace twice here; users see exactly that.
    await c.event(pod, 'Warning', 'NotDeleted', `Pod was expected by PDB ${pdb.metadata!.namespace}/${pdb.metadata!.namespace} to be deleted but it wasn't`, { component: EVENT_SOURCE });
  }
  if (recheck !== undefined) c.wakeAt(recheck + 1, 'work', keyOf(pdb));
  const healthy = countHealthy(pods, map, now);
  let allowed = healthy - counts.desired;
  if (counts.expected <= 0 || allowed <= 0) allowed = 0;
  const st = pdb.status ?? {};
  const gen = pdb.metadata?.generation ?? 0;
  if (st.currentHealthy === healthy && st.desiredHealthy === counts.desired && st.expectedPods === counts.expected && st.disruptionsAllowed === allowed
    && sameMap(st.disruptedPods, map) && st.observedGeneration === gen && conditionsUpToDate(pdb)) return false;
  const next: KObject = structuredClone(pdb);
  next.status = {
    observedGeneration: gen, disruptedPods: map, disruptionsAllowed: allowed, currentHealthy: healthy,
    desiredHealthy: counts.desired, expectedPods: counts.expected, conditions: structuredClone(st.conditions ?? []),
  };
  setDisruptionAllowedCondition(next.status, now);
  reorderStatus(next);
  c.trace('sync', `PodDisruptionBudget ${keyOf(pdb)}`, `expectedPods ${counts.expected}, currentHealthy ${healthy}, desiredHealthy ${counts.desired}: disruptionsAllowed ${allowed}`);
  return !!(await c.update('poddisruptionbudgets', next, 'status'));
}

/** failSafe: a budget that cannot be computed allows no disruption. */
async function failSafe(c: ComponentClient, pdb: KObject, message: string): Promise<boolean> {
  const next: KObject = structuredClone(pdb);
  const st = (next.status ??= {});
  st.disruptionsAllowed = 0;
  setDisruptionAllowedCondition(st, c.now(), message);
  reorderStatus(next);
  if (JSON.stringify(next.status) === JSON.stringify(pdb.status)) return false;
  c.trace('sync failed', `PodDisruptionBudget ${keyOf(pdb)}`, message);
  return !!(await c.update('poddisruptionbudgets', next, 'status'));
}

/** a *metav1.LabelSelector as %v prints it (its generated String method), for the UnmanagedPods event */
function selectorText(sel: any): string {
  const labels = Object.entries(sel?.matchLabels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}: ${v},`).join('');
  const exprs = (sel?.matchExpressions ?? []).map((e: any) => `LabelSelectorRequirement{Key:${e.key},Operator:${e.operator},Values:[${(e.values ?? []).join(' ')}],},`).join('');
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{${exprs}},}`;
}

export const disruptionController: Component = {
  name: COMPONENT,
  watches: ['poddisruptionbudgets', 'pods'],
  async reconcile(c) {
    const all = await c.list('poddisruptionbudgets');
    if (all.length === 0) return false;
    const dirty = dirtyPdbs(c, all);
    if (dirty.length === 0) return false;
    const byNs = await indexOf(c, 'pods', 'disruption:pods-by-namespace', (p) => p.metadata?.namespace);
    const x: Ctx = { c };
    let changed = false;
    for (const pdb of dirty) {
      const pods = byNs.get(pdb.metadata!.namespace!).filter((p) => selects(pdb, p));
      if (await syncPdb(x, pdb, pods)) changed = true;
    }
    return changed;
  },
};
