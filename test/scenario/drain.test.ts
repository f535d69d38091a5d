// kubectl drain against the simulated cluster (instant time unless said otherwise): cordon, the
// filters' refusals in kubectl's words, evictions through the eviction API, a PodDisruptionBudget
// that blocks an eviction until a replacement is Ready elsewhere, and the PDB afterwards.
import { describe, expect, it } from 'vitest';
import { freshHome, run } from './helpers.js';

const INSTANT = { MINIKCTL_TIME: 'instant' };
const MANUAL = { MINIKCTL_TIME: 'manual' };

function cli(home: string, env = INSTANT) {
  return (...args: string[]) => run(args, { home, env });
}

/** pods of the default namespace by node, from `get pods -o wide` */
function podsByNode(k: ReturnType<typeof cli>): Map<string, string[]> {
  const out = k('get', 'pods', '-o', 'wide', '--no-headers').stdout.trim().split('\n').filter(Boolean);
  const m = new Map<string, string[]>();
  for (const line of out) {
    const f = line.split(/\s+/);
    if (!m.has(f[6])) m.set(f[6], []);
    m.get(f[6])!.push(f[0]);
  }
  return m;
}

describe('drain', () => {
  it('refuses DaemonSet-managed pods without --ignore-daemonsets, as kubectl words it (exit 1)', () => {
    const k = cli(freshHome());
    const r = k('drain', 'minikctl-worker');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('node/minikctl-worker cordoned\n');
    const m = /^error: unable to drain node "minikctl-worker" due to error: cannot delete DaemonSet-managed Pods \(use --ignore-daemonsets to ignore\): (kube-system\/kube-proxy-[a-z0-9]{5}), continuing command\.\.\.\nThere are pending nodes to be drained:\n minikctl-worker\ncannot delete DaemonSet-managed Pods \(use --ignore-daemonsets to ignore\): (kube-system\/kube-proxy-[a-z0-9]{5})\n$/.exec(r.stderr);
    expect(m, r.stderr).not.toBeNull();
    expect(m![1]).toBe(m![2]);
    // the node stays cordoned, as with kubectl
    expect(k('get', 'node', 'minikctl-worker', '-o', 'jsonpath={.spec.unschedulable}').stdout).toBe('true');
    // no node, no command
    const none = k('drain');
    expect(none.code).toBe(1);
    expect(none.stderr).toBe("error: USAGE: drain NODE [flags]\nSee 'minikctl drain -h' for help and examples\n");
    const missing = k('drain', 'nope');
    expect(missing.stderr).toBe('Error from server (NotFound): nodes "nope" not found\n');
  });

  it('3 replicas, PDB minAvailable 2, 3 workers: drain of one worker evicts its pod and prints what kubectl prints', () => {
    const k = cli(freshHome());
    expect(k('create', 'deployment', 'web', '--image=nginx', '--replicas=3').code).toBe(0);
    expect(k('create', 'pdb', 'web-pdb', '--selector=app=web', '--min-available=2').code).toBe(0);
    const byNode = podsByNode(k);
    const [node, pods] = [...byNode].find(([, p]) => p.length === 1)!;
    const dry = k('drain', node, '--ignore-daemonsets', '--dry-run=client');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(new RegExp(`^node/${node} cordoned \\(dry run\\)\nevicting pod default/${pods[0]} \\(dry run\\)\n(evicting pod kube-system/coredns-\\S+ \\(dry run\\)\n)*node/${node} drained \\(dry run\\)\n$`));
    expect(k('get', 'node', node, '-o', 'jsonpath={.spec.unschedulable}').stdout).toBe('');

    const r = k('drain', node, '--ignore-daemonsets');
    expect(r.code, r.stderr).toBe(0);
    // the shape of kubectl's own output (shared/kubectl-wire/samples/kubectl-output/drain-force.txt)
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe(`node/${node} cordoned`);
    expect(lines).toContain(`evicting pod default/${pods[0]}`);
    expect(lines).toContain(`pod/${pods[0]} evicted`);
    expect(lines.indexOf(`evicting pod default/${pods[0]}`)).toBeLessThan(lines.indexOf(`pod/${pods[0]} evicted`));
    expect(lines[lines.length - 1]).toBe(`node/${node} drained`);
    expect(r.stderr).toMatch(/^Warning: ignoring DaemonSet-managed Pods: kube-system\/kube-proxy-[a-z0-9]{5}\n$/);
    // the replacement runs elsewhere; nothing of the Deployment is left on the drained node
    const after = podsByNode(k);
    expect(after.get(node)).toBeUndefined();
    expect([...after.values()].flat()).toHaveLength(3);
    expect(k('get', 'pods', '--field-selector=status.phase=Running', '--no-headers').stdout.trim().split('\n')).toHaveLength(3);
  });

  it('a drain blocked by a PodDisruptionBudget retries every 5s and completes once a replacement is Ready; get/describe pdb after', () => {
    const k = cli(freshHome());
    k('create', 'deployment', 'web', '--image=nginx', '--replicas=4');
    k('create', 'pdb', 'web-pdb', '--selector=app=web', '--min-available=3');
    expect(k('get', 'pdb').stdout).toMatch(/^NAME\s+MIN AVAILABLE\s+MAX UNAVAILABLE\s+ALLOWED DISRUPTIONS\s+AGE\nweb-pdb\s+3\s+N\/A\s+1\s+\d+s\n$/);
    const [node, pods] = [...podsByNode(k)].find(([, p]) => p.length === 2)!;
    const t0 = Date.now();
    const r = k('drain', node, '--ignore-daemonsets');
    const took = Date.now() - t0;
    expect(r.code, r.stderr).toBe(0);
    // one eviction is allowed, the other is refused once and retried after 5 s of wall time
    const [first, second] = pods;
    expect(r.stdout).toBe([
      `node/${node} cordoned`,
      `evicting pod default/${first}`,
      `evicting pod default/${second}`,
      `pod/${first} evicted`,
      `evicting pod default/${second}`,
      `pod/${second} evicted`,
      `node/${node} drained`,
      '',
    ].join('\n'));
    expect(r.stderr).toContain(`error when evicting pods/"${second}" -n "default" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.\n`);
    expect(took).toBeGreaterThanOrEqual(5000);
    const after = podsByNode(k);
    expect(after.get(node)).toBeUndefined();
    expect([...after.values()].flat()).toHaveLength(4);
    expect(k('get', 'pdb', 'web-pdb', '--no-headers').stdout).toMatch(/^web-pdb\s+3\s+N\/A\s+1\s+\d+s\n$/);
    const d = k('describe', 'pdb', 'web-pdb').stdout;
    expect(d).toMatch(/Min available:\s+3\n/);
    expect(d).toMatch(/Allowed disruptions:\s+1\n\s+Current:\s+4\n\s+Desired:\s+3\n\s+Total:\s+4\n/);
    const status = JSON.parse(k('get', 'pdb', 'web-pdb', '-o', 'jsonpath={.status}').stdout);
    expect(status).toMatchObject({ currentHealthy: 4, desiredHealthy: 3, disruptionsAllowed: 1, expectedPods: 4, observedGeneration: 1 });
    expect(status.conditions[0]).toMatchObject({ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods' });
  });

  it('pods without a controller: refused without --force, deleted with a warning with it', () => {
    const k = cli(freshHome());
    k('run', 'bare', '--image=nginx');
    const node = k('get', 'pod', 'bare', '-o', 'jsonpath={.spec.nodeName}').stdout;
    const refused = k('drain', node, '--ignore-daemonsets');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`error: unable to drain node "${node}" due to error: cannot delete Pods that declare no controller (use --force to override): default/bare, continuing command...\nThere are pending nodes to be drained:\n ${node}\ncannot delete Pods that declare no controller (use --force to override): default/bare\n`);
    const forced = k('drain', node, '--ignore-daemonsets', '--force', '--grace-period=5');
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toMatch(new RegExp(`^node/${node} already cordoned\n(.*\n)*evicting pod default/bare\n(.*\n)*pod/bare evicted\n(.*\n)*node/${node} drained\n$`));
    expect(forced.stderr).toMatch(/^Warning: (ignoring DaemonSet-managed Pods: kube-system\/kube-proxy-[a-z0-9]{5}; deleting Pods that declare no controller: default\/bare|deleting Pods that declare no controller: default\/bare; ignoring DaemonSet-managed Pods: kube-system\/kube-proxy-[a-z0-9]{5})\n$/);
    expect(k('get', 'pod', 'bare').code).toBe(1);
  });

  it('in manual time a blocked eviction cannot wait for the budget: it fails with kubectl\'s error and a note', () => {
    const k = cli(freshHome(), MANUAL);
    k('create', 'deployment', 'web', '--image=nginx', '--replicas=4');
    k('create', 'pdb', 'web-pdb', '--selector=app=web', '--max-unavailable=1');
    k('cluster', 'advance', '1m');
    const [node, pods] = [...podsByNode(k)].find(([, p]) => p.length === 2)!;
    const r = k('drain', node, '--ignore-daemonsets');
    expect(r.code, r.stdout + r.stderr + k('get', 'pdb').stdout).toBe(1);
    expect(r.stdout).toBe(`node/${node} cordoned\nevicting pod default/${pods[0]}\npod/${pods[0]} evicted\nevicting pod default/${pods[1]}\n`);
    // the pending pods are those still on the node: the refused one and the evicted one, which
    // is still terminating because the clock does not move
    const pending = `There are pending pods in node "${node}" when an error occurred: error when evicting pods/"${pods[1]}" -n "default": Cannot evict pod as it would violate the pod's disruption budget.\n`;
    expect(r.stderr).toContain(pending + [...pods].sort().map((p) => `pod/${p}\n`).join(''));
    expect(r.stderr).toContain("note: the cluster's clock is in manual mode");
    expect(r.stderr.endsWith(`There are pending nodes to be drained:\n ${node}\nerror when evicting pods/"${pods[1]}" -n "default": Cannot evict pod as it would violate the pod's disruption budget.\n`)).toBe(true);
  });
});
