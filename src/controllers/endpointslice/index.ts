// EndpointSlice controller (pkg/controller/endpointslice): for every Service with a selector, the
// discovery.k8s.io/v1 EndpointSlices that kube-proxy and CoreDNS read. Unlike Endpoints, slices
// also carry terminating pods (ready false, serving as their readiness says, terminating true),
// the node and zone of each endpoint, and at most 100 endpoints each. Slices are owned by their
// Service (ownerReferences), so the garbage collector deletes them with it.
import type { KObject } from '../../apiserver/types.js';
import type { Component } from '../component.js';
import { LABEL_MANAGED_BY, CONTROLLER_NAME, LABEL_SERVICE_NAME, LABEL_TOPOLOGY_ZONE, reconcileSlices, type NodeZones } from './reconciler.js';
import { ServiceWorld, computeTriggerTime, digest, dirtyServices, membershipOf, podsByNamespace, selectorOf, svcKey, versionsOf, type TriggerTimes } from './util.js';

export { reconcileSlices, CONTROLLER_NAME, LABEL_MANAGED_BY, LABEL_SERVICE_NAME, MAX_ENDPOINTS_PER_SLICE } from './reconciler.js';

const COMPONENT = 'endpointslice-controller';

/** the zones of the nodes this process last saw, to tell a zone change from a heartbeat */
const knownZones = new WeakMap<object, Map<string, string | undefined>>();

export const endpointSliceController: Component = {
  name: COMPONENT,
  watches: ['services', 'pods', 'endpointslices', 'nodes'],
  async reconcile(c) {
    const services = await c.list('services');
    const world = new ServiceWorld(services, await podsByNamespace(c));
    const membership = membershipOf(c, COMPONENT);
    const nodes: NodeZones = new Map();
    for (const n of await c.list('nodes')) nodes.set(n.metadata!.name!, n.metadata?.labels?.[LABEL_TOPOLOGY_ZONE]);
    let zones = knownZones.get(c.api.store);
    const zonesMoved = !zones || zones.size !== nodes.size || [...nodes].some(([n, z]) => !zones!.has(n) || zones!.get(n) !== z);
    if (zonesMoved) knownZones.set(c.api.store, (zones = new Map(nodes)));

    const dirty = zonesMoved ? undefined : dirtyServices(c, world, membership, (e) => {
      if (e.prefix !== 'discovery.k8s.io/endpointslices') return undefined;
      const svcName = e.object.metadata?.labels?.[LABEL_SERVICE_NAME];
      return svcName ? `${e.object.metadata!.namespace}/${svcName}` : undefined;
    });
    const keys = dirty ? [...dirty] : [...world.byKey.keys()];
    if (keys.length === 0) return false;

    // This controller's slices, by Service (namespace/name from the service-name label).
    const slicesBySvc = new Map<string, KObject[]>();
    for (const s of await c.list('endpointslices')) {
      const labels = s.metadata?.labels ?? {};
      if (labels[LABEL_MANAGED_BY] !== CONTROLLER_NAME || !labels[LABEL_SERVICE_NAME]) continue;
      const k = `${s.metadata!.namespace}/${labels[LABEL_SERVICE_NAME]}`;
      const l = slicesBySvc.get(k);
      if (l) l.push(s);
      else slicesBySvc.set(k, [s]);
    }

    const times = c.state<TriggerTimes>(`${COMPONENT}/trigger-times`, () => ({}));
    const digests = c.state<Record<string, string>>(`${COMPONENT}/digests`, () => ({}));
    const nodesDigest = digest([...nodes].map(([n, z]) => `${n}=${z ?? ''}`).sort());
    let changed = false;
    let touched = false;
    for (const key of keys) {
      const svc = world.byKey.get(key);
      if (!svc || !selectorOf(svc)) {
        // Gone (the garbage collector removes its slices) or not ours to manage.
        membership.set(key, []);
        if (times[key] || digests[key]) {
          delete times[key];
          delete digests[key];
          touched = true;
        }
        continue;
      }
      const pods = world.podsFor(svc);
      membership.set(key, pods);
      const existing = (slicesBySvc.get(key) ?? []).sort((a, b) => (a.metadata!.name! < b.metadata!.name! ? -1 : 1));
      const inputs = digest([svc.metadata!.resourceVersion ?? '', nodesDigest, ...versionsOf(existing), '|', ...versionsOf(pods)]);
      if (digests[key] === inputs) continue;
      touched = true;
      const trigger = computeTriggerTime(times, svc, pods);
      if (trigger.dirty) touched = true;
      try {
        const r = await reconcileSlices(c, svc, pods, existing, nodes, trigger.time);
        const moved = [...r.created.map((n) => `created ${n}`), ...r.updated.map((n) => `updated ${n}`), ...r.deleted.map((n) => `deleted ${n}`)];
        // Its own writes change the inputs: the digest is kept only for a sync that wrote nothing.
        if (moved.length) delete digests[key];
        else digests[key] = inputs;
        if (moved.length) {
          changed = true;
          c.trace('endpointslices updated', `service ${svcKey(svc)}`, `${moved.join(', ')}: ${r.endpoints} endpoints, ${r.ready} ready`);
        }
      } catch (e) {
        c.trace('endpointslices sync failed', `service ${key}`, (e as Error).message);
      }
    }
    if (touched) c.touch();
    return changed;
  },
};
