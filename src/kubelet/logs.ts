// What a container has written to its log, derived rather than stored: what its image prints when
// it starts (fixtures/images.yaml) and what its command echoes, timed from the container's
// startedAt in the pod status. The same pod at the same virtual time always has the same log.
import type { KObject } from '../apiserver/types.js';
import { lookupImage } from './catalogue.js';

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

/** The echo/printf texts of a shell command, and the loop period when it repeats them. */
function commandOutput(argv: string[]): { lines: string[]; every?: number } | undefined {
  const text = argv.join(' ');
  const lines: string[] = [];
  for (const m of text.matchAll(/\b(?:echo|printf)\s+(?:-[ne]+\s+)?("([^"]*)"|'([^']*)'|([^;&|]+))/g)) {
    const raw = (m[2] ?? m[3] ?? m[4] ?? '').trim().replace(/\\n$/, '');
    lines.push(raw.replace(/\$\(date\)/g, '{date}').replace(/\$\{?HOSTNAME\}?/g, '{hostname}'));
  }
  if (!lines.length) return undefined;
  const loop = /\bwhile\b|\bfor\b.*\bdo\b|\buntil\b/.test(text);
  const sleep = /\bsleep\s+(\d+(?:\.\d+)?)/.exec(text);
  return { lines, every: loop ? Math.max(0.1, sleep ? Number(sleep[1]) : 1) * 1000 : undefined };
}

function instance(pod: KObject, container: string, previous: boolean): { spec: any; startedAt?: number; finishedAt?: number } | undefined {
  const spec = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].find((c: any) => c.name === container);
  if (!spec) return undefined;
  const st = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].find((c: any) => c.name === container);
  const state = previous ? st?.lastState : st?.state;
  const s = state?.running ?? state?.terminated;
  if (!s?.startedAt) return undefined;
  return { spec, startedAt: Date.parse(s.startedAt), finishedAt: s.finishedAt ? Date.parse(s.finishedAt) : undefined };
}

export function containerLogs(pod: KObject, container: string, now: number, opts: { previous?: boolean } = {}): LogLine[] | undefined {
  const inst = instance(pod, container, !!opts.previous);
  if (!inst) return undefined;
  const { spec, startedAt = now } = inst;
  const end = Math.min(now, inst.finishedAt ?? Infinity);
  const info = lookupImage(spec.image);
  const vars: Record<string, string> = {
    tag: info.tag, hostname: pod.metadata?.name ?? '', podip: pod.status?.podIP ?? '', hostip: pod.status?.hostIP ?? '',
  };
  const out: LogLine[] = [];
  const argv = [...(spec.command ?? []), ...(spec.args ?? [])];
  const echoed = argv.length ? commandOutput(argv) : undefined;
  if (echoed) {
    let t = startedAt + 5;
    do {
      for (const l of echoed.lines) {
        if (t > end || out.length >= MAX_LINES) break;
        out.push({ time: t, text: fill(l.replaceAll('{date}', new Date(t).toUTCString().replace('GMT', 'UTC')), t, vars) });
      }
      t += echoed.every ?? Infinity;
    } while (echoed.every && t <= end && out.length < MAX_LINES);
    return out;
  }
  // An image's own start-up lines: only when it runs its own program (a command naming another
  // program replaces the entrypoint that would print them).
  const program = spec.command?.[0]?.split('/').pop();
  if (program && !info.repository.endsWith(`/${program}`)) return out;
  info.logs.forEach((line, i) => {
    const t = startedAt + 10 + i * 3;
    if (t <= end) out.push({ time: t, text: fill(line, t, vars) });
  });
  return out;
}
