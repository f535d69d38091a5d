// The MetalLB-style LoadBalancer controller: pool assignment in order, requested addresses,
// exhaustion (AllocationFailed, <pending>), release on delete and on a type change, the speaker's
// announcement once the Service has an endpoint that can serve, and nothing at all without a pool.
import { describe, expect, it } from 'vitest';
import { newSim, type Sim } from '../controlplane/harness.js';
import { defaultClusterConfig } from '../../../src/cluster/config.js';

const lb = (name: string, spec: any = {}, metadata: any = {}) => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name, ...metadata }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }], ...spec },
});
const poolSim = (pool?: string[]) => {
  const config = defaultClusterConfig('sim');
  if (pool) config.loadBalancerPool = pool;
  return newSim(config);
};
const ingress = (sim: Sim, name: string) => sim.get('services', 'default', name)?.status?.loadBalancer?.ingress;
const events = (sim: Sim, name: string) =>
  sim.list('events', 'default').filter((e) => e.involvedObject?.kind === 'Service' && e.involvedObject?.name === name)
    .map((e) => `${e.type} ${e.reason} ${e.source?.component}: ${e.message}`);

describe('LoadBalancer controller (MetalLB layer 2)', () => {
  it('assigns the pool in order, honours a requested address, fails when the pool is exhausted and retries when one is freed', async () => {
    const sim = await poolSim(['172.18.255.200-172.18.255.202']);
    await sim.create('services', 'default', lb('a'));
    await sim.run(1000);
    expect(ingress(sim, 'a')).toEqual([{ ip: '172.18.255.200', ipMode: 'VIP' }]);
    expect(events(sim, 'a')).toEqual(['Normal IPAllocated metallb-controller: Assigned IP ["172.18.255.200"]']);
    await sim.create('services', 'default', lb('b', { loadBalancerIP: '172.18.255.202' }));
    await sim.run(1000);
    expect(ingress(sim, 'b')).toEqual([{ ip: '172.18.255.202', ipMode: 'VIP' }]);
    await sim.create('services', 'default', lb('c', {}, { annotations: { 'metallb.universe.tf/loadBalancerIPs': '172.18.255.201' } }));
    await sim.create('services', 'default', lb('d'));
    await sim.run(1000);
    expect(ingress(sim, 'c')?.[0].ip).toBe('172.18.255.201');
    expect(ingress(sim, 'd')).toBeUndefined();
    expect(events(sim, 'd')).toEqual(['Warning AllocationFailed metallb-controller: Failed to allocate IP for "default/d": no available IPs']);
    // a settle does not repeat the failure
    await sim.run(5000);
    expect(sim.list('events', 'default').find((e) => e.reason === 'AllocationFailed')?.count).toBe(1);
    await sim.call({ verb: 'delete', resource: 'services', namespace: 'default', name: 'a' });
    await sim.run(1000);
    expect(ingress(sim, 'd')).toEqual([{ ip: '172.18.255.200', ipMode: 'VIP' }]);
  });

  it('refuses a requested address outside the pool', async () => {
    const sim = await poolSim(['172.18.255.200/30']);
    await sim.create('services', 'default', lb('x', { loadBalancerIP: '10.1.2.3' }));
    await sim.run(1000);
    expect(ingress(sim, 'x')).toBeUndefined();
    expect(events(sim, 'x')).toEqual(['Warning AllocationFailed metallb-controller: Failed to allocate IP for "default/x": "10.1.2.3" is not allowed in config']);
  });

  it('a type change away from LoadBalancer frees the address for the next Service', async () => {
    const sim = await poolSim(['172.18.255.200/32']);
    await sim.create('services', 'default', lb('a'));
    await sim.run(1000);
    expect(ingress(sim, 'a')?.[0].ip).toBe('172.18.255.200');
    await sim.call({ verb: 'patch', resource: 'services', namespace: 'default', name: 'a', patchType: 'merge', body: { spec: { type: 'ClusterIP' } } });
    await sim.create('services', 'default', lb('b'));
    await sim.run(1000);
    expect(sim.get('services', 'default', 'a')?.status).toEqual({ loadBalancer: {} });
    expect(ingress(sim, 'b')?.[0].ip).toBe('172.18.255.200');
  });

  it('the speaker announces from one worker once the Service has a ready endpoint', async () => {
    const sim = await poolSim(['172.18.255.200-172.18.255.250']);
    await sim.create('services', 'default', lb('web'));
    await sim.run(1000);
    expect(events(sim, 'web').some((e) => e.includes('nodeAssigned'))).toBe(false);
    await sim.create('endpointslices', 'default', {
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-abcde', labels: { 'kubernetes.io/service-name': 'web' } },
      addressType: 'IPv4', ports: [{ port: 80, protocol: 'TCP', name: '' }],
      endpoints: [{ addresses: ['10.244.1.5'], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'sim-worker' }],
    });
    await sim.run(1000);
    const announced = events(sim, 'web').filter((e) => e.includes('nodeAssigned'));
    expect(announced).toHaveLength(1);
    expect(announced[0]).toMatch(/^Normal nodeAssigned metallb-speaker: announcing from node "sim-worker\d?" with protocol "layer2"$/);
  });

  it('without a pool nothing assigns: EXTERNAL-IP stays <pending>', async () => {
    const sim = await poolSim();
    await sim.create('services', 'default', lb('a'));
    await sim.run(5000);
    expect(ingress(sim, 'a')).toBeUndefined();
    expect(events(sim, 'a')).toEqual([]);
  });
});
