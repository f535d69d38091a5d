// The core promises of the CLI, driven exactly as a user drives it.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync, statSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { run, freshHome, BIN } from './helpers.js';

const DEPLOY = join(__dirname, '..', '..', 'fixtures', 'my-app-deployment.yaml');
const state = (home: string) => join(home, 'clusters', 'minikctl', 'state.json');

function write(home: string, name: string, text: string): string {
  const p = join(home, name);
  writeFileSync(p, text);
  return p;
}

describe('first use and apply', () => {
  it('creates the default cluster on first use and applies the seed deployment', () => {
    const home = freshHome();
    const a = run(['apply', '-f', DEPLOY], { home });
    expect(a.stderr).toBe('');
    expect(a.stdout).toBe('deployment.apps/my-app created\n');
    expect(a.code).toBe(0);
    const ns = run(['get', 'namespaces', '-o', 'name'], { home });
    expect(ns.stdout).toBe('namespace/default\nnamespace/kube-node-lease\nnamespace/kube-public\nnamespace/kube-system\n');
    const svc = run(['get', 'svc', 'kubernetes', '-o', 'jsonpath={.spec.clusterIP}'], { home });
    expect(svc.stdout).toBe('10.96.0.1');
    const again = run(['apply', '-f', DEPLOY], { home });
    expect(again.stdout).toBe('deployment.apps/my-app unchanged\n');
    const changed = write(home, 'd.yaml', readFileSync(DEPLOY, 'utf8').replace('replicas: 3', 'replicas: 5'));
    expect(run(['apply', '-f', changed], { home }).stdout).toBe('deployment.apps/my-app configured\n');
    const got = JSON.parse(run(['get', 'deploy', 'my-app', '-o', 'json'], { home }).stdout);
    expect(got.spec.replicas).toBe(5);
    expect(got.metadata.generation).toBe(2);
    expect(got.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
    expect(got.spec.template.spec.containers[0].imagePullPolicy).toBe('Always');
    const last = JSON.parse(got.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
    expect(last.metadata).toEqual({ annotations: {}, name: 'my-app', namespace: 'default' });
  });

  it('removes from the live object a field dropped from the applied file, keeping fields set by others', () => {
    const home = freshHome();
    const base = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  labels:\n    a: "1"\n    b: "2"\ndata:\n  x: "1"\n`;
    run(['apply', '-f', write(home, 'cm.yaml', base)], { home });
    run(['label', 'cm', 'cfg', 'owner=ops'], { home });
    const r = run(['apply', '-f', write(home, 'cm2.yaml', base.replace('    b: "2"\n', ''))], { home });
    expect(r.stdout).toBe('configmap/cfg configured\n');
    const labels = JSON.parse(run(['get', 'cm', 'cfg', '-o', 'jsonpath={.metadata.labels}'], { home }).stdout);
    expect(labels).toEqual({ a: '1', owner: 'ops' });
  });
});

describe('errors are kubectl\'s and change nothing', () => {
  it('reports a missing object', () => {
    const r = run(['get', 'deployment', 'nope']);
    expect(r.stderr).toBe('Error from server (NotFound): deployments.apps "nope" not found\n');
    expect(r.code).toBe(1);
  });

  it('reports a missing file', () => {
    const r = run(['apply', '-f', 'no-such.yaml']);
    expect(r.stderr).toBe('error: the path "no-such.yaml" does not exist\n');
    expect(r.code).toBe(1);
  });

  it('refuses an invalid deployment and leaves the state file as it was', () => {
    const home = freshHome();
    // manual time: no timer of the cluster's own falls due between the two commands
    const env = { MINIKCTL_TIME: 'manual' };
    run(['get', 'ns'], { home, env });
    const before = readFileSync(state(home));
    const bad = readFileSync(DEPLOY, 'utf8').replace('      labels:\n        app: my-app', '      labels:\n        app: two');
    const r = run(['apply', '-f', write(home, 'bad.yaml', bad)], { home, env });
    expect(r.stderr).toBe('The Deployment "my-app" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"two"}: `selector` does not match template `labels`\n');
    expect(r.code).toBe(1);
    expect(readFileSync(state(home)).equals(before)).toBe(true);
  });

  it('refuses unknown fields with the strict decoding error', () => {
    const home = freshHome();
    const pod = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  bogusField: 1\n  containers:\n  - name: web\n    image: nginx\n`;
    const p = write(home, 'pod.yaml', pod);
    const r = run(['apply', '-f', p], { home });
    expect(r.stderr).toBe(`Error from server (BadRequest): error when creating "${p}": Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.bogusField"\n`);
    expect(r.code).toBe(1);
  });

  it('reports an unknown kind and still applies the good documents of the file', () => {
    const home = freshHome();
    const p = write(home, 'multi.yaml', `apiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  name: old\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: good\n`);
    const r = run(['apply', '-f', p], { home });
    expect(r.stdout).toBe('configmap/good created\n');
    expect(r.stderr).toBe(`error: resource mapping not found for name: "old" namespace: "" from "${p}": no matches for kind "CronJob" in version "batch/v1beta1"\nensure CRDs are installed first\n`);
    expect(r.code).toBe(1);
  });

  it('refuses objects in a namespace that does not exist', () => {
    const r = run(['create', 'configmap', 'x', '-n', 'nowhere']);
    expect(r.stderr).toBe('error: failed to create configmap: namespaces "nowhere" not found\n');
    expect(r.code).toBe(1);
  });

  it('reports an object that already exists the way create -f does', () => {
    const home = freshHome();
    run(['create', '-f', DEPLOY], { home });
    const r = run(['create', '-f', DEPLOY], { home });
    expect(r.stderr).toBe(`Error from server (AlreadyExists): error when creating "${DEPLOY}": deployments.apps "my-app" already exists\n`);
    expect(r.code).toBe(1);
  });

  it('refuses broken YAML', () => {
    const home = freshHome();
    const p = write(home, 'broken.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n   bad: [\n');
    const r = run(['apply', '-f', p], { home });
    expect(r.stderr).toMatch(new RegExp(`^error: error parsing ${p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: error converting YAML to JSON: yaml: line \\d+: `));
    expect(r.code).toBe(1);
  });

  it('refuses an object over etcd\'s size limit', () => {
    const home = freshHome();
    // A pod's arguments have no size rule of their own, so only etcd's 1.5 MiB limit stops this one.
    const big = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'big' }, spec: { containers: [{ name: 'c', image: 'nginx', args: ['x'.repeat(1_600_000)] }] } };
    const p = write(home, 'big.json', JSON.stringify(big));
    const r = run(['create', '-f', p], { home });
    expect(r.stderr).toBe(`Error from server: error when creating "${p}": etcdserver: request is too large\n`);
    expect(r.code).toBe(1);
    expect(run(['get', 'pod', 'big'], { home }).code).toBe(1);
    // apply doubles the data into its annotation, which takes the request over the apiserver's limit.
    const a = run(['apply', '-f', p], { home });
    expect(a.stderr).toBe(`Error from server (RequestEntityTooLarge): error when creating "${p}": Request entity too large: limit is 3145728\n`);
  });
});

