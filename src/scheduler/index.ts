// kube-scheduler: takes the pods that have no node yet, in queue order (priority, then age), runs
// the framework's cycle for each, and binds the pod through the pods/binding subresource. A pod
// that fits nowhere gets kube-scheduler's FailedScheduling event and PodScheduled=False condition;
// it is tried again when the cluster changes in a way that could help (a node's labels, taints,
// allocatable or cordon, a pod that stops holding resources, the pod itself; for a pod VolumeBinding
// turned away, a claim, volume or class), and at the latest every 5 minutes, as the unschedulable
// queue is flushed.
//
// The binding cycle: a pod whose PreBind has work under way (VolumeBinding waiting for its claims to
// be provisioned and bound) is "assumed" on its node: it holds the node's room in the scheduler's
// view, is kept in the scheduler's state, and is bound only once PreBind is done. Meanwhile it has
// no event and no PodScheduled condition, as with the real scheduler; a PreBind that fails (the
// 10-minute bind timeout) gives FailedScheduling and PodScheduled=False/SchedulerError, and the pod
// is tried again after a short backoff.
import type { KObject } from '../apiserver/types.js';
import { rfc3339 } from '../cluster/clock.js';
import { SCHEDULER, type Component, type ComponentClient } from '../controllers/component.js';
import { newSnapshot, runPreBind, schedulePod, type CycleResult, type FilterResult } from './framework.js';
import { defaultPreemption } from './preemption.js';
import { DEFAULT_PROFILE, DEFAULT_SCHEDULER_NAME } from './profile.js';
import { addPod, holdsResources, newNodeInfo, podInfo } from './resources.js';
import type { PodInfo, Profile, Snapshot, SpreadSources, Status } from './types.js';
import { gatedMessage, needsGatedCondition, SCHEDULING_GATED, SCHEDULING_GATED_MESSAGE } from './plugins/scheduling-gates.js';
import { listVolumes } from './plugins/volume-binding.js';
import { podClaimNames } from '../controllers/persistentvolume/util.js';

/** podMaxInUnschedulablePodsDuration: an unschedulable pod is retried at least this often */
export const UNSCHEDULABLE_RETRY_MS = 5 * 60_000;
/** podInitialBackoffSeconds and podMaxBackoffSeconds: a pod whose binding cycle failed waits this long, doubling */
export const INITIAL_BACKOFF_MS = 1000;
export const MAX_BACKOFF_MS = 10_000;
const VOLUME_BINDING = 'VolumeBinding';
const STATE_KEY = 'scheduler';
/** the name on the scheduler's trace records */
const TRACE_COMPONENT = 'kube-scheduler';
const CONTROL_PLANE_LABEL = 'node-role.kubernetes.io/control-plane';

interface FailedAttempt {
  /** the cluster epoch the attempt saw */
  epoch: number;
  /** the pod's resourceVersion after the attempt (its own status write included) */
  rv: string;
  at: number;
  /** VolumeBinding turned it away: a change to claims, volumes or classes gives it another try */
  volumes?: boolean;
  /** InterPodAffinity or PodTopologySpread turned it away: a pod bound or relabelled gives it another try */
  pods?: boolean;
  /** the storage epoch the attempt saw */
  storageEpoch?: number;
  /** a binding-cycle error: retried after this backoff (not the unschedulable queue's 5 minutes) */
  retryMs?: number;
  /** consecutive binding-cycle errors (the backoff doubles with each) */
  errors?: number;
}

/** A pod in its binding cycle: assumed on node, waiting for PreBind. */
interface Assumed {
  node: string;
  /** when the binding cycle began */
  since: number;
  /** each PreBind plugin's state, by plugin name */
  plugins: Record<string, Record<string, any>>;
}

interface SchedulerState {
  /** nextStartNodeIndex: where the next cycle starts looking */
  nextStart: number;
  /** digest of what scheduling depends on, as of the end of the last reconcile */
  digest: string;
  /** bumped whenever the digest changes: unschedulable pods of older epochs are retried */
  epoch: number;
  failed: Record<string, FailedAttempt>;
  /** digest of the claims, volumes and classes, and its epoch (pods VolumeBinding turned away) */
  storageDigest?: string;
  storageEpoch?: number;
  /** pods in their binding cycle, by uid */
  assumed?: Record<string, Assumed>;
}

