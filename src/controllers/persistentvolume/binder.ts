// kube-controller-manager's PersistentVolume binder (pkg/controller/volume/persistentvolume,
// "persistentvolume-controller" in events). For every claim: a claim without a class gets the
// default one (retroactive default StorageClass assignment); an unbound claim binds the best
// matching volume (smallest that fits, pre-bound first); a claim of a WaitForFirstConsumer class
// waits until the scheduler has chosen a node for its first pod (WaitForFirstConsumer, or
// WaitForPodScheduled while a pod using it waits for a node);
// a claim nothing matches is handed to its class's provisioner (ExternalProvisioning event, the
// storage-provisioner annotations). For every volume: Available when free, Bound when its claim
// is bound to it, Released when its claim is gone, then reclaimed: Retain keeps it, Delete removes
// it (a provisioned volume is deleted by its provisioner; anything else has no deleter and fails).
//
// The node of a WaitForFirstConsumer claim comes from the scheduler's VolumeBinding PreBind: it
// writes volume.kubernetes.io/selected-node on a claim to provision, or names the claim in a static
// volume's claimRef (scheduler/plugins/volume-binding.ts). A pod given a node by spec.nodeName,
// without the scheduler, leaves such a claim waiting, as it does in a real cluster.
import type { KObject } from '../../apiserver/types.js';
import type { Component, ComponentClient } from '../component.js';
import {
  ANN_BETA_STORAGE_PROVISIONER, ANN_BIND_COMPLETED, ANN_BOUND_BY_CONTROLLER, ANN_PROVISIONED_BY, ANN_SELECTED_NODE, ANN_STORAGE_PROVISIONER,
  bestVolumeFor, claimClass, defaultClass, isDelayBinding, NO_PROVISIONER, podClaimNames, preBoundTo,
} from './util.js';

const COMPONENT = 'persistentvolume-controller';
/** the controller's resync period: waiting claims are told again this often */
const RESYNC_MS = 15_000;

interface BinderState {
  /** per claim uid and reason: when the waiting event was last recorded */
  told: Record<string, number>;
  /** the apiserver refused a retroactive class: not tried again */
  noRetroactive?: boolean;
}

function claimKey(ns: string | undefined, name: string | undefined): string {
  return `${ns ?? ''}/${name ?? ''}`;
}

interface World {
  c: ComponentClient;
  st: BinderState;
  classes: Map<string, KObject>;
  volumes: KObject[];
  volumesByName: Map<string, KObject>;
  claims: Map<string, KObject>;
  nodes: Map<string, KObject>;
  /** the pods using the claim that have no node yet */
  unscheduled: Map<string, KObject[]>;
  changed: boolean;
}

/** An event that repeats while a claim waits: once, then again every resync period. */
async function tell(w: World, claim: KObject, reason: string, message: string, type: 'Normal' | 'Warning' = 'Normal'): Promise<void> {
  const key = `${claim.metadata!.uid}/${reason}`;
  const last = w.st.told[key];
  const now = w.c.now();
  if (last !== undefined && now < last + RESYNC_MS) {
    w.c.wakeAt(last + RESYNC_MS, 'background');
    return;
  }
  w.st.told[key] = now;
  w.c.touch();
  w.c.wakeAt(now + RESYNC_MS, 'background');
  await w.c.event(claim, type, reason, message, { component: COMPONENT });
}

