// version, api-resources, api-versions, cluster-info, config, auth and completion, driven as a
// user drives them. Where real kubectl can answer offline (config on a scratch kubeconfig,
// version --client, completion errors) it is the oracle.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { run, freshHome, BIN } from './helpers.js';

const hasKubectl = spawnSync('kubectl', ['version', '--client']).status === 0;
const hasBash = spawnSync('bash', ['--version']).status === 0;
const hasScript = spawnSync('script', ['--version']).status === 0;

describe('version', () => {
  it('prints the client version without opening the cluster', () => {
    const r = run(['version', '--client']);
    expect(r).toMatchObject({ stdout: 'Client Version: v1.32.4-minikctl\n', stderr: '', code: 0 });
    expect(existsSync(join(r.home, 'clusters'))).toBe(false);
  });

  it('prints kubectl’s JSON shape, and YAML followed by a blank line', () => {
    const j = run(['version', '--client', '-o', 'json']);
    const parsed = JSON.parse(j.stdout);
    expect(Object.keys(parsed)).toEqual(['clientVersion']);
    expect(Object.keys(parsed.clientVersion)).toEqual(['major', 'minor', 'gitVersion', 'gitCommit', 'gitTreeState', 'buildDate', 'goVersion', 'compiler', 'platform']);
    expect(parsed.clientVersion).toMatchObject({ major: '1', minor: '32+', gitVersion: 'v1.32.4-minikctl' });
    expect(j.stdout.startsWith('{\n  "clientVersion": {\n    "major": "1",\n')).toBe(true);
    const y = run(['version', '--client', '-o', 'yaml']);
    expect(y.stdout.startsWith('clientVersion:\n  buildDate: ""\n')).toBe(true);
    expect(y.stdout).toContain('  major: "1"\n  minor: 32+\n');
    expect(y.stdout.endsWith('\n\n')).toBe(true);
  });

  it('asks the server too, and warns about the version skew as kubectl would', () => {
    const r = run(['version']);
    expect(r.stdout).toBe('Client Version: v1.32.4-minikctl\nServer Version: v1.36.0\n');
    expect(r.stderr).toBe('WARNING: version difference between client (1.32) and server (1.36) exceeds the supported minor version skew of +/-1\n');
    expect(r.code).toBe(0);
    const j = JSON.parse(run(['version', '-o', 'json'], { home: r.home }).stdout);
    expect(j.serverVersion).toMatchObject({ major: '1', minor: '36', gitVersion: 'v1.36.0' });
  });

  it('rejects other output formats with kubectl’s message', () => {
    expect(run(['version', '--client', '-o', 'wide'])).toMatchObject({ stdout: '', stderr: "error: --output must be 'yaml' or 'json'\n", code: 1 });
  });

  it('fails like kubectl when the context does not exist', () => {
    const r = run(['version', '--context', 'nope']);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('error: context "nope" does not exist\n');
    expect(r.code).toBe(1);
  });
});

