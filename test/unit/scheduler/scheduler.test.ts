// The scheduler component on an in-memory cluster: nodes are created by the test (as the kubelets
// would register them) and only the scheduler runs, so what is checked is the scheduler's doing.
import { describe, expect, it } from 'vitest';
import { newSim, type Sim } from '../controlplane/harness.js';
import { advance } from '../../../src/cluster/runtime.js';
import { defaultClusterConfig } from '../../../src/cluster/config.js';
import { scheduler } from '../../../src/scheduler/index.js';
import { ComponentClient, CONTROLLER_MANAGER } from '../../../src/controllers/component.js';
import type { KObject } from '../../../src/apiserver/types.js';
import { kindNodes, makePod, type PodOpts } from './fixtures.js';

interface SchedSim extends Sim {
  /** runs the scheduler alone; ms moves the virtual clock on (timers in order) */
  step(ms?: number): Promise<void>;
  pod(name: string): KObject;
  events(reason?: string): KObject[];
  addPod(name: string, o?: PodOpts): Promise<void>;
}

async function schedSim(withNodes = true): Promise<SchedSim> {
  const sim = (await newSim({ ...defaultClusterConfig('minikctl'), nodes: [] })) as SchedSim;
  sim.step = async (ms = 0) => {
    await advance(sim.api, sim.clock, sim.clock.now() + ms, { trace: sim.trace, components: [scheduler] });
  };
  sim.pod = (name) => sim.get('pods', 'default', name)!;
  sim.events = (reason) => sim.list('events', 'default').filter((e) => !reason || e.reason === reason);
  sim.addPod = async (name, o = {}) => {
    const p = makePod(name, o);
    delete p.metadata!.uid;
    delete p.metadata!.creationTimestamp;
    delete p.status;
    await sim.create('pods', 'default', p);
  };
  if (withNodes) for (const n of kindNodes()) await sim.create('nodes', undefined, n);
  return sim;
}

const condition = (pod: KObject) => pod.status?.conditions?.find((c: any) => c.type === 'PodScheduled');

