// netcat, in the two flavours images ship: busybox's (nc_bloaty: "my-svc (10.96.1.2:80) open" with
// -v, refusals shown only with -vv) and OpenBSD's (Debian's netcat-openbsd: "Connection to my-svc
// (10.96.1.2) 80 port [tcp/http] succeeded!"). -z scans, -w limits the wait, -u uses UDP; without
// -z, what stdin holds is sent and the server's answer printed (an HTTP request by hand, a redis
// PING).
import type { Protocol, ToolContext, ToolResult } from '../types.js';
import { KERNEL_CONNECT_TIMEOUT_MS, lines, lookup, lookupMs, result } from './common.js';
import { userlandOf } from './images.js';

const SERVICES: Record<number, string> = { 21: 'ftp', 22: 'ssh', 25: 'smtp', 53: 'domain', 80: 'http', 443: 'https', 3306: 'mysql', 5432: 'postgresql', 6379: 'redis', 8080: 'http-alt' };

export function nc(ctx: ToolContext, argv: string[], stdin: string[] | undefined): ToolResult {
  const openbsd = userlandOf(ctx.image).nc === 'openbsd';
  let verbose = 0;
  let zero = false;
  let waitMs: number | undefined;
  let proto: Protocol = 'TCP';
  const rest: string[] = [];
  const args = argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('-') && a.length > 1) {
      for (let k = 1; k < a.length; k++) {
        const f = a[k];
        if (f === 'v') verbose++;
        else if (f === 'z') zero = true;
        else if (f === 'u') proto = 'UDP';
        else if (f === 'n' || f === '4' || f === 'N') continue;
        else if ('wWpqsiI'.includes(f)) {
          const v = a.slice(k + 1) || args[++i];
          if (f === 'w') waitMs = Number(v) * 1000;
          break;
        } else if (f === 'l') return result(1, [], ['nc: listening is not modelled here']);
        else return result(1, [], [openbsd ? `nc: invalid option -- '${f}'` : `nc: invalid option -- '${f}'`]);
      }
      continue;
    }
    rest.push(a);
  }
  const [host, portText] = rest;
  if (!host || !portText) return result(1, [], openbsd ? ['usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]', '\t  [-m minttl] [-O length] [-P proxy_username] [-p source_port]', '\t  [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]', '\t  [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]', '\t  [destination] [port]'] : ['BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.', '', 'Usage: nc [OPTIONS] HOST PORT  - connect', 'nc [OPTIONS] -l -p PORT [HOST] [PORT]  - listen']);
  const port = Number(portText);
  const found = lookup(ctx, host);
  if ('error' in found) {
    const ms = lookupMs(found);
    return result(1, [], [openbsd ? `nc: getaddrinfo for host "${host}" port ${port}: ${found.error === 'timeout' ? 'Temporary failure in name resolution' : 'Name or service not known'}` : `nc: bad address '${host}'`], ms);
  }
  const tcp = proto === 'TCP' ? 'tcp' : 'udp';
  const service = SERVICES[port] ?? '*';
  const conn = ctx.connect(found.ip, port, proto);
  // UDP has no handshake: a "connection" succeeds unless something answers with an ICMP reject
  if (!conn.ok && !(proto === 'UDP' && conn.error === 'timeout')) {
    if (conn.error === 'timeout') {
      const ms = waitMs !== undefined && waitMs < KERNEL_CONNECT_TIMEOUT_MS ? waitMs : KERNEL_CONNECT_TIMEOUT_MS;
      if (openbsd) return result(1, [], verbose ? [`nc: connect to ${host} (${found.ip}) port ${port} (${tcp}) timed out: Operation now in progress`] : [], ms);
      return result(1, [], verbose ? [`nc: ${host} (${found.ip}:${port}): Connection timed out`] : [], ms);
    }
    const why = conn.error === 'refused' ? 'Connection refused' : 'No route to host';
    if (openbsd) return result(1, [], verbose ? [`nc: connect to ${host} (${found.ip}) port ${port} (${tcp}) failed: ${why}`] : [], 2);
    return result(1, [], verbose > 1 || (verbose && conn.error !== 'refused') ? [`nc: ${host} (${found.ip}:${port}): ${why}`] : [], 2);
  }
  const stderr: string[] = [];
  if (verbose) stderr.push(openbsd ? `Connection to ${host} (${found.ip}) ${port} port [${tcp}/${service}] succeeded!` : `${host} (${found.ip}:${port}) open`);
  if (zero || !conn.ok) return result(0, [], stderr, 2);
  // data: what stdin holds goes out; the server's answer comes back
  const input = stdin ?? [];
  const first = /^([A-Z]+) (\S+) HTTP\/1\.[01]\r?$/.exec(input[0] ?? '');
  const stdout: string[] = [];
  if (first) {
    const headers: Record<string, string> = {};
    for (const l of input.slice(1)) {
      const m = /^([^:]+):\s*(.*?)\r?$/.exec(l);
      if (m) headers[m[1]] = m[2];
    }
    const answer = ctx.http(conn, { method: first[1], path: first[2], host: headers.Host ?? headers.host ?? host, headers });
    if (answer.kind === 'http') {
      stdout.push(`HTTP/1.1 ${answer.status} ${answer.reason}\r`, ...answer.headers.map(([k, v]) => `${k}: ${v}\r`), '\r', ...lines(answer.body));
    } else if (answer.kind === 'raw') stdout.push(...lines(answer.text));
  } else if (input.length) {
    const answer = ctx.http(conn, { method: 'RAW', path: input.join('\n'), host, headers: {} });
    if (answer.kind === 'raw') stdout.push(...lines(answer.text));
    else if (answer.kind === 'http') stdout.push(`HTTP/1.1 ${answer.status} ${answer.reason}\r`, ...answer.headers.map(([k, v]) => `${k}: ${v}\r`), '\r', ...lines(answer.body));
  }
  return result(0, stdout, stderr, waitMs ?? 2);
}
