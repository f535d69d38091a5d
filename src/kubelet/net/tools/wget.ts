// busybox 1.36's wget: the flags tutorials use (-q, -O FILE / -O-, -T SEC, -S, --spider, -U,
// --header) and its exact words: "Connecting to my-svc (10.96.1.2:80)", "wget: bad address 'x'",
// "wget: can't connect to remote host (10.96.1.2): Connection refused", "wget: download timed out",
// "wget: server returned error: HTTP/1.1 404 Not Found", the progress line and "'index.html' saved".
import type { ToolContext, ToolResult } from '../types.js';
import { KERNEL_CONNECT_TIMEOUT_MS, lines, lookup, lookupMs, parseUrl, result } from './common.js';

interface WgetOpts {
  quiet: boolean;
  output?: string;
  timeoutMs?: number;
  serverResponse: boolean;
  spider: boolean;
  headers: [string, string][];
  userAgent: string;
  urls: string[];
}

const USAGE = [
  'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.',
  '',
  'Usage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]',
  '\t[--post-data STR | --post-file FILE] [-Y on/off]',
  '\t[-P DIR] [-U AGENT] [-T SEC] URL...',
  '',
  'Retrieve files via HTTP or FTP',
];

function parse(args: string[]): WgetOpts | string {
  const o: WgetOpts = { quiet: false, serverResponse: false, spider: false, headers: [], userAgent: 'Wget', urls: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const long = /^--([^=]+)(?:=(.*))?$/.exec(a);
    if (long) {
      const [, name, inline] = long;
      const value = () => inline ?? args[++i];
      if (name === 'quiet') o.quiet = true;
      else if (name === 'output-document') o.output = value();
      else if (name === 'timeout') o.timeoutMs = Number(value()) * 1000;
      else if (name === 'spider') o.spider = true;
      else if (name === 'server-response') o.serverResponse = true;
      else if (name === 'user-agent') o.userAgent = value() ?? 'Wget';
      else if (name === 'header') {
        const h = value() ?? '';
        const c = h.indexOf(':');
        if (c > 0) o.headers.push([h.slice(0, c).trim(), h.slice(c + 1).trim()]);
      } else if (['no-check-certificate', 'continue', 'no-verbose'].includes(name)) {
        if (name === 'no-verbose') o.quiet = true;
      } else if (['output-file', 'directory-prefix', 'post-data', 'post-file', 'proxy', 'tries'].includes(name)) value();
      else return `wget: unrecognized option '--${name}'`;
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let k = 1; k < a.length; k++) {
        const f = a[k];
        const rest = a.slice(k + 1);
        const value = () => (rest ? rest : args[++i]);
        if (f === 'q') o.quiet = true;
        else if (f === 'S') o.serverResponse = true;
        else if (f === 's') o.spider = true;
        else if (f === 'c') continue;
        else if (['O', 'T', 'U', 'P', 'Y', 'o', 't'].includes(f)) {
          const v = value();
          if (v === undefined) return `wget: option requires an argument -- '${f}'`;
          if (f === 'O') o.output = v;
          if (f === 'T') o.timeoutMs = Number(v) * 1000;
          if (f === 'U') o.userAgent = v;
          break;
        } else return `wget: invalid option -- '${f}'`;
      }
      continue;
    }
    o.urls.push(a);
  }
  return o;
}

/** the progress line busybox draws when a download ends (its bar is 32 wide without a terminal) */
function progress(name: string, size: number): string {
  const shown = size < 100_000 ? `${String(size).padStart(6)} ` : `${String(Math.floor(size / 1024)).padStart(6)}k`;
  return `${name.padEnd(20).slice(0, 20)} 100% |${'*'.repeat(32)}|${shown} 0:00:00 ETA`;
}

export function wget(ctx: ToolContext, argv: string[]): ToolResult {
  const parsed = parse(argv.slice(1));
  if (typeof parsed === 'string') return result(1, [], [parsed, ...USAGE]);
  const o = parsed;
  if (!o.urls.length) return result(1, [], USAGE);
  const stdout: string[] = [];
  const stderr: string[] = [];
  let elapsed = 0;
  for (const text of o.urls) {
    const url = parseUrl(text);
    if (!url) {
      stderr.push(`wget: bad address '${text}'`);
      return result(1, stdout, stderr, elapsed);
    }
    const found = lookup(ctx, url.host);
    if ('error' in found) {
      elapsed += lookupMs(found);
      stderr.push(`wget: bad address '${url.host}'`);
      return result(1, stdout, stderr, elapsed);
    }
    if (!o.quiet) stderr.push(`Connecting to ${url.hostHeader} (${found.ip}:${url.port})`);
    const conn = ctx.connect(found.ip, url.port, 'TCP');
    if (!conn.ok) {
      if (conn.error === 'timeout') {
        if (o.timeoutMs !== undefined && o.timeoutMs < KERNEL_CONNECT_TIMEOUT_MS) {
          stderr.push('wget: download timed out');
          return result(1, stdout, stderr, elapsed + o.timeoutMs);
        }
        stderr.push(`wget: can't connect to remote host (${found.ip}): Connection timed out`);
        return result(1, stdout, stderr, elapsed + KERNEL_CONNECT_TIMEOUT_MS);
      }
      stderr.push(`wget: can't connect to remote host (${found.ip}): ${conn.error === 'refused' ? 'Connection refused' : 'Host is unreachable'}`);
      return result(1, stdout, stderr, elapsed + (conn.error === 'refused' ? 1 : 3000));
    }
    elapsed += 2;
    const answer = ctx.http(conn, { method: 'GET', path: url.path, host: url.hostHeader, headers: { 'User-Agent': o.userAgent, Connection: 'close', ...Object.fromEntries(o.headers) } });
    if (answer.kind === 'close') {
      stderr.push('wget: error getting response');
      return result(1, stdout, stderr, elapsed);
    }
    if (answer.kind === 'raw') {
      stderr.push(`wget: server returned error: ${answer.text.split('\n')[0].replace(/\r$/, '')}`);
      return result(1, stdout, stderr, elapsed);
    }
    const statusLine = `HTTP/1.1 ${answer.status} ${answer.reason}`;
    if (o.serverResponse) {
      stderr.push(`  ${statusLine}`);
      for (const [k, v] of answer.headers) stderr.push(`  ${k}: ${v}`);
    }
    if (answer.status >= 400 || answer.status < 200) {
      stderr.push(`wget: server returned error: ${statusLine}`);
      return result(1, stdout, stderr, elapsed);
    }
    if (o.spider) {
      if (!o.quiet) stderr.push('remote file exists');
      continue;
    }
    const size = Buffer.byteLength(answer.body);
    const toStdout = o.output === '-';
    const name = o.output ?? (url.path.split('?')[0].split('/').pop() || 'index.html');
    if (toStdout) {
      if (!o.quiet) stderr.push('writing to stdout');
      stdout.push(...lines(answer.body));
      if (!o.quiet) stderr.push(progress('-', size), 'written to stdout');
    } else if (!o.quiet) {
      stderr.push(`saving to '${name}'`, progress(name, size), `'${name}' saved`);
    }
  }
  return result(0, stdout, stderr, elapsed);
}
