// `minikctl run` attached (-i/--stdin, -t/--tty, --attach, --rm, -q): kubectl's flag rules and
// words, the container's output, --rm's deletion line, the exit code with --restart=Never, a shell
// reading its script from stdin, and the interactive shell on a terminal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { BIN, freshHome, run, runner } from './helpers.js';
import { startFakeApiServer, kubectl, type FakeApiServer } from '../unit/printers/fake-apiserver.js';

const env = { MINIKCTL_TIME: 'instant' };
let m: ReturnType<typeof runner>;
let home: string;

beforeAll(() => {
  home = freshHome();
  m = runner(home, env);
  m.ok('create', 'deployment', 'web', '--image=nginx:1.27');
  m.ok('expose', 'deployment', 'web', '--port=80');
}, 120_000);

const podNames = () => m.ok('get', 'pods', '-o', 'name');

describe('run: the attach flags are checked as kubectl checks them', () => {
  const see = "See 'minikctl run -h' for help and examples\n";
  it.each([
    [['--rm'], 'error: --rm should only be used for attached containers\n'],
    [['--rm', '--restart=Never'], 'error: --rm should only be used for attached containers\n'],
    [['--rm', '-i', '--attach=false'], 'error: --rm should only be used for attached containers\n'],
    [['-t'], 'error: -i/--stdin is required for containers with -t/--tty=true\n'],
    [['-t', '--restart=Bad'], 'error: -i/--stdin is required for containers with -t/--tty=true\n'],
    [['-i', '--restart=Bad'], 'error: invalid restart policy: Bad\n'],
    [['-it', '--dry-run=client'], "error: --dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)\n"],
    [['--attach', '--dry-run=server'], "error: --dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)\n"],
    [['-i', '--pod-running-timeout=0s'], 'error: --pod-running-timeout must be higher than zero\n'],
  ])('run x --image=busybox %j', (flags, message) => {
    const r = run(['run', 'x', '--image=busybox', ...flags], { home, env });
    expect(r).toMatchObject({ stdout: '', stderr: message + see, code: 1 });
  });
  it('creates nothing when it refuses', () => {
    expect(podNames()).not.toContain('pod/x\n');
  });
});

describe('run -i: the container\'s output, --rm, the exit code', () => {
  it('--rm -i --restart=Never -- echo hello prints hello and the deletion, and the pod is gone', () => {
    const r = m.raw('run', 'tmp', '--rm', '-i', '--restart=Never', '--image=busybox', '--', 'echo', 'hello');
    expect(r).toMatchObject({ stdout: 'hello\npod "tmp" deleted\n', code: 0 });
    expect(podNames()).not.toContain('pod/tmp');
  });
  it('a failing command: its exit code, and kubectl\'s message after the deletion', () => {
    const r = m.raw('run', 'tmp', '--rm', '-i', '--restart=Never', '--image=busybox', '--', 'sh', '-c', 'echo before; exit 3');
    expect(r).toMatchObject({ stdout: 'before\npod "tmp" deleted\n', stderr: 'pod default/tmp terminated (Error)\n', code: 3 });
    expect(podNames()).not.toContain('pod/tmp');
  });
  it('-q hides the deletion line; without --rm the pod stays (Error)', () => {
    expect(m.raw('run', 'tmp', '--rm', '-q', '-i', '--restart=Never', '--image=busybox', '--', 'echo', 'hi')).toMatchObject({ stdout: 'hi\n', stderr: '', code: 0 });
    const r = m.raw('run', 'kept', '-i', '--restart=Never', '--image=busybox', '--', 'sh', '-c', 'exit 4');
    expect(r).toMatchObject({ stdout: '', stderr: 'pod default/kept terminated (Error)\n', code: 4 });
    expect(m.ok('get', 'pod', 'kept', '-o', 'jsonpath={.status.phase} {.spec.containers[0].stdin} {.spec.containers[0].stdinOnce}')).toBe('Failed true true');
  });
  it('--attach without -i: the output (no "pod/NAME created"); with the default restart policy no exit code is awaited', () => {
    const r = m.raw('run', 'att', '--attach', '--rm', '--image=busybox', '--', 'sh', '-c', 'echo attached; exit 5');
    expect(r).toMatchObject({ stdout: 'attached\npod "att" deleted\n', stderr: "If you don't see a command prompt, try pressing enter.\n", code: 0 });
  });
  it('piped stdin is the script of a shell: it runs in the new pod with the network, its exit code is the pod\'s', () => {
    const r = run(['run', 'tmp', '--rm', '-i', '--restart=Never', '--image=busybox', '--', 'sh'], { home, env, input: 'hostname\nwget -qO- web | grep title\nexit 2\n' });
    expect(r.stdout).toBe('tmp\n<title>Welcome to nginx!</title>\npod "tmp" deleted\n');
    expect(r.stderr).toBe("If you don't see a command prompt, try pressing enter.\npod default/tmp terminated (Error)\n");
    expect(r.code).toBe(2);
    const ok = run(['run', 'tmp', '--rm', '-i', '-q', '--restart=Never', '--image=busybox', '--', 'sh'], { home, env, input: 'echo fine\n' });
    expect(ok).toMatchObject({ stdout: 'fine\n', stderr: '', code: 0 });
  });
  it('-it without a terminal says so, and runs as -i', () => {
    const r = run(['run', 'tmp', '--rm', '-it', '--restart=Never', '--image=busybox', '--', 'sh'], { home, env, input: 'echo piped\n' });
    expect(r.stderr).toBe("Unable to use a TTY - input is not a terminal or the right kind of file\nIf you don't see a command prompt, try pressing enter.\n");
    expect(r.stdout).toBe('piped\npod "tmp" deleted\n');
  });
});