/** Pods this scheduler is responsible for: unassigned, alive, ungated, ours. */
export function wantsScheduling(pod: KObject, schedulerName = DEFAULT_SCHEDULER_NAME): boolean {
  const spec = pod.spec ?? {};
  if (spec.nodeName || pod.metadata?.deletionTimestamp) return false;
  if ((spec.schedulerName ?? DEFAULT_SCHEDULER_NAME) !== schedulerName) return false;
  if (spec.schedulingGates?.length) return false;
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed';
}

/** the scheduling queue's order (PrioritySort): higher priority first, then the older pod */
export function queueOrder(a: KObject, b: KObject): number {
  const pa = a.spec?.priority ?? 0;
  const pb = b.spec?.priority ?? 0;
  if (pa !== pb) return pb - pa;
  const ta = a.metadata?.creationTimestamp ?? '';
  const tb = b.metadata?.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  const ka = `${a.metadata?.namespace}/${a.metadata?.name}`;
  const kb = `${b.metadata?.namespace}/${b.metadata?.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

// ---- the cluster digest: what a retry depends on ----

/** FNV-1a, 32 bits */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const nodeHashes = new WeakMap<KObject, number>();
/** only what filters look at: heartbeats and image lists do not make a pod schedulable */
function nodeHash(node: KObject): number {
  let h = nodeHashes.get(node);
  if (h === undefined) {
    h = hash32(JSON.stringify([node.metadata?.name, node.metadata?.labels, node.spec?.taints, node.spec?.unschedulable, node.status?.allocatable]));
    nodeHashes.set(node, h);
  }
  return h;
}

class Digest {
  nodes = 0;
  nodeCount = 0;
  pods = 0;
  podCount = 0;
  addNode(n: KObject): void {
    this.nodes = (this.nodes ^ nodeHash(n)) >>> 0;
    this.nodeCount++;
  }
  addPod(p: KObject): void {
    // labels count: affinity and topology spread match them
    const labels = p.metadata?.labels;
    this.pods = (this.pods ^ hash32(labels ? `${p.metadata?.uid}${JSON.stringify(labels)}` : p.metadata?.uid ?? '')) >>> 0;
    this.podCount++;
  }
  toString(): string {
    return `${this.nodeCount}:${this.nodes.toString(16)}:${this.podCount}:${this.pods.toString(16)}`;
  }
}

const objectHashes = new WeakMap<KObject, number>();
function objectHash(o: KObject): number {
  let h = objectHashes.get(o);
  if (h === undefined) {
    h = hash32(`${o.metadata?.uid}/${o.metadata?.resourceVersion}`);
    objectHashes.set(o, h);
  }
  return h;
}

/** every version of every claim, volume and class: any change may let a pod VolumeBinding refused through */
async function storageDigest(c: ComponentClient): Promise<string> {
  const parts: string[] = [];
  for (const r of STORAGE_RESOURCES) {
    const items = await c.list(r);
    let h = 0;
    for (const o of items) h = (h ^ objectHash(o)) >>> 0;
    parts.push(`${items.length}:${h.toString(16)}`);
  }
  return parts.join(':');
}

const STORAGE_RESOURCES = ['persistentvolumeclaims', 'persistentvolumes', 'storageclasses'];
const STORAGE_PREFIXES = new Set(['persistentvolumeclaims', 'persistentvolumes', 'storage.k8s.io/storageclasses']);

// ---- the component ----

/** The name kube-scheduler reports its events with: default-scheduler-<its host>. */
function reportingInstance(c: ComponentClient, nodes: KObject[]): string {
  const host = nodes.find((n) => n.metadata?.labels?.[CONTROL_PLANE_LABEL] !== undefined)?.metadata?.name
    ?? c.config?.nodes.find((m) => m.role === 'control-plane')?.name
    ?? nodes[0]?.metadata?.name;
  return host ? `${DEFAULT_SCHEDULER_NAME}-${host}` : DEFAULT_SCHEDULER_NAME;
}

function podRef(pod: KObject): string {
  return `pod/${pod.metadata?.namespace}/${pod.metadata?.name}`;
}

/** "4 nodes: 3 fit, 1 node(s) had untolerated taint {...}" */
export function filterSummary(total: number, f: FilterResult): string {
  const counts = new Map<string, number>();
  for (const s of f.statuses.values()) for (const r of s.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  const parts = [`${f.feasible.length} fit`, ...[...counts].sort((a, b) => b[1] - a[1]).map(([r, n]) => `${n} ${r}`)];
  const checked = f.processed < total ? `, ${f.processed} checked` : '';
  return `${total} node${total === 1 ? '' : 's'}${checked}: ${parts.join(', ')}`;
}

/** "w2=287 w1=285 ... (+3 more)", best first */
export function scoreSummary(scores: { node: string; total: number }[], top = 5): string {
  const sorted = [...scores].sort((a, b) => b.total - a.total || (a.node < b.node ? -1 : 1));
  const shown = sorted.slice(0, top).map((s) => `${s.node}=${s.total}`).join(' ');
  return sorted.length > top ? `${shown} (+${sorted.length - top} more)` : shown;
}

/**
 * Whether what changed since the last run can matter to scheduling (the real scheduler's queue
 * reacts to the same events): a pod to place, a node that changed, or, while some pod waits as
 * unschedulable, a pod that stopped holding resources. A pod merely starting up does not.
 */
function worthALook(c: ComponentClient, st: SchedulerState, schedulerName: string): boolean {
  const changes = c.cause.changes;
  if (!changes || c.cause.dueKeys.size) return true;
  const waiting = Object.keys(st.failed).length > 0;
  const assumed = st.assumed ?? {};
  const inBinding = Object.keys(assumed).length > 0;
  // VolumeBinding's queueing hints: claims, volumes and classes matter to the pods it turned away
  // and to those whose PreBind waits for their claims
  const onStorage = inBinding || Object.values(st.failed).some((f) => f.volumes);
  // InterPodAffinity's and PodTopologySpread's hints: a pod that lands on a node (or is relabelled there)
  const onPods = Object.values(st.failed).some((f) => f.pods);
  for (const e of changes) {
    if (e.prefix === 'nodes') return true;
    if (STORAGE_PREFIXES.has(e.prefix)) {
      if (onStorage) return true;
      continue;
    }
    if (e.prefix !== 'pods') continue;
    if (e.type !== 'DELETED' && (wantsScheduling(e.object, schedulerName) || needsGatedCondition(e.object))) return true;
    if (waiting && (e.type === 'DELETED' || e.object.metadata?.deletionTimestamp || !holdsResources(e.object))) return true;
    if (inBinding && assumed[e.object.metadata?.uid ?? '']) return true;
    if (onPods && e.object.spec?.nodeName) return true;
  }
  return false;
}

/** whether one of the plugins had a say in a failed cycle */
function refusedBy(result: Extract<CycleResult, { ok: false }>, plugins: readonly string[]): boolean {
  const f = result.filter;
  if (!f) return false;
  if (f.preFilterStatus) return plugins.includes(f.preFilterStatus.plugin ?? '');
  for (const s of f.statuses.values() as Iterable<Status>) if (plugins.includes(s.plugin ?? '')) return true;
  return false;
}

const POD_PLUGINS = ['InterPodAffinity', 'PodTopologySpread'];

export function createScheduler(profile: Profile = DEFAULT_PROFILE): Component {
  const postFilter = defaultPreemption(profile);
  return {
    name: profile.schedulerName,
    watches: ['pods', 'nodes', ...STORAGE_RESOURCES],
    async reconcile(c0: ComponentClient): Promise<boolean> {
      const c = c0.as(SCHEDULER, TRACE_COMPONENT);
      const st = c.state<SchedulerState>(STATE_KEY, () => ({ nextStart: 0, digest: '', epoch: 0, failed: {} }));
      if (!worthALook(c0, st, profile.schedulerName)) return false;
      const assumed = (st.assumed ??= {});
      const pods = await c.list('pods');
      const gatedChanged = await markGated(c, pods, profile.schedulerName);
      const pending = pods.filter((p) => wantsScheduling(p, profile.schedulerName));
      const pendingByUid = new Map(pending.map((p) => [p.metadata!.uid!, p]));
      let stateChanged = false;
      // ForgetPod: an assumed pod that was deleted (or bound by someone else) leaves the binding cycle
      for (const uid of Object.keys(assumed)) {
        if (!pendingByUid.has(uid)) {
          delete assumed[uid];
          stateChanged = true;
        }
      }
      if (pending.length === 0) {
        if (Object.keys(st.failed).length) {
          st.failed = {};
          stateChanged = true;
        }
        if (stateChanged) c.touch();
        return gatedChanged;
      }

      // What scheduling depends on: when it changed, every unschedulable pod gets another try.
      const nodes = await c.list('nodes');
      const digest = new Digest();
      for (const n of nodes) digest.addNode(n);
      for (const p of pods) if (holdsResources(p)) digest.addPod(p);
      if (digest.toString() !== st.digest) {
        st.epoch++;
        st.digest = digest.toString();
        stateChanged = true;
      }
      const now = c.now();
      for (const uid of Object.keys(st.failed)) {
        if (!pendingByUid.has(uid)) {
          delete st.failed[uid];
          stateChanged = true;
        }
      }
      // VolumeBinding's queueing hints: a pod it refused is tried again once a claim, volume or class changed.
      if (Object.values(st.failed).some((f) => f.volumes)) {
        const sd = await storageDigest(c);
        if (sd !== st.storageDigest) {
          st.storageDigest = sd;
          st.storageEpoch = (st.storageEpoch ?? 0) + 1;
          stateChanged = true;
        }
      }
      const waiting = (pod: KObject): boolean => {
        const uid = pod.metadata!.uid!;
        const last = st.failed[uid];
        if (!last) return false;
        if (last.volumes && last.storageEpoch !== (st.storageEpoch ?? 0)) return false;
        const retry = last.retryMs ?? UNSCHEDULABLE_RETRY_MS;
        if (last.epoch !== st.epoch || last.rv !== pod.metadata!.resourceVersion || now >= last.at + retry) return false;
        c.wakeAt(last.at + retry, last.retryMs ? 'work' : 'background', uid);
        return true;
      };
      const instance = reportingInstance(c, nodes);
      let changed = false;
      let volumeRefusal = false;
      let podsLanded = false;
      const fail = async (pod: KObject, result: Extract<CycleResult, { ok: false }>, reason: string, prior?: FailedAttempt) => {
        const uid = pod.metadata!.uid!;
        const rv = await recordFailure(c, pod, result, nodes.length, instance, reason);
        const attempt: FailedAttempt = { epoch: st.epoch, rv: rv ?? pod.metadata!.resourceVersion!, at: now };
        if (reason === SCHEDULER_ERROR) {
          attempt.errors = (prior?.errors ?? 0) + 1;
          attempt.retryMs = Math.min(INITIAL_BACKOFF_MS * 2 ** (attempt.errors - 1), MAX_BACKOFF_MS);
          c.wakeAt(now + attempt.retryMs, 'work', uid);
        } else {
          c.wakeAt(now + UNSCHEDULABLE_RETRY_MS, 'background');
          if (refusedBy(result, POD_PLUGINS)) attempt.pods = true;
          if (refusedBy(result, [VOLUME_BINDING])) {
            attempt.volumes = true;
            attempt.storageEpoch = st.storageEpoch ?? 0;
            volumeRefusal = true;
          }
        }
        st.failed[uid] = attempt;
        changed = true;
      };

      // The binding cycles under way: PreBind again for each assumed pod; bound once it is done.
      // the pods whose binding cycle ran now, done or failed: not scheduled again in this pass
      const cycled = new Set<string>();
      for (const [uid, a] of Object.entries(assumed)) {
        const pod = pendingByUid.get(uid)!;
        const outcome = await bindingCycle(c, profile, pod, a, now);
        stateChanged = true;
        if (outcome === 'wait') continue;
        delete assumed[uid];
        cycled.add(uid);
        if (outcome === 'done') {
          if (await bind(c, pod, a.node, '(volumes bound)', instance)) {
            digest.addPod(pod);
            changed = true;
          }
          delete st.failed[uid];
        } else {
          await fail(pod, { ok: false, message: outcome.error, nextStart: st.nextStart }, SCHEDULER_ERROR, st.failed[uid]);
        }
      }

      const queue = pending.filter((p) => !assumed[p.metadata!.uid!] && !cycled.has(p.metadata!.uid!) && !waiting(p));
      if (queue.length === 0) {
        if (volumeRefusal) st.storageDigest = await storageDigest(c);
        st.digest = digest.toString();
        if (stateChanged || changed) c.touch();
        return changed || gatedChanged;
      }

      // The snapshot: every node with the pods that hold its resources, indexed once; assumed pods
      // hold their node's room too (the scheduler cache's assumed pods).
      const snapshot: Snapshot = newSnapshot(nodes.map(newNodeInfo), await spreadSources(c));
      for (const p of pods) {
        if (!holdsResources(p) && !assumed[p.metadata!.uid!]) continue;
        const ni = snapshot.byName.get(p.spec?.nodeName || assumed[p.metadata!.uid!]?.node);
        if (ni) addPod(ni, podInfo(p));
      }
      snapshot.namespaceLabels = new Map((await c.list('namespaces')).map((n) => [n.metadata!.name!, n.metadata?.labels ?? {}]));
      snapshot.pdbs = await c.list('poddisruptionbudgets');
      if (queue.some((p) => podClaimNames(p).length > 0)) snapshot.volumes = await listVolumes(c);
      // pods nominated by an earlier preemption keep their room (the nominator's view)
      const nominated = new Map<string, PodInfo[]>();
      for (const p of pending) {
        const nom = p.status?.nominatedNodeName;
        if (!nom) continue;
        let list = nominated.get(nom);
        if (!list) nominated.set(nom, (list = []));
        list.push(podInfo(p));
      }
      snapshot.nominated = nominated;
      queue.sort(queueOrder);
      for (const pod of queue) {
        const uid = pod.metadata!.uid!;
        const pi = podInfo(pod);
        const result = schedulePod(snapshot, profile, pi, { rng: c.rng, start: st.nextStart, postFilter });
        st.nextStart = result.nextStart;
        stateChanged = true;
        if (result.ok) {
          traceCycle(c, pod, result, nodes.length);
          const a: Assumed = { node: result.node, since: now, plugins: {} };
          const outcome = await bindingCycle(c, profile, pod, a, now);
          removeNominated(nominated, pod);
          if (outcome === 'done') {
            if (await bind(c, pod, result.node, result.scores ? '' : '(the only feasible node)', instance)) {
              snapshot.addPod(result.node, pi);
              digest.addPod(pod);
              changed = true;
              // AssignedPodAdd: pods affinity or spread turned away may fit beside this one
              if (!podsLanded && Object.values(st.failed).some((f) => f.pods)) podsLanded = true;
            }
            delete st.failed[uid];
          } else if (outcome === 'wait') {
            // AssumePod: the node's room is the pod's while PreBind works
            assumed[uid] = a;
            snapshot.addPod(result.node, pi);
            delete st.failed[uid];
            changed = true;
          } else {
            await fail(pod, { ok: false, message: outcome.error, nextStart: result.nextStart }, SCHEDULER_ERROR, st.failed[uid]);
          }
        } else {
          const post = result.postFilter;
          if (post?.nominatedNode && post.victims?.length) {
            await preempt(c, pod, post.nominatedNode, post.victims, instance);
            removeNominated(nominated, pod);
            let list = nominated.get(post.nominatedNode);
            if (!list) nominated.set(post.nominatedNode, (list = []));
            list.push(pi);
          } else if (post?.clearNomination) removeNominated(nominated, pod);
          await fail(pod, result, UNSCHEDULABLE);
        }
      }
      // what the pods refused by VolumeBinding saw: only a later change gives them another try
      if (volumeRefusal) st.storageDigest = await storageDigest(c);
      st.digest = digest.toString();
      if (podsLanded) st.epoch++;
      if (stateChanged) c.touch();
      return changed;
    },
  };
}

/**
 * One run of a pod's binding cycle: PreBind (again), then 'done' (go on to Bind), 'wait' (stays
 * assumed; the wake-ups PreBind asked for are set) or the error that ends the cycle.
 */
async function bindingCycle(c: ComponentClient, profile: Profile, pod: KObject, a: Assumed, now: number): Promise<'done' | 'wait' | { error: string }> {
  const uid = pod.metadata!.uid!;
  const first = now === a.since && Object.keys(a.plugins).length === 0;
  const r = await runPreBind(profile, podInfo(pod), a.node, { client: c, now, since: a.since }, a.plugins);
  if (!r) return 'done';
  if (r.code === 'Error') {
    c.trace('PreBindFailed', podRef(pod), r.message);
    return { error: r.message };
  }
  if (r.retryAt !== undefined) c.wakeAt(r.retryAt, 'work', `prebind/${uid}`);
  if (r.deadline !== undefined) c.wakeAt(r.deadline, 'background', `prebind-deadline/${uid}`);
  if (first) c.trace('Assume', podRef(pod), `on ${a.node}, bound once PreBind is done: ${r.reason}`);
  return 'wait';
}

/** the Filter and Score records of a cycle that found a node */
function traceCycle(c: ComponentClient, pod: KObject, result: Extract<CycleResult, { ok: true }>, total: number): void {
  const ref = podRef(pod);
  c.trace('Filter', ref, filterSummary(total, result.filter));
  if (result.scores) c.trace('Score', ref, scoreSummary(result.scores));
}

/** What PodTopologySpread's default constraints group pods by: Services and controllers. */
async function spreadSources(c: ComponentClient): Promise<SpreadSources> {
  const services = new Map<string, KObject[]>();
  for (const svc of await c.list('services')) {
    const ns = svc.metadata?.namespace ?? '';
    let list = services.get(ns);
    if (!list) services.set(ns, (list = []));
    list.push(svc);
  }
  const controllers = new Map<string, KObject>();
  for (const [resource, kind] of [['replicasets', 'ReplicaSet'], ['replicationcontrollers', 'ReplicationController'], ['statefulsets', 'StatefulSet']]) {
    for (const o of await c.list(resource)) controllers.set(`${kind}/${o.metadata?.namespace}/${o.metadata?.name}`, o);
  }
  return { services, controllers };
}

async function bind(c: ComponentClient, pod: KObject, node: string, note: string, instance: string): Promise<boolean> {
  const { namespace, name } = pod.metadata!;
  const bound = await c.write({
    verb: 'create', resource: 'pods', namespace, name, subresource: 'binding',
    body: { apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace, uid: pod.metadata!.uid }, target: { apiVersion: 'v1', kind: 'Node', name: node } },
  });
  // 409: someone assigned it first; 404: it is gone. Either way there is nothing to do.
  if (!bound) return false;
  c.trace('Bind', podRef(pod), `→ ${node}${note ? ` ${note}` : ''}`);
  await markScheduled(c, namespace!, name!);
  await emit(c, pod, 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${name} to ${node}`, 'Binding', instance);
  return true;
}

