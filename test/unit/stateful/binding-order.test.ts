// The scheduler's binding cycle with volumes (VolumeBinding's PreBind) and its queueing hints for
// storage, with the whole control plane (newSim): a pod whose claim waits for its first consumer is
// bound only once the claim is; a pod refused because its claim is missing is tried again as soon as
// the claim appears, not 5 minutes later.
import { describe, expect, it } from 'vitest';
import { newSim, type Sim } from '../controlplane/harness.js';
import type { KObject } from '../../../src/apiserver/types.js';
import { apply, events } from './helpers.js';

const claim = (name: string, extra: any = {}): KObject => ({
  apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...extra },
});
const podWith = (name: string, claimName: string, spec: any = {}): KObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name },
  spec: { containers: [{ name: 'c', image: 'nginx' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }], ...spec },
});
const pvc = (sim: Sim, name: string) => sim.get('persistentvolumeclaims', 'default', name)!;
const pod = (sim: Sim, name: string) => sim.get('pods', 'default', name)!;
const reasonsFor = (sim: Sim, name: string) => events(sim).filter((e) => e.involvedObject.name === name).map((e) => e.reason);
const podScheduled = (p: KObject) => (p.status?.conditions ?? []).find((c: any) => c.type === 'PodScheduled');

describe('binding order: PreBind before Bind', () => {
  it('binds the pod only once its WaitForFirstConsumer claim is provisioned and Bound', async () => {
    const sim = await newSim();
    await apply(sim, [claim('data'), podWith('user', 'data')]);
    await sim.run(500);
    // PreBind has chosen the node for the claim and the claim is bound, but the pod waits for the next poll.
    const c = pvc(sim, 'data');
    const node = c.metadata!.annotations!['volume.kubernetes.io/selected-node'];
    expect(node).toMatch(/^sim-worker/);
    expect(c.status.phase).toBe('Bound');
    let p = pod(sim, 'user');
    expect(p.spec.nodeName).toBeUndefined();
    expect(podScheduled(p)).toBeUndefined();
    expect(reasonsFor(sim, 'user')).toEqual([]);

    await sim.run(1000);
    p = pod(sim, 'user');
    expect(p.spec.nodeName).toBe(node);
    expect(podScheduled(p)).toMatchObject({ status: 'True' });
    const scheduled = events(sim).find((e) => e.reason === 'Scheduled')!;
    expect(scheduled.message).toBe(`Successfully assigned default/user to ${node}`);
    // the claim was bound before the pod: its binding precedes the pod's in the store's history
    expect(Number(pvc(sim, 'data').metadata!.resourceVersion)).toBeLessThan(Number(scheduled.metadata!.resourceVersion));
    const trace = sim.trace.records.map((r: any) => `${r.component} ${r.action} ${r.object}`);
    const claimBound = trace.findIndex((t: string) => t.includes('Bind persistentvolumeclaim/default/data'));
    const podBound = trace.findIndex((t: string) => t.startsWith('kube-scheduler Bind pod/default/user'));
    expect(claimBound).toBeGreaterThanOrEqual(0);
    expect(podBound).toBeGreaterThan(claimBound);
  });

  it('binds a static volume of a no-provisioner class through the volume claimRef, on the volume node', async () => {
    const sim = await newSim();
    const cls: KObject = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'local-storage' }, provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'WaitForFirstConsumer' };
    const local: KObject = {
      apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'local-1' },
      spec: {
        storageClassName: 'local-storage', capacity: { storage: '5Gi' }, accessModes: ['ReadWriteOnce'], local: { path: '/mnt/disks/1' },
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['sim-worker2'] }] }] } },
      },
    };
    await apply(sim, [cls, local, claim('fast', { storageClassName: 'local-storage' })]);
    await sim.run(1000);
    // nobody uses it yet: the volume stays free
    expect(pvc(sim, 'fast').status.phase).toBe('Pending');
    expect(sim.get('persistentvolumes', undefined, 'local-1')!.status.phase).toBe('Available');
    await apply(sim, [podWith('db', 'fast')]);
    await sim.run(2000);
    expect(pod(sim, 'db').spec.nodeName).toBe('sim-worker2');
    const c = pvc(sim, 'fast');
    expect(c.spec.volumeName).toBe('local-1');
    expect(c.status.phase).toBe('Bound');
    // a static binding names no node on the claim: the scheduler wrote the volume's claimRef instead
    expect(c.metadata!.annotations?.['volume.kubernetes.io/selected-node']).toBeUndefined();
    const pv = sim.get('persistentvolumes', undefined, 'local-1')!;
    expect(pv.spec.claimRef).toMatchObject({ name: 'fast', namespace: 'default', uid: c.metadata!.uid });
    expect(pv.metadata!.annotations).toMatchObject({ 'pv.kubernetes.io/bound-by-controller': 'yes' });
  });

  it('gives up after the 10-minute bind timeout with the real FailedScheduling message and SchedulerError', async () => {
    const sim = await newSim();
    // a class whose provisioner is not running: the claim gets its node, but no volume ever comes
    const cls: KObject = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'absent' }, provisioner: 'example.com/absent', volumeBindingMode: 'WaitForFirstConsumer' };
    await apply(sim, [cls, claim('never', { storageClassName: 'absent' }), podWith('stuck', 'never')]);
    await sim.run(60_000);
    const node = pvc(sim, 'never').metadata!.annotations!['volume.kubernetes.io/selected-node'];
    expect(node).toMatch(/^sim-worker/);
    expect(reasonsFor(sim, 'never')).toContain('ExternalProvisioning');
    let p = pod(sim, 'stuck');
    expect(p.spec.nodeName).toBeUndefined();
    expect(reasonsFor(sim, 'stuck')).toEqual([]);

    await sim.run(545_000);
    p = pod(sim, 'stuck');
    const failed = events(sim).filter((e) => e.reason === 'FailedScheduling' && e.involvedObject.name === 'stuck');
    expect(failed.map((e) => e.message)).toEqual(['running PreBind plugin "VolumeBinding": binding volumes: context deadline exceeded']);
    expect(failed[0].type).toBe('Warning');
    expect(podScheduled(p)).toMatchObject({ status: 'False', reason: 'SchedulerError', message: 'running PreBind plugin "VolumeBinding": binding volumes: context deadline exceeded' });
    expect(p.spec.nodeName).toBeUndefined();
  });

  it('tells a waiting claim which unscheduled pod it waits for (WaitForPodScheduled)', async () => {
    const sim = await newSim();
    await apply(sim, [claim('data')]);
    await sim.run(1000);
    await apply(sim, [podWith('nowhere', 'data', { nodeSelector: { disk: 'ssd' } })]);
    await sim.run(20_000);
    expect(pod(sim, 'nowhere').spec.nodeName).toBeUndefined();
    const waits = events(sim).filter((e) => e.involvedObject.name === 'data').map((e) => `${e.reason}: ${e.message}`);
    expect(waits).toEqual([
      'WaitForFirstConsumer: waiting for first consumer to be created before binding',
      'WaitForPodScheduled: waiting for pod nowhere to be scheduled',
    ]);
  });
});

