// Scale: a full pass over 10,000 pods and 1,000 Services (the first run of every command) must stay
// cheap, and a second pass over an unchanged world must write nothing.
import { describe, expect, it } from 'vitest';
import { newSim } from '../controlplane/harness.js';
import { endpointsController } from '../../../src/controllers/endpoints.js';
import { endpointSliceController } from '../../../src/controllers/endpointslice/index.js';
import { ComponentClient, CONTROLLER_MANAGER } from '../../../src/controllers/component.js';

const PODS = Number(process.env.EP_SCALE_PODS ?? 10_000);
const SERVICES = Number(process.env.EP_SCALE_SERVICES ?? 1_000);

describe('endpoints controllers at scale', () => {
  it(`${PODS} pods behind ${SERVICES} services: one full pass each, then nothing to do`, async () => {
    const sim = await newSim();
    const nodes = sim.list('nodes').map((n) => n.metadata!.name!);
    const t = new Date(sim.clock.now()).toISOString().replace('.000Z', 'Z');
    for (let i = 0; i < SERVICES; i++) {
      sim.store.put('services', {
        apiVersion: 'v1', kind: 'Service',
        metadata: { name: `svc-${i}`, namespace: 'default', uid: `svc-uid-${i}`, creationTimestamp: t, resourceVersion: '1' },
        spec: { selector: { app: `app-${i}` }, clusterIP: `10.96.${i >> 8}.${i & 255}`, ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }] },
      });
    }
    for (let i = 0; i < PODS; i++) {
      sim.store.put('pods', {
        apiVersion: 'v1', kind: 'Pod',
        metadata: { name: `pod-${i}`, namespace: 'default', uid: `pod-uid-${i}`, labels: { app: `app-${i % SERVICES}` }, creationTimestamp: t, resourceVersion: '1' },
        spec: { nodeName: nodes[i % nodes.length], containers: [{ name: 'c', image: 'nginx' }] },
        status: { phase: 'Running', podIP: `10.244.${i >> 8}.${i & 255}`, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: t }] },
      });
    }
    const c = new ComponentClient(sim.api, CONTROLLER_MANAGER);
    let t0 = performance.now();
    expect(await endpointsController.reconcile(c)).toBe(true);
    expect(await endpointSliceController.reconcile(c)).toBe(true);
    const first = performance.now() - t0;
    t0 = performance.now();
    expect(await endpointsController.reconcile(c)).toBe(false);
    const secondEp = performance.now() - t0;
    expect(await endpointSliceController.reconcile(c)).toBe(false);
    const second = performance.now() - t0;
    // The first pass of the next command: everything is as it was, and the digests say so.
    t0 = performance.now();
    expect(await endpointsController.reconcile(c)).toBe(false);
    expect(await endpointSliceController.reconcile(c)).toBe(false);
    const third = performance.now() - t0;
    expect(third).toBeLessThan(2_000);
    expect(sim.list('endpoints', 'default').filter((e) => e.metadata!.name!.startsWith('svc-')).length).toBe(SERVICES);
    console.log(`first pass (writes) ${first.toFixed(0)} ms, second pass ${second.toFixed(0)} ms (endpoints ${secondEp.toFixed(0)} ms), third ${third.toFixed(0)} ms`);
    expect(second).toBeLessThan(5_000);
  }, 120_000);
});
