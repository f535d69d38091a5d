// nslookup in its two common shapes. busybox 1.36 (networking/nslookup.c): sends every query at
// once (A and AAAA; a dotless name once per search domain, a dotted name only as typed — it knows
// no ndots), prints each reply as it comes with a blank line after it, "** server can't find"
// for each failed one, and exits 1 if any failed. BIND's (dnsutils images): one lookup walking the
// search list the way resolv.conf's ndots says, the final answer only.
import type { ToolContext, ToolResult } from '../../kubelet/net/types.js';
import type { DnsMessage, DnsRecord, QType } from '../message.js';
import { QTYPES, bare, fqdn, reverseName } from '../message.js';
import { candidates, resolveName, searchSettings } from '../resolver.js';
import { args, ask, bindVersion, isIP, podServers } from './common.js';

const BUSYBOX_USAGE = [
  'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.',
  '',
  'Usage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]',
  '',
  'Query DNS about HOST',
  '',
  'QUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,any',
];

/** busybox prints names as ns_name_uncompress gives them: no trailing dot */
function busyboxRecord(r: DnsRecord): string[] {
  const name = bare(r.name);
  const f = r.data.split(' ');
  switch (r.type) {
    case 'A': case 'AAAA': return [`Name:\t${name}`, `Address: ${r.data}`];
    case 'CNAME': return [`${name}\tcanonical name = ${bare(r.data)}`];
    case 'PTR': return [`${name}\tname = ${bare(r.data)}`];
    case 'NS': return [`${name}\tnameserver = ${bare(r.data)}`];
    case 'MX': return [`${name}\tmail exchanger = ${f[0]} ${bare(f[1])}`];
    case 'TXT': return [`${name}\ttext = ${r.data}`];
    case 'SRV': return [`${name}\tservice = ${f[0]} ${f[1]} ${f[2]} ${bare(f[3])}`];
    case 'SOA': return [name, `\torigin = ${bare(f[0])}`, `\tmail addr = ${bare(f[1])}`, `\tserial = ${f[2]}`, `\trefresh = ${f[3]}`, `\tretry = ${f[4]}`, `\texpire = ${f[5]}`, `\tminimum = ${f[6]}`];
  }
}

function busybox(ctx: ToolContext, argv: string[]): ToolResult {
  let timeoutS = 5;
  const types: QType[] = [];
  let i = 0;
  const usage = (): ToolResult => ({ exitCode: 1, stdout: [], stderr: BUSYBOX_USAGE });
  for (; i < argv.length && argv[i].startsWith('-'); i++) {
    const [opt, val = ''] = argv[i].slice(1).split(/=(.*)/s);
    if (opt === 'type' || opt === 'querytype') {
      const t = QTYPES.find((q) => q.toLowerCase() === val.toLowerCase());
      if (!t) return { exitCode: 1, stdout: [], stderr: [`nslookup: invalid query type "${val}"`] };
      if (!types.includes(t)) types.push(t);
    } else if (opt === 't' || opt === 'timeout') timeoutS = Math.max(1, Number(val) || 5);
    else if (opt !== 'port' && opt !== 'retry' && opt !== 'debug') return usage();
  }
  const host = argv[i];
  if (!host || argv.length > i + 2) return usage();
  const servers = argv[i + 1] ? [argv[i + 1]] : podServers(ctx);
  const search = searchSettings(ctx.pod, ctx).search;
  // add_query_with_search: a dotless name goes out once per search domain, never bare
  const names = (type: QType) => (type === 'PTR' || !search.length || host.includes('.') ? [host] : search.map((d) => `${host}.${d}`));
  const queries: { name: string; type: QType }[] = [];
  const ptr = isIP(host) ? reverseName(host) : undefined;
  if (!types.length) {
    if (ptr) queries.push({ name: bare(ptr), type: 'PTR' });
    else for (const t of ['A', 'AAAA'] as QType[]) for (const n of names(t)) queries.push({ name: n, type: t });
  } else {
    // qtypes order (SOA NS A AAAA CNAME MX TXT SRV PTR ANY), as the applet walks its table
    const order: QType[] = ['SOA', 'NS', 'A', 'AAAA', 'CNAME', 'MX', 'TXT', 'SRV', 'PTR', 'ANY'];
    for (const t of order) if (types.includes(t)) for (const n of names(t)) queries.push({ name: n, type: t });
  }

  let elapsedMs = 0;
  for (const server of servers) {
    const out: string[] = [];
    let exitCode = 0;
    let replies = 0;
    for (const q of queries) {
      const { ex } = ask(ctx, [server], q.name, q.type);
      if (!ex.ok) break;
      if (replies++ === 0) out.push(`Server:\t\t${server}`, `Address:\t${server}:53`, '');
      if (ex.msg.rcode !== 'NOERROR') {
        out.push(`** server can't find ${q.name}: ${ex.msg.rcode}`);
        exitCode = 1;
      } else {
        if (!ex.msg.authoritative) out.push('Non-authoritative answer:');
        for (const r of ex.msg.answers) out.push(...busyboxRecord(r));
      }
      out.push('');
    }
    if (replies) return { exitCode, stdout: out, stderr: [], elapsedMs: elapsedMs + replies };
    elapsedMs += timeoutS * 1000;
  }
  return { exitCode: 1, stdout: [';; connection timed out; no servers could be reached', ''], stderr: [], elapsedMs };
}

