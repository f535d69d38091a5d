// curl as the images ship it (Debian bookworm's 7.88.1 in nginx, 8.x in curlimages/curl): the body
// on stdout, the progress meter on stderr when stdout is not a terminal (kubectl exec without -t),
// -s/-S/-v/-I/-i/-o/-f/-m/--connect-timeout/-w/-X/-d/-H/-k, and its numbered errors:
// (6) Could not resolve host, (7) Failed to connect ... Couldn't connect to server, (28) timeouts,
// (22) with -f, (52) Empty reply from server.
import type { HttpAnswer, ToolContext, ToolResult } from '../types.js';
import { userlandOf } from './images.js';
import { KERNEL_CONNECT_TIMEOUT_MS, lines, lookup, lookupMs, parseUrl, result, secondsMs } from './common.js';

interface CurlOpts {
  silent: boolean;
  showError: boolean;
  verbose: boolean;
  head: boolean;
  include: boolean;
  fail: boolean;
  insecure: boolean;
  output?: string;
  maxTimeMs?: number;
  connectTimeoutMs?: number;
  writeOut?: string;
  method?: string;
  data?: string;
  headers: [string, string][];
  urls: string[];
}

/** short options that take a value */
const SHORT_VALUE = new Set(['o', 'm', 'w', 'X', 'd', 'H', 'u', 'A', 'e', 'x', 'T', 'F', 'b', 'c', 'r', 'U', 'E']);
const LONG_VALUE = new Set(['output', 'max-time', 'connect-timeout', 'write-out', 'request', 'data', 'data-raw', 'data-binary', 'header', 'user', 'user-agent', 'referer', 'proxy',
  'resolve', 'cacert', 'cert', 'key', 'retry', 'retry-delay', 'retry-max-time', 'interface', 'json']);

function parse(args: string[]): CurlOpts | { error: string; code: number } {
  const o: CurlOpts = { silent: false, showError: false, verbose: false, head: false, include: false, fail: false, insecure: false, headers: [], urls: [] };
  const set = (name: string, v: string | undefined) => {
    switch (name) {
      case 'o': case 'output': o.output = v; break;
      case 'm': case 'max-time': o.maxTimeMs = secondsMs(v); break;
      case 'connect-timeout': o.connectTimeoutMs = secondsMs(v); break;
      case 'w': case 'write-out': o.writeOut = v; break;
      case 'X': case 'request': o.method = v; break;
      case 'd': case 'data': case 'data-raw': case 'data-binary': case 'json': o.data = v; break;
      case 'H': case 'header': {
        const c = (v ?? '').indexOf(':');
        if (c > 0) o.headers.push([v!.slice(0, c).trim(), v!.slice(c + 1).trim()]);
        break;
      }
      case 'A': case 'user-agent': o.headers.push(['User-Agent', v ?? '']); break;
      default: break;
    }
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('--') && a.length > 2) {
      const m = /^--([^=]+)(?:=(.*))?$/.exec(a)!;
      const name = m[1];
      if (LONG_VALUE.has(name)) {
        const v = m[2] ?? args[++i];
        if (v === undefined) return { error: `curl: option --${name}: requires parameter`, code: 2 };
        set(name, v);
        continue;
      }
      if (name === 'silent') o.silent = true;
      else if (name === 'show-error') o.showError = true;
      else if (name === 'verbose') o.verbose = true;
      else if (name === 'head') o.head = true;
      else if (name === 'include') o.include = true;
      else if (name === 'fail' || name === 'fail-with-body') o.fail = true;
      else if (name === 'insecure') o.insecure = true;
      else if (!['location', 'http1.1', 'http2', 'compressed', 'no-progress-meter', 'ipv4', 'no-keepalive', 'globoff', 'raw'].includes(name)) {
        return { error: `curl: option --${name}: is unknown`, code: 2 };
      }
      if (name === 'no-progress-meter') o.silent = o.showError = true;
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let k = 1; k < a.length; k++) {
        const f = a[k];
        if (SHORT_VALUE.has(f)) {
          const v = a.slice(k + 1) || args[++i];
          if (v === undefined) return { error: `curl: option -${f}: requires parameter`, code: 2 };
          set(f, v);
          break;
        }
        if (f === 's') o.silent = true;
        else if (f === 'S') o.showError = true;
        else if (f === 'v') o.verbose = true;
        else if (f === 'I') o.head = true;
        else if (f === 'i') o.include = true;
        else if (f === 'f') o.fail = true;
        else if (f === 'k') o.insecure = true;
        else if (!['L', 'N', '4', 'g', 'O', '#'].includes(f)) return { error: `curl: option -${f}: is unknown`, code: 2 };
      }
      continue;
    }
    o.urls.push(a);
  }
  return o;
}

