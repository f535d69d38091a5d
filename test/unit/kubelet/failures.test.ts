// The kubelet when containers fail: restart policies, the crash loop back-off, OOM kills, image
// pull errors and their back-off, liveness kills; each step checked at its virtual time.
import { describe, expect, it } from 'vitest';
import { boundPod, kubeletSim, podEvents } from './helpers.js';
import { podStatusCells } from '../../../src/printers/table/pod.js';
import { containerLogs } from '../../../src/kubelet/logs.js';
import type { Sim } from '../controlplane/harness.js';

const W1 = 'sim-worker';
const cs = (sim: Sim, name: string) => sim.get('pods', 'default', name)!.status.containerStatuses[0];
const cells = (sim: Sim, name: string) => podStatusCells(sim.get('pods', 'default', name), sim.clock.now());

describe('kubelet: restart policies and the crash loop back-off', () => {
  it('restarts a failing container at once, then after 10s, 20s, 40s ... with CrashLoopBackOff between', async () => {
    const sim = await kubeletSim();
    await sim.create('pods', 'default', boundPod('crash', W1, [{ name: 'c', image: 'busybox:1.36', command: ['sh', '-c', 'echo starting; exit 1'] }]));
    await sim.run(5_000);
    // first exit: restarted at once (no back-off yet), so it has ended twice by now
    let s = cs(sim, 'crash');
    const uid = sim.get('pods', 'default', 'crash')!.metadata!.uid;
    expect(s.restartCount).toBe(1);
    expect(s.state.waiting).toEqual({ reason: 'CrashLoopBackOff', message: `back-off 10s restarting failed container=c pod=crash_default(${uid})` });
    expect(s.lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(s.lastState.terminated.containerID).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
    expect(sim.get('pods', 'default', 'crash')!.status.phase).toBe('Running');
    expect(cells(sim, 'crash').status).toBe('CrashLoopBackOff');
    expect(cells(sim, 'crash').restarts).toMatch(/^1 \(\d+s ago\)$/);
    expect(podEvents(sim, 'crash')).toContain(`BackOff: Back-off restarting failed container c in pod crash_default(${uid})`);
    const finished = Date.parse(s.lastState.terminated.finishedAt);

    // the 10s back-off runs from the exit: still waiting just before, restarted just after
    await sim.run(finished + 9_000 - sim.clock.now());
    expect(cs(sim, 'crash').restartCount).toBe(1);
    await sim.run(5_000);
    s = cs(sim, 'crash');
    // restarted (count 2), ended again, and now waits 20s
    expect(s.restartCount).toBe(2);
    expect(s.state.waiting.message).toMatch(/^back-off 20s restarting failed container=c /);
    const f2 = Date.parse(s.lastState.terminated.finishedAt);
    await sim.run(f2 + 23_000 - sim.clock.now());
    expect(cs(sim, 'crash').restartCount).toBe(3);
    expect(cs(sim, 'crash').state.waiting.message).toMatch(/^back-off 40s /);
    // and on: 1m20s, 2m40s, then capped at 5m0s
    await sim.run(10 * 60_000);
    expect(cs(sim, 'crash').state.waiting.message).toMatch(/^back-off 5m0s /);
    const ev = sim.list('events', 'default').find((e) => e.reason === 'Started' && e.involvedObject.name === 'crash')!;
    expect(ev.count).toBeGreaterThanOrEqual(6);
    // the log of the last instance, while it waits
    const pod = sim.get('pods', 'default', 'crash')!;
    expect(containerLogs(pod, 'c', sim.clock.now(), { previous: true })!.map((l) => l.text)).toEqual(['starting']);
  });

  it('Completed containers restart too under Always; OnFailure ends Succeeded; Never ends Failed', async () => {
    const sim = await kubeletSim();
    await sim.create('pods', 'default', boundPod('always', W1, [{ name: 'c', image: 'busybox:1.36', command: ['sh', '-c', 'echo hi'] }]));
    await sim.create('pods', 'default', boundPod('onfail', W1, [{ name: 'c', image: 'busybox:1.36', command: ['sh', '-c', 'sleep 2'] }], { restartPolicy: 'OnFailure' }));
    await sim.create('pods', 'default', boundPod('never', W1, [{ name: 'c', image: 'busybox:1.36', command: ['sh', '-c', 'cat /missing'] }], { restartPolicy: 'Never' }));
    await sim.run(30_000);
    expect(cs(sim, 'always').restartCount).toBeGreaterThanOrEqual(1);
    expect(cs(sim, 'always').lastState.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(sim.get('pods', 'default', 'onfail')!.status.phase).toBe('Succeeded');
    expect(cells(sim, 'onfail').status).toBe('Completed');
    expect(cs(sim, 'onfail').restartCount).toBe(0);
    const never = sim.get('pods', 'default', 'never')!;
    expect(never.status.phase).toBe('Failed');
    expect(cells(sim, 'never').status).toBe('Error');
    expect(cs(sim, 'never').state.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(containerLogs(never, 'c', sim.clock.now())!.map((l) => l.text)).toEqual(["cat: can't open '/missing': No such file or directory"]);
  });

  it('a failing init container: Init:Error, then Init:CrashLoopBackOff; the app never starts', async () => {
    const sim = await kubeletSim();
    await sim.create('pods', 'default', boundPod('init', W1, [{ name: 'app', image: 'nginx:1.25' }], {
      initContainers: [{ name: 'setup', image: 'busybox:1.36', command: ['sh', '-c', 'sleep 1; false'] }],
    }));
    await sim.run(8_000);
    const pod = sim.get('pods', 'default', 'init')!;
    expect(pod.status.phase).toBe('Pending');
    expect(pod.status.initContainerStatuses[0].restartCount).toBeGreaterThanOrEqual(1);
    expect(['Init:CrashLoopBackOff', 'Init:Error']).toContain(cells(sim, 'init').status);
    await sim.run(3_000);
    expect(podEvents(sim, 'init').some((e) => e.startsWith('BackOff: Back-off restarting failed container setup'))).toBe(true);
    expect(pod.status.containerStatuses[0].state.waiting.reason).toBe('PodInitializing');
  });
});

describe('kubelet: OOMKilled', () => {
  const stress = (limit: string, bytes: string) => ({
    name: 'memory-demo-2-ctr', image: 'polinux/stress', command: ['stress'], args: ['--vm', '1', '--vm-bytes', bytes, '--vm-hang', '1'],
    resources: { requests: { memory: '50Mi' }, limits: { memory: limit } },
  });

  it('a container using more memory than its limit is killed (137, OOMKilled), then crash-loops', async () => {
    const sim = await kubeletSim();
    await sim.create('pods', 'default', boundPod('mem', W1, [stress('100Mi', '250M')]));
    await sim.run(20_000);
    const s = cs(sim, 'mem');
    expect(s.lastState.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
    expect(s.restartCount).toBeGreaterThanOrEqual(1);
    expect(['OOMKilled', 'CrashLoopBackOff']).toContain(cells(sim, 'mem').status);
  });

  it('within its limit it runs', async () => {
    const sim = await kubeletSim();
    await sim.create('pods', 'default', boundPod('mem', W1, [stress('200Mi', '150M')]));
    await sim.run(60_000);
    expect(cs(sim, 'mem').state.running).toBeDefined();
    expect(cs(sim, 'mem').restartCount).toBe(0);
  });
});

describe('kubelet: image errors', () => {
  it('an unknown tag of a known repository: ErrImagePull, ImagePullBackOff, retries 10s doubling', async () => {
    const sim = await kubeletSim();
    await sim.create('pods', 'default', boundPod('bad', W1, [{ name: 'web', image: 'nginx:1.99-nope' }]));
    await sim.run(3_000);
    const notFound = 'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:1.99-nope": failed to resolve reference "docker.io/library/nginx:1.99-nope": docker.io/library/nginx:1.99-nope: not found';
    let s = cs(sim, 'bad');
    expect(s.state.waiting.reason).toMatch(/^(ErrImagePull|ImagePullBackOff)$/);
    await sim.run(3_000);
    s = cs(sim, 'bad');
    expect(s.state.waiting).toEqual({ reason: 'ImagePullBackOff', message: 'Back-off pulling image "nginx:1.99-nope"' });
    expect(cells(sim, 'bad').status).toBe('ImagePullBackOff');
    expect(podEvents(sim, 'bad')).toEqual([
      'Pulling: Pulling image "nginx:1.99-nope"',
      `Failed: Failed to pull image "nginx:1.99-nope": ${notFound}`,
      'Failed: Error: ErrImagePull',
      'BackOff: Back-off pulling image "nginx:1.99-nope"',
      'Failed: Error: ImagePullBackOff',
    ]);
    // 10s after the failure it pulls again, fails, and backs off 20s
    await sim.run(10_000);
    const pulling = () => sim.list('events', 'default').find((e) => e.reason === 'Pulling' && e.involvedObject.name === 'bad')!.count;
    expect(pulling()).toBe(2);
    await sim.run(15_000);
    expect(pulling()).toBe(2);
    await sim.run(10_000);
    expect(pulling()).toBe(3);
    expect(sim.get('pods', 'default', 'bad')!.status.phase).toBe('Pending');
  });

  it('a malformed reference: InvalidImageName, no pull', async () => {
    const sim = await kubeletSim();
    await sim.create('pods', 'default', boundPod('inv', W1, [{ name: 'c', image: '<your-private-image>' }]));
    await sim.run(5_000);
    const msg = 'Failed to apply default image tag "<your-private-image>": couldn\'t parse image name "<your-private-image>": invalid reference format';
    expect(cs(sim, 'inv').state.waiting).toEqual({ reason: 'InvalidImageName', message: msg });
    expect(podEvents(sim, 'inv')).toEqual([`InspectFailed: ${msg}`, 'Failed: Error: InvalidImageName']);
  });

  it('a private repository needs imagePullSecrets naming a Secret', async () => {
    const sim = await kubeletSim();
    await sim.create('pods', 'default', boundPod('priv', W1, [{ name: 'c', image: 'docker.io/acme/private-app:1.0' }]));
    await sim.run(5_000);
    expect(podEvents(sim, 'priv')[1]).toMatch(/pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed$/);
    await sim.create('secrets', 'default', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'regcred' }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': Buffer.from('{"auths":{}}').toString('base64') } });
    await sim.create('pods', 'default', boundPod('priv2', W1, [{ name: 'c', image: 'docker.io/acme/private-app:1.0' }], { imagePullSecrets: [{ name: 'regcred' }] }));
    await sim.run(10_000);
    expect(cs(sim, 'priv2').state.running).toBeDefined();
  });

  it('an unknown repository still pulls (tutorial images)', async () => {
    const sim = await kubeletSim();
    await sim.create('pods', 'default', boundPod('t', W1, [{ name: 'c', image: 'your-image:latest' }]));
    await sim.run(30_000);
    expect(cs(sim, 't').state.running).toBeDefined();
  });
});

describe('kubelet: liveness probes restart the container', () => {
  it("the docs' exec-liveness: Unhealthy after the file is removed, Killing, restart", async () => {
    const sim = await kubeletSim();
    await sim.create('pods', 'default', boundPod('liveness-exec', W1, [{
      name: 'liveness', image: 'registry.k8s.io/busybox', args: ['/bin/sh', '-c', 'touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600'],
      livenessProbe: { exec: { command: ['cat', '/tmp/healthy'] }, initialDelaySeconds: 5, periodSeconds: 5 },
    }]));
    await sim.run(30_000);
    expect(cs(sim, 'liveness-exec').ready).toBe(true);
    expect(podEvents(sim, 'liveness-exec').some((e) => e.startsWith('Unhealthy'))).toBe(false);
    await sim.run(60_000);
    const events = podEvents(sim, 'liveness-exec');
    // an exec probe's output ends with its newline, which the event keeps
    expect(events).toContain("Unhealthy: Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n");
    const unhealthy = sim.list('events', 'default').find((e) => e.reason === 'Unhealthy')!;
    expect(unhealthy.count).toBe(3);
    expect(events).toContain('Killing: Container liveness failed liveness probe, will be restarted');
    await sim.run(60_000);
    expect(cs(sim, 'liveness-exec').restartCount).toBeGreaterThanOrEqual(1);
    expect(cs(sim, 'liveness-exec').lastState.terminated).toMatchObject({ exitCode: 137, reason: 'Error' });
  });
});
