// apply and create as a kubectl user sees them: exact stdout, stderr and exit code.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, freshHome, type RunResult } from './helpers.js';

const DEPLOY = join(__dirname, '..', '..', 'fixtures', 'my-app-deployment.yaml');
const cm = (name: string, extra = '') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${extra}`;

function write(dir: string, name: string, text: string): string {
  const p = join(dir, name);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, text);
  return p;
}

function ok(r: RunResult): RunResult {
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r;
}

const names = (home: string, type = 'cm') => run(['get', type, '-o', 'name'], { home }).stdout;

describe('apply: where manifests come from', () => {
  it('a directory (only .yaml/.yml/.json, in name order), and -R for subdirectories', () => {
    const home = freshHome();
    const dir = join(home, 'm');
    write(dir, 'b.yaml', cm('b'));
    write(dir, 'a.json', JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } }));
    write(dir, 'c.yml', cm('c'));
    write(dir, 'notes.txt', 'not a manifest');
    write(dir, 'sub/d.yaml', cm('d'));
    expect(ok(run(['apply', '-f', dir], { home })).stdout).toBe('configmap/a created\nconfigmap/b created\nconfigmap/c created\n');
    expect(ok(run(['apply', '-R', '-f', dir], { home })).stdout).toBe('configmap/a unchanged\nconfigmap/b unchanged\nconfigmap/c unchanged\nconfigmap/d created\n');
  });

  it('stdin, several -f, JSON, and a v1 List', () => {
    const home = freshHome();
    expect(ok(run(['apply', '-f', '-'], { home, input: cm('from-stdin') })).stdout).toBe('configmap/from-stdin created\n');
    const one = write(home, 'one.yaml', cm('one'));
    const two = write(home, 'two.json', JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'two' }, stringData: { k: 'v' } }));
    expect(ok(run(['apply', '-f', one, '-f', two], { home })).stdout).toBe('configmap/one created\nsecret/two created\n');
    const list = { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'l1' } }, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'l2' }, spec: { ports: [{ port: 80 }] } }] };
    expect(ok(run(['apply', '-f', write(home, 'list.json', JSON.stringify(list))], { home })).stdout).toBe('configmap/l1 created\nservice/l2 created\n');
    // the List itself is not stored: its items are
    expect(names(home)).toBe('configmap/from-stdin\nconfigmap/kube-root-ca.crt\nconfigmap/l1\nconfigmap/one\n');
  });

  it('applies the good documents of a multi-document file and reports the bad one (exit 1)', () => {
    const home = freshHome();
    const p = write(home, 'multi.yaml', `${cm('good1')}---\n${cm('Bad_Name')}---\n${cm('good2')}`);
    const r = run(['apply', '-f', p], { home });
    expect(r.stdout).toBe('configmap/good1 created\nconfigmap/good2 created\n');
    expect(r.stderr).toBe(
      'The ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')\n',
    );
    expect(r.code).toBe(1);
    expect(names(home)).toBe('configmap/good1\nconfigmap/good2\nconfigmap/kube-root-ca.crt\n');
  });

  it('refuses no -f at all', () => {
    expect(run(['apply'])).toMatchObject({ stdout: '', stderr: 'error: must specify one of -f and -k\n', code: 1 });
  });
});

describe('apply: what changed', () => {
  it('created, unchanged, configured', () => {
    const home = freshHome();
    const p = write(home, 'cm.yaml', cm('c', 'data:\n  k: v1\n'));
    expect(ok(run(['apply', '-f', p], { home })).stdout).toBe('configmap/c created\n');
    expect(ok(run(['apply', '-f', p], { home })).stdout).toBe('configmap/c unchanged\n');
    write(home, 'cm.yaml', cm('c', 'data:\n  k: v2\n'));
    expect(ok(run(['apply', '-f', p], { home })).stdout).toBe('configmap/c configured\n');
    expect(run(['get', 'cm', 'c', '-o', 'jsonpath={.data.k}'], { home }).stdout).toBe('v2');
  });

  it('--dry-run=client and =server store nothing and say so', () => {
    const home = freshHome();
    const p = write(home, 'cm.yaml', cm('c', 'data:\n  k: v1\n'));
    expect(ok(run(['apply', '-f', p, '--dry-run=client'], { home })).stdout).toBe('configmap/c created (dry run)\n');
    expect(ok(run(['apply', '-f', p, '--dry-run=server'], { home })).stdout).toBe('configmap/c created (server dry run)\n');
    expect(run(['get', 'cm', 'c'], { home })).toMatchObject({ stderr: 'Error from server (NotFound): configmaps "c" not found\n', code: 1 });
    ok(run(['apply', '-f', p], { home }));
    write(home, 'cm.yaml', cm('c', 'data:\n  k: v2\n'));
    expect(ok(run(['apply', '-f', p, '--dry-run=server'], { home })).stdout).toBe('configmap/c configured (server dry run)\n');
    expect(ok(run(['apply', '-f', p, '--dry-run=client'], { home })).stdout).toBe('configmap/c configured (dry run)\n');
    expect(run(['get', 'cm', 'c', '-o', 'jsonpath={.data.k}'], { home }).stdout).toBe('v1');
    // --dry-run=server answers with what the server would store
    expect(ok(run(['apply', '-f', p, '--dry-run=server', '-o', 'jsonpath={.data.k}'], { home })).stdout).toBe('v2');
    expect(run(['apply', '-f', p, '--dry-run=bogus'], { home })).toMatchObject({ stderr: 'error: Invalid dry-run value (bogus). Must be "none", "server", or "client".\n', code: 1 });
  });

  it('-o yaml prints the applied object bare; -o name its name', () => {
    const home = freshHome();
    const p = write(home, 'cm.yaml', cm('c', 'data:\n  k: v1\n'));
    const y = ok(run(['apply', '-f', p, '-o', 'yaml'], { home })).stdout;
    expect(y).toMatch(/^apiVersion: v1\ndata:\n  k: v1\nkind: ConfigMap\nmetadata:\n  annotations:\n    kubectl.kubernetes.io\/last-applied-configuration: \|\n      \{"apiVersion":"v1","data":\{"k":"v1"\},"kind":"ConfigMap","metadata":\{"annotations":\{\},"name":"c","namespace":"default"\}\}\n/);
    expect(y).toContain('  resourceVersion: "');
    expect(ok(run(['apply', '-f', p, '-o', 'name'], { home })).stdout).toBe('configmap/c\n');
    const two = write(home, 'two.yaml', `${cm('c')}---\n${cm('d')}`);
    expect(ok(run(['apply', '-f', two, '-o', 'name'], { home })).stdout).toBe('configmap/c\nconfigmap/d\n');
  });

  it('refuses a namespace in the file that differs from -n', () => {
    const home = freshHome();
    const p = write(home, 'cm.yaml', cm('c', '  namespace: foo\n'));
    const r = run(['apply', '-f', p, '-n', 'bar'], { home });
    expect(r).toMatchObject({ stdout: '', stderr: 'error: the namespace from the provided object "foo" does not match the namespace "bar". You must pass \'--namespace=foo\' to perform this operation.\n', code: 1 });
    // -n names the namespace of objects that do not name one
    ok(run(['create', 'ns', 'bar'], { home }));
    expect(ok(run(['apply', '-f', write(home, 'plain.yaml', cm('p')), '-n', 'bar'], { home })).stdout).toBe('configmap/p created\n');
    expect(run(['get', 'cm', 'p', '-n', 'bar', '-o', 'name'], { home }).stdout).toBe('configmap/p\n');
  });
});

describe('apply --server-side', () => {
  it('applies, reports a conflict with another manager, and takes the field over with --force-conflicts', () => {
    const home = freshHome();
    const p = write(home, 'cm.yaml', cm('c', 'data:\n  k: v1\n'));
    expect(ok(run(['apply', '--server-side', '-f', p], { home })).stdout).toBe('configmap/c serverside-applied\n');
    expect(ok(run(['apply', '--server-side', '-f', p], { home })).stdout).toBe('configmap/c serverside-applied\n');
    // another manager changes the field
    expect(ok(run(['patch', 'cm', 'c', '-p', '{"data":{"k":"v2"}}'], { home })).stdout).toBe('configmap/c patched\n');
    const r = run(['apply', '--server-side', '-f', p], { home });
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'error: Apply failed with 1 conflict: conflict with "kubectl-patch" using v1: .data.k\n' +
        'Please review the fields above--they currently have other managers. Here\n' +
        'are the ways you can resolve this warning:\n' +
        '* If you intend to manage all of these fields, please re-run the apply\n' +
        '  command with the `--force-conflicts` flag.\n' +
        '* If you do not intend to manage all of the fields, please edit your\n' +
        '  manifest to remove references to the fields that should keep their\n' +
        '  current managers.\n' +
        "* You may co-own fields by updating your manifest to match the existing\n" +
        "  value; in this case, you'll become the manager if the other manager(s)\n" +
        '  stop managing the field (remove it from their configuration).\n' +
        'See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts\n',
    );
    expect(r.code).toBe(1);
    expect(run(['get', 'cm', 'c', '-o', 'jsonpath={.data.k}'], { home }).stdout).toBe('v2');
    expect(ok(run(['apply', '--server-side', '--force-conflicts', '-f', p], { home })).stdout).toBe('configmap/c serverside-applied\n');
    expect(run(['get', 'cm', 'c', '-o', 'jsonpath={.data.k}'], { home }).stdout).toBe('v1');
  });

  it('--dry-run=server stores nothing; --dry-run=client is refused', () => {
    const home = freshHome();
    const p = write(home, 'cm.yaml', cm('c'));
    expect(ok(run(['apply', '--server-side', '--dry-run=server', '-f', p], { home })).stdout).toBe('configmap/c serverside-applied (server dry run)\n');
    expect(run(['get', 'cm', 'c'], { home }).code).toBe(1);
    const r = run(['apply', '--server-side', '--dry-run=client', '-f', p], { home });
    expect(r).toMatchObject({ stdout: '', stderr: "error: --dry-run=client doesn't work with --server-side (did you mean --dry-run=server instead?)\n", code: 1 });
  });

  // The live ports item is keyed {containerPort,protocol} once defaulted; the applied one must key the
  // same way (protocol's schema default), or a second applier of the same manifest would conflict.
  it('a second applier of the same values shares the fields without a conflict', () => {
    const home = freshHome();
    ok(run(['apply', '--server-side', '-f', DEPLOY], { home }));
    const r = run(['apply', '--server-side', '--field-manager=other', '-f', DEPLOY], { home });
    expect(r).toMatchObject({ stdout: 'deployment.apps/my-app serverside-applied\n', stderr: '', code: 0 });
  });
});

describe('create', () => {
  it('create -f: created, then AlreadyExists in err-e409a.txt\'s shape', () => {
    const home = freshHome();
    const p = write(home, 'deploy.yaml', readFileSync(DEPLOY, 'utf8'));
    expect(ok(run(['create', '-f', p], { home })).stdout).toBe('deployment.apps/my-app created\n');
    const r = run(['create', '-f', p], { home });
    expect(r).toMatchObject({ stdout: '', stderr: `Error from server (AlreadyExists): error when creating "${p}": deployments.apps "my-app" already exists\n`, code: 1 });
  });

  it('create -f with several objects creates the rest and reports each failure', () => {
    const home = freshHome();
    ok(run(['create', 'configmap', 'b'], { home }));
    const p = write(home, 'three.yaml', `${cm('a')}---\n${cm('b')}---\n${cm('c')}`);
    const r = run(['create', '-f', p, '-o', 'name'], { home });
    expect(r.stdout).toBe('configmap/a\nconfigmap/c\n');
    expect(r.stderr).toBe(`Error from server (AlreadyExists): error when creating "${p}": configmaps "b" already exists\n`);
    expect(r.code).toBe(1);
  });

  it('create <generator> AlreadyExists in err-e409b.txt\'s shape', () => {
    const home = freshHome();
    ok(run(['create', 'deployment', 'web-app', '--image=nginx'], { home }));
    const r = run(['create', 'deployment', 'web-app', '--image=nginx'], { home });
    expect(r).toMatchObject({ stdout: '', stderr: 'error: failed to create deployment: deployments.apps "web-app" already exists\n', code: 1 });
  });

  it('create -f --dry-run stores nothing', () => {
    const home = freshHome();
    const p = write(home, 'cm.yaml', cm('c'));
    expect(ok(run(['create', '-f', p, '--dry-run=client'], { home })).stdout).toBe('configmap/c created (dry run)\n');
    expect(ok(run(['create', '-f', '-', '--dry-run=server'], { home, input: cm('c') })).stdout).toBe('configmap/c created (server dry run)\n');
    expect(ok(run(['create', '-f', p, '--dry-run=client', '-o', 'yaml'], { home })).stdout).toBe('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: default\n');
    expect(run(['get', 'cm', 'c'], { home }).code).toBe(1);
  });
});

const hasKubectl = spawnSync('kubectl', ['version', '--client']).status === 0;

describe.skipIf(!hasKubectl)('create <generator> --dry-run=client -o yaml equals real kubectl (needs kubectl)', () => {
  const cases: string[][] = [
    ['deployment', 'web', '--image=nginx', '--replicas=3', '--port=80'],
    ['service', 'clusterip', 'svc', '--tcp=80:8080,443'],
    ['configmap', 'cfg', '--from-literal=a=1', '--from-literal=b=two'],
    ['secret', 'generic', 's', '--from-literal=password=hunter2'],
    ['job', 'j', '--image=busybox'],
    ['cronjob', 'cj', '--image=busybox', '--schedule=*/5 * * * *'],
    ['clusterrole', 'cr', '--verb=get', '--non-resource-url=/healthz'],
    ['rolebinding', 'rb', '--clusterrole=view', '--user=alice', '--serviceaccount=default:sa'],
    ['namespace', 'team'],
    ['ingress', 'ing', '--rule=example.com/path*=svc:80'],
    ['poddisruptionbudget', 'pdb', '--selector=app=web', '--min-available=1'],
  ];
  it.each(cases.map((c) => [c.join(' '), c]))('create %s', (_label, args) => {
    const home = freshHome();
    for (const out of ['yaml', 'json']) {
      // (create role and create job -- CMD need a server for discovery or put flags after "--": not here)
      const argv = ['create', ...(args as string[]), '--dry-run=client', '-o', out];
      const real = spawnSync('kubectl', argv, { encoding: 'utf8', env: { ...process.env, KUBECONFIG: '/dev/null' } });
      const ours = run(argv, { home });
      expect({ stdout: ours.stdout, code: ours.code }).toEqual({ stdout: real.stdout, code: real.status });
    }
  });
});
