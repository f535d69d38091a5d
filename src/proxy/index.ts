// kube-proxy on every node, run as one component: each node's kube-proxy watches Services and
// EndpointSlices and programs its rules. What a node has programmed is kept as a version of a
// shared view (the view is the same cluster-wide; what is local to a node is worked out when its
// rules are read), so state stays O(services + endpoints) however many nodes there are. A node
// whose machine is stopped, or whose kube-proxy pod is not running, keeps the rules it had: stale,
// as on a dead node.
import { createHash } from 'node:crypto';
import type { KObject } from '../apiserver/types.js';
import type { Component, ComponentClient } from '../controllers/component.js';
import type { WatchEvent } from '../storage/store.js';
import { buildServices, spnOf, type ProxyView, type ServicePortView } from './view.js';
import { newState, PROXY_STATE_KEY, type ProxyState } from './state.js';

export type { ProxyView, ServicePortView, EndpointView } from './view.js';
export { iptablesSave } from './iptables.js';
export { ipvsadmList, ipsetList } from './ipvs.js';
export { route, type Route } from './route.js';

export { PROXY_STATE_KEY, programmedView, type ProxyState } from './state.js';

const WATCHED = new Set(['services', 'discovery.k8s.io/endpointslices', 'nodes']);

function wants(changes: readonly WatchEvent[]): boolean {
  for (const e of changes) {
    if (WATCHED.has(e.prefix)) return true;
    if (e.prefix === 'pods' && e.object.metadata?.labels?.['k8s-app'] === 'kube-proxy') return true;
  }
  return false;
}

const digestOf = (services: ServicePortView[]): string => createHash('sha1').update(JSON.stringify(services)).digest('hex');

/** "default/my-app-service → 3 endpoints" for the services whose rules changed */
function describeChanges(prev: ProxyView | undefined, next: ProxyView): string[] {
  const old = new Map<string, string>();
  for (const sp of prev?.services ?? []) old.set(`${spnOf(sp)}/${sp.protocol}`, JSON.stringify(sp));
  const seen = new Set<string>();
  const perService = new Map<string, number>();
  for (const sp of next.services) {
    const k = `${spnOf(sp)}/${sp.protocol}`;
    seen.add(k);
    const svc = `${sp.namespace}/${sp.name}`;
    const ready = sp.endpoints.filter((e) => e.ready).length;
    if (old.get(k) !== JSON.stringify(sp)) perService.set(svc, Math.max(perService.get(svc) ?? 0, ready));
  }
  const out = [...perService].map(([svc, n]) => `${svc} → ${n ? `${n} endpoint${n === 1 ? '' : 's'}` : 'no endpoints (REJECT)'}`);
  const removed = new Set<string>();
  for (const sp of prev?.services ?? []) if (!seen.has(`${spnOf(sp)}/${sp.protocol}`) && !perService.has(`${sp.namespace}/${sp.name}`)) removed.add(`${sp.namespace}/${sp.name}`);
  for (const svc of removed) out.push(`${svc} removed`);
  return out;
}

function nodesLabel(names: string[]): string {
  if (names.length === 1) return `node ${names[0]}`;
  if (names.length <= 3) return `nodes ${names.join(', ')}`;
  return `nodes ${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}

export const kubeProxy: Component = {
  name: 'kube-proxy',
  wants,
  async reconcile(c: ComponentClient): Promise<boolean> {
    const cfg = c.config;
    if (!cfg) return false;
    const proxyPods = await c.list('pods', 'kube-system', { labelSelector: 'k8s-app=kube-proxy' });
    const proxying = new Set<string>();
    for (const p of proxyPods as KObject[]) if (p.status?.phase === 'Running' && p.spec?.nodeName) proxying.add(p.spec.nodeName);
    const st = c.state<ProxyState>(PROXY_STATE_KEY, newState);
    const targets = cfg.nodes.filter((m) => m.running && proxying.has(m.name)).map((m) => m.name);
    if (!targets.length) return false;

    const services = buildServices(await c.list('services'), await c.list('endpointslices'));
    const digest = digestOf(services);
    const latest = st.views[String(st.latest)];
    const fresh = !latest || latest.digest !== digest;
    const next: ProxyView = fresh ? { version: st.latest + 1, digest, at: c.now(), services } : latest;
    const synced = targets.filter((n) => st.nodes[n] !== next.version);
    if (!synced.length) return false;

    const prev = st.views[String(st.nodes[synced[0]])];
    if (fresh) {
      st.views[String(next.version)] = next;
      st.latest = next.version;
    }
    for (const n of synced) st.nodes[n] = next.version;
    // Old versions live only while a (stopped) node still has them programmed.
    const inUse = new Set(Object.values(st.nodes).map(String));
    inUse.add(String(st.latest));
    for (const v of Object.keys(st.views)) if (!inUse.has(v)) delete st.views[v];
    c.touch();

    const svcCount = new Set(next.services.map((s) => `${s.namespace}/${s.name}`)).size;
    const epCount = next.services.reduce((n, s) => n + s.endpoints.length, 0);
    const changes = describeChanges(prev, next);
    const shown = changes.slice(0, 3).join(', ') + (changes.length > 3 ? `, and ${changes.length - 3} more` : '');
    const mode = cfg.proxyMode === 'ipvs' ? 'ipvs' : 'iptables';
    c.trace('programmed rules', nodesLabel(synced), `${mode}: ${svcCount} service${svcCount === 1 ? '' : 's'}, ${epCount} endpoint${epCount === 1 ? '' : 's'}${shown ? `; ${shown}` : ''}`);
    return true;
  },
};
