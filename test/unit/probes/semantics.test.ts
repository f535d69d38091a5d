// The worker rules of pkg/kubelet/prober/worker.go: thresholds, initial values, what is counted,
// when the workers wake up, and that the answer does not depend on how often the kubelet asks.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { advanceProbes, newProbeState } from '../../../src/kubelet/probes/index.js';
import { intervals } from './fake-files.js';
import { drive, factsOf, IP, rel, T0 } from './helpers.js';

const app = (extra: any) => ({ name: 'app', image: 'example.com/my-app:1.0', ports: [{ name: 'http', containerPort: 8080 }], ...extra });
const ready = (path: string, p: any = {}) => ({ exec: { command: ['test', '-e', path] }, periodSeconds: 5, ...p });

describe('readiness', () => {
  it('starts as failure: not ready until the first successful probe (successThreshold 1)', () => {
    const spec = app({ readinessProbe: { httpGet: { path: '/', port: 8080 }, initialDelaySeconds: 5, periodSeconds: 10 } });
    const d = drive(factsOf(spec), T0 + 60_000);
    expect(d.trail.map((x) => [rel(x.at), x.ready])).toEqual([[0, false], [10, true], [60, true]]);
  });

  it('successThreshold 3 needs three successes in a row', () => {
    const spec = app({ readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 2, successThreshold: 3 } });
    const d = drive(factsOf(spec), T0 + 20_000);
    expect(d.trail.filter((x) => x.ready).map((x) => rel(x.at))[0]).toBe(4);
    expect(d.trail.filter((x) => !x.ready).map((x) => rel(x.at))).toEqual([0, 2]);
  });

  it('flaps with the file it reads: out after failureThreshold failures, back after one success', () => {
    const files = intervals('/tmp/ready', [[0, 20_000], [40_000, Infinity]]);
    const spec = app({ readinessProbe: ready('/tmp/ready', { failureThreshold: 2 }) });
    const d = drive(factsOf(spec, files), T0 + 60_000);
    expect(d.events.map((e) => [rel(e.at), e.message])).toEqual([20, 25, 30, 35].map((t) => [t, 'Readiness probe failed: ']));
    const flips = d.trail.filter((x, i) => i === 0 || x.ready !== d.trail[i - 1].ready).map((x) => [rel(x.at), x.ready]);
    expect(flips).toEqual([[0, true], [25, false], [40, true]]);
    // a failing readiness probe never restarts the container
    expect(d.last.restartAt).toBeUndefined();
  });

  it('a failing readiness probe is an event every period, forever — housekeeping: no changeAt', () => {
    const spec = app({ readinessProbe: { httpGet: { path: '/', port: 9090 }, periodSeconds: 10 } });
    const d = drive(factsOf(spec), T0 + 300_000);
    expect(d.events.length).toBe(31);
    expect(d.events[0].message).toBe(`Readiness probe failed: Get "http://${IP}:9090/": dial tcp ${IP}:9090: connect: connection refused`);
    expect(d.last.nextAt).toBe(T0 + 310_000);
    expect(d.last.changeAt).toBeUndefined();
  });

  it('changeAt: when a failed readiness probe can pass again (its file appears), and every liveness failure', () => {
    const files = intervals('/tmp/ready', [[42_000, Infinity]]);
    const spec = app({ readinessProbe: ready('/tmp/ready'), livenessProbe: { tcpSocket: { port: 1 }, periodSeconds: 7 } });
    const out = advanceProbes(newProbeState(), factsOf(spec, files), T0, T0 + 1_000);
    expect([out.ready, rel(out.nextAt!), rel(out.changeAt!)]).toEqual([false, 5, 7]);
    const later = advanceProbes(newProbeState(), factsOf({ ...spec, livenessProbe: undefined }, files), T0, T0 + 1_000);
    expect([rel(later.nextAt!), rel(later.changeAt!)]).toEqual([5, 45]);
  });
});