/**
 * A real apiserver sets PodScheduled=True when it stores a binding; minikctl's binding only sets
 * nodeName, so the scheduler completes it through pods/status (skipped once the apiserver does it).
 */
async function markScheduled(c: ComponentClient, namespace: string, name: string): Promise<void> {
  const stored = await c.get('pods', namespace, name);
  if (!stored) return;
  const conditions: any[] = stored.status?.conditions ?? [];
  const cur = conditions.find((x) => x.type === 'PodScheduled');
  if (cur?.status === 'True') return;
  const next = structuredClone(stored);
  const cond = { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(c.now()) };
  next.status = { ...(next.status ?? {}), conditions: [...conditions.filter((x) => x.type !== 'PodScheduled'), cond] };
  await c.update('pods', next, 'status');
}

/** FailedScheduling, and the pod's PodScheduled=False condition with the same message. Returns the pod's new resourceVersion. */
const UNSCHEDULABLE = 'Unschedulable';
/** v1.PodReasonSchedulerError: the cycle failed for another reason than a fit (a PreBind error) */
const SCHEDULER_ERROR = 'SchedulerError';

async function recordFailure(c: ComponentClient, pod: KObject, result: Extract<CycleResult, { ok: false }>, total: number, instance: string, reason = UNSCHEDULABLE): Promise<string | undefined> {
  const ref = podRef(pod);
  if (result.filter) c.trace('Filter', ref, filterSummary(total, result.filter));
  c.trace(reason, ref, result.message);
  let rv: string | undefined;
  const conditions: any[] = pod.status?.conditions ?? [];
  const cur = conditions.find((x) => x.type === 'PodScheduled');
  // the nomination goes with the condition, in one status write, as handleSchedulingFailure does
  const oldNom: string | undefined = pod.status?.nominatedNodeName;
  const nom = result.postFilter?.nominatedNode ?? (result.postFilter?.clearNomination ? undefined : oldNom);
  if (!(cur?.status === 'False' && cur.reason === reason && cur.message === result.message) || nom !== oldNom) {
    const next = structuredClone(pod);
    const cond = {
      type: 'PodScheduled', status: 'False', lastProbeTime: null,
      lastTransitionTime: cur?.status === 'False' ? cur.lastTransitionTime : rfc3339(c.now()),
      reason, message: result.message,
    };
    next.status = { ...(next.status ?? {}), conditions: cur ? conditions.map((x) => (x.type === 'PodScheduled' ? cond : x)) : [...conditions, cond] };
    if (!next.status.phase) next.status.phase = 'Pending';
    if (nom) next.status.nominatedNodeName = nom;
    else delete next.status.nominatedNodeName;
    const updated = await c.update('pods', next, 'status');
    rv = updated?.metadata?.resourceVersion;
  }
  await emit(c, pod, 'Warning', 'FailedScheduling', result.message, 'Scheduling', instance);
  return rv;
}

