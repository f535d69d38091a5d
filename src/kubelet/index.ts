// Every machine's kubelet, run as one component: each acts with its own identity
// (system:node:<name>) on the pods bound to its node. Pods are grouped by spec.nodeName once per
// reconcile, and a pod whose worker has nothing due costs a lookup, so a settle over thousands of
// pods and nodes stays cheap.
import { indexOf } from '../controllers/informer.js';
import type { KObject } from '../apiserver/types.js';
import type { ClusterConfig, MachineSpec } from '../cluster/config.js';
import { nodeUser, type Component, type ComponentClient } from '../controllers/component.js';
import { preloadedImages } from './catalogue.js';
import { newIpamState, release, type IpamState } from './cni/ipam.js';
import { newPullerState, type PullerState } from './images.js';
import { newNode, syncLease, syncNodeStatus } from './node.js';
import { newPodRec, podKey, rebootPod, syncPod, type NodeContext, type PodRec } from './pod-worker.js';
import { sandboxDelayMs } from './runtime.js';
import { mirrorPod, staticPods } from './static-pods.js';

/** What a kubelet keeps on its machine: IPAM files, the image store, the runtime's containers. */
export interface KubeletState {
  ipam: IpamState;
  puller: PullerState;
  pods: Record<string, PodRec>;
  /** the machine was started again after a stop (a reboot): the kubelet's first run handles it */
  rebooted?: boolean;
}

export function kubeletStateKey(node: string): string {
  return `kubelet/${node}`;
}

const MIRROR = 'kubernetes.io/config.mirror';

/** RFC 3339 with nanoseconds, as config.seen records it */
function rfc3339Nano(c: ComponentClient, ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, `${String(c.rng.intn(1_000_000)).padStart(6, '0')}Z`);
}

async function syncStaticPods(c: ComponentClient, m: MachineSpec, cfg: ClusterConfig, node: KObject, onNode: KObject[], now: number): Promise<boolean> {
  const wanted = staticPods(m, cfg);
  if (!wanted.length) return false;
  let changed = false;
  const byName = new Map(onNode.filter((p) => p.metadata!.namespace === 'kube-system').map((p) => [p.metadata!.name!, p]));
  for (const pod of wanted) {
    const existing = byName.get(pod.metadata!.name!);
    if (!existing) {
      await c.create('pods', 'kube-system', mirrorPod(pod, node, rfc3339Nano(c, now)));
      c.trace('mirror', `pod/kube-system/${pod.metadata!.name}`, 'static pod from /etc/kubernetes/manifests; created its mirror pod');
      changed = true;
    } else if (existing.metadata?.annotations?.[MIRROR] && existing.metadata.deletionTimestamp) {
      // Deleting a mirror pod does not stop the static pod: the kubelet removes it and posts it again.
      await c.delete('pods', 'kube-system', existing.metadata.name!, { gracePeriodSeconds: 0 });
      changed = true;
    }
  }
  return changed;
}

/**
 * A kubelet starting on a machine that rebooted: "Starting kubelet.", a new boot ID in the node's
 * status and the Rebooted warning, and every pod's containers gone with their sandbox: each pod
 * is told its sandbox changed and is brought back (restarts count up, last state Unknown/255).
 */
async function reboot(c: ComponentClient, name: string, node: KObject, st: KubeletState, onNode: KObject[], now: number): Promise<void> {
  st.rebooted = undefined;
  const ref: KObject = { kind: 'Node', metadata: { name, uid: name } };
  await c.event(ref, 'Normal', 'Starting', 'Starting kubelet.', { component: 'kubelet', host: name });
  const bootID = c.rng.uuid();
  const body = structuredClone(node);
  ((body.status ??= {}).nodeInfo ??= {}).bootID = bootID;
  await c.write({ verb: 'update', resource: 'nodes', name, subresource: 'status', fieldManager: 'kubelet', body });
  await c.event(ref, 'Warning', 'Rebooted', `Node ${name} has been rebooted, boot id: ${bootID}`, { component: 'kubelet', host: name });
  const byKey = new Map(onNode.map((p) => [podKey(p), p]));
  for (const [key, rec] of Object.entries(st.pods)) {
    rebootPod(rec, now, now + sandboxDelayMs(c.rng));
    const pod = byKey.get(key);
    if (pod && rec.killAt === undefined && !pod.metadata?.deletionTimestamp) {
      await c.event(pod, 'Normal', 'SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.', { component: 'kubelet', host: name });
    }
  }
  c.trace('reboot', `node/${name}`, `machine rebooted: ${Object.keys(st.pods).length} pod(s) lose their containers and sandboxes`);
  c.touch();
}