describe('liveness', () => {
  it('starts as success and restarts only after failureThreshold consecutive failures', () => {
    // absent on [10, 20) (two failures at 10 and 15), present again, then gone for good from 40 s
    const files = intervals('/tmp/ok', [[0, 10_000], [20_000, 40_000]]);
    const spec = app({ livenessProbe: ready('/tmp/ok', { failureThreshold: 3 }) });
    const d = drive(factsOf(spec, files), T0 + 120_000);
    expect(d.events.map((e) => rel(e.at))).toEqual([10, 15, 40, 45, 50]);
    expect(rel(d.last.restartAt!)).toBe(50);
    expect(d.last.ready).toBe(true); // no readiness probe
  });

  it('failureThreshold 1 restarts at the first failure; restartPolicy Never says so without "will be restarted"', () => {
    const files = intervals('/tmp/ok', [[0, 7_000]]);
    const spec = app({ livenessProbe: ready('/tmp/ok', { failureThreshold: 1 }) });
    const d = drive(factsOf(spec, files, { restartPolicy: 'Never' }), T0 + 60_000);
    expect(rel(d.last.restartAt!)).toBe(10);
    expect(d.last.restartMessage).toBe('Container app failed liveness probe');
  });

  it('initialDelaySeconds: no probe before it, even when the probe would fail', () => {
    const spec = app({ livenessProbe: { tcpSocket: { port: 9999 }, initialDelaySeconds: 30, periodSeconds: 10, failureThreshold: 1 } });
    const d = drive(factsOf(spec), T0 + 60_000);
    expect(d.events.map((e) => [rel(e.at), e.message])).toEqual([[30, `Liveness probe failed: dial tcp ${IP}:9999: connect: connection refused`]]);
  });
});

describe('named ports', () => {
  it('a named containerPort resolves to its number', () => {
    const spec = app({ livenessProbe: { httpGet: { path: '/healthz', port: 'http' } }, readinessProbe: { tcpSocket: { port: 'http' } } });
    const d = drive(factsOf(spec), T0 + 60_000);
    expect(d.events).toEqual([]);
    expect(d.last.ready).toBe(true);
  });

  it('a name the container does not declare: the probe errors, which never counts toward a restart', () => {
    const spec = app({ livenessProbe: { httpGet: { path: '/healthz', port: 'metrics' }, periodSeconds: 10 } });
    const d = drive(factsOf(spec), T0 + 60_000);
    expect(d.events.length).toBe(7);
    expect(d.events[0].message).toBe('Liveness probe errored and resulted in unknown state: strconv.Atoi: parsing "metrics": invalid syntax');
    expect(d.last.restartAt).toBeUndefined();
  });

  it('a port number written as a string still works', () => {
    const spec = app({ readinessProbe: { tcpSocket: { port: '8080' } } });
    expect(advanceProbes(newProbeState(), factsOf(spec), T0, T0).ready).toBe(true);
  });
});

describe('wake-ups', () => {
  it('a healthy nginx with liveness and readiness asks for nothing once it is ready', () => {
    const spec = {
      name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }],
      livenessProbe: { httpGet: { path: '/', port: 80 }, initialDelaySeconds: 3, periodSeconds: 3 },
      readinessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 5 },
    };
    const st = newProbeState();
    const first = advanceProbes(st, factsOf(spec), T0, T0);
    expect(first.ready).toBe(true); // readiness is triggered as the container starts
    expect(first.nextAt).toBe(T0 + 3_000);
    const second = advanceProbes(st, factsOf(spec), T0, T0 + 3_000);
    expect(second.nextAt).toBeUndefined();
    expect(advanceProbes(st, factsOf(spec), T0, T0 + 86_400_000)).toEqual({ ready: true, started: true, events: [] });
  });

  it('no probes at all: ready and started, nothing to wake for', () => {
    expect(advanceProbes(newProbeState(), factsOf({ name: 'x', image: 'nginx' }), T0, T0)).toEqual({ ready: true, started: true, events: [] });
  });

  it('workerStartedAt keeps the ticks in the phase of the pod\'s admission', () => {
    const spec = app({ livenessProbe: { tcpSocket: { port: 1 }, periodSeconds: 10, failureThreshold: 1 } });
    const d = drive(factsOf(spec, undefined, { workerStartedAt: T0 - 3_500 }), T0 + 60_000);
    // ticks at admission + k*10 s: the first one after the container started is 6.5 s into its life
    expect(rel(d.last.restartAt!)).toBe(6.5);
  });
});

