// Invocation errors (bad flags, missing values, unknown verbs, missing arguments) must read exactly
// like kubectl's, with "kubectl" spelled "minikctl": same stdout, stderr and exit code.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, freshHome } from './helpers.js';

const hasKubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;

/** kubectl fails before any request in all these cases; the server is unreachable just in case. */
function kubeconfig(): string {
  const dir = mkdtempSync(join(tmpdir(), 'flag-errors-'));
  const file = join(dir, 'config');
  writeFileSync(
    file,
    'apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "https://127.0.0.1:1"}\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\ncurrent-context: c\nusers:\n- name: u\n  user: {token: x}\n',
  );
  return file;
}

/** klog lines carry a timestamp and a pid: only their shape can match. */
const normalize = (s: string) => s.replace(/^E\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ /gm, 'E0000 00:00:00.000000 PID ');

// Each case is an argv split on spaces.
const CASES = [
  // unknown long and short flags, at every level
  'get pods --bogus',
  'get pods --bogus=1',
  'get pods -Z',
  'get pods -Zq',
  'describe pods --bogus',
  'config --bogus',
  'config get-contexts --bogus',
  'config get-contexts -Z',
  'version --bogus',
  'api-resources --bogus',
  'cluster-info --bogus',
  'get pods --show-labels=True --bogus',
  // flags before the verb: kubectl takes the word after an unknown flag for its value
  '--bogus get pods',
  '-Z get pods',
  '-n foo bogusverb',
  // missing flag values
  'get pods -o',
  'get pods -n',
  'get pods --sort-by',
  'get pods --selector',
  'apply -f',
  'delete pods --grace-period',
  // invalid bool and int values
  'get pods --show-labels=maybe',
  'get pods -w=maybe',
  'get pods --watch=1x',
  'delete pods --now=maybe',
  'get pods --chunk-size=abc',
  'delete pods x --grace-period=abc',
  'get pods -v=abc',
  'get pods -v 99999999999',
  'create deployment x --image=n -r abc',
  'create deployment x --image=n --replicas=99999999999',
  // unknown verbs and subcommands
  'bogusverb',
  'delet pods x',
  'descibe pods',
  'confg view',
  'aply -f x',
  'config bogus',
  'auth bogus',
  'create secret bogus',
  // missing or surplus arguments
  'get',
  'create',
  'create bogus x',
  'create deployment',
  'create deployment x',
  'create clusterrolebinding x',
  'create namespace',
  'create configmap',
  'delete',
  'label',
  'annotate',
  'describe',
  'explain',
  'edit',
  'expose',
  'patch',
  'run',
  'run x',
  'apply',
  'replace',
  'diff',
  'config set-context',
  'auth can-i',
  'version foo',
  'api-versions x',
  'config view foo',
  'completion bogus',
];

describe.skipIf(!hasKubectl)('invocation errors match real kubectl (needs kubectl)', () => {
  const config = kubeconfig();
  it.each(CASES)('%s', (line) => {
    const args = line.split(' ');
    const k = spawnSync('kubectl', args, { encoding: 'utf8', timeout: 20_000, env: { ...process.env, KUBECONFIG: config } });
    const want = {
      stdout: k.stdout.replace(/kubectl/g, 'minikctl'),
      stderr: normalize(k.stderr.replace(/kubectl/g, 'minikctl')),
      code: k.status,
    };
    const m = run(args);
    expect({ stdout: m.stdout, stderr: normalize(m.stderr), code: m.code }).toEqual(want);
  });
});

describe('invocation errors (fixed expectations)', () => {
  const fails = (args: string[], stderr: string, code = 1) => {
    const r = run(args, { home: freshHome() });
    expect({ stdout: r.stdout, stderr: r.stderr, code: r.code }).toEqual({ stdout: '', stderr, code });
  };

  it('names unknown flags the way pflag does, with the usage hint of the command being parsed', () => {
    fails(['get', 'pods', '--bogus=1'], "Error: unknown flag: --bogus\nSee 'minikctl get --help' for usage.\n");
    fails(['get', 'pods', '-Zq'], "Error: unknown shorthand flag: 'Z' in -Zq\nSee 'minikctl get --help' for usage.\n");
    fails(['config', 'get-contexts', '--bogus'], "Error: unknown flag: --bogus\nSee 'minikctl config get-contexts --help' for usage.\n");
  });

  it('reports a missing value as typed, long or short', () => {
    fails(['get', 'pods', '-o'], "Error: flag needs an argument: 'o' in -o\nSee 'minikctl get --help' for usage.\n");
    fails(['get', 'pods', '--sort-by'], "Error: flag needs an argument: --sort-by\nSee 'minikctl get --help' for usage.\n");
  });

  it('rejects bad bool and int values with strconv wording, and accepts Go spellings of good ones', () => {
    fails(['get', 'pods', '--show-labels=maybe'], 'Error: invalid argument "maybe" for "--show-labels" flag: strconv.ParseBool: parsing "maybe": invalid syntax\nSee \'minikctl get --help\' for usage.\n');
    fails(['get', 'pods', '-w=1x'], 'Error: invalid argument "1x" for "-w, --watch" flag: strconv.ParseBool: parsing "1x": invalid syntax\nSee \'minikctl get --help\' for usage.\n');
    fails(['delete', 'pods', 'x', '--grace-period=abc'], 'Error: invalid argument "abc" for "--grace-period" flag: strconv.ParseInt: parsing "abc": invalid syntax\nSee \'minikctl delete --help\' for usage.\n');
    fails(['get', 'pods', '-v', '4294967296'], 'Error: invalid argument "4294967296" for "-v, --v" flag: strconv.ParseInt: parsing "4294967296": value out of range\nSee \'minikctl get --help\' for usage.\n');
    const r = run(['create', 'deployment', 'web', '--image=nginx', '-r', '0x3', '--dry-run=client', '-o', 'jsonpath={.spec.replicas}']);
    expect(r).toMatchObject({ stdout: '3', stderr: '', code: 0 });
    // -A=T lists every namespace (kube-system has the cluster's own pods) and --show-labels=True adds LABELS
    const all = run(['get', 'pods', '--show-labels=True', '-A=T']);
    expect(all).toMatchObject({ stderr: '', code: 0 });
    expect(all.stdout).toMatch(/^NAMESPACE +NAME +READY +STATUS +RESTARTS +AGE +LABELS\nkube-system +/);
  });

  it('suggests close verbs for an unknown one, and refuses flags before an unknown one', () => {
    fails(['delet', 'pods'], 'Error: unknown command "delet" for "minikctl"\n\nDid you mean this?\n\tdelete\n\n');
    fails(['bogusverb'], 'Error: unknown command "bogusverb" for "minikctl"\n');
    fails(['--bogus', 'get', 'pods'], 'Error: flags cannot be placed before plugin name: --bogus\n');
  });

  it('reports a missing required flag through klog, as kubectl does', () => {
    const r = run(['create', 'deployment', 'web']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^E\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ run\.go:72\] "command failed" err="required flag\(s\) \\"image\\" not set"\n$/);
  });

  it('words missing and surplus arguments per command', () => {
    fails(['create'], 'error: must specify one of -f and -k\n');
    fails(['create', 'bogus', 'x'], "error: Unexpected args: [bogus x]\nSee 'minikctl create -h' for help and examples\n");
    fails(['version', 'foo'], 'error: extra arguments: [foo]\n');
    fails(['diff'], 'error: must specify one of -f and -k\n', 2);
  });
});
