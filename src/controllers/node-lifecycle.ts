// kube-controller-manager's node lifecycle controller (pkg/controller/nodelifecycle), as 1.32 runs
// it. It watches each node's heartbeat (its Lease in kube-node-lease and its Ready condition's
// lastHeartbeatTime); when neither moved for node-monitor-grace-period (50s since 1.32; 60s for a
// node that never posted status) it sets Ready, MemoryPressure, DiskPressure and PIDPressure to
// Unknown ("Kubelet stopped posting node status."), reports NodeNotReady on the node and marks the
// node's pods Ready=False. It keeps the node's taints in line with its conditions: the NoSchedule
// condition taints (unreachable, not-ready, the pressures, unschedulable for a cordoned node) at
// once, and the NoExecute unreachable/not-ready taint from the next monitor pass (5s later), at
// most one node per zone every 10s, and none at all while every zone is fully disrupted. The
// taint eviction controller (taint-eviction.ts) does the evicting.
//
// A machine of the cluster that is running has a kubelet that renews its Lease every 10s; the
// simulation does not write those renewals while nothing else happens, so a running machine counts
// as heartbeating. A stopped machine (`minikctl node stop`) and a Node no machine backs have only
// the heartbeats they left: the controller asks to be woken when those go stale.
import type { KObject } from '../apiserver/types.js';
import type { MachineSpec } from '../cluster/config.js';
import { rfc3339 } from '../cluster/clock.js';
import type { WatchEvent } from '../storage/store.js';
import type { Component, ComponentClient } from './component.js';
import { indexOf } from './informer.js';

/** --node-monitor-grace-period: 50s since Kubernetes 1.32 (40s before) */
export const NODE_MONITOR_GRACE_MS = 50_000;
/** --node-startup-grace-period, for a node that never posted a Ready condition */
export const NODE_STARTUP_GRACE_MS = 60_000;
/** --node-monitor-period: the NoExecute taint follows a not-ready condition by one pass */
export const NODE_MONITOR_PERIOD_MS = 5_000;
/** --node-eviction-rate 0.1: a zone's nodes get their NoExecute taint one per 10s */
const EVICTION_INTERVAL_MS = 10_000;
/** --secondary-node-eviction-rate 0.01, used in a partially disrupted zone of a large cluster */
const SECONDARY_EVICTION_INTERVAL_MS = 100_000;
/** --large-cluster-size-threshold: smaller partially disrupted zones stop tainting altogether */
const LARGE_CLUSTER_THRESHOLD = 50;
/** --unhealthy-zone-threshold */
const UNHEALTHY_ZONE_THRESHOLD = 0.55;
const COMPONENT = 'node-controller';
const EXCLUDE_DISRUPTION = 'node.kubernetes.io/exclude-disruption';

export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

/** nodeConditionToTaintKeyStatusMap: which condition in which status gives which NoSchedule taint */
const CONDITION_TAINTS: Record<string, Record<string, string>> = {
  Ready: { False: TAINT_NOT_READY, Unknown: TAINT_UNREACHABLE },
  MemoryPressure: { True: 'node.kubernetes.io/memory-pressure' },
  DiskPressure: { True: 'node.kubernetes.io/disk-pressure' },
  NetworkUnavailable: { True: 'node.kubernetes.io/network-unavailable' },
  PIDPressure: { True: 'node.kubernetes.io/pid-pressure' },
};
const MANAGED_NO_SCHEDULE = new Set([...Object.values(CONDITION_TAINTS).flatMap((m) => Object.values(m)), TAINT_UNSCHEDULABLE]);
/** the conditions a stale node has set to Unknown (NetworkUnavailable belongs to the network plugin) */
const KUBELET_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

interface Taint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}

interface LifecycleState {
  /** per node, the Ready status of the last pass: a change away from True is reported once */
  ready: Record<string, string>;
  /** per zone, when a node of it last got its NoExecute taint (the zone's rate limiter) */
  lastTaint: Record<string, number>;
}

export const condition = (node: KObject, type: string): any => (node.status?.conditions ?? []).find((x: any) => x.type === type);
const ms = (t: string | undefined) => (t ? Date.parse(t) : 0);

/** nodetopology.GetZoneKey: region and zone, whichever labels the node has */
function zoneKey(node: KObject): string {
  const l = node.metadata?.labels ?? {};
  const region = l['topology.kubernetes.io/region'] ?? l['failure-domain.beta.kubernetes.io/region'] ?? '';
  const zone = l['topology.kubernetes.io/zone'] ?? l['failure-domain.beta.kubernetes.io/zone'] ?? '';
  return region || zone ? `${region}:\u0000:${zone}` : '';
}

/** the reference RecordNodeStatusChange builds: no namespace, no resourceVersion */
const nodeRef = (node: KObject): KObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: node.metadata!.name, uid: node.metadata!.uid } });

/**
 * tryUpdateNodeHealth: when the node's last heartbeat is older than its grace period, its kubelet
 * conditions become Unknown. Returns the node as written, or undefined when nothing changed.
 */
