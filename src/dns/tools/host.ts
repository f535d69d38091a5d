// host (BIND 9): one line per record ("has address", "is an alias for", "domain name pointer"),
// the search list as resolv.conf's ndots says, "Host x not found: 3(NXDOMAIN)" and exit 1.
import type { ToolContext, ToolResult } from '../../kubelet/net/types.js';
import type { DnsRecord, QType } from '../message.js';
import { QTYPES, bare, reverseName } from '../message.js';
import { bindLookup } from './nslookup.js';
import { args, isIP, podServers } from './common.js';

function hostLine(r: DnsRecord): string {
  const name = bare(r.name);
  switch (r.type) {
    case 'A': return `${name} has address ${r.data}`;
    case 'AAAA': return `${name} has IPv6 address ${r.data}`;
    case 'CNAME': return `${name} is an alias for ${r.data}`;
    case 'PTR': return `${name} domain name pointer ${r.data}`;
    case 'SRV': return `${name} has SRV record ${r.data}`;
    case 'MX': return `${name} mail is handled by ${r.data}`;
    case 'TXT': return `${name} descriptive text ${r.data}`;
    case 'NS': return `${name} name server ${r.data}`;
    case 'SOA': return `${name} has SOA record ${r.data}`;
  }
}

export function host(ctx: ToolContext, argv: string[]): ToolResult {
  const a = args(argv, 'host');
  let type: QType | undefined;
  const rest: string[] = [];
  for (let i = 0; i < a.length; i++) {
    if (a[i] === '-t') {
      const v = a[++i] ?? '';
      type = QTYPES.find((q) => q.toLowerCase() === v.toLowerCase());
      if (!type) return { exitCode: 1, stdout: [], stderr: [`host: invalid type: ${v}`] };
    } else if (a[i] === '-a') type = 'ANY';
    else if (a[i].startsWith('-')) continue;
    else rest.push(a[i]);
  }
  const name = rest[0];
  if (!name) return { exitCode: 1, stdout: [], stderr: ['Usage: host [-aCdilrTvVw] [-c class] [-N ndots] [-t type] [-W time]', '            [-R number] [-m flag] [-p port] hostname [server]'] };
  const servers = rest[1] && isIP(rest[1]) ? [rest[1]] : podServers(ctx);
  const out: string[] = [];
  if (rest[1]) out.push('Using domain server:', `Name: ${rest[1]}`, `Address: ${servers[0]}#53`, 'Aliases: ', '');
  const ptr = isIP(name) ? reverseName(name) : undefined;
  const types: QType[] = ptr ? ['PTR'] : type ? [type] : ['A', 'AAAA', 'MX'];
  const qname = ptr ? bare(ptr) : name;
  let found = '';
  for (const server of servers) {
    const lines: string[] = [];
    let timedOut = false;
    for (const t of types) {
      // after the first lookup settles the name, the others ask for that name directly
      const l = bindLookup(ctx, server, found || qname, t, !found);
      if (l.timedOut) { timedOut = true; break; }
      const msg = l.msg!;
      if (msg.rcode === 'NXDOMAIN') {
        return { exitCode: 1, stdout: [...out, `Host ${qname} not found: 3(NXDOMAIN)`], stderr: [], elapsedMs: 2 };
      }
      if (msg.rcode !== 'NOERROR') return { exitCode: 1, stdout: [...out, `Host ${qname} not found: 2(SERVFAIL)`], stderr: [], elapsedMs: 2 };
      found = found || l.qname!;
      // host prints a CNAME once, even when several lookups return it
      for (const r of msg.answers) if (!lines.includes(hostLine(r))) lines.push(hostLine(r));
    }
    if (timedOut) continue;
    if (!lines.length && type) lines.push(`${bare(found)} has no ${type} record`);
    return { exitCode: 0, stdout: [...out, ...lines], stderr: [], elapsedMs: 3 };
  }
  return { exitCode: 1, stdout: [';; connection timed out; no servers could be reached'], stderr: [], elapsedMs: 10_000 * servers.length };
}
