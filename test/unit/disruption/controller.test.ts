import { describe, expect, it } from 'vitest';
import { newPSim, pdbObj, rsObj } from './helpers.js';
import { scaledValue } from '../../../src/controllers/disruption.js';

const APP = { app: 'web' };

describe('disruption controller: PDB status', () => {
  it('minAvailable as an integer: expectedPods counts the selected pods, disruptionsAllowed = healthy - desired', async () => {
    const s = await newPSim();
    for (const n of ['a', 'b', 'c']) await s.runningPod(n, APP);
    await s.runningPod('other', { app: 'other' });
    await s.create('poddisruptionbudgets', 'default', pdbObj('web-pdb', { minAvailable: 2, selector: { matchLabels: APP } }));
    await s.step();
    const st = s.pdb('web-pdb').status;
    expect(st).toMatchObject({ observedGeneration: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3, disruptionsAllowed: 1 });
    expect(st.conditions).toEqual([
      { type: 'DisruptionAllowed', status: 'True', observedGeneration: 1, lastTransitionTime: expect.any(String), reason: 'SufficientPods', message: '' },
    ]);
    // Go's field order, as -o json shows it
    expect(Object.keys(st)).toEqual(['observedGeneration', 'disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods', 'conditions']);
  });

  it('an unready pod is not healthy: the budget drops to 0 with InsufficientPods, and comes back', async () => {
    const s = await newPSim();
    for (const n of ['a', 'b', 'c']) await s.runningPod(n, APP);
    await s.create('poddisruptionbudgets', 'default', pdbObj('web-pdb', { minAvailable: 3, selector: { matchLabels: APP } }));
    await s.step();
    expect(s.pdb('web-pdb').status).toMatchObject({ disruptionsAllowed: 0, currentHealthy: 3, desiredHealthy: 3 });
    expect(s.pdb('web-pdb').status.conditions[0]).toMatchObject({ status: 'False', reason: 'InsufficientPods' });
    await s.setReady('b', false);
    await s.step();
    expect(s.pdb('web-pdb').status).toMatchObject({ currentHealthy: 2, disruptionsAllowed: 0 });
    await s.call({ verb: 'patch', resource: 'poddisruptionbudgets', namespace: 'default', name: 'web-pdb', patchType: 'merge', body: { spec: { minAvailable: 1 } } });
    await s.step();
    const st = s.pdb('web-pdb').status;
    expect(st).toMatchObject({ observedGeneration: 2, currentHealthy: 2, desiredHealthy: 1, disruptionsAllowed: 1 });
    expect(st.conditions[0]).toMatchObject({ status: 'True', reason: 'SufficientPods', observedGeneration: 2 });
  });

  it('maxUnavailable and percentages are measured against the scale of the pods controller', async () => {
    const s = await newPSim();
    const rs = await s.create('replicasets', 'default', rsObj('web-1', 4, APP));
    for (const n of ['a', 'b', 'c']) await s.runningPod(n, APP, { owner: rs });
    await s.create('poddisruptionbudgets', 'default', pdbObj('mu', { maxUnavailable: '50%', selector: { matchLabels: APP } }));
    await s.create('poddisruptionbudgets', 'default', pdbObj('ma', { minAvailable: '50%', selector: { matchLabels: APP } }));
    await s.step();
    // 4 expected (the ReplicaSet's replicas), 3 healthy; maxUnavailable 50% of 4 = 2 → desired 2
    expect(s.pdb('mu').status).toMatchObject({ expectedPods: 4, currentHealthy: 3, desiredHealthy: 2, disruptionsAllowed: 1 });
    expect(s.pdb('ma').status).toMatchObject({ expectedPods: 4, currentHealthy: 3, desiredHealthy: 2, disruptionsAllowed: 1 });
  });

  it('a percentage over pods without a controller: they count nothing, 0 allowed, an UnmanagedPods warning', async () => {
    const s = await newPSim();
    await s.runningPod('bare', APP);
    await s.create('poddisruptionbudgets', 'default', pdbObj('pct', { maxUnavailable: '50%', selector: { matchLabels: APP } }));
    await s.step();
    // unmanaged pods count nothing towards the expected scale: nothing may be disrupted
    expect(s.pdb('pct').status).toMatchObject({ expectedPods: 0, disruptionsAllowed: 0 });
    const ev = s.list('events', 'default').find((e) => e.reason === 'UnmanagedPods');
    expect(ev?.message).toBe('Pods selected by this PodDisruptionBudget (selector: &LabelSelector{MatchLabels:map[string]string{app: web,},MatchExpressions:[]LabelSelectorRequirement{},}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.');
  });

  it('a PDB matching no pods records NoPods and allows nothing', async () => {
    const s = await newPSim();
    await s.create('poddisruptionbudgets', 'default', pdbObj('empty', { minAvailable: 1, selector: { matchLabels: { app: 'none' } } }));
    await s.step();
    expect(s.pdb('empty').status).toMatchObject({ expectedPods: 0, currentHealthy: 0, desiredHealthy: 1, disruptionsAllowed: 0 });
    const ev = s.list('events', 'default').find((e) => e.reason === 'NoPods');
    expect(ev).toMatchObject({ type: 'Normal', message: 'No matching pods found', source: { component: 'controllermanager' } });
  });

  it('does nothing when nothing it watches changed', async () => {
    const s = await newPSim();
    await s.runningPod('a', APP);
    await s.create('poddisruptionbudgets', 'default', pdbObj('p', { minAvailable: 1, selector: { matchLabels: APP } }));
    await s.step();
    const rv = s.pdb('p').metadata!.resourceVersion;
    await s.runningPod('unrelated', { app: 'other' });
    await s.step();
    expect(s.pdb('p').metadata!.resourceVersion).toBe(rv);
  });

  it('a pod recorded in disruptedPods is not healthy until DeletionTimeout (2m) passes, then it counts again', async () => {
    const s = await newPSim();
    for (const n of ['a', 'b', 'c']) await s.runningPod(n, APP);
    await s.create('poddisruptionbudgets', 'default', pdbObj('p', { minAvailable: 1, selector: { matchLabels: APP } }));
    await s.step();
    // the apiserver records an eviction in disruptedPods; the pod is not deleted yet (pretend it stays)
    const cur = s.pdb('p');
    await s.call({ verb: 'update', resource: 'poddisruptionbudgets', subresource: 'status', namespace: 'default', name: 'p', body: { ...cur, status: { ...cur.status, disruptedPods: { a: new Date(s.clock.now()).toISOString().replace('.000Z', 'Z') } } } });
    await s.step();
    expect(s.pdb('p').status).toMatchObject({ currentHealthy: 2, disruptionsAllowed: 1 });
    expect(Object.keys(s.pdb('p').status.disruptedPods)).toEqual(['a']);
    await s.tick(121_000);
    expect(s.pdb('p').status).toMatchObject({ currentHealthy: 3, disruptionsAllowed: 2 });
    expect(s.pdb('p').status.disruptedPods).toBeUndefined();
    expect(s.list('events', 'default').find((e) => e.reason === 'NotDeleted')?.message).toBe("Pod was expected by PDB default/default to be deleted but it wasn't");
  });

  it('scaledValue rounds percentages up, as GetScaledValueFromIntOrPercent(roundUp)', () => {
    expect(scaledValue('50%', 3)).toBe(2);
    expect(scaledValue('10%', 4)).toBe(1);
    expect(scaledValue(2, 10)).toBe(2);
    expect(() => scaledValue('x', 3)).toThrow(/invalid value for IntOrString/);
  });
});
