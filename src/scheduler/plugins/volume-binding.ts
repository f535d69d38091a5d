// VolumeBinding: a pod that mounts PersistentVolumeClaims goes only where its volumes can be.
// PreFilter: every claim must exist and not be going away, and a claim of an Immediate class must
// already be bound. Filter: a bound claim's volume must admit the node (its node affinity: a
// local-path volume lives on one node, so a recreated StatefulSet pod returns to it); a claim
// waiting for its first consumer needs either a free static volume the node can reach or a class
// that can provision one there (and a claim already given a node by an earlier try, the
// selected-node annotation, admits that node only).
//
// PreBind (BindPodVolumes): the claims still waiting for their first consumer are settled for the
// chosen node through the API (a static volume gets the claim in its claimRef; a claim to provision
// gets volume.kubernetes.io/selected-node, which sets the provisioner off), then the plugin polls
// every second until the PV controller has bound them all; only then is the pod bound. It gives up
// after bindTimeout (600 s): "binding volumes: context deadline exceeded".
//
// Plugins are synchronous in their scheduling cycle and see only the snapshot: the claims,
// volumes and classes come from snapshot.volumes (listVolumes, once per reconcile). PreBind is
// asynchronous and reads and writes through the scheduler's client.
import type { KObject } from '../../apiserver/types.js';
import type { ComponentClient } from '../../controllers/component.js';
import {
  ANN_BIND_COMPLETED, ANN_BOUND_BY_CONTROLLER, ANN_SELECTED_NODE, bestVolumeFor, claimClass, isDelayBinding, NO_PROVISIONER, podClaimNames, volumeFitsNode,
} from '../../controllers/persistentvolume/util.js';
import { type Plugin, type PreBindResult, type VolumeLister, unresolvable } from '../types.js';

export const ERR_UNBOUND_IMMEDIATE = 'pod has unbound immediate PersistentVolumeClaims';
export const ERR_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";
export const ERR_NODE_CONFLICT = 'node(s) had volume node affinity conflict';
export const ERR_PV_NOT_EXIST = 'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)';
/** VolumeBindingArgs.bindTimeoutSeconds' default */
export const BIND_TIMEOUT_MS = 600_000;
/** BindPodVolumes polls the claims this often (wait.PollUntilContextTimeout, not immediately) */
export const BIND_POLL_MS = 1000;
export const ERR_BIND_TIMEOUT = 'binding volumes: context deadline exceeded';

const NAME = 'VolumeBinding';

/** The scheduler's storage informers, listed once per reconcile. */
export async function listVolumes(c: ComponentClient): Promise<VolumeLister> {
  const claims = new Map((await c.list('persistentvolumeclaims')).map((p) => [`${p.metadata!.namespace}/${p.metadata!.name}`, p]));
  const volumes = await c.list('persistentvolumes');
  const byName = new Map(volumes.map((v) => [v.metadata!.name!, v]));
  const classes = new Map((await c.list('storageclasses')).map((sc) => [sc.metadata!.name!, sc]));
  return {
    claim: (ns, name) => claims.get(`${ns}/${name}`),
    volume: (name) => byName.get(name),
    volumes: () => volumes,
    classes,
  };
}

interface CycleState {
  bound: KObject[];
  missingPV: boolean;
  /** claims waiting for their first consumer */
  delayed: KObject[];
  classes: Map<string, KObject>;
  lister: VolumeLister;
}

