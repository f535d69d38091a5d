// Deployment controller (pkg/controller/deployment in kube-controller-manager). Each pass, for
// every Deployment: claim its ReplicaSets (adopt matching orphans, release ones that stopped
// matching), then as syncDeployment does: status only while being deleted; pause/resume
// conditions; paused or scaling → resize only; otherwise roll out by the strategy (rolling.ts,
// recreate.ts). Level-triggered: with nothing to do it writes nothing and returns false.
import type { KObject } from '../../apiserver/types.js';
import { fromLabelSelector, matches } from '../../apiserver/selectors.js';
import type { Component, ComponentClient } from '../component.js';
import { indexOf, lazyGroups } from '../informer.js';
import { controllerRef, newControllerRef } from '../pod-control.js';
import { COMPONENT, ref, type SyncContext } from './context.js';
import { checkPausedConditions } from './progress/status.js';
import { rolloutRecreate } from './recreate.js';
import { rolloutRolling } from './rolling.js';
import { isScalingEvent, syncScaleOnly, syncStatusOnly } from './sync.js';

/**
 * The Deployments a run must sync, from what changed (as the real controller's handlers enqueue
 * them): a changed Deployment, a ReplicaSet's controller (every Deployment of the namespace for an
 * orphan ReplicaSet), the Deployment behind a changed pod's ReplicaSet, and due timers.
 */
function dirtyDeployments(c: ComponentClient, sets: KObject[]): { uids: Set<string>; namespaces: Set<string> } | undefined {
  const changes = c.cause.changes;
  if (!changes) return undefined;
  const uids = new Set<string>(c.cause.dueKeys);
  const namespaces = new Set<string>();
  let rsOwner: Map<string, string | undefined> | undefined;
  for (const e of changes) {
    if (e.prefix === 'apps/deployments') uids.add(e.object.metadata!.uid!);
    else if (e.prefix === 'apps/replicasets') {
      const r = controllerRef(e.object);
      if (r) uids.add(r.uid);
      else namespaces.add(e.object.metadata!.namespace!);
    } else if (e.prefix === 'pods') {
      const r = controllerRef(e.object);
      if (!r) continue;
      rsOwner ??= new Map(sets.map((rs) => [rs.metadata!.uid!, controllerRef(rs)?.uid]));
      const d = rsOwner.get(r.uid);
      if (d) uids.add(d);
    }
  }
  return { uids, namespaces };
}

export const deploymentController: Component = {
  name: COMPONENT,
  watches: ['deployments', 'replicasets', 'pods'],
  async reconcile(c) {
    const all = await c.list('deployments');
    if (all.length === 0) return false;
    const sets = await c.list('replicasets');
    const dirty = dirtyDeployments(c, sets);
    const deployments = !dirty ? all : all.filter((d) => dirty.uids.has(d.metadata!.uid!) || dirty.namespaces.has(d.metadata!.namespace!));
    if (deployments.length === 0) return false;
    // Indexes built once per pass: ReplicaSets by controller uid (orphans by namespace), pods by controller uid.
    const rsByOwner = new Map<string, KObject[]>();
    const orphanRS = new Map<string, KObject[]>();
    for (const rs of sets) {
      const r = controllerRef(rs);
      const key = r ? r.uid : rs.metadata!.namespace!;
      const m = r ? rsByOwner : orphanRS;
      const l = m.get(key);
      if (l) l.push(rs);
      else m.set(key, [rs]);
    }
    const podsByOwner = lazyGroups(await indexOf(c, 'pods', 'pods-by-controller', (p) => controllerRef(p)?.uid));
    let changed = false;
    for (const d of deployments) {
      if (await syncDeployment(c, d, rsByOwner, orphanRS, podsByOwner)) changed = true;
    }
    return changed;
  },
};

async function syncDeployment(c: ComponentClient, stored: KObject, rsByOwner: Map<string, KObject[]>, orphanRS: Map<string, KObject[]>, podsByOwner: Map<string, KObject[]>): Promise<boolean> {
  const d = structuredClone(stored);
  const md = d.metadata!;
  const ctx: SyncContext = { c, d, rsList: [], podsByRs: new Map(), changed: false };
  const selector = fromLabelSelector(d.spec?.selector);
  if (selector.length === 0) {
    // A Deployment selecting everything is refused (the apiserver does not let one in anyway).
    await c.event(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.', { component: COMPONENT });
    return false;
  }
  ctx.rsList = await claimReplicaSets(ctx, selector, rsByOwner.get(md.uid!) ?? [], orphanRS.get(md.namespace!) ?? []);
  // Recreate looks at the pods of each ReplicaSet (terminating ones too), selected by the Deployment.
  for (const rs of ctx.rsList) {
    const pods = (podsByOwner.get(rs.metadata!.uid!) ?? []).filter((p) => matches(selector, p.metadata?.labels));
    ctx.podsByRs.set(rs.metadata!.uid!, pods);
  }
  if (md.deletionTimestamp) {
    await syncStatusOnly(ctx);
    return ctx.changed;
  }
  await checkPausedConditions(ctx);
  if (d.spec?.paused) {
    await syncScaleOnly(ctx);
    return ctx.changed;
  }
  if (await isScalingEvent(ctx)) {
    c.trace('Sync', ref(d), `replicas changed to ${d.spec?.replicas ?? 1}: scaling`);
    await syncScaleOnly(ctx);
    return ctx.changed;
  }
  if (d.spec?.strategy?.type === 'Recreate') await rolloutRecreate(ctx);
  else await rolloutRolling(ctx);
  return ctx.changed;
}

/** ClaimReplicaSets: owned ones that still match stay, the rest are released; matching orphans are adopted. */
async function claimReplicaSets(ctx: SyncContext, selector: ReturnType<typeof fromLabelSelector>, owned: KObject[], orphans: KObject[]): Promise<KObject[]> {
  const { c, d } = ctx;
  const out: KObject[] = [];
  for (const rs of owned) {
    if (matches(selector, rs.metadata?.labels)) {
      out.push(rs);
    } else if (!d.metadata!.deletionTimestamp) {
      const refs = (rs.metadata!.ownerReferences ?? []).filter((r) => r.uid !== d.metadata!.uid);
      c.trace('Release', `replicaset/${rs.metadata!.name}`, `labels no longer match ${ref(d)}`);
      await c.patch('replicasets', rs.metadata!.namespace, rs.metadata!.name!, { metadata: { ownerReferences: refs.length ? refs : null } });
      ctx.changed = true;
    }
  }
  if (d.metadata!.deletionTimestamp) return out;
  for (const rs of orphans) {
    if (rs.metadata?.deletionTimestamp || controllerRef(rs) || !matches(selector, rs.metadata?.labels)) continue;
    const refs = [...(rs.metadata!.ownerReferences ?? []), newControllerRef(d)];
    const adopted = await c.patch('replicasets', rs.metadata!.namespace, rs.metadata!.name!, { metadata: { ownerReferences: refs } });
    if (adopted) {
      c.trace('Adopt', `replicaset/${rs.metadata!.name}`, `matches ${ref(d)}`);
      // Claimed in this pass: not an orphan for the next Deployment.
      orphans.splice(orphans.indexOf(rs), 1, { metadata: { ownerReferences: [newControllerRef(d)] } } as KObject);
      out.push(adopted);
      ctx.changed = true;
    }
  }
  return out;
}
