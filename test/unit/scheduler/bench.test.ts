// The benchmark entry point works and schedules every pod (a small run: the machine is shared).
import { describe, expect, it } from 'vitest';
import { schedulingBench } from '../../../src/scheduler/bench.js';

describe('schedulingBench', () => {
  it('schedules every pod and reports a rate', async () => {
    const r = await schedulingBench(300, 20);
    expect(r.scheduled).toBe(300);
    expect(r.podsPerSecond).toBeGreaterThan(0);
    console.log(`scheduler: ${r.podsPerSecond.toFixed(0)} pods/s (300 pods, 20 nodes)`);
  }, 60_000);
});
