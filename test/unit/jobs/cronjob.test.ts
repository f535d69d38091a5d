import { describe, expect, it } from 'vitest';
import { T0 } from '../controlplane/harness.js';
import { advance } from '../../../src/cluster/runtime.js';
import { garbageCollector } from '../../../src/controllers/garbage-collector.js';
import { cronJobController } from '../../../src/controllers/cronjob/index.js';
import { cronJob, newJSim, type JSim } from './helpers.js';

const minute = (iso: string) => Math.floor(Date.parse(iso) / 60_000);
const ONLY_CRON = [garbageCollector, cronJobController];

async function complete(sim: JSim, name: string, type: 'Complete' | 'Failed' = 'Complete'): Promise<void> {
  const now = new Date(sim.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
  const c = { type, status: 'True', lastProbeTime: now, lastTransitionTime: now };
  const pre = type === 'Complete' ? { ...c, type: 'SuccessCriteriaMet' } : { ...c, type: 'FailureTarget' };
  await sim.setJobStatus(name, { conditions: [pre, c], startTime: sim.job(name)!.status?.startTime ?? now, ...(type === 'Complete' ? { completionTime: now, succeeded: 1 } : { failed: 1 }) });
}

describe('cronjob controller', () => {
  it('starts a Job <cronjob>-<minutes> at each schedule time of the virtual clock, not before', async () => {
    const sim = await newJSim(ONLY_CRON);
    await sim.tick(10_000);
    await sim.create('cronjobs', 'default', cronJob('hello', '* * * * *', { jobTemplate: { metadata: { labels: { team: 'a' }, annotations: { note: 'x' } }, spec: { template: { spec: { containers: [{ name: 'hello', image: 'busybox' }], restartPolicy: 'OnFailure' } } } } }));
    await sim.step();
    expect(sim.jobs()).toHaveLength(0);
    await sim.tick(49_000);
    expect(sim.jobs()).toHaveLength(0);
    await sim.tick(1_000);
    expect(sim.jobs()).toHaveLength(0);
    // the controller looks 100 ms after the schedule time
    await sim.tick(100);
    const jobs = sim.jobs();
    const name = `hello-${minute('2026-01-01T00:01:00Z')}`;
    expect(jobs.map((j) => j.metadata!.name)).toEqual([name]);
    const j = jobs[0];
    const cj = sim.cronjob('hello')!;
    expect(j.metadata!.creationTimestamp).toBe('2026-01-01T00:01:00Z');
    expect(j.metadata!.labels).toEqual({ team: 'a' });
    expect(j.metadata!.annotations).toEqual({ note: 'x', 'batch.kubernetes.io/cronjob-scheduled-timestamp': '2026-01-01T00:01:00Z' });
    expect(j.metadata!.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'hello', uid: cj.metadata!.uid, controller: true, blockOwnerDeletion: true }]);
    expect(cj.status.lastScheduleTime).toBe('2026-01-01T00:01:00Z');
    expect(cj.status.active).toEqual([{ kind: 'Job', namespace: 'default', name, uid: j.metadata!.uid, apiVersion: 'batch/v1', resourceVersion: j.metadata!.resourceVersion }]);
    const ev = sim.events('SuccessfulCreate');
    expect(ev.map((e) => e.message)).toEqual([`Created job ${name}`]);
    expect(ev[0].source).toEqual({ component: 'cronjob-controller' });
    // Concurrency Allow: the next minute starts another one while the first runs.
    await sim.tick(60_000);
    expect(sim.jobs()).toHaveLength(2);
    expect(sim.cronjob('hello')!.status.active).toHaveLength(2);
  });

  it('schedule times are background wake-ups: instant mode does not run ahead to them', async () => {
    const sim = await newJSim(ONLY_CRON);
    await sim.create('cronjobs', 'default', cronJob('hello', '*/5 * * * *'));
    await advance(sim.api, sim.clock, sim.clock.now(), { instant: true, components: ONLY_CRON });
    expect(sim.clock.now()).toBe(T0);
    expect(sim.jobs()).toHaveLength(0);
  });

  it('sees its Jobs finish (SawCompletedJob, lastSuccessfulTime) and keeps 3 successful and 1 failed', async () => {
    const sim = await newJSim(ONLY_CRON);
    await sim.create('cronjobs', 'default', cronJob('hello', '* * * * *'));
    await sim.step();
    const names: string[] = [];
    for (let i = 1; i <= 5; i++) {
      await sim.tickTo(T0 + i * 60_000 + 5_000);
      const name = `hello-${Math.floor(T0 / 60_000) + i}`;
      names.push(name);
      await complete(sim, name);
      await sim.step();
    }
    const cj = sim.cronjob('hello')!;
    expect(cj.status.active).toBeUndefined();
    expect(cj.status.lastSuccessfulTime).toBe('2026-01-01T00:05:05Z');
    expect(sim.events('SawCompletedJob').map((e) => e.message)).toContain(`Saw completed job: ${names[0]}, condition: Complete`);
    expect(sim.jobs().map((j) => j.metadata!.name).sort()).toEqual(names.slice(2).sort());
    expect(sim.events('SuccessfulDelete').map((e) => e.message).sort()).toEqual([`Deleted job ${names[0]}`, `Deleted job ${names[1]}`]);
    // failures: only the last one is kept
    for (let i = 6; i <= 7; i++) {
      await sim.tickTo(T0 + i * 60_000 + 5_000);
      await complete(sim, `hello-${Math.floor(T0 / 60_000) + i}`, 'Failed');
      await sim.step();
    }
    const failed = sim.jobs().filter((j) => j.status.conditions?.some((c: any) => c.type === 'Failed'));
    expect(failed.map((j) => j.metadata!.name)).toEqual([`hello-${Math.floor(T0 / 60_000) + 7}`]);
  });

  it('Forbid skips a schedule while a Job runs; Replace deletes the running Job first', async () => {
    const sim = await newJSim(ONLY_CRON);
    await sim.create('cronjobs', 'default', cronJob('forbid', '* * * * *', { concurrencyPolicy: 'Forbid' }));
    await sim.create('cronjobs', 'default', cronJob('replace', '* * * * *', { concurrencyPolicy: 'Replace' }));
    await sim.tickTo(T0 + 121_000);
    const jobs = sim.jobs().map((j) => j.metadata!.name).sort();
    const m = Math.floor(T0 / 60_000);
    expect(jobs).toEqual([`forbid-${m + 1}`, `replace-${m + 2}`]);
    expect(sim.events('JobAlreadyActive').map((e) => e.message)).toEqual(['Not starting job because prior execution is running and concurrency policy is Forbid']);
    expect(sim.events('SuccessfulDelete').map((e) => e.message)).toEqual([`Deleted job replace-${m + 1}`]);
    expect(sim.cronjob('replace')!.status.active.map((r: any) => r.name)).toEqual([`replace-${m + 2}`]);
  });

  it('suspend stops new Jobs; spec.timeZone sets the scheduled-timestamp offset', async () => {
    const sim = await newJSim(ONLY_CRON);
    await sim.create('cronjobs', 'default', cronJob('off', '* * * * *', { suspend: true }));
    await sim.create('cronjobs', 'default', cronJob('tokyo', '0 9 * * *', { timeZone: 'Asia/Tokyo' }));
    await sim.tick(24 * 3_600_000 + 1_000);
    expect(sim.jobs().map((j) => j.metadata!.name)).toEqual([`tokyo-${minute('2026-01-02T00:00:00Z')}`]);
    expect(sim.jobs()[0].metadata!.annotations!['batch.kubernetes.io/cronjob-scheduled-timestamp']).toBe('2026-01-02T09:00:00+09:00');
  });

  it('after a long outage: one Job for the latest time, and "too many missed start times"', async () => {
    const sim = await newJSim(ONLY_CRON);
    await sim.create('cronjobs', 'default', cronJob('late', '* * * * *'));
    await sim.step();
    // the controller is down for three hours
    await advance(sim.api, sim.clock, sim.clock.now() + 3 * 3_600_000 + 20_000, { components: [garbageCollector] });
    await sim.step();
    expect(sim.jobs().map((j) => j.metadata!.name)).toEqual([`late-${minute('2026-01-01T03:00:00Z')}`]);
    expect(sim.events('TooManyMissedTimes').map((e) => [e.type, e.message])).toEqual([['Warning', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew']]);
  });

  it('startingDeadlineSeconds: a start missed by more than the deadline is reported, not run', async () => {
    const sim = await newJSim(ONLY_CRON);
    await sim.create('cronjobs', 'default', cronJob('strict', '0 * * * *', { startingDeadlineSeconds: 10 }));
    await sim.step();
    await advance(sim.api, sim.clock, T0 + 3_600_000 + 30_000, { components: [garbageCollector] });
    await sim.step();
    expect(sim.jobs()).toHaveLength(0);
    await sim.tick(3_600_000);
    expect(sim.jobs().map((j) => j.metadata!.name)).toEqual([`strict-${minute('2026-01-01T02:00:00Z')}`]);
  });
});
