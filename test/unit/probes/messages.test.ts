// What each kind of probe sees, and the words the kubelet puts in the Unhealthy event
// (pkg/probe/http, tcp, grpc, exec; prober.go "<Type> probe failed: <output>").
import { describe, expect, it } from 'vitest';
import { addonObjects } from '../../../src/cluster/bootstrap.js';
import { defaultClusterConfig } from '../../../src/cluster/config.js';
import { staticPods } from '../../../src/kubelet/static-pods.js';
import { advanceProbes, newProbeState } from '../../../src/kubelet/probes/index.js';
import { attempt } from '../../../src/kubelet/probes/handlers.js';
import { drive, factsOf, IP, rel, T0 } from './helpers.js';

const none = { fileAt: () => false };
const probeOnce = (spec: any, probe: any, t = 1_000) => attempt(probe, { spec, podIP: IP, ...none }, t);

describe('httpGet', () => {
  const nginx = { name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] };

  it('nginx serves / and answers 404 elsewhere', () => {
    expect(probeOnce(nginx, { httpGet: { path: '/', port: 80 } }).result).toBe('success');
    expect(probeOnce(nginx, { httpGet: { path: '/healthz', port: 80 } })).toEqual({ result: 'failure', output: 'HTTP probe failed with statuscode: 404' });
  });

  it('a port nobody listens on is refused, with the URL as Go prints it', () => {
    expect(probeOnce(nginx, { httpGet: { path: '/healthz', port: 8080 } }).output).toBe(`Get "http://${IP}:8080/healthz": dial tcp ${IP}:8080: connect: connection refused`);
    expect(probeOnce(nginx, { httpGet: { path: 'healthz', port: 8080, host: '10.0.0.9' } }).output).toBe('Get "http://10.0.0.9:8080/healthz": dial tcp 10.0.0.9:8080: connect: connection refused');
  });

  it('the readiness event for nginx probed on a path it does not serve', () => {
    const spec = { ...nginx, readinessProbe: { httpGet: { path: '/ready', port: 80 }, periodSeconds: 10 } };
    const out = advanceProbes(newProbeState(), factsOf(spec), T0, T0 + 25_000);
    expect(out.events.map((e) => e.message)).toEqual(Array(3).fill('Readiness probe failed: HTTP probe failed with statuscode: 404'));
    expect(out.ready).toBe(false);
  });

  it('HTTPS to a plain server, HTTP to an HTTPS server, HTTP to redis', () => {
    expect(probeOnce(nginx, { httpGet: { path: '/', port: 80, scheme: 'HTTPS' } }).output).toBe(`Get "https://${IP}:80/": http: server gave HTTP response to HTTPS client`);
    const apiserver = { name: 'kube-apiserver', image: 'registry.k8s.io/kube-apiserver:v1.32.0', command: ['kube-apiserver'] };
    expect(probeOnce(apiserver, { httpGet: { path: '/livez', port: 6443, scheme: 'HTTP' } }).output).toBe('HTTP probe failed with statuscode: 400');
    expect(probeOnce(apiserver, { httpGet: { path: '/livez', port: 6443, scheme: 'HTTPS' } }).result).toBe('success');
    const redis = { name: 'redis', image: 'redis:7' };
    expect(probeOnce(redis, { httpGet: { path: '/', port: 6379 } }).output).toBe(
      `Get "http://${IP}:6379/": net/http: HTTP/1.x transport connection broken: malformed HTTP response "-ERR wrong number of arguments for 'get' command"`,
    );
    expect(probeOnce(redis, { tcpSocket: { port: 6379 } }).result).toBe('success');
  });

  it('goproxy refuses plain GETs with 500; echoserver and an unknown app answer every path', () => {
    expect(probeOnce({ name: 'p', image: 'registry.k8s.io/goproxy:0.1' }, { httpGet: { path: '/', port: 8080 } }).output).toBe('HTTP probe failed with statuscode: 500');
    expect(probeOnce({ name: 'e', image: 'registry.k8s.io/echoserver:1.10' }, { httpGet: { path: '/anything', port: 8080 } }).result).toBe('success');
    const mine = { name: 'm', image: 'ghcr.io/me/api:2', ports: [{ containerPort: 3000 }] };
    expect(probeOnce(mine, { httpGet: { path: '/healthz', port: 3000 } }).result).toBe('success');
    expect(probeOnce(mine, { grpc: { port: 3000 } }).result).toBe('success');
    expect(probeOnce(mine, { tcpSocket: { port: 3001 } }).output).toBe(`dial tcp ${IP}:3001: connect: connection refused`);
  });

  it('agnhost liveness answers 200 up to and including 10 s, 500 after (the probe at exactly 10 s passes)', () => {
    const spec = {
      name: 'liveness', image: 'registry.k8s.io/e2e-test-images/agnhost:2.40', args: ['liveness'],
      livenessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 5 },
    };
    const d = drive(factsOf(spec), T0 + 60_000);
    expect(d.events.map((e) => rel(e.at))).toEqual([15, 20, 25]);
    expect(probeOnce(spec, { httpGet: { path: '/started', port: 8080 } }, 50_000).result).toBe('success');
    const netexec = { name: 'n', image: 'registry.k8s.io/e2e-test-images/agnhost:2.40', args: ['netexec', '--http-port=8080'] };
    expect(probeOnce(netexec, { httpGet: { path: '/healthz', port: 8080 } }).result).toBe('success');
    expect(probeOnce(netexec, { httpGet: { path: '/echo?code=503', port: 8080 } }).output).toBe('HTTP probe failed with statuscode: 503');
  });
});

