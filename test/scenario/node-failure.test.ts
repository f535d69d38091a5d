// `minikctl node stop|start|add|remove` through the real CLI, in instant mode (each command sees
// the cluster settled): a stopped node goes NotReady and its app comes back on the other nodes once
// the eviction timeout has passed; the node returns; a fifth node joins with its kube-proxy pod and
// leaves again. Needs the whole pipeline (controllers, scheduler, kubelets, DaemonSets).
import { describe, expect, it } from 'vitest';
import { freshHome, runner } from './helpers.js';

describe('node failure and return, machines joining and leaving (instant mode)', () => {
  const home = freshHome();
  const { raw, ok } = runner(home, { MINIKCTL_TIME: 'instant' });
  const rows = (out: string) => out.trim().split('\n').slice(1).map((l) => l.split(/\s{2,}|\s+(?=\S)/));
  const nodeStatus = (name: string) => rows(ok('get', 'nodes')).find((r) => r[0] === name)?.[1];

  it('a stopped node goes NotReady and its pods come back elsewhere after the eviction timeout', () => {
    ok('create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=3');
    const pods = JSON.parse(ok('get', 'pods', '-l', 'app=web', '-o', 'json')).items;
    expect(pods).toHaveLength(3);
    const victim: string = pods[0].spec.nodeName;
    const before = pods.filter((p: any) => p.spec.nodeName === victim).map((p: any) => p.metadata.name);

    expect(ok('node', 'stop', victim)).toBe(`node/${victim} stopped\n`);
    expect(nodeStatus(victim)).toBe('NotReady');
    for (const n of ['minikctl-control-plane', 'minikctl-worker', 'minikctl-worker2', 'minikctl-worker3'].filter((x) => x !== victim)) expect(nodeStatus(n)).toBe('Ready');

    const wide = ok('get', 'pods', '-o', 'wide');
    const table = rows(wide);
    const running = table.filter((r) => r[0].startsWith('web-') && r[2] === 'Running');
    expect(running).toHaveLength(3);
    for (const r of running) expect(wide.split('\n').find((l) => l.startsWith(r[0]))).not.toContain(victim);
    for (const name of before) expect(wide.split('\n').find((l) => l.startsWith(name))).toMatch(/Terminating/);

    const events = ok('get', 'events', '--field-selector', `involvedObject.name=${before[0]}`);
    expect(events).toContain(`Marking for deletion Pod default/${before[0]}`);
    expect(events).toContain('NodeNotReady');
    expect(ok('get', 'events', '--field-selector', `involvedObject.kind=Node`)).toContain(`Node ${victim} status is now: NodeNotReady`);
    const taints = JSON.parse(ok('get', 'node', victim, '-o', 'json')).spec.taints.map((t: any) => `${t.key}:${t.effect}`);
    expect(taints).toEqual(['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']);

    expect(ok('node', 'stop', victim)).toBe(`node/${victim} already stopped\n`);
    expect(ok('node', 'start', victim)).toBe(`node/${victim} started\n`);
    expect(nodeStatus(victim)).toBe('Ready');
    expect(JSON.parse(ok('get', 'node', victim, '-o', 'json')).spec.taints).toBeUndefined();
    const after = ok('get', 'pods');
    for (const name of before) expect(after).not.toContain(name);
    expect(rows(after).filter((r) => r[0].startsWith('web-'))).toHaveLength(3);
  });

  it('node add joins a fifth node with its kube-proxy pod; node remove takes it away', () => {
    expect(ok('node', 'add')).toBe('node/minikctl-worker4 added\n');
    const nodes = rows(ok('get', 'nodes'));
    expect(nodes).toHaveLength(5);
    expect(nodes.find((r) => r[0] === 'minikctl-worker4')?.[1]).toBe('Ready');
    const proxy = ok('get', 'pods', '-n', 'kube-system', '-l', 'k8s-app=kube-proxy', '-o', 'wide').split('\n').filter((l) => l.includes('minikctl-worker4'));
    expect(proxy).toHaveLength(1);
    expect(proxy[0]).toMatch(/Running/);

    expect(ok('node', 'remove', 'minikctl-worker4')).toBe('node/minikctl-worker4 removed\n');
    expect(rows(ok('get', 'nodes'))).toHaveLength(4);
    expect(ok('get', 'pods', '-A', '-o', 'wide')).not.toContain('minikctl-worker4');
  });

  it('says what a real CLI says when a node does not exist or a name is taken', () => {
    const missing = raw('node', 'stop', 'nope');
    expect(missing.stderr).toBe('Error from server (NotFound): nodes "nope" not found\n');
    expect(missing.code).toBe(1);
    const taken = raw('node', 'add', 'minikctl-worker');
    expect(taken.stderr).toBe('Error from server (AlreadyExists): nodes "minikctl-worker" already exists\n');
    expect(taken.code).toBe(1);
    const none = raw('node', 'start');
    expect(none.stderr).toBe("error: exactly one NAME is required, got 0\nSee 'minikctl node start -h' for help and examples\n");
    expect(none.code).toBe(1);
    const cp = raw('node', 'remove', 'minikctl-control-plane');
    expect(cp.stderr).toBe('error: cannot remove node "minikctl-control-plane": it is the cluster\'s only control-plane node\n');
    expect(raw('node', 'reboot', 'x').stderr).toMatch(/^error: unknown command "reboot" for "minikctl node"/);
  });
});
