// What the PV binder, the provisioner and the scheduler's VolumeBinding plugin share about claims,
// volumes and classes (pkg/controller/volume/persistentvolume/util and component-helpers'
// storage/volume): which class a claim asks for, whether binding waits for the first consumer,
// whether a volume can serve a claim, and a volume's node affinity.
import type { KObject } from '../../apiserver/types.js';
import type { ComponentClient } from '../component.js';
import { defaultClass } from '../../apiserver/admission/default-storage-class.js';

export { defaultClass };
import { compareQuantity, tryParseQuantity } from '../../apiserver/quantity.js';
import { fromLabelSelector, matches } from '../../apiserver/selectors.js';
import { termMatches } from '../../scheduler/plugins/node-affinity.js';

export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
export const ANN_STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
export const ANN_BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';
export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
export const ANN_PROVISIONED_BY = 'pv.kubernetes.io/provisioned-by';
export const ANN_BETA_CLASS = 'volume.beta.kubernetes.io/storage-class';
/** what a class names when nothing provisions its volumes */
export const NO_PROVISIONER = 'kubernetes.io/no-provisioner';

/**
 * GetPersistentVolumeClaimClass: the beta annotation wins over the field. A claim that asked for
 * no class at all (nil, not "") is the default class's, given the classes: the DefaultStorageClass
 * admission plugin or the binder's retroactive assignment would have written it.
 */
export function claimClass(claim: KObject, classes?: Map<string, KObject>): string {
  const explicit = claim.metadata?.annotations?.[ANN_BETA_CLASS] ?? claim.spec?.storageClassName;
  if (explicit !== undefined && explicit !== null) return explicit;
  return (classes && defaultClass([...classes.values()])?.metadata?.name) || '';
}

export function volumeClass(pv: KObject): string {
  return pv.metadata?.annotations?.[ANN_BETA_CLASS] ?? pv.spec?.storageClassName ?? '';
}

/** IsDelayBindingMode: the class exists and waits for the first consumer */
export function isDelayBinding(claim: KObject, classes: Map<string, KObject>): boolean {
  const cls = claimClass(claim, classes);
  if (!cls) return false;
  return classes.get(cls)?.volumeBindingMode === 'WaitForFirstConsumer';
}

function requestOf(claim: KObject) {
  return tryParseQuantity(claim.spec?.resources?.requests?.storage);
}

/** the volume's required node affinity admits the node (a volume without one fits everywhere) */
export function volumeFitsNode(pv: KObject, node: KObject): boolean {
  const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms;
  if (!terms) return true;
  return terms.some((t: any) => termMatches(t, node));
}

/** the node a volume is tied to by a kubernetes.io/hostname affinity, if any (for messages) */
export function volumeNodeName(pv: KObject): string | undefined {
  for (const t of pv.spec?.nodeAffinity?.required?.nodeSelectorTerms ?? []) {
    for (const e of t?.matchExpressions ?? []) if (e.key === 'kubernetes.io/hostname' && e.operator === 'In' && e.values?.length === 1) return e.values[0];
  }
  return undefined;
}

/** the volume names this claim as its claimRef (by uid, or by name before the claim was bound) */
export function preBoundTo(pv: KObject, claim: KObject): boolean {
  const ref = pv.spec?.claimRef;
  if (!ref) return false;
  if (ref.name !== claim.metadata?.name || (ref.namespace ?? '') !== (claim.metadata?.namespace ?? '')) return false;
  return !ref.uid || ref.uid === claim.metadata?.uid;
}

/**
 * checkVolumeSatisfyClaim and the filters of findMatchingVolume: same class, same volume mode,
 * every access mode the claim asks for, enough capacity, the claim's selector, not being deleted,
 * and either free or pre-bound to this claim.
 */
export function volumeSatisfies(pv: KObject, claim: KObject, node?: KObject, classes?: Map<string, KObject>): boolean {
  if (pv.metadata?.deletionTimestamp) return false;
  const ref = pv.spec?.claimRef;
  if (ref && !preBoundTo(pv, claim)) return false;
  if (!ref && (pv.status?.phase === 'Released' || pv.status?.phase === 'Failed')) return false;
  if (volumeClass(pv) !== claimClass(claim, classes)) return false;
  if ((pv.spec?.volumeMode ?? 'Filesystem') !== (claim.spec?.volumeMode ?? 'Filesystem')) return false;
  const modes: string[] = pv.spec?.accessModes ?? [];
  for (const m of claim.spec?.accessModes ?? []) if (!modes.includes(m)) return false;
  const want = requestOf(claim);
  const have = tryParseQuantity(pv.spec?.capacity?.storage);
  if (want && (!have || compareQuantity(have, want) < 0)) return false;
  if (claim.spec?.selector && !matches(fromLabelSelector(claim.spec.selector), pv.metadata?.labels)) return false;
  if (node && !volumeFitsNode(pv, node)) return false;
  return true;
}

/** findBestMatchForClaim: a volume pre-bound to the claim first, else the smallest that fits */
export function bestVolumeFor(claim: KObject, volumes: KObject[], node?: KObject, classes?: Map<string, KObject>): KObject | undefined {
  let best: KObject | undefined;
  let bestSize: ReturnType<typeof tryParseQuantity>;
  for (const pv of volumes) {
    if (!volumeSatisfies(pv, claim, node, classes)) continue;
    if (preBoundTo(pv, claim)) return pv;
    // A claim with no class never takes a volume that has one, and the other way round (checked
    // above); one asking for a class binds only volumes of it.
    const size = tryParseQuantity(pv.spec?.capacity?.storage);
    if (!best || (size && bestSize && compareQuantity(size, bestSize) < 0)) {
      best = pv;
      bestSize = size;
    }
  }
  return best;
}

/** the claims a pod mounts, by claim name (ephemeral volumes are named <pod>-<volume>) */
export function podClaimNames(pod: KObject): string[] {
  const out: string[] = [];
  for (const v of pod.spec?.volumes ?? []) {
    if (v?.persistentVolumeClaim?.claimName) out.push(v.persistentVolumeClaim.claimName);
    else if (v?.ephemeral) out.push(`${pod.metadata?.name}-${v.name}`);
  }
  return out;
}

/** Writes an object's finalizers (none: the field goes); true when the apiserver stored the change. */
export async function setFinalizers(c: ComponentClient, resource: 'persistentvolumes' | 'persistentvolumeclaims', obj: KObject, finalizers: string[]): Promise<boolean> {
  const body = structuredClone(obj);
  body.metadata!.finalizers = finalizers;
  if (!finalizers.length) delete body.metadata!.finalizers;
  return !!(await c.update(resource, body));
}
