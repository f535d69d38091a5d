// kube-controller-manager's pv-protection controller (pkg/controller/volume/pvprotection): a
// volume being deleted keeps its kubernetes.io/pv-protection finalizer while its phase is Bound;
// once it is not (its claim is gone: Released, or it never was bound) the finalizer goes and the
// apiserver removes the volume. A live volume without the finalizer gets it.
import type { KObject } from '../../apiserver/types.js';
import type { Component } from '../component.js';
import { setFinalizers } from './util.js';
import { PV_PROTECTION_FINALIZER } from '../../apiserver/admission/storage-protection.js';

const COMPONENT = 'pv-protection-controller';

export const pvProtectionController: Component = {
  name: COMPONENT,
  watches: ['persistentvolumes'],
  async reconcile(c) {
    let changed = false;
    for (const pv of await c.list('persistentvolumes')) {
      const finalizers = pv.metadata?.finalizers ?? [];
      const has = finalizers.includes(PV_PROTECTION_FINALIZER);
      const ref = `persistentvolume/${pv.metadata!.name}`;
      if (pv.metadata?.deletionTimestamp) {
        if (!has) continue;
        // isBeingUsed: the PV controller's Bound phase says a claim holds it
        if (pv.status?.phase === 'Bound') {
          c.trace('KeepVolume', ref, 'bound to a claim: kept Terminating');
          continue;
        }
        if (await setFinalizers(c, 'persistentvolumes', pv, finalizers.filter((f) => f !== PV_PROTECTION_FINALIZER))) {
          c.trace('RemoveFinalizer', ref, `${PV_PROTECTION_FINALIZER}: not bound`);
          changed = true;
        }
      } else if (!has && await setFinalizers(c, 'persistentvolumes', pv, [...finalizers, PV_PROTECTION_FINALIZER])) {
        changed = true;
      }
    }
    return changed;
  },
};
