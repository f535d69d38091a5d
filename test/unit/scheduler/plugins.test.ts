// Each plugin's Filter and Score, as pure functions over NodeInfo/PodInfo.
import { describe, expect, it } from 'vitest';
import { podInfo, podRequests } from '../../../src/scheduler/resources.js';
import { nodeName } from '../../../src/scheduler/plugins/node-name.js';
import { nodeUnschedulable } from '../../../src/scheduler/plugins/node-unschedulable.js';
import { nodeResourcesFit } from '../../../src/scheduler/plugins/node-resources-fit.js';
import { nodeAffinity } from '../../../src/scheduler/plugins/node-affinity.js';
import { taintToleration, toleratesTaint } from '../../../src/scheduler/plugins/taint-toleration.js';
import { leastRequestedScore } from '../../../src/scheduler/plugins/least-allocated.js';
import { balancedAllocation, balancedScore } from '../../../src/scheduler/plugins/balanced-allocation.js';
import { calculatePriority, imageLocality, normalizedImageName } from '../../../src/scheduler/plugins/image-locality.js';
import type { CycleContext, Snapshot } from '../../../src/scheduler/types.js';
import { CONTROL_PLANE_TAINT, makeNode, makePod, snapshotOf } from './fixtures.js';

const ctxOf = (snapshot: Snapshot): CycleContext => ({ state: new Map(), snapshot });

function filterOn(plugin: typeof nodeName, pod: any, node: any, assigned: any[] = []) {
  const snap = snapshotOf([node], assigned);
  return plugin.filter!(ctxOf(snap), podInfo(pod), snap.nodes[0]);
}

describe('pod requests', () => {
  it('sum of app containers vs the largest init container, plus overhead', () => {
    const pod = makePod('p', { cpu: '500m', memory: '1Gi' });
    pod.spec.containers.push({ name: 'b', image: 'x', resources: { requests: { cpu: '250m', memory: '512Mi' } } });
    pod.spec.initContainers = [{ name: 'i1', image: 'x', resources: { requests: { cpu: '2', memory: '100Mi' } } }];
    pod.spec.overhead = { cpu: '100m', memory: '10Mi' };
    const r = podRequests(pod);
    expect(r.milliCPU).toBe(2100);
    expect(r.memory).toBe(1536 * 1024 * 1024 + 10 * 1024 * 1024);
  });
  it('a sidecar (restartable init container) runs beside the app', () => {
    const pod = makePod('p', { cpu: '1' });
    pod.spec.initContainers = [
      { name: 'side', image: 'x', restartPolicy: 'Always', resources: { requests: { cpu: '500m' } } },
      { name: 'init', image: 'x', resources: { requests: { cpu: '1200m' } } },
    ];
    // init runs with the sidecar: 1700m; app + sidecar: 1500m
    expect(podRequests(pod).milliCPU).toBe(1700);
  });
  it('non-zero requests give request-less containers 100m and 200Mi for scoring', () => {
    const pi = podInfo(makePod('p'));
    expect(pi.requests.milliCPU).toBe(0);
    expect(pi.nonZero).toEqual({ milliCPU: 100, memory: 200 * 1024 * 1024 });
  });
});

describe('NodeName', () => {
  it('rejects every node but the named one', () => {
    expect(filterOn(nodeName, makePod('p', { nodeName: 'a' }), makeNode('a'))).toBeUndefined();
    expect(filterOn(nodeName, makePod('p', { nodeName: 'a' }), makeNode('b'))).toEqual({
      code: 'UnschedulableAndUnresolvable', plugin: 'NodeName', reasons: ["node(s) didn't match the requested node name"],
    });
  });
});

describe('NodeUnschedulable', () => {
  it('rejects a cordoned node unless the pod tolerates the unschedulable taint', () => {
    const cordoned = makeNode('a', { unschedulable: true });
    expect(filterOn(nodeUnschedulable, makePod('p'), cordoned)?.reasons).toEqual(['node(s) were unschedulable']);
    expect(filterOn(nodeUnschedulable, makePod('p'), makeNode('b'))).toBeUndefined();
    const ds = makePod('ds', { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] });
    expect(filterOn(nodeUnschedulable, ds, cordoned)).toBeUndefined();
  });
});

