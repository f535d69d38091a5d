// Formatting helpers shared by the per-kind printers, mirroring the apimachinery/printers helpers
// kubectl's server-side tables rely on.
import { translateTimestampSince } from '../age.js';

export const age = (obj: any, now: number): string => translateTimestampSince(obj?.metadata?.creationTimestamp, now);

/** metav1.Time formatted as RFC 3339 in UTC, as the CREATED AT columns show it. */
export function createdAt(obj: any): string {
  const ts = obj?.metadata?.creationTimestamp;
  if (!ts) return '0001-01-01T00:00:00Z';
  const t = Date.parse(ts);
  if (Number.isNaN(t)) return String(ts);
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export { formatLabels, formatLabelSelector } from '../../apiserver/selectors.js';

/** layoutContainerCells: the CONTAINERS and IMAGES cells of workload tables. */
export function containerCells(containers: any[] | undefined): [string, string] {
  const cs = containers ?? [];
  return [cs.map((c) => c.name ?? '').join(','), cs.map((c) => c.image ?? '').join(',')];
}

export const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

/** intstr.IntOrString.String() */
export const intOrString = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

const ACCESS_MODES: [string, string][] = [
  ['ReadWriteOnce', 'RWO'],
  ['ReadOnlyMany', 'ROX'],
  ['ReadWriteMany', 'RWX'],
  ['ReadWriteOncePod', 'RWOP'],
];

/** helper.GetAccessModesAsString: fixed order, de-duplicated. */
export function accessModes(modes: string[] | undefined): string {
  const m = modes ?? [];
  return ACCESS_MODES.filter(([long]) => m.includes(long))
    .map(([, short]) => short)
    .join(',');
}

/** loadBalancerStatusStringer with wide=true (the apiserver always builds tables wide). */
export function loadBalancerIngress(lb: any): string {
  // a sets.String underneath: sorted and de-duplicated
  const set = new Set<string>();
  for (const i of lb?.ingress ?? []) if (i.ip || i.hostname) set.add(i.ip || i.hostname);
  return [...set].sort().join(',');
}

export function controllerOf(obj: any): any | undefined {
  return (obj?.metadata?.ownerReferences ?? []).find((r: any) => r.controller === true);
}
