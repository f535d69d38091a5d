// PersistentVolumeClaim, PersistentVolume and StorageClass.
import { tabbed, LEVEL_0, LEVEL_1, LEVEL_2 } from './writer.js';
import type { DescribeLookup } from './types.js';
import { printLabelsMultiline, printAnnotationsMultiline, rfc1123z, since, accessModesString, formatLabels, boolPtrText, goList } from './util.js';
import { describeEvents } from './events.js';
import { canonical } from './quantity.js';

const BETA_CLASS = 'volume.beta.kubernetes.io/storage-class';

export function describePVC(pvc: any, lookup: DescribeLookup): string {
  const ns = pvc.metadata?.namespace;
  const spec = pvc.spec ?? {};
  const pods = lookup.list('pods', ns).filter((p) =>
    (p.spec?.volumes ?? []).some((v: any) => v.persistentVolumeClaim?.claimName === pvc.metadata?.name)
    || (pvc.metadata?.ownerReferences ?? []).some((o: any) => o.kind === 'Pod' && o.uid === p.metadata?.uid));
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${pvc.metadata?.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${ns ?? ''}\n`);
    w.write(LEVEL_0, `StorageClass:\t${pvc.metadata?.annotations?.[BETA_CLASS] ?? spec.storageClassName ?? ''}\n`);
    if (pvc.metadata?.deletionTimestamp) w.write(LEVEL_0, `Status:\tTerminating (lasts ${since(pvc.metadata.deletionTimestamp, lookup.now)})\n`);
    else w.write(LEVEL_0, `Status:\t${pvc.status?.phase ?? ''}\n`);
    w.write(LEVEL_0, `Volume:\t${spec.volumeName ?? ''}\n`);
    printLabelsMultiline(w, 'Labels', pvc.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', pvc.metadata?.annotations);
    w.write(LEVEL_0, `Finalizers:\t${goList(pvc.metadata?.finalizers)}\n`);
    let capacity = '';
    let modes = '';
    if (spec.volumeName) {
      modes = accessModesString(pvc.status?.accessModes);
      capacity = canonical(pvc.status?.capacity?.storage ?? '0');
    }
    w.write(LEVEL_0, `Capacity:\t${capacity}\n`);
    w.write(LEVEL_0, `Access Modes:\t${modes}\n`);
    if (spec.volumeMode) w.write(LEVEL_0, `VolumeMode:\t${spec.volumeMode}\n`);
    if (spec.dataSource) {
      w.write(LEVEL_0, 'DataSource:\n');
      if (spec.dataSource.apiGroup) w.write(LEVEL_1, `APIGroup:\t${spec.dataSource.apiGroup}\n`);
      w.write(LEVEL_1, `Kind:\t${spec.dataSource.kind}\n`);
      w.write(LEVEL_1, `Name:\t${spec.dataSource.name}\n`);
    }
    const names = [...new Set(pods.map((p) => p.metadata?.name as string))].sort();
    w.write(LEVEL_0, 'Used By:\t');
    if (names.length === 0) w.writeLine('<none>');
    names.forEach((n, i) => {
      if (i !== 0) w.write(LEVEL_0, '\t');
      w.write(LEVEL_0, `${n}\n`);
    });
    if ((pvc.status?.conditions ?? []).length > 0) {
      w.write(LEVEL_0, 'Conditions:\n');
      w.write(LEVEL_1, 'Type\tStatus\tLastProbeTime\tLastTransitionTime\tReason\tMessage\n');
      w.write(LEVEL_1, '----\t------\t-----------------\t------------------\t------\t-------\n');
      for (const c of pvc.status.conditions) {
        w.write(LEVEL_1, `${c.type} \t${c.status} \t${rfc1123z(c.lastProbeTime)} \t${rfc1123z(c.lastTransitionTime)} \t${c.reason ?? ''} \t${c.message ?? ''}\n`);
      }
    }
    describeEvents(lookup.events(pvc), w, lookup.now);
  });
}

export function describePV(pv: any, lookup: DescribeLookup): string {
  const spec = pv.spec ?? {};
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${pv.metadata?.name ?? ''}\n`);
    printLabelsMultiline(w, 'Labels', pv.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', pv.metadata?.annotations);
    w.write(LEVEL_0, `Finalizers:\t${goList(pv.metadata?.finalizers)}\n`);
    w.write(LEVEL_0, `StorageClass:\t${pv.metadata?.annotations?.[BETA_CLASS] ?? spec.storageClassName ?? ''}\n`);
    if (pv.metadata?.deletionTimestamp) w.write(LEVEL_0, `Status:\tTerminating (lasts ${since(pv.metadata.deletionTimestamp, lookup.now)})\n`);
    else w.write(LEVEL_0, `Status:\t${pv.status?.phase ?? ''}\n`);
    w.write(LEVEL_0, `Claim:\t${spec.claimRef ? `${spec.claimRef.namespace ?? ''}/${spec.claimRef.name ?? ''}` : ''}\n`);
    w.write(LEVEL_0, `Reclaim Policy:\t${spec.persistentVolumeReclaimPolicy ?? ''}\n`);
    w.write(LEVEL_0, `Access Modes:\t${accessModesString(spec.accessModes)}\n`);
    if (spec.volumeMode) w.write(LEVEL_0, `VolumeMode:\t${spec.volumeMode}\n`);
    w.write(LEVEL_0, `Capacity:\t${canonical(spec.capacity?.storage ?? '0')}\n`);
    w.write(LEVEL_0, 'Node Affinity:\t');
    const req = spec.nodeAffinity?.required;
    if (!req) w.writeLine('<none>');
    else {
      w.writeLine('');
      w.write(LEVEL_1, 'Required Terms:\t');
      const terms = req.nodeSelectorTerms ?? [];
      if (terms.length === 0) w.writeLine('<none>');
      else {
        w.writeLine('');
        terms.forEach((t: any, i: number) => {
          w.write(LEVEL_2, `Term ${i}:\t`);
          const exprs = t.matchExpressions ?? [];
          if (exprs.length === 0) w.writeLine('<none>');
          exprs.forEach((e: any, j: number) => {
            if (j !== 0) w.write(LEVEL_2, '\t');
            let s = `${e.key} ${String(e.operator).toLowerCase()}`;
            if ((e.values ?? []).length > 0) s += ` [${e.values.join(', ')}]`;
            w.write(LEVEL_0, `${s}\n`);
          });
        });
      }
    }
    w.write(LEVEL_0, `Message:\t${pv.status?.message ?? ''}\n`);
    w.write(LEVEL_0, 'Source:\n');
    if (spec.hostPath) w.write(LEVEL_2, `Type:\tHostPath (bare host directory volume)\n    Path:\t${spec.hostPath.path ?? ''}\n    HostPathType:\t${spec.hostPath.type ?? '<none>'}\n`);
    else if (spec.nfs) w.write(LEVEL_2, `Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t${spec.nfs.server ?? ''}\n    Path:\t${spec.nfs.path ?? ''}\n    ReadOnly:\t${!!spec.nfs.readOnly}\n`);
    else if (spec.local) w.write(LEVEL_2, `Type:\tLocalVolume (a persistent volume backed by local storage on a node)\n    Path:\t${spec.local.path ?? ''}\n`);
    else if (spec.csi) {
      w.write(LEVEL_2, `Type:\tCSI (a Container Storage Interface (CSI) volume source)\n    Driver:\t${spec.csi.driver ?? ''}\n    FSType:\t${spec.csi.fsType ?? ''}\n    VolumeHandle:\t${spec.csi.volumeHandle ?? ''}\n    ReadOnly:\t${!!spec.csi.readOnly}\n`);
      w.write(LEVEL_2, 'VolumeAttributes:\t');
      const keys = Object.keys(spec.csi.volumeAttributes ?? {}).sort();
      if (keys.length === 0) w.writeLine('<none>');
      keys.forEach((k, i) => {
        if (i !== 0) w.write(LEVEL_2, '\t');
        w.write(LEVEL_2, `${k}=${spec.csi.volumeAttributes[k]}\n`);
      });
    } else w.write(LEVEL_1, '<unknown>\n');
    describeEvents(lookup.events(pv), w, lookup.now);
  });
}

