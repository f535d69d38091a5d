// Shared pieces of the StatefulSet, volume and DaemonSet tests: the docs' manifests and a sim.
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import type { KObject } from '../../../src/apiserver/types.js';
import type { Sim } from '../controlplane/harness.js';

export const CORPUS = '/work/shared/corpus/k8s-website-examples';

/** application/web/web.yaml: the headless Service nginx and the StatefulSet web (2 replicas, www claims) */
export function webManifests(): KObject[] {
  return yaml.loadAll(readFileSync(`${CORPUS}/application/web/web.yaml`, 'utf8')) as KObject[];
}

/** what `kubectl apply -f` does for these kinds: create each object in its namespace */
export async function apply(sim: Sim, objs: KObject[], ns = 'default'): Promise<void> {
  const resource: Record<string, string> = { Service: 'services', StatefulSet: 'statefulsets', PersistentVolume: 'persistentvolumes', PersistentVolumeClaim: 'persistentvolumeclaims', Pod: 'pods', DaemonSet: 'daemonsets', StorageClass: 'storageclasses' };
  for (const o of objs) {
    const cluster = o.kind === 'PersistentVolume' || o.kind === 'StorageClass';
    await sim.create(resource[o.kind!], cluster ? undefined : ns, o);
  }
}

export function podsOf(sim: Sim, prefix: string, ns = 'default'): KObject[] {
  return sim.list('pods', ns).filter((p) => p.metadata!.name!.startsWith(prefix)).sort((a, b) => a.metadata!.name!.localeCompare(b.metadata!.name!));
}

export function events(sim: Sim, ns = 'default'): KObject[] {
  return sim.list('events', ns).sort((a, b) => Number(a.metadata!.resourceVersion) - Number(b.metadata!.resourceVersion));
}

export const isReady = (p: KObject) => p.status?.phase === 'Running' && (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
