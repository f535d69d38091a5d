// The StatefulSet controller with the whole control plane (newSim): the docs' web StatefulSet
// (application/web/web.yaml) comes up in order with its claims bound to provisioned volumes,
// scales down from the top keeping the claims, and rolls out a new template by partition.
import { describe, expect, it } from 'vitest';
import { newSim, type Sim } from '../controlplane/harness.js';
import type { KObject } from '../../../src/apiserver/types.js';
import { apply, events, isReady, podsOf, webManifests } from './helpers.js';

async function patch(sim: Sim, resource: string, name: string, body: any, ns = 'default', patchType: 'merge' | 'strategic' = 'merge'): Promise<void> {
  const res = await sim.call({ verb: 'patch', resource, namespace: ns, name, body, patchType });
  if (res.code >= 300) throw new Error(res.body.message);
}

/** runs the clock in small steps until cond holds (or fails after limitMs of virtual time) */
async function until(sim: Sim, cond: () => boolean, limitMs = 120_000, step = 250): Promise<void> {
  for (let t = 0; t <= limitMs; t += step) {
    if (cond()) return;
    await sim.run(step);
  }
  throw new Error('condition not reached');
}

const names = (pods: KObject[]) => pods.map((p) => p.metadata!.name);
const sts = (sim: Sim, name = 'web') => sim.get('statefulsets', 'default', name)!;
const image = (p: KObject) => p.spec.containers[0].image;