/** bindVolumeToClaim + bindClaimToVolume, with both phases set to Bound */
async function bind(w: World, claim: KObject, pv: KObject): Promise<void> {
  const { c } = w;
  const ns = claim.metadata!.namespace!;
  if (!preBoundTo(pv, claim) || !pv.spec?.claimRef?.uid) {
    const body = structuredClone(pv);
    const byController = !pv.spec?.claimRef;
    body.spec.claimRef = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: claim.metadata!.name, namespace: ns, resourceVersion: claim.metadata!.resourceVersion, uid: claim.metadata!.uid };
    if (byController) body.metadata!.annotations = { ...(body.metadata!.annotations ?? {}), [ANN_BOUND_BY_CONTROLLER]: 'yes' };
    const updated = await c.update('persistentvolumes', body);
    if (!updated) return;
    pv = updated;
  }
  if (pv.status?.phase !== 'Bound') {
    const body = structuredClone(pv);
    body.status = { ...(body.status ?? {}), phase: 'Bound' };
    delete body.status.message;
    delete body.status.reason;
    body.status.lastPhaseTransitionTime = new Date(c.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    await c.update('persistentvolumes', body, 'status');
  }
  let current = claim;
  const ann = claim.metadata?.annotations ?? {};
  if (claim.spec?.volumeName !== pv.metadata!.name || ann[ANN_BIND_COMPLETED] !== 'yes') {
    const stored = await c.get('persistentvolumeclaims', ns, claim.metadata!.name!);
    if (!stored || stored.metadata!.uid !== claim.metadata!.uid) return;
    const body = structuredClone(stored);
    const annotations: Record<string, string> = { ...(body.metadata!.annotations ?? {}), [ANN_BIND_COMPLETED]: 'yes' };
    if (claim.spec?.volumeName !== pv.metadata!.name) annotations[ANN_BOUND_BY_CONTROLLER] = 'yes';
    body.metadata!.annotations = annotations;
    body.spec.volumeName = pv.metadata!.name;
    const updated = await c.update('persistentvolumeclaims', body);
    if (!updated) return;
    current = updated;
  }
  const want = { phase: 'Bound', accessModes: pv.spec?.accessModes ?? [], capacity: { ...(pv.spec?.capacity ?? {}) } };
  if (JSON.stringify(current.status ?? {}) !== JSON.stringify({ ...(current.status ?? {}), ...want })) {
    const body = structuredClone(current);
    body.status = { ...(body.status ?? {}), ...want };
    await c.update('persistentvolumeclaims', body, 'status');
  }
  c.trace('Bind', `persistentvolumeclaim/${ns}/${claim.metadata!.name}`, `↔ persistentvolume/${pv.metadata!.name}`);
  w.changed = true;
}

