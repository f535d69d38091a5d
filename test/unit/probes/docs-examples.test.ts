// The probe examples of the Kubernetes docs (tasks/configure-pod-container/configure-liveness-
// readiness-startup-probes), run through the prober: what their page says happens, happens here.
import { describe, expect, it } from 'vitest';
import { advanceProbes, newProbeState } from '../../../src/kubelet/probes/index.js';
import { corpusPod, drive, factsOf, IP, rel, T0 } from './helpers.js';

describe('exec-liveness.yaml (busybox touches /tmp/healthy, removes it after 30 s)', () => {
  const pod = corpusPod('pods/probe/exec-liveness.yaml');
  const spec = pod.spec.containers[0];

  it('passes for 30 s, then fails three times and the container is restarted at 45 s', () => {
    const d = drive(factsOf(spec), T0 + 120_000);
    const msg = "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n";
    expect(d.events.map((e) => [rel(e.at), e.type, e.reason, e.message])).toEqual([
      [35, 'Warning', 'Unhealthy', msg],
      [40, 'Warning', 'Unhealthy', msg],
      [45, 'Warning', 'Unhealthy', msg],
    ]);
    expect(rel(d.last.restartAt!)).toBe(45);
    expect(d.last.restartMessage).toBe('Container liveness failed liveness probe, will be restarted');
    // while healthy the prober only wakes up where the files change: start, first probe, the first probe after
    // the rm, each failure (and the test's final look at 120 s)
    expect(d.calls.map((t) => rel(t))).toEqual([0, 5, 35, 40, 45, 120]);
    expect(d.last.nextAt).toBeUndefined();
  });

  it('gives the same story advanced in one step (instant mode) as step by step', () => {
    const st = newProbeState();
    const out = advanceProbes(st, factsOf(spec), T0, T0 + 600_000);
    expect(out.events.map((e) => rel(e.at))).toEqual([35, 40, 45]);
    expect(rel(out.restartAt!)).toBe(45);
    // calling again changes nothing and repeats no event
    const again = advanceProbes(st, factsOf(spec), T0, T0 + 700_000);
    expect(again.events).toEqual([]);
    expect(again.restartAt).toBe(out.restartAt);
  });

  it('a new container instance (new state) starts healthy again', () => {
    const restartAt = T0 + 45_000;
    const start2 = restartAt + 30_000 + 1_000; // grace period, then started again
    const d = drive(factsOf(spec), start2 + 120_000, start2);
    expect(d.events.map((e) => rel(e.at, start2))).toEqual([35, 40, 45]);
  });
});

describe('http-liveness.yaml (agnhost liveness: /healthz 200 for 10 s, then 500)', () => {
  const spec = corpusPod('pods/probe/http-liveness.yaml').spec.containers[0];

  it('fails from the first probe after 10 s and restarts after three failures', () => {
    const d = drive(factsOf(spec), T0 + 60_000);
    expect(d.events.map((e) => [rel(e.at), e.message])).toEqual([
      [12, 'Liveness probe failed: HTTP probe failed with statuscode: 500'],
      [15, 'Liveness probe failed: HTTP probe failed with statuscode: 500'],
      [18, 'Liveness probe failed: HTTP probe failed with statuscode: 500'],
    ]);
    expect(rel(d.last.restartAt!)).toBe(18);
    // probes at 3 s succeed; the ones at 6 and 9 s cannot differ and are not woken for
    expect(d.calls.map((t) => rel(t))).toEqual([0, 3, 12, 15, 18, 60]);
  });

  it('the pod has no readiness probe: ready as soon as it runs', () => {
    const out = advanceProbes(newProbeState(), factsOf(spec), T0, T0);
    expect(out).toMatchObject({ ready: true, started: true, events: [] });
  });
});

describe('tcp-liveness-readiness.yaml (goproxy on 8080)', () => {
  const spec = corpusPod('pods/probe/tcp-liveness-readiness.yaml').spec.containers[0];

  it('becomes ready at the first probe after the 15 s delay and then asks for no wake-up', () => {
    const d = drive(factsOf(spec), T0 + 3_600_000);
    expect(d.events).toEqual([]);
    // ticks every 10 s from the worker's start: the first one past 15 s is at 20 s
    expect(d.trail.filter((x) => x.ready).map((x) => rel(x.at))[0]).toBe(20);
    expect(d.trail.find((x) => rel(x.at) < 20)?.ready).toBe(false);
    expect(d.calls.map((t) => rel(t))).toEqual([0, 20, 3600]);
    expect(d.last.ready).toBe(true);
    expect(d.last.nextAt).toBeUndefined();
  });

  it('probing a port goproxy does not listen on: refused, never ready, restarted after three failures', () => {
    const bad = structuredClone(spec);
    bad.readinessProbe.tcpSocket.port = 8081;
    bad.livenessProbe.tcpSocket.port = 8081;
    const d = drive(factsOf(bad), T0 + 120_000);
    const refused = `dial tcp ${IP}:8081: connect: connection refused`;
    expect(d.events.map((e) => [rel(e.at), e.message])).toEqual([
      [20, `Readiness probe failed: ${refused}`],
      [20, `Liveness probe failed: ${refused}`],
      [30, `Readiness probe failed: ${refused}`],
      [30, `Liveness probe failed: ${refused}`],
      [40, `Readiness probe failed: ${refused}`],
      [40, `Liveness probe failed: ${refused}`],
    ]);
    expect(rel(d.last.restartAt!)).toBe(40);
    expect(d.last.ready).toBe(false);
  });
});

