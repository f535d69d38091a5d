import { describe, expect, it } from 'vitest';
import { T0 } from '../controlplane/harness.js';
import { cond, job, live, newJSim } from './helpers.js';

const POD_NAME = /^pi-[bcdfghjklmnpqrstvwxz2456789]{5}$/;

describe('job controller: a Job runs its pods to completion', () => {
  it('creates <job>-xxxxx with the job labels, the tracking finalizer and a controller reference', async () => {
    const sim = await newJSim();
    await sim.create('jobs', 'default', job('pi', { backoffLimit: 4 }));
    await sim.step();
    const j = sim.job('pi')!;
    const pods = sim.pods();
    expect(pods).toHaveLength(1);
    const p = pods[0];
    expect(p.metadata!.name).toMatch(POD_NAME);
    const uid = j.metadata!.uid;
    expect(p.metadata!.labels).toEqual({ 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': uid, 'job-name': 'pi' });
    expect(p.metadata!.finalizers).toEqual(['batch.kubernetes.io/job-tracking']);
    expect(p.metadata!.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'Job', name: 'pi', uid, controller: true, blockOwnerDeletion: true }]);
    expect(j.status).toEqual({ startTime: '2026-01-01T00:00:00Z', active: 1, terminating: 0, uncountedTerminatedPods: {}, ready: 0 });
    const ev = sim.events('SuccessfulCreate');
    expect(ev.map((e) => e.message)).toEqual([`Created pod: ${p.metadata!.name}`]);
    expect(ev[0].source).toEqual({ component: 'job-controller' });
    expect(ev[0].involvedObject).toMatchObject({ kind: 'Job', name: 'pi' });
  });

  it('counts ready pods, then completes: SuccessCriteriaMet then Complete, completionTime, finalizer gone, "Job completed"', async () => {
    const sim = await newJSim();
    await sim.create('jobs', 'default', job('pi'));
    await sim.step();
    await sim.start(sim.pods()[0]);
    await sim.step();
    expect(sim.job('pi')!.status).toMatchObject({ active: 1, ready: 1 });
    await sim.tick(34_000);
    await sim.finish(sim.pods()[0], 0);
    await sim.step();
    const j = sim.job('pi')!;
    expect(cond(j)).toEqual([
      ['SuccessCriteriaMet', 'True', 'CompletionsReached'],
      ['Complete', 'True', 'CompletionsReached'],
    ]);
    expect(j.status.conditions[1].message).toBe('Reached expected number of succeeded pods');
    expect(j.status).toMatchObject({ succeeded: 1, ready: 0, terminating: 0, uncountedTerminatedPods: {}, startTime: '2026-01-01T00:00:00Z', completionTime: '2026-01-01T00:00:34Z' });
    expect(j.status.active).toBeUndefined();
    expect(sim.pods()[0].metadata!.finalizers).toBeUndefined();
    expect(sim.pods()[0].status.phase).toBe('Succeeded');
    const done = sim.events('Completed');
    expect(done.map((e) => [e.type, e.message])).toEqual([['Normal', 'Job completed']]);
    // Nothing more to do: no new pod, no more writes.
    const rv = j.metadata!.resourceVersion;
    await sim.tick(60_000);
    expect(sim.pods()).toHaveLength(1);
    expect(sim.job('pi')!.metadata!.resourceVersion).toBe(rv);
  });

  it('completions 3 with parallelism 2: two pods at a time, never more than the remaining completions', async () => {
    const sim = await newJSim();
    await sim.create('jobs', 'default', job('pi', { completions: 3, parallelism: 2 }));
    await sim.step();
    expect(sim.pods()).toHaveLength(2);
    await sim.finish(sim.pods()[0], 0);
    await sim.step();
    expect(sim.pods()).toHaveLength(3);
    expect(sim.job('pi')!.status).toMatchObject({ succeeded: 1, active: 2 });
    for (const p of sim.pods()) if (p.status.phase !== 'Succeeded') await sim.finish(p, 0);
    await sim.step();
    expect(sim.pods()).toHaveLength(3);
    const j = sim.job('pi')!;
    expect(j.status.succeeded).toBe(3);
    expect(cond(j).map((c) => c[0])).toEqual(['SuccessCriteriaMet', 'Complete']);
  });

  it('replaces a failed pod after the pod-failure backoff (10 s, then 20 s), and fails with BackoffLimitExceeded', async () => {
    const sim = await newJSim();
    await sim.create('jobs', 'default', job('pi', { backoffLimit: 2 }));
    await sim.step();
    await sim.finish(sim.pods()[0], 1);
    await sim.step();
    expect(sim.job('pi')!.status).toMatchObject({ failed: 1 });
    expect(sim.pods()).toHaveLength(1);
    await sim.tick(9_000);
    expect(sim.pods()).toHaveLength(1);
    await sim.tick(1_000);
    expect(sim.pods()).toHaveLength(2);
    const second = sim.pods().find((p) => !p.status?.phase || p.status.phase === 'Pending')!;
    await sim.finish(second, 1);
    await sim.step();
    await sim.tick(19_000);
    expect(sim.pods()).toHaveLength(2);
    await sim.tick(1_000);
    expect(sim.pods()).toHaveLength(3);
    const third = sim.pods().find((p) => p.status.phase === 'Pending')!;
    await sim.finish(third, 1);
    await sim.step();
    const j = sim.job('pi')!;
    expect(j.status.failed).toBe(3);
    expect(cond(j)).toEqual([
      ['FailureTarget', 'True', 'BackoffLimitExceeded'],
      ['Failed', 'True', 'BackoffLimitExceeded'],
    ]);
    expect(j.status.conditions[1].message).toBe('Job has reached the specified backoff limit');
    expect(j.status.completionTime).toBeUndefined();
    const ev = sim.events('BackoffLimitExceeded');
    expect(ev.map((e) => [e.type, e.message])).toEqual([['Warning', 'Job has reached the specified backoff limit']]);
    await sim.tick(600_000);
    expect(sim.pods()).toHaveLength(3);
    for (const p of sim.pods()) expect(p.metadata!.finalizers).toBeUndefined();
  });

  it('activeDeadlineSeconds: running pods are deleted and the Job fails with DeadlineExceeded at the deadline', async () => {
    const sim = await newJSim();
    await sim.create('jobs', 'default', job('slow', { activeDeadlineSeconds: 30 }));
    await sim.step();
    await sim.start(sim.pods()[0]);
    await sim.tick(29_000);
    expect(cond(sim.job('slow'))).toEqual([]);
    await sim.tick(1_000);
    const j = sim.job('slow')!;
    expect(cond(j)).toEqual([
      ['FailureTarget', 'True', 'DeadlineExceeded'],
      ['Failed', 'True', 'DeadlineExceeded'],
    ]);
    expect(j.status.conditions[1].message).toBe('Job was active longer than specified deadline');
    expect(j.status.failed).toBe(1);
    expect(j.status.active).toBeUndefined();
    expect(sim.events('SuccessfulDelete').map((e) => e.message)).toHaveLength(1);
    expect(sim.events('DeadlineExceeded').map((e) => e.message)).toEqual(['Job was active longer than specified deadline']);
    expect(live(sim.pods())).toHaveLength(0);
  });

  it('a Job that finished before its deadline leaves no timer behind (instant mode does not jump to it)', async () => {
    const sim = await newJSim();
    await sim.create('jobs', 'default', job('quick', { activeDeadlineSeconds: 600 }));
    await sim.step();
    await sim.finish(sim.pods()[0], 0);
    await sim.step();
    const { advance } = await import('../../../src/cluster/runtime.js');
    const { MINE } = await import('./helpers.js');
    const before = sim.clock.now();
    await advance(sim.api, sim.clock, before, { instant: true, components: MINE });
    expect(sim.clock.now()).toBe(before);
  });
});