/** curl's 5-column numbers (max5data) */
function max5(n: number): string {
  if (n < 100_000) return String(Math.round(n)).padStart(5);
  if (n < 10_000 * 1024) return `${String(Math.floor(n / 1024)).padStart(4)}k`;
  return `${String(Math.floor(n / 1024 / 1024)).padStart(4)}M`;
}

const METER_HEAD = [
  '  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current',
  '                                 Dload  Upload   Total   Spent    Left  Speed',
];

function meterLine(size: number, elapsedMs: number, done: boolean): string {
  const pct = (n: number) => String(n).padStart(3);
  const speed = done && size ? (size * 1000) / Math.max(1, elapsedMs) : 0;
  const p = done ? 100 : 0;
  return `${pct(size ? p : 0)} ${max5(size)}  ${pct(size ? p : 0)} ${max5(done ? size : 0)}  ${pct(0)} ${max5(0)}  ${max5(speed)}  ${max5(0)} --:--:-- --:--:-- --:--:-- ${max5(speed)}`;
}

/** -w's variables, as far as a request here can tell them */
function writeOut(fmt: string, vars: Record<string, string>): string[] {
  const text = fmt.replace(/%\{([a-z_]+)\}/g, (m, name) => vars[name] ?? '').replace(/\\n/g, '\n').replace(/\\t/g, '\t').replace(/\\r/g, '\r');
  // -w without a trailing newline leaves the prompt on the same line: a line of its own here
  return text === '' ? [] : lines(text.endsWith('\n') ? text : `${text}\n`);
}

