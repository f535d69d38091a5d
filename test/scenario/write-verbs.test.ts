// The verbs that change objects (patch, replace, edit, label, annotate, delete, diff, run, expose),
// driven as a user drives them, with kubectl's exact words, streams and exit codes.
import { describe, expect, it } from 'vitest';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, freshHome } from './helpers.js';

function write(home: string, name: string, text: string): string {
  const p = join(home, name);
  writeFileSync(p, text);
  return p;
}

/** A tiny $EDITOR: a shell script run on the file kubectl-style edit hands it. */
function editor(home: string, name: string, body: string): string {
  const p = write(home, name, `#!/bin/sh\n${body}\n`);
  chmodSync(p, 0o755);
  return p;
}

const json = (home: string, args: string[]) => JSON.parse(run([...args, '-o', 'json'], { home }).stdout);

function ok(r: { stdout: string; stderr: string; code: number }, stdout: string): void {
  expect({ stdout: r.stdout, stderr: r.stderr, code: r.code }).toEqual({ stdout, stderr: '', code: 0 });
}

function fails(r: { stdout: string; stderr: string; code: number }, stderr: string, stdout = ''): void {
  expect({ stdout: r.stdout, stderr: r.stderr, code: r.code }).toEqual({ stdout, stderr, code: 1 });
}

const POD_PATCH = '{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"busybox"}]}}}}';