describe('scheduler component', () => {
  it('binds a pod to a worker through pods/binding, with the Scheduled event and PodScheduled=True', async () => {
    const sim = await schedSim();
    await sim.addPod('web', { cpu: '250m' });
    await sim.step();
    const node = sim.pod('web').spec.nodeName;
    expect(node).toMatch(/^minikctl-worker\d?$/);
    expect(condition(sim.pod('web'))).toMatchObject({ type: 'PodScheduled', status: 'True', lastProbeTime: null });
    const [ev] = sim.events('Scheduled');
    expect(ev).toMatchObject({
      type: 'Normal', reason: 'Scheduled', action: 'Binding', message: `Successfully assigned default/web to ${node}`,
      reportingComponent: 'default-scheduler', reportingInstance: 'default-scheduler-minikctl-control-plane',
      involvedObject: { kind: 'Pod', name: 'web', namespace: 'default' },
    });
    const calls = sim.trace.records.filter((r) => r.object.endsWith('/pods/web/binding'));
    expect(calls.map((r) => [r.action, r.user, r.code])).toEqual([['POST', 'system:kube-scheduler', 201]]);
    const decisions = sim.trace.records.filter((r) => r.component === 'kube-scheduler' && r.object === 'pod/default/web').map((r) => `${r.action} ${r.detail}`);
    expect(decisions[0]).toBe('Filter 4 nodes: 3 fit, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }');
    expect(decisions[1]).toMatch(/^Score minikctl-worker\d?=\d+ minikctl-worker\d?=\d+ minikctl-worker\d?=\d+$/);
    expect(decisions[2]).toBe(`Bind → ${node}`);
  });

  it('spreads a ReplicaSet\'s three pods over the three workers (PodTopologySpread defaults)', async () => {
    const sim = await schedSim();
    const rs = await sim.create('replicasets', 'default', {
      apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs' },
      spec: { replicas: 3, selector: { matchLabels: { app: 'rs' } }, template: { metadata: { labels: { app: 'rs' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } } },
    });
    // the pods the ReplicaSet controller would have made (only the scheduler runs here)
    for (const n of ['a', 'b', 'c']) {
      const p = makePod(`rs-${n}`);
      delete p.metadata!.uid;
      delete p.metadata!.creationTimestamp;
      delete p.status;
      p.metadata!.labels = { app: 'rs' };
      p.metadata!.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: rs.metadata!.uid!, controller: true, blockOwnerDeletion: true }];
      await sim.create('pods', 'default', p);
    }
    await sim.step();
    const nodes = ['a', 'b', 'c'].map((n) => sim.pod(`rs-${n}`).spec.nodeName).sort();
    expect(nodes).toEqual(['minikctl-worker', 'minikctl-worker2', 'minikctl-worker3']);
  });

  it('an unschedulable pod gets FailedScheduling once, PodScheduled=False, and schedules when a node is labelled', async () => {
    const sim = await schedSim();
    await sim.addPod('ssd', { nodeSelector: { disktype: 'ssd' } });
    await sim.step();
    const msg =
      "0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 node(s) didn't match Pod's node affinity/selector. " +
      'preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.';
    const failed = sim.events('FailedScheduling');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ type: 'Warning', action: 'Scheduling', message: msg, reportingComponent: 'default-scheduler' });
    expect(condition(sim.pod('ssd'))).toMatchObject({ status: 'False', reason: 'Unschedulable', message: msg, lastProbeTime: null });
    expect(sim.pod('ssd').spec.nodeName).toBeUndefined();

    // nothing relevant changes: no new attempt, no new event (heartbeats and other pods do not count)
    await sim.addPod('other');
    await sim.step(30_000);
    expect(sim.events('FailedScheduling')).toHaveLength(1);

    const res = await sim.call({ verb: 'patch', resource: 'nodes', name: 'minikctl-worker2', patchType: 'merge', body: { metadata: { labels: { disktype: 'ssd' } } } });
    expect(res.code).toBe(200);
    await sim.step();
    expect(sim.pod('ssd').spec.nodeName).toBe('minikctl-worker2');
    expect(condition(sim.pod('ssd'))).toMatchObject({ status: 'True' });
    expect(sim.events('Scheduled').map((e) => e.message)).toContain('Successfully assigned default/ssd to minikctl-worker2');
  });

  it('retries an unschedulable pod every 5 minutes even when nothing changed', async () => {
    const sim = await schedSim();
    await sim.addPod('huge', { cpu: '64' });
    await sim.step();
    expect(sim.events('FailedScheduling')).toHaveLength(1);
    await sim.step(4 * 60_000);
    expect(sim.events('FailedScheduling')).toHaveLength(1);
    await sim.step(61_000);
    // the repeat joins the first event as a series, as the events library records it
    const events = sim.events('FailedScheduling');
    expect(events).toHaveLength(1);
    expect(events[0].series?.count).toBe(2);
  });

  it('a pod that frees resources makes a waiting pod schedulable', async () => {
    const sim = await schedSim();
    await sim.addPod('hog', { cpu: '3', nodeSelector: { 'kubernetes.io/hostname': 'minikctl-worker' } });
    await sim.addPod('wait', { cpu: '2', nodeSelector: { 'kubernetes.io/hostname': 'minikctl-worker' } });
    await sim.step();
    expect(sim.pod('hog').spec.nodeName).toBe('minikctl-worker');
    expect(sim.pod('wait').spec.nodeName).toBeUndefined();
    expect(sim.events('FailedScheduling')[0].message).toBe(
      "0/4 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector. " +
        'preemption: 0/4 nodes are available: 1 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling.',
    );
    // the hog finishes: a Succeeded pod holds nothing
    const hog = structuredClone(sim.pod('hog'));
    hog.status.phase = 'Succeeded';
    expect((await sim.call({ verb: 'update', resource: 'pods', namespace: 'default', name: 'hog', subresource: 'status', body: hog })).code).toBe(200);
    await sim.step();
    expect(sim.pod('wait').spec.nodeName).toBe('minikctl-worker');
  });

  it('takes pods in priority order, then oldest first', async () => {
    const sim = await schedSim();
    const only = { cpu: '3', nodeSelector: { 'kubernetes.io/hostname': 'minikctl-worker3' } };
    await sim.addPod('first-low', only);
    sim.clock.set(sim.clock.now() + 1000);
    await sim.addPod('later-high', { ...only, priority: 1000 });
    expect(sim.pod('later-high').spec.priority).toBe(1000);
    await sim.step();
    const bound = ['first-low', 'later-high'].filter((n) => sim.pod(n).spec.nodeName);
    expect(bound).toEqual(['later-high']);
    // the low one would fit if the high one went: preemption goes the other way, so it just waits
    expect(sim.events('FailedScheduling').map((e) => e.involvedObject.name)).toEqual(['first-low']);
  });

  it('leaves gated pods, other schedulers\' pods and pods being deleted alone', async () => {
    const sim = await schedSim();
    await sim.addPod('gated', { gates: ['example.com/wait'] });
    const other = makePod('mine');
    delete other.metadata!.uid;
    delete other.metadata!.creationTimestamp;
    other.spec.schedulerName = 'my-scheduler';
    await sim.create('pods', 'default', other);
    await sim.step();
    expect(sim.pod('gated').spec.nodeName).toBeUndefined();
    expect(sim.pod('mine').spec.nodeName).toBeUndefined();
    expect(sim.events()).toHaveLength(0);
  });

  it('with no nodes at all: "no nodes available to schedule pods"', async () => {
    const sim = await schedSim(false);
    await sim.addPod('lonely');
    await sim.step();
    expect(sim.events('FailedScheduling').map((e) => e.message)).toEqual(['no nodes available to schedule pods']);
    expect(condition(sim.pod('lonely'))).toMatchObject({ status: 'False', reason: 'Unschedulable', message: 'no nodes available to schedule pods' });
  });

  it('returns false and writes nothing when no pod is pending', async () => {
    const sim = await schedSim();
    await sim.step(); // the cluster's own pending pods (CoreDNS) find their nodes
    const rev = sim.store.revision;
    const changed = await scheduler.reconcile(new ComponentClient(sim.api, CONTROLLER_MANAGER));
    expect(changed).toBe(false);
    await sim.step(60_000);
    expect(sim.store.revision).toBe(rev);
  });
});
