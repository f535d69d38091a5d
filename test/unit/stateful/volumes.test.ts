// PersistentVolume binding, kind's local-path provisioner and the scheduler's VolumeBinding plugin,
// with the whole control plane (newSim). The static volume and claim are the docs' pv-volume.yaml
// and pv-claim.yaml (tasks/configure-pod-container/configure-persistent-volume-storage).
import { describe, expect, it } from 'vitest';
import { newSim, type Sim } from '../controlplane/harness.js';
import type { KObject } from '../../../src/apiserver/types.js';
import { apply, events } from './helpers.js';

const pvVolume: KObject = {
  apiVersion: 'v1', kind: 'PersistentVolume',
  metadata: { name: 'task-pv-volume', labels: { type: 'local' } },
  spec: { storageClassName: 'manual', capacity: { storage: '10Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/mnt/data' } },
};
const pvClaim: KObject = {
  apiVersion: 'v1', kind: 'PersistentVolumeClaim',
  metadata: { name: 'task-pv-claim' },
  spec: { storageClassName: 'manual', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '3Gi' } } },
};
const claim = (name: string, extra: any = {}): KObject => ({
  apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...extra },
});
const podWith = (name: string, claimName: string): KObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name },
  spec: { containers: [{ name: 'c', image: 'nginx' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }] },
});
const pvc = (sim: Sim, name: string) => sim.get('persistentvolumeclaims', 'default', name)!;

describe('persistent volumes', () => {
  it("binds the docs' static volume and claim by class, access modes and capacity", async () => {
    const sim = await newSim();
    await apply(sim, [pvVolume, pvClaim]);
    await sim.run(0);
    const c = pvc(sim, 'task-pv-claim');
    const v = sim.get('persistentvolumes', undefined, 'task-pv-volume')!;
    expect(c.spec.volumeName).toBe('task-pv-volume');
    expect(c.status).toMatchObject({ phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '10Gi' } });
    expect(c.metadata!.annotations).toEqual({ 'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes' });
    expect(v.status.phase).toBe('Bound');
    expect(v.metadata!.annotations).toEqual({ 'pv.kubernetes.io/bound-by-controller': 'yes' });
    expect(v.spec.claimRef).toMatchObject({ kind: 'PersistentVolumeClaim', namespace: 'default', name: 'task-pv-claim', uid: c.metadata!.uid });
    // Retain (a static volume's default): deleting the claim releases the volume and keeps it.
    await sim.call({ verb: 'delete', resource: 'persistentvolumeclaims', namespace: 'default', name: 'task-pv-claim' });
    await sim.run(0);
    expect(sim.get('persistentvolumes', undefined, 'task-pv-volume')!.status.phase).toBe('Released');
  });

  it('does not bind a volume that is too small or of another class', async () => {
    const sim = await newSim();
    await apply(sim, [{ ...pvVolume, spec: { ...pvVolume.spec, capacity: { storage: '1Gi' } } }, pvClaim]);
    await sim.run(0);
    expect(pvc(sim, 'task-pv-claim').status.phase).toBe('Pending');
    expect(sim.get('persistentvolumes', undefined, 'task-pv-volume')!.status.phase).toBe('Available');
  });

  it('keeps a claim of the default class Pending until a pod uses it, then provisions on that node', async () => {
    const sim = await newSim();
    await apply(sim, [claim('data')]);
    await sim.run(60_000);
    expect(pvc(sim, 'data').status.phase).toBe('Pending');
    expect(sim.list('persistentvolumes')).toHaveLength(0);
    const waits = events(sim).filter((e) => e.involvedObject.name === 'data');
    expect(waits.map((e) => `${e.reason} ${e.source.component} ${e.message}`)).toEqual(['WaitForFirstConsumer persistentvolume-controller waiting for first consumer to be created before binding']);
    // Told again every resync period (15 s) while it waits.
    expect(waits[0].count).toBeGreaterThan(1);

    await apply(sim, [podWith('user', 'data')]);
    await sim.run(10_000);
    const pod = sim.get('pods', 'default', 'user')!;
    const c = pvc(sim, 'data');
    expect(c.status.phase).toBe('Bound');
    expect(c.metadata!.annotations!['volume.kubernetes.io/selected-node']).toBe(pod.spec.nodeName);
    const pv = sim.get('persistentvolumes', undefined, c.spec.volumeName)!;
    expect(pv.metadata!.annotations).toMatchObject({ 'pv.kubernetes.io/provisioned-by': 'rancher.io/local-path', 'local.path.provisioner/selected-node': pod.spec.nodeName });
    const provisioner = events(sim).find((e) => e.reason === 'ProvisioningSucceeded')!;
    expect(provisioner.source.component).toMatch(/^rancher\.io\/local-path_local-path-provisioner-[a-z0-9]{10}-[a-z0-9]{5}_[0-9a-f-]{36}$/);
    expect(provisioner.message).toBe(`Successfully provisioned volume ${pv.metadata!.name}`);

    // Reclaim policy Delete: once the pod and the claim are gone, so is the volume.
    await sim.call({ verb: 'delete', resource: 'pods', namespace: 'default', name: 'user' });
    await sim.run(40_000);
    await sim.call({ verb: 'delete', resource: 'persistentvolumeclaims', namespace: 'default', name: 'data' });
    await sim.run(1000);
    expect(sim.list('persistentvolumes')).toHaveLength(0);
  });

  it('does not schedule a pod whose claim does not exist', async () => {
    const sim = await newSim();
    await apply(sim, [podWith('lonely', 'missing')]);
    await sim.run(1000);
    const pod = sim.get('pods', 'default', 'lonely')!;
    expect(pod.spec.nodeName).toBeUndefined();
    const failed = events(sim).find((e) => e.reason === 'FailedScheduling')!;
    expect(failed.message).toMatch(/^0\/4 nodes are available: persistentvolumeclaim "missing" not found\./);
  });

  it('sends a pod whose bound volume lives on one node to that node', async () => {
    const sim = await newSim();
    const local: KObject = {
      apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'local-1' },
      spec: {
        storageClassName: 'manual', capacity: { storage: '5Gi' }, accessModes: ['ReadWriteOnce'], local: { path: '/mnt/disks/1' },
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['sim-worker3'] }] }] } },
      },
    };
    await apply(sim, [local, claim('pinned', { storageClassName: 'manual' })]);
    await sim.run(0);
    expect(pvc(sim, 'pinned').status.phase).toBe('Bound');
    for (let i = 0; i < 4; i++) await apply(sim, [podWith(`p${i}`, 'pinned')]);
    await sim.run(1000);
    for (let i = 0; i < 4; i++) expect(sim.get('pods', 'default', `p${i}`)!.spec.nodeName).toBe('sim-worker3');
  });
});
