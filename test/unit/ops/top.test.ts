// kubectl top's tables and the usage behind them.
import { describe, expect, it, vi } from 'vitest';
import { printNodeMetrics, printPodMetrics, goDuration } from '../../../src/printers/top.js';

vi.mock('../../../src/kubelet/usage.js', () => ({
  podUsage: (pod: any) => (pod.status?.phase === 'Running' ? [{ name: 'c', cpuMilli: 100, memoryBytes: 64 * 1024 * 1024 }] : []),
}));

const Mi = 1024 * 1024;

describe('printNodeMetrics', () => {
  it('prints usage and percentages of allocatable, every cell padded as tabwriter pads tab-ended cells', () => {
    const out = printNodeMetrics([{ name: 'node-2', cpuMilli: 250, memoryBytes: 1024 * Mi }], new Map([['node-2', { cpuMilli: 4000, memoryBytes: 16216080 * 1024 }]]), { noHeaders: false, sortBy: '' });
    expect(out).toBe('NAME     CPU(cores)   CPU(%)   MEMORY(bytes)   MEMORY(%)   \nnode-2   250m         6%       1024Mi          6%          \n');
  });

  it('lists nodes without metrics last, with <unknown>', () => {
    const out = printNodeMetrics([{ name: 'b', cpuMilli: 1, memoryBytes: Mi }], new Map([['a', { cpuMilli: 1000, memoryBytes: Mi }], ['b', { cpuMilli: 1000, memoryBytes: Mi }]]), { noHeaders: true, sortBy: '' });
    expect(out.split('\n')[1].split(/\s+/).slice(0, 5)).toEqual(['a', '<unknown>', '<unknown>', '<unknown>', '<unknown>']);
  });

  it('sorts by cpu or memory, highest first', () => {
    const rows = [{ name: 'a', cpuMilli: 1, memoryBytes: 3 * Mi }, { name: 'b', cpuMilli: 2, memoryBytes: 1 * Mi }];
    const avail = new Map(rows.map((r) => [r.name, { cpuMilli: 1000, memoryBytes: 100 * Mi }]));
    const names = (s: string) => s.trim().split('\n').map((l) => l.split(' ')[0]);
    expect(names(printNodeMetrics(rows, new Map(avail), { noHeaders: true, sortBy: 'cpu' }))).toEqual(['b', 'a']);
    expect(names(printNodeMetrics(rows, new Map(avail), { noHeaders: true, sortBy: 'memory' }))).toEqual(['a', 'b']);
  });
});

describe('printPodMetrics', () => {
  const pods = [
    { namespace: 'default', name: 'web', containers: [{ name: 'nginx', cpuMilli: 3, memoryBytes: 10 * Mi }, { name: 'side', cpuMilli: 1, memoryBytes: 2 * Mi }] },
    { namespace: 'apps', name: 'api', containers: [{ name: 'api', cpuMilli: 7, memoryBytes: 30 * Mi }] },
  ];
  it('sums containers per pod, sorted by name', () => {
    expect(printPodMetrics(pods, { containers: false, withNamespace: false, noHeaders: false, sortBy: '', sum: false })).toBe(
      'NAME   CPU(cores)   MEMORY(bytes)   \napi    7m           30Mi            \nweb    4m           12Mi            \n',
    );
  });

  it('prints a row per container with --containers and namespaces with -A', () => {
    const lines = printPodMetrics(pods, { containers: true, withNamespace: true, noHeaders: false, sortBy: '', sum: false }).trim().split('\n').map((l) => l.trim().split(/\s+/));
    expect(lines).toEqual([
      ['NAMESPACE', 'POD', 'NAME', 'CPU(cores)', 'MEMORY(bytes)'],
      ['apps', 'api', 'api', '7m', '30Mi'],
      ['default', 'web', 'nginx', '3m', '10Mi'],
      ['default', 'web', 'side', '1m', '2Mi'],
    ]);
  });

  it('adds the --sum lines under the usage columns', () => {
    const out = printPodMetrics(pods, { containers: false, withNamespace: false, noHeaders: false, sortBy: '', sum: true }).split('\n');
    expect(out[3]).toBe('       ________     ________        ');
    expect(out[4]).toBe('       11m          42Mi            ');
  });
});

describe('usage behind top', () => {
  it('a node uses the sum of its pods plus its own overhead; only Ready nodes have metrics', async () => {
    const { nodeMetrics, NODE_SYSTEM_OVERHEAD } = await import('../../../src/cli/commands/top.js');
    const ready = { type: 'Ready', status: 'True' };
    const nodes = [{ metadata: { name: 'n1' }, status: { conditions: [ready] } }, { metadata: { name: 'n2' }, status: {} }];
    const pods = [
      { metadata: { name: 'a' }, spec: { nodeName: 'n1' }, status: { phase: 'Running' } },
      { metadata: { name: 'b' }, spec: { nodeName: 'n1' }, status: { phase: 'Running' } },
      { metadata: { name: 'c' }, spec: { nodeName: 'n1' }, status: { phase: 'Pending' } },
    ];
    expect(nodeMetrics(nodes, pods, 0)).toEqual([{ name: 'n1', cpuMilli: NODE_SYSTEM_OVERHEAD.cpuMilli + 200, memoryBytes: NODE_SYSTEM_OVERHEAD.memoryBytes + 128 * Mi }]);
  });
});

describe('goDuration', () => {
  it('writes durations as Go prints them', () => {
    expect(goDuration(125_250)).toBe('2m5.25s');
    expect(goDuration(3_600_000)).toBe('1h0m0s');
    expect(goDuration(350)).toBe('350ms');
    expect(goDuration(4000)).toBe('4s');
  });
});
