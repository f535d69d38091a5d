// Invariants that must hold for any cluster and any pods: no pod lands where a filter rejects it
// (checked against an independent reading of the rules), and no node is ever overcommitted.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { schedulePod } from '../../../src/scheduler/framework.js';
import { DEFAULT_PROFILE } from '../../../src/scheduler/profile.js';
import { addPod, podInfo } from '../../../src/scheduler/resources.js';
import { scheduler } from '../../../src/scheduler/index.js';
import { advance } from '../../../src/cluster/runtime.js';
import { defaultClusterConfig } from '../../../src/cluster/config.js';
import { newSim } from '../controlplane/harness.js';
import type { KObject } from '../../../src/apiserver/types.js';
import { makeNode, makePod, seqRng, snapshotOf } from './fixtures.js';

const LABELS = ['disktype', 'zone', 'gpu'];
const VALUES = ['a', 'b'];
const TAINT_KEYS = ['dedicated', 'spot'];
const EFFECTS = ['NoSchedule', 'NoExecute', 'PreferNoSchedule'];

const nodeArb = fc.record({
  cpu: fc.integer({ min: 0, max: 8 }),
  memGi: fc.integer({ min: 0, max: 16 }),
  pods: fc.integer({ min: 0, max: 6 }),
  labels: fc.dictionary(fc.constantFrom(...LABELS), fc.constantFrom(...VALUES), { maxKeys: 3 }),
  taints: fc.uniqueArray(fc.record({ key: fc.constantFrom(...TAINT_KEYS), value: fc.constantFrom(...VALUES), effect: fc.constantFrom(...EFFECTS) }), { maxLength: 2, selector: (t) => t.key + t.effect }),
  unschedulable: fc.boolean(),
});

const podArb = fc.record({
  milli: fc.integer({ min: 0, max: 3000 }),
  memMi: fc.integer({ min: 0, max: 6000 }),
  initMilli: fc.option(fc.integer({ min: 0, max: 5000 }), { nil: undefined }),
  selector: fc.dictionary(fc.constantFrom(...LABELS), fc.constantFrom(...VALUES), { maxKeys: 2 }),
  tolerations: fc.array(fc.record({ key: fc.constantFrom(...TAINT_KEYS), operator: fc.constantFrom('Equal', 'Exists'), value: fc.constantFrom(...VALUES), effect: fc.constantFrom('', ...EFFECTS) }), { maxLength: 2 }),
});

type Of<A> = A extends fc.Arbitrary<infer T> ? T : never;

function buildNodes(specs: Of<typeof nodeArb>[]): KObject[] {
  return specs.map((n, i) => makeNode(`n${i}`, { cpu: String(n.cpu), memory: `${n.memGi}Gi`, pods: n.pods, labels: n.labels, taints: n.taints, unschedulable: n.unschedulable }));
}

function buildPod(i: number, p: Of<typeof podArb>): KObject {
  const pod = makePod(`p${i}`, {
    cpu: p.milli ? `${p.milli}m` : undefined, memory: p.memMi ? `${p.memMi}Mi` : undefined,
    initCpu: p.initMilli ? `${p.initMilli}m` : undefined,
    nodeSelector: Object.keys(p.selector).length ? p.selector : undefined,
    tolerations: p.tolerations.map((t: Of<typeof podArb>['tolerations'][number]) => {
      const out: any = { key: t.key, operator: t.operator };
      if (t.operator === 'Equal') out.value = t.value;
      if (t.effect) out.effect = t.effect;
      return out;
    }),
  });
  return pod;
}

/** the rules, read independently of the plugins */
function allowed(pod: KObject, node: KObject): boolean {
  if (node.spec?.unschedulable) return false; // generated pods never tolerate the unschedulable taint
  for (const t of node.spec?.taints ?? []) {
    if (t.effect === 'PreferNoSchedule') continue;
    const ok = (pod.spec.tolerations ?? []).some((tol: any) =>
      tol.key === t.key && (!tol.effect || tol.effect === t.effect) && (tol.operator === 'Exists' || tol.value === t.value));
    if (!ok) return false;
  }
  for (const [k, v] of Object.entries(pod.spec.nodeSelector ?? {})) if (node.metadata?.labels?.[k] !== v) return false;
  return true;
}

