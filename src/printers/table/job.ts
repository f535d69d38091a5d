import type { TableDef } from './types.js';
import { age, containerCells, formatLabelSelector, num } from './helpers.js';
import { humanDuration, parseTimestamp } from '../age.js';

const hasCond = (o: any, type: string): boolean => (o.status?.conditions ?? []).some((c: any) => c.type === type && c.status === 'True');

export function jobStatus(o: any): string {
  if (hasCond(o, 'Complete')) return 'Complete';
  if (hasCond(o, 'Failed')) return 'Failed';
  if (o.metadata?.deletionTimestamp) return 'Terminating';
  if (hasCond(o, 'Suspended')) return 'Suspended';
  if (hasCond(o, 'FailureTarget')) return 'FailureTarget';
  if (hasCond(o, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

export function jobCompletions(o: any): string {
  const succeeded = num(o.status?.succeeded);
  if (o.spec?.completions != null) return `${succeeded}/${o.spec.completions}`;
  const parallelism = num(o.spec?.parallelism);
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

export const job: TableDef = {
  columns: [
    { name: 'Name' },
    { name: 'Status' },
    { name: 'Completions' },
    { name: 'Duration' },
    { name: 'Age' },
    { name: 'Containers', priority: 1 },
    { name: 'Images', priority: 1 },
    { name: 'Selector', priority: 1 },
  ],
  row(o, now) {
    const start = parseTimestamp(o.status?.startTime);
    const end = parseTimestamp(o.status?.completionTime);
    const duration = start === undefined ? '' : humanDuration((end ?? now) - start);
    const [names, images] = containerCells(o.spec?.template?.spec?.containers);
    return [o.metadata?.name, jobStatus(o), jobCompletions(o), duration, age(o, now), names, images, formatLabelSelector(o.spec?.selector)];
  },
};
