import { describe, expect, it } from 'vitest';
import { daemonSetController, nodeShouldRunDaemonPod, toleratesTaint } from '../../../src/controllers/daemonset.js';
import { newWorld, node, type World } from './world.js';
import { ComponentClient, CONTROLLER_MANAGER } from '../../../src/controllers/component.js';
import type { KObject } from '../../../src/apiserver/types.js';

function ds(name: string, spec: any = {}, labels = { app: name }): KObject {
  return {
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name },
    spec: {
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec } },
    },
  };
}

async function world(nodes: KObject[]): Promise<World> {
  const w = await newWorld([daemonSetController]);
  for (const n of nodes) await w.create('nodes', undefined, n);
  return w;
}

const CP_TAINT = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };

describe('daemonset controller', () => {
  it('makes one pod per eligible node, pinned by matchFields affinity, named <ds>-<5 chars>', async () => {
    const w = await world([node('cp', {}, [CP_TAINT]), node('w1'), node('w2')]);
    await w.create('daemonsets', 'default', ds('agent'));
    expect(await w.settle()).toBeDefined();
    const pods = w.list('pods', 'default');
    // The control-plane taint is not tolerated by this DaemonSet: two workers only.
    expect(pods).toHaveLength(2);
    const targets = pods.map((p) => p.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).sort((a, b) => a[0].matchFields[0].values[0].localeCompare(b[0].matchFields[0].values[0]));
    expect(targets).toEqual([
      [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['w1'] }] }],
      [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['w2'] }] }],
    ]);
    for (const p of pods) {
      expect(p.metadata.name).toMatch(/^agent-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(p.spec.nodeName).toBeUndefined(); // the scheduler binds it
      expect(p.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'DaemonSet', name: 'agent', controller: true, blockOwnerDeletion: true })]);
      expect(p.metadata.labels['controller-revision-hash']).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
      expect(p.metadata.labels['pod-template-generation']).toBe('1');
    }
  });

  it('adds the standard daemon tolerations, network-unavailable only for hostNetwork', async () => {
    const w = await world([node('w1')]);
    await w.create('daemonsets', 'default', ds('plain'));
    await w.create('daemonsets', 'default', ds('hostnet', { hostNetwork: true, tolerations: [{ operator: 'Exists' }] }));
    await w.settle();
    const byDs = (n: string) => w.list('pods', 'default').find((p) => p.metadata.ownerReferences[0].name === n)!;
    const keys = (p: KObject) => p.spec.tolerations.map((t: any) => `${t.key ?? '*'}:${t.effect ?? '*'}`);
    expect(keys(byDs('plain'))).toEqual([
      'node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/disk-pressure:NoSchedule',
      'node.kubernetes.io/memory-pressure:NoSchedule', 'node.kubernetes.io/pid-pressure:NoSchedule', 'node.kubernetes.io/unschedulable:NoSchedule',
    ]);
    expect(keys(byDs('hostnet'))).toEqual(['*:*', ...keys(byDs('plain')), 'node.kubernetes.io/network-unavailable:NoSchedule']);
    // DefaultTolerationSeconds admission leaves the controller's NoExecute tolerations unbounded.
    expect(byDs('plain').spec.tolerations[0].tolerationSeconds).toBeUndefined();
  });

  it('honours nodeSelector and required node affinity', async () => {
    const w = await world([node('ssd1', { disk: 'ssd' }), node('hdd1', { disk: 'hdd' }), node('ssd2', { disk: 'ssd', gpu: 'yes' })]);
    await w.create('daemonsets', 'default', ds('sel', { nodeSelector: { disk: 'ssd' } }));
    await w.create('daemonsets', 'default', ds('aff', {
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'gpu', operator: 'DoesNotExist' }] }] } } },
    }));
    await w.settle();
    const nodesOf = (n: string) => w.list('pods', 'default').filter((p) => p.metadata.ownerReferences[0].name === n)
      .map((p) => p.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values[0]).sort();
    expect(nodesOf('sel')).toEqual(['ssd1', 'ssd2']);
    expect(nodesOf('aff')).toEqual(['hdd1', 'ssd1']);
    expect(w.get('daemonsets', 'default', 'sel')!.status.desiredNumberScheduled).toBe(2);
  });

  it('records SuccessfulCreate events from daemonset-controller', async () => {
    const w = await world([node('w1')]);
    await w.create('daemonsets', 'default', ds('agent'));
    await w.settle();
    const pod = w.list('pods', 'default')[0];
    const ev = w.list('events', 'default').find((e) => e.reason === 'SuccessfulCreate')!;
    expect(ev.message).toBe(`Created pod: ${pod.metadata.name}`);
    expect(ev.source).toEqual({ component: 'daemonset-controller' });
    expect(ev.involvedObject).toMatchObject({ kind: 'DaemonSet', name: 'agent' });
  });

  it('reports status from where the pods are and whether they are ready', async () => {
    const w = await world([node('w1'), node('w2'), node('w3')]);
    await w.create('daemonsets', 'default', ds('agent'));
    await w.settle();
    let st = w.get('daemonsets', 'default', 'agent')!.status;
    expect(st).toEqual({ currentNumberScheduled: 3, desiredNumberScheduled: 3, numberMisscheduled: 0, numberReady: 0, numberUnavailable: 3, observedGeneration: 1, updatedNumberScheduled: 3 });
    // A kubelet reports one pod Ready.
    const p = w.list('pods', 'default')[0];
    await w.patch('pods', 'default', p.metadata.name, { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' }] } }, 'status');
    await w.settle();
    st = w.get('daemonsets', 'default', 'agent')!.status;
    expect(st).toMatchObject({ numberReady: 1, numberAvailable: 1, numberUnavailable: 2 });
    // Settled: another pass changes nothing.
    expect(await daemonSetController.reconcile(new ComponentClient(w.api, CONTROLLER_MANAGER))).toBe(false);
  });

  it('replaces a failed daemon pod with a Warning FailedDaemonPod, and removes pods from nodes that no longer fit', async () => {
    const w = await world([node('w1', { role: 'a' }), node('w2', { role: 'a' })]);
    await w.create('daemonsets', 'default', ds('agent', { nodeSelector: { role: 'a' } }));
    await w.settle();
    const onW1 = () => w.list('pods', 'default').filter((p) => p.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values[0] === 'w1');
    const failed = onW1()[0];
    await w.patch('pods', 'default', failed.metadata.name, { status: { phase: 'Failed' } }, 'status');
    await w.settle();
    expect(onW1().map((p) => p.metadata.name)).not.toContain(failed.metadata.name);
    expect(onW1()).toHaveLength(1);
    const warn = w.list('events', 'default').find((e) => e.reason === 'FailedDaemonPod')!;
    expect(warn.type).toBe('Warning');
    expect(warn.message).toBe(`Found failed daemon pod default/${failed.metadata.name} on node w1, will try to kill it`);
    // w2 loses the label: its pod goes (numberMisscheduled would count it until then).
    await w.patch('nodes', undefined, 'w2', { metadata: { labels: { role: 'b' } } });
    await w.settle();
    expect(w.list('pods', 'default')).toHaveLength(1);
    expect(w.list('events', 'default').some((e) => e.reason === 'SuccessfulDelete')).toBe(true);
    expect(w.get('daemonsets', 'default', 'agent')!.status.desiredNumberScheduled).toBe(1);
  });

  it('keeps a ControllerRevision named <ds>-<hash> whose hash labels the pods', async () => {
    const w = await world([node('w1')]);
    await w.create('daemonsets', 'default', ds('agent'));
    await w.settle();
    const revs = w.list('controllerrevisions', 'default');
    expect(revs).toHaveLength(1);
    const hash = w.list('pods', 'default')[0].metadata.labels['controller-revision-hash'];
    expect(revs[0].metadata.name).toBe(`agent-${hash}`);
    expect(revs[0].revision).toBe(1);
    expect(revs[0].metadata.labels['controller-revision-hash']).toBe(hash);
  });

  it('NoExecute taints evict, NoSchedule taints only keep new pods away', () => {
    const d = ds('x');
    expect(nodeShouldRunDaemonPod(node('n', {}, [{ key: 'k', effect: 'NoSchedule' }]), d)).toEqual({ shouldRun: false, shouldContinueRunning: true });
    expect(nodeShouldRunDaemonPod(node('n', {}, [{ key: 'k', effect: 'NoExecute' }]), d)).toEqual({ shouldRun: false, shouldContinueRunning: false });
    expect(nodeShouldRunDaemonPod(node('n', {}, [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]), d).shouldRun).toBe(true);
    expect(toleratesTaint({ operator: 'Exists' }, { key: 'a', effect: 'NoExecute' })).toBe(true);
    expect(toleratesTaint({ key: 'a', value: 'v', effect: 'NoSchedule' }, { key: 'a', value: 'w', effect: 'NoSchedule' })).toBe(false);
  });
});
