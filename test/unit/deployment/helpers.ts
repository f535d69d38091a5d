// Drives only the deployment and replicaset controllers (and the garbage collector) on a newSim
// cluster: the scheduler and kubelets are someone else's, so tests play their part by writing pod
// status themselves.
import { advance } from '../../../src/cluster/runtime.js';
import { deploymentController } from '../../../src/controllers/deployment/index.js';
import { replicaSetController } from '../../../src/controllers/replicaset.js';
import { garbageCollector } from '../../../src/controllers/garbage-collector.js';
import { rfc3339 } from '../../../src/cluster/clock.js';
import type { KObject } from '../../../src/apiserver/types.js';
import { newSim, type Sim } from '../controlplane/harness.js';

export const MINE = [garbageCollector, deploymentController, replicaSetController];

export interface DSim extends Sim {
  /** settle my controllers at the current time (no clock move) */
  step(): Promise<void>;
  /** move the clock by ms with my controllers only */
  tick(ms: number): Promise<void>;
  pods(ns?: string): KObject[];
  sets(ns?: string): KObject[];
  deploy(name: string, ns?: string): KObject;
  /** mark a pod Running and Ready now (what a kubelet would write) */
  ready(pod: KObject, ready?: boolean): Promise<void>;
  events(reason?: string): KObject[];
}

export async function newDSim(): Promise<DSim> {
  const sim = await newSim();
  const d = sim as DSim;
  d.step = async () => {
    await advance(sim.api, sim.clock, sim.clock.now(), { components: MINE, trace: sim.trace });
  };
  d.tick = async (ms) => {
    await advance(sim.api, sim.clock, sim.clock.now() + ms, { components: MINE, trace: sim.trace });
  };
  d.pods = (ns = 'default') => sim.list('pods', ns).filter((p) => p.metadata?.ownerReferences?.length);
  d.sets = (ns = 'default') => sim.list('replicasets', ns);
  d.deploy = (name, ns = 'default') => sim.get('deployments', ns, name)!;
  d.ready = async (pod, ready = true) => {
    const now = rfc3339(sim.clock.now());
    const status = {
      phase: 'Running',
      conditions: [
        { type: 'Ready', status: ready ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: now },
      ],
    };
    const res = await sim.call({ verb: 'patch', resource: 'pods', subresource: 'status', namespace: pod.metadata!.namespace, name: pod.metadata!.name, patchType: 'merge', body: { status } });
    if (res.code >= 300) throw new Error(`status of ${pod.metadata!.name}: ${res.body.message}`);
  };
  d.events = (reason) => sim.list('events', 'default').filter((e) => !reason || e.reason === reason);
  return d;
}

export function deployment(name: string, replicas: number, opts: { image?: string; strategy?: any; minReadySeconds?: number; revisionHistoryLimit?: number } = {}): KObject {
  const spec: any = {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: opts.image ?? 'nginx:1.25' }] } },
  };
  if (opts.strategy) spec.strategy = opts.strategy;
  if (opts.minReadySeconds) spec.minReadySeconds = opts.minReadySeconds;
  if (opts.revisionHistoryLimit !== undefined) spec.revisionHistoryLimit = opts.revisionHistoryLimit;
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' }, spec };
}

/** patches a Deployment's spec (merge patch), as `kubectl set image` / `scale` would */
export async function patchDeploy(sim: Sim, name: string, body: any): Promise<void> {
  const res = await sim.call({ verb: 'patch', resource: 'deployments', namespace: 'default', name, patchType: 'merge', body });
  if (res.code >= 300) throw new Error(`patch ${name}: ${res.body.message}`);
}

export async function setImage(sim: Sim, name: string, image: string): Promise<void> {
  const d = sim.get('deployments', 'default', name)!;
  const containers = structuredClone(d.spec.template.spec.containers);
  containers[0].image = image;
  await patchDeploy(sim, name, { spec: { template: { spec: { containers } } } });
}

export const live = (pods: KObject[]) => pods.filter((p) => !p.metadata?.deletionTimestamp);
export const isReady = (p: KObject) => p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True');
