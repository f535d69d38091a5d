// Invariants of the whole control plane (deployment + replicaset controllers, scheduler, kubelets,
// garbage collector) under random sequences of what users do: after settling, every Deployment has
// exactly its replicas, all Running and Ready, all of its current template; and while a rolling
// update is under way, the pods never exceed replicas+maxSurge nor available fall below
// replicas-maxUnavailable.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { KObject } from '../../../src/apiserver/types.js';
import { newSim, type Sim } from './harness.js';

const NAMES = ['a', 'b', 'c'];
const IMAGES = ['nginx:1.25', 'nginx:1.26', 'httpd:2.4']; // all long-running: busybox would exit and crash-loop

type Op =
  | { op: 'create'; d: number; replicas: number }
  | { op: 'scale'; d: number; replicas: number }
  | { op: 'image'; d: number; image: number }
  | { op: 'deletePod'; pick: number }
  | { op: 'wait'; ms: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('create' as const), d: fc.nat(NAMES.length - 1), replicas: fc.integer({ min: 0, max: 4 }) }),
  fc.record({ op: fc.constant('scale' as const), d: fc.nat(NAMES.length - 1), replicas: fc.integer({ min: 0, max: 5 }) }),
  fc.record({ op: fc.constant('image' as const), d: fc.nat(NAMES.length - 1), image: fc.nat(IMAGES.length - 1) }),
  fc.record({ op: fc.constant('deletePod' as const), pick: fc.nat(50) }),
  fc.record({ op: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 3000 }) }),
);

function deployment(name: string, replicas: number, image: string): KObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image }] } },
    },
  };
}

async function ok(sim: Sim, req: Parameters<Sim['call']>[0]): Promise<void> {
  const res = await sim.call(req);
  // a pod may already be gone, a deployment may not exist yet: the user would see an error, no harm
  if (res.code >= 300 && res.code !== 404) throw new Error(`${req.verb} ${req.resource}/${req.name ?? ''}: ${res.body.message}`);
}

async function apply(sim: Sim, o: Op): Promise<void> {
  switch (o.op) {
    case 'create': {
      const name = NAMES[o.d];
      if (!sim.get('deployments', 'default', name)) await sim.create('deployments', 'default', deployment(name, o.replicas, IMAGES[0]));
      return;
    }
    case 'scale':
      return ok(sim, { verb: 'patch', resource: 'deployments', namespace: 'default', name: NAMES[o.d], patchType: 'merge', body: { spec: { replicas: o.replicas } } });
    case 'image':
      return ok(sim, {
        verb: 'patch', resource: 'deployments', namespace: 'default', name: NAMES[o.d], patchType: 'strategic',
        body: { spec: { template: { spec: { containers: [{ name: 'c', image: IMAGES[o.image] }] } } } },
      });
    case 'deletePod': {
      const pods = sim.list('pods', 'default').filter((p) => !p.metadata?.deletionTimestamp);
      if (!pods.length) return;
      return ok(sim, { verb: 'delete', resource: 'pods', namespace: 'default', name: pods[o.pick % pods.length].metadata!.name });
    }
    case 'wait':
      return sim.run(o.ms);
  }
}

const owner = (o: KObject) => o.metadata?.ownerReferences?.find((r: any) => r.controller)?.name as string | undefined;
const ready = (p: KObject) => p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True');

/** every Deployment has exactly spec.replicas live pods, Running, Ready, of its current template */
function expectExactReplicas(sim: Sim): void {
  const sets = sim.list('replicasets', 'default');
  const pods = sim.list('pods', 'default');
  for (const d of sim.list('deployments', 'default')) {
    const name = d.metadata!.name!;
    const mine = sets.filter((rs) => owner(rs) === name);
    const want = d.spec.replicas;
    const current = mine.filter((rs) => rs.spec.template.spec.containers[0].image === d.spec.template.spec.containers[0].image);
    expect(current, `${name}: one ReplicaSet for the current template`).toHaveLength(1);
    const live = pods.filter((p) => mine.some((rs) => rs.metadata!.name === owner(p)) && !p.metadata?.deletionTimestamp);
    expect(live.length, `${name}: live pods`).toBe(want);
    for (const p of live) {
      expect(owner(p), `${name}: ${p.metadata!.name} of the current ReplicaSet`).toBe(current[0].metadata!.name);
      expect(p.status?.phase).toBe('Running');
      expect(ready(p)).toBe(true);
      expect(p.spec.nodeName).toBeTruthy();
    }
    expect(mine.reduce((n, rs) => n + rs.spec.replicas, 0), `${name}: replicas over its ReplicaSets`).toBe(want);
    const st = d.status ?? {};
    expect(st.observedGeneration).toBe(d.metadata!.generation);
    // the API omits zero counts
    expect([st.replicas ?? 0, st.updatedReplicas ?? 0, st.readyReplicas ?? 0, st.availableReplicas ?? 0], `${name}: status`).toEqual([want, want, want, want]);
  }
  // no pod left owned by nothing
  for (const p of pods) if (!p.metadata?.deletionTimestamp) expect(sets.some((rs) => rs.metadata!.name === owner(p)), p.metadata!.name).toBe(true);
}

describe('control-plane invariants (property)', () => {
  it('after settling (instant), every Deployment has exactly its replicas', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 8 }), async (ops) => {
        const sim = await newSim();
        for (const o of ops) await apply(sim, o);
        await sim.settle();
        await sim.run(60_000); // grace periods of what was deleted run out
        expectExactReplicas(sim);
      }),
      { numRuns: 6, seed: 3, endOnFailure: true },
    );
  }, 60_000);

  it('after the clock runs on (realtime), every Deployment has exactly its replicas', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 8 }), async (ops) => {
        const sim = await newSim();
        for (const o of ops) await apply(sim, o);
        await sim.run(90_000);
        expectExactReplicas(sim);
      }),
      { numRuns: 6, seed: 30, endOnFailure: true },
    );
  }, 60_000);

  it('during a rolling update: pods <= replicas+maxSurge, available >= replicas-maxUnavailable', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 0, max: 2 }),
        async (replicas, surge, unavailable) => {
          if (surge === 0 && unavailable === 0) surge = 1; // the apiserver refuses both at 0
          const sim = await newSim();
          const d = deployment('roll', replicas, IMAGES[0]);
          d.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } };
          await sim.create('deployments', 'default', d);
          await sim.run(30_000);
          await ok(sim, { verb: 'patch', resource: 'deployments', namespace: 'default', name: 'roll', patchType: 'strategic', body: { spec: { template: { spec: { containers: [{ name: 'c', image: IMAGES[1] }] } } } } });
          for (let t = 0; t < 60; t++) {
            await sim.run(500);
            const pods = sim.list('pods', 'default').filter((p) => !p.metadata?.deletionTimestamp);
            expect(pods.length).toBeLessThanOrEqual(replicas + surge);
            const available = pods.filter((p) => p.status?.phase === 'Running' && ready(p)).length;
            expect(available).toBeGreaterThanOrEqual(replicas - unavailable);
          }
          const pods = sim.list('pods', 'default').filter((p) => !p.metadata?.deletionTimestamp);
          expect(pods.map((p) => p.spec.containers[0].image)).toEqual(Array(replicas).fill(IMAGES[1]));
        },
      ),
      { numRuns: 5, seed: 7, endOnFailure: true },
    );
  }, 60_000);
});
