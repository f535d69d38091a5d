import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { advance } from '../../../src/cluster/runtime.js';
import type { Component } from '../../../src/controllers/component.js';
import type { KObject } from '../../../src/apiserver/types.js';
import { deployment, isReady, live, MINE, newDSim, setImage, type DSim } from './helpers.js';
import { resolveFenceposts } from '../../../src/controllers/deployment/util.js';

function ownedBy(sim: DSim, name: string): KObject[] {
  const d = sim.deploy(name);
  const sets = new Set(sim.sets().filter((rs) => rs.metadata!.ownerReferences?.[0]?.uid === d.metadata!.uid).map((rs) => rs.metadata!.uid));
  return live(sim.pods().filter((p) => sets.has(p.metadata!.ownerReferences![0].uid)));
}

describe('rolling update', () => {
  it('replicas 4, 25%/25%: surge 1, one unavailable, events in the real order', async () => {
    const sim = await newDSim();
    await sim.create('deployments', 'default', deployment('web', 4));
    await sim.step();
    for (const p of sim.pods()) await sim.ready(p);
    await sim.step();
    const oldName = sim.sets()[0].metadata!.name!;
    await setImage(sim, 'web', 'nginx:1.26');
    await sim.step();
    const sets = sim.sets();
    expect(sets).toHaveLength(2);
    const next = sets.find((rs) => rs.metadata!.name !== oldName)!;
    // maxSurge 1 → new gets 1 (5 pods); maxUnavailable 1 → old goes to 3; that leaves room: new to 2
    expect(next.spec.replicas).toBe(2);
    expect(sets.find((rs) => rs.metadata!.name === oldName)!.spec.replicas).toBe(3);
    expect(next.metadata!.annotations!['deployment.kubernetes.io/revision']).toBe('2');
    expect(sim.deploy('web').metadata!.annotations!['deployment.kubernetes.io/revision']).toBe('2');
    const prog = sim.deploy('web').status.conditions.find((c: any) => c.type === 'Progressing');
    expect(prog.reason).toBe('ReplicaSetUpdated');
    // drive to completion
    for (let i = 0; i < 20 && sim.sets().find((rs) => rs.metadata!.name === oldName)!.spec.replicas > 0; i++) {
      for (const p of sim.pods().filter((p) => !isReady(p))) await sim.ready(p);
      await sim.step();
    }
    for (const p of sim.pods().filter((p) => !isReady(p))) await sim.ready(p);
    await sim.step();
    const d = sim.deploy('web');
    expect(d.status).toMatchObject({ replicas: 4, updatedReplicas: 4, availableReplicas: 4, readyReplicas: 4 });
    expect(d.status.conditions.find((c: any) => c.type === 'Progressing')).toMatchObject({ reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${next.metadata!.name}" has successfully progressed.` });
    const msgs = sim.events('ScalingReplicaSet').map((e) => e.message);
    expect(msgs.slice(0, 4)).toEqual([
      `Scaled up replica set ${oldName} from 0 to 4`,
      `Scaled up replica set ${next.metadata!.name} from 0 to 1`,
      `Scaled down replica set ${oldName} from 4 to 3`,
      `Scaled up replica set ${next.metadata!.name} from 1 to 2`,
    ]);
    expect(msgs.at(-1)).toMatch(new RegExp(`^Scaled down replica set ${oldName} from \\d to 0$`));
    expect(sim.pods().every((p) => p.metadata!.labels!['pod-template-hash'] === next.metadata!.labels!['pod-template-hash'])).toBe(true);
  });

  it('property: pods never exceed replicas+maxSurge, available never below replicas-maxUnavailable', async () => {
    const intOrPct = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom('0%', '10%', '25%', '50%', '100%'));
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 7 }), intOrPct, intOrPct, fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 40, maxLength: 40 }), async (replicas, surge, unavail, choices) => {
        // validation refuses both zero
        if ((surge === 0 || surge === '0%') && (unavail === 0 || unavail === '0%')) return;
        const [s, u] = resolveFenceposts(surge, unavail, replicas);
        const sim = await newDSim();
        await sim.create('deployments', 'default', deployment('p', replicas, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: surge, maxUnavailable: unavail } } }));
        await sim.step();
        for (const p of sim.pods()) await sim.ready(p);
        await sim.step();
        const maxUnavail = Math.min(u, replicas);
        const violations: string[] = [];
        let checking = false;
        const checker: Component = {
          name: 'invariant-checker',
          async reconcile() {
            if (!checking) return false;
            const pods = ownedBy(sim, 'p');
            const avail = pods.filter(isReady).length;
            if (pods.length > replicas + s) violations.push(`${pods.length} pods > ${replicas}+${s}`);
            if (avail < replicas - maxUnavail) violations.push(`${avail} available < ${replicas}-${maxUnavail}`);
            return false;
          },
        };
        const stepChecked = () => advance(sim.api, sim.clock, sim.clock.now(), { components: [...MINE, checker], trace: sim.trace });
        await setImage(sim, 'p', 'nginx:1.26');
        checking = true;
        await stepChecked();
        let i = 0;
        for (; i < choices.length; i++) {
          const d = sim.deploy('p');
          if (d.status.updatedReplicas === replicas && d.status.availableReplicas === replicas && (d.status.replicas ?? 0) === replicas) break;
          // readiness arrives one pod at a time, in an order fast-check picks
          const waiting = sim.pods().filter((p) => !isReady(p));
          if (waiting.length) await sim.ready(waiting[choices[i] % waiting.length]);
          await stepChecked();
        }
        expect(violations).toEqual([]);
        const d = sim.deploy('p');
        expect(d.status).toMatchObject({ replicas, updatedReplicas: replicas, availableReplicas: replicas });
      }),
      { numRuns: 12, seed: 7 },
    );
  }, 120_000);

  it('minReadySeconds: a ready pod is available only after it has been ready that long', async () => {
    const sim = await newDSim();
    await sim.create('deployments', 'default', deployment('slow', 1, { minReadySeconds: 10 }));
    await sim.step();
    const [p] = sim.pods();
    expect(sim.sets()[0].spec.minReadySeconds).toBe(10);
    await sim.ready(p);
    await sim.step();
    expect(sim.sets()[0].status).toMatchObject({ readyReplicas: 1 });
    expect(sim.sets()[0].status.availableReplicas).toBeUndefined();
    expect(sim.deploy('slow').status.unavailableReplicas).toBe(1);
    await sim.tick(9_000);
    expect(sim.sets()[0].status.availableReplicas).toBeUndefined();
    await sim.tick(2_000);
    expect(sim.sets()[0].status.availableReplicas).toBe(1);
    expect(sim.deploy('slow').status).toMatchObject({ availableReplicas: 1 });
    expect(sim.deploy('slow').status.conditions.find((c: any) => c.type === 'Available').status).toBe('True');
  });
});