export function describeStorageClass(sc: any, lookup: DescribeLookup): string {
  const ann = sc.metadata?.annotations ?? {};
  const isDefault = ann['storageclass.kubernetes.io/is-default-class'] === 'true' || ann['storageclass.beta.kubernetes.io/is-default-class'] === 'true' ? 'Yes' : 'No';
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${sc.metadata?.name ?? ''}\n`);
    w.write(LEVEL_0, `IsDefaultClass:\t${isDefault}\n`);
    w.write(LEVEL_0, `Annotations:\t${formatLabels(ann)}\n`);
    w.write(LEVEL_0, `Provisioner:\t${sc.provisioner ?? ''}\n`);
    w.write(LEVEL_0, `Parameters:\t${formatLabels(sc.parameters)}\n`);
    w.write(LEVEL_0, `AllowVolumeExpansion:\t${boolPtrText(sc.allowVolumeExpansion)}\n`);
    const opts = sc.mountOptions ?? [];
    if (opts.length === 0) w.write(LEVEL_0, 'MountOptions:\t<none>\n');
    else {
      w.write(LEVEL_0, 'MountOptions:\n');
      for (const o of opts) w.write(LEVEL_1, `${o}\n`);
    }
    if (sc.reclaimPolicy) w.write(LEVEL_0, `ReclaimPolicy:\t${sc.reclaimPolicy}\n`);
    if (sc.volumeBindingMode) w.write(LEVEL_0, `VolumeBindingMode:\t${sc.volumeBindingMode}\n`);
    if (sc.allowedTopologies) {
      w.write(LEVEL_0, 'AllowedTopologies:\t');
      if (sc.allowedTopologies.length === 0) w.writeLine('<none>');
      else {
        w.writeLine('');
        sc.allowedTopologies.forEach((t: any, i: number) => {
          w.write(LEVEL_1, `Term ${i}:\t`);
          const reqs = t.matchLabelExpressions ?? [];
          if (reqs.length === 0) w.writeLine('<none>');
          reqs.forEach((r: any, j: number) => {
            if (j !== 0) w.write(LEVEL_1, '\t');
            w.write(LEVEL_0, `${r.key} in${(r.values ?? []).length > 0 ? ` [${r.values.join(', ')}]` : ''}\n`);
          });
        });
      }
    }
    describeEvents(lookup.events(sc), w, lookup.now);
  });
}