async function syncUnboundClaim(w: World, claim: KObject): Promise<void> {
  const { c } = w;
  const ns = claim.metadata!.namespace!;
  const name = claim.metadata!.name!;
  const key = claimKey(ns, name);
  const delay = isDelayBinding(claim, w.classes);
  const selected = claim.metadata?.annotations?.[ANN_SELECTED_NODE];
  const node = selected ? w.nodes.get(selected) : undefined;
  // A delayed claim with no node yet binds only a volume the scheduler's PreBind named it in
  // (findMatchingVolume with delayBinding); once a node is chosen, one the node can reach.
  const candidates = delay && !selected ? w.volumes.filter((v) => preBoundTo(v, claim)) : w.volumes;
  const pv = bestVolumeFor(claim, candidates, delay ? node : undefined, w.classes);
  if (pv) {
    await bind(w, claim, pv);
    return;
  }
  if (delay && !selected) {
    // emitEventForUnboundDelayBindingClaim. The informer sees a claim before the pod made right
    // after it (a StatefulSet's), so on a claim's first sync only pods older than it count.
    const uid = claim.metadata!.uid!;
    const firstSync = w.st.told[`${uid}/WaitForFirstConsumer`] === undefined && w.st.told[`${uid}/WaitForPodScheduled`] === undefined;
    const created = claim.metadata?.creationTimestamp ?? '';
    const pods = (w.unscheduled.get(key) ?? []).filter((p) => !firstSync || (p.metadata?.creationTimestamp ?? '') < created);
    const names = pods.map((p) => p.metadata!.name!).sort();
    if (names.length) await tell(w, claim, 'WaitForPodScheduled', `waiting for ${names.length > 1 ? 'pods' : 'pod'} ${names.join(',')} to be scheduled`);
    else await tell(w, claim, 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding');
    return;
  }
  const cls = w.classes.get(claimClass(claim, w.classes));
  if (!cls) {
    if (!claimClass(claim, w.classes)) await tell(w, claim, 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set');
    else await tell(w, claim, 'ProvisioningFailed', `storageclass.storage.k8s.io "${claimClass(claim, w.classes)}" not found`, 'Warning');
    return;
  }
  if (cls.provisioner === NO_PROVISIONER) {
    await tell(w, claim, 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set');
    return;
  }
  // provisionClaim for an external provisioner: say who is expected to make the volume.
  const ann = claim.metadata?.annotations ?? {};
  if (ann[ANN_STORAGE_PROVISIONER] !== cls.provisioner || ann[ANN_BETA_STORAGE_PROVISIONER] !== cls.provisioner) {
    const updated = await c.patch('persistentvolumeclaims', ns, name, { metadata: { annotations: { [ANN_BETA_STORAGE_PROVISIONER]: cls.provisioner, [ANN_STORAGE_PROVISIONER]: cls.provisioner } } });
    if (updated) w.changed = true;
  }
  await tell(w, claim, 'ExternalProvisioning', `Waiting for a volume to be created either by the external provisioner '${cls.provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`);
}

async function syncBoundClaim(w: World, claim: KObject): Promise<void> {
  const { c } = w;
  const pv = w.volumesByName.get(claim.spec.volumeName);
  if (!pv) {
    if (claim.status?.phase === 'Bound') {
      const body = structuredClone(claim);
      body.status = { ...(body.status ?? {}), phase: 'Lost' };
      if (await c.update('persistentvolumeclaims', body, 'status')) {
        w.changed = true;
        await c.event(claim, 'Warning', 'ClaimLost', 'Bound claim has lost its PersistentVolume. Data on the volume is lost!', { component: COMPONENT });
      }
    }
    return;
  }
  const ref = pv.spec?.claimRef;
  if (ref?.uid && ref.uid !== claim.metadata!.uid) {
    if (claim.status?.phase !== 'Lost') await tell(w, claim, 'ClaimMisbound', 'Two claims are bound to the same volume, this one is bound incorrectly');
    return;
  }
  // A claim that names its volume (or is half bound): complete both sides.
  if (!ref || !ref.uid || pv.status?.phase !== 'Bound' || claim.status?.phase !== 'Bound' || claim.metadata?.annotations?.[ANN_BIND_COMPLETED] !== 'yes') {
    if (!ref || preBoundTo(pv, claim)) await bind(w, claim, pv);
  }
}

async function syncVolume(w: World, pv: KObject): Promise<void> {
  const { c } = w;
  const ref = pv.spec?.claimRef;
  const setPhase = async (phase: string, extra: Record<string, string> = {}) => {
    if (pv.status?.phase === phase && Object.entries(extra).every(([k, v]) => pv.status?.[k] === v)) return;
    const body = structuredClone(pv);
    body.status = { phase, ...extra, lastPhaseTransitionTime: pv.status?.phase === phase ? pv.status?.lastPhaseTransitionTime : new Date(c.now()).toISOString().replace(/\.\d{3}Z$/, 'Z') };
    if (!body.status.lastPhaseTransitionTime) delete body.status.lastPhaseTransitionTime;
    if (await c.update('persistentvolumes', body, 'status')) w.changed = true;
  };
  if (!ref) return setPhase('Available');
  const claim = w.claims.get(claimKey(ref.namespace, ref.name));
  if (!ref.uid) {
    // Pre-bound by name: the claim's sync completes it.
    return setPhase('Available');
  }
  if (claim && claim.metadata!.uid === ref.uid) {
    if (claim.spec?.volumeName === pv.metadata!.name) return setPhase('Bound');
    return; // the claim is being bound to it
  }
  // The claim is gone: the volume is released and reclaimed.
  if (pv.status?.phase !== 'Released' && pv.status?.phase !== 'Failed') await setPhase('Released');
  const policy = pv.spec?.persistentVolumeReclaimPolicy ?? 'Retain';
  if (policy === 'Delete' && !pv.metadata?.annotations?.[ANN_PROVISIONED_BY] && pv.status?.phase !== 'Failed') {
    const current = w.volumesByName.get(pv.metadata!.name!);
    const stored = (await c.get('persistentvolumes', undefined, pv.metadata!.name!)) ?? current;
    if (!stored) return;
    const plugin = pv.spec?.hostPath ? 'no deletable volume plugin matched' : 'no volume plugin matched';
    const message = `error getting deleter volume plugin for volume "${pv.metadata!.name}": ${plugin}`;
    const body = structuredClone(stored);
    body.status = { ...(body.status ?? {}), phase: 'Failed', message };
    if (await c.update('persistentvolumes', body, 'status')) w.changed = true;
    await c.event(pv, 'Warning', 'VolumeFailedDelete', message, { component: COMPONENT });
  }
}

/** findNonScheduledPodsByPVC, for every claim of the given pods: claim → the pods using it that have no node */
function unscheduledConsumers(pods: Iterable<KObject>): Map<string, KObject[]> {
  const out = new Map<string, KObject[]>();
  for (const p of pods) {
    if (p.spec?.nodeName) continue;
    for (const claim of podClaimNames(p)) {
      const k = claimKey(p.metadata!.namespace, claim);
      let list = out.get(k);
      if (!list) out.set(k, (list = []));
      list.push(p);
    }
  }
  return out;
}

export const persistentVolumeBinder: Component = {
  name: COMPONENT,
  watches: ['persistentvolumeclaims', 'persistentvolumes', 'storageclasses', 'pods'],
  async reconcile(c) {
    const claimList = await c.list('persistentvolumeclaims');
    const volumes = await c.list('persistentvolumes');
    if (claimList.length === 0 && volumes.length === 0) return false;
    const st = c.state<BinderState>('persistentvolume-binder', () => ({ told: {} }));
    // Wake-ups are asked for anew on every run: the next resync of a waiting claim. (One due now is
    // done by this pass, which tells it again or finds it no longer waiting.)
    const now = c.now();
    let nextResync = Infinity;
    let resyncDue = false;
    for (const t of Object.values(st.told)) {
      if (t + RESYNC_MS > now) nextResync = Math.min(nextResync, t + RESYNC_MS);
      else resyncDue = true;
    }
    if (Number.isFinite(nextResync)) c.wakeAt(nextResync, 'background');
    // A pod change matters only when it mounts claims.
    const changes = c.cause.changes;
    if (!resyncDue && changes?.length && changes.every((e) => e.prefix === 'pods' && podClaimNames(e.object).length === 0)) return false;
    const classList = await c.list('storageclasses');
    const classes = new Map(classList.map((s) => [s.metadata!.name!, s]));
    const claims = new Map(claimList.map((p) => [claimKey(p.metadata!.namespace, p.metadata!.name), p]));
    // Only the pods of namespaces with a claim waiting for a node are looked at.
    const waitingNs = new Set(claimList.filter((p) => !p.spec?.volumeName && isDelayBinding(p, classes) && !p.metadata?.annotations?.[ANN_SELECTED_NODE]).map((p) => p.metadata!.namespace!));
    const pods: KObject[] = [];
    for (const ns of waitingNs) pods.push(...(await c.list('pods', ns)));
    const nodes = new Map((await c.list('nodes')).map((n) => [n.metadata!.name!, n]));
    const w: World = {
      c, st, classes, volumes, volumesByName: new Map(volumes.map((v) => [v.metadata!.name!, v])), claims, nodes,
      unscheduled: unscheduledConsumers(pods), changed: false,
    };

    // Retroactive default class: a claim that asked for no class (nil, not "") gets the default.
    const dflt = defaultClass(classList);
    for (const claim of claimList) {
      if (claim.metadata?.deletionTimestamp) continue;
      if (dflt && !st.noRetroactive && claim.spec?.storageClassName === undefined && !claim.spec?.volumeName && !claim.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class']) {
        const body = structuredClone(claim);
        body.spec.storageClassName = dflt.metadata!.name;
        try {
          const updated = await c.update('persistentvolumeclaims', body);
          if (updated) {
            w.changed = true;
            claims.set(claimKey(claim.metadata!.namespace, claim.metadata!.name), updated);
          }
        } catch {
          // An apiserver that refuses nil → class updates: the claim keeps no class in its spec, and
          // every decision below reads it as the default class's (claimClass with the classes).
          st.noRetroactive = true;
        }
      }
    }
    for (const claim of claims.values()) {
      if (claim.metadata?.deletionTimestamp) continue;
      if (claim.spec?.volumeName) await syncBoundClaim(w, claim);
      else await syncUnboundClaim(w, claim);
      // Volumes bound in this pass are no longer free for the next claim.
      if (w.changed) w.volumes = await c.list('persistentvolumes');
      w.volumesByName = new Map(w.volumes.map((v) => [v.metadata!.name!, v]));
    }
    for (const pv of await c.list('persistentvolumes')) {
      await syncVolume(w, pv);
    }
    // Forget the waits of claims that are gone or bound, and those this pass did not tell again
    // (the claim waits for something else now): their resync is not due any more.
    let pruned = false;
    const live = new Set([...claims.values()].filter((p) => !p.spec?.volumeName).map((p) => p.metadata!.uid!));
    for (const k of Object.keys(st.told)) {
      if (!live.has(k.split('/')[0]) || st.told[k] + RESYNC_MS <= now) {
        delete st.told[k];
        pruned = true;
      }
    }
    if (pruned) c.touch();
    return w.changed;
  },
};
