// A machine failing and coming back, on the whole simulated control plane with a manual clock: the
// node lifecycle controller's NotReady after the 50s grace period, the unreachable taints, the
// taint eviction controller's deletions after the pods' 300s tolerations, the replacements on the
// other nodes, and the kubelet picking up again when the machine returns.
import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../src/apiserver/types.js';
import { rfc3339 } from '../../../src/cluster/clock.js';
import { findMachine, startMachine, stopMachine } from '../../../src/cluster/nodes.js';
import { newSim, type Sim } from '../controlplane/harness.js';

function deployment(name: string, replicas: number): KObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } },
    },
  };
}

const cond = (o: KObject | undefined, type: string) => (o?.status?.conditions ?? []).find((c: any) => c.type === type);
const appPods = (sim: Sim, app = 'web') => sim.list('pods', 'default').filter((p) => p.metadata?.labels?.app === app);
const events = (sim: Sim, reason: string) => sim.list('events').filter((e) => e.reason === reason);

/** a cluster with web (3 replicas) running, and the worker that holds most of its pods */
async function withApp(replicas = 3): Promise<{ sim: Sim; victim: string }> {
  const sim = await newSim();
  await sim.create('deployments', 'default', deployment('web', replicas));
  await sim.run(60_000);
  const running = appPods(sim).filter((p) => p.status?.phase === 'Running');
  expect(running).toHaveLength(replicas);
  const count = new Map<string, number>();
  for (const p of running) count.set(p.spec.nodeName, (count.get(p.spec.nodeName) ?? 0) + 1);
  const victim = [...count].sort((a, b) => b[1] - a[1])[0][0];
  return { sim, victim };
}

async function stop(sim: Sim, name: string): Promise<void> {
  await stopMachine(sim.api, findMachine(sim.config, name)!);
}