async function updateHealth(c: ComponentClient, node: KObject, machine: MachineSpec | undefined, now: number): Promise<KObject | undefined> {
  if (machine?.running) return undefined;
  const name = node.metadata!.name!;
  const ready = condition(node, 'Ready');
  const lease = await c.get('leases', 'kube-node-lease', name);
  const created = ms(node.metadata?.creationTimestamp);
  const probe = Math.max(created, ms(ready?.lastHeartbeatTime), ms(lease?.spec?.renewTime));
  const deadline = probe + (ready ? NODE_MONITOR_GRACE_MS : NODE_STARTUP_GRACE_MS);
  if (now < deadline) {
    // A stopped machine going NotReady is the failure being played out ('work': instant mode gets
    // there); a Node no machine backs (made through the API) goes stale only as real time passes.
    c.wakeAt(deadline, machine ? 'work' : 'background');
    return undefined;
  }
  if (ready?.status === 'Unknown') return undefined;
  const body = structuredClone(node);
  const conds: any[] = ((body.status ??= {}).conditions ??= []);
  const t = rfc3339(now);
  for (const type of KUBELET_CONDITIONS) {
    const cur = conds.find((x) => x.type === type);
    if (!cur) {
      conds.push({ lastHeartbeatTime: node.metadata!.creationTimestamp, lastTransitionTime: t, message: 'Kubelet never posted node status.', reason: 'NodeStatusNeverUpdated', status: 'Unknown', type });
    } else if (cur.status !== 'Unknown') {
      Object.assign(cur, { lastTransitionTime: t, message: 'Kubelet stopped posting node status.', reason: 'NodeStatusUnknown', status: 'Unknown' });
    }
  }
  const written = await c.update('nodes', body, 'status');
  if (written) c.trace('node-unknown', `node/${name}`, `no heartbeat since ${rfc3339(probe)}: kubelet conditions set to Unknown`);
  return written;
}

/** MarkPodsNotReady: each pod on the node that is Ready gets Ready=False, and a NodeNotReady event */
async function markPodsNotReady(c: ComponentClient, pods: KObject[], now: number): Promise<boolean> {
  let changed = false;
  for (const pod of pods) {
    const ready = (pod.status?.conditions ?? []).find((x: any) => x.type === 'Ready');
    if (!ready || ready.status === 'False') continue;
    const body = structuredClone(pod);
    const cond = body.status.conditions.find((x: any) => x.type === 'Ready');
    cond.status = 'False';
    cond.lastTransitionTime = rfc3339(now);
    if (!(await c.update('pods', body, 'status'))) continue;
    changed = true;
    await c.event(pod, 'Warning', 'NodeNotReady', 'Node is not ready', { component: COMPONENT });
  }
  return changed;
}

type ZoneState = 'Normal' | 'PartialDisruption' | 'FullDisruption';

/** ComputeZoneState */
function zoneState(ready: number, notReady: number): ZoneState {
  if (ready === 0 && notReady > 0) return 'FullDisruption';
  if (notReady > 2 && notReady / (ready + notReady) >= UNHEALTHY_ZONE_THRESHOLD) return 'PartialDisruption';
  return 'Normal';
}

const sameTaint = (a: Taint, b: { key: string; effect: string }) => a.key === b.key && a.effect === b.effect;

/** what the condition taints of a node should be (doNoScheduleTaintingPass) */
function wantedNoSchedule(node: KObject): Set<string> {
  const out = new Set<string>();
  for (const cond of node.status?.conditions ?? []) {
    const key = CONDITION_TAINTS[cond.type]?.[cond.status];
    if (key) out.add(key);
  }
  if (node.spec?.unschedulable) out.add(TAINT_UNSCHEDULABLE);
  return out;
}