describe('api-versions and api-resources', () => {
  it('lists group versions in plain string order, core v1 last', () => {
    const r = run(['api-versions']);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toEqual([...lines].sort());
    expect(lines.at(-1)).toBe('v1');
    expect(lines).toContain('apps/v1');
    expect(lines).toContain('rbac.authorization.k8s.io/v1');
    expect(r.code).toBe(0);
  });

  it('prints the discovery table sorted by group, then name', () => {
    const r = run(['api-resources']);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^NAME +SHORTNAMES +APIVERSION +NAMESPACED +KIND$/);
    expect(lines[1]).toMatch(/^bindings +v1 +true +Binding$/);
    expect(lines).toContainEqual(expect.stringMatching(/^pods +po +v1 +true +Pod$/));
    expect(lines).toContainEqual(expect.stringMatching(/^deployments +deploy +apps\/v1 +true +Deployment$/));
    // the column starts line up (tabwriter, padding 3)
    const kindAt = lines[0].indexOf('KIND');
    expect(lines[1].indexOf('Binding')).toBe(kindAt);
    const core = lines.findIndex((l) => l.startsWith('services '));
    const apps = lines.findIndex((l) => l.startsWith('controllerrevisions '));
    expect(core).toBeLessThan(apps);
  });

  it('filters by group, scope and verbs, and prints names', () => {
    expect(run(['api-resources', '--api-group=apps', '-o', 'name']).stdout).toBe(
      'controllerrevisions.apps\ndaemonsets.apps\ndeployments.apps\nreplicasets.apps\nstatefulsets.apps\n',
    );
    const cluster = run(['api-resources', '--namespaced=false', '--no-headers', '-o', 'name']).stdout.split('\n');
    expect(cluster).toContain('nodes');
    expect(cluster).not.toContain('pods');
    const listable = run(['api-resources', '--verbs=list', '-o', 'name']).stdout.split('\n');
    expect(listable).toContain('pods');
    expect(listable).not.toContain('bindings');
    expect(listable).not.toContain('tokenreviews.authentication.k8s.io');
  });

  it('sorts by kind and prints VERBS and CATEGORIES when wide', () => {
    const byKind = run(['api-resources', '--sort-by=kind', '--no-headers']).stdout.trimEnd().split('\n');
    const kinds = byKind.map((l) => l.trim().split(/ +/).at(-1)!);
    expect(kinds).toEqual([...kinds].sort());
    const wide = run(['api-resources', '-o', 'wide']).stdout.split('\n');
    expect(wide[0]).toMatch(/ KIND +VERBS +CATEGORIES$/);
    expect(wide).toContainEqual(expect.stringMatching(/^pods +po +v1 +true +Pod +\[create delete deletecollection get list patch update watch\] +\[all\]$/));
  });

  it('rejects bad flags with kubectl’s messages', () => {
    expect(run(['api-resources', '--sort-by=age'])).toMatchObject({ stderr: 'error: --sort-by accepts only name or kind\n', code: 1 });
    expect(run(['api-resources', '-o', 'json'])).toMatchObject({ stderr: 'error: --output wide or name is accepted\n', code: 1 });
  });
});