describe('node stop: NotReady after the grace period, pods evicted after their tolerations', () => {
  it('goes through the real sequence and comes back with node start', async () => {
    const { sim, victim } = await withApp();
    const onVictim = appPods(sim).filter((p) => p.spec.nodeName === victim).map((p) => p.metadata!.name!);
    const t0 = sim.clock.now();
    await stop(sim, victim);

    // Within the grace period nothing shows.
    await sim.run(49_000);
    expect(cond(sim.get('nodes', undefined, victim), 'Ready').status).toBe('True');

    // After 50s without a heartbeat: the kubelet's conditions are Unknown, the NoSchedule taint is on.
    await sim.run(2_000);
    const node = sim.get('nodes', undefined, victim)!;
    for (const type of ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure']) {
      expect(cond(node, type)).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
    }
    const unknownAt = Date.parse(cond(node, 'Ready').lastTransitionTime);
    expect(unknownAt - t0).toBeGreaterThanOrEqual(50_000);
    expect(unknownAt - t0).toBeLessThanOrEqual(51_000);
    expect(node.spec.taints).toEqual([{ effect: 'NoSchedule', key: 'node.kubernetes.io/unreachable', timeAdded: rfc3339(unknownAt) }]);
    expect(events(sim, 'NodeNotReady').filter((e) => e.involvedObject.kind === 'Node')).toMatchObject([
      { type: 'Normal', message: `Node ${victim} status is now: NodeNotReady`, source: { component: 'node-controller' }, involvedObject: { name: victim, uid: node.metadata!.uid } },
    ]);
    for (const name of onVictim) {
      const pod = sim.get('pods', 'default', name)!;
      expect(cond(pod, 'Ready').status).toBe('False');
      expect(pod.status.containerStatuses[0].ready).toBe(true); // what the kubelet last said: READY 1/1 stays
    }
    // every pod of the node, the DaemonSet's included
    const podEvents = events(sim, 'NodeNotReady').filter((e) => e.involvedObject.kind === 'Pod');
    const proxyName = sim.list('pods', 'kube-system').find((p) => p.spec.nodeName === victim && p.metadata!.labels?.['k8s-app'] === 'kube-proxy')!.metadata!.name!;
    expect(podEvents.map((e) => e.involvedObject.name).sort()).toEqual([...onVictim, proxyName].sort());
    expect(podEvents[0]).toMatchObject({ type: 'Warning', message: 'Node is not ready', source: { component: 'node-controller' } });

    // The next monitor pass (5s later) adds the NoExecute taint.
    await sim.run(5_000);
    const noExecute = sim.get('nodes', undefined, victim)!.spec.taints.find((t: any) => t.effect === 'NoExecute');
    expect(noExecute).toMatchObject({ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' });
    const taintedAt = Date.parse(noExecute.timeAdded);
    expect(taintedAt - unknownAt).toBe(5_000);

    // The pods tolerate it for 300s (DefaultTolerationSeconds), not a moment longer.
    await sim.run(taintedAt + 299_000 - sim.clock.now());
    for (const name of onVictim) expect(sim.get('pods', 'default', name)!.metadata!.deletionTimestamp).toBeUndefined();
    await sim.run(2_000);
    for (const name of onVictim) {
      const pod = sim.get('pods', 'default', name)!;
      expect(pod.metadata!.deletionTimestamp).toBeDefined(); // Terminating: no kubelet to confirm
      expect(cond(pod, 'DisruptionTarget')).toMatchObject({ status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' });
    }
    const evictions = events(sim, 'TaintManagerEviction');
    expect(evictions.map((e) => e.message).sort()).toEqual(onVictim.map((n) => `Marking for deletion Pod default/${n}`).sort());
    expect(evictions[0]).toMatchObject({ type: 'Normal', source: { component: 'taint-eviction-controller' } });
    expect(evictions[0].involvedObject.uid).toBeUndefined();

    // Their ReplicaSet replaces them on the other nodes; the DaemonSet pod stays (it tolerates forever).
    await sim.run(60_000);
    const live = appPods(sim).filter((p) => !p.metadata!.deletionTimestamp);
    expect(live).toHaveLength(3);
    for (const p of live) {
      expect(p.spec.nodeName).not.toBe(victim);
      expect(p.status.phase).toBe('Running');
    }
    const proxy = sim.list('pods', 'kube-system').find((p) => p.spec.nodeName === victim && p.metadata!.labels?.['k8s-app'] === 'kube-proxy');
    expect(proxy?.metadata!.deletionTimestamp).toBeUndefined();

    // The machine returns: Ready, taints gone, the evicted pods finished off.
    startMachine(sim.api, findMachine(sim.config, victim)!);
    await sim.run(1_000);
    const back = sim.get('nodes', undefined, victim)!;
    expect(cond(back, 'Ready')).toMatchObject({ status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' });
    expect(cond(back, 'MemoryPressure')).toMatchObject({ status: 'False', reason: 'KubeletHasSufficientMemory' });
    expect(back.spec.taints).toBeUndefined();
    expect(events(sim, 'NodeReady')).toMatchObject([{ message: `Node ${victim} status is now: NodeReady`, source: { component: 'kubelet', host: victim } }]);
    await sim.run(40_000);
    for (const name of onVictim) expect(sim.get('pods', 'default', name)).toBeUndefined();
    expect(cond(sim.list('pods', 'kube-system').find((p) => p.metadata!.name === proxy!.metadata!.name), 'Ready').status).toBe('True');
    expect(appPods(sim)).toHaveLength(3);
  });

  it('a node back before the tolerations run out keeps its pods: the deletions are cancelled', async () => {
    const { sim, victim } = await withApp();
    const onVictim = appPods(sim).filter((p) => p.spec.nodeName === victim).map((p) => p.metadata!.name!);
    await stop(sim, victim);
    await sim.run(120_000);
    expect(sim.get('nodes', undefined, victim)!.spec.taints).toHaveLength(2);
    startMachine(sim.api, findMachine(sim.config, victim)!);
    await sim.run(1_000);
    expect(events(sim, 'TaintManagerEviction').map((e) => e.message).sort()).toEqual(onVictim.map((n) => `Cancelling deletion of Pod default/${n}`).sort());
    // The machine rebooted: its kubelet re-creates each pod's sandbox and restarts its containers
    // (last state Unknown, exit 255), and the pods are Ready again within seconds.
    await sim.run(10_000);
    for (const name of onVictim) {
      const pod = sim.get('pods', 'default', name)!;
      expect(cond(pod, 'Ready').status).toBe('True');
      expect(pod.status.containerStatuses[0]).toMatchObject({ restartCount: 1, lastState: { terminated: { exitCode: 255, reason: 'Unknown' } } });
    }
    expect(events(sim, 'Rebooted')).toHaveLength(1);
    // every pod of the machine, kube-proxy's too
    expect(events(sim, 'SandboxChanged').map((e) => e.involvedObject.name)).toEqual(expect.arrayContaining([...onVictim, expect.stringMatching(/^kube-proxy-/)]));
    await sim.run(400_000);
    for (const name of onVictim) expect(sim.get('pods', 'default', name)!.metadata!.deletionTimestamp).toBeUndefined();
  });

  it('a pod with a shorter tolerationSeconds goes sooner; one that tolerates forever stays', async () => {
    const { sim, victim } = await withApp(1);
    const pod = (name: string, tolerations: any[]) => ({
      apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
      spec: { nodeName: victim, tolerations, containers: [{ name: 'c', image: 'nginx:1.25' }] },
    });
    await sim.create('pods', 'default', pod('quick', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 20 }]));
    await sim.create('pods', 'default', pod('forever', [{ operator: 'Exists' }]));
    await sim.run(20_000);
    await stop(sim, victim);
    await sim.run(56_000); // NoExecute taint at +55s
    expect(sim.get('pods', 'default', 'quick')!.metadata!.deletionTimestamp).toBeUndefined();
    await sim.run(20_000);
    expect(sim.get('pods', 'default', 'quick')!.metadata!.deletionTimestamp).toBeDefined();
    await sim.run(400_000);
    expect(sim.get('pods', 'default', 'forever')!.metadata!.deletionTimestamp).toBeUndefined();
  });

  it('when every zone is down, no node gets the NoExecute taint (master disruption mode)', async () => {
    const { sim } = await withApp(2);
    for (const m of sim.config.nodes) await stop(sim, m.name);
    await sim.run(120_000);
    for (const n of sim.list('nodes')) {
      expect(cond(n, 'Ready').status).toBe('Unknown');
      expect(n.spec.taints.filter((t: any) => t.effect === 'NoExecute')).toEqual([]);
    }
    expect(appPods(sim).every((p) => !p.metadata!.deletionTimestamp)).toBe(true);
  });

  it('a cordoned node gets the unschedulable taint, an uncordoned one loses it', async () => {
    const sim = await newSim();
    await sim.call({ verb: 'patch', resource: 'nodes', name: 'sim-worker', patchType: 'merge', body: { spec: { unschedulable: true } } });
    await sim.run(0);
    expect(sim.get('nodes', undefined, 'sim-worker')!.spec.taints).toMatchObject([{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]);
    await sim.call({ verb: 'patch', resource: 'nodes', name: 'sim-worker', patchType: 'merge', body: { spec: { unschedulable: null } } });
    await sim.run(0);
    expect(sim.get('nodes', undefined, 'sim-worker')!.spec.taints).toBeUndefined();
  });

  it('a Node no kubelet backs goes NotReady after the startup grace period', async () => {
    const sim = await newSim();
    await sim.create('nodes', undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'ghost' } });
    await sim.run(59_000);
    expect(cond(sim.get('nodes', undefined, 'ghost'), 'Ready')).toBeUndefined();
    await sim.run(2_000);
    expect(cond(sim.get('nodes', undefined, 'ghost'), 'Ready')).toMatchObject({ status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.' });
  });
});
