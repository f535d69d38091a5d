// The PreBind extension point: plugins run in profile order, each once; one still waiting holds
// the later ones back; an error is wrapped as kube-scheduler's framework wraps it; each plugin's
// state is kept by name between runs of the binding cycle.
import { describe, expect, it } from 'vitest';
import { preBindPlugins, runPreBind } from '../../../src/scheduler/framework.js';
import { DEFAULT_PROFILE } from '../../../src/scheduler/profile.js';
import { podInfo } from '../../../src/scheduler/resources.js';
import type { Plugin, PreBindResult, Profile } from '../../../src/scheduler/types.js';
import { makePod } from './fixtures.js';

function plugin(name: string, calls: string[], result: (state: Record<string, any>) => PreBindResult): Plugin {
  return {
    name,
    filter: () => undefined,
    async preBind(bc) {
      calls.push(name);
      bc.state.runs = (bc.state.runs ?? 0) + 1;
      return result(bc.state);
    },
  };
}
const bc = { client: undefined as any, now: 5000, since: 1000 };

describe('PreBind', () => {
  it('the default profile has VolumeBinding as its one PreBind plugin', () => {
    expect(preBindPlugins(DEFAULT_PROFILE).map((p) => p.name)).toEqual(['VolumeBinding']);
  });

  it('runs the plugins in order; a waiting one holds the next back, and its state is kept', async () => {
    const calls: string[] = [];
    const a = plugin('A', calls, (st) => (st.runs < 2 ? { code: 'Wait', reason: 'not yet' } : undefined));
    const b = plugin('B', calls, () => undefined);
    // a plugin that is both a filter and a scorer runs once
    const profile: Profile = { schedulerName: 'x', filters: [a, b], scorers: [{ plugin: a, weight: 1 }] };
    const states: Record<string, Record<string, any>> = {};
    const pi = podInfo(makePod('p'));
    expect(await runPreBind(profile, pi, 'n1', bc, states)).toEqual({ code: 'Wait', reason: 'not yet' });
    expect(calls).toEqual(['A']);
    expect(await runPreBind(profile, pi, 'n1', bc, states)).toBeUndefined();
    expect(calls).toEqual(['A', 'A', 'B']);
    expect(states).toEqual({ A: { runs: 2 }, B: { runs: 1 } });
  });

  it('wraps an error with the plugin name', async () => {
    const calls: string[] = [];
    const profile: Profile = { schedulerName: 'x', filters: [plugin('VolumeBinding', calls, () => ({ code: 'Error', message: 'binding volumes: context deadline exceeded' }))], scorers: [] };
    expect(await runPreBind(profile, podInfo(makePod('p')), 'n1', bc, {})).toEqual({
      code: 'Error', message: 'running PreBind plugin "VolumeBinding": binding volumes: context deadline exceeded',
    });
  });
});