describe('retry on storage changes (VolumeBinding queueing hints)', () => {
  it('schedules a pod whose claim appears later within seconds, not 5 minutes', async () => {
    const sim = await newSim();
    await apply(sim, [podWith('early', 'late')]);
    await sim.run(10_000);
    expect(pod(sim, 'early').spec.nodeName).toBeUndefined();
    const failed = events(sim).filter((e) => e.reason === 'FailedScheduling');
    expect(failed).toHaveLength(1);
    expect(failed[0].message).toBe('0/4 nodes are available: persistentvolumeclaim "late" not found. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.');
    // nothing that matters changed: no second try (the series count stays unset)
    expect(failed[0].series).toBeUndefined();

    await apply(sim, [claim('late')]);
    await sim.run(3000);
    const p = pod(sim, 'early');
    expect(p.spec.nodeName).toMatch(/^sim-worker/);
    expect(pvc(sim, 'late').status.phase).toBe('Bound');
    expect(sim.clock.now() - Date.parse(events(sim).find((e) => e.reason === 'Scheduled')!.eventTime)).toBeLessThan(3000);
  });

  it('tries again when a claim bound to a missing volume gets its volume', async () => {
    const sim = await newSim();
    // pre-bound by name to a volume that does not exist yet
    await apply(sim, [claim('pre', { storageClassName: 'manual', volumeName: 'later-pv' }), podWith('waits', 'pre')]);
    await sim.run(5000);
    expect(pod(sim, 'waits').spec.nodeName).toBeUndefined();
    expect(events(sim).find((e) => e.reason === 'FailedScheduling')!.message).toBe(
      '0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s). preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.',
    );
    await apply(sim, [{
      apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'later-pv' },
      spec: { storageClassName: 'manual', capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/mnt/later' } },
    }]);
    await sim.run(3000);
    expect(pod(sim, 'waits').spec.nodeName).toMatch(/^sim-/);
  });
});
