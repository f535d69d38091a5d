// InterPodAffinity and PodTopologySpread through the framework: which nodes pass, the exact
// FailedScheduling message, and what the scores prefer.
import { describe, expect, it } from 'vitest';
import { schedulePod, findNodesThatFit } from '../../../src/scheduler/framework.js';
import { defaultPreemption } from '../../../src/scheduler/preemption.js';
import { DEFAULT_PROFILE } from '../../../src/scheduler/profile.js';
import { podInfo } from '../../../src/scheduler/resources.js';
import { interPodAffinity } from '../../../src/scheduler/plugins/inter-pod-affinity.js';
import { podTopologySpread } from '../../../src/scheduler/plugins/pod-topology-spread.js';
import type { KObject } from '../../../src/apiserver/types.js';
import { kindNodes, makeNode, makePod, seqRng, snapshotOf, type PodOpts } from './fixtures.js';

const postFilter = defaultPreemption(DEFAULT_PROFILE);
const HOST = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';

function labelled(name: string, labels: Record<string, string>, o: PodOpts = {}, ns = 'default'): KObject {
  const p = makePod(name, o, ns);
  p.metadata!.labels = labels;
  return p;
}

const antiSelf = (key = HOST) => ({
  podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: key }] },
});

function cycle(nodes: KObject[], pods: KObject[], pod: KObject) {
  return schedulePod(snapshotOf(nodes, pods), DEFAULT_PROFILE, podInfo(pod), { rng: seqRng(), postFilter });
}

function feasible(nodes: KObject[], pods: KObject[], pod: KObject): string[] {
  const snap = snapshotOf(nodes, pods);
  return findNodesThatFit({ state: new Map(), snapshot: snap }, DEFAULT_PROFILE, podInfo(pod), 0).feasible.map((n) => n.name).sort();
}

const workers = ['minikctl-worker', 'minikctl-worker2', 'minikctl-worker3'];

describe('InterPodAffinity (required)', () => {
  it('anti-affinity by hostname: a 4th replica on 3 workers fits nowhere, with the real message', () => {
    const placed = workers.map((w, i) => labelled(`web-${i}`, { app: 'web' }, { nodeName: w, affinity: antiSelf() }));
    const r = cycle(kindNodes(), placed, labelled('web-3', { app: 'web' }, { affinity: antiSelf() }));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toBe(
      "0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 node(s) didn't match pod anti-affinity rules. " +
        'preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.',
    );
  });

  it("existing pods' anti-affinity keeps a matching newcomer away (symmetry)", () => {
    const guard = labelled('guard', { role: 'guard' }, {
      nodeName: 'minikctl-worker',
      affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: HOST }] } },
    });
    expect(feasible(kindNodes(), [guard], labelled('w', { app: 'web' }))).toEqual(['minikctl-worker2', 'minikctl-worker3']);
    // a pod the guard's selector does not match may go there
    expect(feasible(kindNodes(), [guard], labelled('o', { app: 'other' }))).toEqual(workers);
    const r = cycle([makeNode('minikctl-worker')], [guard], labelled('w', { app: 'web' }));
    expect(!r.ok && r.message).toBe(
      "0/1 nodes are available: 1 node(s) didn't satisfy existing pods anti-affinity rules. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
    );
  });

  it('affinity follows the matching pods by zone; the first pod of a self-affine group may go anywhere', () => {
    const nodes = [
      makeNode('a1', { labels: { [ZONE]: 'a' } }), makeNode('a2', { labels: { [ZONE]: 'a' } }),
      makeNode('b1', { labels: { [ZONE]: 'b' } }), makeNode('nozone'),
    ];
    const aff = { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'cache' } }, topologyKey: ZONE }] } };
    const cache = labelled('cache-0', { app: 'cache' }, { nodeName: 'a2' });
    expect(feasible(nodes, [cache], labelled('web', { app: 'web' }, { affinity: aff }))).toEqual(['a1', 'a2']);
    // nothing matches yet and the pod does not match its own term: nowhere, unresolvable
    const r = cycle(nodes, [], labelled('web', { app: 'web' }, { affinity: aff }));
    expect(!r.ok && r.message).toBe(
      "0/4 nodes are available: 4 node(s) didn't match pod affinity rules. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.",
    );
    // a pod matching its own term is the first of its group: any node with the topology key
    expect(feasible(nodes, [], labelled('cache-1', { app: 'cache' }, { affinity: aff }))).toEqual(['a1', 'a2', 'b1']);
  });

  it('terms look in the pod\'s own namespace unless namespaces or a namespaceSelector say otherwise', () => {
    const other = labelled('db', { app: 'db' }, { nodeName: 'minikctl-worker2' }, 'data');
    const term = (extra: any) => ({ podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'db' } }, topologyKey: HOST, ...extra }] } });
    const snap = snapshotOf(kindNodes(), [other]);
    snap.namespaceLabels = new Map<string, Record<string, string>>([['data', { team: 'x' }], ['default', {}]]);
    const fit = (affinity: any) =>
      findNodesThatFit({ state: new Map(), snapshot: snap }, DEFAULT_PROFILE, podInfo(labelled('web', { app: 'web' }, { affinity })), 0).feasible.map((n) => n.name);
    expect(fit(term({}))).toEqual([]);
    expect(fit(term({ namespaces: ['data'] }))).toEqual(['minikctl-worker2']);
    expect(fit(term({ namespaceSelector: { matchLabels: { team: 'x' } } }))).toEqual(['minikctl-worker2']);
    expect(fit(term({ namespaceSelector: {} }))).toEqual(['minikctl-worker2']);
  });
});