export function curl(ctx: ToolContext, argv: string[]): ToolResult {
  const parsed = parse(argv.slice(1));
  const version = userlandOf(ctx.image).busybox ? '8.11.1' : '7.88.1';
  if ('error' in parsed) return result(parsed.code, [], [parsed.error, "curl: try 'curl --help' or 'curl --manual' for more information"]);
  const o = parsed;
  if (!o.urls.length) return result(2, [], ['curl: no URL specified', "curl: try 'curl --help' or 'curl --manual' for more information"]);
  const stdout: string[] = [];
  const stderr: string[] = [];
  const toStdout = o.output === undefined || o.output === '-';
  // the progress meter: not with -s, nor with -v (which prints its own), nor when writing to the terminal
  const meter = !o.silent && !o.verbose;
  const error = (code: number, msg: string) => {
    if (!o.silent || o.showError) stderr.push(`curl: (${code}) ${msg}`);
    return code;
  };
  let elapsed = 0;
  let code = 0;
  for (const text of o.urls) {
    const url = parseUrl(text);
    if (!url) {
      code = error(3, `URL rejected: Malformed input to a URL function`);
      break;
    }
    if (meter) stderr.push(...METER_HEAD);
    const found = lookup(ctx, url.host);
    const vars: Record<string, string> = { http_code: '000', url_effective: text.includes('://') ? text : `http://${text}`, remote_ip: '', remote_port: '', size_download: '0' };
    const fin = (c: number) => {
      if (meter) stderr.push(meterLine(0, elapsed, false));
      code = error(c, msgFor(c));
      vars.time_total = (elapsed / 1000).toFixed(6);
      if (o.writeOut) stdout.push(...writeOut(o.writeOut, vars));
    };
    let msgFor = (_c: number) => '';
    if ('error' in found) {
      elapsed += lookupMs(found);
      msgFor = () => `Could not resolve host: ${url.host}`;
      fin(6);
      break;
    }
    if (o.verbose) {
      if (version.startsWith('8')) stderr.push(`* Host ${url.host}:${url.port} was resolved.`, '* IPv6: (none)', `* IPv4: ${found.ip}`);
      stderr.push(`*   Trying ${found.ip}:${url.port}...`);
    }
    const conn = ctx.connect(found.ip, url.port, 'TCP');
    if (!conn.ok) {
      if (conn.error === 'timeout') {
        const limit = Math.min(o.connectTimeoutMs ?? Infinity, o.maxTimeMs ?? Infinity);
        if (limit < KERNEL_CONNECT_TIMEOUT_MS) {
          elapsed += limit + 2;
          const viaMax = o.maxTimeMs !== undefined && o.maxTimeMs <= (o.connectTimeoutMs ?? Infinity);
          msgFor = () => (viaMax ? `Connection timed out after ${limit + 1} milliseconds` : `Failed to connect to ${url.host} port ${url.port} after ${limit + 2} ms: Timeout was reached`);
          fin(28);
        } else {
          elapsed += KERNEL_CONNECT_TIMEOUT_MS + 1000;
          msgFor = () => `Failed to connect to ${url.host} port ${url.port} after ${elapsed} ms: Couldn't connect to server`;
          fin(7);
        }
      } else {
        elapsed += conn.error === 'refused' ? 2 : 3000;
        msgFor = () => `Failed to connect to ${url.host} port ${url.port} after ${elapsed} ms: Couldn't connect to server`;
        fin(7);
      }
      break;
    }
    elapsed += 2;
    vars.remote_ip = found.ip;
    vars.remote_port = String(url.port);
    if (o.verbose) stderr.push(`* Connected to ${url.host} (${found.ip}) port ${url.port}${version.startsWith('7') ? ' (#0)' : ''}`);
    if (url.scheme === 'https' && !o.insecure) {
      // a cluster's certificates are signed by its own CA, which the image does not trust
      msgFor = () => 'SSL certificate problem: unable to get local issuer certificate';
      fin(60);
      break;
    }
    const method = o.method ?? (o.head ? 'HEAD' : o.data !== undefined ? 'POST' : 'GET');
    const headers: Record<string, string> = { Host: url.hostHeader, 'User-Agent': `curl/${version}`, Accept: '*/*', ...Object.fromEntries(o.headers) };
    if (o.verbose) {
      stderr.push(`> ${method} ${url.path} HTTP/1.1`, ...Object.entries(headers).map(([k, v]) => `> ${k}: ${v}`), '> ');
      if (version.startsWith('8')) stderr.push('* Request completely sent off');
    }
    const answer: HttpAnswer = ctx.http(conn, { method, path: url.path, host: url.hostHeader, headers });
    if (answer.kind === 'close') {
      msgFor = () => 'Empty reply from server';
      fin(52);
      break;
    }
    if (answer.kind === 'raw') {
      msgFor = () => (version.startsWith('8') ? 'Received HTTP/0.9 when not allowed' : 'Received HTTP/0.9 when not allowed');
      fin(1);
      break;
    }
    const statusLine = `HTTP/1.1 ${answer.status} ${answer.reason}`;
    const headerLines = [statusLine, ...answer.headers.map(([k, v]) => `${k}: ${v}`), ''];
    if (o.verbose) stderr.push(...headerLines.map((l) => `< ${l}`));
    vars.http_code = String(answer.status);
    if (o.fail && answer.status >= 400) {
      msgFor = () => `The requested URL returned error: ${answer.status}`;
      fin(22);
      break;
    }
    const body = method === 'HEAD' ? '' : answer.body;
    const size = Buffer.byteLength(body);
    vars.size_download = String(size);
    const out: string[] = [];
    if (o.head || o.include) out.push(...headerLines.map((l) => `${l}\r`));
    out.push(...lines(body));
    if (toStdout) stdout.push(...out);
    if (o.verbose) {
      if (size) stderr.push(`{ [${size} bytes data]`);
      stderr.push(`* Connection #0 to host ${url.host} left intact`);
    }
    if (meter) stderr.push(meterLine(size, elapsed, true));
    vars.time_total = (elapsed / 1000).toFixed(6);
    if (o.writeOut) stdout.push(...writeOut(o.writeOut, vars));
  }
  return result(code, stdout, stderr, elapsed);
}
