// The replica calculator, the normalisation rules and the load model, alone.
import { describe, expect, it } from 'vitest';
import { resourceReplicas, rawResourceReplicas, type PodMetrics } from '../../../src/controllers/hpa/replicas.js';
import { normalizeDefault, normalizeWithBehavior, storeScaleEvent, type HpaMemory } from '../../../src/controllers/hpa/normalize.js';
import { clusterLoad, podUsage } from '../../../src/kubelet/usage.js';

const NOW = Date.parse('2026-01-01T01:00:00Z');
const LONG_AGO = '2026-01-01T00:00:00Z';

function pod(name: string, cpu = '200m', extra: any = {}): any {
  return {
    metadata: { name, namespace: 'default', uid: `uid-${name}`, labels: { run: 'web' } },
    spec: { containers: [{ name: 'c', image: 'registry.k8s.io/hpa-example', resources: { requests: { cpu }, limits: { cpu: '500m' } } }] },
    status: {
      phase: 'Running', startTime: LONG_AGO, podIP: `10.0.0.${name.length}`,
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: LONG_AGO }],
      containerStatuses: [{ name: 'c', state: { running: { startedAt: LONG_AGO } } }],
    },
    ...extra,
  };
}
const metrics = (vals: Record<string, number>): PodMetrics => new Map(Object.entries(vals).map(([k, v]) => [k, { value: v, timestamp: NOW - 5000, window: 15000 }]));
const mem = (): HpaMemory => ({ recommendations: [], scaleUp: [], scaleDown: [] });

describe('replica calculator', () => {
  it('keeps the count within the 10% tolerance and uses integer utilisation', () => {
    const pods = [pod('a'), pod('b')];
    // 108m + 110m of 400m: 54% against 50% → ratio 1.08, within tolerance
    expect(resourceReplicas(2, 50, 'cpu', pods, metrics({ a: 108, b: 110 }), NOW)).toMatchObject({ replicas: 2, utilization: 54, rawAverage: 109 });
    // 300m each: 150% → ceil(2 x 3) = 6
    expect(resourceReplicas(2, 50, 'cpu', pods, metrics({ a: 300, b: 300 }), NOW)).toMatchObject({ replicas: 6, utilization: 150 });
  });

  it('dampens a scale-down when a pod has no metrics (it counts at its full request)', () => {
    const pods = [pod('a'), pod('b'), pod('c')];
    // without c: 10% → would be 1; with c at 100%: (20+20+200)/600 = 40% → ratio 0.8 → ceil(2.4) = 3 = current
    expect(resourceReplicas(3, 50, 'cpu', pods, metrics({ a: 20, b: 20 }), NOW).replicas).toBe(3);
  });

  it('counts a not-yet-ready pod as idle on the way up', () => {
    const fresh = pod('b');
    fresh.status.startTime = new Date(NOW - 20_000).toISOString();
    fresh.status.conditions[0].lastTransitionTime = new Date(NOW - 10_000).toISOString();
    // a at 400m (200%); b's sample predates its readiness + window: 0 → (400+0)/400 = 100% → ratio 2 → ceil(4)
    expect(resourceReplicas(2, 50, 'cpu', [pod('a'), fresh], metrics({ a: 400, b: 400 }), NOW).replicas).toBe(4);
  });

  it('names the container without a request', () => {
    expect(() => resourceReplicas(1, 50, 'cpu', [pod('a', undefined as any, { spec: { containers: [{ name: 'web', image: 'nginx' }] } })], metrics({ a: 5 }), NOW)).toThrow('missing request for cpu in container web of Pod a');
  });

  it('scales on an average value target', () => {
    expect(rawResourceReplicas(2, 100, 'cpu', [pod('a'), pod('b')], metrics({ a: 250, b: 250 }), NOW)).toMatchObject({ replicas: 5, rawAverage: 250 });
  });

  it('errors as the real calculator does without metrics', () => {
    expect(() => resourceReplicas(1, 50, 'cpu', [pod('a')], new Map(), NOW)).toThrow('unable to get metrics for resource cpu: no metrics returned from resource metrics API');
    const pending = pod('a');
    pending.status.phase = 'Pending';
    expect(() => resourceReplicas(1, 50, 'cpu', [pending], metrics({ a: 5 }), NOW)).toThrow('did not receive metrics for targeted pods (pods might be unready)');
  });
});