async function runKubelet(c: ComponentClient, m: MachineSpec, cfg: ClusterConfig, node: KObject | undefined, lease: KObject | undefined, onNode: KObject[], now: number): Promise<boolean> {
  const st = c.state<KubeletState>(kubeletStateKey(m.name), () => ({ ipam: newIpamState(), puller: newPullerState(preloadedImages()), pods: {} }));
  let changed = false;
  if (!node) {
    node = await c.create('nodes', undefined, newNode(c, m, cfg, st.puller, now));
    c.trace('register', `node/${m.name}`, 'kubelet registered its node');
    c.touch();
    if (!node) return true;
    changed = true;
  }
  if (st.rebooted) {
    await reboot(c, m.name, node, st, onNode, now);
    changed = true;
  }
  if (await syncLease(c, node, lease, now)) changed = true;
  if (await syncStaticPods(c, m, cfg, node, onNode, now)) changed = true;

  const ctx: NodeContext = { c, node: m.name, hostIP: m.ip, podCIDR: node.spec?.podCIDR, ipam: st.ipam, puller: st.puller, imagesChanged: false };
  // A static pod runs from its file whether or not its mirror is in the API at the moment.
  const seen = new Set<string>(staticPods(m, cfg).map((p) => `static/${p.metadata!.namespace}/${p.metadata!.name}`));
  for (const pod of onNode) {
    const md = pod.metadata!;
    const key = podKey(pod);
    seen.add(key);
    if (md.annotations?.[MIRROR] && md.deletionTimestamp) continue;
    let rec = st.pods[key];
    if (!rec) {
      const phase = pod.status?.phase;
      if ((phase === 'Succeeded' || phase === 'Failed') && !md.deletionTimestamp) continue;
      rec = st.pods[key] = newPodRec(pod, now, now + sandboxDelayMs(c.rng));
      c.trace('sync', `pod/${md.namespace}/${md.name}`, 'pod bound to this node: creating its sandbox');
      c.touch();
    }
    if (rec.uid !== md.uid) {
      rec.uid = md.uid!;
      rec.dirty = true;
    }
    const due = rec.dirty || (rec.next !== undefined && rec.next <= now) || (rec.nextBg !== undefined && rec.nextBg <= now) || (!!md.deletionTimestamp && rec.killAt === undefined)
      || (!rec.sandboxReady && rec.next === undefined && !!ctx.podCIDR);
    if (due) {
      if (await syncPod(ctx, pod, rec, now)) changed = true;
      c.touch();
    }
    if (rec.next !== undefined) c.wakeAt(rec.next);
    if (rec.nextBg !== undefined) c.wakeAt(rec.nextBg, 'background');
  }
  // Pods gone from the API: their sandbox is torn down and the IP goes back to the range.
  for (const key of Object.keys(st.pods)) {
    if (seen.has(key)) continue;
    release(st.ipam, key);
    delete st.pods[key];
    c.touch();
  }
  if (await syncNodeStatus(c, node, st.puller, ctx.imagesChanged, now)) changed = true;
  // A machine back from `minikctl node stop`: its kubelet posts its own conditions again (engineer N).
  if (await (await import('../cluster/nodes.js')).resumeNodeStatus(c, m.name, now)) changed = true;
  return changed;
}

/** The nodes a run must look at: those whose pods, Node or Lease changed, or whose timers fell due. */
function dirtyNodes(c: ComponentClient): Set<string> | undefined {
  const changes = c.cause.changes;
  if (!changes) return undefined;
  const out = new Set<string>([...c.cause.dueKeys].map((k) => k.replace(BACKGROUND_KEY, '')));
  for (const e of changes) {
    if (e.prefix === 'pods') {
      const n = e.object.spec?.nodeName;
      if (n) out.add(n);
    } else if (e.prefix === 'nodes') out.add(e.object.metadata!.name!);
    else if (e.prefix === 'coordination.k8s.io/leases' && e.type === 'DELETED') out.add(e.object.metadata!.name!);
  }
  return out;
}

/** a node's keyed wake-up for housekeeping only (failing probes' reports) */
const BACKGROUND_KEY = '#background';

/** the earliest time any pod on the node has work due, and housekeeping due */
function nextTimer(c: ComponentClient, node: string): { work?: number; background?: number } {
  const st: KubeletState | undefined = c.api.store.meta.components?.[kubeletStateKey(node)];
  let work: number | undefined;
  let background: number | undefined;
  for (const rec of Object.values(st?.pods ?? {})) {
    if (rec.next !== undefined && (work === undefined || rec.next < work)) work = rec.next;
    if (rec.nextBg !== undefined && (background === undefined || rec.nextBg < background)) background = rec.nextBg;
  }
  return { work, background };
}

export const kubelets: Component = {
  name: 'kubelet',
  watches: ['pods', 'nodes', 'leases'],
  async reconcile(c: ComponentClient): Promise<boolean> {
    const cfg = c.config;
    const machines = cfg?.nodes.filter((m) => m.running) ?? [];
    if (!cfg || !machines.length) return false;
    const now = c.now();
    // Each kubelet watches its own pods (a field selector on spec.nodeName): an index by node.
    const byNode = await indexOf(c, 'pods', 'pods-by-node', (p) => p.spec?.nodeName || undefined);
    const dirty = dirtyNodes(c);
    let changed = false;
    for (const m of machines) {
      if (dirty && !dirty.has(m.name)) continue;
      const kc = c.as(nodeUser(m.name));
      const node = await c.get('nodes', undefined, m.name);
      const lease = await c.get('leases', 'kube-node-lease', m.name);
      if (await runKubelet(kc, m, cfg, node, lease, byNode.get(m.name), now)) changed = true;
      const t = nextTimer(c, m.name);
      if (t.work !== undefined) c.wakeAt(t.work, 'work', m.name);
      if (t.background !== undefined) c.wakeAt(t.background, 'background', m.name + BACKGROUND_KEY);
    }
    return changed;
  },
};