describe('NodeResourcesFit', () => {
  it('counts the requests of the pods already on the node', () => {
    const node = makeNode('a', { cpu: '2', memory: '4Gi' });
    const there = [makePod('x', { cpu: '1500m', memory: '1Gi', nodeName: 'a' })];
    expect(filterOn(nodeResourcesFit, makePod('p', { cpu: '500m' }), node, there)).toBeUndefined();
    expect(filterOn(nodeResourcesFit, makePod('p', { cpu: '501m' }), node, there)?.reasons).toEqual(['Insufficient cpu']);
    expect(filterOn(nodeResourcesFit, makePod('p', { memory: '3Gi' }), node, there)).toBeUndefined();
    expect(filterOn(nodeResourcesFit, makePod('p', { memory: '3073Mi' }), node, there)?.reasons).toEqual(['Insufficient memory']);
  });
  it('reports cpu and memory shortfalls together, Unschedulable (preemption may help)', () => {
    const s = filterOn(nodeResourcesFit, makePod('p', { cpu: '5', memory: '9Gi' }), makeNode('a'));
    expect(s).toEqual({ code: 'Unschedulable', plugin: 'NodeResourcesFit', reasons: ['Insufficient cpu', 'Insufficient memory'] });
  });
  it('init containers count as max(init, sum(app))', () => {
    const s = filterOn(nodeResourcesFit, makePod('p', { cpu: '100m', initCpu: '4500m' }), makeNode('a'));
    expect(s?.reasons).toEqual(['Insufficient cpu']);
  });
  it('counts pods against allocatable pods, even pods without requests', () => {
    const node = makeNode('a', { pods: 2 });
    const there = [makePod('x', { nodeName: 'a' }), makePod('y', { nodeName: 'a' })];
    expect(filterOn(nodeResourcesFit, makePod('p'), node, there)?.reasons).toEqual(['Too many pods']);
    expect(filterOn(nodeResourcesFit, makePod('p'), node, there.slice(1))).toBeUndefined();
  });
  it('scores LeastAllocated with non-zero requests: the emptier node wins', () => {
    const snap = snapshotOf([makeNode('a'), makeNode('b')], [makePod('x', { cpu: '2', memory: '4Gi', nodeName: 'a' })]);
    const pi = podInfo(makePod('p', { cpu: '1', memory: '1Gi' }));
    const a = nodeResourcesFit.score!(ctxOf(snap), pi, snap.nodes[0]);
    const b = nodeResourcesFit.score!(ctxOf(snap), pi, snap.nodes[1]);
    // a: cpu (4000-3000)*100/4000 = 25, mem (8-5)/8 → 37; b: cpu 75, mem 87
    expect(a).toBe(31);
    expect(b).toBe(81);
    expect(leastRequestedScore(5, 4)).toBe(0);
    expect(leastRequestedScore(0, 0)).toBe(0);
  });
});

