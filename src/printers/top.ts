// kubectl top's tables (metricsutil.TopCmdPrinter). Every cell, the last one included, is ended by
// a tab, so tabwriter pads every column: the lines carry trailing spaces, as kubectl's do.
import { tabwrite } from './table/tabwriter.js';

export interface Usage {
  /** millicores */
  cpuMilli: number;
  /** bytes */
  memoryBytes: number;
}

export interface NodeMetricsRow extends Usage {
  name: string;
}

export interface PodMetricsRow {
  namespace: string;
  name: string;
  containers: ({ name: string } & Usage)[];
}

export type SortBy = '' | 'cpu' | 'memory';

const cpu = (m: number) => `${Math.trunc(m)}m`;
const mem = (b: number) => `${Math.trunc(b / (1024 * 1024))}Mi`;
/** The percentage kubectl prints: usage over available, both in milli-units, truncated. */
const pct = (used: number, avail: number) => `${avail === 0 ? 0 : Math.trunc((used / avail) * 100)}%`;

/** Rows of cells that all end with a tab: an empty last cell makes tabwrite pad them all. */
const terminated = (rows: string[][]) => tabwrite(rows.map((r) => [...r, '']));

function stableSort<T>(items: T[], less: (a: T, b: T) => number): T[] {
  return items.map((x, i) => ({ x, i })).sort((a, b) => less(a.x, b.x) || a.i - b.i).map((y) => y.x);
}

function byUsage<T>(sortBy: SortBy, usage: (t: T) => Usage, name: (t: T) => string): (a: T, b: T) => number {
  if (sortBy === 'cpu') return (a, b) => usage(b).cpuMilli - usage(a).cpuMilli;
  if (sortBy === 'memory') return (a, b) => usage(b).memoryBytes - usage(a).memoryBytes;
  return (a, b) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0);
}

/**
 * PrintNodeMetrics: nodes with metrics (sorted), then the nodes listed without metrics, with
 * <unknown> in each column. `available` maps node name to its allocatable (or capacity).
 */
export function printNodeMetrics(metrics: NodeMetricsRow[], available: Map<string, { cpuMilli: number; memoryBytes: number }>, opts: { noHeaders: boolean; sortBy: SortBy }): string {
  if (metrics.length === 0) return '';
  const rows: string[][] = [];
  if (!opts.noHeaders) rows.push(['NAME', 'CPU(cores)', 'CPU(%)', 'MEMORY(bytes)', 'MEMORY(%)']);
  const left = new Map(available);
  for (const m of stableSort(metrics, byUsage(opts.sortBy, (x) => x, (x) => x.name))) {
    const a = left.get(m.name);
    const row = [m.name, cpu(m.cpuMilli)];
    if (a) row.push(pct(m.cpuMilli, a.cpuMilli));
    row.push(mem(m.memoryBytes));
    if (a) row.push(pct(m.memoryBytes * 1000, a.memoryBytes * 1000));
    rows.push(row);
    left.delete(m.name);
  }
  for (const name of [...left.keys()].sort()) rows.push([name, '<unknown>', '<unknown>', '<unknown>', '<unknown>']);
  return terminated(rows);
}

const podTotal = (p: PodMetricsRow): Usage => ({
  cpuMilli: p.containers.reduce((s, c) => s + c.cpuMilli, 0),
  memoryBytes: p.containers.reduce((s, c) => s + c.memoryBytes, 0),
});

/** PrintPodMetrics: one row per pod (or per container with --containers), and --sum's total. */
export function printPodMetrics(metrics: PodMetricsRow[], opts: { containers: boolean; withNamespace: boolean; noHeaders: boolean; sortBy: SortBy; sum: boolean }): string {
  if (metrics.length === 0) return '';
  const rows: string[][] = [];
  let columns = 3;
  if (!opts.noHeaders) {
    const h: string[] = [];
    if (opts.withNamespace) {
      h.push('NAMESPACE');
      columns++;
    }
    if (opts.containers) {
      h.push('POD');
      columns++;
    }
    rows.push([...h, 'NAME', 'CPU(cores)', 'MEMORY(bytes)']);
  }
  const nameOrder = (a: PodMetricsRow, b: PodMetricsRow) => {
    if (opts.withNamespace && a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  };
  const order = opts.sortBy ? byUsage(opts.sortBy, podTotal, (p) => p.name) : nameOrder;
  for (const p of stableSort(metrics, order)) {
    const ns = opts.withNamespace ? [p.namespace] : [];
    if (opts.containers) {
      for (const c of stableSort(p.containers, byUsage(opts.sortBy, (x) => x, (x) => x.name))) rows.push([...ns, p.name, c.name, cpu(c.cpuMilli), mem(c.memoryBytes)]);
    } else {
      const t = podTotal(p);
      rows.push([...ns, p.name, cpu(t.cpuMilli), mem(t.memoryBytes)]);
    }
  }
  if (opts.sum) {
    const total = metrics.map(podTotal).reduce((a, b) => ({ cpuMilli: a.cpuMilli + b.cpuMilli, memoryBytes: a.memoryBytes + b.memoryBytes }), { cpuMilli: 0, memoryBytes: 0 });
    rows.push([...Array(Math.max(0, columns - 2)).fill(''), '________', '________']);
    rows.push([...Array(Math.max(0, columns - 3)).fill(''), '', cpu(total.cpuMilli), mem(total.memoryBytes)]);
  }
  return terminated(rows);
}

export { formatGoDuration as goDuration } from '../cluster/go-duration.js';