describe('determinism', () => {
  // a random world: a file that comes and goes, probes of random periods and thresholds
  const world = fc.record({
    spans: fc.array(fc.tuple(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 1, max: 40 })), { maxLength: 4 }),
    period: fc.integer({ min: 1, max: 15 }),
    delay: fc.integer({ min: 0, max: 20 }),
    fail: fc.integer({ min: 1, max: 4 }),
    succ: fc.integer({ min: 1, max: 3 }),
    rperiod: fc.integer({ min: 1, max: 15 }),
    startup: fc.boolean(),
    healthyAtEnd: fc.boolean(),
    phase: fc.integer({ min: 0, max: 9_999 }),
    steps: fc.array(fc.integer({ min: 1, max: 20_000 }), { minLength: 1, maxLength: 30 }),
  });
  const build = (w: any, dense: boolean) => {
    const spans: [number, number][] = w.spans.map(([a, l]: [number, number]) => [a * 1000, (a + l) * 1000]);
    if (w.healthyAtEnd) spans.push([170_000, Infinity]);
    const files = intervals('/tmp/f', spans);
    // the dense world declares a change every second: nothing can be skipped, every tick is evaluated
    if (dense) files.fileChanges = Array.from({ length: 400 }, (_, i) => i * 1000);
    const spec = app({
      livenessProbe: ready('/tmp/f', { periodSeconds: w.period, initialDelaySeconds: w.delay, failureThreshold: w.fail }),
      readinessProbe: ready('/tmp/f', { periodSeconds: w.rperiod, successThreshold: w.succ, failureThreshold: w.fail }),
      ...(w.startup ? { startupProbe: ready('/tmp/f', { periodSeconds: 3, failureThreshold: 30 }) } : {}),
    });
    return factsOf(spec, files, { workerStartedAt: T0 - w.phase });
  };
  const end = T0 + 300_000;

  it('the same story whether advanced at once, step by step, or at every wake-up; skipping ticks changes nothing', () => {
    fc.assert(
      fc.property(world, (w) => {
        const once = advanceProbes(newProbeState(), build(w, false), T0, end);
        const dense = advanceProbes(newProbeState(), build(w, true), T0, end);
        const { nextAt: n1, changeAt: c1, ...a } = once;
        const { nextAt: n2, ...b } = dense;
        delete b.changeAt;
        expect(a).toEqual(b);
        // skipping only ever postpones a wake-up that could change nothing
        if (n1 !== undefined) expect(n1).toBeGreaterThanOrEqual(n2!);
        if (c1 !== undefined) expect(c1).toBeGreaterThanOrEqual(n1!);
        if (w.healthyAtEnd && !once.restartAt && w.spans.length === 0) expect(n1).toBeUndefined();
        // arbitrary steps
        const st = newProbeState();
        let t = T0;
        const evs: any[] = [];
        let last = advanceProbes(st, build(w, false), T0, t);
        evs.push(...last.events);
        for (const s of w.steps) {
          t = Math.min(end, t + s);
          last = advanceProbes(st, build(w, false), T0, t);
          evs.push(...last.events);
        }
        last = advanceProbes(st, build(w, false), T0, end);
        evs.push(...last.events);
        expect(evs).toEqual(once.events);
        expect([last.ready, last.started, last.restartAt]).toEqual([once.ready, once.started, once.restartAt]);
        // at each wake-up
        const d = drive(build(w, false), end);
        expect(d.events).toEqual(once.events);
        expect([d.last.ready, d.last.started, d.last.restartAt]).toEqual([once.ready, once.started, once.restartAt]);
      }),
      { numRuns: 150, seed: 4 },
    );
  });
});
