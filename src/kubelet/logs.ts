// What a container has written to its log, derived rather than stored: what its image prints when
// it starts (fixtures/images.yaml), or what its command writes (the process model, stdout and
// stderr both, as the container runtime's log holds them), timed from the instance's startedAt in
// the pod status (state for the current instance, lastState for `logs -p`). The same pod at the same virtual time always has the same log.
import type { KObject } from '../apiserver/types.js';
import { lookupImage } from './catalogue.js';
import { argvOf, timeline } from './process.js';

export interface LogLine {
  /** virtual epoch ms the line was written */
  time: number;
  text: string;
}

/** a loop's lines are produced up to this many, as kubelet's log rotation would also bound them */
const MAX_LINES = 5000;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

function fill(template: string, t: number, vars: Record<string, string>): string {
  const d = new Date(t);
  const date = `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const redis = `${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
  const httpd = `${d.toUTCString().slice(0, 3)} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}000 ${d.getUTCFullYear()}`;
  return template
    .replaceAll('{nginxdate}', date)
    .replaceAll('{redisdate}', redis)
    .replaceAll('{httpddate}', httpd)
    .replaceAll('{iso}', d.toISOString())
    .replace(/\{(\w+)\}/g, (m, k) => vars[k] ?? m);
}

/** busybox's `date`: Thu Jan  1 00:00:00 UTC 2026 */
function busyboxDate(t: number): string {
  const d = new Date(t);
  const day = d.toUTCString().slice(0, 3);
  return `${day} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

function instance(pod: KObject, container: string, previous: boolean): { spec: any; startedAt?: number; finishedAt?: number } | undefined {
  const spec = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].find((c: any) => c.name === container);
  if (!spec) return undefined;
  const st = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].find((c: any) => c.name === container);
  // a container waiting to start again (a back-off) shows its latest instance, which lastState holds
  const state = previous || (st?.state?.waiting && st?.lastState?.terminated) ? st?.lastState : st?.state;
  const s = state?.running ?? state?.terminated;
  if (!s?.startedAt) return undefined;
  return { spec, startedAt: Date.parse(s.startedAt), finishedAt: s.finishedAt ? Date.parse(s.finishedAt) : undefined };
}

export function containerLogs(pod: KObject, container: string, now: number, opts: { previous?: boolean } = {}): LogLine[] | undefined {
  const inst = instance(pod, container, !!opts.previous);
  if (!inst) return undefined;
  const { spec, startedAt = now } = inst;
  // status times have second precision: an ended instance wrote everything up to its end's second
  const end = Math.min(now, inst.finishedAt !== undefined ? inst.finishedAt + 999 : Infinity);
  const info = lookupImage(spec.image);
  const vars: Record<string, string> = {
    tag: info.tag, hostname: pod.metadata?.name ?? '', podip: pod.status?.podIP ?? '', hostip: pod.status?.hostIP ?? '',
  };
  const out: LogLine[] = [];
  const argv = argvOf(spec);
  const ownProgram = argv && info.logs.length > 0 && info.repository.endsWith(`/${argv[0].split('/').pop()}`);
  if (argv && !ownProgram) {
    // the command's own output, from the process model, up to now (or the instance's end)
    const run = timeline(spec, Math.max(0, end - startedAt), pod.metadata?.name);
    for (const e of run.events) {
      if (e.kind !== 'log' || out.length >= MAX_LINES) continue;
      const t = startedAt + e.at;
      out.push({ time: t, text: fill((e.text ?? '').replaceAll('{date}', busyboxDate(t)), t, vars) });
    }
    return out;
  }
  // An image's own start-up lines: it runs its own program (a command naming that program too).
  info.logs.forEach((line, i) => {
    const t = startedAt + 10 + i * 3;
    if (t <= end) out.push({ time: t, text: fill(line, t, vars) });
  });
  return out;
}