describe('InterPodAffinity (preferred)', () => {
  it('scores the domain holding matching pods highest, weights summed and normalised to 0..100', () => {
    const nodes = [makeNode('x', { labels: { [ZONE]: 'a' } }), makeNode('y', { labels: { [ZONE]: 'a' } }), makeNode('z', { labels: { [ZONE]: 'b' } })];
    const snap = snapshotOf(nodes, [labelled('c', { app: 'cache' }, { nodeName: 'x' })]);
    const pi = podInfo(labelled('web', { app: 'web' }, {
      affinity: {
        podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, podAffinityTerm: { labelSelector: { matchLabels: { app: 'cache' } }, topologyKey: ZONE } }] },
        podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 20, podAffinityTerm: { labelSelector: { matchLabels: { app: 'cache' } }, topologyKey: HOST } }] },
      },
    }));
    const ctx = { state: new Map(), snapshot: snap };
    expect(interPodAffinity.preScore!(ctx, pi, snap.nodes)).toBeUndefined();
    const raw = snap.nodes.map((n) => interPodAffinity.score!(ctx, pi, n));
    expect(raw).toEqual([30, 50, 0]);
    interPodAffinity.normalizeScore!(ctx, pi, raw);
    expect(raw).toEqual([60, 100, 0]);
    // nobody with affinity anywhere and none of its own: not scored
    expect(interPodAffinity.preScore!({ state: new Map(), snapshot: snapshotOf(nodes) }, podInfo(makePod('p')), snap.nodes)).toBe('skip');
  });
});