// ---------------------------------------------------------------- busybox 1.28 and older

/**
 * busybox up to 1.28 (the tag the Kubernetes docs use for DNS checks) had the older applet: it
 * resolves through libc's getaddrinfo (so the search list applies to dotted names such as
 * `web-0.nginx`), prints "%-10s %s" headers, numbers each address and adds its PTR name when the
 * reverse lookup finds one; a failure is "can't resolve" on stderr.
 */
export function oldBusybox(image: string): boolean {
  const tag = /:(\d+)\.(\d+)/.exec(image.split('/').pop() ?? '');
  return !!tag && Number(tag[1]) === 1 && Number(tag[2]) <= 28;
}

function busyboxOld(ctx: ToolContext, argv: string[]): ToolResult {
  const rest = argv.filter((a) => !a.startsWith('-'));
  const host = rest[0];
  if (!host || rest.length > 2) return { exitCode: 1, stdout: [], stderr: ['BusyBox v1.28.4 (2018-05-22 17:00:17 UTC) multi-call binary.', '', 'Usage: nslookup [HOST] [SERVER]', '', 'Query the nameserver for the IP address of the given HOST', 'optionally using a specified DNS server'] };
  const server = rest[1] ?? podServers(ctx)[0];
  const pad = (h: string) => h.padEnd(10, ' ');
  // getnameinfo(NI_NAMEREQD): the PTR name when there is one
  const revName = (ip: string): string | undefined => {
    const r = reverseName(ip);
    if (!r) return undefined;
    const { ex } = ask(ctx, [server], bare(r), 'PTR');
    const ptr = ex.ok && ex.msg.rcode === 'NOERROR' ? ex.msg.answers.find((a) => a.type === 'PTR') : undefined;
    return ptr ? bare(ptr.data) : undefined;
  };
  const addr = (n: number, ip: string) => {
    const rev = revName(ip);
    return `Address ${n}: ${ip}${rev ? ` ${rev}` : ''}`;
  };
  const out = [`${pad('Server:')} ${server}`, addr(1, server), ''];
  const r = resolveName(ctx, host);
  if ('error' in r) return { exitCode: 1, stdout: out, stderr: [`nslookup: can't resolve '${host}'`], elapsedMs: r.elapsedMs ?? 2 };
  out.push(`${pad('Name:')} ${host}`, ...r.addresses.map((ip, k) => addr(k + 1, ip)));
  return { exitCode: 0, stdout: out, stderr: [], elapsedMs: r.elapsedMs ?? 2 };
}

// ---------------------------------------------------------------- BIND

/** BIND prints owner names bare and targets fully qualified */
function bindRecord(r: DnsRecord): string[] {
  const name = bare(r.name);
  const f = r.data.split(' ');
  switch (r.type) {
    case 'A': case 'AAAA': return [`Name:\t${name}`, `Address: ${r.data}`];
    case 'CNAME': return [`${name}\tcanonical name = ${r.data}`];
    case 'PTR': return [`${name}\tname = ${r.data}`];
    case 'NS': return [`${name}\tnameserver = ${r.data}`];
    case 'MX': return [`${name}\tmail exchanger = ${r.data}`];
    case 'TXT': return [`${name}\ttext = ${r.data}`];
    case 'SRV': return [`${name}\tservice = ${r.data}`];
    case 'SOA': return [name, `\torigin = ${f[0]}`, `\tmail addr = ${f[1]}`, `\tserial = ${f[2]}`, `\trefresh = ${f[3]}`, `\tretry = ${f[4]}`, `\texpire = ${f[5]}`, `\tminimum = ${f[6]}`];
  }
}