describe('job controller: Indexed Jobs', () => {
  it('names pods <job>-<index>-xxxxx, carries the index, and reports completedIndexes as intervals', async () => {
    const sim = await newJSim();
    await sim.create('jobs', 'default', job('idx', { completions: 6, parallelism: 6, completionMode: 'Indexed' }));
    await sim.step();
    const pods = sim.pods();
    expect(pods).toHaveLength(6);
    const byIndex = new Map(pods.map((p) => [p.metadata!.annotations!['batch.kubernetes.io/job-completion-index'], p]));
    expect([...byIndex.keys()].sort()).toEqual(['0', '1', '2', '3', '4', '5']);
    const p2 = byIndex.get('2')!;
    expect(p2.metadata!.name).toMatch(/^idx-2-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(p2.metadata!.labels!['batch.kubernetes.io/job-completion-index']).toBe('2');
    expect(p2.spec.hostname).toBe('idx-2');
    expect(p2.spec.containers[0].env).toContainEqual(expect.objectContaining({
      name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: expect.objectContaining({ fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" }) },
    }));
    for (const i of ['0', '1', '2', '4']) await sim.finish(byIndex.get(i)!, 0);
    await sim.step();
    expect(sim.job('idx')!.status).toMatchObject({ completedIndexes: '0-2,4', succeeded: 4, active: 2 });
    // A failed index is retried (after the backoff) with a new pod for the same index.
    await sim.finish(byIndex.get('5')!, 1);
    await sim.step();
    await sim.tick(10_000);
    const again = sim.pods().filter((p) => p.metadata!.annotations!['batch.kubernetes.io/job-completion-index'] === '5');
    expect(again).toHaveLength(2);
    for (const p of sim.pods()) if (!['Succeeded', 'Failed'].includes(p.status?.phase)) await sim.finish(p, 0);
    await sim.step();
    const j = sim.job('idx')!;
    expect(j.status).toMatchObject({ completedIndexes: '0-5', succeeded: 6, failed: 1 });
    expect(cond(j).map((c) => c[0])).toEqual(['SuccessCriteriaMet', 'Complete']);
  });
});

describe('job controller: suspend, podFailurePolicy, orphans', () => {
  it('a suspended Job starts nothing; resuming creates the pods and restarts startTime', async () => {
    const sim = await newJSim();
    await sim.create('jobs', 'default', job('later', { suspend: true }));
    await sim.step();
    expect(sim.pods()).toHaveLength(0);
    let j = sim.job('later')!;
    expect(cond(j)).toEqual([['Suspended', 'True', 'JobSuspended']]);
    expect(j.status.startTime).toBeUndefined();
    expect(sim.events('Suspended').map((e) => e.message)).toEqual(['Job suspended']);
    await sim.tick(60_000);
    await sim.call({ verb: 'patch', resource: 'jobs', namespace: 'default', name: 'later', patchType: 'merge', body: { spec: { suspend: false } } });
    await sim.step();
    j = sim.job('later')!;
    expect(sim.pods()).toHaveLength(1);
    expect(cond(j)).toEqual([['Suspended', 'False', 'JobResumed']]);
    expect(j.status.startTime).toBe('2026-01-01T00:01:00Z');
    expect(sim.events('Resumed').map((e) => e.message)).toEqual(['Job resumed']);
    // Suspending again deletes the running pod without counting it as failed.
    await sim.start(sim.pods()[0]);
    await sim.call({ verb: 'patch', resource: 'jobs', namespace: 'default', name: 'later', patchType: 'merge', body: { spec: { suspend: true } } });
    await sim.step();
    j = sim.job('later')!;
    expect(live(sim.pods())).toHaveLength(0);
    expect(j.status.failed).toBeUndefined();
    expect(j.status.active).toBeUndefined();
  });

  it('podFailurePolicy: a FailJob rule on an exit code fails the Job at once; Ignore does not count', async () => {
    const sim = await newJSim();
    const policy = { rules: [{ action: 'Ignore', onExitCodes: { operator: 'In', values: [3] } }, { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } }] };
    await sim.create('jobs', 'default', job('pfp', { podFailurePolicy: policy, backoffLimit: 6 }));
    await sim.step();
    await sim.finish(sim.pods()[0], 3);
    await sim.step();
    expect(sim.job('pfp')!.status.failed).toBeUndefined();
    // An ignored failure still delays the replacement (the backoff record counts every failure).
    expect(sim.pods()).toHaveLength(1);
    await sim.tick(10_000);
    expect(sim.pods()).toHaveLength(2);
    const p = sim.pods().find((x) => x.status.phase === 'Pending')!;
    await sim.finish(p, 42);
    await sim.step();
    const j = sim.job('pfp')!;
    expect(cond(j)).toEqual([['FailureTarget', 'True', 'PodFailurePolicy'], ['Failed', 'True', 'PodFailurePolicy']]);
    expect(j.status.conditions[1].message).toBe(`Container main for pod default/${p.metadata!.name} failed with exit code 42 matching FailJob rule at index 1`);
  });

  it('the tracking finalizer leaves the pods of a deleted Job, so that they go too', async () => {
    const sim = await newJSim();
    await sim.create('jobs', 'default', job('gone', { parallelism: 2, completions: 2 }));
    await sim.step();
    expect(sim.pods()).toHaveLength(2);
    await sim.call({ verb: 'delete', resource: 'jobs', namespace: 'default', name: 'gone', propagationPolicy: 'Background' });
    await sim.step();
    expect(sim.job('gone')).toBeUndefined();
    expect(sim.pods()).toHaveLength(0);
  });
});

describe('ttl-after-finished controller', () => {
  it('deletes a finished Job ttlSecondsAfterFinished after it finished, with its pods', async () => {
    const sim = await newJSim();
    await sim.create('jobs', 'default', job('short', { ttlSecondsAfterFinished: 100 }));
    await sim.step();
    await sim.tick(5_000);
    await sim.finish(sim.pods()[0], 0);
    await sim.step();
    expect(sim.job('short')!.status.completionTime).toBe('2026-01-01T00:00:05Z');
    await sim.tick(99_000);
    expect(sim.job('short')).toBeDefined();
    await sim.tick(1_000);
    expect(sim.clock.now()).toBe(T0 + 105_000);
    expect(sim.job('short')).toBeUndefined();
    expect(sim.pods()).toHaveLength(0);
  });

  it('leaves Jobs without a TTL and unfinished Jobs alone', async () => {
    const sim = await newJSim();
    await sim.create('jobs', 'default', job('keep'));
    await sim.create('jobs', 'default', job('running', { ttlSecondsAfterFinished: 0 }));
    await sim.step();
    await sim.finish(sim.pods().find((p) => p.metadata!.labels!['job-name'] === 'keep')!, 0);
    await sim.tick(3_600_000);
    expect(sim.job('keep')).toBeDefined();
    expect(sim.job('running')).toBeDefined();
  });
});
