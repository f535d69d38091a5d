// A newSim cluster where only the disruption controller runs: tests play the scheduler's and the
// kubelet's part by creating pods bound to nodes and writing their status themselves.
import { advance } from '../../../src/cluster/runtime.js';
import { disruptionController } from '../../../src/controllers/disruption.js';
import { rfc3339 } from '../../../src/cluster/clock.js';
import type { KObject } from '../../../src/apiserver/types.js';
import { newSim, type Sim } from '../controlplane/harness.js';

export interface PSim extends Sim {
  /** runs the disruption controller at the current time */
  step(): Promise<void>;
  /** moves the clock by ms running only the disruption controller */
  tick(ms: number): Promise<void>;
  pdb(name: string, ns?: string): KObject;
  pod(name: string, ns?: string): KObject | undefined;
  /** a Running pod on worker `node`, Ready or not, optionally owned by `owner` */
  runningPod(name: string, labels: Record<string, string>, opts?: { ready?: boolean; owner?: KObject; node?: string; phase?: string; ns?: string; volumes?: any[] }): Promise<KObject>;
  setReady(name: string, ready: boolean, ns?: string): Promise<void>;
  evict(name: string, opts?: { ns?: string; body?: any; dryRun?: boolean }): Promise<{ code: number; body: any }>;
}

export async function newPSim(): Promise<PSim> {
  const sim = await newSim();
  const s = sim as PSim;
  s.step = async () => {
    await advance(sim.api, sim.clock, sim.clock.now(), { components: [disruptionController], trace: sim.trace });
  };
  s.tick = async (ms) => {
    await advance(sim.api, sim.clock, sim.clock.now() + ms, { components: [disruptionController], trace: sim.trace });
  };
  s.pdb = (name, ns = 'default') => sim.get('poddisruptionbudgets', ns, name)!;
  s.pod = (name, ns = 'default') => sim.get('pods', ns, name);
  const status = (ready: boolean, phase = 'Running') => ({
    phase,
    conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: rfc3339(sim.clock.now()) }],
  });
  s.runningPod = async (name, labels, opts = {}) => {
    const ns = opts.ns ?? 'default';
    const md: any = { name, labels };
    if (opts.owner) md.ownerReferences = [{ apiVersion: opts.owner.apiVersion, kind: opts.owner.kind, name: opts.owner.metadata!.name, uid: opts.owner.metadata!.uid, controller: true, blockOwnerDeletion: true }];
    const spec: any = { nodeName: opts.node ?? 'sim-worker', containers: [{ name: 'c', image: 'nginx' }] };
    if (opts.volumes) spec.volumes = opts.volumes;
    await sim.create('pods', ns, { apiVersion: 'v1', kind: 'Pod', metadata: md, spec });
    const res = await sim.call({ verb: 'patch', resource: 'pods', subresource: 'status', namespace: ns, name, patchType: 'merge', body: { status: status(opts.ready ?? true, opts.phase) } });
    if (res.code >= 300) throw new Error(res.body.message);
    return s.pod(name, ns)!;
  };
  s.setReady = async (name, ready, ns = 'default') => {
    const res = await sim.call({ verb: 'patch', resource: 'pods', subresource: 'status', namespace: ns, name, patchType: 'merge', body: { status: status(ready) } });
    if (res.code >= 300) throw new Error(res.body.message);
  };
  s.evict = (name, opts = {}) => {
    const ns = opts.ns ?? 'default';
    return sim.call({
      verb: 'create', resource: 'pods', subresource: 'eviction', namespace: ns, name, dryRun: opts.dryRun,
      body: opts.body ?? { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: ns } },
    });
  };
  return s;
}

export function pdbObj(name: string, spec: any): KObject {
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name }, spec };
}

/** a ReplicaSet (no controller runs for it here): the owner whose scale percentages are measured against */
export function rsObj(name: string, replicas: number, labels: Record<string, string>): KObject {
  return {
    apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name },
    spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  };
}
