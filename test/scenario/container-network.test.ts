// A container's own command on the network, through the real CLI (instant time): `run -- wget`
// ends Completed with the page in `logs`, a bad name ends Error with busybox's message, and a
// request loop logs the pods that answered. Needs the Service, EndpointSlice, kube-proxy and
// CoreDNS pieces of issue 5.
import { beforeAll, describe, expect, it } from 'vitest';
import { freshHome, runner } from './helpers.js';

describe('a pod whose command reaches the network (instant time)', () => {
  let k: ReturnType<typeof runner>;

  beforeAll(() => {
    k = runner(freshHome(), { MINIKCTL_TIME: 'instant' });
    k.ok('create', 'deployment', 'web', '--image=your-image:latest', '--replicas=3', '--port=8000');
    k.ok('expose', 'deployment', 'web', '--name=my-svc', '--port=80', '--target-port=8000');
    k.ok('rollout', 'status', 'deployment/web');
  }, 120_000);

  it('run -- wget -qO- my-svc: Completed, and logs shows the page', () => {
    k.ok('run', 't', '--image=busybox', '--restart=Never', '--', 'wget', '-qO-', 'my-svc');
    expect(k.ok('get', 'pod', 't', '-o', 'jsonpath={.status.containerStatuses[0].state.terminated.reason}')).toBe('Completed');
    const out = k.ok('logs', 't');
    expect(out).toMatch(/^Hello from web-\S+ \(your-image:latest\) on port 8000\n$/);
    // decided at the container's start: the same text on every read
    expect(k.ok('logs', 't')).toBe(out);
  });

  it('run -- wget -qO- -T 2 nosuch: Error, exit 1, "bad address" in logs', () => {
    k.ok('run', 'bad', '--image=busybox', '--restart=Never', '--', 'wget', '-qO-', '-T', '2', 'nosuch');
    const st = k.ok('get', 'pod', 'bad', '-o', 'jsonpath={.status.containerStatuses[0].state.terminated.reason}/{.status.containerStatuses[0].state.terminated.exitCode}');
    expect(st).toBe('Error/1');
    expect(k.ok('get', 'pod', 'bad')).toMatch(/\nbad\s+0\/1\s+Error\s+0\s/);
    expect(k.ok('logs', 'bad')).toBe("wget: bad address 'nosuch'\n");
  });

  it('a request loop logs which pod answered, varying, and keeps running', () => {
    k.ok('run', 'client', '--image=busybox', '--', 'sh', '-c', 'while true; do wget -qO- my-svc; sleep 1; done');
    k.ok('wait', '--for=condition=Ready', 'pod/client');
    expect(k.ok('get', 'pod', 'client', '-o', 'jsonpath={.status.phase}')).toBe('Running');
    // the loop's lines are computed when read, from the container's start to the present
    const out = k.ok('logs', 'client');
    const lines = out.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l).toMatch(/^Hello from web-\S+ \(your-image:latest\) on port 8000$/);
    if (lines.length >= 6) expect(new Set(lines.map((l) => l.split(' ')[2])).size).toBeGreaterThan(1);
  });
});
