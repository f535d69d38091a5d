import { describe, expect, it } from 'vitest';
import { deployment, newDSim, patchDeploy } from './helpers.js';

describe('deployment → replicaset → pods', () => {
  it('creates <deploy>-<hash> with the hash label, owner refs, annotations and N pods', async () => {
    const sim = await newDSim();
    await sim.create('deployments', 'default', deployment('my-app', 3));
    await sim.step();
    const sets = sim.sets();
    expect(sets).toHaveLength(1);
    const rs = sets[0];
    const hash = rs.metadata!.labels!['pod-template-hash'];
    expect(hash).toMatch(/^[bcdf4-9]{1,10}$/);
    expect(rs.metadata!.name).toBe(`my-app-${hash}`);
    expect(rs.spec.selector.matchLabels).toEqual({ app: 'my-app', 'pod-template-hash': hash });
    expect(rs.spec.template.metadata.labels).toEqual({ app: 'my-app', 'pod-template-hash': hash });
    const d = sim.deploy('my-app');
    expect(rs.metadata!.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'my-app', uid: d.metadata!.uid, controller: true, blockOwnerDeletion: true }]);
    expect(rs.metadata!.annotations).toMatchObject({
      'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4',
    });
    expect(d.metadata!.annotations!['deployment.kubernetes.io/revision']).toBe('1');
    const pods = sim.pods();
    expect(pods).toHaveLength(3);
    for (const p of pods) {
      expect(p.metadata!.name).toMatch(new RegExp(`^my-app-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      expect(p.metadata!.labels).toEqual({ app: 'my-app', 'pod-template-hash': hash });
      expect(p.metadata!.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata!.name, uid: rs.metadata!.uid, controller: true, blockOwnerDeletion: true }]);
    }
    const scaling = sim.events('ScalingReplicaSet');
    expect(scaling.map((e) => e.message)).toEqual([`Scaled up replica set my-app-${hash} from 0 to 3`]);
    expect(scaling[0].source).toEqual({ component: 'deployment-controller' });
    expect(scaling[0].involvedObject.kind).toBe('Deployment');
    const created = sim.events('SuccessfulCreate');
    expect(created.map((e) => e.message).sort()).toEqual(pods.map((p) => `Created pod: ${p.metadata!.name}`).sort());
    expect(created[0].source).toEqual({ component: 'replicaset-controller' });
    // status before any pod is ready
    expect(d.status).toMatchObject({ observedGeneration: 1, replicas: 3, unavailableReplicas: 3 });
    expect(d.status.updatedReplicas).toBe(3);
    expect(d.status.availableReplicas).toBeUndefined();
    const avail = d.status.conditions.find((c: any) => c.type === 'Available');
    expect(avail).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' });
    const prog = d.status.conditions.find((c: any) => c.type === 'Progressing');
    expect(prog).toMatchObject({ status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "my-app-${hash}" is progressing.` });
  });

  it('becomes Available and NewReplicaSetAvailable once pods are ready; nothing more to do after', async () => {
    const sim = await newDSim();
    await sim.create('deployments', 'default', deployment('web', 2));
    await sim.step();
    for (const p of sim.pods()) await sim.ready(p);
    await sim.step();
    const d = sim.deploy('web');
    const rs = sim.sets()[0];
    expect(rs.status).toMatchObject({ replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 2, observedGeneration: 1 });
    expect(d.status).toMatchObject({ replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2, observedGeneration: 1 });
    expect(d.status.unavailableReplicas).toBeUndefined();
    expect(d.status.conditions.map((c: any) => [c.type, c.status, c.reason])).toEqual([
      ['Available', 'True', 'MinimumReplicasAvailable'],
      ['Progressing', 'True', 'NewReplicaSetAvailable'],
    ]);
    expect(d.status.conditions[1].message).toBe(`ReplicaSet "${rs.metadata!.name}" has successfully progressed.`);
    // Settled: a pass changes nothing.
    const rv = sim.store.revision;
    const { deploymentController } = await import('../../../src/controllers/deployment/index.js');
    const { replicaSetController } = await import('../../../src/controllers/replicaset.js');
    const { ComponentClient, CONTROLLER_MANAGER } = await import('../../../src/controllers/component.js');
    const c = new ComponentClient(sim.api, CONTROLLER_MANAGER);
    expect(await deploymentController.reconcile(c)).toBe(false);
    expect(await replicaSetController.reconcile(c)).toBe(false);
    expect(sim.store.revision).toBe(rv);
  });

  it('scales up and down; scale down removes not-ready pods first and records the events', async () => {
    const sim = await newDSim();
    await sim.create('deployments', 'default', deployment('app', 3));
    await sim.step();
    for (const p of sim.pods()) await sim.ready(p);
    await sim.step();
    await patchDeploy(sim, 'app', { spec: { replicas: 5 } });
    await sim.step();
    expect(sim.pods()).toHaveLength(5);
    const rs = sim.sets()[0];
    const name = rs.metadata!.name;
    expect(rs.metadata!.annotations!['deployment.kubernetes.io/desired-replicas']).toBe('5');
    const fresh = sim.pods().filter((p) => !p.status?.conditions?.length).map((p) => p.metadata!.name);
    expect(fresh).toHaveLength(2);
    await patchDeploy(sim, 'app', { spec: { replicas: 3 } });
    await sim.step();
    const left = sim.pods().map((p) => p.metadata!.name);
    expect(left).toHaveLength(3);
    for (const f of fresh) expect(left).not.toContain(f);
    expect(sim.events('ScalingReplicaSet').map((e) => e.message)).toEqual([
      `Scaled up replica set ${name} from 0 to 3`, `Scaled up replica set ${name} from 3 to 5`, `Scaled down replica set ${name} from 5 to 3`,
    ]);
    expect(sim.events('SuccessfulDelete').map((e) => e.message).sort()).toEqual(fresh.map((f) => `Deleted pod: ${f}`).sort());
  });

  it('replaces a deleted pod (self-healing)', async () => {
    const sim = await newDSim();
    await sim.create('deployments', 'default', deployment('heal', 2));
    await sim.step();
    const [victim] = sim.pods();
    await sim.call({ verb: 'delete', resource: 'pods', namespace: 'default', name: victim.metadata!.name });
    await sim.step();
    const names = sim.pods().map((p) => p.metadata!.name);
    expect(names).toHaveLength(2);
    expect(names).not.toContain(victim.metadata!.name);
  });

  it('ignores Succeeded/Failed pods when counting, adopts matching orphans and releases pods that stop matching', async () => {
    const sim = await newDSim();
    await sim.create('deployments', 'default', deployment('own', 2));
    await sim.step();
    const rs = sim.sets()[0];
    const hash = rs.metadata!.labels!['pod-template-hash'];
    // A pod relabelled away is released and replaced.
    const [p0] = sim.pods();
    await sim.call({ verb: 'patch', resource: 'pods', namespace: 'default', name: p0.metadata!.name, patchType: 'merge', body: { metadata: { labels: { app: 'other' } } } });
    await sim.step();
    const released = sim.get('pods', 'default', p0.metadata!.name!)!;
    expect(released.metadata!.ownerReferences).toBeUndefined();
    expect(sim.pods()).toHaveLength(2);
    // Relabelled back: adopted, then the surplus goes.
    await sim.call({ verb: 'patch', resource: 'pods', namespace: 'default', name: p0.metadata!.name, patchType: 'merge', body: { metadata: { labels: { app: 'own', 'pod-template-hash': hash } } } });
    await sim.step();
    expect(sim.pods()).toHaveLength(2);
    // A failed pod does not count: a replacement appears.
    const [p1] = sim.pods();
    await sim.call({ verb: 'patch', resource: 'pods', subresource: 'status', namespace: 'default', name: p1.metadata!.name, patchType: 'merge', body: { status: { phase: 'Failed' } } });
    await sim.step();
    expect(sim.pods().filter((p) => p.status?.phase !== 'Failed')).toHaveLength(2);
    expect(sim.sets()[0].status.replicas).toBe(2);
  });
});