/**
 * prepareCandidate: each victim gets the DisruptionTarget condition (so that its controller and
 * kubectl can tell why it went), is deleted with its grace period, and gets the Preempted event.
 * The preemptor waits for them to terminate; its nomination keeps their room for it meanwhile.
 */
async function preempt(c: ComponentClient, preemptor: KObject, node: string, victims: KObject[], instance: string): Promise<void> {
  const schedulerName = preemptor.spec?.schedulerName ?? DEFAULT_SCHEDULER_NAME;
  c.trace('Preempt', podRef(preemptor), `on ${node}: evicting ${victims.map((v) => `${v.metadata?.namespace}/${v.metadata?.name}`).join(', ')}`);
  for (const v of victims) {
    const { namespace, name } = v.metadata!;
    const stored = await c.get('pods', namespace, name!);
    if (!stored || stored.metadata?.uid !== v.metadata?.uid) continue;
    const conditions: any[] = stored.status?.conditions ?? [];
    const cond = {
      type: 'DisruptionTarget', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(c.now()),
      reason: 'PreemptionByScheduler', message: `${schedulerName}: preempting to accommodate a higher priority pod`,
    };
    const cur = conditions.find((x) => x.type === 'DisruptionTarget');
    if (!(cur?.status === 'True' && cur.reason === cond.reason && cur.message === cond.message)) {
      const next = structuredClone(stored);
      next.status = { ...(next.status ?? {}), conditions: [...conditions.filter((x) => x.type !== 'DisruptionTarget'), cond] };
      await c.update('pods', next, 'status');
    }
    if (!stored.metadata?.deletionTimestamp) await c.delete('pods', namespace, name!);
    await emit(c, stored, 'Normal', 'Preempted', `Preempted by pod ${preemptor.metadata?.uid} on node ${node}`, 'Preempting', instance);
  }
}