// K1's work: a container's own network commands write real output to its log.
const containerNet = existsSync(join(__dirname, '..', '..', 'src', 'kubelet', 'net', 'container.ts'));
describe.skipIf(!containerNet)('run -i -- wget (needs the container network model)', () => {
  it('prints the page the Service answers with and deletes the pod', () => {
    const r = m.raw('run', 'tmp', '--rm', '-i', '--restart=Never', '--image=busybox', '--', 'wget', '-qO-', 'web');
    expect(r.stdout).toContain('<title>Welcome to nginx!</title>');
    expect(r.stdout.endsWith('pod "tmp" deleted\n')).toBe(true);
    expect(r.code).toBe(0);
  });
});

// -it on a terminal: util-linux's `script` gives the CLI a pseudo-terminal; lines are fed as typed.
const hasScript = spawnSync('script', ['--version']).status === 0;
describe.skipIf(!hasScript)('run --rm -it -- sh: an interactive shell (needs util-linux script)', () => {
  const session = (flags: string[], lines: string[]) => {
    const feed = lines.map((l, i) => `sleep ${1 + i}; printf '%s\\n' '${l}'`).join('; ');
    const r = spawnSync('sh', ['-c', `(${feed}; sleep 2) | script -qec "${process.execPath} ${BIN} run ${flags.join(' ')}" /dev/null`], {
      env: { ...process.env, MINIKCTL_HOME: home, TZ: 'UTC', ...env }, encoding: 'utf8', timeout: 60_000,
    });
    return { out: r.stdout.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/\r/g, ''), status: r.status };
  };
  it('prompts, runs each line in the new pod, and deletes the pod after exit (restart Always: exit 0)', () => {
    const { out, status } = session(['tmp', '--rm', '-it', '--image=busybox', '--', 'sh'], ['cat /etc/hostname', 'wget -qO- web | grep title', 'exit 3']);
    expect(out).toContain("If you don't see a command prompt, try pressing enter.\n");
    expect(out).toContain('/ # cat /etc/hostname\ntmp\n');
    expect(out).toContain('<title>Welcome to nginx!</title>\n');
    expect(out).toContain("/ # exit 3\nSession ended, resume using 'minikctl attach tmp -c tmp -i -t' command when the pod is running\npod \"tmp\" deleted\n");
    expect(status).toBe(0);
    expect(podNames()).not.toContain('pod/tmp');
  }, 90_000);
  it('with --restart=Never the shell\'s exit code is the command\'s', () => {
    const { out, status } = session(['tmp2', '--rm', '-it', '--restart=Never', '--image=busybox', '--', 'sh'], ['exit 3']);
    expect(out).toContain('/ # exit 3\npod "tmp2" deleted\npod default/tmp2 terminated (Error)\n');
    expect(status).toBe(3);
  }, 90_000);
});

// kubectl refuses --dry-run with -i; with --attach=false it prints the pod it would send.
const hasKubectl = spawnSync('kubectl', ['version', '--client']).status === 0;
describe.skipIf(!hasKubectl)('run -i -t --attach=false --dry-run=client equals kubectl (needs kubectl)', () => {
  let server: FakeApiServer;
  beforeAll(async () => {
    server = await startFakeApiServer([{ name: 'pods', kind: 'Pod', namespaced: true, objects: [] }], Date.now());
  });
  afterAll(async () => server?.close());
  it.each([
    ['-i', '-t', '--attach=false', '-o', 'yaml'],
    ['-i', '--attach=false', '--leave-stdin-open', '-o', 'json'],
    ['-it', '--attach=false', '--restart=Never', '--privileged', '--image-pull-policy=Always', '-o', 'json'],
  ])('run x --image=busybox %s ...', async (...flags) => {
    const args = ['run', 'x', '--image=busybox', ...flags, '--dry-run=client'];
    const k = await kubectl(server, args);
    expect(k.code).toBe(0);
    const r = run([...args, '-n', 'default'], { env });
    expect(r.stdout).toBe(k.stdout);
  });
});