const milli = (pod: KObject) => {
  const app = parseInt(pod.spec.containers[0].resources?.requests?.cpu ?? '0', 10);
  const init = parseInt(pod.spec.initContainers?.[0]?.resources?.requests?.cpu ?? '0', 10);
  return Math.max(app, init);
};
const mebi = (pod: KObject) => parseInt(pod.spec.containers[0].resources?.requests?.memory ?? '0', 10);

function checkPlacement(nodes: KObject[], pods: KObject[], placement: Map<string, string>): void {
  const byNode = new Map<string, KObject[]>();
  for (const pod of pods) {
    const n = placement.get(pod.metadata!.name!);
    if (!n) continue;
    const node = nodes.find((x) => x.metadata!.name === n)!;
    expect(allowed(pod, node)).toBe(true);
    byNode.set(n, [...(byNode.get(n) ?? []), pod]);
  }
  for (const [n, ps] of byNode) {
    const node = nodes.find((x) => x.metadata!.name === n)!;
    const alloc = node.status!.allocatable;
    expect(ps.reduce((s, p) => s + milli(p), 0)).toBeLessThanOrEqual(parseInt(alloc.cpu, 10) * 1000);
    expect(ps.reduce((s, p) => s + mebi(p), 0)).toBeLessThanOrEqual(parseInt(alloc.memory, 10) * 1024);
    expect(ps.length).toBeLessThanOrEqual(parseInt(alloc.pods, 10));
  }
}

describe('scheduling invariants (property)', () => {
  it('the framework never places a pod where a rule forbids it nor overcommits a node', () => {
    fc.assert(
      fc.property(fc.array(nodeArb, { minLength: 1, maxLength: 6 }), fc.array(podArb, { maxLength: 25 }), fc.integer(), (nodeSpecs, podSpecs, seed) => {
        const nodes = buildNodes(nodeSpecs);
        const pods = podSpecs.map((p, i) => buildPod(i, p));
        const snap = snapshotOf(nodes);
        const rng = seqRng(seed);
        const placement = new Map<string, string>();
        let start = 0;
        for (const pod of pods) {
          const pi = podInfo(pod);
          const r = schedulePod(snap, DEFAULT_PROFILE, pi, { rng, start });
          start = r.nextStart;
          if (!r.ok) continue;
          addPod(snap.byName.get(r.node)!, pi);
          placement.set(pod.metadata!.name!, r.node);
        }
        checkPlacement(nodes, pods, placement);
        // and every pod left out had a reason on every node
        for (const pod of pods) {
          if (placement.has(pod.metadata!.name!)) continue;
          const r = schedulePod(snap, DEFAULT_PROFILE, podInfo(pod), { rng, start: 0 });
          expect(r.ok).toBe(false);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('the component binds only where the rules allow, through the apiserver', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(nodeArb, { minLength: 1, maxLength: 4 }), fc.array(podArb, { maxLength: 10 }), async (nodeSpecs, podSpecs) => {
        const sim = await newSim({ ...defaultClusterConfig('prop'), nodes: [] });
        const nodes = buildNodes(nodeSpecs);
        for (const n of nodes) await sim.create('nodes', undefined, n);
        const pods = podSpecs.map((p, i) => buildPod(i, p));
        for (const p of pods) {
          const body = structuredClone(p);
          delete body.metadata!.uid;
          delete body.status;
          await sim.create('pods', 'default', body);
        }
        await advance(sim.api, sim.clock, sim.clock.now(), { components: [scheduler] });
        // every bound pod counts, the cluster's own (CoreDNS) included
        const bound = sim.list('pods').filter((p) => p.spec.nodeName);
        checkPlacement(nodes, bound, new Map(bound.map((p) => [p.metadata!.name!, p.spec.nodeName])));
      }),
      { numRuns: 8 },
    );
  }, 120_000);
});