describe('exec', () => {
  const files = (...present: string[]) => ({ fileAt: (p: string) => present.includes(p) });
  const run = (image: string, command: string[], present: string[] = [], timeoutSeconds = 1) =>
    attempt({ exec: { command }, timeoutSeconds }, { spec: { name: 'c', image }, podIP: IP, ...files(...present) }, 1_000);

  it('busybox and GNU coreutils say it their own way', () => {
    expect(run('busybox:1.36', ['cat', '/tmp/healthy']).output).toBe("cat: can't open '/tmp/healthy': No such file or directory\n");
    expect(run('nginx:1.27', ['cat', '/tmp/healthy']).output).toBe('cat: /tmp/healthy: No such file or directory\n');
    expect(run('alpine:3.20', ['ls', '/tmp/x']).output).toBe('ls: /tmp/x: No such file or directory\n');
    expect(run('debian:bookworm', ['ls', '/tmp/x']).output).toBe("ls: cannot access '/tmp/x': No such file or directory\n");
    expect(run('busybox', ['cat', '/tmp/healthy'], ['/tmp/healthy'])).toEqual({ result: 'success', output: '' });
  });

  it('shell wrappers, test, [ ], && and ||, exit codes', () => {
    expect(run('busybox', ['sh', '-c', 'test -e /tmp/ready']).result).toBe('failure');
    expect(run('busybox', ['sh', '-c', 'test -e /tmp/ready'], ['/tmp/ready']).result).toBe('success');
    expect(run('busybox', ['/bin/sh', '-c', '[ -f /tmp/a ] && [ -f /tmp/b ]'], ['/tmp/a']).result).toBe('failure');
    expect(run('busybox', ['/bin/sh', '-c', '[ -f /tmp/a ] || exit 3'], []).result).toBe('failure');
    expect(run('busybox', ['sh', '-c', 'cat /tmp/a || cat /tmp/b'], ['/tmp/b']).result).toBe('success');
    expect(run('busybox', ['sh', '-c', 'cat /tmp/a > /dev/null; echo checked'], []).output).toBe("cat: can't open '/tmp/a': No such file or directory\nchecked\n");
    expect(run('busybox', ['sh', '-c', "test ! -e '/tmp/stop'"], ['/tmp/stop']).result).toBe('failure');
    expect(run('busybox', ['true']).result).toBe('success');
    expect(run('busybox', ['false'])).toEqual({ result: 'failure', output: '' });
    expect(run('redis:7', ['redis-cli', 'ping']).result).toBe('success'); // a command the model does not know succeeds
  });

  it('a command that outlasts timeoutSeconds fails with the runtime\'s message', () => {
    expect(run('busybox', ['sh', '-c', 'sleep 5'])).toEqual({ result: 'failure', output: 'command "sh -c sleep 5" timed out' });
    expect(run('busybox', ['sh', '-c', 'sleep 5'], [], 10).result).toBe('success');
  });
});

describe('the cluster\'s own probes pass', () => {
  const config = defaultClusterConfig('minikctl');
  const cp = config.nodes.find((n) => n.role === 'control-plane')!;
  const specs: any[] = [
    ...staticPods(cp, config).map((p) => p.spec!.containers[0]),
    ...addonObjects(config, 'minikctl').flatMap(([, , o]) => (o.kind === 'Deployment' || o.kind === 'DaemonSet' ? o.spec.template.spec.containers : [])),
  ].filter((c) => c.livenessProbe || c.readinessProbe || c.startupProbe);

  it('static pods (etcd, apiserver, controller-manager, scheduler) and CoreDNS: no Unhealthy, ready, no wake-ups', () => {
    expect(specs.map((s) => s.name).sort()).toEqual(expect.arrayContaining(['coredns', 'etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler']));
    for (const spec of specs) {
      const d = drive(factsOf(spec), T0 + 600_000);
      expect({ name: spec.name, events: d.events }).toEqual({ name: spec.name, events: [] });
      expect(d.last).toMatchObject({ ready: true, started: true });
      expect(d.last.nextAt).toBeUndefined();
    }
  });
});
