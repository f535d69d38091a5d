// What `rollout pause|resume|restart` change (polymorphichelpers objectpauser/objectresumer/
// objectrestarter): the new object, or the words kubectl puts after the object's name on failure.
import type { KObject } from '../../apiserver/types.js';

export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

export function pause(obj: KObject): KObject | string {
  if (obj.kind !== 'Deployment') return 'pausing is not supported';
  if (obj.spec?.paused) return 'is already paused';
  const next = structuredClone(obj);
  next.spec.paused = true;
  return next;
}

export function resume(obj: KObject): KObject | string {
  if (obj.kind !== 'Deployment') return 'resuming is not supported';
  if (!obj.spec?.paused) return 'is not paused';
  const next = structuredClone(obj);
  delete next.spec.paused;
  return next;
}

export function restart(obj: KObject, stamp: string): KObject | string {
  if (!['Deployment', 'DaemonSet', 'StatefulSet'].includes(String(obj.kind))) return 'restarting is not supported';
  if (obj.kind === 'Deployment' && obj.spec?.paused) return "can't restart paused deployment (run rollout resume first)";
  const next = structuredClone(obj);
  next.spec ??= {};
  next.spec.template ??= {};
  next.spec.template.metadata ??= {};
  next.spec.template.metadata.annotations = { ...(next.spec.template.metadata.annotations ?? {}), [RESTARTED_AT]: stamp };
  return next;
}

/** Go's time.Format(time.RFC3339) in the local time zone: 2024-05-01T10:00:00+02:00, or ...Z in UTC. */
export function rfc3339Local(ms: number): string {
  const d = new Date(ms);
  const p2 = (n: number) => String(n).padStart(2, '0');
  const off = -d.getTimezoneOffset();
  const zone = off === 0 ? 'Z' : `${off > 0 ? '+' : '-'}${p2(Math.floor(Math.abs(off) / 60))}:${p2(Math.abs(off) % 60)}`;
  return `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())}T${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}${zone}`;
}
