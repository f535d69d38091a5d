// StorageObjectInUseProtection: the admission plugin's finalizers on new claims and volumes, the
// pvc-protection controller keeping a claim in use Terminating until its pod is gone, and the
// pv-protection controller keeping a bound volume Terminating until it is released.
import { describe, expect, it } from 'vitest';
import { newSim, type Sim } from '../controlplane/harness.js';
import type { KObject } from '../../../src/apiserver/types.js';
import { describePVC, describePV } from '../../../src/printers/describe/storage.js';
import { apply } from './helpers.js';

const claim = (name: string, extra: any = {}): KObject => ({
  apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...extra },
});
const staticPV = (name: string): KObject => ({
  apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name },
  spec: { storageClassName: 'manual', capacity: { storage: '10Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/mnt/data' } },
});
const podWith = (name: string, claimName: string): KObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name },
  spec: { containers: [{ name: 'c', image: 'nginx' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }] },
});
const pvc = (sim: Sim, name: string) => sim.get('persistentvolumeclaims', 'default', name);
const del = (sim: Sim, resource: string, name: string, namespace: string | undefined = 'default') => sim.call({ verb: 'delete', resource, namespace, name });
const lookup = (sim: Sim) => ({ now: sim.clock.now(), list: (r: string, ns?: string) => sim.list(r, ns), events: () => null });

describe('StorageObjectInUseProtection', () => {
  it('puts the protection finalizers on new claims and volumes', async () => {
    const sim = await newSim();
    await apply(sim, [staticPV('pv1'), claim('c1', { storageClassName: 'manual' })]);
    expect(pvc(sim, 'c1')!.metadata!.finalizers).toEqual(['kubernetes.io/pvc-protection']);
    expect(sim.get('persistentvolumes', undefined, 'pv1')!.metadata!.finalizers).toEqual(['kubernetes.io/pv-protection']);
    // a finalizer the user wrote is kept, and the protection one is not doubled
    await apply(sim, [{ ...claim('c2'), metadata: { name: 'c2', finalizers: ['example.com/keep', 'kubernetes.io/pvc-protection'] } }]);
    expect(pvc(sim, 'c2')!.metadata!.finalizers).toEqual(['example.com/keep', 'kubernetes.io/pvc-protection']);
    // describe shows them as kubectl does
    await sim.run(0);
    expect(describePVC(pvc(sim, 'c1'), lookup(sim))).toMatch(/^Finalizers:\s+\[kubernetes\.io\/pvc-protection\]$/m);
    expect(describePV(sim.get('persistentvolumes', undefined, 'pv1'), lookup(sim))).toMatch(/^Finalizers:\s+\[kubernetes\.io\/pv-protection\]$/m);
  });

  it('keeps a claim in use Terminating until its pod is deleted, then removes it and its volume', async () => {
    const sim = await newSim();
    await apply(sim, [claim('data'), podWith('user', 'data')]);
    await sim.run(5000);
    const user = sim.get('pods', 'default', 'user')!;
    expect(user.spec.nodeName).toBeTruthy();
    const pvName = pvc(sim, 'data')!.spec.volumeName;
    expect(pvName).toMatch(/^pvc-/);

    expect((await del(sim, 'persistentvolumeclaims', 'data')).code).toBe(200);
    await sim.run(60_000);
    const terminating = pvc(sim, 'data')!;
    expect(terminating.metadata!.deletionTimestamp).toBeTruthy();
    expect(terminating.metadata!.finalizers).toEqual(['kubernetes.io/pvc-protection']);
    // still bound; the pod keeps running with it
    expect(terminating.status.phase).toBe('Bound');
    expect(sim.get('persistentvolumes', undefined, pvName)!.status.phase).toBe('Bound');
    expect(sim.get('pods', 'default', 'user')!.status.phase).toBe('Running');
    const text = describePVC(terminating, lookup(sim));
    expect(text).toMatch(/^Status:\s+Terminating \(lasts \d+s\)$/m);
    expect(text).toMatch(/^Used By:\s+user$/m);

    // the pod goes (grace period included): then the claim, then its Delete-policy volume
    await del(sim, 'pods', 'user');
    await sim.run(40_000);
    expect(sim.get('pods', 'default', 'user')).toBeUndefined();
    expect(pvc(sim, 'data')).toBeUndefined();
    expect(sim.get('persistentvolumes', undefined, pvName)).toBeUndefined();
  });

  it('does not count a pod that has no node yet as a user', async () => {
    const sim = await newSim();
    await apply(sim, [claim('c', { storageClassName: 'manual' }), { ...podWith('p', 'c'), spec: { ...podWith('p', 'c').spec, nodeSelector: { disk: 'none' } } }]);
    await sim.run(1000);
    expect(sim.get('pods', 'default', 'p')!.spec.nodeName).toBeUndefined();
    await del(sim, 'persistentvolumeclaims', 'c');
    await sim.run(0);
    expect(pvc(sim, 'c')).toBeUndefined();
  });

  it('keeps a bound volume Terminating until its claim is gone', async () => {
    const sim = await newSim();
    await apply(sim, [staticPV('vol'), claim('mine', { storageClassName: 'manual' })]);
    await sim.run(0);
    expect(sim.get('persistentvolumes', undefined, 'vol')!.status.phase).toBe('Bound');
    await del(sim, 'persistentvolumes', 'vol', undefined);
    await sim.run(30_000);
    const pv = sim.get('persistentvolumes', undefined, 'vol')!;
    expect(pv.metadata!.deletionTimestamp).toBeTruthy();
    expect(pv.metadata!.finalizers).toEqual(['kubernetes.io/pv-protection']);
    expect(describePV(pv, lookup(sim))).toMatch(/^Status:\s+Terminating \(lasts \d+s\)$/m);
    // the claim goes (no pod uses it): the volume is released, and then nothing holds it
    await del(sim, 'persistentvolumeclaims', 'mine');
    await sim.run(1000);
    expect(pvc(sim, 'mine')).toBeUndefined();
    expect(sim.get('persistentvolumes', undefined, 'vol')).toBeUndefined();
  });

  it('deletes an unbound volume at once', async () => {
    const sim = await newSim();
    await apply(sim, [staticPV('free')]);
    await sim.run(0);
    expect(sim.get('persistentvolumes', undefined, 'free')!.status.phase).toBe('Available');
    await del(sim, 'persistentvolumes', 'free', undefined);
    await sim.run(0);
    expect(sim.get('persistentvolumes', undefined, 'free')).toBeUndefined();
  });
});
