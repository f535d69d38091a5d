// A container whose environment names a missing Secret or ConfigMap: CreateContainerConfigError,
// retried at the pod worker's re-syncs until the object (and key) is there; missing pull secrets warn.
import { describe, expect, it } from 'vitest';
import { newSim, type Sim } from '../controlplane/harness.js';

const state = (sim: Sim) => sim.get('pods', 'default', 'app')?.status?.containerStatuses?.[0]?.state;
const events = (sim: Sim, reason: string) => sim.list('events', 'default').filter((e) => e.involvedObject?.name === 'app' && e.reason === reason);

describe('container config errors', () => {
  it('waits with CreateContainerConfigError until the Secret and its key exist, then starts', async () => {
    const sim = await newSim();
    await sim.create('pods', 'default', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'app' },
      spec: {
        imagePullSecrets: [{ name: 'regcred' }],
        containers: [{ name: 'c', image: 'nginx:1.25', env: [{ name: 'PW', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }] }],
      },
    } as any);
    await sim.run(20_000);
    expect(state(sim)).toEqual({ waiting: { reason: 'CreateContainerConfigError', message: 'secret "db" not found' } });
    const failed = events(sim, 'Failed');
    expect(failed.map((e) => e.message)).toEqual(['Error: secret "db" not found']);
    expect(failed[0].count).toBeGreaterThanOrEqual(2);
    expect(events(sim, 'FailedToRetrieveImagePullSecret')[0]?.message).toBe('Unable to retrieve some image pull secrets (regcred); attempting to pull the image may not succeed.');

    await sim.create('secrets', 'default', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, data: { user: 'eA==' } } as any);
    await sim.run(16_000);
    expect(state(sim)?.waiting?.message).toBe("couldn't find key password in Secret default/db");

    const res = await sim.call({ verb: 'patch', resource: 'secrets', namespace: 'default', name: 'db', patchType: 'merge', body: { data: { password: 'eA==' } } } as any);
    expect(res.code).toBe(200);
    await sim.run(16_000);
    expect(state(sim)?.running).toBeDefined();
  });

  it('an optional reference to a missing ConfigMap does not hold the container back', async () => {
    const sim = await newSim();
    await sim.create('pods', 'default', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'app' },
      spec: { containers: [{ name: 'c', image: 'nginx:1.25', envFrom: [{ configMapRef: { name: 'cfg', optional: true } }] }] },
    } as any);
    await sim.run(10_000);
    expect(state(sim)?.running).toBeDefined();
  });

  it('a ConfigMap volume whose ConfigMap is missing keeps the pod ContainerCreating with FailedMount, until it appears', async () => {
    const sim = await newSim();
    await sim.create('pods', 'default', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'app' },
      spec: { containers: [{ name: 'c', image: 'nginx:1.25', volumeMounts: [{ name: 'cfg', mountPath: '/etc/cfg' }] }], volumes: [{ name: 'cfg', configMap: { name: 'app-config' } }] },
    } as any);
    await sim.run(130_000);
    expect(state(sim)).toEqual({ waiting: { reason: 'ContainerCreating' } });
    const mounts = events(sim, 'FailedMount').map((e) => [e.message, e.count]);
    expect(mounts).toContainEqual(['Unable to attach or mount volumes: unmounted volumes=[cfg], unattached volumes=[], failed to process volumes=[]: timed out waiting for the condition', 1]);
    const setup = mounts.find(([m]) => m === 'MountVolume.SetUp failed for volume "cfg" : configmap "app-config" not found');
    // 500 ms doubling: 0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5, 63.5, 127.5 s
    expect(setup?.[1]).toBe(9);
    await sim.create('configmaps', 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-config' }, data: { a: 'b' } } as any);
    await sim.run(125_000);
    expect(state(sim)?.running).toBeDefined();
  });
});