function removeNominated(nominated: Map<string, PodInfo[]>, pod: KObject): void {
  const node = pod.status?.nominatedNodeName;
  const list = node ? nominated.get(node) : undefined;
  if (!list) return;
  const uid = pod.metadata?.uid;
  const i = list.findIndex((p) => p.pod.metadata?.uid === uid);
  if (i >= 0) list.splice(i, 1);
}

/**
 * A gated pod's PodScheduled=False/SchedulingGated condition. The apiserver sets it when such a pod
 * is created (pod strategy PrepareForCreate); minikctl's does not yet, so the scheduler fills it in
 * for a gated pod that has no PodScheduled condition at all. Returns whether it wrote any.
 */
async function markGated(c: ComponentClient, pods: KObject[], schedulerName: string): Promise<boolean> {
  let changed = false;
  for (const pod of pods) {
    if ((pod.spec?.schedulerName ?? DEFAULT_SCHEDULER_NAME) !== schedulerName || !needsGatedCondition(pod)) continue;
    const next = structuredClone(pod);
    const cond = { type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: rfc3339(c.now()), reason: SCHEDULING_GATED, message: SCHEDULING_GATED_MESSAGE };
    next.status = { ...(next.status ?? {}), conditions: [...(next.status?.conditions ?? []), cond] };
    if (!next.status.phase) next.status.phase = 'Pending';
    if (await c.update('pods', next, 'status')) {
      c.trace('Gated', podRef(pod), gatedMessage(pod));
      changed = true;
    }
  }
  return changed;
}

/** Events are best effort, as a recorder's are: a namespace that is going away refuses them. */
async function emit(c: ComponentClient, pod: KObject, type: 'Normal' | 'Warning', reason: string, message: string, action: string, instance: string): Promise<void> {
  try {
    await c.event(pod, type, reason, message, { component: DEFAULT_SCHEDULER_NAME, action, reportingInstance: instance });
  } catch {
    c.trace('EventDropped', podRef(pod), `${reason}: the apiserver refused the event`);
  }
}

export const scheduler: Component = createScheduler();
