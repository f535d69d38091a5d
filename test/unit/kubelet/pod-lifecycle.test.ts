import { describe, expect, it } from 'vitest';
import { boundPod, kubeletSim, podEvents } from './helpers.js';

const W1 = 'sim-worker';

describe('kubelet: a pod bound to its node', () => {
  it('shows ContainerCreating, then Running with an IP from the node range, with the real events in order', async () => {
    const sim = await kubeletSim();
    await sim.create('pods', 'default', boundPod('web', W1, [{ name: 'nginx', image: 'nginx:1.25' }]));
    await sim.run(0);
    let pod = sim.get('pods', 'default', 'web')!;
    expect(pod.status.phase).toBe('Pending');
    expect(pod.status.containerStatuses[0].state.waiting.reason).toBe('ContainerCreating');
    expect(pod.status.hostIP).toBe('172.18.0.3');
    await sim.run(30_000);
    pod = sim.get('pods', 'default', 'web')!;
    expect(pod.status.phase).toBe('Running');
    expect(pod.status.podIP).toMatch(/^10\.244\.1\.([2-9]|\d\d+)$/);
    expect(pod.status.podIPs).toEqual([{ ip: pod.status.podIP }]);
    expect(pod.status.conditions.map((c: any) => `${c.type}=${c.status}`)).toEqual([
      'PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True',
    ]);
    const cs = pod.status.containerStatuses[0];
    expect(cs).toMatchObject({ name: 'nginx', ready: true, started: true, restartCount: 0, image: 'docker.io/library/nginx:1.25' });
    expect(cs.containerID).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
    expect(cs.imageID).toMatch(/^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
    expect(cs.state.running.startedAt).toBeDefined();
    const events = podEvents(sim, 'web');
    expect(events).toHaveLength(4);
    expect(events[0]).toBe('Pulling: Pulling image "nginx:1.25"');
    expect(events[1]).toMatch(/^Pulled: Successfully pulled image "nginx:1\.25" in (\d+ms|\d+(\.\d+)?s) \((\d+ms|\d+(\.\d+)?s) including waiting\)\. Image size: 71000000 bytes\.$/);
    expect(events.slice(2)).toEqual(['Created: Created container nginx', 'Started: Started container nginx']);
    const ev = sim.list('events', 'default').find((e) => e.reason === 'Started')!;
    expect(ev.source).toEqual({ component: 'kubelet', host: W1 });
    expect(ev.involvedObject.fieldPath).toBe('spec.containers{nginx}');
  });

  it('caches the image: the next pod on the node finds it present, and gets the next IP', async () => {
    const sim = await kubeletSim();
    await sim.create('pods', 'default', boundPod('a', W1, [{ name: 'nginx', image: 'nginx:1.25' }]));
    await sim.run(30_000);
    await sim.create('pods', 'default', boundPod('b', W1, [{ name: 'nginx', image: 'nginx:1.25' }]));
    await sim.run(5_000);
    expect(podEvents(sim, 'b')).toEqual([
      'Pulled: Container image "nginx:1.25" already present on machine', 'Created: Created container nginx', 'Started: Started container nginx',
    ]);
    const ips = ['a', 'b'].map((n) => sim.get('pods', 'default', n)!.status.podIP);
    // host-local hands addresses out in order from the last one it reserved (other pods may come between)
    const last = (ip: string) => Number(ip.split('.')[3]);
    expect(ips[0]).toMatch(/^10\.244\.1\./);
    expect(ips[1]).toMatch(/^10\.244\.1\./);
    expect(last(ips[1])).toBeGreaterThan(last(ips[0]));
    const node = sim.get('nodes', undefined, W1)!;
    expect(node.status.images.some((i: any) => i.names.includes('docker.io/library/nginx:1.25') && i.names[0].startsWith('docker.io/library/nginx@sha256:'))).toBe(true);
  });

  it('pulls :latest every time (Always) and serializes pulls on a node, counting the wait', async () => {
    const sim = await kubeletSim();
    await sim.create('pods', 'default', boundPod('big', W1, [{ name: 'db', image: 'mysql:8.0' }]));
    // the big pull is under way before the small pod arrives, so the small one queues behind it
    await sim.run(1_500);
    await sim.create('pods', 'default', boundPod('small', W1, [{ name: 'r', image: 'redis:latest' }]));
    await sim.run(60_000);
    const pulled = podEvents(sim, 'small').find((e) => e.startsWith('Pulled'))!;
    const m = /in ([\d.]+)(ms|s) \(([\d.]+)(ms|s) including waiting\)/.exec(pulled)!;
    const ms = (v: string, u: string) => Number(v) * (u === 's' ? 1000 : 1);
    expect(ms(m[3], m[4])).toBeGreaterThan(ms(m[1], m[2]) + 1000);
    expect(sim.get('pods', 'default', 'small')!.spec.containers[0].imagePullPolicy).toBe('Always');
  });

  it('gives pods on different nodes addresses from their own ranges', async () => {
    const sim = await kubeletSim();
    for (const [i, n] of ['sim-worker', 'sim-worker2', 'sim-worker3'].entries()) {
      await sim.create('pods', 'default', boundPod(`p${i}`, n, [{ name: 'c', image: 'your-image:latest', ports: [{ containerPort: 8000 }] }]));
    }
    await sim.settle();
    const st = [0, 1, 2].map((i) => sim.get('pods', 'default', `p${i}`)!.status);
    expect(st.map((s) => s.phase)).toEqual(['Running', 'Running', 'Running']);
    st.forEach((s, i) => expect(s.podIP).toMatch(new RegExp(`^10\\.244\\.${i + 1}\\.\\d+$`)));
    const onWorker = sim.list('pods').filter((p) => p.spec.nodeName === 'sim-worker' && !p.spec.hostNetwork).map((p) => p.status.podIP);
    expect(new Set(onWorker).size).toBe(onWorker.length);
  });

  it('runs init containers to completion first', async () => {
    const sim = await kubeletSim();
    await sim.create('pods', 'default', boundPod('init', W1, [{ name: 'app', image: 'nginx:1.25' }], {
      initContainers: [{ name: 'setup', image: 'busybox:1.28', command: ['sh', '-c', 'echo ready; sleep 2'] }],
    }));
    await sim.run(1_200);
    let pod = sim.get('pods', 'default', 'init')!;
    expect(pod.status.initContainerStatuses[0].state.waiting?.reason ?? 'running').toBeDefined();
    expect(pod.status.containerStatuses[0].state.waiting.reason).toBe('PodInitializing');
    expect(pod.status.conditions.find((c: any) => c.type === 'Initialized')).toMatchObject({ status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [setup]' });
    await sim.run(60_000);
    pod = sim.get('pods', 'default', 'init')!;
    expect(pod.status.phase).toBe('Running');
    expect(pod.status.initContainerStatuses[0].state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    const events = podEvents(sim, 'init');
    expect(events.indexOf('Started: Started container setup')).toBeLessThan(events.indexOf('Pulling: Pulling image "nginx:1.25"'));
    const setup = sim.list('events', 'default').find((e) => e.message === 'Started container setup')!;
    expect(setup.involvedObject.fieldPath).toBe('spec.initContainers{setup}');
  });

  it('lets a container that ends on its own complete (restartPolicy Never: Succeeded, IP released)', async () => {
    const sim = await kubeletSim();
    await sim.create('pods', 'default', boundPod('once', W1, [{ name: 'hello', image: 'hello-world' }], { restartPolicy: 'Never' }));
    await sim.run(30_000);
    const pod = sim.get('pods', 'default', 'once')!;
    expect(pod.status.phase).toBe('Succeeded');
    expect(pod.status.containerStatuses[0].state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(pod.status.conditions.find((c: any) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
    const used = (sim.store.meta.components as any)[`kubelet/${W1}`].ipam.used;
    expect(Object.keys(used)).not.toContain(pod.status.podIP);
  });

  it('Never with a missing image waits with ErrImageNeverPull', async () => {
    const sim = await kubeletSim();
    await sim.create('pods', 'default', boundPod('never', W1, [{ name: 'c', image: 'nginx:1.27', imagePullPolicy: 'Never' }]));
    await sim.run(10_000);
    const pod = sim.get('pods', 'default', 'never')!;
    expect(pod.status.containerStatuses[0].state.waiting.reason).toBe('ErrImageNeverPull');
    // startContainer records the error as a Failed event too
    expect(podEvents(sim, 'never')).toEqual(['ErrImageNeverPull: Container image "nginx:1.27" is not present with pull policy of Never', 'Failed: Error: ErrImageNeverPull']);
  });
});

describe('kubelet: graceful termination', () => {
  const del = (sim: any, name: string) => sim.call({ verb: 'delete', resource: 'pods', namespace: 'default', name });

  it('nginx stops on SIGTERM: Terminating for well under a second, then gone', async () => {
    const sim = await kubeletSim();
    await sim.create('pods', 'default', boundPod('web', W1, [{ name: 'nginx', image: 'nginx:1.25' }]));
    await sim.run(30_000);
    await del(sim, 'web');
    expect(sim.get('pods', 'default', 'web')!.metadata!.deletionTimestamp).toBeDefined();
    await sim.run(0);
    expect(sim.get('pods', 'default', 'web')).toBeDefined();
    expect(podEvents(sim, 'web')).toContain('Killing: Stopping container nginx');
    await sim.run(1_000);
    expect(sim.get('pods', 'default', 'web')).toBeUndefined();
  });

  it('a process that ignores SIGTERM keeps the pod Terminating for the grace period, and its IP is then reused later', async () => {
    const sim = await kubeletSim();
    await sim.create('pods', 'default', boundPod('sleeper', W1, [{ name: 's', image: 'busybox:1.28', command: ['sleep', '3600'] }], { terminationGracePeriodSeconds: 5 }));
    await sim.run(30_000);
    expect(sim.get('pods', 'default', 'sleeper')!.status.phase).toBe('Running');
    await del(sim, 'sleeper');
    await sim.run(4_000);
    const pod = sim.get('pods', 'default', 'sleeper');
    expect(pod?.metadata?.deletionTimestamp).toBeDefined();
    await sim.run(2_000);
    expect(sim.get('pods', 'default', 'sleeper')).toBeUndefined();
  });
});
