// kube-controller-manager's pod garbage collector (pkg/controller/podgc). It force-deletes the
// pods nothing else will ever finish:
// - pods bound to a node that no longer exists (after a 40s quarantine, in case the node comes
//   back): phase Failed and the DisruptionTarget condition "PodGC: node no longer exists" first;
// - terminating pods on a node that is not ready and carries node.kubernetes.io/out-of-service
//   (the admin's word that the machine is gone for good);
// - terminated pods (Succeeded/Failed) beyond --terminated-pod-gc-threshold (12500), oldest first
//   (evicted ones before the others).
// Unscheduled terminating pods need nothing here: this apiserver deletes an unbound pod at once.
import type { KObject } from '../apiserver/types.js';
import { rfc3339 } from '../cluster/clock.js';
import type { Component, ComponentClient } from './component.js';
import { indexOf } from './informer.js';

/** --terminated-pod-gc-threshold */
export const TERMINATED_POD_THRESHOLD = 12_500;
/** how long a node must stay missing before its pods are deleted */
export const ORPHAN_QUARANTINE_MS = 40_000;
const OUT_OF_SERVICE = 'node.kubernetes.io/out-of-service';

interface PodGcState {
  /** per missing node name: when its pods were first seen without it */
  missing: Record<string, number>;
}

const isTerminated = (p: KObject) => {
  const phase = p.status?.phase;
  return phase !== undefined && phase !== 'Pending' && phase !== 'Running' && phase !== 'Unknown';
};

/** markFailedAndDeletePodWithCondition: a pod no kubelet will finish gets phase Failed, then goes at once */
async function markFailedAndDelete(c: ComponentClient, pod: KObject, now: number, cond?: { reason: string; message: string }): Promise<void> {
  const phase = pod.status?.phase;
  if (phase !== 'Succeeded' && phase !== 'Failed') {
    const body = structuredClone(pod);
    body.status ??= {};
    body.status.phase = 'Failed';
    if (cond) {
      const conds: any[] = (body.status.conditions ??= []);
      const cur = conds.find((x) => x.type === 'DisruptionTarget');
      const want = { type: 'DisruptionTarget', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(now), reason: cond.reason, message: cond.message };
      if (!cur) conds.push(want);
      else Object.assign(cur, { ...want, lastTransitionTime: cur.status === 'True' ? cur.lastTransitionTime : want.lastTransitionTime });
    }
    await c.update('pods', body, 'status');
  }
  await c.delete('pods', pod.metadata!.namespace, pod.metadata!.name!, { gracePeriodSeconds: 0 });
}

/** byEvictionAndCreationTimestamp */
function gcOrder(a: KObject, b: KObject): number {
  const ea = a.status?.reason === 'Evicted';
  const eb = b.status?.reason === 'Evicted';
  if (ea !== eb) return ea ? -1 : 1;
  const ta = Date.parse(a.metadata!.creationTimestamp!);
  const tb = Date.parse(b.metadata!.creationTimestamp!);
  if (ta !== tb) return ta - tb;
  return a.metadata!.name! < b.metadata!.name! ? -1 : a.metadata!.name! > b.metadata!.name! ? 1 : 0;
}

export const podGcController: Component = {
  name: 'pod-garbage-collector',
  watches: ['pods', 'nodes'],
  async reconcile(c: ComponentClient): Promise<boolean> {
    const now = c.now();
    const st = c.state<PodGcState>('pod-gc', () => ({ missing: {} }));
    const nodes = new Map((await c.list('nodes')).map((n) => [n.metadata!.name!, n]));
    const byNode = await indexOf(c, 'pods', 'pods-by-node', (p) => p.spec?.nodeName || undefined);
    let changed = false;
    let touched = false;

    // Orphans: pods bound to a node that is gone.
    const missingNow = new Set<string>();
    for (const name of byNode.keys()) {
      if (nodes.has(name)) continue;
      const pods = byNode.get(name);
      if (!pods.length) continue;
      missingNow.add(name);
      if (st.missing[name] === undefined) {
        st.missing[name] = now;
        touched = true;
      }
      const due = st.missing[name] + ORPHAN_QUARANTINE_MS;
      if (now < due) {
        c.wakeAt(due, 'work');
        continue;
      }
      for (const pod of pods) {
        c.trace('gc-orphan', `pod/${pod.metadata!.namespace}/${pod.metadata!.name}`, `node ${name} no longer exists: force deleting`);
        await markFailedAndDelete(c, pod, now, { reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists' });
        changed = true;
      }
    }
    for (const name of Object.keys(st.missing)) {
      if (!missingNow.has(name)) {
        delete st.missing[name];
        touched = true;
      }
    }

    // Terminating pods on out-of-service nodes.
    for (const [name, node] of nodes) {
      if (!(node.spec?.taints ?? []).some((t: any) => t.key === OUT_OF_SERVICE)) continue;
      const ready = (node.status?.conditions ?? []).find((x: any) => x.type === 'Ready');
      if (ready?.status === 'True') continue;
      const terminating = byNode.get(name).filter((p) => p.metadata?.deletionTimestamp).sort(gcOrder);
      for (const pod of terminating) {
        c.trace('gc-out-of-service', `pod/${pod.metadata!.namespace}/${pod.metadata!.name}`, `node ${name} is out of service: force deleting`);
        await markFailedAndDelete(c, pod, now);
        changed = true;
      }
    }

    // Terminated pods beyond the threshold (looked at when a pod finished, or on a full pass).
    const changes = c.cause.changes;
    const finished = !changes || changes.some((e) => e.prefix === 'pods' && e.type !== 'DELETED' && isTerminated(e.object));
    const terminated = await indexOf(c, 'pods', 'pods-terminated', (p) => (isTerminated(p) ? 'terminated' : undefined));
    const done = finished ? terminated.get('terminated') : [];
    if (done.length > TERMINATED_POD_THRESHOLD) {
      for (const pod of done.sort(gcOrder).slice(0, done.length - TERMINATED_POD_THRESHOLD)) {
        await markFailedAndDelete(c, pod, now);
        changed = true;
      }
    }
    if (touched) c.touch();
    return changed;
  },
};
