import { describe, expect, it } from 'vitest';
import { nodeIpamController } from '../../../src/controllers/nodeipam.js';
import { eventTtlController } from '../../../src/controllers/event-ttl.js';
import { buildClusterConfig } from '../../../src/cluster/cluster-file.js';
import { advance } from '../../../src/cluster/runtime.js';
import { ComponentClient, CONTROLLER_MANAGER } from '../../../src/controllers/component.js';
import { newWorld, node } from './world.js';

describe('node IPAM controller', () => {
  it("gives a machine's node the machine's podCIDR, and an unknown node the lowest free /24", async () => {
    const config = buildClusterConfig('c', { nodes: [{ role: 'control-plane' }, { role: 'worker' }], podSubnet: '10.50.0.0/16' });
    const w = await newWorld([nodeIpamController], config);
    // The worker registers first: it still gets its own range, not the first free one.
    await w.create('nodes', undefined, node('c-worker'));
    await w.create('nodes', undefined, node('stranger'));
    await w.create('nodes', undefined, node('c-control-plane'));
    await w.settle();
    const cidr = (n: string) => w.get('nodes', undefined, n)!.spec;
    expect(cidr('c-control-plane')).toMatchObject({ podCIDR: '10.50.0.0/24', podCIDRs: ['10.50.0.0/24'] });
    expect(cidr('c-worker')).toMatchObject({ podCIDR: '10.50.1.0/24', podCIDRs: ['10.50.1.0/24'] });
    expect(cidr('stranger')).toMatchObject({ podCIDR: '10.50.2.0/24', podCIDRs: ['10.50.2.0/24'] });
    // Nothing left to do: a second pass changes nothing.
    expect(await nodeIpamController.reconcile(new ComponentClient(w.api, CONTROLLER_MANAGER))).toBe(false);
  });

  it('reports CIDRNotAvailable once when the pod subnet is full', async () => {
    const config = buildClusterConfig('c', { nodes: [{ role: 'control-plane' }], podSubnet: '10.60.0.0/24' });
    const w = await newWorld([nodeIpamController], config);
    await w.create('nodes', undefined, node('c-control-plane'));
    await w.create('nodes', undefined, node('extra'));
    await w.settle();
    await w.settle();
    expect(w.get('nodes', undefined, 'extra')!.spec?.podCIDR).toBeUndefined();
    const evs = w.list('events').filter((e) => e.reason === 'CIDRNotAvailable');
    expect(evs).toHaveLength(1);
    expect(evs[0].count).toBe(1);
    expect(evs[0].message).toBe('Node extra status is now: CIDRNotAvailable');
  });
});

describe('event TTL', () => {
  const ev = (name: string) => ({ apiVersion: 'v1', kind: 'Event', metadata: { name }, involvedObject: { kind: 'Pod', name: 'p', namespace: 'default' }, reason: 'Test', message: 'm', type: 'Normal', count: 1, firstTimestamp: new Date(0).toISOString(), lastTimestamp: new Date(0).toISOString() });

  it('deletes an event one hour after it was last written, not before', async () => {
    const w = await newWorld([eventTtlController]);
    const t0 = w.clock.now();
    const at = (ms: number) => new Date(t0 + ms).toISOString().replace(/\.\d+Z$/, 'Z');
    await w.create('events', 'default', { ...ev('old'), firstTimestamp: at(0), lastTimestamp: at(0) });
    await w.create('events', 'default', { ...ev('renewed'), firstTimestamp: at(0), lastTimestamp: at(30 * 60_000) });
    await advance(w.api, w.clock, t0 + 60 * 60_000 - 1000, { components: [eventTtlController] });
    expect(w.list('events', 'default').map((e) => e.metadata!.name).sort()).toEqual(['old', 'renewed']);
    await advance(w.api, w.clock, t0 + 60 * 60_000, { components: [eventTtlController] });
    expect(w.list('events', 'default').map((e) => e.metadata!.name)).toEqual(['renewed']);
    await advance(w.api, w.clock, t0 + 90 * 60_000, { components: [eventTtlController] });
    expect(w.list('events', 'default')).toEqual([]);
  });

  it('is background work: instant mode does not jump an hour ahead for it', async () => {
    const w = await newWorld([eventTtlController]);
    const t0 = w.clock.now();
    await w.create('events', 'default', { ...ev('e'), firstTimestamp: new Date(t0).toISOString(), lastTimestamp: new Date(t0).toISOString() });
    const r = await advance(w.api, w.clock, t0, { instant: true, components: [eventTtlController] });
    expect(w.clock.now()).toBe(t0);
    expect(r.nextWake).toBe(t0 + 60 * 60_000);
    expect(w.list('events', 'default')).toHaveLength(1);
  });
});
