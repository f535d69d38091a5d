// `minikctl port-forward` binds real local ports and answers as the pod would (issue 5).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, freshHome, run } from './helpers.js';

const ENV = { MINIKCTL_TIME: 'instant' };

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - name: http
          containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - name: front
    port: 8080
    targetPort: http
`;

interface Forwarder {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** resolves with the first line matching re */
  line: (re: RegExp) => Promise<RegExpMatchArray>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

function portForward(home: string, args: string[]): Forwarder {
  const child = spawn(process.execPath, [BIN, 'port-forward', ...args], { env: { ...process.env, MINIKCTL_HOME: home, TZ: 'UTC', ...ENV } });
  children.push(child);
  let out = '';
  let err = '';
  const waiters: (() => void)[] = [];
  const poke = () => waiters.splice(0).forEach((w) => w());
  child.stdout!.on('data', (d) => {
    out += d;
    poke();
  });
  child.stderr!.on('data', (d) => {
    err += d;
    poke();
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => {
    poke();
    resolve({ code, signal });
  }));
  const line = (re: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no line ${re} in:\n${out}\n${err}`)), 20_000);
      const check = () => {
        const m = out.match(re) ?? err.match(re);
        if (m) {
          clearTimeout(timer);
          resolve(m);
        } else if (child.exitCode !== null || child.signalCode !== null) {
          clearTimeout(timer);
          reject(new Error(`exited without ${re}:\n${out}\n${err}`));
        } else waiters.push(check);
      };
      check();
    });
  return { child, stdout: () => out, stderr: () => err, line, exit };
}

function httpGet(port: number, path = '/'): Promise<{ status: number; headers: Record<string, any>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('port-forward', () => {
  const home = freshHome();
  const setup = () => {
    const r = run(['apply', '-f', '-'], { home, input: DEPLOYMENT, env: ENV });
    expect(r.stderr).toBe('');
    expect(run(['rollout', 'status', 'deployment/web'], { home, env: ENV }).code).toBe(0);
  };

  it('forwards a random local port to a deployment pod: the nginx welcome page, then Ctrl-C', async () => {
    setup();
    const pf = portForward(home, ['deploy/web', ':80']);
    const m = await pf.line(/Forwarding from 127\.0\.0\.1:(\d+) -> 80\n/);
    const port = Number(m[1]);
    await pf.line(new RegExp(`Forwarding from \\[::1\\]:${port} -> 80\\n`));
    const res = await httpGet(port);
    expect(res.status).toBe(200);
    expect(res.headers.server).toBe('nginx/1.27.5');
    expect(res.headers['content-length']).toBe('615');
    expect(res.body).toContain('<title>Welcome to nginx!</title>');
    const missing = await httpGet(port, '/nope');
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('<hr><center>nginx/1.27.5</center>');
    await pf.line(new RegExp(`Handling connection for ${port}\\n`));
    expect(pf.stdout().match(/Handling connection/g)?.length).toBe(2);
    pf.child.kill('SIGINT');
    expect(await pf.exit).toEqual({ code: 0, signal: null });
    expect(pf.stderr()).toBe('');
  });

  it('translates a service port (named targetPort) to the container port', async () => {
    const pf = portForward(home, ['svc/web', '0:8080']);
    const m = await pf.line(/Forwarding from 127\.0\.0\.1:(\d+) -> (\d+)\n/);
    expect(m[2]).toBe('80');
    expect((await httpGet(Number(m[1]))).body).toContain('Welcome to nginx!');
    pf.child.kill('SIGINT');
    expect((await pf.exit).code).toBe(0);
  });

  it('a port nothing listens on: the connection fails, kubectl reports it and loses the pod', async () => {
    const pf = portForward(home, ['deploy/web', '0:81']);
    const port = Number((await pf.line(/Forwarding from 127\.0\.0\.1:(\d+) -> 81\n/))[1]);
    await expect(httpGet(port)).rejects.toThrow();
    const { code } = await pf.exit;
    expect(code).toBe(1);
    expect(pf.stderr()).toMatch(/^E\d{4} [\d:.]+ +\d+ portforward\.go:\d+\] "Unhandled Error" err="an error occurred forwarding \d+ -> 81: error forwarding port 81 to pod [0-9a-f]{64}, uid : failed to execute portforward in network namespace \\"\/var\/run\/netns\/cni-[0-9a-f-]+\\": failed to connect to localhost:81 inside namespace \\"[0-9a-f]{64}\\", IPv4: dial tcp4 127\.0\.0\.1:81: connect: connection refused IPv6 dial tcp6 \[::1\]:81: connect: connection refused " logger="UnhandledError"\nerror: lost connection to pod\n$/);
  });

  it('a local port already taken: kubectl\'s listen errors', async () => {
    const busy: Server = createServer();
    await new Promise<void>((r) => busy.listen({ host: '127.0.0.1', port: 0 }, () => r()));
    const port = (busy.address() as { port: number }).port;
    try {
      const r = run(['port-forward', 'deploy/web', `${port}:80`, '--address', '127.0.0.1'], { home, env: ENV });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        `Unable to listen on port ${port}: Listeners failed to create with the following errors: [unable to create listener: Error listen tcp4 127.0.0.1:${port}: bind: address already in use]\n` +
          `error: unable to listen on any of the requested ports: [{${port} 80}]\n`,
      );
    } finally {
      busy.close();
    }
  });

  it('a pod that is not running, a pod that does not exist, missing ports', () => {
    expect(run(['run', 'stuck', '--image=nginx:0.0-nope'], { home, env: ENV }).code).toBe(0);
    const r = run(['port-forward', 'pod/stuck', '8080:80'], { home, env: ENV });
    expect([r.code, r.stderr]).toEqual([1, 'error: unable to forward port because pod is not running. Current status=Pending\n']);
    const none = run(['port-forward', 'nope', '80'], { home, env: ENV });
    expect([none.code, none.stderr]).toEqual([1, 'Error from server (NotFound): pods "nope" not found\n']);
    const usage = run(['port-forward', 'deploy/web'], { home, env: ENV });
    expect([usage.code, usage.stderr]).toEqual([1, "error: TYPE/NAME and list of ports are required for port-forward\nSee 'minikctl port-forward -h' for help and examples\n"]);
  });
});
