// VolumeBinding: a pod that mounts PersistentVolumeClaims goes only where its volumes can be.
// PreFilter: every claim must exist and not be going away, and a claim of an Immediate class must
// already be bound. Filter: a bound claim's volume must admit the node (its node affinity: a
// local-path volume lives on one node, so a recreated StatefulSet pod returns to it); a claim
// waiting for its first consumer needs either a free static volume the node can reach or a class
// that can provision one.
//
// PreBind (writing volume.kubernetes.io/selected-node on the waiting claims) has no extension
// point in minikctl's framework yet: the PV binder does it as the scheduler as soon as the pod is
// bound (controllers/persistentvolume/binder.ts).
//
// Plugins are synchronous and see only the scheduling snapshot; the claims, volumes and classes
// are read from the store of the cluster being scheduled, which `volumeBindingView` (a component
// run before the scheduler in every round) points this module at.
import type { KObject } from '../../apiserver/types.js';
import { resourceFor } from '../../apiserver/apiserver.js';
import { storageKey } from '../../apiserver/resources.js';
import type { Store } from '../../storage/store.js';
import type { Component } from '../../controllers/component.js';
import { bestVolumeFor, isDelayBinding, NO_PROVISIONER, podClaimNames, claimClass, volumeFitsNode } from '../../controllers/persistentvolume/util.js';
import { type Plugin, unresolvable } from '../types.js';

export const ERR_UNBOUND_IMMEDIATE = 'pod has unbound immediate PersistentVolumeClaims';
export const ERR_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";
export const ERR_NODE_CONFLICT = 'node(s) had volume node affinity conflict';
export const ERR_PV_NOT_EXIST = 'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)';

const NAME = 'VolumeBinding';
const key = (resource: string) => storageKey(resourceFor(resource));

let store: Store | undefined;

/** Points the plugin at the cluster the scheduler is about to run on (O(1), every round). */
export const volumeBindingView: Component = {
  name: 'volume-binding-view',
  async reconcile(c) {
    store = c.api.store;
    return false;
  },
};

/** for tests and callers that schedule outside the runtime */
export function setVolumeStore(s: Store | undefined): void {
  store = s;
}

interface CycleState {
  bound: KObject[];
  missingPV: boolean;
  /** claims waiting for their first consumer */
  delayed: KObject[];
  classes: Map<string, KObject>;
  volumes?: KObject[];
}

function classesOf(s: Store): Map<string, KObject> {
  return new Map(s.list(key('storageclasses')).map((sc) => [sc.metadata!.name!, sc]));
}

export const volumeBinding: Plugin = {
  name: NAME,
  preFilter(ctx, pi) {
    const names = podClaimNames(pi.pod);
    if (names.length === 0 || !store) return undefined;
    const ns = pi.pod.metadata?.namespace;
    const classes = classesOf(store);
    const state: CycleState = { bound: [], missingPV: false, delayed: [], classes };
    for (const name of names) {
      const claim = store.get(key('persistentvolumeclaims'), ns, name);
      if (!claim) return unresolvable(NAME, `persistentvolumeclaim "${name}" not found`);
      if (claim.metadata?.deletionTimestamp) return unresolvable(NAME, `persistentvolumeclaim "${name}" is being deleted`);
      if (claim.spec?.volumeName) {
        const pv = store.get(key('persistentvolumes'), undefined, claim.spec.volumeName);
        if (pv) state.bound.push(pv);
        else state.missingPV = true;
      } else if (isDelayBinding(claim, classes)) {
        state.delayed.push(claim);
      } else {
        return unresolvable(NAME, ERR_UNBOUND_IMMEDIATE);
      }
    }
    ctx.state.set(NAME, state);
    return undefined;
  },
  filter(ctx, _pi, node) {
    const state = ctx.state.get(NAME) as CycleState | undefined;
    if (!state) return undefined;
    if (state.missingPV) return unresolvable(NAME, ERR_PV_NOT_EXIST);
    const reasons: string[] = [];
    if (state.bound.some((pv) => !volumeFitsNode(pv, node.node))) reasons.push(ERR_NODE_CONFLICT);
    for (const claim of state.delayed) {
      const cls = state.classes.get(claimClass(claim, state.classes));
      if (cls && cls.provisioner !== NO_PROVISIONER && allowedOn(cls, node.node)) continue;
      state.volumes ??= store ? store.list(key('persistentvolumes')) : [];
      if (!bestVolumeFor(claim, state.volumes, node.node, state.classes)) {
        reasons.push(ERR_BIND_CONFLICT);
        break;
      }
    }
    return reasons.length ? unresolvable(NAME, ...reasons) : undefined;
  },
};

/** a class's allowedTopologies (none: everywhere) */
function allowedOn(cls: KObject, node: KObject): boolean {
  const topologies: any[] | undefined = cls.allowedTopologies;
  if (!topologies?.length) return true;
  const labels = node.metadata?.labels ?? {};
  return topologies.some((t) => (t.matchLabelExpressions ?? []).every((e: any) => (e.values ?? []).includes(labels[e.key])));
}
