// kind's dynamic provisioner, rancher.io/local-path (local-path-provisioner, built on
// sig-storage-lib-external-provisioner): for a claim handed to it (the storage-provisioner
// annotation) whose pod's node is known (the selected-node annotation), it makes a hostPath
// volume under /var/local-path-provisioner on that node, named pvc-<claim uid>, tied to the node by
// a required node affinity and pre-bound to the claim; the binder completes the binding. When such
// a volume is released and its reclaim policy is Delete, the provisioner removes it.
//
// kind runs it as a Deployment in local-path-storage; minikctl runs it as a component instead, so
// it adds no pods to the cluster. Its events carry the identity the real one has:
// `rancher.io/local-path_<pod>_<uuid>`.
import type { KObject } from '../../apiserver/types.js';
import type { Component, ComponentClient } from '../component.js';
import { ANN_PROVISIONED_BY, ANN_SELECTED_NODE, ANN_STORAGE_PROVISIONER, ANN_BETA_STORAGE_PROVISIONER, claimClass } from './util.js';

export const LOCAL_PATH_PROVISIONER = 'rancher.io/local-path';
export const LOCAL_PATH_ROOT = '/var/local-path-provisioner';
const COMPONENT = 'local-path-provisioner';

interface ProvisionerState {
  identity: string;
  /** claims it could not provision (by uid): told once, not on every run */
  failed?: Record<string, true>;
}

function identity(c: ComponentClient): string {
  const st = c.state<ProvisionerState>(COMPONENT, () => ({ identity: '' }));
  if (!st.identity) {
    // local-path-provisioner-<ReplicaSet hash>-<pod suffix>_<a uuid per process>
    st.identity = `${LOCAL_PATH_PROVISIONER}_local-path-provisioner-${c.rng.string(10)}-${c.rng.string(5)}_${c.rng.uuid()}`;
    c.touch();
  }
  return st.identity;
}

function provisionerOf(claim: KObject): string | undefined {
  const a = claim.metadata?.annotations ?? {};
  return a[ANN_STORAGE_PROVISIONER] ?? a[ANN_BETA_STORAGE_PROVISIONER];
}

export function localPathVolume(claim: KObject, cls: KObject, node: string): KObject {
  const ns = claim.metadata!.namespace!;
  const name = `pvc-${claim.metadata!.uid}`;
  return {
    apiVersion: 'v1', kind: 'PersistentVolume',
    metadata: {
      name,
      annotations: { 'local.path.provisioner/selected-node': node, [ANN_PROVISIONED_BY]: LOCAL_PATH_PROVISIONER },
    },
    spec: {
      accessModes: [...(claim.spec?.accessModes ?? [])],
      capacity: { storage: claim.spec?.resources?.requests?.storage ?? '0' },
      claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: claim.metadata!.name, namespace: ns, resourceVersion: claim.metadata!.resourceVersion, uid: claim.metadata!.uid },
      hostPath: { path: `${LOCAL_PATH_ROOT}/${name}_${ns}_${claim.metadata!.name}`, type: 'DirectoryOrCreate' },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] } },
      persistentVolumeReclaimPolicy: cls.reclaimPolicy ?? 'Delete',
      storageClassName: cls.metadata!.name,
      volumeMode: claim.spec?.volumeMode ?? 'Filesystem',
    },
  };
}

export const localPathProvisioner: Component = {
  name: COMPONENT,
  watches: ['persistentvolumeclaims', 'persistentvolumes', 'storageclasses'],
  async reconcile(c) {
    const claims = (await c.list('persistentvolumeclaims')).filter((p) => provisionerOf(p) === LOCAL_PATH_PROVISIONER);
    const volumes = await c.list('persistentvolumes');
    const mine = volumes.filter((v) => v.metadata?.annotations?.[ANN_PROVISIONED_BY] === LOCAL_PATH_PROVISIONER);
    if (claims.length === 0 && mine.length === 0) return false;
    const byName = new Map(volumes.map((v) => [v.metadata!.name!, v]));
    const classes = new Map((await c.list('storageclasses')).map((sc) => [sc.metadata!.name!, sc]));
    let changed = false;
    const from = () => ({ component: identity(c) });
    for (const claim of claims) {
      if (claim.spec?.volumeName || claim.metadata?.deletionTimestamp) continue;
      const name = `pvc-${claim.metadata!.uid}`;
      if (byName.has(name)) continue;
      const cls = classes.get(claimClass(claim, classes));
      if (!cls || cls.provisioner !== LOCAL_PATH_PROVISIONER) continue;
      const ref = `${claim.metadata!.namespace}/${claim.metadata!.name}`;
      const node = claim.metadata?.annotations?.[ANN_SELECTED_NODE];
      const st = c.state<ProvisionerState>(COMPONENT, () => ({ identity: '' }));
      if (!node && st.failed?.[claim.metadata!.uid!]) continue;
      await c.event(claim, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim "${ref}"`, from());
      if (!node) {
        // local-path volumes live on one node: without the scheduler's choice there is none.
        await c.event(claim, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass "${cls.metadata!.name}": configuration error, no node was specified`, from());
        (st.failed ??= {})[claim.metadata!.uid!] = true;
        c.touch();
        continue;
      }
      const pv = await c.create('persistentvolumes', undefined, localPathVolume(claim, cls, node));
      if (!pv) continue;
      changed = true;
      c.trace('Provision', `persistentvolume/${name}`, `hostPath on ${node} for persistentvolumeclaim/${ref}`);
      await c.event(claim, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${name}`, from());
    }
    // Released volumes with reclaim policy Delete: the directory goes, then the volume.
    for (const pv of mine) {
      if (pv.metadata?.deletionTimestamp || pv.status?.phase !== 'Released' || pv.spec?.persistentVolumeReclaimPolicy !== 'Delete') continue;
      if (await c.delete('persistentvolumes', undefined, pv.metadata!.name!)) {
        changed = true;
        c.trace('Delete', `persistentvolume/${pv.metadata!.name}`, 'released, reclaim policy Delete');
      }
    }
    return changed;
  },
};
