// Completion indexes of Indexed Jobs (pkg/controller/job/indexed_job_utils.go): the pod annotation
// that carries a pod's index, and the compressed interval form of status.completedIndexes
// ("0-2,4,6-7").
import type { KObject } from '../../apiserver/types.js';

export const COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';
export const COMPLETION_INDEX_ENV = 'JOB_COMPLETION_INDEX';

/** The pod's completion index, or -1 when it has none or it is not a plain non-negative number. */
export function completionIndex(p: KObject): number {
  const v = p.metadata?.annotations?.[COMPLETION_INDEX];
  if (v === undefined || !/^[0-9]+$/.test(v)) return -1;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : -1;
}

/** A set of indexes kept as sorted, disjoint, non-adjacent closed intervals. */
export type Intervals = [first: number, last: number][];

/** parseIndexesFromString: indexes at or beyond `completions` are dropped, as are bad parts. */
export function parseIntervals(s: string | undefined, completions: number): Intervals {
  const set = new Set<number>();
  for (const part of (s ?? '').split(',')) {
    if (!part) continue;
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) continue;
    const a = Number(m[1]);
    const b = Math.min(m[2] === undefined ? a : Number(m[2]), completions - 1);
    for (let i = a; i <= b; i++) set.add(i);
  }
  return fromIndexes([...set]);
}

export function fromIndexes(indexes: number[]): Intervals {
  const sorted = [...new Set(indexes)].sort((x, y) => x - y);
  const out: Intervals = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i === last[1] + 1) last[1] = i;
    else out.push([i, i]);
  }
  return out;
}

export function withIndexes(iv: Intervals, more: number[]): Intervals {
  if (!more.length) return iv;
  const all: number[] = [];
  for (const [a, b] of iv) for (let i = a; i <= b; i++) all.push(i);
  return fromIndexes([...all, ...more]);
}

export function hasIndex(iv: Intervals, i: number): boolean {
  return iv.some(([a, b]) => i >= a && i <= b);
}

export function total(iv: Intervals): number {
  return iv.reduce((n, [a, b]) => n + b - a + 1, 0);
}

/** "0-2,4": one number for a single index, first-last for a run of two or more. */
export function formatIntervals(iv: Intervals): string {
  return iv.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',');
}

/**
 * firstPendingIndexes: the lowest `count` indexes below `completions` that are neither succeeded
 * nor held by an active pod.
 */
export function firstPendingIndexes(succeeded: Intervals, active: KObject[], count: number, completions: number): number[] {
  const taken = new Set<number>();
  for (const p of active) {
    const ix = completionIndex(p);
    if (ix >= 0) taken.add(ix);
  }
  const out: number[] = [];
  for (let i = 0; i < completions && out.length < count; i++) {
    if (!taken.has(i) && !hasIndex(succeeded, i)) out.push(i);
  }
  return out;
}

/** podGenerateNameWithIndex: `<job>-<index>-`, the job name cut so the name fits 58 characters. */
export function generateNameWithIndex(job: string, index: number): string {
  const suffix = `-${index}-`;
  const prefix = job + suffix;
  return prefix.length > 58 ? job.slice(0, 58 - suffix.length) + suffix : prefix;
}