describe('RBAC', () => {
  it('forbids a user without bindings, and allows them once bound', () => {
    const home = freshHome();
    const r = run(['get', 'pods', '--as', 'student1'], { home });
    expect(r.stderr).toBe('Error from server (Forbidden): pods is forbidden: User "student1" cannot list resource "pods" in API group "" in the namespace "default"\n');
    expect(r.code).toBe(1);
    expect(run(['create', 'rolebinding', 's1-view', '--clusterrole=view', '--user=student1'], { home }).code).toBe(0);
    const ok = run(['get', 'pods', '--as', 'student1'], { home });
    expect(ok.code).toBe(0);
    expect(ok.stderr).toBe('No resources found in default namespace.\n');
    const del = run(['delete', 'svc', 'kubernetes', '--as', 'student1'], { home });
    expect(del.stderr).toBe('Error from server (Forbidden): services "kubernetes" is forbidden: User "student1" cannot delete resource "services" in API group "" in the namespace "default"\n');
  });
});

describe('the state file', () => {
  it('is not rewritten by read-only commands', () => {
    const home = freshHome();
    // manual time: nothing falls due, so readers stay readers (a due timer makes one a writer)
    const env = { MINIKCTL_TIME: 'manual' };
    run(['get', 'ns'], { home, env });
    const m = statSync(state(home)).mtimeMs;
    run(['get', 'pods', '-A'], { home, env });
    run(['describe', 'ns', 'default'], { home, env });
    expect(statSync(state(home)).mtimeMs).toBe(m);
  });

  it('stops on a corrupted file, names it, and leaves it alone', () => {
    const home = freshHome();
    mkdirSync(join(home, 'clusters', 'minikctl'), { recursive: true });
    writeFileSync(state(home), '{"format": "minikctl/v1", "objects": {');
    const r = run(['create', 'configmap', 'x'], { home });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(state(home));
    expect(r.stderr).toContain('not valid JSON');
    expect(readFileSync(state(home), 'utf8')).toBe('{"format": "minikctl/v1", "objects": {');
  });

  it('loses nothing when 20 commands write at once', async () => {
    const home = freshHome();
    run(['get', 'ns'], { home });
    const runs = Array.from({ length: 20 }, (_, i) =>
      new Promise<number>((resolve) => {
        const p = spawn(process.execPath, [BIN, 'create', 'configmap', `cm-${i}`, `--from-literal=i=${i}`], { env: { ...process.env, MINIKCTL_HOME: home } });
        p.on('exit', (code) => resolve(code ?? -1));
      }),
    );
    expect(await Promise.all(runs)).toEqual(Array(20).fill(0));
    const names = run(['get', 'cm', '-o', 'name'], { home }).stdout.split('\n').filter((l) => l.startsWith('configmap/cm-'));
    expect(names.length).toBe(20);
  });
});

