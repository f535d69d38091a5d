// --trace and `minikctl trace`: the story of seed 003 told by the cluster itself, as a user runs it.
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { run, freshHome, type RunResult } from './helpers.js';

const DEPLOY = join(__dirname, '..', '..', 'fixtures', 'my-app-deployment.yaml');
const INSTANT = { MINIKCTL_TIME: 'instant' };

/** The numbered steps of a trace, each with the lines under it. */
function steps(out: string): string[] {
  const blocks: string[] = [];
  for (const line of out.split('\n')) {
    if (/^\s+\d+\.\s+\+\d+\.\d{3}s  /.test(line)) blocks.push(line);
    else if (blocks.length && /^\s{6,}\S/.test(line)) blocks[blocks.length - 1] += `\n${line}`;
  }
  return blocks;
}

const kubectlPost = (out: string) => steps(out).find((b) => b.includes('kubectl → kube-apiserver: POST /apis/apps/v1/namespaces/default/deployments'))!;

describe('minikctl apply --trace (seed 003, phase 1)', () => {
  let home: string;
  let applied: RunResult;
  beforeAll(() => {
    home = freshHome();
    applied = run(['apply', '-f', DEPLOY, '--trace'], { home, env: INSTANT });
  });

  it('prints the command\'s output first, then the numbered trace', () => {
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(applied.stdout.startsWith('deployment.apps/my-app created\n\nTrace (virtual cluster time from the first step):\n   1.   +0.000s  kubectl → kube-apiserver: GET /apis/apps/v1/namespaces/default/deployments/my-app → 404 Not Found\n')).toBe(true);
  });

  it('shows kubectl\'s POST going through authentication → authorization → admission → validation → etcd, in that order', () => {
    const post = kubectlPost(applied.stdout);
    expect(post).toBeDefined();
    const rv = /→ 201 Created: my-app, resourceVersion (\d+)/.exec(post)?.[1];
    expect(rv).toBeDefined();
    const at = (s: string) => post.indexOf(`- ${s}`);
    const order = ['authentication: user "kubernetes-admin", groups [kubeadm:cluster-admins, system:authenticated]',
      'authorization: create deployments.apps in namespace "default": RBAC: allowed by ClusterRoleBinding "kubeadm:cluster-admins" of ClusterRole "cluster-admin" to Group "kubeadm:cluster-admins"',
      'mutating admission: NamespaceLifecycle', 'validation: apps/v1 Deployment "my-app": schema ok', 'validating admission:',
      `etcd: created /registry/deployments/default/my-app at revision ${rv}`].map(at);
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('(needs the controllers, scheduler and kubelets) goes on to the ReplicaSet, three pods, their nodes and their start, in time order', () => {
    const out = applied.stdout;
    expect(out).toMatch(/POST \/apis\/apps\/v1\/namespaces\/default\/replicasets → 201 Created: my-app-\w+/);
    expect(out.match(/POST \/api\/v1\/namespaces\/default\/pods → 201 Created: my-app-\w+-\w{5}/g)).toHaveLength(3);
    const bound = [...out.matchAll(/pods\/(my-app-\w+-\w{5})\/binding → 201 Created: bound to node (\S+)/g)];
    expect(bound).toHaveLength(3);
    expect(bound.every((m) => m[2] !== 'minikctl-control-plane')).toBe(true);
    expect(out.match(/PUT \/api\/v1\/namespaces\/default\/pods\/my-app-\w+-\w{5}\/status → 200 OK: phase Running, podIP 10\.244\./g)).toHaveLength(3);
    // virtual time moves on: the containers start after the pulls, never before the apply
    const times = steps(out).map((b) => Number(/\+(\d+\.\d{3})s/.exec(b)![1]));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times[times.length - 1]).toBeGreaterThan(0);
  });

  it('`minikctl trace` then tells the last command\'s steps again, word for word', () => {
    const r = run(['trace'], { home, env: INSTANT });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('minikctl apply -f ');
    expect(steps(r.stdout)).toEqual(steps(applied.stdout));
  });

  it('`minikctl trace deploy/my-app` shows the same story for the Deployment and what it caused', () => {
    const r = run(['trace', 'deploy/my-app'], { home, env: INSTANT });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('The steps concerning deployments.apps "my-app" in namespace "default" with its ReplicaSets and Pods');
    expect(kubectlPost(r.stdout)).toBe(kubectlPost(applied.stdout));
    expect(r.stdout.match(/POST \/api\/v1\/namespaces\/default\/pods → 201 Created/g)?.length).toBe(applied.stdout.match(/POST \/api\/v1\/namespaces\/default\/pods → 201 Created/g)?.length);
  });

  it('`minikctl trace pod/NAME` narrows to one pod; -n elsewhere finds nothing', () => {
    const pod = /POST \/api\/v1\/namespaces\/default\/pods → 201 Created: (my-app-\w+-\w{5})/.exec(applied.stdout)?.[1];
    expect(pod).toBeDefined();
    const r = run(['trace', 'pod', pod!], { home, env: INSTANT });
    expect(r.code).toBe(0);
    const others = [...applied.stdout.matchAll(/Created: (my-app-\w+-\w{5})/g)].map((m) => m[1]).filter((n) => n !== pod);
    expect(others.length).toBeGreaterThan(0);
    for (const o of others) expect(r.stdout).not.toContain(o);
    expect(r.stdout).toContain(pod);
    const elsewhere = run(['trace', 'deploy/my-app', '-n', 'kube-system'], { home, env: INSTANT });
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toMatch(/^error: no trace recorded for deployments\.apps "my-app" in namespace "kube-system"/);
  });
});

describe('minikctl trace: errors and other commands', () => {
  it('says clearly when nothing has been recorded, and when the type is unknown', () => {
    const home = freshHome();
    const r = run(['trace'], { home, env: INSTANT });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: nothing has been traced on cluster "minikctl" yet/);
    const bad = run(['trace', 'flurb/x'], { home, env: INSTANT });
    expect(bad.stderr).toBe('error: the server doesn\'t have a resource type "flurb"\n');
    expect(bad.code).toBe(1);
  });

  it('--trace on a read shows kubectl\'s GET with authentication and authorization; -v=6 still logs the requests', () => {
    const home = freshHome();
    run(['create', 'configmap', 'cm', '--from-literal=a=b'], { home, env: INSTANT });
    const r = run(['get', 'cm', 'cm', '-o', 'name', '--trace'], { home, env: INSTANT });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('configmap/cm\n\nTrace');
    const get = steps(r.stdout).find((b) => b.includes('kubectl → kube-apiserver: GET /api/v1/namespaces/default/configmaps/cm → 200 OK'));
    expect(get).toContain('- authorization: get configmaps in namespace "default": RBAC: allowed by');
    const v6 = run(['create', 'configmap', 'cm2', '-v=6'], { home, env: INSTANT });
    expect(v6.stderr).toMatch(/round_trippers\.go:553\] POST https:\/\/127\.0\.0\.1:6443\/api\/v1\/namespaces\/default\/configmaps 201 Created in 0 milliseconds/);
  });
});
