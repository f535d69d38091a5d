// `minikctl exec`: commands in a container, and requests from one pod to another along the real
// path (CoreDNS, the source node's kube-proxy, the destination's container), with kubectl's words
// for every refusal and the remote exit code.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { BIN, freshHome, run, runner } from './helpers.js';
import { shellPrompt, shellSession } from '../../src/cli/commands/exec.js';

const env = { MINIKCTL_TIME: 'instant' };
let m: ReturnType<typeof runner>;
let home: string;

const TWO_CONTAINERS = `apiVersion: v1
kind: Pod
metadata:
  name: two
spec:
  containers:
  - name: a
    image: busybox:1.36
    command: ["sleep", "3600"]
  - name: b
    image: nginx:1.27
`;

beforeAll(() => {
  m = runner(freshHome(), env);
  m.ok('run', 'bb', '--image=busybox:1.36', '--', 'sleep', '3600');
  m.ok('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2');
  m.ok('expose', 'deployment', 'web', '--port=80');
  // no pod has app=nobody: no endpoints
  m.ok('create', 'service', 'clusterip', 'empty', '--tcp=80:80');
  // the nginx pods, on a port nginx does not listen on
  m.ok('create', 'service', 'clusterip', 'wrong', '--tcp=80:8080');
  m.ok('patch', 'service', 'wrong', '-p', '{"spec":{"selector":{"app":"web"}}}');
  m.ok('run', 'done', '--image=busybox:1.36', '--restart=Never', '--', 'true');
  home = m.raw('version', '--client').home;
  const two = run(['apply', '-f', '-'], { home, env, input: TWO_CONTAINERS });
  expect(two.code).toBe(0);
}, 120_000);

