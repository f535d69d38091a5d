// Formatting helpers shared by the describers, each matching a kubectl/apimachinery function.
import type { Writer } from './writer.js';
import { LEVEL_0 } from './writer.js';
import { humanDuration } from '../age.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad2 = (n: number) => String(n).padStart(2, '0');

/** Go's time.RFC1123Z in the local time zone, as kubectl prints timestamps: "Mon, 02 Jan 2006 15:04:05 -0700". */
export function rfc1123z(ts: string | number | Date | undefined | null): string {
  // A zero metav1.Time prints as Go's zero time.
  if (ts === undefined || ts === null || ts === '') return 'Mon, 01 Jan 0001 00:00:00 +0000';
  const d = ts instanceof Date ? ts : new Date(ts);
  if (isNaN(d.getTime())) return String(ts);
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const a = Math.abs(off);
  return `${DAYS[d.getDay()]}, ${pad2(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ` +
    `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())} ${sign}${pad2(Math.floor(a / 60))}${pad2(a % 60)}`;
}

/** Go's metav1.Time printed with %s (time.Time.String()): "2006-01-02 15:04:05 -0700 MST". */
export function goTimeString(ts: string | undefined): string {
  if (!ts) return '0001-01-01 00:00:00 +0000 UTC';
  const d = new Date(ts);
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const a = Math.abs(off);
  const zone = off === 0 ? 'UTC' : Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(d).find((p) => p.type === 'timeZoneName')?.value ?? '';
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())} ${sign}${pad2(Math.floor(a / 60))}${pad2(a % 60)} ${zone}`;
}

/** apimachinery duration.HumanDuration: the one the get tables use too. */
export { humanDuration };

/** translateTimestampSince: "<unknown>" for a missing time. */
export function since(ts: string | undefined | null, now: number): string {
  if (!ts) return '<unknown>';
  const t = new Date(ts).getTime();
  if (isNaN(t)) return '<unknown>';
  return humanDuration(now - t);
}

export { formatLabels, selectorString, formatLabelSelector } from '../../apiserver/selectors.js';

/** printLabelsMultilineWithIndent: the first label beside the title, the rest under it. */
export function printLabelsMultiline(w: Writer, title: string, labels: Record<string, string> | undefined | null, initialIndent = '', innerIndent = '\t'): void {
  w.write(LEVEL_0, `${initialIndent}${title}:${innerIndent}`);
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) {
    w.writeLine('<none>');
    return;
  }
  keys.forEach((k, i) => {
    if (i !== 0) {
      w.write(LEVEL_0, initialIndent);
      w.write(LEVEL_0, innerIndent);
    }
    w.write(LEVEL_0, `${k}=${labels![k]}\n`);
  });
}

const MAX_ANNOTATION_LEN = 140;
const SKIP_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration']);

function shorten(s: string, max: number): string {
  return s.length > max ? s.slice(0, max) + '...' : s;
}

/** printAnnotationsMultiline: "key: value", long or multi-line values on their own lines. */
export function printAnnotationsMultiline(w: Writer, title: string, annotations: Record<string, string> | undefined | null): void {
  w.write(LEVEL_0, `${title}:\t`);
  const keys = Object.keys(annotations ?? {}).filter((k) => !SKIP_ANNOTATIONS.has(k)).sort();
  if (keys.length === 0) {
    w.writeLine('<none>');
    return;
  }
  const indent = '\t';
  keys.forEach((key, i) => {
    if (i !== 0) w.write(LEVEL_0, indent);
    const value = String(annotations![key]).replace(/\n$/, '');
    if (value.length + key.length + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      w.write(LEVEL_0, `${key}:\n`);
      for (const s of value.split('\n')) w.write(LEVEL_0, `${indent}  ${shorten(s, MAX_ANNOTATION_LEN - 2)}\n`);
    } else {
      w.write(LEVEL_0, `${key}: ${value}\n`);
    }
  });
}

/** printController: "Kind/name" of the controller owner reference, or "". */
export function controllerOf(obj: any): string {
  const ref = (obj?.metadata?.ownerReferences ?? []).find((r: any) => r.controller);
  return ref ? `${ref.kind}/${ref.name}` : '';
}

export function controllerUid(obj: any): string | undefined {
  return (obj?.metadata?.ownerReferences ?? []).find((r: any) => r.controller)?.uid;
}

/** Go's %v of a []string: "[a b c]". */
export function goList(a: unknown[] | undefined | null): string {
  return `[${(a ?? []).join(' ')}]`;
}

/** intstr.IntOrString.String(). */
export function intOrString(v: unknown): string {
  return v === undefined || v === null ? '' : String(v);
}

export function boolText(v: boolean | undefined): string {
  return v ? 'True' : 'False';
}

export function boolPtrText(v: boolean | undefined | null): string {
  return v === undefined || v === null ? '<unset>' : boolText(v);
}

export function stringOrNone(s: string | undefined | null): string {
  return s ? s : '<none>';
}

/** Go %v of a bool. */
export function goBool(v: unknown): string {
  return v ? 'true' : 'false';
}

/** storageutil.GetAccessModesAsString: RWO,ROX,RWX,RWOP in that fixed order. */
export function accessModesString(modes: string[] | undefined): string {
  const m = new Set(modes ?? []);
  const out: string[] = [];
  if (m.has('ReadWriteOnce')) out.push('RWO');
  if (m.has('ReadOnlyMany')) out.push('ROX');
  if (m.has('ReadWriteMany')) out.push('RWX');
  if (m.has('ReadWriteOncePod')) out.push('RWOP');
  return out.join(',');
}
