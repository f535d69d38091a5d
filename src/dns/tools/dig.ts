// dig (BIND 9): header, flags, OPT pseudosection, the four sections in master-file columns, and
// the stats block; +short, +search, +noall/+answer..., @server, -t, -x, -p. dig does not use the
// search list unless told (+search); without a reply it prints BIND's timeout lines and exits 9.
import type { ToolContext, ToolResult } from '../../kubelet/net/types.js';
import type { DnsMessage, QType } from '../message.js';
import { QTYPES, fqdn, messageSize, questionLine, recordLine, reverseName } from '../message.js';
import { resolveName } from '../resolver.js';
import { bindLookup } from './nslookup.js';
import { args, bindVersion, isIP, podServers } from './common.js';

interface Opts {
  short: boolean;
  search: boolean;
  cmd: boolean;
  comments: boolean;
  question: boolean;
  answer: boolean;
  authority: boolean;
  additional: boolean;
  stats: boolean;
  edns: boolean;
  cookie: boolean;
  tcp: boolean;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** strftime("%a %b %d %H:%M:%S %Z %Y") in the container's UTC */
function when(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

const hex = (ctx: ToolContext, n: number) => Array.from({ length: n }, () => Math.floor(ctx.random() * 16).toString(16)).join('');

export function dig(ctx: ToolContext, argv: string[]): ToolResult {
  const a = args(argv, 'dig');
  const { version, old } = bindVersion(ctx.image);
  const o: Opts = { short: false, search: false, cmd: true, comments: true, question: true, answer: true, authority: true, additional: true, stats: true, edns: true, cookie: !old, tcp: false };
  let server: string | undefined;
  let port = 53;
  const queries: { name: string; type?: QType }[] = [];
  let pendingType: QType | undefined;
  for (let i = 0; i < a.length; i++) {
    const w = a[i];
    if (w.startsWith('@')) server = w.slice(1);
    else if (w.startsWith('+')) {
      const m = w.slice(1).toLowerCase().match(/^(no)?([a-z]+)(?:=(.*))?$/);
      if (!m) return { exitCode: 1, stdout: [], stderr: [`Invalid option: ${w}`] };
      const on = !m[1];
      const k = m[2];
      const set = (key: keyof Opts) => (o[key] = on);
      if (k === 'short') set('short');
      else if (k === 'search') set('search');
      else if (k === 'all') (['cmd', 'comments', 'question', 'answer', 'authority', 'additional', 'stats'] as const).forEach((x) => (o[x] = on));
      else if (['cmd', 'comments', 'question', 'answer', 'authority', 'additional', 'stats', 'edns', 'cookie', 'tcp'].includes(k)) set(k as keyof Opts);
      else if (['vc'].includes(k)) o.tcp = on;
      else if (['time', 'tries', 'retry', 'ndots', 'recurse', 'showsearch', 'identify', 'ttlid', 'class', 'qr', 'multiline', 'trace', 'bufsize', 'dnssec', 'domain'].includes(k)) continue;
      else return { exitCode: 1, stdout: [], stderr: [`Invalid option: ${w}`, 'Usage:  dig [@global-server] [domain] [q-type] [q-class] {q-opt}', '            {global-d-opt} host [@local-server] {local-d-opt}', '            [ host [@local-server] {local-d-opt} [...]]', '', 'Use "dig -h" (or "dig -h | more") for complete list of options'] };
    } else if (w === '-t' || w === '-x' || w === '-p' || w === '-c' || w === '-q') {
      const v = a[++i] ?? '';
      if (w === '-t') {
        const t = QTYPES.find((q) => q.toLowerCase() === v.toLowerCase());
        if (!t) return { exitCode: 1, stdout: [], stderr: [`dig: invalid type: ${v}`] };
        if (queries.length && !queries[queries.length - 1].type) queries[queries.length - 1].type = t;
        else pendingType = t;
      } else if (w === '-x') {
        const r = reverseName(v);
        if (!r) return { exitCode: 10, stdout: [], stderr: [`dig: '${v}' is not a legal IPv4 or IPv6 address`] };
        queries.push({ name: r, type: 'PTR' });
      } else if (w === '-p') port = Number(v) || 53;
      else if (w === '-q') queries.push({ name: v, type: pendingType });
    } else if (w === '-4' || w === '-6' || w === '-u' || w === '-m') continue;
    else {
      const t = QTYPES.find((q) => q === w.toUpperCase());
      if (t && queries.length && !queries[queries.length - 1].type) queries[queries.length - 1].type = t;
      else if (t && !queries.length) pendingType = t;
      else if (/^(IN|CH|HS)$/i.test(w)) continue;
      else {
        queries.push({ name: w, type: pendingType });
        pendingType = undefined;
      }
    }
  }
  // no name: dig asks for the root's nameservers
  if (!queries.length) queries.push({ name: '.', type: pendingType ?? 'NS' });

  let servers = podServers(ctx);
  let serverLabel: string | undefined;
  if (server !== undefined) {
    if (isIP(server)) servers = [server];
    else {
      const r = resolveName(ctx, server);
      if ('error' in r) return { exitCode: 10, stdout: [], stderr: [`dig: couldn't get address for '${server}': not found`] };
      servers = [r.addresses[0]];
      serverLabel = server;
    }
  }

  const out: string[] = [];
  let exitCode = 0;
  let elapsedMs = 0;
  const banner = [`; <<>> DiG ${version} <<>> ${a.join(' ')}`];
  for (const q of queries) {
    const type = q.type ?? 'A';
    // dig makes every name absolute unless +search walks the list
    let lookup;
    let usedServer = servers[0];
    for (const s of servers) {
      usedServer = s;
      lookup = port === 53 ? bindLookup(ctx, s, q.name, type, o.search) : { timedOut: true };
      if (!lookup.timedOut) break;
      elapsedMs += 15_000;
    }
    if (!lookup || lookup.timedOut) {
      exitCode = 9;
      if (old) {
        if (!o.short && o.cmd) out.push('', ...banner, ';; global options: +cmd');
        out.push(';; connection timed out; no servers could be reached');
      } else {
        if (!o.short && o.cmd) out.push('', ...banner, ';; global options: +cmd');
        for (let k = 0; k < 3; k++) out.push(`;; communications error to ${usedServer}#${port}: timed out`);
        if (!o.short && o.cmd) out.push('', ...banner, ';; global options: +cmd');
        out.push(';; no servers could be reached');
      }
      continue;
    }
    const msg = lookup.msg!;
    elapsedMs += 1;
    const qname = fqdn(lookup.qname ?? q.name);
    if (o.short) {
      for (const r of msg.answers) out.push(r.data);
      continue;
    }
    if (o.cmd) out.push('', ...banner, ';; global options: +cmd');
    printMessage(ctx, out, o, old, qname, type, msg, usedServer, port, serverLabel);
  }
  return { exitCode, stdout: out, stderr: [], elapsedMs };
}

function printMessage(ctx: ToolContext, out: string[], o: Opts, old: boolean, qname: string, type: QType, msg: DnsMessage, server: string, port: number, label?: string): void {
  if (o.comments) {
    const id = Math.floor(ctx.random() * 65536);
    const flags = ['qr', ...(msg.authoritative ? ['aa'] : []), 'rd', ...(msg.recursionAvailable ? ['ra'] : [])].join(' ');
    out.push(';; Got answer:');
    out.push(`;; ->>HEADER<<- opcode: QUERY, status: ${msg.rcode}, id: ${id}`);
    out.push(`;; flags: ${flags}; QUERY: 1, ANSWER: ${msg.answers.length}, AUTHORITY: ${msg.authority.length}, ADDITIONAL: ${msg.additional.length + (o.edns ? 1 : 0)}`);
    if (!msg.recursionAvailable) out.push(';; WARNING: recursion requested but not available');
    out.push('');
    if (o.edns) {
      out.push(';; OPT PSEUDOSECTION:');
      out.push(`; EDNS: version: 0, flags:; udp: ${old ? 4096 : 1232}`);
      // CoreDNS echoes the client cookie it was sent (it has no server cookie of its own)
      if (o.cookie) out.push(`; COOKIE: ${hex(ctx, 16)} (echoed)`);
    }
  }
  if (o.question) {
    if (o.comments) out.push(';; QUESTION SECTION:');
    out.push(questionLine(qname, type));
    out.push('');
  }
  const section = (on: boolean, title: string, rs: DnsMessage['answers']) => {
    if (!on || !rs.length) return;
    if (o.comments) out.push(`;; ${title} SECTION:`);
    for (const r of rs) out.push(recordLine(r));
    out.push('');
  };
  section(o.answer, 'ANSWER', msg.answers);
  section(o.authority, 'AUTHORITY', msg.authority);
  section(o.additional, 'ADDITIONAL', msg.additional);
  if (o.stats) {
    out.push(`;; Query time: ${msg.authoritative ? 0 : 12} msec`);
    out.push(`;; SERVER: ${server}#${port}(${label ?? server})${old ? '' : o.tcp ? ' (TCP)' : ' (UDP)'}`);
    out.push(`;; WHEN: ${when(ctx.world.now)}`);
    out.push(`;; MSG SIZE  rcvd: ${messageSize(qname, msg, { edns: o.edns, cookie: o.edns && o.cookie })}`);
    out.push('');
  }
}
