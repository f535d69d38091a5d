// Machines joining and leaving: the next kind-style name, address, pod range and zone; a joined
// machine's kubelet registering its Node and the DaemonSet placing its pod there; a removed
// machine's pods collected by the pod garbage collector after its quarantine; and the eviction
// delay the taint eviction controller computes from taints and tolerations.
import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../src/apiserver/types.js';
import { defaultClusterConfig } from '../../../src/cluster/config.js';
import { addMachine, findMachine, newMachine, removeMachine } from '../../../src/cluster/nodes.js';
import { evictionDelayMs } from '../../../src/controllers/taint-eviction.js';
import { ORPHAN_QUARANTINE_MS } from '../../../src/controllers/pod-gc.js';
import { newSim } from '../controlplane/harness.js';

const cond = (o: KObject | undefined, type: string) => (o?.status?.conditions ?? []).find((c: any) => c.type === type);

describe('newMachine', () => {
  it('takes the next kind name, the lowest free IP and /24, and the next zone', () => {
    const cfg = defaultClusterConfig('dev');
    const m = newMachine(cfg, 'dev', {});
    expect(m).toMatchObject({ name: 'dev-worker4', role: 'worker', ip: '172.18.0.6', podCIDR: '10.244.4.0/24', zone: 'local-a', cpu: '4', memory: '8Gi', pods: 110, taints: [], running: true });
    addMachine(cfg, m);
    expect(newMachine(cfg, 'dev', {}).name).toBe('dev-worker5');
    // A freed name, address and range are taken again first, as docker and kind reuse them.
    removeMachine(cfg, 'dev-worker2');
    expect(newMachine(cfg, 'dev', {})).toMatchObject({ name: 'dev-worker2', ip: '172.18.0.4', podCIDR: '10.244.2.0/24' });
    // Names taken by Nodes created through the API are skipped; options win over defaults.
    const cp = newMachine(cfg, 'dev', { role: 'control-plane', cpu: '8', labels: { a: 'b' } }, new Set(['dev-control-plane2']));
    expect(cp).toMatchObject({ name: 'dev-control-plane3', cpu: '8', labels: { a: 'b' }, taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] });
  });

  it('refuses when the pod subnet is full', () => {
    const cfg = defaultClusterConfig('dev');
    cfg.podSubnet = '10.244.0.0/22';
    expect(() => newMachine(cfg, 'dev', {})).toThrow(/no \/24 left/);
  });
});

describe('evictionDelayMs', () => {
  const unreachable = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };
  const tol = (s?: number, key = unreachable.key) => ({ key, operator: 'Exists', effect: 'NoExecute', ...(s === undefined ? {} : { tolerationSeconds: s }) });
  it('is the shortest tolerationSeconds of the tolerations used, 0 when one taint is not tolerated, -1 for ever', () => {
    expect(evictionDelayMs([unreachable], [tol(300)])).toBe(300_000);
    expect(evictionDelayMs([unreachable], [])).toBe(0);
    expect(evictionDelayMs([unreachable], [tol(300, 'other')])).toBe(0);
    expect(evictionDelayMs([unreachable], [tol()])).toBe(-1);
    expect(evictionDelayMs([unreachable], [{ operator: 'Exists' }])).toBe(-1);
    expect(evictionDelayMs([unreachable], [tol(-5)])).toBe(0);
    // only the first toleration matching a taint counts
    expect(evictionDelayMs([unreachable], [tol(), tol(10)])).toBe(-1);
    expect(evictionDelayMs([unreachable, { key: 'x', effect: 'NoExecute' }], [tol(300), tol(60, 'x')])).toBe(60_000);
  });
});

describe('machines joining and leaving a running cluster', () => {
  it('a new machine registers its Node, Ready, and gets a kube-proxy pod', async () => {
    const sim = await newSim();
    addMachine(sim.config, newMachine(sim.config, 'sim', { zone: 'local-b', labels: { disktype: 'ssd' } }));
    sim.store.touchMeta(true);
    await sim.run(30_000);
    const node = sim.get('nodes', undefined, 'sim-worker4')!;
    expect(cond(node, 'Ready').status).toBe('True');
    expect(node.metadata!.labels).toMatchObject({ disktype: 'ssd', 'topology.kubernetes.io/zone': 'local-b', 'kubernetes.io/hostname': 'sim-worker4' });
    expect(node.spec.podCIDR).toBe('10.244.4.0/24');
    expect(node.status.addresses[0]).toEqual({ address: '172.18.0.6', type: 'InternalIP' });
    const proxy = sim.list('pods', 'kube-system').filter((p) => p.spec.nodeName === 'sim-worker4' && p.metadata!.labels?.['k8s-app'] === 'kube-proxy');
    expect(proxy).toHaveLength(1);
    expect(proxy[0].status.phase).toBe('Running');
  });

  it('a removed machine: Node deleted, its pods force-deleted by the pod GC after 40s and replaced elsewhere', async () => {
    const sim = await newSim();
    await sim.create('deployments', 'default', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } } },
    });
    await sim.run(60_000);
    const victim = sim.list('pods', 'default')[0].spec.nodeName;
    const bound = sim.list('pods').filter((p) => p.spec.nodeName === victim).map((p) => `${p.metadata!.namespace}/${p.metadata!.name}`);
    expect(bound.length).toBeGreaterThan(1);
    removeMachine(sim.config, victim);
    const del = await sim.call({ verb: 'delete', resource: 'nodes', name: victim });
    expect(del.code).toBe(200);
    await sim.run(ORPHAN_QUARANTINE_MS - 1_000);
    expect(sim.list('pods').filter((p) => p.spec.nodeName === victim)).toHaveLength(bound.length);
    await sim.run(2_000);
    expect(sim.list('pods').filter((p) => p.spec.nodeName === victim)).toEqual([]);
    expect(sim.get('leases', 'kube-node-lease', victim)).toBeUndefined();
    await sim.run(60_000);
    const web = sim.list('pods', 'default');
    expect(web).toHaveLength(3);
    expect(web.every((p) => p.status.phase === 'Running' && p.spec.nodeName !== victim)).toBe(true);
    expect(findMachine(sim.config, victim)).toBeUndefined();
    expect(sim.get('nodes', undefined, victim)).toBeUndefined(); // no kubelet re-registers it
  });
});