describe('grpc-liveness (etcd with its gRPC health service on 2379)', () => {
  // the docs' pods/probe/grpc-liveness.yaml
  const spec = {
    name: 'etcd',
    image: 'registry.k8s.io/etcd:3.5.1-0',
    command: ['/usr/local/bin/etcd', '--data-dir', '/var/lib/etcd', '--listen-client-urls', 'http://0.0.0.0:2379', '--advertise-client-urls', 'http://127.0.0.1:2379', '--log-level', 'debug'],
    ports: [{ containerPort: 2379 }],
    livenessProbe: { grpc: { port: 2379 }, initialDelaySeconds: 10 },
  };

  it('etcd answers SERVING: healthy, no events, no wake-ups', () => {
    const d = drive(factsOf(spec), T0 + 3_600_000);
    expect(d.events).toEqual([]);
    expect(d.last.restartAt).toBeUndefined();
    expect(d.calls.map((t) => rel(t))).toEqual([0, 10, 3600]);
  });

  it('a port without a gRPC server times out the dial, and an unknown service is NotFound', () => {
    const wrongPort = { ...spec, livenessProbe: { grpc: { port: 2378 }, initialDelaySeconds: 10, timeoutSeconds: 1 } };
    const a = drive(factsOf(wrongPort), T0 + 60_000);
    expect(a.events[0].message).toBe(`Liveness probe failed: timeout: failed to connect service "${IP}:2378" within 1s: context deadline exceeded`);
    expect(rel(a.last.restartAt!)).toBe(30);
    const svc = { ...spec, livenessProbe: { grpc: { port: 2379, service: 'foo' }, initialDelaySeconds: 10 } };
    const b = drive(factsOf(svc), T0 + 60_000);
    expect(b.events[0].message).toBe('Liveness probe failed: error: health rpc probe failed: rpc error: code = NotFound desc = unknown service');
  });
});

describe('startup probe protecting a slow container (the docs\' liveness-port example)', () => {
  const spec = {
    name: 'slow',
    image: 'registry.k8s.io/busybox:1.27.2',
    args: ['/bin/sh', '-c', 'sleep 25; touch /tmp/started; sleep 3600'],
    ports: [{ name: 'liveness-port', containerPort: 8080 }],
    livenessProbe: { exec: { command: ['cat', '/tmp/started'] }, failureThreshold: 1, periodSeconds: 5 },
    startupProbe: { exec: { command: ['cat', '/tmp/started'] }, failureThreshold: 30, periodSeconds: 10 },
  };

  it('liveness does not run until the startup probe succeeds; no restart', () => {
    const d = drive(factsOf(spec), T0 + 600_000);
    const msg = "Startup probe failed: cat: can't open '/tmp/started': No such file or directory\n";
    expect(d.events.map((e) => [rel(e.at), e.message])).toEqual([[0, msg], [10, msg], [20, msg]]);
    expect(d.last.restartAt).toBeUndefined();
    expect(d.trail.filter((x) => !x.started).map((x) => rel(x.at))).toEqual([0, 10, 20]);
    expect(d.last.started).toBe(true);
    expect(d.last.ready).toBe(true);
    // after the startup probe passes at 30 s, liveness probes once (35 s) and then nothing more changes
    expect(d.calls.map((t) => rel(t))).toEqual([0, 10, 20, 30, 35, 600]);
  });

  it('a container that never starts is killed when the startup probe runs out of failures', () => {
    const never = { ...spec, args: ['/bin/sh', '-c', 'sleep 3600'], startupProbe: { ...spec.startupProbe, failureThreshold: 3 } };
    const d = drive(factsOf(never), T0 + 600_000);
    expect(d.events.length).toBe(3);
    expect(rel(d.last.restartAt!)).toBe(20);
    expect(d.last.restartMessage).toBe('Container slow failed startup probe, will be restarted');
    expect(d.last.started).toBe(false);
  });
});