export const volumeBinding: Plugin = {
  name: NAME,
  preFilter(ctx, pi) {
    const names = podClaimNames(pi.pod);
    const lister = ctx.snapshot.volumes;
    if (names.length === 0 || !lister) return undefined;
    const ns = pi.pod.metadata?.namespace ?? '';
    const classes = lister.classes;
    const state: CycleState = { bound: [], missingPV: false, delayed: [], classes, lister };
    for (const name of names) {
      const claim = lister.claim(ns, name);
      if (!claim) return unresolvable(NAME, `persistentvolumeclaim "${name}" not found`);
      if (claim.metadata?.deletionTimestamp) return unresolvable(NAME, `persistentvolumeclaim "${name}" is being deleted`);
      if (claim.spec?.volumeName) {
        const pv = lister.volume(claim.spec.volumeName);
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
      // A claim an earlier try already sent to a node (provisioning under way) fits that node only.
      const selected = claim.metadata?.annotations?.[ANN_SELECTED_NODE];
      if (selected !== undefined) {
        if (selected !== node.name) {
          reasons.push(ERR_BIND_CONFLICT);
          break;
        }
        continue;
      }
      const cls = state.classes.get(claimClass(claim, state.classes));
      if (cls && cls.provisioner !== NO_PROVISIONER && allowedOn(cls, node.node)) continue;
      if (!bestVolumeFor(claim, state.lister.volumes(), node.node, state.classes)) {
        reasons.push(ERR_BIND_CONFLICT);
        break;
      }
    }
    return reasons.length ? unresolvable(NAME, ...reasons) : undefined;
  },
  preBind: preBindVolumes,
};

/** isPVCFullyBound */
function fullyBound(claim: KObject): boolean {
  return !!claim.spec?.volumeName && claim.metadata?.annotations?.[ANN_BIND_COMPLETED] !== undefined;
}

interface BindState {
  /** the first PreBind has made its API updates */
  started?: boolean;
  /** static bindings: claim name → volume name */
  bindings?: Record<string, string>;
  /** claims handed to their provisioner with the selected-node annotation */
  provisions?: string[];
  /** the poll at which every claim was found bound */
  seenAt?: number;
}

async function preBindVolumes(bc: { client: ComponentClient; now: number; since: number; state: BindState }, pi: { pod: KObject }, node: string): Promise<PreBindResult> {
  const c = bc.client;
  const st = bc.state;
  const ns = pi.pod.metadata!.namespace!;
  if (!st.started) {
    const names = podClaimNames(pi.pod);
    if (names.length === 0) return undefined;
    const classes = new Map((await c.list('storageclasses')).map((sc) => [sc.metadata!.name!, sc]));
    const nodeObj = await c.get('nodes', undefined, node);
    let volumes: KObject[] | undefined;
    const bindings: Record<string, string> = {};
    const provisions: string[] = [];
    for (const name of names) {
      const claim = await c.get('persistentvolumeclaims', ns, name);
      if (!claim || claim.spec?.volumeName || !isDelayBinding(claim, classes)) continue;
      if (claim.metadata?.annotations?.[ANN_SELECTED_NODE] === undefined && nodeObj) {
        // findMatchingVolumes: a free static volume the node reaches, each volume once per pod
        volumes ??= await c.list('persistentvolumes');
        const taken = new Set(Object.values(bindings));
        const pv = bestVolumeFor(claim, volumes.filter((v) => !taken.has(v.metadata!.name!)), nodeObj, classes);
        if (pv) {
          bindings[name] = pv.metadata!.name!;
          continue;
        }
      }
      provisions.push(name);
    }
    // allBound: nothing to wait for, PreBind is a no-op
    if (!Object.keys(bindings).length && !provisions.length) return undefined;
    // bindAPIUpdate: the volume names the claim (the PV controller completes the claim's side) ...
    for (const [claimName, pvName] of Object.entries(bindings)) {
      const claim = await c.get('persistentvolumeclaims', ns, claimName);
      const pv = await c.get('persistentvolumes', undefined, pvName);
      if (!claim || !pv) continue;
      const body = structuredClone(pv);
      body.spec.claimRef = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: claimName, namespace: ns, resourceVersion: claim.metadata!.resourceVersion, uid: claim.metadata!.uid };
      body.metadata!.annotations = { ...(body.metadata!.annotations ?? {}), [ANN_BOUND_BY_CONTROLLER]: 'yes' };
      if (await c.update('persistentvolumes', body)) c.trace('PreBind', `persistentvolume/${pvName}`, `claimRef → ${ns}/${claimName}`);
    }
    // ... and a claim to provision learns its node
    for (const claimName of provisions) {
      const claim = await c.get('persistentvolumeclaims', ns, claimName);
      if (!claim || claim.metadata?.annotations?.[ANN_SELECTED_NODE] === node) continue;
      if (await c.patch('persistentvolumeclaims', ns, claimName, { metadata: { annotations: { [ANN_SELECTED_NODE]: node } } })) {
        c.trace('PreBind', `persistentvolumeclaim/${ns}/${claimName}`, `${ANN_SELECTED_NODE}=${node}`);
      }
    }
    Object.assign(st, { started: true, bindings, provisions });
  }
  const checked = await checkBindings(c, ns, node, st);
  if (typeof checked === 'object') return { code: 'Error', message: `binding volumes: ${checked.error}` };
  const deadline = bc.since + BIND_TIMEOUT_MS;
  if (checked === true) {
    // the poll that sees it: the first whole poll interval since the cycle began, from when it was
    // first found bound (kept: the runtime serves timers a little late, on its grid)
    st.seenAt ??= bc.since + Math.max(1, Math.ceil((bc.now - bc.since) / BIND_POLL_MS)) * BIND_POLL_MS;
    if (bc.now >= st.seenAt) return undefined;
    return { code: 'Wait', reason: 'volumes bound, next poll', retryAt: st.seenAt, deadline };
  }
  if (bc.now >= deadline) return { code: 'Error', message: ERR_BIND_TIMEOUT };
  return { code: 'Wait', reason: `waiting for ${checked} to be bound`, deadline };
}