describe('normalisation', () => {
  it('without behavior: at most x2 (or 4) per step, the highest recommendation of 5 minutes on the way down', () => {
    const m = mem();
    expect(normalizeDefault(m, 1, 9, 1, 10, NOW)).toMatchObject({ replicas: 4, limited: { status: 'True', reason: 'ScaleUpLimit' } });
    expect(normalizeDefault(m, 4, 12, 1, 10, NOW + 15_000)).toMatchObject({ replicas: 8, limited: { status: 'True', reason: 'ScaleUpLimit' } });
    expect(normalizeDefault(m, 8, 2, 1, 10, NOW + 30_000)).toMatchObject({ replicas: 10, able: { reason: 'ScaleDownStabilized' } });
    expect(normalizeDefault(m, 8, 2, 1, 10, NOW + 10 * 60_000)).toMatchObject({ replicas: 2, able: { reason: 'ReadyForNewScale' }, limited: { status: 'False', reason: 'DesiredWithinRange' } });
    expect(normalizeDefault(mem(), 2, 0, 1, 10, NOW)).toMatchObject({ replicas: 1, limited: { status: 'True', reason: 'TooFewReplicas' } });
  });

  it('with behavior: policies limit the change per period', () => {
    const behavior = {
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max' as const, policies: [{ type: 'Pods' as const, value: 2, periodSeconds: 60 }] },
      scaleDown: { stabilizationWindowSeconds: 0, selectPolicy: 'Max' as const, policies: [{ type: 'Percent' as const, value: 50, periodSeconds: 60 }] },
    };
    const m = mem();
    const up = normalizeWithBehavior(m, behavior, 2, 10, 1, 20, NOW);
    expect(up).toMatchObject({ replicas: 4, limited: { status: 'True', reason: 'ScaleUpLimit' } });
    storeScaleEvent(m, behavior, 2, 4, NOW);
    // within the same minute the 2 pods are used up
    expect(normalizeWithBehavior(m, behavior, 4, 10, 1, 20, NOW + 15_000).replicas).toBe(4);
    expect(normalizeWithBehavior(m, behavior, 4, 10, 1, 20, NOW + 61_000).replicas).toBe(6);
    expect(normalizeWithBehavior(mem(), behavior, 10, 1, 1, 20, NOW)).toMatchObject({ replicas: 5, limited: { reason: 'ScaleDownLimit' } });
  });
});

describe('load model', () => {
  const svc = { metadata: { name: 'web', namespace: 'default' }, spec: { selector: { run: 'web' }, clusterIP: '10.96.0.10' } };
  const generator = (host: string) => ({
    metadata: { name: 'gen', namespace: 'default', uid: 'uid-gen' },
    spec: { containers: [{ name: 'g', image: 'busybox:1.28', command: ['/bin/sh', '-c', `while sleep 0.01; do wget -q -O- http://${host}; done`] }] },
    status: { phase: 'Running', containerStatuses: [{ name: 'g', state: { running: { startedAt: LONG_AGO } } }] },
  });

  it('spreads a request loop over the Service backends and caps at the CPU limit', () => {
    const load = clusterLoad([pod('a'), pod('bb'), generator('web')], [svc]);
    expect(load.get('uid-a')).toBeCloseTo(308, 0);
    expect(load.get('uid-bb')).toBeCloseTo(308, 0);
    const one = clusterLoad([pod('a'), generator('web.default.svc.cluster.local')], [svc]);
    expect(podUsage(pod('a'), NOW, one)[0].cpuMilli).toBe(500);
    expect(clusterLoad([pod('a'), generator('10.96.0.10')], [svc]).get('uid-a')).toBeCloseTo(616, 0);
  });

  it('adds nothing for a name that resolves to no Service, or without a generator', () => {
    expect(clusterLoad([pod('a'), generator('elsewhere')], [svc]).size).toBe(0);
    expect(clusterLoad([pod('a')], [svc]).size).toBe(0);
    expect(podUsage(pod('a'), NOW)[0].cpuMilli).toBeLessThan(10);
  });
});
