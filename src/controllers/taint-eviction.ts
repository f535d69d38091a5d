// kube-controller-manager's taint eviction controller (pkg/controller/tainteviction, the
// "taint-eviction-controller" since 1.29): a pod on a node with NoExecute taints it does not
// tolerate is deleted at once; a pod that tolerates them for a while (the 300s that
// DefaultTolerationSeconds admission gives every pod for not-ready and unreachable) is deleted
// when the shortest of those tolerationSeconds has passed since the controller saw the taint; a
// pod that tolerates them forever (DaemonSet pods) stays. Deleting means: the TaintManagerEviction
// event, the DisruptionTarget condition (reason DeletionByTaintManager), then an ordinary graceful
// delete — which, on a node whose kubelet is gone, leaves the pod Terminating while its controller
// creates a replacement elsewhere. A scheduled deletion whose reason went away (the taint removed,
// the pod deleted or moved) is cancelled, with its own event.
import type { KObject } from '../apiserver/types.js';
import { rfc3339 } from '../cluster/clock.js';
import type { Component, ComponentClient } from './component.js';
import { indexOf } from './informer.js';

const COMPONENT = 'taint-eviction-controller';

interface Taint {
  key: string;
  value?: string;
  effect: string;
}

interface Work {
  node: string;
  /** when the deletion is due; absent once it fired (the real queue keeps a nil worker then) */
  fireAt?: number;
}

interface EvictionState {
  /** scheduled deletions by namespace/name, as the controller's timed work queue keys them */
  work: Record<string, Work>;
}

/** v1.Toleration.ToleratesTaint */
function tolerates(t: any, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  const op = t.operator || 'Equal';
  if (op === 'Exists') return true;
  return op === 'Equal' && (t.value ?? '') === (taint.value ?? '');
}

/**
 * When the pod must go, in ms after the taints were seen: 0 when a taint is not tolerated or a
 * toleration allows 0s or less, -1 when the tolerations used allow the taints forever
 * (GetMatchingTolerations + getMinTolerationTime).
 */
export function evictionDelayMs(taints: Taint[], tolerations: any[]): number {
  const used: any[] = [];
  for (const taint of taints) {
    const t = tolerations.find((x) => tolerates(x, taint));
    if (!t) return 0;
    used.push(t);
  }
  if (!used.length) return 0;
  let min = Infinity;
  for (const t of used) {
    if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
    if (t.tolerationSeconds <= 0) return 0;
    min = Math.min(min, t.tolerationSeconds);
  }
  return Number.isFinite(min) ? min * 1000 : -1;
}

/** the reference the controller's events carry: the pod's name and namespace, nothing else */
function podRef(key: string): KObject {
  const [namespace, name] = key.split('/');
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace } };
}

async function cancel(c: ComponentClient, key: string): Promise<void> {
  await c.event(podRef(key), 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${key}`, { component: COMPONENT });
  c.trace('cancel-eviction', `pod/${key}`, 'the NoExecute taint is gone or tolerated: deletion cancelled');
}

/** deletePodHandler: the event, the DisruptionTarget condition, the delete */
async function evict(c: ComponentClient, pod: KObject, key: string, now: number): Promise<void> {
  await c.event(podRef(key), 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${key}`, { component: COMPONENT });
  const body = structuredClone(pod);
  const conds: any[] = ((body.status ??= {}).conditions ??= []);
  const want = { type: 'DisruptionTarget', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(now), reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' };
  const cur = conds.find((x) => x.type === 'DisruptionTarget');
  if (!cur) conds.push(want);
  else if (cur.status !== 'True' || cur.reason !== want.reason || cur.message !== want.message) {
    Object.assign(cur, { ...want, lastTransitionTime: cur.status === 'True' ? cur.lastTransitionTime : want.lastTransitionTime });
  }
  await c.update('pods', body, 'status');
  await c.delete('pods', pod.metadata!.namespace, pod.metadata!.name!);
  c.trace('evict', `pod/${key}`, `NoExecute taint on node ${pod.spec?.nodeName} not tolerated any longer: deleting`);
}

export const taintEvictionController: Component = {
  name: COMPONENT,
  watches: ['nodes', 'pods'],
  async reconcile(c: ComponentClient): Promise<boolean> {
    const now = c.now();
    const st = c.state<EvictionState>('taint-eviction', () => ({ work: {} }));
    const tainted = new Map<string, Taint[]>();
    for (const node of await c.list('nodes')) {
      const taints = ((node.spec?.taints ?? []) as Taint[]).filter((t) => t.effect === 'NoExecute');
      if (taints.length) tainted.set(node.metadata!.name!, taints);
    }
    if (!tainted.size && !Object.keys(st.work).length) return false;
    const byNode = await indexOf(c, 'pods', 'pods-by-node', (p) => p.spec?.nodeName || undefined);
    let changed = false;
    let touched = false;
    const seen = new Set<string>();
    for (const [nodeName, taints] of tainted) {
      for (const pod of byNode.get(nodeName)) {
        const key = `${pod.metadata!.namespace}/${pod.metadata!.name}`;
        const delay = evictionDelayMs(taints, pod.spec?.tolerations ?? []);
        let w = st.work[key];
        if (delay < 0) {
          if (w?.fireAt !== undefined) {
            await cancel(c, key);
            changed = true;
          }
          if (w) {
            delete st.work[key];
            touched = true;
          }
          continue;
        }
        seen.add(key);
        if (!w) {
          w = st.work[key] = { node: nodeName, fireAt: now + delay };
          touched = true;
          if (delay > 0) c.trace('schedule-eviction', `pod/${key}`, `NoExecute taint on node ${nodeName} tolerated for ${delay / 1000}s`);
        } else if (delay === 0 && w.fireAt !== undefined && w.fireAt > now) {
          // A taint the pod no longer tolerates: the timer is cancelled and the pod goes now.
          await cancel(c, key);
          w.fireAt = now;
          touched = true;
        }
        if (w.fireAt === undefined) continue;
        if (w.fireAt > now) {
          c.wakeAt(w.fireAt, 'work');
          continue;
        }
        await evict(c, pod, key, now);
        delete w.fireAt;
        touched = true;
        changed = true;
      }
    }
    // Deletions whose reason is gone: the taints were removed, the pod was deleted or moved.
    for (const [key, w] of Object.entries(st.work)) {
      if (seen.has(key)) continue;
      if (w.fireAt !== undefined) {
        await cancel(c, key);
        changed = true;
      }
      delete st.work[key];
      touched = true;
    }
    if (touched) c.touch();
    return changed;
  },
};