/** checkBindings: true when every claim PreBind acted on is fully bound; a string names what is not; {error} gives up */
async function checkBindings(c: ComponentClient, ns: string, node: string, st: BindState): Promise<true | string | { error: string }> {
  const waiting: string[] = [];
  for (const [claimName, pvName] of Object.entries(st.bindings ?? {})) {
    const pv = await c.get('persistentvolumes', undefined, pvName);
    if (!pv) return { error: `failed to check binding: could not find v1.PersistentVolume "${pvName}"` };
    const claim = await c.get('persistentvolumeclaims', ns, claimName);
    if (!claim) return { error: `failed to check binding: could not find v1.PersistentVolumeClaim "${ns}/${claimName}"` };
    if (!pv.spec?.claimRef?.uid) return { error: `ClaimRef got reset for pv "${pvName}"` };
    if (!fullyBound(claim)) waiting.push(`persistentvolumeclaim/${claimName}`);
  }
  for (const claimName of st.provisions ?? []) {
    const claim = await c.get('persistentvolumeclaims', ns, claimName);
    if (!claim) return { error: `failed to check provisioning pvc: could not find v1.PersistentVolumeClaim "${ns}/${claimName}"` };
    const selected = claim.metadata?.annotations?.[ANN_SELECTED_NODE];
    // a provisioner that cannot provision there takes the annotation away: the scheduler tries again
    if (selected === undefined && !claim.metadata?.annotations) return { error: `selectedNode annotation reset for PVC "${claimName}"` };
    if (selected !== node) return { error: `selectedNode annotation value "${selected ?? ''}" not set to scheduled node "${node}"` };
    if (!fullyBound(claim)) waiting.push(`persistentvolumeclaim/${claimName}`);
  }
  return waiting.length ? waiting.join(', ') : true;
}

/** a class's allowedTopologies (none: everywhere) */
function allowedOn(cls: KObject, node: KObject): boolean {
  const topologies: any[] | undefined = cls.allowedTopologies;
  if (!topologies?.length) return true;
  const labels = node.metadata?.labels ?? {};
  return topologies.some((t) => (t.matchLabelExpressions ?? []).every((e: any) => (e.values ?? []).includes(labels[e.key])));
}
