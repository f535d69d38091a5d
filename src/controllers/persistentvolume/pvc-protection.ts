// kube-controller-manager's pvc-protection controller (pkg/controller/volume/pvcprotection): a
// claim being deleted keeps its kubernetes.io/pvc-protection finalizer, and so stays Terminating,
// while a pod that has been given a node uses it (a pod not yet scheduled does not count: the
// kubelet will not start a pod whose claim is being deleted, and the scheduler does not place it);
// once no such pod is left the finalizer goes and the apiserver removes the claim. A live claim
// without the finalizer (made before the admission plugin existed) gets it.
import type { KObject } from '../../apiserver/types.js';
import type { Component } from '../component.js';
import { setFinalizers } from './util.js';
import { PVC_PROTECTION_FINALIZER } from '../../apiserver/admission/storage-protection.js';

const COMPONENT = 'pvc-protection-controller';

/** podIsShutDown: the kubelet is done with it (a terminal phase) or it was force-deleted */
function podIsShutDown(pod: KObject): boolean {
  if (pod.metadata?.deletionTimestamp && pod.metadata?.deletionGracePeriodSeconds === 0) return true;
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** podUsesPVC: a scheduled pod naming the claim, or whose generic ephemeral volume it is */
export function podUsesClaim(pod: KObject, claim: KObject): boolean {
  if (!pod.spec?.nodeName) return false;
  const name = claim.metadata?.name;
  for (const v of pod.spec?.volumes ?? []) {
    if (v?.persistentVolumeClaim?.claimName === name) return true;
    if (v?.ephemeral && `${pod.metadata?.name}-${v.name}` === name && !podIsShutDown(pod)) {
      const owner = (claim.metadata?.ownerReferences ?? []).find((r) => r.controller);
      if (owner?.uid === pod.metadata?.uid) return true;
    }
  }
  return false;
}

export const pvcProtectionController: Component = {
  name: COMPONENT,
  watches: ['persistentvolumeclaims', 'pods'],
  async reconcile(c) {
    const claims = await c.list('persistentvolumeclaims');
    const deleting: KObject[] = [];
    const unprotected: KObject[] = [];
    for (const claim of claims) {
      const has = claim.metadata?.finalizers?.includes(PVC_PROTECTION_FINALIZER);
      if (claim.metadata?.deletionTimestamp) {
        if (has) deleting.push(claim);
      } else if (!has) unprotected.push(claim);
    }
    if (!deleting.length && !unprotected.length) return false;
    let changed = false;
    const podsByNs = new Map<string, KObject[]>();
    for (const claim of deleting) {
      const ns = claim.metadata!.namespace!;
      let pods = podsByNs.get(ns);
      if (!pods) podsByNs.set(ns, (pods = await c.list('pods', ns)));
      const user = pods.find((p) => podUsesClaim(p, claim));
      const ref = `persistentvolumeclaim/${ns}/${claim.metadata!.name}`;
      if (user) {
        c.trace('KeepClaim', ref, `in use by pod/${ns}/${user.metadata!.name}: kept Terminating`);
        continue;
      }
      if (await setFinalizers(c, 'persistentvolumeclaims', claim, (claim.metadata!.finalizers ?? []).filter((f) => f !== PVC_PROTECTION_FINALIZER))) {
        c.trace('RemoveFinalizer', ref, `${PVC_PROTECTION_FINALIZER}: no pod uses it`);
        changed = true;
      }
    }
    for (const claim of unprotected) {
      if (await setFinalizers(c, 'persistentvolumeclaims', claim, [...(claim.metadata!.finalizers ?? []), PVC_PROTECTION_FINALIZER])) changed = true;
    }
    return changed;
  },
};