describe('patch', () => {
  const home = freshHome();
  // Manual time: the controllers' status writes happen within each command and no pod progresses
  // between commands, so a resourceVersion read before a command still holds after a no-op.
  run(['create', 'deployment', 'web', '--image=nginx', '--replicas=2'], { home, env: { MINIKCTL_TIME: 'manual' } });

  it('merges containers by name with a strategic patch, and says when nothing changed', () => {
    ok(run(['patch', 'deployment', 'web', '-p', POD_PATCH], { home }), 'deployment.apps/web patched\n');
    const d = json(home, ['get', 'deploy', 'web']);
    expect(d.spec.template.spec.containers.map((c: any) => `${c.name}=${c.image}`)).toEqual(['sidecar=busybox', 'nginx=nginx']);
    ok(run(['patch', 'deployment', 'web', '-p', POD_PATCH], { home }), 'deployment.apps/web patched (no change)\n');
    expect(json(home, ['get', 'deploy', 'web']).metadata.resourceVersion).toBe(d.metadata.resourceVersion);
  });

  it('replaces whole lists with a merge patch', () => {
    ok(run(['patch', 'deploy/web', '--type', 'merge', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.27"}]}}}}'], { home }), 'deployment.apps/web patched\n');
    const d = json(home, ['get', 'deploy', 'web']);
    expect(d.spec.template.spec.containers.map((c: any) => `${c.name}=${c.image}`)).toEqual(['nginx=nginx:1.27']);
  });

  it('applies JSON patch add, replace and remove', () => {
    ok(run(['patch', 'deploy', 'web', '--type=json', '-p', '[{"op":"add","path":"/metadata/labels/tier","value":"fe"},{"op":"replace","path":"/spec/replicas","value":4}]'], { home }), 'deployment.apps/web patched\n');
    let d = json(home, ['get', 'deploy', 'web']);
    expect([d.metadata.labels.tier, d.spec.replicas]).toEqual(['fe', 4]);
    ok(run(['patch', 'deploy', 'web', '--type=json', '-p', '[{"op":"remove","path":"/metadata/labels/tier"}]'], { home }), 'deployment.apps/web patched\n');
    d = json(home, ['get', 'deploy', 'web']);
    expect(d.metadata.labels).toEqual({ app: 'web' });
  });

  it('fails a JSON patch whose test op does not hold, changing nothing', () => {
    const before = json(home, ['get', 'deploy', 'web']).metadata.resourceVersion;
    const r = run(['patch', 'deploy', 'web', '--type=json', '-p', '[{"op":"test","path":"/spec/replicas","value":9},{"op":"replace","path":"/spec/replicas","value":1}]'], { home });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toBe('');
    expect(json(home, ['get', 'deploy', 'web']).metadata.resourceVersion).toBe(before);
  });

  it('refuses bad input before talking to the server', () => {
    fails(run(['patch', 'deploy', 'web', '-p', '[1'], { home }), 'error: unable to parse "[1": yaml: line 1: did not find expected \',\' or \']\'\n');
    fails(run(['patch', 'deploy', 'web', '--type', 'foo', '-p', '{}'], { home }), 'error: --type must be one of [json merge strategic], not "foo"\n');
    fails(run(['patch', 'deploy', 'web', '--type', 'json', '-p', '{"a":1}'], { home }), 'error: json: cannot unmarshal object into Go value of type jsonpatch.Patch\n');
    fails(run(['patch', 'deploy', 'web'], { home }), 'error: must specify --patch or --patch-file containing the contents of the patch\n');
    fails(run(['patch', '-p', '{}'], { home }), "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n");
  });

  it('reports a missing object', () => {
    fails(run(['patch', 'deploy', 'nope', '-p', '{"spec":{"replicas":1}}'], { home }), 'Error from server (NotFound): deployments.apps "nope" not found\n');
  });

  it('leaves the object as it was with --dry-run=server, and prints -o yaml', () => {
    const before = json(home, ['get', 'deploy', 'web']);
    ok(run(['patch', 'deploy', 'web', '-p', '{"spec":{"replicas":7}}', '--dry-run=server'], { home }), 'deployment.apps/web patched (server dry run)\n');
    expect(json(home, ['get', 'deploy', 'web'])).toEqual(before);
    const r = run(['patch', 'deploy', 'web', '-p', '{"spec":{"replicas":3}}', '-o', 'yaml'], { home });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^apiVersion: apps\/v1\nkind: Deployment\n/);
    expect(r.stdout).toContain('\n  replicas: 3\n');
  });

  it('patches the scale subresource', () => {
    ok(run(['patch', 'deploy', 'web', '--subresource=scale', '--type=merge', '-p', '{"spec":{"replicas":5}}'], { home }), 'deployment.apps/web patched\n');
    expect(json(home, ['get', 'deploy', 'web']).spec.replicas).toBe(5);
    ok(run(['patch', 'deploy', 'web', '--subresource=scale', '--type=merge', '-p', '{"spec":{"replicas":5}}'], { home }), 'deployment.apps/web patched (no change)\n');
  });
});

describe('replace', () => {
  it('replaces, refuses a stale resourceVersion as kubectl does, and reports a missing object through its file', () => {
    const home = freshHome();
    // manual time: nothing updates the deployment's status between the get and the first replace
    run(['create', 'deployment', 'web-app', '--image=nginx'], { home, env: { MINIKCTL_TIME: 'manual' } });
    const live = run(['get', 'deploy', 'web-app', '-o', 'yaml'], { home }).stdout;
    const file = write(home, 'stale.yaml', live.replace('replicas: 1', 'replicas: 2'));
    ok(run(['replace', '-f', file], { home }), 'deployment.apps/web-app replaced\n');
    expect(json(home, ['get', 'deploy', 'web-app']).spec.replicas).toBe(2);
    // The same file again carries the old resourceVersion (err-e409c.txt from a real cluster).
    const again = run(['replace', '-f', file], { home });
    const want = readFileSync('/work/shared/kubectl-wire/samples/kubectl-output/err-e409c.txt', 'utf8').trimEnd().replace('"stale.yaml"', JSON.stringify(file));
    fails(again, `${want}\n`);
    const missing = write(home, 'missing.yaml', live.replace(/name: web-app\n/, 'name: nope\n').replace(/  resourceVersion: .*\n/, ''));
    fails(run(['replace', '-f', missing], { home }), `Error from server (NotFound): error when replacing "${missing}": deployments.apps "nope" not found\n`);
  });

  it('deletes and re-creates with --force, and creates what is missing', () => {
    const home = freshHome();
    run(['create', 'configmap', 'cfg', '--from-literal=a=1'], { home });
    const before = json(home, ['get', 'cm', 'cfg']);
    const file = write(home, 'cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: "2"\n');
    ok(run(['replace', '--force', '-f', file], { home }), 'configmap "cfg" deleted\nconfigmap/cfg replaced\n');
    const after = json(home, ['get', 'cm', 'cfg']);
    expect(after.data).toEqual({ a: '2' });
    expect(after.metadata.uid).not.toBe(before.metadata.uid);
    run(['delete', 'cm', 'cfg'], { home });
    ok(run(['replace', '--force', '-f', file], { home }), 'configmap/cfg replaced\n');
  });

  it('needs a file', () => {
    fails(run(['replace']), 'error: must specify one of -f and -k\n');
  });
});

describe('edit', () => {
  it('sends what the editor changed', () => {
    const home = freshHome();
    run(['create', 'deployment', 'x', '--image=nginx'], { home });
    const ed = editor(home, 'ed.sh', 'sed -i "s/replicas: 1/replicas: 3/" "$1"');
    ok(run(['edit', 'deployment/x'], { home, env: { EDITOR: ed } }), 'deployment.apps/x edited\n');
    expect(json(home, ['get', 'deploy', 'x']).spec.replicas).toBe(3);
    // KUBE_EDITOR wins over EDITOR.
    const ed2 = editor(home, 'ed2.sh', 'sed -i "s/replicas: 3/replicas: 2/" "$1"');
    ok(run(['edit', 'deploy', 'x'], { home, env: { EDITOR: 'false', KUBE_EDITOR: ed2 } }), 'deployment.apps/x edited\n');
    expect(json(home, ['get', 'deploy', 'x']).spec.replicas).toBe(2);
  });

  it('shows the object with kubectl\'s header and without managedFields', () => {
    const home = freshHome();
    run(['create', 'configmap', 'c', '--from-literal=k=v'], { home });
    const seen = join(home, 'seen.yaml');
    const ed = editor(home, 'ed.sh', `cp "$1" ${seen}`);
    const r = run(['edit', 'cm', 'c'], { home, env: { EDITOR: ed } });
    expect({ stdout: r.stdout, stderr: r.stderr, code: r.code }).toEqual({ stdout: '', stderr: 'Edit cancelled, no changes made.\n', code: 0 });
    const text = readFileSync(seen, 'utf8');
    expect(text.startsWith("# Please edit the object below. Lines beginning with a '#' will be ignored,\n# and an empty file will abort the edit. If an error occurs while saving this file will be\n# reopened with the relevant failures.\n#\napiVersion: v1\ndata:\n  k: v\nkind: ConfigMap\n")).toBe(true);
    expect(text).not.toContain('managedFields');
  });

  it('cancels an empty file', () => {
    const home = freshHome();
    run(['create', 'configmap', 'c'], { home });
    const r = run(['edit', 'cm/c'], { home, env: { EDITOR: editor(home, 'e.sh', ': > "$1"') } });
    expect({ stdout: r.stdout, stderr: r.stderr, code: r.code }).toEqual({ stdout: '', stderr: 'Edit cancelled, saved file was empty.\n', code: 0 });
  });

  it('reopens an invalid edit with the reasons, and gives up when it is saved unchanged', () => {
    const home = freshHome();
    run(['create', 'deployment', 'x', '--image=nginx'], { home });
    const log = join(home, 'log.txt');
    const ed = editor(home, 'bad.sh', `cat "$1" >> ${log}; echo ==== >> ${log}; sed -i "s/replicas: 1/replicas: -1/" "$1"`);
    const r = run(['edit', 'deploy', 'x'], { home, env: { EDITOR: ed } });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const m = /^error: deployments\.apps "x" is invalid\nA copy of your changes has been stored to "([^"]+)"\nerror: Edit cancelled, no valid changes were saved\.\n$/.exec(r.stderr);
    expect(m, r.stderr).not.toBeNull();
    expect(readFileSync(m![1], 'utf8')).toContain('replicas: -1');
    const second = readFileSync(log, 'utf8').split('====\n')[1];
    expect(second).toContain('#\n# deployments.apps "x" was not valid:\n# * spec.replicas: Invalid value: -1: must be greater than or equal to 0\n#\napiVersion: apps/v1\n');
    expect(json(home, ['get', 'deploy', 'x']).spec.replicas).toBe(1);
  });

  it('reopens after a syntax error and takes the fixed file', () => {
    const home = freshHome();
    run(['create', 'configmap', 'c', '--from-literal=k=v'], { home });
    const flag = join(home, 'flag');
    // First save: broken YAML. Second save: a valid change.
    const ed = editor(home, 'ed.sh', `if [ -e ${flag} ]; then sed -i "s/^  k: v\\$/  k: w/; s/^  k: \\[\\$/  k: w/" "$1"; else touch ${flag}; sed -i "s/^  k: v\\$/  k: [/" "$1"; fi`);
    ok(run(['edit', 'cm', 'c'], { home, env: { EDITOR: ed } }), 'configmap/c edited\n');
    expect(json(home, ['get', 'cm', 'c']).data).toEqual({ k: 'w' });
  });

  it('refuses a changed name, and an editor that fails', () => {
    const home = freshHome();
    run(['create', 'configmap', 'c'], { home });
    const r = run(['edit', 'cm', 'c'], { home, env: { EDITOR: editor(home, 'ren.sh', 'sed -i "s/^  name: c$/  name: d/" "$1"') } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^A copy of your changes has been stored to ".*"\nerror: At least one of apiVersion, kind and name was changed\n$/);
    fails(run(['edit', 'cm', 'c'], { home, env: { EDITOR: 'false' } }), 'error: there was a problem with the editor "false"\n');
    fails(run(['edit', 'cm', 'nope'], { home, env: { EDITOR: 'true' } }), 'Error from server (NotFound): configmaps "nope" not found\n');
  });
});

describe('label and annotate', () => {
  const home = freshHome();
  for (const n of ['a', 'b', 'c']) run(['create', 'configmap', n], { home });
  const labels = (n: string) => json(home, ['get', 'cm', n]).metadata.labels;

  it('adds, refuses to overwrite without --overwrite (even with the same value), overwrites with it', () => {
    ok(run(['label', 'cm', 'a', 'env=prod'], { home }), 'configmap/a labeled\n');
    fails(run(['label', 'cm', 'a', 'env=dev'], { home }), "error: 'env' already has a value (prod), and --overwrite is false\n");
    fails(run(['label', 'cm', 'a', 'env=prod'], { home }), "error: 'env' already has a value (prod), and --overwrite is false\n");
    ok(run(['label', 'cm', 'a', 'env=dev', '--overwrite'], { home }), 'configmap/a labeled\n');
    ok(run(['label', 'cm', 'a', 'env=dev', '--overwrite'], { home }), 'configmap/a not labeled\n');
    expect(labels('a')).toEqual({ env: 'dev' });
  });

  it('removes with KEY- and says when a label is not there', () => {
    run(['label', 'cm', 'a', 'gone=1'], { home });
    ok(run(['label', 'cm', 'a', 'gone-'], { home }), 'configmap/a unlabeled\n');
    expect(labels('a')).toEqual({ env: 'dev' });
    const r = run(['label', 'cm', 'a', 'gone-', 'env=x', '--overwrite'], { home });
    ok(r, 'label "gone" not found.\nconfigmap/a labeled\n');
  });

  it('lists labels', () => {
    ok(run(['label', 'cm', 'a', '--list'], { home }), 'env=x\n');
    ok(run(['label', 'cm', 'a', 'b', '--list'], { home }), 'Listing labels for ConfigMap./a:\n env=x\nListing labels for ConfigMap./b:\n');
  });

  it('labels every object matching -l, and every object with --all', () => {
    run(['label', 'cm', 'b', 'c', 'team=t'], { home });
    ok(run(['label', 'cm', '-l', 'team=t', 'sel=yes'], { home }), 'configmap/b labeled\nconfigmap/c labeled\n');
    ok(run(['label', 'cm', '--all', 'every=1'], { home }), 'configmap/a labeled\nconfigmap/b labeled\nconfigmap/c labeled\nconfigmap/kube-root-ca.crt labeled\n');
    expect(labels('c')).toEqual({ every: '1', sel: 'yes', team: 't' });
  });

  it('changes nothing with --dry-run', () => {
    ok(run(['label', 'cm', 'a', 'b', 'dry=1', '--dry-run=client'], { home }), 'configmap/a labeled (dry run)\nconfigmap/b labeled (dry run)\n');
    ok(run(['label', 'cm', 'a', 'dry=1', '--dry-run=server'], { home }), 'configmap/a labeled (server dry run)\n');
    expect(labels('a').dry).toBeUndefined();
  });

  it('prints each object with -o', () => {
    const r = run(['label', 'cm', 'a', 'b', 'o=1', '-o', 'name'], { home });
    ok(r, 'configmap/a\nconfigmap/b\n');
    const y = run(['label', 'cm', 'a', 'b', 'o=2', '--overwrite', '-o', 'yaml'], { home });
    expect(y.stdout.split('---\n').map((d) => /\n  name: (\w+)\n/.exec(d)?.[1])).toEqual(['a', 'b']);
  });

  it('reports argument errors as kubectl does', () => {
    fails(run(['label', 'cm', 'a'], { home }), 'error: at least one label update is required\n');
    fails(run(['label', 'x=1'], { home }), 'error: one or more resources must be specified as <resource> <name> or <resource>/<name>\n');
    fails(run(['label', 'cm', 'a', 'k=1', 'k-'], { home }), 'error: can not both modify and remove a label in the same command\n');
    fails(run(['label', 'cm', 'a', 'k=1', 'b'], { home }), 'error: all resources must be specified before label changes: b\n');
    fails(run(['label', 'cm', 'nope', 'k=1'], { home }), 'Error from server (NotFound): configmaps "nope" not found\n');
  });

  it('annotates with annotate\'s own words', () => {
    ok(run(['annotate', 'cm', 'a', 'note=hello world'], { home }), 'configmap/a annotated\n');
    fails(run(['annotate', 'cm', 'a', 'note=bye'], { home }), "error: --overwrite is false but found the following declared annotation(s): 'note' already has a value (hello world)\n");
    ok(run(['annotate', 'cm', 'a', 'note=bye', '--overwrite'], { home }), 'configmap/a annotated\n');
    ok(run(['annotate', 'cm', 'a', 'x=a=b'], { home }), 'configmap/a annotated\n');
    ok(run(['annotate', 'cm', 'a', '--list'], { home }), 'note=bye\nx=a=b\n');
    ok(run(['annotate', 'cm', 'a', 'note-'], { home }), 'configmap/a annotated\n');
    ok(run(['annotate', 'cm', 'a', 'note-'], { home }), 'configmap/a annotated\n');
    fails(run(['annotate', 'cm', 'a', 'n=1', 'n-'], { home }), 'error: can not both modify and remove the following annotation(s) in the same command: n\n');
    fails(run(['annotate', 'cm', 'a'], { home }), 'error: at least one annotation update is required\n');
    expect(json(home, ['get', 'cm', 'a']).metadata.annotations).toEqual({ x: 'a=b' });
  });
});

describe('delete', () => {
  const names = (home: string) => run(['get', 'cm', '-o', 'name'], { home }).stdout;

  it('deletes by name, TYPE/NAME and several names, and reports the missing ones', () => {
    const home = freshHome();
    for (const n of ['a', 'b', 'c', 'd']) run(['create', 'configmap', n], { home });
    ok(run(['delete', 'configmap', 'a'], { home }), 'configmap "a" deleted\n');
    ok(run(['delete', 'cm/b'], { home }), 'configmap "b" deleted\n');
    fails(run(['delete', 'cm', 'c', 'a', 'd'], { home }), 'Error from server (NotFound): configmaps "a" not found\n', 'configmap "c" deleted\nconfigmap "d" deleted\n');
    ok(run(['delete', 'cm', 'a', '--ignore-not-found'], { home }), '');
    expect(names(home)).toBe('configmap/kube-root-ca.crt\n');
  });

  it('deletes what a file names, what -l selects, and everything with --all', () => {
    const home = freshHome();
    const f = write(home, 'cms.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: f1\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: f2\n  labels:\n    app: x\n');
    run(['apply', '-f', f], { home });
    run(['create', 'configmap', 'g'], { home });
    run(['label', 'cm', 'g', 'app=x'], { home });
    ok(run(['delete', 'cm', '-l', 'app=x'], { home }), 'configmap "f2" deleted\nconfigmap "g" deleted\n');
    ok(run(['delete', 'cm', '-l', 'app=x'], { home }), 'No resources found\n');
    fails(run(['delete', '-f', f], { home }), 'Error from server (NotFound): error when deleting "' + f + '": configmaps "f2" not found\n', 'configmap "f1" deleted\n');
    run(['create', 'deployment', 'd1', '--image=nginx'], { home });
    run(['create', 'deployment', 'd2', '--image=nginx'], { home });
    ok(run(['delete', 'deployments', '--all', '-o', 'name'], { home }), 'deployment.apps/d1\ndeployment.apps/d2\n');
    ok(run(['delete', 'deployments', '--all'], { home }), 'No resources found\n');
  });

  it('leaves the object in place with --dry-run', () => {
    const home = freshHome();
    run(['create', 'configmap', 'keep'], { home });
    ok(run(['delete', 'cm', 'keep', '--dry-run=client'], { home }), 'configmap "keep" deleted (dry run)\n');
    ok(run(['delete', 'cm', 'keep', '--dry-run=server'], { home }), 'configmap "keep" deleted (server dry run)\n');
    expect(names(home)).toContain('configmap/keep\n');
    fails(run(['delete', 'cm', 'nope', '--dry-run=client'], { home }), 'Error from server (NotFound): configmaps "nope" not found\n');
  });

  it('cascades to dependents unless told to orphan them', () => {
    const home = freshHome();
    const owned = (dep: string, owner: string) => {
      const uid = json(home, ['get', 'cm', owner]).metadata.uid;
      const f = write(home, `${dep}.yaml`, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${dep}\n  ownerReferences:\n  - apiVersion: v1\n    kind: ConfigMap\n    name: ${owner}\n    uid: ${uid}\n`);
      expect(run(['apply', '-f', f], { home }).code).toBe(0);
    };
    for (const n of ['o1', 'o2', 'o3']) run(['create', 'configmap', n], { home });
    owned('d1', 'o1');
    owned('d2', 'o2');
    owned('d3', 'o3');
    ok(run(['delete', 'cm', 'o1'], { home }), 'configmap "o1" deleted\n');
    ok(run(['delete', 'cm', 'o2', '--cascade=orphan'], { home }), 'configmap "o2" deleted\n');
    ok(run(['delete', 'cm', 'o3', '--cascade=foreground'], { home }), 'configmap "o3" deleted\n');
    expect(names(home)).toBe('configmap/d2\nconfigmap/kube-root-ca.crt\n');
    expect(json(home, ['get', 'cm', 'd2']).metadata.ownerReferences).toBeUndefined();
  });

  it('warns about immediate deletion with --force --grace-period=0', () => {
    const home = freshHome();
    run(['run', 'p', '--image=nginx'], { home });
    const r = run(['delete', 'pod', 'p', '--force', '--grace-period=0'], { home });
    expect({ stdout: r.stdout, stderr: r.stderr, code: r.code }).toEqual({
      stdout: 'pod "p" deleted\n',
      stderr: 'Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n',
      code: 0,
    });
    expect(run(['get', 'pods', '-o', 'name'], { home }).stdout).toBe('');
  });

  it('reports argument errors as kubectl does', () => {
    const home = freshHome();
    fails(run(['delete'], { home }), "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n");
    fails(run(['delete', 'cm'], { home }), 'error: resource(s) were provided, but no name was specified\n');
    fails(run(['delete', 'cm', 'x', '--cascade=sideways'], { home }), 'error: invalid cascade value (sideways). Must be "background", "foreground", or "orphan".\n');
    fails(run(['delete', 'cm', 'x', '-o', 'yaml'], { home }), "error: unexpected -o output mode: yaml. We only support '-o name'\n");
  });
});

describe('diff', () => {
  const home = freshHome();
  const cm = (v: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: "${v}"\n`;
  const body = (out: string) => out.split('\n').filter((l) => /^[-+ ]/.test(l) && !/^(---|\+\+\+) /.test(l));

  it('shows a new object as all additions, exit 1', () => {
    const r = run(['diff', '-f', write(home, 'new.yaml', cm('1'))], { home });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const lines = body(r.stdout);
    expect(lines.every((l) => l.startsWith('+'))).toBe(true);
    expect(lines).toContain('+  a: "1"');
    expect(lines).toContain('+kind: ConfigMap');
    expect(run(['get', 'cm', 'cfg'], { home }).code).toBe(1);
  });

  it('prints nothing and exits 0 when nothing differs', () => {
    run(['apply', '-f', write(home, 'v1.yaml', cm('1'))], { home });
    ok(run(['diff', '-f', join(home, 'v1.yaml')], { home }), '');
  });

  it('shows a changed field as -/+ lines, exit 1, without changing the object', () => {
    const r = run(['diff', '-f', write(home, 'v2.yaml', cm('2'))], { home });
    expect(r.code).toBe(1);
    const changed = body(r.stdout).filter((l) => !l.startsWith(' '));
    // (kubectl also shows the last-applied annotation changing: see the report on apply's dry run.)
    expect(changed.slice(0, 2)).toEqual(['-  a: "1"', '+  a: "2"']);
    expect(changed.filter((l) => !l.includes('"apiVersion"'))).toEqual(['-  a: "1"', '+  a: "2"']);
    expect(json(home, ['get', 'cm', 'cfg']).data).toEqual({ a: '1' });
  });
});

describe('run', () => {
  it('creates a pod', () => {
    const home = freshHome();
    ok(run(['run', 'x', '--image=nginx'], { home }), 'pod/x created\n');
    const p = json(home, ['get', 'pod', 'x']);
    expect(p.metadata.labels).toEqual({ run: 'x' });
    expect(p.spec.containers[0]).toMatchObject({ name: 'x', image: 'nginx' });
  });

  it('prints what kubectl would send with --dry-run=client -o yaml', () => {
    const r = run(['run', 'x', '--image=nginx', '--dry-run=client', '-o', 'yaml']);
    ok(r, 'apiVersion: v1\nkind: Pod\nmetadata:\n  creationTimestamp: null\n  labels:\n    run: x\n  name: x\nspec:\n  containers:\n  - image: nginx\n    name: x\n    resources: {}\n  dnsPolicy: ClusterFirst\n  restartPolicy: Always\nstatus: {}\n');
  });

  it('takes labels, env, a port, a restart policy and the command after --', () => {
    const r = run(['run', 'job1', '--image=busybox', '--labels=app=a,tier=b', '--env=MODE=fast', '--env=N=1', '--port=8080', '--restart=Never', '--dry-run=client', '-o', 'yaml', '--', 'sh', '-c', 'echo hi']);
    ok(r, 'apiVersion: v1\nkind: Pod\nmetadata:\n  creationTimestamp: null\n  labels:\n    app: a\n    tier: b\n  name: job1\nspec:\n  containers:\n  - args:\n    - sh\n    - -c\n    - echo hi\n    env:\n    - name: MODE\n      value: fast\n    - name: "N"\n      value: "1"\n    image: busybox\n    name: job1\n    ports:\n    - containerPort: 8080\n    resources: {}\n  dnsPolicy: ClusterFirst\n  restartPolicy: Never\nstatus: {}\n');
    const c = run(['run', 'c1', '--image=busybox', '--command', '--dry-run=client', '-o', 'json', '--', 'sleep', '5']);
    expect(JSON.parse(c.stdout).spec.containers[0].command).toEqual(['sleep', '5']);
  });

  it('says created (server dry run) and creates nothing', () => {
    const home = freshHome();
    ok(run(['run', 'x', '--image=nginx', '--dry-run=server'], { home }), 'pod/x created (server dry run)\n');
    expect(run(['get', 'pods', '-o', 'name'], { home }).stdout).toBe('');
    const r = run(['run', 'x'], { home });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^E\d{4} [\d:.]+\s+\d+ run\.go:72\] "command failed" err="required flag\(s\) \\"image\\" not set"\n$/);
  });
});

describe('expose', () => {
  const home = freshHome();
  run(['create', 'deployment', 'web', '--image=nginx', '--port=8080'], { home });
  run(['create', 'deployment', 'noport', '--image=nginx'], { home });

  it('makes a service with the deployment\'s selector, port and target port', () => {
    ok(run(['expose', 'deployment', 'web', '--port=80', '--target-port=8080'], { home }), 'service/web exposed\n');
    const s = json(home, ['get', 'svc', 'web']);
    expect(s.spec.selector).toEqual({ app: 'web' });
    expect(s.spec.ports).toEqual([{ port: 80, protocol: 'TCP', targetPort: 8080 }]);
    expect(s.spec.type).toBe('ClusterIP');
    expect(s.spec.clusterIP).toMatch(/^10\.96\.|^10\.\d+\.\d+\.\d+$/);
  });

  it('takes the port from the deployment when --port is not given', () => {
    ok(run(['expose', 'deploy/web', '--name=web2'], { home }), 'service/web2 exposed\n');
    expect(json(home, ['get', 'svc', 'web2']).spec.ports[0]).toMatchObject({ port: 8080, targetPort: 8080 });
  });

  it('gives a NodePort service a node port in 30000-32767', () => {
    ok(run(['expose', 'deploy', 'web', '--port=80', '--type=NodePort', '--name=web-np'], { home }), 'service/web-np exposed\n');
    const s = json(home, ['get', 'svc', 'web-np']);
    expect(s.spec.type).toBe('NodePort');
    expect(s.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
    expect(s.spec.ports[0].nodePort).toBeLessThanOrEqual(32767);
  });

  it('needs a port when the target has none', () => {
    fails(run(['expose', 'deploy', 'noport'], { home }), "error: couldn't find port via --port flag or introspection\n");
    fails(run(['expose', 'deploy', 'nope', '--port=80'], { home }), 'Error from server (NotFound): deployments.apps "nope" not found\n');
  });
});

// Behaviour that comes from the apiserver and apply rather than from these verbs themselves.
describe('what the apiserver and apply contribute', () => {
  it('a failing JSON patch test op is a 422 that kubectl prints as "The request is invalid" (apiserver)', () => {
    const home = freshHome();
    run(['create', 'configmap', 'c'], { home });
    fails(run(['patch', 'cm', 'c', '--type=json', '-p', '[{"op":"test","path":"/metadata/name","value":"x"}]'], { home }), 'The request is invalid: the server rejected our request due to an error in our request\n');
  });

  it('removing the last label leaves no empty labels map (apiserver), so removing it again says "labeled"', () => {
    const home = freshHome();
    run(['create', 'configmap', 'c'], { home });
    run(['label', 'cm', 'c', 'x=1'], { home });
    run(['label', 'cm', 'c', 'x-'], { home });
    expect(json(home, ['get', 'cm', 'c']).metadata.labels).toBeUndefined();
  });

  it('diff shows the last-applied annotation changing too (apply dry run)', () => {
    const home = freshHome();
    const f = write(home, 'cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: "1"\n');
    run(['apply', '-f', f], { home });
    writeFileSync(f, readFileSync(f, 'utf8').replace('"1"', '"2"'));
    const r = run(['diff', '-f', f], { home });
    expect(r.stdout).toContain('+      {"apiVersion":"v1","data":{"a":"2"}');
  });
});
