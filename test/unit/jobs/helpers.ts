// Drives only the Job, CronJob and TTL-after-finished controllers (and the garbage collector) on a
// newSim cluster: no scheduler or kubelet runs, so tests play the kubelet by writing pod status.
import { advance } from '../../../src/cluster/runtime.js';
import { garbageCollector } from '../../../src/controllers/garbage-collector.js';
import { jobController } from '../../../src/controllers/job/index.js';
import { cronJobController } from '../../../src/controllers/cronjob/index.js';
import { ttlAfterFinishedController } from '../../../src/controllers/ttl-after-finished.js';
import { rfc3339 } from '../../../src/cluster/clock.js';
import type { Component } from '../../../src/controllers/component.js';
import type { KObject } from '../../../src/apiserver/types.js';
import { newSim, type Sim } from '../controlplane/harness.js';

export const MINE: Component[] = [garbageCollector, cronJobController, jobController, ttlAfterFinishedController];

export interface JSim extends Sim {
  /** settle my controllers at the current time */
  step(): Promise<void>;
  /** move the clock on by ms with my controllers only, running every timer on the way */
  tick(ms: number): Promise<void>;
  /** move the clock to the absolute virtual time t */
  tickTo(t: number): Promise<void>;
  pods(ns?: string): KObject[];
  job(name: string, ns?: string): KObject | undefined;
  jobs(ns?: string): KObject[];
  cronjob(name: string, ns?: string): KObject | undefined;
  events(reason?: string): KObject[];
  /** what a kubelet writes when a pod starts running (ready or not) */
  start(pod: KObject, ready?: boolean): Promise<void>;
  /** what a kubelet writes when the pod's only container exits with `code` */
  finish(pod: KObject, code: number, opts?: { restartPolicy?: string }): Promise<void>;
  /** writes a Job's status as the job controller would (for CronJob tests) */
  setJobStatus(name: string, status: any, ns?: string): Promise<void>;
}

export async function newJSim(components: Component[] = MINE): Promise<JSim> {
  const sim = (await newSim()) as JSim;
  sim.step = async () => {
    await advance(sim.api, sim.clock, sim.clock.now(), { components, trace: sim.trace });
  };
  sim.tick = async (ms) => {
    await advance(sim.api, sim.clock, sim.clock.now() + ms, { components, trace: sim.trace });
  };
  sim.tickTo = async (t) => {
    await advance(sim.api, sim.clock, t, { components, trace: sim.trace });
  };
  sim.pods = (ns = 'default') => sim.list('pods', ns);
  sim.job = (name, ns = 'default') => sim.get('jobs', ns, name);
  sim.jobs = (ns = 'default') => sim.list('jobs', ns);
  sim.cronjob = (name, ns = 'default') => sim.get('cronjobs', ns, name);
  sim.events = (reason) => sim.list('events', 'default').filter((e) => !reason || e.reason === reason);
  const status = async (pod: KObject, body: any) => {
    const res = await sim.call({ verb: 'patch', resource: 'pods', subresource: 'status', namespace: pod.metadata!.namespace, name: pod.metadata!.name, patchType: 'merge', body: { status: body } });
    if (res.code >= 300) throw new Error(`status of ${pod.metadata!.name}: ${res.body.message}`);
  };
  sim.start = async (pod, ready = true) => {
    const now = rfc3339(sim.clock.now());
    const c = pod.spec.containers[0];
    await status(pod, {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: now }],
      containerStatuses: [{ name: c.name, image: c.image, ready, restartCount: 0, started: true, state: { running: { startedAt: now } } }],
    });
  };
  sim.finish = async (pod, code) => {
    const now = rfc3339(sim.clock.now());
    const c = pod.spec.containers[0];
    await status(pod, {
      phase: code === 0 ? 'Succeeded' : 'Failed',
      conditions: [{ type: 'Ready', status: 'False', lastProbeTime: null, lastTransitionTime: now, reason: 'PodCompleted' }],
      containerStatuses: [{
        name: c.name, image: c.image, ready: false, restartCount: 0, started: false,
        state: { terminated: { exitCode: code, reason: code === 0 ? 'Completed' : 'Error', startedAt: now, finishedAt: now } },
      }],
    });
  };
  sim.setJobStatus = async (name, body, ns = 'default') => {
    const res = await sim.call({ verb: 'patch', resource: 'jobs', subresource: 'status', namespace: ns, name, patchType: 'merge', body: { status: body } });
    if (res.code >= 300) throw new Error(`status of job ${name}: ${res.body.message}`);
  };
  return sim;
}

export function job(name: string, spec: any = {}, ns = 'default'): KObject {
  return {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: ns },
    spec: {
      template: { spec: { containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', 'true'] }], restartPolicy: 'Never' } },
      ...spec,
    },
  };
}

export function cronJob(name: string, schedule: string, spec: any = {}, ns = 'default'): KObject {
  return {
    apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name, namespace: ns },
    spec: {
      schedule,
      jobTemplate: { spec: { template: { spec: { containers: [{ name: 'hello', image: 'busybox', command: ['sh', '-c', 'date'] }], restartPolicy: 'OnFailure' } } } },
      ...spec,
    },
  };
}

export const live = (pods: KObject[]) => pods.filter((p) => !p.metadata?.deletionTimestamp);
export const cond = (o: KObject | undefined): string[][] => (o?.status?.conditions ?? []).map((c: any) => [c.type, c.status, c.reason ?? '']);
