// Byte-for-byte comparisons with outputs captured from real kubectl 1.32 (shared/kubectl-wire samples).
import { describe as suite, it, expect, beforeAll } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { describe } from '../../../src/printers/describe/index.js';
import { makeLookup, webPod, node2, kubernetesService, webAppDeployment, ago, event } from './fixtures.js';

const SAMPLES = new URL('../../../../shared/kubectl-wire/samples/kubectl-output/', import.meta.url);
const sample = (name: string) => readFileSync(new URL(name, SAMPLES), 'utf8');
const haveSamples = existsSync(new URL('describe-pod.txt', SAMPLES));

beforeAll(() => {
  process.env.TZ = 'UTC'; // the samples were captured on a UTC machine
});

suite.skipIf(!haveSamples)('describe matches real kubectl output (needs shared/kubectl-wire samples)', () => {
  it('pod: every line up to the events table', () => {
    const out = describe('Pod', webPod(), makeLookup({}, [
      event('pod-web', 'Normal', 'Scheduled', 'default-scheduler', 'Successfully assigned default/web to node-2', 30),
    ]));
    const real = sample('describe-pod.txt');
    const cut = (s: string) => s.slice(0, s.indexOf('Events:'));
    expect(cut(out)).toBe(cut(real));
    expect(out).toContain('  Type    Reason     Age   From               Message\n');
    expect(out).toContain('  Normal  Scheduled  30s   default-scheduler  Successfully assigned default/web to node-2\n');
  });

  it('node: capacity, system info, non-terminated pods and allocated resources', () => {
    const pod = { ...webPod(), metadata: { ...webPod().metadata, creationTimestamp: ago(6) } };
    const out = describe('Node', node2(), makeLookup({ pods: [pod] }));
    const real = sample('dnode.txt').replace(
      'Lease:              Failed to get lease: the server could not find the requested resource',
      'Lease:              Failed to get lease: leases.coordination.k8s.io "node-2" not found');
    expect(out).toBe(real);
  });

  it('service: ports, target port, endpoints and traffic policy', () => {
    expect(describe('Service', kubernetesService(), makeLookup({}))).toBe(sample('dsvc.txt'));
  });
});

suite.skipIf(!haveSamples)('describe deployment matches real kubectl output (needs shared/kubectl-wire samples)', () => {
  it('deployment: replicas line, strategy, pod template, conditions, replica sets, events', () => {
    const { d, rs } = webAppDeployment();
    const evs = [[32, 0, 2], [31, 2, 3], [23, 3, 4], [19, 4, 5]].map(([a, from, to]) =>
      event('dep-1', 'Normal', 'ScalingReplicaSet', 'deployment-controller', `Scaled up replica set web-app-6czf4ncrdf from ${from} to ${to}`, a));
    const out = describe('Deployment', d, makeLookup({ replicasets: [rs] }, evs));
    expect(out).toBe(sample('describe-deploy.txt'));
  });
});
