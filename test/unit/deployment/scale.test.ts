import { describe, expect, it } from 'vitest';
import { deployment, newDSim } from './helpers.js';

describe('at scale', () => {
  it('1,000 replicas settle to exactly 1,000 pods, and a settled pass writes nothing', async () => {
    const sim = await newDSim();
    await sim.create('deployments', 'default', deployment('big', 1000));
    const t0 = Date.now();
    await sim.step();
    const took = Date.now() - t0;
    expect(sim.pods()).toHaveLength(1000);
    expect(sim.deploy('big').status).toMatchObject({ replicas: 1000, updatedReplicas: 1000 });
    const rv = sim.store.revision;
    await sim.step();
    expect(sim.store.revision).toBe(rv);
    expect(took).toBeLessThan(30_000);
  }, 60_000);
});
