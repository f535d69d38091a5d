// `minikctl cluster`: clusters made, listed, switched, advanced and deleted through the real CLI.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshHome, run } from './helpers.js';

const env = { MINIKCTL_TIME: 'instant' };
const FIXTURES = join(__dirname, '..', '..', 'fixtures');
const m = (home: string, ...args: string[]) => run(args, { home, env });

const created = (name: string, nodes: string) =>
  `Creating cluster "${name}" ...\n ✓ Preparing nodes (${nodes})\n ✓ Starting control-plane\n ✓ Installing CoreDNS and kube-proxy\n` +
  `${nodes.endsWith(' 0 workers') ? '' : ' ✓ Joining worker nodes\n'}Set kubectl context to "${name}"\nYou can now use your cluster with:\n\nminikctl cluster-info --context ${name}\n`;

describe('minikctl cluster', () => {
  it('create, list, use, advance, delete: a round trip', () => {
    const home = freshHome();
    let r = m(home, 'cluster', 'create', 'dev');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(created('dev', '1 control-plane, 3 workers'));
    expect(r.code).toBe(0);
    expect(existsSync(join(home, 'clusters', 'dev', 'state.json'))).toBe(true);

    r = m(home, 'cluster', 'create', 'lab', '--nodes', '1', '--time', 'manual');
    expect(r.stdout).toBe(created('lab', '1 control-plane, 1 worker'));

    r = m(home, 'cluster', 'list');
    expect(r.stdout).toMatch(/^CURRENT   NAME   NODES   TIME      AGE\n          dev    4       instant   \d+s\n\*         lab    2       manual    \d+s\n$/);

    r = m(home, 'config', 'current-context');
    expect(r.stdout).toBe('lab\n');

    r = m(home, 'cluster', 'use', 'dev');
    expect(r.stdout).toBe('Switched to context "dev".\n');
    expect(m(home, 'cluster', 'list', '--no-headers').stdout).toMatch(/^\*\s+dev\s+4\s+instant\s+\d+s\n\s+lab\s+2\s+manual\s+\d+s\n$/);

    // A manual cluster moves only when told to.
    const before = m(home, '--context', 'lab', 'cluster', 'status').stdout;
    expect(before).toMatch(/^Cluster:\s+lab\nContext:\s+lab\nNodes:\s+2 \(1 control-plane, 1 worker\)\nTime mode:\s+manual\nVirtual time:\s+\S+Z\nAge:\s+\d+s\nNext timer:\s+.+\n$/);
    r = m(home, '--context', 'lab', 'cluster', 'advance', '1h30m');
    expect(r.stdout).toMatch(/^cluster "lab" advanced by 1h30m0s to \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n$/);
    const t0 = Date.parse(/Virtual time:\s+(\S+)/.exec(before)![1]);
    const after = m(home, '--context', 'lab', 'cluster', 'status').stdout;
    expect(Date.parse(/Virtual time:\s+(\S+)/.exec(after)![1]) - t0).toBe(90 * 60_000);
    expect(after).toMatch(/Age:\s+90m\n/);

    r = m(home, 'cluster', 'delete', 'lab');
    expect(r.stdout).toBe('Deleting cluster "lab" ...\nDeleted nodes: ["lab-control-plane" "lab-worker"]\n');
    expect(existsSync(join(home, 'clusters', 'lab'))).toBe(false);
    expect(m(home, 'config', 'get-contexts', '-o', 'name').stdout).not.toContain('lab');
    expect(m(home, 'cluster', 'list', '-o', 'name').stdout).toBe('dev\n');
  });

  it('refuses a name that exists, and names that are not DNS labels', () => {
    const home = freshHome();
    m(home, 'cluster', 'create', 'dev', '--nodes', '0');
    let r = m(home, 'cluster', 'create', 'dev');
    expect(r).toMatchObject({ code: 1, stdout: '', stderr: 'error: cluster "dev" already exists\n' });
    r = m(home, 'cluster', 'create', 'Dev_1');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: invalid cluster name "Dev_1": a lowercase RFC 1123 label must consist of/);
  });

  it('kubectl-style errors for unknown subcommands, bad flags and bad durations', () => {
    const home = freshHome();
    expect(m(home, 'cluster', 'launch')).toMatchObject({ code: 1, stderr: 'error: unknown command "launch"\nSee \'minikctl cluster -h\' for help and examples\n' });
    expect(m(home, 'cluster', 'create', '--nodes', 'three')).toMatchObject({
      code: 1, stderr: 'Error: invalid argument "three" for "--nodes" flag: strconv.ParseInt: parsing "three": invalid syntax\nSee \'minikctl cluster create --help\' for usage.\n',
    });
    expect(m(home, 'cluster', 'create', '--time', 'fast')).toMatchObject({ code: 1, stderr: 'error: invalid --time value "fast": must be one of realtime, instant, manual\n' });
    expect(m(home, 'cluster', 'create', '--bogus').stderr).toBe("Error: unknown flag: --bogus\nSee 'minikctl cluster create --help' for usage.\n");
    expect(m(home, 'cluster', 'advance', '10')).toMatchObject({ code: 1, stderr: 'error: invalid duration "10": time: missing unit in duration "10"\n' });
    expect(m(home, 'cluster', 'use', 'nope')).toMatchObject({ code: 1, stderr: 'error: no cluster exists with the name: "nope"\n' });
    expect(m(home, 'cluster', 'delete', 'nope')).toMatchObject({ code: 1, stderr: 'error: no cluster exists with the name: "nope"\n' });
  });

  it('a bad cluster.yaml is refused with every error, and nothing is made', () => {
    const home = freshHome();
    const file = join(home, 'bad.yaml');
    writeFileSync(file, 'kind: Cluster\nnodes:\n- role: master\n- role: worker\n  memory: lots\ntime: {mode: fast}\n');
    const r = m(home, 'cluster', 'create', 'x', '--config', file);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `error: invalid cluster config ${file}:\n` +
      '* nodes[0].role: Unsupported value: "master": supported values: "control-plane", "worker"\n' +
      '* nodes[1].memory: Invalid value: "lots": quantities must match the regular expression \'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$\'\n' +
      '* time.mode: Unsupported value: "fast": supported values: "realtime", "instant", "manual"\n',
    );
    expect(existsSync(join(home, 'clusters', 'x'))).toBe(false);
    expect(m(home, 'cluster', 'create', 'x', '--config', join(home, 'missing.yaml')).stderr).toBe(`error: the path "${join(home, 'missing.yaml')}" does not exist\n`);
    expect(m(home, 'cluster', 'create', 'x', '--config', file, '--nodes', '2').stderr).toBe('error: --nodes and --config cannot be used together: set the nodes in the config file\n');
  });

  it('takes its shape from cluster.yaml', () => {
    const home = freshHome();
    const r = m(home, 'cluster', 'create', '--config', join(FIXTURES, 'cluster-example.yaml'), '--time', 'instant');
    expect(r.stdout).toBe(created('example', '1 control-plane, 3 workers'));
    const st = JSON.parse(readFileSync(join(home, 'clusters', 'example', 'state.json'), 'utf8'));
    expect(st.cluster.config.nodes.map((n: any) => n.name)).toEqual(['example-control-plane', 'example-worker', 'example-worker2', 'gpu-node']);
    // --time wins over the file; MINIKCTL_TIME would only have been the default.
    expect(st.cluster.time.mode).toBe('instant');
  });

  it('a second cluster is independent of the first', () => {
    const home = freshHome();
    m(home, 'cluster', 'create', 'one', '--nodes', '0');
    m(home, 'cluster', 'create', 'two', '--nodes', '0');
    expect(m(home, 'create', 'configmap', 'only-in-two', '--from-literal=a=b').stdout).toBe('configmap/only-in-two created\n');
    expect(m(home, '--context', 'one', 'get', 'configmap', 'only-in-two').stderr).toBe('Error from server (NotFound): configmaps "only-in-two" not found\n');
    m(home, 'cluster', 'delete', 'one');
    expect(m(home, 'get', 'configmap', 'only-in-two', '-o', 'name').stdout).toBe('configmap/only-in-two\n');
  });

  it('refuses to delete a cluster a live command holds', () => {
    const home = freshHome();
    m(home, 'cluster', 'create', 'busy', '--nodes', '0');
    // This test process is alive: its pid in the lock file is a live holder.
    writeFileSync(join(home, 'clusters', 'busy', 'state.json.lock'), String(process.pid));
    const r = m(home, 'cluster', 'delete', 'busy');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: cluster "busy" is in use by process ${process.pid}: wait for that command to finish, then delete the cluster\n`);
    expect(existsSync(join(home, 'clusters', 'busy', 'state.json'))).toBe(true);
  });
});

// These need the whole control plane: kubelets (nodes, static pods), scheduler, deployment and
// daemonset controllers.
describe('a new cluster, whole pipeline (kubelet + scheduler + controllers)', () => {
  it('has 4 Ready nodes and kube-system pods: coredns x2, kube-proxy x4, the 4 static pods', () => {
    const home = freshHome();
    m(home, 'cluster', 'create', 'kind');
    const nodes = m(home, 'get', 'nodes', '--no-headers').stdout.trim().split('\n').map((l) => l.split(/\s+/).slice(0, 3));
    expect(nodes).toEqual([
      ['kind-control-plane', 'Ready', 'control-plane'], ['kind-worker', 'Ready', '<none>'],
      ['kind-worker2', 'Ready', '<none>'], ['kind-worker3', 'Ready', '<none>'],
    ]);
    const pods = m(home, 'get', 'pods', '-n', 'kube-system', '--no-headers').stdout.trim().split('\n').map((l) => l.split(/\s+/)[0]);
    expect(pods.filter((p) => /^coredns-[a-z0-9]+-[a-z0-9]{5}$/.test(p))).toHaveLength(2);
    expect(pods.filter((p) => /^kube-proxy-[a-z0-9]{5}$/.test(p))).toHaveLength(4);
    for (const s of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler']) expect(pods).toContain(`${s}-kind-control-plane`);
    expect(pods).toHaveLength(10);
    expect(m(home, 'get', 'ds', '-n', 'kube-system', '--no-headers').stdout).toMatch(/^kube-proxy\s+4\s+4\s+4\s+4\s+4\s+kubernetes.io\/os=linux\s+\S+\n$/);
    expect(m(home, 'get', 'nodes', '-o', 'jsonpath={.items[*].spec.podCIDR}').stdout).toBe('10.244.0.0/24 10.244.1.0/24 10.244.2.0/24 10.244.3.0/24');
  });
});
