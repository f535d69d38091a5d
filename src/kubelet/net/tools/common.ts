// What the network programs share: URLs, name resolution through the pod's resolver (CoreDNS), the
// times a connection takes, and the shape of a program's result.
import type { ToolContext, ToolResult } from '../types.js';
import { isIPv4 } from '../world.js';
import { resolveName } from '../../../dns/resolver.js';

export interface Url {
  scheme: string;
  host: string;
  port: number;
  /** path and query, at least "/" */
  path: string;
  /** host[:port] as the Host header carries it */
  hostHeader: string;
}

/** http://host[:port]/path, or a bare host[:port][/path] (http assumed, as curl and wget do) */
export function parseUrl(text: string): Url | undefined {
  const m = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):\/\/)?(\[[^\]]+\]|[^/:?#]*)(?::(\d*))?([/?#].*)?$/.exec(text);
  if (!m || !m[2]) return undefined;
  const scheme = (m[1] ?? 'http').toLowerCase();
  const def = scheme === 'https' ? 443 : 80;
  const port = m[3] ? Number(m[3]) : def;
  let path = m[4] ?? '/';
  if (path.startsWith('?')) path = `/${path}`;
  path = path.replace(/#.*$/, '') || '/';
  return { scheme, host: m[2], port, path, hostHeader: m[3] ? `${m[2]}:${m[3]}` : m[2] };
}

/** elapsedMs: what the resolver took (a nameserver that never answers costs its timeouts) */
export type Lookup = { ip: string; fqdn?: string; elapsedMs?: number } | { error: 'NXDOMAIN' | 'timeout'; elapsedMs?: number };

/** a host as the program's resolver sees it: IPs as they are, names through the pod's DNS */
export function lookup(ctx: ToolContext, host: string): Lookup {
  if (isIPv4(host)) return { ip: host };
  if (host === 'localhost') return { ip: '127.0.0.1' };
  const own = ctx.pod.spec?.hostname ?? ctx.pod.metadata?.name;
  if (host === own && ctx.pod.status?.podIP) return { ip: ctx.pod.status.podIP };
  const r = resolveName(ctx, host, 'A');
  if ('error' in r) return { error: r.error, elapsedMs: r.elapsedMs };
  const addrs = r.addresses.filter(isIPv4);
  if (!addrs.length) return { error: 'NXDOMAIN', elapsedMs: r.elapsedMs };
  // several A records (a headless Service): the resolver's order, the first is tried
  return { ip: addrs[0], fqdn: r.fqdn, elapsedMs: r.elapsedMs };
}

/** Linux gives up a connect() whose SYNs go unanswered after 6 retries: about 127 s */
export const KERNEL_CONNECT_TIMEOUT_MS = 127_000;
/** a resolver that gets no answer, when it does not say how long it waited */
export const DNS_TIMEOUT_MS = 10_000;

/** the round-trip time of a packet inside the cluster, ms (same node, another node) */
export function rttMs(ctx: ToolContext, crossNode: boolean): number {
  const base = crossNode ? 0.12 : 0.05;
  return Math.round((base + ctx.random() * base) * 1000) / 1000;
}

export const result = (exitCode: number, stdout: string[] = [], stderr: string[] = [], elapsedMs?: number): ToolResult => ({ exitCode, stdout, stderr, ...(elapsedMs ? { elapsedMs } : {}) });

/** a body as output lines (the interpreter's sink takes lines; a final newline ends the last) */
export function lines(body: string): string[] {
  if (body === '') return [];
  const parts = body.split('\n');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** Go-style duration seconds ("5", "2.5") → ms */
export function secondsMs(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? Math.round(n * 1000) : undefined;
}

/** how long a lookup took */
export const lookupMs = (l: Lookup): number => l.elapsedMs ?? ('error' in l && l.error === 'timeout' ? DNS_TIMEOUT_MS : 1);