describe('statefulset controller', () => {
  it('creates web-0, and web-1 only once web-0 is Running and Ready, each after its claim', async () => {
    const sim = await newSim();
    await apply(sim, webManifests());
    await sim.run(0);
    // Before web-0 is ready there is no web-1, and web-0's claim exists already.
    expect(names(podsOf(sim, 'web-'))).toEqual(['web-0']);
    expect(isReady(podsOf(sim, 'web-')[0])).toBe(false);
    expect(sim.get('persistentvolumeclaims', 'default', 'www-web-0')).toBeDefined();
    expect(sim.get('persistentvolumeclaims', 'default', 'www-web-1')).toBeUndefined();
    await until(sim, () => podsOf(sim, 'web-').length === 2);
    // web-1 appeared only after web-0 was ready.
    const web0Ready = podsOf(sim, 'web-')[0].status.conditions.find((c: any) => c.type === 'Ready').lastTransitionTime;
    expect(podsOf(sim, 'web-')[1].metadata!.creationTimestamp! >= web0Ready).toBe(true);
    await until(sim, () => podsOf(sim, 'web-').every(isReady));

    const [web0, web1] = podsOf(sim, 'web-');
    expect(web0.metadata!.labels).toMatchObject({
      app: 'nginx', 'statefulset.kubernetes.io/pod-name': 'web-0', 'apps.kubernetes.io/pod-index': '0',
      'controller-revision-hash': sts(sim).status.updateRevision,
    });
    expect(web0.metadata!.generateName).toBe('web-');
    expect(web0.spec.hostname).toBe('web-0');
    expect(web0.spec.subdomain).toBe('nginx');
    expect(web0.spec.volumes[0]).toEqual({ name: 'www', persistentVolumeClaim: { claimName: 'www-web-0' } });
    expect(web1.spec.volumes[0].persistentVolumeClaim.claimName).toBe('www-web-1');

    // Each claim is bound to a local-path volume on its pod's node.
    for (const pod of [web0, web1]) {
      const claim = sim.get('persistentvolumeclaims', 'default', `www-${pod.metadata!.name}`)!;
      expect(claim.status).toMatchObject({ phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } });
      expect(claim.metadata!.labels).toEqual({ app: 'nginx' });
      expect(claim.metadata!.annotations).toMatchObject({
        'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes',
        'volume.kubernetes.io/selected-node': pod.spec.nodeName, 'volume.kubernetes.io/storage-provisioner': 'rancher.io/local-path',
      });
      const pv = sim.get('persistentvolumes', undefined, claim.spec.volumeName)!;
      expect(pv.metadata!.name).toBe(`pvc-${claim.metadata!.uid}`);
      expect(pv.status.phase).toBe('Bound');
      expect(pv.spec).toMatchObject({
        storageClassName: 'standard', persistentVolumeReclaimPolicy: 'Delete', capacity: { storage: '1Gi' },
        hostPath: { path: `/var/local-path-provisioner/${pv.metadata!.name}_default_${claim.metadata!.name}`, type: 'DirectoryOrCreate' },
        claimRef: { kind: 'PersistentVolumeClaim', namespace: 'default', name: claim.metadata!.name, uid: claim.metadata!.uid },
      });
      expect(pv.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0]).toEqual({ key: 'kubernetes.io/hostname', operator: 'In', values: [pod.spec.nodeName] });
    }

    const setEvents = events(sim).filter((e) => e.involvedObject.kind === 'StatefulSet').map((e) => `${e.reason} ${e.message}`);
    expect(setEvents).toEqual([
      'SuccessfulCreate create Claim www-web-0 Pod web-0 in StatefulSet web success',
      'SuccessfulCreate create Pod web-0 in StatefulSet web successful',
      'SuccessfulCreate create Claim www-web-1 Pod web-1 in StatefulSet web success',
      'SuccessfulCreate create Pod web-1 in StatefulSet web successful',
    ]);
    const claimEvents = events(sim).filter((e) => e.involvedObject.name === 'www-web-0').map((e) => e.reason);
    expect(claimEvents).toEqual(['WaitForFirstConsumer', 'ExternalProvisioning', 'Provisioning', 'ProvisioningSucceeded']);

    const status = sts(sim).status;
    expect(status).toMatchObject({ replicas: 2, readyReplicas: 2, currentReplicas: 2, updatedReplicas: 2, availableReplicas: 2, collisionCount: 0, observedGeneration: 1 });
    expect(status.currentRevision).toBe(status.updateRevision);
    const revisions = sim.list('controllerrevisions', 'default').filter((r) => r.metadata!.ownerReferences?.[0]?.name === 'web');
    expect(revisions.map((r) => [r.metadata!.name, r.revision])).toEqual([[status.updateRevision, 1]]);
    expect(revisions[0].metadata!.labels!['controller.kubernetes.io/hash']).toBe(status.updateRevision.slice('web-'.length));
  });

  it('scales down from the highest ordinal, keeps the claim, and a recreated pod gets it back on the same node', async () => {
    const sim = await newSim();
    await apply(sim, webManifests());
    await until(sim, () => podsOf(sim, 'web-').length === 2 && podsOf(sim, 'web-').every(isReady));
    const node1 = podsOf(sim, 'web-')[1].spec.nodeName;
    await patch(sim, 'statefulsets', 'web', { spec: { replicas: 1 } });
    await until(sim, () => podsOf(sim, 'web-').length === 1);
    expect(names(podsOf(sim, 'web-'))).toEqual(['web-0']);
    expect(events(sim).some((e) => e.reason === 'SuccessfulDelete' && e.message === 'delete Pod web-1 in StatefulSet web successful')).toBe(true);
    // Retain (the default): the claim and its volume stay bound.
    const claim = sim.get('persistentvolumeclaims', 'default', 'www-web-1')!;
    expect(claim.status.phase).toBe('Bound');
    expect(sim.get('persistentvolumes', undefined, claim.spec.volumeName)!.status.phase).toBe('Bound');
    await until(sim, () => sts(sim).status.replicas === 1);

    await patch(sim, 'statefulsets', 'web', { spec: { replicas: 2 } });
    await until(sim, () => podsOf(sim, 'web-').length === 2 && podsOf(sim, 'web-').every(isReady));
    const web1 = podsOf(sim, 'web-')[1];
    expect(web1.spec.volumes[0].persistentVolumeClaim.claimName).toBe('www-web-1');
    // The volume lives on one node: the pod goes back there.
    expect(web1.spec.nodeName).toBe(node1);
    expect(sim.list('persistentvolumeclaims', 'default')).toHaveLength(2);
    // No second claim event for www-web-1: the claim was reused.
    expect(events(sim).filter((e) => e.message.startsWith('create Claim www-web-1'))).toHaveLength(1);
  });

  it('deletes scaled-away claims (and their volumes) when whenScaled is Delete', async () => {
    const sim = await newSim();
    const [svc, set] = webManifests();
    set.spec.persistentVolumeClaimRetentionPolicy = { whenScaled: 'Delete', whenDeleted: 'Retain' };
    await apply(sim, [svc, set]);
    await until(sim, () => podsOf(sim, 'web-').length === 2 && podsOf(sim, 'web-').every(isReady));
    const pvName = sim.get('persistentvolumeclaims', 'default', 'www-web-1')!.spec.volumeName;
    await patch(sim, 'statefulsets', 'web', { spec: { replicas: 1 } });
    await until(sim, () => !sim.get('persistentvolumeclaims', 'default', 'www-web-1') && !sim.get('persistentvolumes', undefined, pvName));
    expect(sim.get('persistentvolumeclaims', 'default', 'www-web-0')).toBeDefined();
  });

  it('rolls out a new template by partition: only ordinals >= partition, highest first, one at a time', async () => {
    const sim = await newSim();
    const [svc, set] = webManifests();
    set.spec.replicas = 3;
    set.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: 2 } };
    await apply(sim, [svc, set]);
    await until(sim, () => podsOf(sim, 'web-').length === 3 && podsOf(sim, 'web-').every(isReady));
    const oldRevision = sts(sim).status.currentRevision;
    await patch(sim, 'statefulsets', 'web', { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'registry.k8s.io/nginx-slim:0.24' }] } } } }, 'default', 'strategic');
    await until(sim, () => sts(sim).status.updatedReplicas === 1 && podsOf(sim, 'web-').length === 3 && podsOf(sim, 'web-').every(isReady));
    await sim.run(30_000);
    expect(podsOf(sim, 'web-').map(image)).toEqual(['registry.k8s.io/nginx-slim:0.7', 'registry.k8s.io/nginx-slim:0.7', 'registry.k8s.io/nginx-slim:0.24']);
    const mid = sts(sim).status;
    expect(mid.currentRevision).toBe(oldRevision);
    expect(mid.updateRevision).not.toBe(oldRevision);
    expect(mid).toMatchObject({ replicas: 3, currentReplicas: 2, updatedReplicas: 1, readyReplicas: 3 });

    // A pod below the partition that is deleted comes back at the current (old) revision.
    const oldUid = podsOf(sim, 'web-')[0].metadata!.uid;
    await sim.call({ verb: 'delete', resource: 'pods', namespace: 'default', name: 'web-0' });
    await until(sim, () => podsOf(sim, 'web-').length === 3 && podsOf(sim, 'web-').every(isReady) && podsOf(sim, 'web-')[0].metadata!.uid !== oldUid);
    expect(image(podsOf(sim, 'web-')[0])).toBe('registry.k8s.io/nginx-slim:0.7');

    // Partition 0: web-1, then web-0, each once the one above is ready again.
    let concurrent = 0;
    await patch(sim, 'statefulsets', 'web', { spec: { updateStrategy: { rollingUpdate: { partition: 0 } } } });
    await until(sim, () => {
      concurrent = Math.max(concurrent, 3 - podsOf(sim, 'web-').filter((p) => isReady(p) && !p.metadata!.deletionTimestamp).length);
      return sts(sim).status.currentRevision === sts(sim).status.updateRevision && sts(sim).status.readyReplicas === 3;
    });
    expect(concurrent).toBe(1);
    expect(podsOf(sim, 'web-').map(image)).toEqual(Array(3).fill('registry.k8s.io/nginx-slim:0.24'));
    const deletions = events(sim).filter((e) => e.reason === 'SuccessfulDelete').map((e) => e.message);
    expect(deletions).toEqual(['delete Pod web-2 in StatefulSet web successful', 'delete Pod web-1 in StatefulSet web successful', 'delete Pod web-0 in StatefulSet web successful']);
    expect(sts(sim).status).toMatchObject({ currentReplicas: 3, updatedReplicas: 3 });

    // Rolling back to the first template reuses its revision under the next number.
    await patch(sim, 'statefulsets', 'web', { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'registry.k8s.io/nginx-slim:0.7' }] } } } }, 'default', 'strategic');
    await sim.run(0);
    const revs = sim.list('controllerrevisions', 'default').filter((r) => r.metadata!.ownerReferences?.[0]?.name === 'web');
    expect(revs.map((r) => [r.metadata!.name, r.revision]).sort((a: any, b: any) => a[1] - b[1])).toEqual([[mid.updateRevision, 2], [oldRevision, 3]]);
  });

  it('OnDelete replaces only the pods that are deleted', async () => {
    const sim = await newSim();
    const [svc, set] = webManifests();
    set.spec.updateStrategy = { type: 'OnDelete' };
    await apply(sim, [svc, set]);
    await until(sim, () => podsOf(sim, 'web-').length === 2 && podsOf(sim, 'web-').every(isReady));
    await patch(sim, 'statefulsets', 'web', { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'registry.k8s.io/nginx-slim:0.24' }] } } } }, 'default', 'strategic');
    await sim.run(20_000);
    expect(podsOf(sim, 'web-').map(image)).toEqual(['registry.k8s.io/nginx-slim:0.7', 'registry.k8s.io/nginx-slim:0.7']);
    await sim.call({ verb: 'delete', resource: 'pods', namespace: 'default', name: 'web-1' });
    await until(sim, () => podsOf(sim, 'web-').length === 2 && podsOf(sim, 'web-').every(isReady) && image(podsOf(sim, 'web-')[1]) === 'registry.k8s.io/nginx-slim:0.24');
    expect(image(podsOf(sim, 'web-')[0])).toBe('registry.k8s.io/nginx-slim:0.7');
    expect(sts(sim).status).toMatchObject({ updatedReplicas: 1, currentReplicas: 1 });
  });

  it('Parallel creates every pod at once', async () => {
    const sim = await newSim();
    const [svc, set] = webManifests();
    set.spec.podManagementPolicy = 'Parallel';
    set.spec.replicas = 3;
    await apply(sim, [svc, set]);
    await sim.run(0);
    expect(names(podsOf(sim, 'web-'))).toEqual(['web-0', 'web-1', 'web-2']);
  });
});
