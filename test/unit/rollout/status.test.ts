// kubectl's rollout status viewers: the exact line for each stage of a rollout.
import { describe, expect, it } from 'vitest';
import { deploymentStatus, daemonSetStatus, statefulSetStatus, statusFor } from '../../../src/client/rollout/status.js';

const deploy = (generation: number, status: any, spec: any = { replicas: 2 }, annotations?: any) =>
  ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', generation, annotations }, spec, status });

describe('deployment status', () => {
  it('walks through the stages kubectl reports, in its words', () => {
    expect(deploymentStatus(deploy(2, { observedGeneration: 1 })).message).toBe('Waiting for deployment spec update to be observed...\n');
    expect(deploymentStatus(deploy(2, { observedGeneration: 2, updatedReplicas: 1, replicas: 3 }))).toEqual({
      message: 'Waiting for deployment "web" rollout to finish: 1 out of 2 new replicas have been updated...\n', done: false,
    });
    expect(deploymentStatus(deploy(2, { observedGeneration: 2, updatedReplicas: 2, replicas: 3 })).message).toBe(
      'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...\n');
    expect(deploymentStatus(deploy(2, { observedGeneration: 2, updatedReplicas: 2, replicas: 2, availableReplicas: 1 })).message).toBe(
      'Waiting for deployment "web" rollout to finish: 1 of 2 updated replicas are available...\n');
    expect(deploymentStatus(deploy(2, { observedGeneration: 2, updatedReplicas: 2, replicas: 2, availableReplicas: 2 }))).toEqual({
      message: 'deployment "web" successfully rolled out\n', done: true,
    });
  });

  it('fails on an exceeded progress deadline and on a revision mismatch', () => {
    const stuck = deploy(1, { observedGeneration: 1, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] });
    expect(deploymentStatus(stuck).error).toBe('deployment "web" exceeded its progress deadline');
    const at3 = deploy(1, { observedGeneration: 1 }, { replicas: 1 }, { 'deployment.kubernetes.io/revision': '3' });
    expect(deploymentStatus(at3, 2).error).toBe('desired revision (2) is different from the running revision (3)');
    expect(deploymentStatus(at3, 3).error).toBeUndefined();
  });
});

describe('daemon set and stateful set status', () => {
  it('reports daemon set progress', () => {
    const ds = (s: any) => ({ kind: 'DaemonSet', metadata: { name: 'agent', generation: 1 }, spec: {}, status: { observedGeneration: 1, ...s } });
    expect(daemonSetStatus(ds({ desiredNumberScheduled: 3, updatedNumberScheduled: 1 })).message).toBe(
      'Waiting for daemon set "agent" rollout to finish: 1 out of 3 new pods have been updated...\n');
    expect(daemonSetStatus(ds({ desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 2 })).message).toBe(
      'Waiting for daemon set "agent" rollout to finish: 2 of 3 updated pods are available...\n');
    expect(daemonSetStatus(ds({ desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3 }))).toEqual({ message: 'daemon set "agent" successfully rolled out\n', done: true });
    expect(daemonSetStatus({ kind: 'DaemonSet', metadata: { name: 'a' }, spec: { updateStrategy: { type: 'OnDelete' } } }).error).toBe(
      'rollout status is only available for RollingUpdate strategy type');
  });

  it('reports stateful set progress', () => {
    const sts = (s: any, spec: any = { replicas: 3 }) => ({ kind: 'StatefulSet', metadata: { name: 'db', generation: 1 }, spec, status: s });
    expect(statefulSetStatus(sts({})).message).toBe('Waiting for statefulset spec update to be observed...\n');
    expect(statefulSetStatus(sts({ observedGeneration: 1, readyReplicas: 1 })).message).toBe('Waiting for 2 pods to be ready...\n');
    expect(statefulSetStatus(sts({ observedGeneration: 1, readyReplicas: 3, updateRevision: 'db-2', currentRevision: 'db-1', updatedReplicas: 1 })).message).toBe(
      'waiting for statefulset rolling update to complete 1 pods at revision db-2...\n');
    expect(statefulSetStatus(sts({ observedGeneration: 1, readyReplicas: 3, updateRevision: 'db-2', currentRevision: 'db-2', currentReplicas: 3 }))).toEqual({
      message: 'statefulset rolling update complete 3 pods at revision db-2...\n', done: true,
    });
    const part = sts({ observedGeneration: 1, readyReplicas: 3, updatedReplicas: 1 }, { replicas: 3, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } });
    expect(statefulSetStatus(part).message).toBe('Waiting for partitioned roll out to finish: 1 out of 2 new pods have been updated...\n');
  });

  it('has no viewer for other kinds', () => {
    expect(statusFor({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }).error).toBe('no status viewer has been implemented for Pod');
    expect(statusFor({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'r' } }).error).toBe('no status viewer has been implemented for ReplicaSet.apps');
  });
});