describe('cluster-info', () => {
  it('prints the control plane address without colour when not on a terminal', () => {
    const r = run(['cluster-info']);
    // a new cluster runs CoreDNS behind the kube-dns service, labelled as a cluster service (as kind's does)
    expect(r.stdout).toBe(
      'Kubernetes control plane is running at https://127.0.0.1:6443\n' +
        'CoreDNS is running at https://127.0.0.1:6443/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n' +
        "\nTo further debug and diagnose cluster problems, use 'minikctl cluster-info dump'.\n",
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('cluster-info with cluster services', () => {
  it('lists kube-system services labelled kubernetes.io/cluster-service=true by their kubernetes.io/name', () => {
    const home = freshHome();
    // kube-dns (CoreDNS) comes with the cluster; add another cluster service, and one not labelled as such
    const svc = `apiVersion: v1
kind: Service
metadata:
  name: metrics-server
  namespace: kube-system
  labels: {k8s-app: metrics-server, kubernetes.io/cluster-service: "true", kubernetes.io/name: Metrics-server}
spec:
  selector: {k8s-app: metrics-server}
  ports:
  - {name: https, port: 443, protocol: TCP, targetPort: 4443}
---
apiVersion: v1
kind: Service
metadata:
  name: internal
  namespace: kube-system
  labels: {kubernetes.io/name: Internal}
spec:
  ports:
  - {name: http, port: 80}
`;
    expect(run(['apply', '-f', '-'], { home, input: svc }).code).toBe(0);
    expect(run(['cluster-info'], { home }).stdout).toBe(
      'Kubernetes control plane is running at https://127.0.0.1:6443\n' +
        'CoreDNS is running at https://127.0.0.1:6443/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n' +
        // a port named https is proxied over https (as a real cluster prints metrics-server)
        'Metrics-server is running at https://127.0.0.1:6443/api/v1/namespaces/kube-system/services/https:metrics-server:https/proxy\n' +
        "\nTo further debug and diagnose cluster problems, use 'minikctl cluster-info dump'.\n",
    );
  });
});

describe.skipIf(!hasScript)('cluster-info on a terminal (needs util-linux script)', () => {
  it('colours names green and addresses yellow with kubectl’s escape sequences', () => {
    const home = freshHome();
    const r = spawnSync('script', ['-qec', `"${process.execPath}" "${BIN}" cluster-info`, '/dev/null'], {
      encoding: 'utf8',
      env: { ...process.env, MINIKCTL_HOME: home },
    });
    expect(r.stdout.replaceAll('\r\n', '\n')).toBe(
      '\x1b[0;32mKubernetes control plane\x1b[0m is running at \x1b[0;33mhttps://127.0.0.1:6443\x1b[0m\n' +
        '\x1b[0;32mCoreDNS\x1b[0m is running at \x1b[0;33mhttps://127.0.0.1:6443/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\x1b[0m\n' +
        "\nTo further debug and diagnose cluster problems, use 'minikctl cluster-info dump'.\n",
    );
  });
});

describe('config on MINIKCTL_HOME', () => {
  it('shows the default config and its one context', () => {
    const home = freshHome();
    const view = run(['config', 'view'], { home });
    expect(view.stdout).toBe(
      [
        'apiVersion: v1',
        'clusters:',
        '- cluster:',
        '    server: minikctl://minikctl',
        '  name: minikctl',
        'contexts:',
        '- context:',
        '    cluster: minikctl',
        '    user: minikctl-admin',
        '  name: minikctl',
        'current-context: minikctl',
        'kind: Config',
        'preferences: {}',
        'users:',
        '- name: minikctl-admin',
        '  user:',
        '    groups:',
        '    - kubeadm:cluster-admins',
        '    username: kubernetes-admin',
        '',
      ].join('\n'),
    );
    expect(run(['config', 'get-contexts'], { home }).stdout).toBe(
      'CURRENT   NAME       CLUSTER    AUTHINFO         NAMESPACE\n*         minikctl   minikctl   minikctl-admin   \n',
    );
    expect(run(['config', 'current-context'], { home }).stdout).toBe('minikctl\n');
  });

  it('switches the namespace of the current context, which later commands use', () => {
    const home = freshHome();
    expect(run(['config', 'set-context', '--current', '--namespace=foo'], { home })).toMatchObject({ stdout: 'Context "minikctl" modified.\n', stderr: '', code: 0 });
    expect(run(['config', 'view', '--minify', '-o', 'jsonpath={..namespace}'], { home }).stdout).toBe('foo');
    const get = run(['get', 'pods'], { home });
    expect(get.stderr).toBe('No resources found in foo namespace.\n');
  });

  it('creates, switches, renames and deletes contexts with kubectl’s messages', () => {
    const home = freshHome();
    expect(run(['config', 'set-context', 'dev', '--cluster=minikctl', '--user=minikctl-admin', '--namespace=dev'], { home }).stdout).toBe('Context "dev" created.\n');
    expect(run(['config', 'use-context', 'nope'], { home })).toMatchObject({ stdout: '', stderr: 'error: no context exists with the name: "nope"\n', code: 1 });
    expect(run(['config', 'use-context', 'dev'], { home })).toMatchObject({ stdout: 'Switched to context "dev".\n', code: 0 });
    expect(run(['config', 'get-contexts', '-o', 'name'], { home }).stdout).toBe('dev\nminikctl\n');
    expect(run(['config', 'rename-context', 'dev', 'prod'], { home }).stdout).toBe('Context "dev" renamed to "prod".\n');
    expect(run(['config', 'current-context'], { home }).stdout).toBe('prod\n');
    const del = run(['config', 'delete-context', 'prod'], { home });
    expect(del.stdout).toBe(`deleted context prod from ${join(home, 'config')}\n`);
    expect(del.stderr).toBe('warning: this removed your active context, use "minikctl config use-context" to select a different one\n');
    expect(run(['config', 'delete-context', 'prod'], { home })).toMatchObject({ stderr: `error: cannot delete context prod, not in ${join(home, 'config')}\n`, code: 1 });
  });

  it('adds users that --user can select, and reports who they are', () => {
    const home = freshHome();
    expect(run(['config', 'set-credentials', 'bob', '--username=bob'], { home }).stdout).toBe('User "bob" set.\n');
    expect(run(['config', 'get-users'], { home }).stdout).toBe('NAME\nbob\nminikctl-admin\n');
    const who = run(['auth', 'whoami', '--user', 'bob'], { home });
    expect(who.stdout).toBe('ATTRIBUTE   VALUE\nUsername    bob\nGroups      [system:authenticated]\n');
    expect(run(['auth', 'can-i', 'list', 'pods', '--user', 'bob'], { home })).toMatchObject({ stdout: 'no\n', code: 1 });
  });

  it('sets and unsets single properties', () => {
    const home = freshHome();
    expect(run(['config', 'set', 'contexts.minikctl.namespace', 'kube-system'], { home }).stdout).toBe('Property "contexts.minikctl.namespace" set.\n');
    expect(run(['config', 'get-contexts', '--no-headers'], { home }).stdout).toBe('*     minikctl   minikctl   minikctl-admin   kube-system\n');
    expect(run(['config', 'unset', 'contexts.minikctl.namespace'], { home }).stdout).toBe('Property "contexts.minikctl.namespace" unset.\n');
    expect(run(['config', 'unset', 'contexts.zz.namespace'], { home })).toMatchObject({ stderr: 'error: current map key `zz` is invalid\n', code: 1 });
    expect(run(['config', 'set', 'foo.bar', 'x'], { home })).toMatchObject({ stderr: 'error: unable to parse foo.bar after [] at api.Config\n', code: 1 });
    expect(run(['config', 'bogus'], { home })).toMatchObject({ stderr: 'error: unknown command "bogus"\nSee \'minikctl config -h\' for help and examples\n', code: 1 });
  });
});

describe.skipIf(!hasKubectl)('config on a scratch kubeconfig, compared with real kubectl (needs kubectl)', () => {
  // Each step runs on both tools, each with its own file; messages name the tool and the file.
  const steps: string[][] = [
    ['config', 'view'],
    ['config', 'current-context'],
    ['config', 'set-context', '--current', '--namespace=foo'],
    ['config', 'set-cluster', 'c1', '--server=https://1.2.3.4'],
    ['config', 'set-credentials', 'u1', '--username=bob', '--password=secret'],
    ['config', 'set-credentials', 'u2', '--token=abc'],
    ['config', 'set-context', 'ctx1', '--cluster=c1', '--user=u1'],
    ['config', 'set-context', 'ctx1', '--namespace=bar'],
    ['config', 'use-context', 'nope'],
    ['config', 'use-context', 'ctx1'],
    ['config', 'set-context', 'ctx2', '--cluster=c1', '--user=u2'],
    ['config', 'get-contexts'],
    ['config', 'get-contexts', '--no-headers'],
    ['config', 'get-contexts', 'ctx2'],
    ['config', 'get-contexts', 'nope'],
    ['config', 'get-users'],
    ['config', 'get-clusters'],
    ['config', 'view'],
    ['config', 'view', '--minify'],
    ['config', 'view', '-o', 'json'],
    ['config', 'view', '--raw'],
    ['config', 'view', '-o', 'jsonpath={.users[*].name}'],
    ['config', 'view', '-o', 'name'],
    ['config', 'view', '-o', 'wide'],
    ['config', 'get-contexts', '-o', 'wide'],
    ['config', 'set-context', 'ctx1', '--namespace='],
    ['config', 'set', 'users.u1.token', 't'],
    ['config', 'view', '-o', 'json', '--minify'],
    ['config', 'rename-context', 'ctx2', 'ctx3'],
    ['config', 'rename-context', 'zz', 'ctx3'],
    ['config', 'rename-context', 'ctx1', 'ctx3'],
    ['config', 'set', 'contexts.ctx3.namespace', 'baz'],
    ['config', 'set', 'clusters.c2.insecure-skip-tls-verify', 'true'],
    ['config', 'unset', 'contexts.ctx3.namespace'],
    ['config', 'unset', 'contexts.zz.namespace'],
    ['config', 'delete-context', 'ctx1'],
    ['config', 'delete-context', 'ctx1'],
    ['config', 'delete-cluster', 'c2'],
    ['config', 'delete-user', 'nobody'],
    ['config', 'set-context', 'x', '--current'],
    ['config', 'set-context'],
    ['config', 'unset', 'current-context'],
    ['config', 'current-context'],
    ['config', 'view', '--minify'],
    ['config', 'unset', 'users.u1'],
    ['config', 'view', '--minify', '--context=ctx3'],
    ['config', 'set-credentials', 'u4', '--token=x', '--username=y'],
  ];

  it('gives the same stdout, stderr, exit code and file at every step', () => {
    const dir = mkdtempSync(join(tmpdir(), 'minikctl-kc-'));
    const kFile = join(dir, 'kubectl-config');
    const mFile = join(dir, 'minikctl-config');
    const home = freshHome();
    for (const step of steps) {
      const k = spawnSync('kubectl', [...step, '--kubeconfig', kFile], { encoding: 'utf8' });
      const m = run([...step, '--kubeconfig', mFile], { home });
      const norm = (s: string) => s.replaceAll(kFile, 'FILE').replaceAll(mFile, 'FILE').replaceAll('kubectl', 'minikctl');
      expect({ step, out: norm(m.stdout), err: norm(m.stderr), code: m.code }).toEqual({ step, out: norm(k.stdout), err: norm(k.stderr), code: k.status });
      if (existsSync(kFile)) expect({ step, file: readFileSync(mFile, 'utf8') }).toEqual({ step, file: readFileSync(kFile, 'utf8') });
    }
  });
});

describe('auth can-i and whoami', () => {
  it('answers yes for the admin and no for an impersonated stranger, with kubectl’s exit codes', () => {
    const home = freshHome();
    expect(run(['auth', 'can-i', 'create', 'deployments.apps'], { home })).toMatchObject({ stdout: 'yes\n', stderr: '', code: 0 });
    expect(run(['auth', 'can-i', 'create', 'pods', '--as', 'bob'], { home })).toMatchObject({ stdout: 'no\n', stderr: '', code: 1 });
    expect(run(['auth', 'can-i', 'delete', 'pods', '--as', 'bob', '-q'], { home })).toMatchObject({ stdout: '', code: 1 });
    expect(run(['auth', 'can-i', 'get', '/healthz', '--as', 'bob'], { home })).toMatchObject({ stdout: 'yes\n', code: 0 });
  });

  it('follows a RoleBinding in its namespace only, and resource names', () => {
    const home = freshHome();
    const rbac = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pod-reader, namespace: default}
rules:
- apiGroups: [""]
  resources: [pods, pods/log]
  verbs: [get, list]
- apiGroups: [""]
  resources: [configmaps]
  resourceNames: [app-config]
  verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: bob-reads, namespace: default}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-reader}
subjects:
- {kind: User, name: bob, apiGroup: rbac.authorization.k8s.io}
`;
    const applied = run(['apply', '-f', '-'], { home, input: rbac });
    expect(applied.code).toBe(0);
    expect(run(['auth', 'can-i', 'list', 'pods', '--as', 'bob'], { home }).stdout).toBe('yes\n');
    expect(run(['auth', 'can-i', 'list', 'pods', '--as', 'bob', '-n', 'kube-system'], { home }).stdout).toBe('no\n');
    expect(run(['auth', 'can-i', 'list', 'pods', '--as', 'bob', '-A'], { home }).stdout).toBe('no\n');
    expect(run(['auth', 'can-i', 'get', 'pods', '--subresource=log', '--as', 'bob'], { home }).stdout).toBe('yes\n');
    expect(run(['auth', 'can-i', 'get', 'pods', '--subresource=exec', '--as', 'bob'], { home }).stdout).toBe('no\n');
    expect(run(['auth', 'can-i', 'get', 'configmaps/app-config', '--as', 'bob'], { home }).stdout).toBe('yes\n');
    expect(run(['auth', 'can-i', 'get', 'configmaps/other', '--as', 'bob'], { home }).stdout).toBe('no\n');
    const list = run(['auth', 'can-i', '--list', '--as', 'bob'], { home });
    const lines = list.stdout.split('\n');
    expect(lines[0]).toMatch(/^Resources +Non-Resource URLs +Resource Names +Verbs$/);
    expect(lines).toContainEqual(expect.stringMatching(/^pods\/log +\[\] +\[\] +\[get list\]$/));
    expect(lines).toContainEqual(expect.stringMatching(/^pods +\[\] +\[\] +\[get list\]$/));
    expect(lines).toContainEqual(expect.stringMatching(/^configmaps +\[\] +\[app-config\] +\[get\]$/));
    expect(lines).toContainEqual(expect.stringMatching(/^selfsubjectaccessreviews\.authorization\.k8s\.io +\[\] +\[\] +\[create\]$/));
    // rows sort by Go's PolicyRule String(), i.e. by verbs first
    expect(lines.findIndex((l) => l.includes('[create]'))).toBeLessThan(lines.findIndex((l) => l.includes('[get list]')));
  });

  it('lists everything for the admin with the [*] rows first', () => {
    const r = run(['auth', 'can-i', '--list']);
    const lines = r.stdout.split('\n');
    expect(lines[1]).toMatch(/^\*\.\* +\[\] +\[\] +\[\*\]$/);
    expect(lines[2]).toMatch(/^ +\[\*\] +\[\] +\[\*\]$/);
  });

  it('warns about unknown resources and cluster-scoped ones, with kubectl’s blank line', () => {
    const home = freshHome();
    expect(run(['auth', 'can-i', 'get', 'foo', '--as', 'bob'], { home })).toMatchObject({
      stdout: 'no\n',
      stderr: "Warning: the server doesn't have a resource type 'foo'\n\n",
      code: 1,
    });
    expect(run(['auth', 'can-i', 'list', 'nodes'], { home })).toMatchObject({ stdout: 'yes\n', stderr: "Warning: resource 'nodes' is not namespace scoped\n\n", code: 0 });
    expect(run(['auth', 'can-i', 'list', 'nodes', '-A'], { home }).stderr).toBe('');
  });

  it('rejects wrong arguments', () => {
    expect(run(['auth', 'can-i', 'get'])).toMatchObject({
      stderr: "error: you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'minikctl auth can-i -h' for help and examples.\n",
      code: 1,
    });
    expect(run(['auth', 'can-i', '--list', '-A'])).toMatchObject({ stderr: "error: list option can't be specified with neither quiet, all-namespaces nor subresource options\n", code: 1 });
  });

  it('whoami shows the impersonated user; impersonating needs permission', () => {
    const home = freshHome();
    expect(run(['auth', 'whoami'], { home }).stdout).toBe('ATTRIBUTE   VALUE\nUsername    kubernetes-admin\nGroups      [kubeadm:cluster-admins system:authenticated]\n');
    const j = JSON.parse(run(['auth', 'whoami', '--as', 'jane', '-o', 'json'], { home }).stdout);
    expect(j).toEqual({ kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1', metadata: { creationTimestamp: null }, status: { userInfo: { username: 'jane', groups: ['system:authenticated'] } } });
    run(['config', 'set-credentials', 'bob', '--username=bob'], { home });
    expect(run(['auth', 'can-i', 'get', 'pods', '--user', 'bob', '--as', 'jane'], { home })).toMatchObject({
      stdout: '',
      stderr: 'Error from server (Forbidden): users "jane" is forbidden: User "bob" cannot impersonate resource "users" in API group "" at the cluster scope\n',
      code: 1,
    });
  });
});

describe('completion', () => {
  it('refuses unknown shells and missing arguments like kubectl', () => {
    expect(run(['completion', 'tcsh'])).toMatchObject({ stdout: '', stderr: "error: Unsupported shell type \"tcsh\".\nSee 'minikctl completion -h' for help and examples\n", code: 1 });
    expect(run(['completion'])).toMatchObject({ stderr: "error: Shell not specified.\nSee 'minikctl completion -h' for help and examples\n", code: 1 });
    expect(run(['completion', 'bash', 'zsh'])).toMatchObject({ stderr: "error: Too many arguments. Expected only the shell type.\nSee 'minikctl completion -h' for help and examples\n", code: 1 });
  });

  it('prints a script for each supported shell', () => {
    for (const shell of ['bash', 'zsh', 'fish', 'powershell']) {
      const r = run(['completion', shell]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('minikctl');
    }
  });

  it.skipIf(!hasBash)('completes verbs, resource types and object names in bash (needs bash)', () => {
    const home = freshHome();
    // a `minikctl` on the PATH, as the script calls it by name
    const binDir = mkdtempSync(join(tmpdir(), 'minikctl-bin-'));
    const shim = join(binDir, 'minikctl');
    writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
    chmodSync(shim, 0o755);
    const script = join(binDir, 'completion.bash');
    writeFileSync(script, run(['completion', 'bash'], { home }).stdout);
    const complete = (line: string) => {
      const words = line.split(' ');
      const r = spawnSync('bash', ['-c', `source "${script}"; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _minikctl; printf '%s\\n' "\${COMPREPLY[@]}"`], {
        encoding: 'utf8',
        env: { ...process.env, PATH: `${binDir}:${process.env.PATH}`, MINIKCTL_HOME: home },
      });
      expect(r.stderr).toBe('');
      return r.stdout.trim().split('\n');
    };
    expect(complete('minikctl ap')).toEqual(['api-resources', 'api-versions', 'apply']);
    expect(complete('minikctl get deploy')).toEqual(['deploy', 'deployments']);
    expect(complete('minikctl get ns kube-')).toEqual(['kube-node-lease', 'kube-public', 'kube-system']);
    expect(complete('minikctl -n default get svc ')).toEqual(['kubernetes']);
    expect(complete('minikctl config use-context ')).toEqual(['minikctl']);
  });
});
