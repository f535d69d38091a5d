// Jobs and CronJobs through the real CLI, with the docs' manifests (controllers/job.yaml and
// application/job/cronjob.yaml). These need the whole control plane, including the kubelet
// running the containers to their exit (perl computing pi, busybox printing the date), so they
// are the few end-to-end checks; test/unit/jobs covers the controllers themselves.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshHome, run } from './helpers.js';

const CORPUS = '/work/shared/corpus/k8s-website-examples';
const ENV = { MINIKCTL_TIME: 'manual' };
const SUFFIX = '[bcdfghjklmnpqrstvwxz2456789]{5}';

describe('Jobs and CronJobs from the docs, end to end (needs the kubelet to run containers to their exit)', () => {
  it('job.yaml: pi runs to completion; get, describe and the pod show it', () => {
    const home = freshHome();
    const m = (...args: string[]) => run(args, { home, env: ENV });
    expect(m('apply', '-f', join(CORPUS, 'controllers/job.yaml'))).toMatchObject({ code: 0, stdout: 'job.batch/pi created\n' });
    let r = m('get', 'jobs');
    expect(r.stdout).toMatch(/^NAME   STATUS    COMPLETIONS   DURATION   AGE\npi     Running   0\/1           0s         0s\n$/);
    expect(m('cluster', 'advance', '2m').code).toBe(0);
    r = m('get', 'jobs');
    expect(r.stdout).toMatch(/^NAME   STATUS     COMPLETIONS   DURATION   AGE\npi     Complete   1\/1           \d+s +2m\n$/);
    r = m('get', 'pods', '-l', 'job-name=pi');
    expect(r.stdout).toMatch(new RegExp(`^NAME +READY   STATUS      RESTARTS   AGE\npi-${SUFFIX}   0/1     Completed   0          2m\n$`));
    const pod = r.stdout.split('\n')[1].split(' ')[0];
    r = m('describe', 'job', 'pi');
    expect(r.stdout).toContain('Completions:      1\nCompletion Mode:  NonIndexed\nSuspend:          false\nBackoff Limit:    4\n');
    expect(r.stdout).toContain('Pods Statuses:    0 Active (0 Ready) / 1 Succeeded / 0 Failed\n');
    expect(r.stdout).toMatch(new RegExp(`Events:\n  Type    Reason            Age   From            Message\n  ----    ------            ----  ----            -------\n  Normal  SuccessfulCreate  2m    job-controller  Created pod: ${pod}\n  Normal  Completed         \\S+ +job-controller  Job completed\n$`));
    r = m('get', 'job', 'pi', '-o', 'jsonpath={.status.conditions[*].type} {.status.succeeded} {.status.uncountedTerminatedPods}');
    expect(r.stdout).toBe('SuccessCriteriaMet Complete 1 {}');
    expect(m('get', 'pod', pod, '-o', 'jsonpath={.metadata.finalizers}').stdout).toBe('');
  });

  it('cronjob.yaml (batch/v1, as the docs have it now): a Job a minute as the clock advances, three kept', () => {
    const home = freshHome();
    const m = (...args: string[]) => run(args, { home, env: ENV });
    // The corpus copy still says batch/v1beta1, which 1.25 removed (corpus.test.ts checks that error).
    const file = join(home, 'cronjob.yaml');
    writeFileSync(file, readFileSync(join(CORPUS, 'application/job/cronjob.yaml'), 'utf8').replace('batch/v1beta1', 'batch/v1'));
    expect(m('apply', '-f', file)).toMatchObject({ code: 0, stdout: 'cronjob.batch/hello created\n' });
    let r = m('get', 'cronjob', 'hello');
    expect(r.stdout).toBe('NAME    SCHEDULE    TIMEZONE   SUSPEND   ACTIVE   LAST SCHEDULE   AGE\nhello   * * * * *   <none>     False     0        <none>          0s\n');
    // Nothing happens until time passes.
    expect(m('get', 'jobs').stderr).toBe('No resources found in default namespace.\n');
    expect(m('cluster', 'advance', '1m').code).toBe(0);
    r = m('get', 'jobs', '-o', 'name');
    const first = r.stdout.trim();
    expect(first).toMatch(/^job\.batch\/hello-\d{8}$/);
    r = m('get', 'cronjob', 'hello');
    expect(r.stdout).toMatch(/\nhello   \* \* \* \* \*   <none>     False     [01]        \d+s +60s\n$/);
    const name = first.split('/')[1];
    const minutes = Number(name.split('-')[1]);
    r = m('get', 'job', name, '-o', "jsonpath={.metadata.annotations.batch\\.kubernetes\\.io/cronjob-scheduled-timestamp} {.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}");
    expect(r.stdout).toBe(`${new Date(minutes * 60_000).toISOString().replace('.000Z', 'Z')} CronJob/hello`);
    expect(m('cluster', 'advance', '4m').code).toBe(0);
    r = m('get', 'jobs', '-o', 'name');
    // successfulJobsHistoryLimit 3: the three latest remain
    expect(r.stdout).toBe([2, 3, 4].map((i) => `job.batch/hello-${minutes + i}`).join('\n') + '\n');
    r = m('describe', 'cronjob', 'hello');
    expect(r.stdout).toContain(`Normal  SuccessfulCreate  4m`);
    expect(r.stdout).toContain(`cronjob-controller  Created job hello-${minutes}\n`);
    expect(r.stdout).toContain(`cronjob-controller  Saw completed job: hello-${minutes}, condition: Complete\n`);
    expect(r.stdout).toContain(`cronjob-controller  Deleted job hello-${minutes + 1}\n`);
    expect(r.stdout).toMatch(/Last Schedule Time:  \w{3}, \d\d \w{3} \d{4} \d\d:\d\d:00 \+0000\nActive Jobs:         <none>\n/);
  });
});