describe('delete', () => {
  it('deletes by name and reports what is missing', () => {
    const home = freshHome();
    run(['apply', '-f', DEPLOY], { home });
    const r = run(['delete', 'deployment', 'my-app', 'other'], { home });
    expect(r.stdout).toBe('deployment.apps "my-app" deleted\n');
    expect(r.stderr).toBe('Error from server (NotFound): deployments.apps "other" not found\n');
    expect(r.code).toBe(1);
  });

  it('deletes a namespace and everything in it', () => {
    const home = freshHome();
    run(['create', 'namespace', 'team'], { home });
    run(['create', 'configmap', 'c', '-n', 'team'], { home });
    expect(run(['delete', 'ns', 'team'], { home }).stdout).toBe('namespace "team" deleted\n');
    expect(run(['get', 'ns', 'team'], { home }).stderr).toBe('Error from server (NotFound): namespaces "team" not found\n');
    expect(run(['get', 'cm', '-n', 'team'], { home }).stderr).toBe('No resources found in team namespace.\n');
  });
});

describe('-v=6', () => {
  it('logs the API calls a verb makes, as kubectl does', () => {
    const home = freshHome();
    run(['get', 'ns'], { home });
    const r = run(['apply', '-f', DEPLOY, '-v=6'], { home });
    const calls = r.stderr.trimEnd().split('\n').map((l) => l.replace(/^I\d{4} [\d:.]+\s+\d+ /, ''));
    expect(calls).toEqual([
      'round_trippers.go:553] GET https://127.0.0.1:6443/apis/apps/v1/namespaces/default/deployments/my-app 404 Not Found in 0 milliseconds',
      'round_trippers.go:553] POST https://127.0.0.1:6443/apis/apps/v1/namespaces/default/deployments 201 Created in 0 milliseconds',
    ]);
  });
});
