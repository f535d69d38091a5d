import { describe, expect, it } from 'vitest';
import { deployment, isReady, newDSim, patchDeploy, setImage, type DSim } from './helpers.js';
import { equalIgnoreHash, findNewReplicaSet, revisionOf } from '../../../src/controllers/deployment/util.js';

async function readyAll(sim: DSim): Promise<void> {
  for (let i = 0; i < 30; i++) {
    const waiting = sim.pods().filter((p) => !isReady(p));
    if (!waiting.length) {
      await sim.step();
      if (!sim.pods().some((p) => !isReady(p))) return;
      continue;
    }
    for (const p of waiting) await sim.ready(p);
    await sim.step();
  }
}

const byRev = (sim: DSim) => Object.fromEntries(sim.sets().map((rs) => [rs.metadata!.annotations!['deployment.kubernetes.io/revision'], rs]));

describe('Recreate', () => {
  it('scales the old ReplicaSet to 0, waits for its pods to be gone, then scales up the new one', async () => {
    const sim = await newDSim();
    await sim.create('deployments', 'default', deployment('rc', 3, { strategy: { type: 'Recreate' } }));
    await sim.step();
    // pods on a node terminate gracefully: they stay (Terminating) until the kubelet removes them
    for (const p of sim.pods()) {
      const res = await sim.call({ verb: 'create', resource: 'pods', subresource: 'binding', namespace: 'default', name: p.metadata!.name, body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: p.metadata!.name }, target: { kind: 'Node', name: 'sim-worker' } } });
      expect(res.code).toBe(201);
    }
    await readyAll(sim);
    const oldName = sim.sets()[0].metadata!.name!;
    await setImage(sim, 'rc', 'nginx:1.26');
    await sim.step();
    expect(sim.sets()).toHaveLength(1);
    expect(sim.sets()[0].spec.replicas).toBe(0);
    expect(sim.pods().every((p) => p.metadata!.deletionTimestamp)).toBe(true);
    // the kubelet's part: the pods finish terminating
    for (const p of sim.pods()) await sim.call({ verb: 'delete', resource: 'pods', namespace: 'default', name: p.metadata!.name, gracePeriodSeconds: 0 });
    await sim.step();
    const sets = sim.sets();
    expect(sets).toHaveLength(2);
    const next = sets.find((rs) => rs.metadata!.name !== oldName)!;
    expect(next.spec.replicas).toBe(3);
    expect(sim.events('ScalingReplicaSet').map((e) => e.message)).toEqual([
      `Scaled up replica set ${oldName} from 0 to 3`,
      `Scaled down replica set ${oldName} from 3 to 0`,
      `Scaled up replica set ${next.metadata!.name} from 0 to 3`,
    ]);
  });
});

describe('revisions, history and rollback', () => {
  it('each template gets the next revision; going back to an old template reuses its ReplicaSet with a new revision', async () => {
    const sim = await newDSim();
    await sim.create('deployments', 'default', deployment('app', 2));
    await readyAll(sim);
    await setImage(sim, 'app', 'nginx:1.26');
    await readyAll(sim);
    await setImage(sim, 'app', 'nginx:1.27');
    await readyAll(sim);
    expect(Object.keys(byRev(sim)).sort()).toEqual(['1', '2', '3']);
    const first = byRev(sim)['1'];
    // undo to revision 1: the client puts revision 1's template back
    const tpl = structuredClone(first.spec.template);
    delete tpl.metadata.labels['pod-template-hash'];
    await patchDeploy(sim, 'app', { spec: { template: tpl } });
    await readyAll(sim);
    expect(sim.sets()).toHaveLength(3);
    const reused = sim.get('replicasets', 'default', first.metadata!.name!)!;
    expect(reused.metadata!.annotations!['deployment.kubernetes.io/revision']).toBe('4');
    expect(reused.metadata!.annotations!['deployment.kubernetes.io/revision-history']).toBe('1');
    expect(reused.spec.replicas).toBe(2);
    expect(sim.deploy('app').metadata!.annotations!['deployment.kubernetes.io/revision']).toBe('4');
    expect(sim.pods().every((p) => p.metadata!.labels!['pod-template-hash'] === reused.metadata!.labels!['pod-template-hash'])).toBe(true);
    // the helpers the CLI uses agree
    expect(findNewReplicaSet(sim.deploy('app'), sim.sets())!.metadata!.name).toBe(first.metadata!.name);
    expect(revisionOf(reused)).toBe(4);
    expect(equalIgnoreHash(reused.spec.template, sim.deploy('app').spec.template)).toBe(true);
  });

  it('revisionHistoryLimit keeps that many old ReplicaSets (oldest revisions go first)', async () => {
    const sim = await newDSim();
    await sim.create('deployments', 'default', deployment('h', 1, { revisionHistoryLimit: 2 }));
    await readyAll(sim);
    for (const tag of ['1.26', '1.27', '1.28', '1.29']) {
      await setImage(sim, 'h', `nginx:${tag}`);
      await readyAll(sim);
    }
    const revs = sim.sets().map((rs) => revisionOf(rs)).sort();
    expect(revs).toEqual([3, 4, 5]);
  });

  it('kubectl rollout restart (template annotation restartedAt) makes a new ReplicaSet', async () => {
    const sim = await newDSim();
    await sim.create('deployments', 'default', deployment('r', 1));
    await readyAll(sim);
    await patchDeploy(sim, 'r', { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:05Z' } } } } });
    await readyAll(sim);
    expect(sim.sets()).toHaveLength(2);
    const cur = byRev(sim)['2'];
    expect(cur.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']).toBe('2026-01-01T00:00:05Z');
    expect(sim.pods()[0].metadata!.annotations!['kubectl.kubernetes.io/restartedAt']).toBe('2026-01-01T00:00:05Z');
  });
});

describe('pause and resume', () => {
  it('a paused Deployment does not roll out but still scales; resume rolls out', async () => {
    const sim = await newDSim();
    await sim.create('deployments', 'default', deployment('ps', 2));
    await readyAll(sim);
    await patchDeploy(sim, 'ps', { spec: { paused: true } });
    await sim.step();
    let prog = sim.deploy('ps').status.conditions.find((c: any) => c.type === 'Progressing');
    expect(prog).toMatchObject({ status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' });
    await setImage(sim, 'ps', 'nginx:1.26');
    await sim.step();
    expect(sim.sets()).toHaveLength(1);
    await patchDeploy(sim, 'ps', { spec: { replicas: 3 } });
    await sim.step();
    expect(sim.sets()[0].spec.replicas).toBe(3);
    expect(sim.deploy('ps').status.observedGeneration).toBe(sim.deploy('ps').metadata!.generation);
    await patchDeploy(sim, 'ps', { spec: { paused: null } });
    await sim.step();
    expect(sim.sets()).toHaveLength(2);
    await readyAll(sim);
    prog = sim.deploy('ps').status.conditions.find((c: any) => c.type === 'Progressing');
    expect(prog).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable' });
    expect(sim.deploy('ps').status).toMatchObject({ replicas: 3, updatedReplicas: 3, availableReplicas: 3 });
  });
});
