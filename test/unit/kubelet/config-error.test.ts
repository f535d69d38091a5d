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
});