describe('NodeAffinity', () => {
  const node = makeNode('a', { labels: { disktype: 'ssd', 'topology.kubernetes.io/zone': 'local-a', cores: '8' } });
  const required = (...terms: any[]) => ({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } });
  const fits = (pod: any) => filterOn(nodeAffinity, pod, node) === undefined;

  it('nodeSelector needs every label', () => {
    expect(fits(makePod('p', { nodeSelector: { disktype: 'ssd' } }))).toBe(true);
    expect(fits(makePod('p', { nodeSelector: { disktype: 'ssd', gpu: 'true' } }))).toBe(false);
    expect(filterOn(nodeAffinity, makePod('p', { nodeSelector: { disktype: 'hdd' } }), node)).toEqual({
      code: 'UnschedulableAndUnresolvable', plugin: 'NodeAffinity', reasons: ["node(s) didn't match Pod's node affinity/selector"],
    });
  });
  it('matchExpressions: In, NotIn, Exists, DoesNotExist, Gt, Lt', () => {
    const expr = (key: string, operator: string, values?: string[]) => makePod('p', { affinity: required({ matchExpressions: [{ key, operator, values }] }) });
    expect(fits(expr('disktype', 'In', ['ssd', 'nvme']))).toBe(true);
    expect(fits(expr('disktype', 'In', ['hdd']))).toBe(false);
    expect(fits(expr('disktype', 'NotIn', ['hdd']))).toBe(true);
    expect(fits(expr('missing', 'NotIn', ['x']))).toBe(true);
    expect(fits(expr('disktype', 'NotIn', ['ssd']))).toBe(false);
    expect(fits(expr('disktype', 'Exists'))).toBe(true);
    expect(fits(expr('gpu', 'Exists'))).toBe(false);
    expect(fits(expr('gpu', 'DoesNotExist'))).toBe(true);
    expect(fits(expr('cores', 'Gt', ['4']))).toBe(true);
    expect(fits(expr('cores', 'Gt', ['8']))).toBe(false);
    expect(fits(expr('cores', 'Lt', ['16']))).toBe(true);
    expect(fits(expr('disktype', 'Lt', ['16']))).toBe(false);
    expect(fits(expr('missing', 'Gt', ['1']))).toBe(false);
  });
  it('matchFields metadata.name; terms are ORed, requirements ANDed; an empty term matches nothing', () => {
    expect(fits(makePod('p', { affinity: required({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['a'] }] }) }))).toBe(true);
    expect(fits(makePod('p', { affinity: required({ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['a'] }] }) }))).toBe(false);
    const miss = { matchExpressions: [{ key: 'disktype', operator: 'In', values: ['hdd'] }] };
    const hit = { matchExpressions: [{ key: 'disktype', operator: 'Exists' }, { key: 'cores', operator: 'Gt', values: ['2'] }] };
    expect(fits(makePod('p', { affinity: required(miss, hit) }))).toBe(true);
    expect(fits(makePod('p', { affinity: required(miss) }))).toBe(false);
    expect(fits(makePod('p', { affinity: required({}) }))).toBe(false);
  });
  it('preferred terms add their weights, normalized to 100 for the best node', () => {
    const snap = snapshotOf([makeNode('a', { labels: { zone: 'x', ssd: 'y' } }), makeNode('b', { labels: { zone: 'x' } }), makeNode('c')]);
    const pod = makePod('p', {
      affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [
        { weight: 60, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['x'] }] } },
        { weight: 20, preference: { matchExpressions: [{ key: 'ssd', operator: 'Exists' }] } },
      ] } },
    });
    const pi = podInfo(pod);
    const ctx = ctxOf(snap);
    const scores = snap.nodes.map((n) => nodeAffinity.score!(ctx, pi, n));
    expect(scores).toEqual([80, 60, 0]);
    nodeAffinity.normalizeScore!(ctx, pi, scores);
    expect(scores).toEqual([100, 75, 0]);
    expect(nodeAffinity.preScore!(ctx, podInfo(makePod('q')), snap.nodes)).toBe('skip');
  });
});

describe('TaintToleration', () => {
  it('tolerations match by key, operator, value and effect', () => {
    const taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
    expect(toleratesTaint({ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }, taint)).toBe(true);
    expect(toleratesTaint({ key: 'dedicated', value: 'gpu' }, taint)).toBe(true);
    expect(toleratesTaint({ key: 'dedicated', value: 'cpu' }, taint)).toBe(false);
    expect(toleratesTaint({ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }, taint)).toBe(false);
    expect(toleratesTaint({ operator: 'Exists' }, taint)).toBe(true);
  });
  it('rejects a node with an untolerated NoSchedule or NoExecute taint, naming the first', () => {
    const cp = makeNode('cp', { taints: [{ key: 'soft', effect: 'PreferNoSchedule' }, CONTROL_PLANE_TAINT, { key: 'x', value: 'y', effect: 'NoExecute' }] });
    expect(filterOn(taintToleration, makePod('p'), cp)).toEqual({
      code: 'UnschedulableAndUnresolvable', plugin: 'TaintToleration', reasons: ['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'],
    });
    const tol = makePod('p', { tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }] });
    expect(filterOn(taintToleration, tol, cp)?.reasons).toEqual(['node(s) had untolerated taint {x: y}']);
    expect(filterOn(taintToleration, makePod('p'), makeNode('w', { taints: [{ key: 'soft', effect: 'PreferNoSchedule' }] }))).toBeUndefined();
  });
  it('scores fewer untolerated PreferNoSchedule taints higher', () => {
    const snap = snapshotOf([
      makeNode('a'),
      makeNode('b', { taints: [{ key: 's1', effect: 'PreferNoSchedule' }] }),
      makeNode('c', { taints: [{ key: 's1', effect: 'PreferNoSchedule' }, { key: 's2', effect: 'PreferNoSchedule' }] }),
    ]);
    const score = (pod: any) => {
      const ctx = ctxOf(snap); // one cycle per pod
      const pi = podInfo(pod);
      const s = snap.nodes.map((n) => taintToleration.score!(ctx, pi, n));
      taintToleration.normalizeScore!(ctx, pi, s);
      return s;
    };
    expect(score(makePod('p'))).toEqual([100, 50, 0]);
    expect(score(makePod('p', { tolerations: [{ key: 's1', operator: 'Exists' }] }))).toEqual([100, 100, 0]);
    expect(score(makePod('p', { tolerations: [{ operator: 'Exists' }] }))).toEqual([100, 100, 100]);
  });
});

