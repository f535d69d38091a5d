// The DaemonSet's rolling update with the whole control plane (newSim): a new image goes node by
// node (maxUnavailable 1), or beside the old pod with maxSurge; OnDelete waits for the user; a
// cordoned node still runs its daemon pod.
import { describe, expect, it } from 'vitest';
import { newSim, type Sim } from '../controlplane/harness.js';
import type { KObject } from '../../../src/apiserver/types.js';
import { daemonSetStatus } from '../../../src/client/rollout/status.js';
import { apply, events, isReady } from './helpers.js';

const OLD = 'registry.k8s.io/nginx-slim:0.7';
const NEW = 'registry.k8s.io/nginx-slim:0.24';

function ds(name: string, updateStrategy?: any): KObject {
  return {
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name },
    spec: {
      selector: { matchLabels: { app: name } },
      ...(updateStrategy ? { updateStrategy } : {}),
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'agent', image: OLD }] } },
    },
  };
}

const podsOf = (sim: Sim, name: string) => sim.list('pods', 'default').filter((p) => p.metadata!.ownerReferences?.[0]?.name === name);
const live = (sim: Sim, name: string) => podsOf(sim, name).filter((p) => !p.metadata!.deletionTimestamp);
const dsOf = (sim: Sim, name: string) => sim.get('daemonsets', 'default', name)!;

async function until(sim: Sim, cond: () => boolean, limitMs = 180_000, step = 200): Promise<void> {
  for (let t = 0; t <= limitMs; t += step) {
    if (cond()) return;
    await sim.run(step);
  }
  throw new Error('condition not reached');
}

async function setImage(sim: Sim, name: string, image: string): Promise<void> {
  const res = await sim.call({ verb: 'patch', resource: 'daemonsets', namespace: 'default', name, patchType: 'strategic', body: { spec: { template: { spec: { containers: [{ name: 'agent', image }] } } } } });
  if (res.code >= 300) throw new Error(res.body.message);
}

const settledOn = (sim: Sim, name: string, image: string) =>
  live(sim, name).length === 3 && live(sim, name).every((p) => isReady(p) && p.spec.containers[0].image === image) && podsOf(sim, name).length === 3;

describe('daemonset rolling update', () => {
  it('replaces the pods node by node, never more than maxUnavailable (1) at a time', async () => {
    const sim = await newSim();
    await apply(sim, [ds('agent')]);
    await until(sim, () => settledOn(sim, 'agent', OLD) && dsOf(sim, 'agent').status.numberAvailable === 3);
    const firstHash = live(sim, 'agent')[0].metadata!.labels!['controller-revision-hash'];
    await setImage(sim, 'agent', NEW);
    await sim.run(0);
    expect(daemonSetStatus(dsOf(sim, 'agent')).message).toBe('Waiting for daemon set "agent" rollout to finish: 0 out of 3 new pods have been updated...\n');
    let worst = 0;
    await until(sim, () => {
      const available = live(sim, 'agent').filter(isReady).length;
      worst = Math.max(worst, 3 - available);
      return settledOn(sim, 'agent', NEW) && dsOf(sim, 'agent').status.updatedNumberScheduled === 3 && dsOf(sim, 'agent').status.numberAvailable === 3;
    });
    expect(worst).toBe(1);
    const newHash = live(sim, 'agent')[0].metadata!.labels!['controller-revision-hash'];
    expect(newHash).not.toBe(firstHash);
    expect(new Set(live(sim, 'agent').map((p) => p.metadata!.labels!['controller-revision-hash']))).toEqual(new Set([newHash]));
    const deletes = events(sim).filter((e) => e.involvedObject.name === 'agent' && e.reason === 'SuccessfulDelete');
    expect(deletes).toHaveLength(3);
    expect(daemonSetStatus(dsOf(sim, 'agent')).message).toBe('daemon set "agent" successfully rolled out\n');
    const revs = sim.list('controllerrevisions', 'default').filter((r) => r.metadata!.ownerReferences?.[0]?.name === 'agent');
    expect(revs.map((r) => [r.metadata!.name, r.revision]).sort((a: any, b: any) => a[1] - b[1])).toEqual([[`agent-${firstHash}`, 1], [`agent-${newHash}`, 2]]);

    // Rolling back reuses the first revision, renumbered.
    await setImage(sim, 'agent', OLD);
    await until(sim, () => settledOn(sim, 'agent', OLD));
    const after = sim.list('controllerrevisions', 'default').filter((r) => r.metadata!.ownerReferences?.[0]?.name === 'agent');
    expect(after.map((r) => [r.metadata!.name, r.revision]).sort((a: any, b: any) => a[1] - b[1])).toEqual([[`agent-${newHash}`, 2], [`agent-${firstHash}`, 3]]);
    expect(live(sim, 'agent')[0].metadata!.labels!['controller-revision-hash']).toBe(firstHash);
  });

  it('with maxSurge starts the new pod beside the old one and keeps every node served', async () => {
    const sim = await newSim();
    await apply(sim, [ds('surge', { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } })]);
    await until(sim, () => settledOn(sim, 'surge', OLD) && dsOf(sim, 'surge').status.numberAvailable === 3);
    await setImage(sim, 'surge', NEW);
    let doubled = 0;
    let fewest = 3;
    await until(sim, () => {
      const pods = live(sim, 'surge');
      const nodes = new Set(pods.filter(isReady).map((p) => p.spec.nodeName));
      fewest = Math.min(fewest, nodes.size);
      if (pods.length > 3) doubled = Math.max(doubled, pods.length - 3);
      return settledOn(sim, 'surge', NEW);
    });
    expect(doubled).toBe(1);
    expect(fewest).toBe(3);
  });

  it('OnDelete changes nothing until a pod is deleted', async () => {
    const sim = await newSim();
    await apply(sim, [ds('manual', { type: 'OnDelete' })]);
    await until(sim, () => settledOn(sim, 'manual', OLD));
    await setImage(sim, 'manual', NEW);
    await sim.run(30_000);
    expect(live(sim, 'manual').map((p) => p.spec.containers[0].image)).toEqual([OLD, OLD, OLD]);
    expect(dsOf(sim, 'manual').status.updatedNumberScheduled ?? 0).toBe(0);
    const victim = live(sim, 'manual')[0];
    await sim.call({ verb: 'delete', resource: 'pods', namespace: 'default', name: victim.metadata!.name! });
    await until(sim, () => live(sim, 'manual').length === 3 && podsOf(sim, 'manual').length === 3 && live(sim, 'manual').every(isReady) && dsOf(sim, 'manual').status.updatedNumberScheduled === 1);
    const byNode = new Map(live(sim, 'manual').map((p) => [p.spec.nodeName, p.spec.containers[0].image]));
    expect(byNode.get(victim.spec.nodeName)).toBe(NEW);
    expect([...byNode.values()].filter((i) => i === OLD)).toHaveLength(2);
  });

  it('runs its pod on a cordoned node', async () => {
    const sim = await newSim();
    await sim.call({ verb: 'patch', resource: 'nodes', name: 'sim-worker2', patchType: 'merge', body: { spec: { unschedulable: true } } });
    await apply(sim, [ds('everywhere')]);
    await until(sim, () => settledOn(sim, 'everywhere', OLD));
    expect(live(sim, 'everywhere').map((p) => p.spec.nodeName).sort()).toEqual(['sim-worker', 'sim-worker2', 'sim-worker3']);
  });
});
