// apps/v1 and core/v1 controllers: Deployment, ReplicaSet, StatefulSet, DaemonSet, ReplicationController.
import { defaultPodTemplate } from './podspec.js';
import { defaultPVCSpec } from './storage.js';

export function defaultDeployment(d: any): void {
  const spec = (d.spec ??= {});
  spec.replicas ??= 1;
  const st = (spec.strategy ??= {});
  st.type ??= 'RollingUpdate';
  if (st.type === 'RollingUpdate') {
    st.rollingUpdate ??= {};
    st.rollingUpdate.maxUnavailable ??= '25%';
    st.rollingUpdate.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  defaultPodTemplate(spec.template ??= {});
}

export function defaultReplicaSet(rs: any): void {
  const spec = (rs.spec ??= {});
  spec.replicas ??= 1;
  defaultPodTemplate(spec.template ??= {});
}

export function defaultStatefulSet(s: any): void {
  const spec = (s.spec ??= {});
  spec.replicas ??= 1;
  spec.podManagementPolicy ??= 'OrderedReady';
  const us = (spec.updateStrategy ??= {});
  us.type ??= 'RollingUpdate';
  if (us.type === 'RollingUpdate') {
    us.rollingUpdate ??= {};
    us.rollingUpdate.partition ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  const ret = (spec.persistentVolumeClaimRetentionPolicy ??= {});
  ret.whenDeleted ??= 'Retain';
  ret.whenScaled ??= 'Retain';
  for (const t of spec.volumeClaimTemplates ?? []) {
    if (!t) continue;
    t.apiVersion ??= 'v1';
    t.kind ??= 'PersistentVolumeClaim';
    t.metadata ??= {};
    t.metadata.creationTimestamp ??= null;
    defaultPVCSpec(t.spec ??= {});
    t.status ??= { phase: 'Pending' };
  }
  defaultPodTemplate(spec.template ??= {});
}

export function defaultDaemonSet(ds: any): void {
  const spec = (ds.spec ??= {});
  const us = (spec.updateStrategy ??= {});
  us.type ??= 'RollingUpdate';
  if (us.type === 'RollingUpdate') {
    us.rollingUpdate ??= {};
    us.rollingUpdate.maxUnavailable ??= 1;
    us.rollingUpdate.maxSurge ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  defaultPodTemplate(spec.template ??= {});
}

/** ReplicationController: selector and labels come from the template when left out. */
export function defaultReplicationController(rc: any): void {
  const spec = (rc.spec ??= {});
  const tplLabels = spec.template?.metadata?.labels;
  if (tplLabels && Object.keys(tplLabels).length) {
    if (!spec.selector || Object.keys(spec.selector).length === 0) spec.selector = { ...tplLabels };
    rc.metadata ??= {};
    if (!rc.metadata.labels || Object.keys(rc.metadata.labels).length === 0) rc.metadata.labels = { ...tplLabels };
  }
  spec.replicas ??= 1;
  if (spec.template) defaultPodTemplate(spec.template);
}
