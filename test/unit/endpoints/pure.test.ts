// The pure parts: subsets layout, the 1000-address cap, the trigger-time tracker, named ports.
import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../src/apiserver/types.js';
import { buildSubsets, truncateEndpoints } from '../../../src/controllers/endpoints.js';
import { computeTriggerTime, findPort, rfc3339Nano, type TriggerTimes } from '../../../src/controllers/endpointslice/util.js';

const T = Date.parse('2026-01-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

function pod(name: string, ip: string, opts: { ready?: boolean; readyAt?: number; ports?: any[]; labels?: any; deleting?: boolean; phase?: string } = {}): KObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, labels: opts.labels ?? { app: 'x' }, ...(opts.deleting ? { deletionTimestamp: iso(T) } : {}) },
    spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'nginx', ports: opts.ports ?? [{ name: 'http', containerPort: 8080 }] }] },
    status: { phase: opts.phase ?? 'Running', podIP: ip, conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True', lastTransitionTime: iso(opts.readyAt ?? T) }] },
  };
}
const svc = (extra: any = {}): KObject => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'default', uid: 'svc-uid', creationTimestamp: iso(T - 60_000), resourceVersion: '5' },
  spec: { selector: { app: 'x' }, clusterIP: '10.96.0.20', ports: [{ name: 'web', port: 80, targetPort: 'http', protocol: 'TCP' }, { name: 'metrics', port: 9090, targetPort: 9090, protocol: 'TCP' }], ...extra },
});

describe('Endpoints subsets', () => {
  it('groups the ports of identical address sets, sorts addresses by IP, leaves out pods without IP, finished or terminating', () => {
    const pods = [pod('b', '10.244.1.9'), pod('a', '10.244.1.10', { ready: false }), pod('c', ''), pod('d', '10.244.2.2', { phase: 'Succeeded' }), pod('e', '10.244.2.3', { deleting: true })];
    const { subsets, ready, notReady } = buildSubsets(svc(), pods);
    expect([ready, notReady]).toEqual([1, 1]);
    expect(subsets).toHaveLength(1);
    expect(subsets[0].addresses.map((a: any) => a.ip)).toEqual(['10.244.1.9']);
    expect(subsets[0].notReadyAddresses.map((a: any) => a.ip)).toEqual(['10.244.1.10']);
    expect(subsets[0].ports).toEqual([{ name: 'metrics', port: 9090, protocol: 'TCP' }, { name: 'web', port: 8080, protocol: 'TCP' }]);
  });

  it('a pod whose named port is missing serves only the numeric port: a subset per distinct address set', () => {
    const { subsets } = buildSubsets(svc(), [pod('a', '10.0.0.1'), pod('b', '10.0.0.2', { ports: [] })]);
    expect(subsets).toHaveLength(2);
    const byAddrs = Object.fromEntries(subsets.map((s: any) => [s.addresses.map((a: any) => a.ip).join(','), s.ports.map((p: any) => p.port).sort()]));
    // RepackSubsets: each port with the addresses that serve it, ports with the same addresses merged
    expect(byAddrs).toEqual({ '10.0.0.1': [8080], '10.0.0.1,10.0.0.2': [9090] });
  });

  it('publishNotReadyAddresses: every pod is an address, terminating ones too', () => {
    const { subsets } = buildSubsets(svc({ publishNotReadyAddresses: true }), [pod('a', '10.0.0.1', { ready: false }), pod('e', '10.0.0.3', { deleting: true })]);
    expect(subsets[0].addresses.map((a: any) => a.ip)).toEqual(['10.0.0.1', '10.0.0.3']);
    expect(subsets[0].notReadyAddresses).toBeUndefined();
  });

  it('headless without ports: one subset with addresses and no ports', () => {
    const { subsets } = buildSubsets(svc({ clusterIP: 'None', ports: [] }), [pod('a', '10.0.0.1')]);
    expect(subsets).toEqual([{ addresses: [{ ip: '10.0.0.1', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: 'uid-a' } }] }]);
  });

  it('caps at 1000 addresses, ready ones first, in proportion over subsets', () => {
    const subsets = [
      { addresses: Array.from({ length: 900 }, (_, i) => ({ ip: `a${i}` })), notReadyAddresses: Array.from({ length: 100 }, (_, i) => ({ ip: `n${i}` })) },
      { addresses: Array.from({ length: 50 }, (_, i) => ({ ip: `b${i}` })), notReadyAddresses: Array.from({ length: 100 }, (_, i) => ({ ip: `m${i}` })) },
    ];
    expect(truncateEndpoints(subsets)).toBe(true);
    expect(subsets.map((s) => [s.addresses.length, s.notReadyAddresses.length])).toEqual([[900, 25], [50, 25]]);
    expect(truncateEndpoints([{ addresses: [{ ip: 'x' }] }])).toBe(false);
  });
});

describe('last-change-trigger-time', () => {
  it('first sync: the Service creation time; then the earliest pod change since; nothing new: none', () => {
    const state: TriggerTimes = {};
    const s = svc();
    expect(computeTriggerTime(state, s, [pod('a', '10.0.0.1', { readyAt: T })]).time).toBe(T - 60_000);
    expect(computeTriggerTime(state, s, [pod('a', '10.0.0.1', { readyAt: T })])).toEqual({ time: 0, dirty: false });
    const r = computeTriggerTime(state, s, [pod('a', '10.0.0.1', { readyAt: T + 7000 }), pod('b', '10.0.0.2', { readyAt: T + 5000 })]);
    expect(r).toEqual({ time: T + 5000, dirty: true });
    expect(rfc3339Nano(r.time)).toBe('2026-01-01T00:00:05Z');
    expect(rfc3339Nano(T + 5250)).toBe('2026-01-01T00:00:05.25Z');
  });
});

describe('findPort', () => {
  it('numbers are themselves; names are looked up per pod with the protocol, sidecars too', () => {
    const p = pod('a', '10.0.0.1', { ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }] });
    expect(findPort(p, { port: 80, targetPort: 8080 })).toBe(8080);
    expect(findPort(p, { port: 80 })).toBe(80);
    expect(findPort(p, { port: 53, targetPort: 'dns', protocol: 'UDP' })).toBe(53);
    expect(findPort(p, { port: 53, targetPort: 'dns', protocol: 'TCP' })).toBeUndefined();
    p.spec.initContainers = [{ name: 'side', image: 'x', restartPolicy: 'Always', ports: [{ name: 'proxy', containerPort: 15001 }] }];
    expect(findPort(p, { port: 1, targetPort: 'proxy', protocol: 'TCP' })).toBe(15001);
  });
});