export const nodeLifecycleController: Component = {
  name: 'node-lifecycle-controller',
  wants(changes: readonly WatchEvent[], c: ComponentClient): boolean {
    for (const e of changes) {
      if (e.prefix === 'nodes' || e.prefix === 'coordination.k8s.io/leases') return true;
      // A pod bound to a node that is not ready is marked not ready too (processPod).
      const n = e.prefix === 'pods' && e.type !== 'DELETED' ? e.object.spec?.nodeName : undefined;
      if (n) {
        const node = c.api.store.get('nodes', undefined, n);
        if (node && condition(node, 'Ready') && condition(node, 'Ready').status !== 'True') return true;
      }
    }
    return false;
  },
  async reconcile(c: ComponentClient): Promise<boolean> {
    const now = c.now();
    const st = c.state<LifecycleState>('node-lifecycle', () => ({ ready: {}, lastTaint: {} }));
    const machines = new Map((c.config?.nodes ?? []).map((m) => [m.name, m]));
    let changed = false;
    let touched = false;

    // 1. Health: stale heartbeats make nodes Unknown; a Ready that turns away from True is reported.
    const nodes: KObject[] = [];
    let byNode: Awaited<ReturnType<typeof indexOf>> | undefined;
    const pods = async (name: string) => (byNode ??= await indexOf(c, 'pods', 'pods-by-node', (p) => p.spec?.nodeName || undefined)).get(name);
    for (const listed of await c.list('nodes')) {
      let node = listed;
      const name = node.metadata!.name!;
      const written = await updateHealth(c, node, machines.get(name), now);
      if (written) {
        node = written;
        changed = true;
      }
      nodes.push(node);
      const ready = condition(node, 'Ready');
      const status = ready?.status ?? '';
      const before = st.ready[name];
      if (before !== status) {
        st.ready[name] = status;
        touched = true;
      }
      if (!ready || status === 'True') continue;
      if (before === 'True') {
        await c.event(nodeRef(node), 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`, { component: COMPONENT });
        changed = true;
      }
      if (await markPodsNotReady(c, await pods(name), now)) changed = true;
    }
    const names = new Set(nodes.map((n) => n.metadata!.name!));
    for (const name of Object.keys(st.ready)) {
      if (!names.has(name)) {
        delete st.ready[name];
        touched = true;
      }
    }

    // 2. Zones: how disrupted each is decides whether (and how fast) nodes get NoExecute taints.
    const zones = new Map<string, { ready: number; notReady: number }>();
    for (const node of nodes) {
      if (node.metadata?.labels?.[EXCLUDE_DISRUPTION] !== undefined) continue;
      const z = zones.get(zoneKey(node)) ?? { ready: 0, notReady: 0 };
      if (condition(node, 'Ready')?.status === 'True') z.ready++;
      else z.notReady++;
      zones.set(zoneKey(node), z);
    }
    const states = new Map([...zones].map(([k, z]) => [k, zoneState(z.ready, z.notReady)]));
    const allFullyDisrupted = states.size > 0 && [...states.values()].every((s) => s === 'FullDisruption');
    const interval = (zone: string): number => {
      if (states.get(zone) !== 'PartialDisruption') return EVICTION_INTERVAL_MS;
      const z = zones.get(zone)!;
      return z.ready + z.notReady > LARGE_CLUSTER_THRESHOLD ? SECONDARY_EVICTION_INTERVAL_MS : Infinity;
    };

    // 3. Taints: the NoSchedule condition taints, then the NoExecute one.
    for (const node of nodes) {
      const name = node.metadata!.name!;
      const taints: Taint[] = node.spec?.taints ?? [];
      const add: Taint[] = [];
      const remove: { key: string; effect: string }[] = [];
      const wanted = wantedNoSchedule(node);
      for (const t of taints) if (t.effect === 'NoSchedule' && MANAGED_NO_SCHEDULE.has(t.key) && !wanted.has(t.key)) remove.push(t);
      for (const key of wanted) if (!taints.some((t) => sameTaint(t, { key, effect: 'NoSchedule' }))) add.push({ effect: 'NoSchedule', key, timeAdded: rfc3339(now) });

      const ready = condition(node, 'Ready');
      const status = ready?.status;
      const has = (key: string) => taints.some((t) => sameTaint(t, { key, effect: 'NoExecute' }));
      if (status === 'True' || allFullyDisrupted) {
        // markNodeAsReachable (and master disruption mode: no node is tainted while all are down)
        for (const key of [TAINT_UNREACHABLE, TAINT_NOT_READY]) if (has(key)) remove.push({ key, effect: 'NoExecute' });
      } else if (status === 'False' || status === 'Unknown') {
        const key = status === 'Unknown' ? TAINT_UNREACHABLE : TAINT_NOT_READY;
        const opposite = status === 'Unknown' ? TAINT_NOT_READY : TAINT_UNREACHABLE;
        if (has(opposite)) {
          // The condition changed under an existing taint: swapped at once, without the limiter.
          remove.push({ key: opposite, effect: 'NoExecute' });
          if (!has(key)) add.push({ effect: 'NoExecute', key, timeAdded: rfc3339(now) });
        } else if (!has(key) && !machines.get(name)?.running) {
          // (A machine running again is about to post Ready: tainting it now would only start
          // evictions to be cancelled.)
          const zone = zoneKey(node);
          const seenAt = ms(ready.lastTransitionTime) + NODE_MONITOR_PERIOD_MS;
          const last = st.lastTaint[zone];
          const allowedAt = interval(zone) === Infinity ? Infinity : Math.max(seenAt, last === undefined ? seenAt : last + interval(zone));
          if (allowedAt <= now) {
            add.push({ effect: 'NoExecute', key, timeAdded: rfc3339(now) });
            st.lastTaint[zone] = now;
            touched = true;
          } else if (Number.isFinite(allowedAt)) {
            c.wakeAt(allowedAt, 'work');
          }
        }
      }
      if (!add.length && !remove.length) continue;
      // AddOrUpdateTaintOnNode appends; RemoveTaintOffNode filters out.
      const next = [...taints.filter((t) => !remove.some((r) => sameTaint(t, r))), ...add];
      const spec = next.length ? { taints: next } : { taints: null };
      if (await c.patch('nodes', undefined, name, { metadata: { resourceVersion: node.metadata!.resourceVersion }, spec })) {
        changed = true;
        const said = [...add.map((t) => `+${t.key}:${t.effect}`), ...remove.map((t) => `-${t.key}:${t.effect}`)].join(' ');
        c.trace('taint', `node/${name}`, said);
      }
    }
    if (touched) c.touch();
    return changed;
  },
};
