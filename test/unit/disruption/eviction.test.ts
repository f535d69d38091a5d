import { describe, expect, it } from 'vitest';
import { newPSim, pdbObj, type PSim } from './helpers.js';

const APP = { app: 'web' };

/** three Ready pods of app=web and a PDB over them, its status computed */
async function withBudget(spec: any): Promise<PSim> {
  const s = await newPSim();
  for (const n of ['a', 'b', 'c']) await s.runningPod(n, APP);
  await s.create('poddisruptionbudgets', 'default', pdbObj('web-pdb', { selector: { matchLabels: APP }, ...spec }));
  await s.step();
  return s;
}

describe('pods/eviction', () => {
  it('without a PDB: 201 Success, the pod gets DisruptionTarget and is deleted gracefully', async () => {
    const s = await newPSim();
    await s.runningPod('a', APP);
    const res = await s.evict('a');
    expect(res.code).toBe(201);
    expect(res.body).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    const pod = s.pod('a')!;
    expect(pod.metadata!.deletionTimestamp).toBeDefined();
    expect(pod.metadata!.deletionGracePeriodSeconds).toBe(30);
    expect(pod.status.conditions.find((c: any) => c.type === 'DisruptionTarget')).toEqual({
      type: 'DisruptionTarget', status: 'True', lastProbeTime: null, lastTransitionTime: expect.any(String),
      reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting',
    });
  });

  it('spends the budget: disruptionsAllowed goes down, the pod is recorded in disruptedPods, then 429', async () => {
    const s = await withBudget({ minAvailable: 2 });
    expect(s.pdb('web-pdb').status.disruptionsAllowed).toBe(1);
    expect((await s.evict('a')).code).toBe(201);
    const st = s.pdb('web-pdb').status;
    expect(st.disruptionsAllowed).toBe(0);
    expect(Object.keys(st.disruptedPods)).toEqual(['a']);
    expect(st.conditions[0]).toMatchObject({ type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods' });
    const refused = await s.evict('b');
    expect(refused.code).toBe(429);
    expect(refused.body).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: "Cannot evict pod as it would violate the pod's disruption budget.", reason: 'TooManyRequests',
      details: { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget web-pdb needs 2 healthy pods and has 3 currently' }] },
      code: 429,
    });
    expect(s.pod('b')!.metadata!.deletionTimestamp).toBeUndefined();
    // the controller sees 'a' terminating: 2 healthy of 2 desired, still nothing allowed
    await s.step();
    expect(s.pdb('web-pdb').status).toMatchObject({ currentHealthy: 2, disruptionsAllowed: 0 });
    expect(s.pdb('web-pdb').status.disruptedPods).toBeUndefined();
  });

  it('a PDB not yet observed by the controller refuses with "still being processed"', async () => {
    const s = await withBudget({ minAvailable: 1 });
    await s.call({ verb: 'patch', resource: 'poddisruptionbudgets', namespace: 'default', name: 'web-pdb', patchType: 'merge', body: { spec: { minAvailable: 2 } } });
    const res = await s.evict('a');
    expect(res.code).toBe(429);
    expect(res.body.details).toEqual({ causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget web-pdb is still being processed by the server.' }], retryAfterSeconds: 10 });
  });

  it('dryRun: the answer without spending the budget or deleting', async () => {
    const s = await withBudget({ minAvailable: 2 });
    const res = await s.evict('a', { dryRun: true });
    expect(res.code).toBe(201);
    expect(s.pdb('web-pdb').status.disruptionsAllowed).toBe(1);
    expect(s.pod('a')!.metadata!.deletionTimestamp).toBeUndefined();
    const viaBody = await s.evict('a', { body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'a' }, deleteOptions: { dryRun: ['All'] } } });
    expect(viaBody.code).toBe(201);
    expect(s.pod('a')!.metadata!.deletionTimestamp).toBeUndefined();
  });

  it('deleteOptions.gracePeriodSeconds applies to the pod; policy/v1beta1 is accepted too', async () => {
    const s = await newPSim();
    await s.runningPod('a', APP);
    const res = await s.evict('a', { body: { apiVersion: 'policy/v1beta1', kind: 'Eviction', metadata: { name: 'a', namespace: 'default' }, deleteOptions: { gracePeriodSeconds: 5 } } });
    expect(res.code).toBe(201);
    expect(s.pod('a')!.metadata!.deletionGracePeriodSeconds).toBe(5);
  });

  it('an unready pod: evictable while the budget is healthy, refused when it is not (IfHealthyBudget), always with AlwaysAllow', async () => {
    const s = await withBudget({ minAvailable: 2 });
    await s.runningPod('d', APP, { ready: false });
    await s.step();
    // 3 healthy >= 2 desired: the unready pod goes without spending the budget
    expect((await s.evict('d')).code).toBe(201);
    expect(s.pdb('web-pdb').status.disruptionsAllowed).toBe(1);

    const t = await withBudget({ minAvailable: 3 });
    await t.setReady('a', false);
    await t.step();
    // 2 healthy < 3 desired: the unready pod is protected
    expect((await t.evict('a')).code).toBe(429);
    await t.call({ verb: 'patch', resource: 'poddisruptionbudgets', namespace: 'default', name: 'web-pdb', patchType: 'merge', body: { spec: { unhealthyPodEvictionPolicy: 'AlwaysAllow' } } });
    await t.step();
    expect((await t.evict('a')).code).toBe(201);
    expect(t.pod('a')!.metadata!.deletionTimestamp).toBeDefined();
  });

  it('pods that are Pending, finished or already terminating go without consulting the budget', async () => {
    const s = await withBudget({ minAvailable: 3 });
    await s.runningPod('done', APP, { phase: 'Succeeded', ready: false });
    expect((await s.evict('done')).code).toBe(201);
    await s.call({ verb: 'delete', resource: 'pods', namespace: 'default', name: 'a' });
    expect(s.pod('a')!.metadata!.deletionTimestamp).toBeDefined();
    expect((await s.evict('a')).code).toBe(201);
    expect((await s.evict('b')).code).toBe(429);
  });

  it('more than one PDB over a pod is a 500 error', async () => {
    const s = await withBudget({ minAvailable: 1 });
    await s.create('poddisruptionbudgets', 'default', pdbObj('second', { maxUnavailable: 1, selector: { matchLabels: APP } }));
    await s.step();
    const res = await s.evict('a');
    expect(res.code).toBe(500);
    expect(res.body.message).toBe('This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
    expect(s.pod('a')!.metadata!.deletionTimestamp).toBeUndefined();
  });

  it('errors: unknown pod 404, name mismatch 400, RBAC on pods/eviction', async () => {
    const s = await newPSim();
    await s.runningPod('a', APP);
    const missing = await s.evict('nope');
    expect(missing.code).toBe(404);
    expect(missing.body.message).toBe('pods "nope" not found');
    const mismatch = await s.evict('a', { body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'b' } } });
    expect(mismatch.code).toBe(400);
    expect(mismatch.body.message).toBe('name in URL does not match name in Eviction object');
    const denied = await s.call({
      verb: 'create', resource: 'pods', subresource: 'eviction', namespace: 'default', name: 'a',
      user: { username: 'jane', groups: ['system:authenticated'] }, body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'a' } },
    });
    expect(denied.code).toBe(403);
    expect(denied.body.message).toContain('cannot create resource "pods/eviction"');
  });
});
