// The HPA controller on a simulated cluster: the docs' walkthrough (php-apache under a busybox
// request loop) scales up the way the page shows, settles, and scales back down after the
// stabilisation window once the load stops.
import { describe, expect, it } from 'vitest';
import { newSim, type Sim } from '../controlplane/harness.js';

const NS = 'default';

async function phpApache(sim: Sim, requests: Record<string, string> | null = { cpu: '200m' }) {
  await sim.create('deployments', NS, {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'php-apache' },
    spec: {
      selector: { matchLabels: { run: 'php-apache' } },
      template: {
        metadata: { labels: { run: 'php-apache' } },
        spec: { containers: [{ name: 'php-apache', image: 'registry.k8s.io/hpa-example', ports: [{ containerPort: 80 }], resources: requests ? { limits: { cpu: '500m' }, requests } : {} }] },
      },
    },
  });
  await sim.create('services', NS, {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'php-apache', labels: { run: 'php-apache' } },
    spec: { ports: [{ port: 80 }], selector: { run: 'php-apache' } },
  });
}

async function hpa(sim: Sim, extra: any = {}) {
  await sim.create('horizontalpodautoscalers', NS, {
    apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'php-apache' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'php-apache' }, minReplicas: 1, maxReplicas: 10,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
      ...extra,
    },
  });
}

async function loadGenerator(sim: Sim) {
  await sim.create('pods', NS, {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'load-generator', labels: { run: 'load-generator' } },
    spec: { restartPolicy: 'Never', containers: [{ name: 'load-generator', image: 'busybox:1.28', args: ['/bin/sh', '-c', 'while sleep 0.01; do wget -q -O- http://php-apache; done'] }] },
  });
}

const status = (sim: Sim) => sim.get('horizontalpodautoscalers', NS, 'php-apache')!.status;
const cond = (sim: Sim, type: string) => status(sim).conditions.find((c: any) => c.type === type);
const events = (sim: Sim, reason: string) => sim.list('events', NS).filter((e) => e.involvedObject?.kind === 'HorizontalPodAutoscaler' && e.reason === reason).map((e) => e.message);
const replicas = (sim: Sim) => sim.get('deployments', NS, 'php-apache')!.spec.replicas;

describe('HPA controller', () => {
  it('follows the walkthrough: idle, load, scale up to 7, scale back down after 5 minutes', async () => {
    const sim = await newSim();
    await phpApache(sim);
    await sim.run(60_000);
    await hpa(sim);
    // A new HPA waits one sync period: no status yet.
    await sim.run(5_000);
    expect(status(sim)?.conditions).toBeUndefined();
    await sim.run(30_000);
    const idle = status(sim);
    expect(idle.currentReplicas).toBe(1);
    expect(idle.desiredReplicas).toBe(1);
    expect(idle.currentMetrics[0].resource.current.averageUtilization).toBeLessThan(10);
    expect(cond(sim, 'AbleToScale')).toMatchObject({ status: 'True', reason: 'ReadyForNewScale', message: 'recommended size matches current size' });
    expect(cond(sim, 'ScalingActive')).toMatchObject({ status: 'True', reason: 'ValidMetricFound', message: 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)' });
    expect(cond(sim, 'ScalingLimited')).toMatchObject({ status: 'False', reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' });

    await loadGenerator(sim);
    await sim.run(15_000);
    // One pod at its 500m limit is 250% of its request: 5 wanted, 4 allowed at once (x2 or 4).
    expect(replicas(sim)).toBe(4);
    expect(events(sim, 'SuccessfulRescale')).toContain('New size: 4; reason: cpu resource utilization (percentage of request) above target');
    expect(cond(sim, 'ScalingLimited')).toMatchObject({ status: 'True', reason: 'ScaleUpLimit' });
    await sim.run(3 * 60_000);
    // 4 pods share the load as they become ready; the next syncs go to 7, where 44% is within tolerance.
    expect(replicas(sim)).toBe(7);
    const loaded = status(sim);
    expect(loaded.currentReplicas).toBe(7);
    expect(loaded.currentMetrics[0].resource.current.averageUtilization).toBeGreaterThanOrEqual(40);
    expect(loaded.currentMetrics[0].resource.current.averageUtilization).toBeLessThanOrEqual(55);
    expect(loaded.lastScaleTime).toBeDefined();

    await sim.call({ verb: 'delete', resource: 'pods', namespace: NS, name: 'load-generator', gracePeriodSeconds: 0 });
    await sim.run(2 * 60_000);
    // Within the 300 s window the highest recent recommendation holds.
    expect(replicas(sim)).toBe(7);
    expect(cond(sim, 'AbleToScale')).toMatchObject({ reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' });
    await sim.run(5 * 60_000);
    expect(replicas(sim)).toBe(1);
    expect(events(sim, 'SuccessfulRescale')).toContain('New size: 1; reason: All metrics below target');
  });

  it('reports pods without a CPU request as the real controller does', async () => {
    const sim = await newSim();
    await phpApache(sim, null);
    await sim.run(60_000);
    await hpa(sim);
    await sim.run(20_000);
    const pod = sim.list('pods', NS).find((p) => p.metadata?.labels?.run === 'php-apache')!;
    const missing = `missing request for cpu in container php-apache of Pod ${pod.metadata!.name}`;
    expect(events(sim, 'FailedGetResourceMetric')).toEqual([`failed to get cpu utilization: ${missing}`]);
    expect(events(sim, 'FailedComputeMetricsReplicas')).toEqual([`invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: failed to get cpu utilization: ${missing}`]);
    expect(cond(sim, 'ScalingActive')).toMatchObject({ status: 'False', reason: 'FailedGetResourceMetric', message: `the HPA was unable to compute the replica count: failed to get cpu utilization: ${missing}` });
    expect(status(sim).currentMetrics).toEqual([{ type: '' }]);
    expect(status(sim).desiredReplicas).toBe(0);
    expect(status(sim).currentReplicas).toBe(1);
  });

  it('has no metrics for pods that just started, and says so', async () => {
    const sim = await newSim();
    await phpApache(sim);
    await hpa(sim);
    await sim.run(16_000);
    const msgs = events(sim, 'FailedGetResourceMetric');
    expect(msgs[0]).toMatch(/^failed to get cpu utilization: (unable to get metrics for resource cpu: no metrics returned from resource metrics API|no pods returned by selector while calculating replica count)$/);
  });

  it('raises a target below minReplicas without metrics', async () => {
    const sim = await newSim();
    await phpApache(sim);
    await sim.run(30_000);
    await hpa(sim, { minReplicas: 3 });
    await sim.run(16_000);
    expect(replicas(sim)).toBe(3);
    expect(events(sim, 'SuccessfulRescale')).toEqual(['New size: 3; reason: Current number of replicas below Spec.MinReplicas']);
  });

  it('names a missing target', async () => {
    const sim = await newSim();
    await hpa(sim);
    await sim.run(16_000);
    expect(events(sim, 'FailedGetScale')).toEqual(['deployments.apps "php-apache" not found']);
    expect(cond(sim, 'AbleToScale')).toMatchObject({ status: 'False', reason: 'FailedGetScale', message: 'the HPA controller was unable to get the target\'s current scale: deployments.apps "php-apache" not found' });
  });
});