describe('NodeResourcesBalancedAllocation', () => {
  it('is 100 when cpu and memory fractions are equal and drops with their difference', () => {
    expect(balancedScore([2000, 4 * 2 ** 30], [4000, 8 * 2 ** 30])).toBe(100);
    expect(balancedScore([4000, 0], [4000, 8 * 2 ** 30])).toBe(50);
    expect(balancedScore([1000, 0], [4000, 8 * 2 ** 30])).toBe(87);
    const snap = snapshotOf([makeNode('a')]);
    expect(balancedAllocation.score!(ctxOf(snap), podInfo(makePod('p', { cpu: '2', memory: '4Gi' })), snap.nodes[0])).toBe(100);
  });
});

describe('ImageLocality', () => {
  it('normalizes image names without a tag to :latest', () => {
    expect(normalizedImageName('nginx')).toBe('nginx:latest');
    expect(normalizedImageName('nginx:1.25')).toBe('nginx:1.25');
    expect(normalizedImageName('localhost:5000/app')).toBe('localhost:5000/app:latest');
    expect(normalizedImageName('nginx@sha256:abc')).toBe('nginx@sha256:abc');
  });
  it('scores nodes holding the image, scaled by size and spread', () => {
    const big = { names: ['nginx:1.25'], sizeBytes: 500 * 1024 * 1024 };
    const snap = snapshotOf([makeNode('a', { images: [big] }), makeNode('b')]);
    const pi = podInfo(makePod('p', { image: 'nginx:1.25' }));
    const a = imageLocality.score!(ctxOf(snap), pi, snap.nodes[0]);
    expect(a).toBe(calculatePriority(250 * 1024 * 1024, 1));
    expect(a).toBeGreaterThan(0);
    expect(imageLocality.score!(ctxOf(snap), pi, snap.nodes[1])).toBe(0);
    // below 23MB counts as nothing
    expect(calculatePriority(10 * 1024 * 1024, 1)).toBe(0);
    expect(calculatePriority(5000 * 1024 * 1024, 1)).toBe(100);
  });
});

describe('PodTopologySpread (system default constraints)', () => {
  const zone = (z: string) => ({ 'topology.kubernetes.io/zone': z });
  const owned = (name: string, node?: string) => {
    const p = makePod(name, { nodeName: node });
    p.metadata!.labels = { app: 'web' };
    p.metadata!.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'rs', controller: true }];
    return p;
  };
  const rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-1', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'web' } } } };

  it('prefers the node and zone holding fewest pods of the same ReplicaSet', async () => {
    const { podTopologySpread } = await import('../../../src/scheduler/plugins/pod-topology-spread.js');
    const { newSnapshot } = await import('../../../src/scheduler/framework.js');
    const { newNodeInfo, addPod } = await import('../../../src/scheduler/resources.js');
    const nodes = [makeNode('a', { labels: zone('z1') }), makeNode('b', { labels: zone('z1') }), makeNode('c', { labels: zone('z2') })];
    const infos = nodes.map(newNodeInfo);
    const snap = newSnapshot(infos, { services: new Map(), controllers: new Map([['ReplicaSet/default/web-1', rs]]) });
    addPod(infos[0], podInfo(owned('w1', 'a')));
    const ctx = ctxOf(snap);
    const pi = podInfo(owned('w2'));
    expect(podTopologySpread.preScore!(ctx, pi, infos)).toBeUndefined();
    const scores = infos.map((n) => podTopologySpread.score!(ctx, pi, n));
    podTopologySpread.normalizeScore!(ctx, pi, scores);
    // a: holds one (node and zone), b: its zone holds one, c: nothing
    expect(scores[2]).toBe(100);
    expect(scores[0]).toBeLessThan(scores[1]);
    expect(scores[1]).toBeLessThan(scores[2]);
    // a pod nobody groups is not scored by this plugin
    expect(podTopologySpread.preScore!(ctxOf(snap), podInfo(makePod('lone')), infos)).toBe('skip');
    // bound pods keep the group counts current
    snap.addPod('c', podInfo(owned('w3', 'c')));
    expect(snap.groupCounts('default|ReplicaSet:web-1', () => true).get('c')).toBe(1);
  });
});