interface Lookup {
  /** the reply that ended the lookup, and the name it was for */
  msg?: DnsMessage;
  qname?: string;
  timedOut: boolean;
}

/** dighost's lookup: the candidates in turn, moving on only after NXDOMAIN */
export function bindLookup(ctx: ToolContext, server: string, name: string, type: QType, useSearch: boolean): Lookup {
  const s = searchSettings(ctx.pod, ctx);
  const list = type === 'PTR' && name.endsWith('.arpa') ? [fqdn(name)] : useSearch ? candidates(name, s, 'bind') : [fqdn(name)];
  let msg: DnsMessage | undefined;
  let qname: string | undefined;
  for (const cand of list) {
    const { ex } = ask(ctx, [server], cand, type);
    if (!ex.ok) return { timedOut: true };
    msg = ex.msg;
    qname = cand;
    if (msg.rcode !== 'NXDOMAIN') break;
  }
  return { msg, qname, timedOut: false };
}

function bind(ctx: ToolContext, argv: string[]): ToolResult {
  const { old } = bindVersion(ctx.image);
  let type: QType | undefined;
  const rest: string[] = [];
  for (const a of argv) {
    const m = a.match(/^-(?:q|qu|que|quer|query|querytype|ty|typ|type)=(.*)$/i);
    if (m) {
      const t = QTYPES.find((q) => q.toLowerCase() === m[1].toLowerCase());
      if (!t) return { exitCode: 1, stdout: [], stderr: [`unknown query type: ${m[1]}`] };
      type = t;
    } else if (a.startsWith('-')) continue;
    else rest.push(a);
  }
  const host = rest[0];
  if (!host) return { exitCode: 1, stdout: [], stderr: ['nslookup: interactive mode is not available here'] };
  let serverName = rest[1];
  let servers = podServers(ctx);
  if (serverName) {
    if (isIP(serverName)) servers = [serverName];
    else {
      const r = resolveName(ctx, serverName);
      if ('error' in r) return { exitCode: 1, stdout: [], stderr: [`nslookup: couldn't get address for '${serverName}': not found`] };
      servers = [r.addresses[0]];
    }
  }
  const ptr = isIP(host) ? reverseName(host) : undefined;
  const qtype: QType = type ?? (ptr ? 'PTR' : 'A');
  const qname = ptr && qtype === 'PTR' ? bare(ptr) : host;
  for (const server of servers) {
    const first = bindLookup(ctx, server, qname, qtype, true);
    if (first.timedOut) continue;
    const out = [`Server:\t\t${serverName ?? server}`, `Address:\t${server}#53`, ''];
    const msg = first.msg!;
    if (msg.rcode !== 'NOERROR') {
      out.push(`** server can't find ${qname}: ${msg.rcode}`, '');
      return { exitCode: 1, stdout: out, stderr: [], elapsedMs: 2 };
    }
    const answers = [...msg.answers];
    // 9.11 and later follow an address lookup with an AAAA one and print its records too
    if (!old && !type && !ptr && answers.length) {
      const owner = answers[answers.length - 1].name;
      const six = bindLookup(ctx, server, owner, 'AAAA', false);
      if (six.msg?.rcode === 'NOERROR') answers.push(...six.msg.answers.filter((r) => r.type === 'AAAA'));
    }
    if (!msg.authoritative) out.push('Non-authoritative answer:');
    if (!answers.length) out.push(`*** Can't find ${qname}: No answer`);
    for (const r of answers) out.push(...bindRecord(r));
    out.push('');
    return { exitCode: 0, stdout: out, stderr: [], elapsedMs: 2 };
  }
  return { exitCode: 1, stdout: [';; connection timed out; no servers could be reached', ''], stderr: [], elapsedMs: 15_000 * servers.length };
}

/** `nslookup ...` in the pod: busybox's applet or BIND's, by the image's userland */
export function nslookup(ctx: ToolContext, argv: string[]): ToolResult {
  const a = args(argv, 'nslookup');
  if (ctx.busybox) return oldBusybox(ctx.image) ? busyboxOld(ctx, a) : busybox(ctx, a);
  return bind(ctx, a);
}
