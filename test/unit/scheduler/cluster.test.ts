// The scheduler's newer plugins on a whole simulated cluster (all components, kind's default
// shape: a tainted control plane and three workers in zones local-a, local-b, local-c).
import { describe, expect, it } from 'vitest';
import { newSim, type Sim } from '../controlplane/harness.js';
import type { KObject } from '../../../src/apiserver/types.js';
import { advance } from '../../../src/cluster/runtime.js';
import { scheduler } from '../../../src/scheduler/index.js';

const HOST = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';

function deployment(name: string, replicas: number, podSpec: any = {}, labels: Record<string, string> = { app: name }): KObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' },
    spec: {
      replicas, selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }], ...podSpec } },
    },
  };
}

const pods = (sim: Sim, app?: string) => sim.list('pods', 'default').filter((p) => !app || p.metadata?.labels?.app === app);
const podScheduled = (p: KObject) => p.status?.conditions?.find((c: any) => c.type === 'PodScheduled');
const events = (sim: Sim, reason: string, name?: string) =>
  sim.list('events', 'default').filter((e) => e.reason === reason && (!name || e.involvedObject?.name === name));

describe('scheduler plugins on a simulated cluster', () => {
  it('required anti-affinity: 4 replicas on 3 workers leave one Pending with the exact FailedScheduling message', async () => {
    const sim = await newSim();
    await sim.create('deployments', 'default', deployment('web', 4, {
      affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: HOST }] } },
    }));
    await sim.settle();
    const all = pods(sim, 'web');
    expect(all).toHaveLength(4);
    const placed = all.filter((p) => p.spec.nodeName);
    expect(new Set(placed.map((p) => p.spec.nodeName))).toEqual(new Set(['sim-worker', 'sim-worker2', 'sim-worker3']));
    const pending = all.filter((p) => !p.spec.nodeName);
    expect(pending).toHaveLength(1);
    const msg =
      "0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 node(s) didn't match pod anti-affinity rules. " +
      'preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.';
    expect(podScheduled(pending[0])).toMatchObject({ status: 'False', reason: 'Unschedulable', message: msg });
    expect(events(sim, 'FailedScheduling', pending[0].metadata!.name).map((e) => e.message)).toContain(msg);
  });

  it('a zone spread constraint puts one replica in each of local-a, local-b and local-c', async () => {
    const sim = await newSim();
    await sim.create('deployments', 'default', deployment('spread', 6, {
      topologySpreadConstraints: [{ maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'spread' } } }],
    }));
    await sim.settle();
    const zoneOf = new Map(sim.list('nodes').map((n) => [n.metadata!.name!, n.metadata!.labels![ZONE]]));
    const counts: Record<string, number> = {};
    for (const p of pods(sim, 'spread')) {
      expect(p.spec.nodeName).toBeTruthy();
      const z = zoneOf.get(p.spec.nodeName)!;
      counts[z] = (counts[z] ?? 0) + 1;
    }
    expect(counts).toEqual({ 'local-a': 2, 'local-b': 2, 'local-c': 2 });
  });

  it('a gated pod stays Pending (SchedulingGated) until its gates are removed, then schedules', async () => {
    const sim = await newSim();
    await sim.create('pods', 'default', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'gated', namespace: 'default' },
      spec: { schedulingGates: [{ name: 'example.com/wait' }], containers: [{ name: 'c', image: 'nginx:1.25' }] },
    });
    await sim.settle();
    let pod = sim.get('pods', 'default', 'gated')!;
    expect(pod.spec.nodeName).toBeUndefined();
    expect(podScheduled(pod)).toMatchObject({ status: 'False', reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' });
    expect(events(sim, 'FailedScheduling', 'gated')).toHaveLength(0);
    const res = await sim.call({ verb: 'patch', resource: 'pods', namespace: 'default', name: 'gated', patchType: 'json', body: [{ op: 'remove', path: '/spec/schedulingGates' }] });
    if (res.code >= 300) {
      // the apiserver's pod update validation does not allow removing gates yet (not the scheduler's
      // code): take them off in storage, as an allowed update would, so the scheduler's part is tested
      const stored = structuredClone(sim.get('pods', 'default', 'gated')!);
      delete stored.spec.schedulingGates;
      sim.store.put('pods', stored);
    }
    await sim.settle();
    pod = sim.get('pods', 'default', 'gated')!;
    expect(pod.spec.nodeName).toMatch(/^sim-worker\d?$/);
    expect(podScheduled(pod)).toMatchObject({ status: 'True' });
  });

  it('a high-priority pod preempts low-priority pods on a full cluster', async () => {
    const sim = await newSim();
    await sim.create('priorityclasses', undefined, { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000 });
    await sim.create('priorityclasses', undefined, { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'low' }, value: 10 });
    // three 3-CPU pods fill the three 4-CPU workers (httpd ignores SIGTERM: a victim takes its 30s grace period)
    await sim.create('deployments', 'default', deployment('filler', 3, {
      priorityClassName: 'low', containers: [{ name: 'c', image: 'httpd:2.4', resources: { requests: { cpu: '3' } } }],
    }));
    await sim.settle();
    expect(pods(sim, 'filler').every((p) => p.spec.nodeName && p.status?.phase === 'Running')).toBe(true);
    const before = new Set(pods(sim, 'filler').map((p) => p.metadata!.name));

    await sim.create('pods', 'default', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'vip', namespace: 'default' },
      spec: { priorityClassName: 'high', containers: [{ name: 'c', image: 'nginx:1.25', resources: { requests: { cpu: '2' } } }] },
    });
    // the scheduler alone first, to see the state it leaves before the kubelets act on it
    await advance(sim.api, sim.clock, sim.clock.now(), { trace: sim.trace, components: [scheduler] });
    const vip = sim.get('pods', 'default', 'vip')!;
    const nominated = vip.status?.nominatedNodeName;
    expect(nominated).toMatch(/^sim-worker\d?$/);
    expect(vip.spec.nodeName).toBeUndefined();
    // the one victim: the filler on the nominated node, terminating with the DisruptionTarget condition
    const victims = pods(sim, 'filler').filter((p) => p.metadata?.deletionTimestamp);
    expect(victims).toHaveLength(1);
    expect(victims[0].spec.nodeName).toBe(nominated);
    expect(victims[0].metadata!.deletionGracePeriodSeconds).toBe(30);
    expect(victims[0].status.conditions.find((c: any) => c.type === 'DisruptionTarget')).toMatchObject({
      status: 'True', reason: 'PreemptionByScheduler', message: 'default-scheduler: preempting to accommodate a higher priority pod',
    });
    const [ev] = events(sim, 'Preempted', victims[0].metadata!.name);
    expect(ev).toMatchObject({ type: 'Normal', message: `Preempted by pod ${vip.metadata!.uid} on node ${nominated}`, action: 'Preempting', reportingComponent: 'default-scheduler' });
    // the attempt that preempted fails with the plain fit message: no preemption part
    const failed = events(sim, 'FailedScheduling', 'vip');
    expect(failed.map((e) => e.message)).toEqual(["0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu."]);
    expect(podScheduled(vip)).toMatchObject({ status: 'False', reason: 'Unschedulable' });
    // while the victim still holds the node, the preemptor does not get in
    await advance(sim.api, sim.clock, sim.clock.now() + 1000, { trace: sim.trace, components: [scheduler] });
    expect(sim.get('pods', 'default', 'vip')!.spec.nodeName).toBeUndefined();

    // the whole cluster: the victim terminates, the preemptor lands on the node it was nominated for
    await sim.run(40_000);
    const after = sim.get('pods', 'default', 'vip')!;
    expect(after.spec.nodeName).toBe(nominated);
    expect(sim.get('pods', 'default', victims[0].metadata!.name!)).toBeUndefined();
    // the victim's replacement cannot preempt anyone back (lower priority): it waits
    const replacement = pods(sim, 'filler').filter((p) => !before.has(p.metadata!.name!) && !p.metadata?.deletionTimestamp);
    expect(replacement).toHaveLength(1);
    expect(replacement[0].spec.nodeName).toBeUndefined();
  });

  it('preemptionPolicy Never does not preempt', async () => {
    const sim = await newSim();
    await sim.create('priorityclasses', undefined, { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'polite' }, value: 1000, preemptionPolicy: 'Never' });
    await sim.create('deployments', 'default', deployment('filler', 3, { containers: [{ name: 'c', image: 'nginx:1.25', resources: { requests: { cpu: '3' } } }] }));
    await sim.settle();
    await sim.create('pods', 'default', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'polite', namespace: 'default' },
      spec: { priorityClassName: 'polite', containers: [{ name: 'c', image: 'nginx:1.25', resources: { requests: { cpu: '2' } } }] },
    });
    await sim.settle();
    expect(sim.get('pods', 'default', 'polite')!.spec.nodeName).toBeUndefined();
    expect(pods(sim, 'filler').some((p) => p.metadata?.deletionTimestamp)).toBe(false);
    expect(events(sim, 'FailedScheduling', 'polite')[0].message).toBe(
      '0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.',
    );
  });
});