describe('PodTopologySpread (DoNotSchedule)', () => {
  const zones = () => [
    makeNode('a1', { labels: { [ZONE]: 'local-a' } }), makeNode('b1', { labels: { [ZONE]: 'local-b' } }),
    makeNode('c1', { labels: { [ZONE]: 'local-c' } }), makeNode('c2', { labels: { [ZONE]: 'local-c' } }),
  ];
  const spread = (extra: any = {}) => [{ maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } }, ...extra }];
  const withSpread = (name: string, c: any[], o: PodOpts = {}) => {
    const p = labelled(name, { app: 'web' }, o);
    p.spec.topologySpreadConstraints = c;
    return p;
  };

  it('keeps the skew between zones within maxSkew', () => {
    const placed = [labelled('w0', { app: 'web' }, { nodeName: 'a1' }), labelled('w1', { app: 'web' }, { nodeName: 'b1' })];
    expect(feasible(zones(), placed, withSpread('w2', spread()))).toEqual(['c1', 'c2']);
    placed.push(labelled('w2', { app: 'web' }, { nodeName: 'c2' }));
    expect(feasible(zones(), placed, withSpread('w3', spread()))).toEqual(['a1', 'b1', 'c1', 'c2']);
  });

  it('a node without the topology key is unresolvable: the "missing required label" reason', () => {
    const nodes = [makeNode('a1', { labels: { [ZONE]: 'local-a' } }), makeNode('bare')];
    const placed = [labelled('w0', { app: 'web' }, { nodeName: 'a1' })];
    const r = cycle(nodes, placed, withSpread('w1', spread({ minDomains: 2 })));
    expect(!r.ok && r.message).toBe(
      "0/2 nodes are available: 1 node(s) didn't match pod topology spread constraints, 1 node(s) didn't match pod topology spread constraints (missing required label). " +
        'preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.',
    );
    // with one domain and minDomains 1 the only zone is its own minimum: it fits
    expect(feasible(nodes, placed, withSpread('w1', spread()))).toEqual(['a1']);
  });

  it('nodeAffinityPolicy Honor leaves out the zones the pod may not go to; Ignore counts them', () => {
    const placed = [labelled('w0', { app: 'web' }, { nodeName: 'a1' })];
    const sel = { nodeSelector: { [ZONE]: 'local-a' } };
    // only local-a is eligible: its own minimum, so a second pod still fits there
    expect(feasible(zones(), placed, withSpread('w1', spread(), sel))).toEqual(['a1']);
    // counting the empty zones too, local-a is 1 above them: nowhere
    expect(feasible(zones(), placed, withSpread('w1', spread({ nodeAffinityPolicy: 'Ignore' }), sel))).toEqual([]);
  });

  it('matchLabelKeys narrows the group to pods with the same value', () => {
    const v1 = (n: string, node?: string) => labelled(n, { app: 'web', rev: '1' }, { nodeName: node });
    const placed = [v1('o0', 'a1'), v1('o1', 'b1')];
    const p = withSpread('n0', spread({ matchLabelKeys: ['rev'] }));
    p.metadata!.labels = { app: 'web', rev: '2' };
    // the old revision's pods are not counted: every zone is at 0
    expect(feasible(zones(), placed, p)).toEqual(['a1', 'b1', 'c1', 'c2']);
    const q = withSpread('n0', spread());
    expect(feasible(zones(), placed, q)).toEqual(['c1', 'c2']);
  });
});

describe('PodTopologySpread (ScheduleAnyway)', () => {
  it('prefers the emptier zone; nodes missing the key are ignored (score 0)', () => {
    const nodes = [makeNode('a1', { labels: { [ZONE]: 'a' } }), makeNode('b1', { labels: { [ZONE]: 'b' } }), makeNode('bare')];
    const snap = snapshotOf(nodes, [labelled('w0', { app: 'web' }, { nodeName: 'a1' })]);
    const p = labelled('w1', { app: 'web' });
    p.spec.topologySpreadConstraints = [{ maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'web' } } }];
    const pi = podInfo(p);
    const ctx = { state: new Map(), snapshot: snap };
    expect(podTopologySpread.preScore!(ctx, pi, snap.nodes)).toBeUndefined();
    const scores = snap.nodes.map((n) => podTopologySpread.score!(ctx, pi, n));
    podTopologySpread.normalizeScore!(ctx, pi, scores);
    expect(scores[1]).toBe(100);
    expect(scores[0]).toBeLessThan(100);
    expect(scores[2]).toBe(0);
  });
});