describe('exec: requests between pods', () => {
  it('wget -qO- a Service by name gives the nginx page', () => {
    const out = m.ok('exec', 'bb', '--', 'wget', '-qO-', 'web');
    expect(out).toContain('<title>Welcome to nginx!</title>');
  });

  it('nslookup answers with the ClusterIP; resolv.conf has the search path', () => {
    const ip = m.ok('get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}');
    // busybox 1.36's nslookup also asks the other search domains and exits 1 for their NXDOMAINs
    const out = m.raw('exec', 'bb', '--', 'nslookup', 'web').stdout;
    expect(out).toContain('Name:\tweb.default.svc.cluster.local');
    expect(out).toContain(`Address: ${ip}`);
    expect(m.ok('exec', 'bb', '--', 'cat', '/etc/resolv.conf')).toContain('search default.svc.cluster.local svc.cluster.local cluster.local');
  });

  it('a Service without endpoints refuses the connection; the exit code comes back', () => {
    const ip = m.ok('get', 'svc', 'empty', '-o', 'jsonpath={.spec.clusterIP}');
    const r = m.raw('exec', 'bb', '--', 'wget', '-qO-', '-T', '2', 'empty');
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`wget: can't connect to remote host (${ip}): Connection refused\ncommand terminated with exit code 1\n`);
    expect(r.code).toBe(1);
  });

  it('a wrong targetPort is refused too (nothing listens on 8080)', () => {
    const r = m.raw('exec', 'bb', '--', 'wget', '-qO-', 'wrong');
    expect(r.stderr).toMatch(/^wget: can't connect to remote host \(10\.\d+\.\d+\.\d+\): Connection refused\n/);
    expect(r.code).toBe(1);
  });

  it('an unknown name is a bad address', () => {
    const r = m.raw('exec', 'bb', '--', 'wget', '-qO-', 'nosuch');
    expect(r.stderr).toBe("wget: bad address 'nosuch'\ncommand terminated with exit code 1\n");
    expect(r.code).toBe(1);
  });

  it('sh -c runs a script with the network tools; busybox has no curl', () => {
    const out = m.ok('exec', 'bb', '--', 'sh', '-c', 'nslookup web >/dev/null; wget -qO- web | grep h1');
    expect(out).toBe('<h1>Welcome to nginx!</h1>\n');
    const r = m.raw('exec', 'bb', '--', 'sh', '-c', 'curl web');
    expect(r.stderr).toBe('sh: curl: not found\ncommand terminated with exit code 127\n');
    expect(r.code).toBe(127);
  });

  it('exec deploy/web picks one of its pods; nginx has curl', () => {
    const out = m.ok('exec', 'deploy/web', '--', 'curl', '-s', 'web');
    expect(out).toContain('Welcome to nginx!');
  });

  it('a program the image does not have, run directly: the runtime\'s error', () => {
    const r = m.raw('exec', 'deploy/web', '--', 'wget', 'web');
    expect(r.stderr).toMatch(/^error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "wget": executable file not found in \$PATH: unknown\n$/);
    expect(r.code).toBe(1);
  });

  it('--trace shows the path: CoreDNS, kube-proxy on the source node, DNAT to a pod, the container answering', () => {
    const out = m.ok('exec', '--trace', 'bb', '--', 'wget', '-qO-', 'web');
    const trace = out.slice(out.indexOf('Trace'));
    expect(trace).toMatch(/coredns: answered web\.default\.svc\.cluster\.local/);
    expect(trace).toMatch(/kube-proxy: intercepted 10\.\d+\.\d+\.\d+:80\/TCP — ClusterIP of service default\/web, caught by kube-proxy's rules on \S+ \(the source node\)/);
    expect(trace).toMatch(/kube-proxy: DNAT 10\.244\.\d+\.\d+:80 — .*KUBE-SEP-/);
    expect(trace).toMatch(/web-\w+-\w+: accepted 10\.244\.\d+\.\d+:80\/TCP/);
  });
});

describe('exec: the command and its exit', () => {
  it('prints what the command prints and exits with its code', () => {
    expect(m.ok('exec', 'bb', '--', 'hostname')).toBe('bb\n');
    const r = m.raw('exec', 'bb', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3');
    expect(r).toMatchObject({ stdout: 'out\n', stderr: 'err\ncommand terminated with exit code 3\n', code: 3 });
  });

  it('-i feeds stdin to the shell', () => {
    const r = run(['exec', '-i', 'bb', '--', 'sh'], { home, env, input: 'echo hello\nhostname\n' });
    expect(r).toMatchObject({ stdout: 'hello\nbb\n', stderr: '', code: 0 });
  });

  it('picks the first container and says so, or the one -c names', () => {
    const r = run(['exec', 'two', '--', 'hostname'], { home, env });
    expect(r).toMatchObject({ stdout: 'two\n', stderr: 'Defaulted container "a" out of: a, b\n', code: 0 });
    expect(run(['exec', 'two', '-q', '--', 'hostname'], { home, env }).stderr).toBe('');
    expect(m.ok('exec', 'two', '-c', 'b', '--', 'curl', '-s', 'web')).toContain('Welcome to nginx!');
  });
});

describe('exec: kubectl\'s refusals', () => {
  it('no command, the old form, no pod', () => {
    expect(m.raw('exec', 'bb')).toMatchObject({ stderr: 'error: you must specify at least one command for the container\n', code: 1 });
    expect(m.raw('exec', 'bb', 'ls')).toMatchObject({ stderr: "Error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'minikctl exec -h' for help and examples\n", code: 1 });
    expect(m.raw('exec')).toMatchObject({ stderr: 'error: pod, type/name or --filename must be specified\n', code: 1 });
  });

  it('a pod or container that does not exist; a completed pod', () => {
    expect(m.raw('exec', 'nope', '--', 'ls')).toMatchObject({ stderr: 'Error from server (NotFound): pods "nope" not found\n', code: 1 });
    expect(m.raw('exec', 'bb', '-c', 'nope', '--', 'ls')).toMatchObject({ stderr: 'Error from server (BadRequest): container nope is not valid for pod bb\n', code: 1 });
    expect(m.raw('exec', 'done', '--', 'ls')).toMatchObject({ stderr: 'error: cannot exec into a container in a completed pod; current phase is Succeeded\n', code: 1 });
  });
});

// `exec -it POD -- sh` on a terminal is an interactive shell. util-linux's `script` gives the CLI a
// pseudo-terminal; the lines are fed one by one, as a user types them.
const hasScript = spawnSync('script', ['--version']).status === 0;
describe.skipIf(!hasScript)('exec -it: an interactive shell (needs util-linux script)', () => {
  it('shows the shell prompt, runs each line against the cluster, and ends with exit N', async () => {
    const lines = ['cat /etc/hostname', 'wget -qO- web', 'exit 3'];
    const feed = lines.map((l, i) => `sleep ${1 + i}; printf '%s\\n' '${l}'`).join('; ');
    const r = spawnSync('sh', ['-c', `(${feed}; sleep 2) | script -qec "${process.execPath} ${BIN} exec -it bb -- sh" /dev/null`], {
      env: { ...process.env, MINIKCTL_HOME: home, TZ: 'UTC', ...env }, encoding: 'utf8', timeout: 60_000,
    });
    // strip the terminal's cursor controls
    const out = r.stdout.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/\r/g, '');
    expect(out).toContain('/ # cat /etc/hostname\nbb\n');
    expect(out).toContain('<title>Welcome to nginx!</title>');
    expect(out).toContain('/ # exit 3\ncommand terminated with exit code 3');
    expect(r.status).toBe(3);
  }, 90_000);
});

describe('exec: beyond the cluster', () => {
  it('a public name resolves upstream and its host answers through the node; an unknown one is a bad address', () => {
    expect(m.ok('exec', 'bb', '--', 'wget', '-qO-', '-T', '2', 'example.com')).toContain('<h1>example.com</h1>');
    const r = m.raw('exec', 'bb', '--', 'wget', '-qO-', '-T', '2', 'nosuch.invalid');
    expect(r.stderr).toContain("wget: bad address 'nosuch.invalid'");
    expect(r.code).toBe(1);
  });
});

describe('shellSession', () => {
  async function* from(xs: string[]) {
    for (const x of xs) yield x;
  }
  it('runs each non-empty line and ends with exit N, the last status, or at the end of input', async () => {
    const ran: string[] = [];
    const runLine = async (l: string) => (ran.push(l), l === 'false' ? 1 : 0);
    expect(await shellSession(from(['true', '', 'false', 'exit 7', 'true']), runLine)).toBe(7);
    expect(ran).toEqual(['true', 'false']);
    expect(await shellSession(from(['false', 'exit']), runLine)).toBe(1);
    expect(await shellSession(from(['false']), runLine)).toBe(1);
  });
  it('prompts as the image\'s shell does for root in /', () => {
    expect(shellPrompt('busybox:1.36', 'sh', 'bb')).toBe('/ # ');
    expect(shellPrompt('nginx:1.27', 'sh', 'web-1')).toBe('# ');
    expect(shellPrompt('nginx:1.27', 'bash', 'web-1')).toBe('root@web-1:/# ');
  });
});
