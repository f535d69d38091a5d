// What a running container answers on the network: which of its containers listens on a port
// (listener) and what the server there says to an HTTP request (httpAnswer). The data path of
// `kubectl exec` tools (curl, wget, nc) and `port-forward` end here.
//
// Known images answer as themselves, byte for byte where users read it (nginx's welcome page and
// headers, httpd's "It works!", agnhost's netexec, http-echo, the guestbook frontend, redis's
// refusal of HTTP). The listeners build on the probes' serving model (probes/serving.ts), so that a
// probe and a curl agree on who listens and with what status; this module adds servers that model
// does not know (http-echo, python -m http.server, memcached, node apps with PORT, UDP).
//
// Any other image is taken to be the user's own application. It answers every path with 200 and
// one line: "Hello from <pod> (<image>) on port <port>". Why that line: the tutorials' images
// (`my-app:1.0`, `your-image:latest`) stand for "some app"; a user port-forwarding or curling one
// wants to see that the request reached the pod they meant, through the port they meant — the line
// names all three, and it does not pretend to be a real program's output.
import type { KObject } from '../../apiserver/types.js';
import { lookupImage } from '../catalogue.js';
import { execIn } from '../process.js';
import { flag, runsAShellScript, servingOf, type Listener } from '../probes/serving.js';
import { GUESTBOOK_INDEX } from './pages/guestbook.js';
import { HTTPD_INDEX, HTTPD_INDEX_ETAG, HTTPD_INDEX_LAST_MODIFIED, httpdNotFound } from './pages/httpd.js';
import { NGINX_50X, NGINX_INDEX, NGINX_INDEX_OLD, nginxErrorPage } from './pages/nginx.js';
import type { HttpAnswer, HttpRequest, Protocol } from './types.js';

export type ListenerKind = 'http' | 'tcp' | 'udp';

/** who connects: the peer address a server sees (port-forward: 127.0.0.1 inside the pod) */
export interface ClientAddress {
  ip: string;
  port?: number;
}

// ---------------------------------------------------------------------------------------------
// Who listens

/** a container's main program, as the servers below recognise it */
type Server =
  | 'nginx' | 'httpd' | 'redis' | 'mysql' | 'postgres' | 'memcached' | 'coredns' | 'kube-proxy'
  | 'netexec' | 'liveness' | 'serve-hostname' | 'test-webserver' | 'http-echo' | 'gb-frontend'
  | 'python-http' | 'busybox-httpd' | 'nc' | 'goproxy' | 'tls' | 'etcd' | 'hello-app' | 'bootcamp'
  | 'echoserver' | 'hpa-example' | 'node' | 'app';

interface Port {
  server: Server;
  kind: ListenerKind;
  /** the probes' model of this port, when it has one (statuses over time) */
  model?: Listener;
}

interface Ports {
  tcp: Map<number, Port>;
  udp: Map<number, Port>;
}

function argvOf(spec: any): string[] {
  return [...(spec.command ?? []), ...(spec.args ?? [])].map(String);
}

/** `--port=8080`, `-listen=:5678`, `0.0.0.0:80` → the port number */
function portOf(v: string | undefined): number | undefined {
  if (!v) return undefined;
  const m = /(\d+)\s*$/.exec(v);
  return m ? Number(m[1]) : undefined;
}

function envValue(spec: any, name: string): string | undefined {
  return (spec.env ?? []).find((e: any) => e?.name === name && typeof e.value === 'string')?.value;
}

/** The server a repository (or the script it runs) is, for the ports servingOf already knows. */
function serverOf(spec: any): Server {
  const info = lookupImage(spec.image ?? '');
  const repo = info.repository;
  const argv = argvOf(spec);
  const text = argv.join(' ');
  if (runsAShellScript(spec)) {
    if (/\bhttpd\b/.test(text)) return 'busybox-httpd';
    return 'nc';
  }
  if (/(^|\/)(nginx|nginx-slim)$/.test(repo) || /\bnginx\b/.test(text)) return 'nginx';
  if (/(^|\/)httpd$/.test(repo)) return 'httpd';
  if (/(^|\/)redis$/.test(repo) || repo.endsWith('gb-redis-follower') || repo.endsWith('gb-redis-leader')) return 'redis';
  if (/(^|\/)mysql$/.test(repo) || /(^|\/)mariadb$/.test(repo)) return 'mysql';
  if (/(^|\/)postgres$/.test(repo)) return 'postgres';
  if (/(^|\/)memcached$/.test(repo)) return 'memcached';
  if (repo.endsWith('/e2e-test-images/agnhost')) {
    const sub = argv.find((a) => !a.startsWith('-') && !a.startsWith('/'));
    if (sub === 'netexec' || sub === 'liveness' || sub === 'serve-hostname' || sub === 'test-webserver') return sub;
    return 'app';
  }
  if (repo === 'registry.k8s.io/goproxy') return 'goproxy';
  if (repo === 'registry.k8s.io/etcd') return 'etcd';
  if (/^registry\.k8s\.io\/kube-(apiserver|controller-manager|scheduler)$/.test(repo)) return 'tls';
  if (repo === 'registry.k8s.io/kube-proxy') return 'kube-proxy';
  if (repo === 'registry.k8s.io/coredns/coredns') return 'coredns';
  if (repo.endsWith('gb-frontend')) return 'gb-frontend';
  if (/(^|\/)http-echo$/.test(repo)) return 'http-echo';
  if (/google-samples\/hello-app$/.test(repo)) return 'hello-app';
  if (/kubernetes-bootcamp$/.test(repo)) return 'bootcamp';
  if (/\/echoserver$/.test(repo)) return 'echoserver';
  if (/hpa-example$/.test(repo)) return 'hpa-example';
  return 'app';
}

const kindOf = (l: Listener): ListenerKind => (l.proto === 'tcp' ? 'tcp' : 'http');

function build(spec: any): Ports {
  const tcp = new Map<number, Port>();
  const udp = new Map<number, Port>();
  const server = serverOf(spec);
  const info = lookupImage(spec.image ?? '');
  const argv = argvOf(spec);
  const text = argv.join(' ');
  for (const [port, l] of servingOf(spec).listeners) {
    // the probes' model gives nc its raw TCP and busybox httpd its HTTP: tell them apart here
    const s: Server = server === 'nc' || server === 'busybox-httpd' ? (l.proto === 'tcp' ? 'nc' : 'busybox-httpd') : server;
    tcp.set(port, { server: s, kind: kindOf(l), model: l });
  }
  const declaredUdp = (spec.ports ?? []).filter((p: any) => p.protocol === 'UDP' && Number.isInteger(p.containerPort)).map((p: any) => p.containerPort as number);

  // python -m http.server [PORT] (default 8000), also from a shell script
  const py = /\bpython[\d.]*\s+-m\s+http\.server(?:\s+(?:--bind\s+\S+\s+)?(\d+))?/.exec(text);
  if (py) tcp.set(Number(py[1] ?? 8000), { server: 'python-http', kind: 'http' });

  switch (server) {
    case 'memcached':
      tcp.set(Number(flag(argv, 'p') ?? flag(argv, 'port') ?? 11211), { server, kind: 'tcp' });
      break;
    case 'coredns':
      // the Corefile of kubeadm/kind: DNS on 53 (UDP and TCP), health 8080, ready 8181, metrics 9153
      udp.set(53, { server, kind: 'udp' });
      break;
    case 'netexec': {
      const u = Number(flag(argv, 'udp-port') ?? 8081);
      if (u > 0) udp.set(u, { server, kind: 'udp' });
      break;
    }
    case 'http-echo': {
      // hashicorp/http-echo: -listen=":5678" by default
      tcp.clear();
      tcp.set(portOf(flag(argv, 'listen')) ?? 5678, { server, kind: 'http' });
      break;
    }
    case 'app': {
      // node/npm apps read PORT (Express's habit); the declared ports come from servingOf already
      const program = String(spec.command?.[0] ?? '').split('/').pop();
      const isNode = /(^|\/)node$/.test(info.repository) || ['node', 'npm', 'yarn', 'npx'].includes(program ?? '') || ['node', 'npm'].includes(argv[0] ?? '');
      const p = Number(envValue(spec, 'PORT'));
      if (isNode && Number.isInteger(p) && p > 0) tcp.set(p, { server: 'node', kind: 'http' });
      for (const d of declaredUdp) udp.set(d, { server, kind: 'udp' });
      break;
    }
  }
  return { tcp, udp };
}

const cache = new Map<string, Ports>();
const bySpec = new WeakMap<object, Ports>();
/** the ports of a container spec (memoised: the data path asks for every connection) */
function portsOf(spec: any): Ports {
  const hit = bySpec.get(spec);
  if (hit) return hit;
  const key = JSON.stringify([spec.image, spec.command, spec.args, spec.ports, spec.env]);
  let p = cache.get(key);
  if (!p) {
    if (cache.size > 5000) cache.clear();
    p = build(spec);
    cache.set(key, p);
  }
  bySpec.set(spec, p);
  return p;
}

/** the containers that run in the pod's network namespace: app containers and restartable init (sidecar) containers */
function serving(pod: KObject): any[] {
  return [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []).filter((c: any) => c.restartPolicy === 'Always')];
}

function statusOf(pod: KObject, name: string): any {
  return [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])].find((s: any) => s.name === name);
}

/** when the container's current instance started (epoch ms), or undefined when it is not running */
export function runningSince(pod: KObject, container: string): number | undefined {
  const st = statusOf(pod, container)?.state?.running;
  if (!st) return undefined;
  const t = Date.parse(st.startedAt ?? '');
  return Number.isNaN(t) ? 0 : t;
}

/**
 * Does a container of this Running pod listen on port/proto? A container that is waiting,
 * terminated or not yet started listens nowhere. (A started server is taken to listen at once:
 * the start-up delays of real servers are shorter than anything the simulation resolves.)
 */
export function listener(pod: KObject, port: number, proto: Protocol, now: number): { container: string; kind: ListenerKind } | undefined {
  if (pod.status?.phase !== 'Running') return undefined;
  for (const c of serving(pod)) {
    const since = runningSince(pod, c.name);
    if (since === undefined || since > now) continue;
    const ports = portsOf(c);
    const hit = proto === 'UDP' ? ports.udp.get(port) : proto === 'TCP' ? ports.tcp.get(port) : undefined;
    if (hit) return { container: c.name, kind: hit.kind };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// What it answers

const REASONS: Record<number, string> = {
  200: 'OK', 201: 'Created', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found', 304: 'Not Modified', 307: 'Temporary Redirect',
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 412: 'Precondition Failed',
  417: 'Expectation Failed', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable',
};
export const reasonOf = (status: number): string => REASONS[status] ?? (status < 300 ? 'OK' : 'Unknown');

const httpDate = (ms: number) => new Date(ms).toUTCString();
const bytes = (s: string) => Buffer.byteLength(s);
const pathOnly = (p: string) => (p.split('?')[0] || '/');
function query(p: string): URLSearchParams {
  const i = p.indexOf('?');
  return new URLSearchParams(i < 0 ? '' : p.slice(i + 1));
}

/** Go's net/http: handler-set headers (sorted), then Date and Content-Length, then a sniffed Content-Type */
function goAnswer(status: number, body: string, now: number, opts: { headers?: [string, string][]; contentType?: string | null } = {}): HttpAnswer {
  const headers: [string, string][] = [...(opts.headers ?? [])].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const explicitType = headers.some(([k]) => k === 'Content-Type');
  headers.push(['Date', httpDate(now)]);
  headers.push(['Content-Length', String(bytes(body))]);
  const type = opts.contentType === undefined ? 'text/plain; charset=utf-8' : opts.contentType;
  if (!explicitType && body.length > 0 && type) headers.push(['Content-Type', type]);
  return { kind: 'http', status, reason: reasonOf(status), headers, body };
}

/** http.NotFound / http.Error */
const goError = (status: number, text: string, now: number) =>
  goAnswer(status, `${text}\n`, now, { headers: [['Content-Type', 'text/plain; charset=utf-8'], ['X-Content-Type-Options', 'nosniff']] });
const goNotFound = (now: number) => goError(404, '404 page not found', now);

/** Go's time.Time String() for "NOW: ..." (monotonic reading included, as time.Now() prints it) */
function goNow(now: number, sinceStartMs: number): string {
  const d = new Date(now);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const frac = d.getUTCMilliseconds() ? `.${p(d.getUTCMilliseconds(), 3)}`.replace(/0+$/, '') : '';
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}${frac} +0000 UTC m=+${(sinceStartMs / 1000).toFixed(9)}`;
}

/** Go's Duration.String() for a positive duration in ms */
function goDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = ((ms % 60_000) / 1000).toString();
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}

/** encoding/json escapes <, > and & */
const goJson = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');

// --- nginx ---------------------------------------------------------------------------------

/**
 * The nginx version behind an image tag (a minor tag is its last patch release, `latest` the
 * mainline of early 2026) and the mtime of its index.html, which makes Last-Modified and the ETag.
 * The mtimes marked * were read off real responses; the others are the release days (approximate).
 */
const NGINX: Record<string, [string, string]> = {
  '1.7': ['1.7.9', '2014-12-23T15:00:00Z'], '1.9': ['1.9.15', '2016-04-19T15:00:00Z'], '1.10': ['1.10.3', '2017-01-31T15:00:00Z'],
  '1.11': ['1.11.13', '2017-04-04T15:00:00Z'], '1.12': ['1.12.2', '2017-10-17T15:00:00Z'], '1.13': ['1.13.12', '2018-04-10T15:00:00Z'],
  '1.14': ['1.14.2', '2018-12-04T15:00:00Z'], '1.15': ['1.15.12', '2019-04-16T15:00:00Z'], '1.16': ['1.16.1', '2019-08-13T15:00:00Z'],
  '1.17': ['1.17.10', '2020-04-14T15:00:00Z'], '1.18': ['1.18.0', '2020-04-21T15:00:00Z'], '1.19': ['1.19.10', '2021-04-13T15:00:00Z'],
  '1.20': ['1.20.2', '2021-11-16T15:00:00Z'], '1.21': ['1.21.6', '2022-01-25T15:00:00Z'], '1.22': ['1.22.1', '2022-10-19T15:00:00Z'],
  '1.23': ['1.23.4', '2023-03-28T15:00:00Z'], '1.24': ['1.24.0', '2023-04-11T15:00:00Z'], '1.25': ['1.25.5', '2024-04-16T15:00:00Z'],
  '1.26': ['1.26.3', '2025-02-05T15:00:00Z'], '1.27': ['1.27.5', '2025-04-16T12:55:34Z' /* * */], '1.28': ['1.28.0', '2025-04-23T15:00:00Z'],
  '1.29': ['1.29.4', '2025-12-09T15:00:00Z'],
};
const NGINX_PATCH_MTIME: Record<string, string> = {
  '1.25.3': '2023-10-24T13:46:47Z', '1.27.0': '2024-05-28T13:22:30Z' /* * */, '1.27.1': '2024-08-12T14:21:01Z' /* * */,
  '1.27.3': '2024-11-26T15:00:00Z', '1.27.4': '2025-02-05T11:06:32Z' /* * */, '1.27.5': '2025-04-16T12:55:34Z' /* * */,
};
const NGINX_ALIASES: Record<string, string> = { latest: '1.29', mainline: '1.29', '1': '1.29', alpine: '1.29', stable: '1.28', 'stable-alpine': '1.28', perl: '1.29' };
/** registry.k8s.io/nginx-slim tags and the nginx they carry (approximate) */
const NGINX_SLIM: Record<string, string> = { '0.7': '1.9', '0.24': '1.19', '0.27': '1.21' };

export function nginxVersion(image: string): { version: string; mtime: number } {
  const info = lookupImage(image);
  let tag = info.tag || 'latest';
  if (info.repository.endsWith('nginx-slim')) tag = NGINX_SLIM[tag] ?? '1.21';
  tag = tag.replace(/-(alpine|perl|bookworm|bullseye|slim).*$/, '');
  tag = NGINX_ALIASES[tag] ?? tag;
  const full = /^(\d+)\.(\d+)\.(\d+)$/.exec(tag);
  const minor = full ? `${full[1]}.${full[2]}` : /^\d+\.\d+$/.test(tag) ? tag : '1.29';
  const [lastPatch, mt] = NGINX[minor] ?? [`${minor}.0`, '2025-01-01T00:00:00Z'];
  const version = full ? tag : lastPatch;
  return { version, mtime: Date.parse(NGINX_PATCH_MTIME[version] ?? mt) };
}

function nginxAnswer(spec: any, req: HttpRequest, now: number): HttpAnswer {
  const { version, mtime } = nginxVersion(spec.image ?? '');
  const server: [string, string] = ['Server', `nginx/${version}`];
  const date: [string, string] = ['Date', httpDate(now)];
  const [maj, min] = version.split('.').map(Number);
  const modern = maj > 1 || min >= 21;
  const path = pathOnly(req.path);
  const file = path === '/' || path === '/index.html' ? (modern ? NGINX_INDEX : NGINX_INDEX_OLD) : path === '/50x.html' ? NGINX_50X : undefined;
  const error = (status: number, reason: string): HttpAnswer => {
    const body = nginxErrorPage(status, reason, version);
    return { kind: 'http', status, reason, headers: [server, date, ['Content-Type', 'text/html'], ['Content-Length', String(bytes(body))], ['Connection', 'keep-alive']], body: req.method === 'HEAD' ? '' : body };
  };
  if (file === undefined) return error(404, 'Not Found');
  // the static module answers GET and HEAD only; any other method on a file is 405 "Not Allowed"
  if (req.method !== 'GET' && req.method !== 'HEAD') return error(405, 'Not Allowed');
  const secs = Math.floor(mtime / 1000);
  return {
    kind: 'http', status: 200, reason: 'OK',
    headers: [server, date, ['Content-Type', 'text/html'], ['Content-Length', String(bytes(file))], ['Last-Modified', httpDate(secs * 1000)], ['Connection', 'keep-alive'], ['ETag', `"${secs.toString(16)}-${bytes(file).toString(16)}"`], ['Accept-Ranges', 'bytes']],
    body: req.method === 'HEAD' ? '' : file,
  };
}

// --- Apache (httpd, the guestbook's php:apache) ------------------------------------------------

function apacheAnswer(status: number, body: string, now: number, server: string, extra: [string, string][], type: string, method: string): HttpAnswer {
  const headers: [string, string][] = [['Date', httpDate(now)], ['Server', server], ...extra, ['Content-Length', String(bytes(body))], ['Content-Type', type]];
  return { kind: 'http', status, reason: reasonOf(status), headers, body: method === 'HEAD' ? '' : body };
}

function httpdAnswer(spec: any, req: HttpRequest, now: number): HttpAnswer {
  // the version the catalogue's httpd logs print (AH00489: Apache/2.4.62 (Unix))
  const server = 'Apache/2.4.62 (Unix)';
  void spec;
  const path = pathOnly(req.path);
  if (path === '/' || path === '/index.html') {
    return apacheAnswer(200, HTTPD_INDEX, now, server, [['Last-Modified', HTTPD_INDEX_LAST_MODIFIED], ['ETag', HTTPD_INDEX_ETAG], ['Accept-Ranges', 'bytes']], 'text/html', req.method);
  }
  return apacheAnswer(404, httpdNotFound(), now, server, [], 'text/html; charset=iso-8859-1', req.method);
}

/**
 * The network as a server process in the pod sees it, for servers that call other services (the
 * guestbook's PHP calls redis by its Service name): resolution through the pod's resolver, then
 * kube-proxy and the policies, as any connection from that pod.
 */
export interface ServerNet {
  reach(host: string, port: number): 'ok' | 'nxdomain' | 'refused' | 'timeout';
}

/** Predis' ConnectionException texts (PHP's stream socket errors) */
const PREDIS_ERRORS: Record<'nxdomain' | 'refused' | 'timeout', string> = {
  nxdomain: 'php_network_getaddresses: getaddrinfo failed: Name or service not known',
  refused: 'Connection refused',
  timeout: 'Connection timed out',
};

function guestbookAnswer(req: HttpRequest, now: number, spec: any, net?: ServerNet): HttpAnswer {
  const server = 'Apache/2.4.10 (Debian)';
  const path = pathOnly(req.path);
  if (path === '/' || path === '/index.html') {
    // Last-Modified/ETag of the image's index.html are not known exactly: a plausible pair
    return apacheAnswer(200, GUESTBOOK_INDEX, now, server, [['Last-Modified', 'Tue, 30 May 2017 17:50:43 GMT'], ['ETag', `"${bytes(GUESTBOOK_INDEX).toString(16)}-550c5c1e0e2c0"`], ['Accept-Ranges', 'bytes'], ['Vary', 'Accept-Encoding']], 'text/html', req.method);
  }
  if (path === '/guestbook.php') {
    // guestbook.php reads and writes redis through Predis: writes go to redis-leader, reads to
    // redis-follower (names resolved by DNS, or the Service env vars with GET_HOSTS_FROM=env). The
    // connection is real (DNS, kube-proxy, policies); the messages themselves are not kept: a read
    // answers an empty guestbook, a write "Updated".
    const q = query(req.path);
    if (q.has('cmd') && net) {
      const env = Object.fromEntries((spec?.env ?? []).map((e: any) => [e.name, e.value]));
      const role = q.get('cmd') === 'set' ? 'LEADER' : 'FOLLOWER';
      const host = env.GET_HOSTS_FROM === 'env' ? env[`REDIS_${role}_SERVICE_HOST`] ?? '' : `redis-${role.toLowerCase()}`;
      const reached = net.reach(host, 6379);
      if (reached !== 'ok') {
        // PHP 5.6 shows the uncaught exception in the page (display_errors is on without a php.ini)
        const msg = `${PREDIS_ERRORS[reached]} [tcp://${host}:6379]`;
        const body = `<br />\n<b>Fatal error</b>:  Uncaught exception 'Predis\\Connection\\ConnectionException' with message '${msg}' in /usr/local/lib/php/Predis/Connection/AbstractConnection.php:155\nStack trace:\n#0 /var/www/html/guestbook.php(${role === 'LEADER' ? 17 : 27}): Predis\\Connection\\AbstractConnection->onConnectionError('${msg.split(' [')[0]}', 0)\n#1 {main}\n  thrown in <b>/usr/local/lib/php/Predis/Connection/AbstractConnection.php</b> on line <b>155</b><br />\n`;
        return apacheAnswer(200, body, now, server, [['X-Powered-By', 'PHP/5.6.40']], 'application/json', req.method);
      }
    }
    const body = q.get('cmd') === 'set' ? '{"message": "Updated"}' : q.has('cmd') ? '{"data": ""}' : '';
    if (!q.has('cmd')) return apacheAnswer(200, '<!DOCTYPE html>\n<html><head><title>phpinfo()</title></head><body>PHP Version 5.6</body></html>\n', now, server, [['X-Powered-By', 'PHP/5.6.40']], 'text/html; charset=UTF-8', req.method);
    return apacheAnswer(200, body, now, server, [['X-Powered-By', 'PHP/5.6.40']], 'application/json', req.method);
  }
  return apacheAnswer(404, httpdNotFound().replace('</body></html>', '<hr>\n<address>Apache/2.4.10 (Debian) Server at localhost Port 80</address>\n</body></html>'), now, server, [], 'text/html; charset=iso-8859-1', req.method);
}

// --- agnhost, http-echo, small Go servers ---------------------------------------------------------

function hostnameOf(pod: KObject): string {
  if (pod.spec?.hostNetwork) return pod.spec?.nodeName ?? pod.metadata?.name ?? '';
  return pod.spec?.hostname ?? pod.metadata?.name ?? '';
}

function netexecAnswer(pod: KObject, spec: any, req: HttpRequest, now: number, since: number, client: ClientAddress): HttpAnswer {
  const path = pathOnly(req.path);
  const q = query(req.path);
  switch (path) {
    case '/hostname':
    case '/hostName':
      return goAnswer(200, hostnameOf(pod), now);
    case '/clientip':
      return goAnswer(200, `${client.ip}:${client.port ?? 40000}`, now);
    case '/healthz':
      return goAnswer(200, '', now);
    case '/echo': {
      const code = q.get('code') ?? '';
      const msg = q.get('msg') ?? '';
      if (code !== '' && !/^-?\d+$/.test(code)) return goAnswer(200, `argument 'code' must be an integer or empty, got ${JSON.stringify(code)}\n`, now);
      return goAnswer(code ? Number(code) : 200, msg, now);
    }
    case '/shell': {
      const cmd = q.get('shellCommand') || q.get('cmd') || '';
      const r = execIn(spec, ['/bin/sh', '-c', cmd], since);
      const out = [...r.stdout, ...r.stderr];
      const o: Record<string, string> = {};
      if (out.length) o.output = `${out.join('\n')}\n`;
      if (r.exitCode !== 0) o.error = `exit status ${r.exitCode}`;
      return goAnswer(200, goJson(o), now);
    }
    case '/redirect': {
      const loc = q.get('location') ?? '/';
      const code = Number(q.get('code') || 302);
      return goAnswer(code, req.method === 'GET' ? `<a href="${loc}">${reasonOf(code)}</a>.\n\n` : '', now, { headers: [['Content-Type', 'text/html; charset=utf-8'], ['Location', loc]] });
    }
    case '/exit':
    case '/shutdown':
      // the server exits: the connection closes without an answer (the container's exit itself is not simulated)
      return { kind: 'close' };
    case '/dial':
      if (!q.get('request')) return goError(400, 'request parameter not specified. <nil>', now);
      return goAnswer(200, goJson({ errors: ['dial is not simulated'] }), now);
    default:
      return goAnswer(200, `NOW: ${goNow(now, since)}`, now);
  }
}

function livenessAnswer(req: HttpRequest, now: number, since: number): HttpAnswer {
  // test/images/agnhost/liveness/server.go
  switch (pathOnly(req.path)) {
    case '/healthz':
      return since > 10_000 ? goAnswer(500, `error: ${since / 1000}`, now) : goAnswer(200, 'ok', now);
    case '/started':
      return goAnswer(200, goDuration(since), now);
    case '/redirect':
      return goAnswer(302, req.method === 'GET' ? '<a href="/healthz">Found</a>.\n\n' : '', now, { headers: [['Content-Type', 'text/html; charset=utf-8'], ['Location', '/healthz']] });
    default:
      return goNotFound(now);
  }
}

function httpEchoAnswer(spec: any, req: HttpRequest, now: number): HttpAnswer {
  const argv = argvOf(spec);
  const text = flag(argv, 'text') ?? '';
  const headers: [string, string][] = [['X-App-Name', 'http-echo'], ['X-App-Version', '1.0.0']];
  if (pathOnly(req.path) === '/health') return goAnswer(200, '{"status":"ok"}', now, { headers, contentType: 'application/json' });
  return goAnswer(200, `${text}\n`, now, { headers });
}

function echoserverAnswer(req: HttpRequest, client: ClientAddress): string {
  const q = req.path.includes('?') ? req.path.slice(req.path.indexOf('?') + 1) : 'nil';
  const headers = Object.entries(req.headers).map(([k, v]) => `${k.toLowerCase()}=${v}`).sort();
  return `CLIENT VALUES:\nclient_address=${client.ip}\ncommand=${req.method}\nreal path=${pathOnly(req.path)}\nquery=${q}\nrequest_version=1.1\nrequest_uri=http://${req.host}:8080${req.path}\n\nSERVER VALUES:\nserver_version=nginx: 1.10.0 - lua: 10001\n\nHEADERS RECEIVED:\n${headers.join('\n')}\nBODY:\n-no body in request-`;
}

// --- servers that do not speak HTTP -------------------------------------------------------------

/** redis reads the request as inline commands; it drops the connection at a "POST" or "Host:" line (securityWarningCommand) */
function redisAnswer(req: HttpRequest): HttpAnswer {
  if (req.method.toUpperCase() === 'POST') return { kind: 'close' };
  const words = [req.method, req.path, 'HTTP/1.1'];
  const cmd = req.method.toLowerCase();
  let reply: string;
  if (cmd === 'get') reply = "-ERR wrong number of arguments for 'get' command";
  else reply = `-ERR unknown command '${req.method}', with args beginning with: ${words.slice(1).map((w) => `'${w}' `).join('')}`;
  // the next line is "Host: ...": redis logs "Possible SECURITY ATTACK detected" and closes
  return { kind: 'raw', text: `${reply}\r\n` };
}

/** memcached: every line of the request is an unknown command */
function memcachedAnswer(req: HttpRequest): HttpAnswer {
  const lines = 1 + Object.keys(req.headers).length + 1;
  return { kind: 'raw', text: 'ERROR\r\n'.repeat(lines) };
}

/** MySQL speaks first: its handshake packet (protocol 10, the server version), then drops a client that sends nonsense */
function mysqlAnswer(spec: any): HttpAnswer {
  const tag = lookupImage(spec.image ?? '').tag;
  const version = /^\d+\.\d+\.\d+/.test(tag) ? tag : /^5\.7/.test(tag) ? '5.7.44' : /^8\.0/.test(tag) ? '8.0.40' : '8.4.3';
  const body = `\n${version}\0\x08\0\0\0` + 'abcdefgh\0' + '\xff\xff\xff\x02\0\xff\xdf\x15\0\0\0\0\0\0\0\0\0\0' + 'ijklmnopqrst\0' + 'caching_sha2_password\0';
  const len = body.length;
  return { kind: 'raw', text: String.fromCharCode(len & 0xff, (len >> 8) & 0xff, 0, 0) + body };
}

/** a Go TLS server given plain HTTP (crypto/tls's hint to net/http) */
const TLS_PLAIN: HttpAnswer = { kind: 'raw', text: 'HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n' };

function pythonAnswer(spec: any, req: HttpRequest, now: number): HttpAnswer {
  const info = lookupImage(spec.image ?? '');
  const m = /^(\d+\.\d+)(\.\d+)?/.exec(info.tag);
  const py = m ? `${m[1]}${m[2] ?? '.0'}` : '3.12.0';
  const path = pathOnly(req.path);
  const headers = (len: number, type: string): [string, string][] => [['Server', `SimpleHTTP/0.6 Python/${py}`], ['Date', httpDate(now)], ['Content-type', type], ['Content-Length', String(len)]];
  if (path !== '/') {
    const body = `<!DOCTYPE HTML>\n<html lang="en">\n    <head>\n        <meta charset="utf-8">\n        <title>Error response</title>\n    </head>\n    <body>\n        <h1>Error response</h1>\n        <p>Error code: 404</p>\n        <p>Message: File not found.</p>\n        <p>Error code explanation: 404 - Nothing matches the given URI.</p>\n    </body>\n</html>\n`;
    return { kind: 'http', status: 404, reason: 'File not found', headers: [['Server', `SimpleHTTP/0.6 Python/${py}`], ['Date', httpDate(now)], ['Connection', 'close'], ['Content-Type', 'text/html;charset=utf-8'], ['Content-Length', String(bytes(body))]], body };
  }
  // the directory it was started in: the image's working directory, / for the python images
  const entries = ['bin@', 'boot/', 'dev/', 'etc/', 'home/', 'lib@', 'lib64@', 'media/', 'mnt/', 'opt/', 'proc/', 'root/', 'run/', 'sbin@', 'srv/', 'sys/', 'tmp/', 'usr/', 'var/'];
  const items = entries.map((e) => `<li><a href="${e.replace('@', '/')}">${e}</a></li>`).join('\n');
  const body = `<!DOCTYPE HTML>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Directory listing for /</title>\n</head>\n<body>\n<h1>Directory listing for /</h1>\n<hr>\n<ul>\n${items}\n</ul>\n<hr>\n</body>\n</html>\n`;
  return { kind: 'http', status: 200, reason: 'OK', headers: headers(bytes(body), 'text/html; charset=utf-8'), body: req.method === 'HEAD' ? '' : body };
}

/** busybox httpd serves its home directory: what the script wrote to index.html, else its 404 */
function busyboxHttpdAnswer(spec: any, req: HttpRequest, now: number): HttpAnswer {
  const script = argvOf(spec).join(' ');
  const written = /\becho\s+(?:-e\s+)?(["']?)(.*?)\1\s*>\s*\S*index\.html/.exec(script);
  const path = pathOnly(req.path);
  if (written && (path === '/' || path === '/index.html')) {
    const body = `${written[2]}\n`;
    return { kind: 'http', status: 200, reason: 'OK', headers: [['Date', httpDate(now)], ['Connection', 'close'], ['Content-type', 'text/html'], ['Accept-Ranges', 'bytes'], ['Last-Modified', httpDate(now)], ['ETag', '"0-0"'], ['Content-Length', String(bytes(body))]], body };
  }
  const body = '<HTML><HEAD><TITLE>404 Not Found</TITLE></HEAD>\n<BODY><H1>404 Not Found</H1>\nThe requested URL was not found\n</BODY></HTML>\n';
  return { kind: 'http', status: 404, reason: 'Not Found', headers: [['Date', httpDate(now)], ['Connection', 'close'], ['Content-type', 'text/html']], body };
}

/** `nc -l`: writes what was piped into it (`echo hi | nc -l -p 8080`), then closes */
function ncAnswer(spec: any): HttpAnswer {
  const script = argvOf(spec).join(' ');
  const piped = /\b(?:echo|printf)\s+(?:-e\s+)?(["']?)(.*?)\1\s*\|\s*nc\b/.exec(script);
  return piped ? { kind: 'raw', text: `${piped[2].replace(/\\r/g, '\r').replace(/\\n/g, '\n')}\n` } : { kind: 'close' };
}

/** the user's application: one line naming the pod, the image and the port (see the top of this file) */
export function appLine(pod: KObject, image: string, port: number): string {
  return `Hello from ${pod.metadata?.name ?? ''} (${image}) on port ${port}\n`;
}

/**
 * What the server in container `container` of pod answers to req on port, at virtual time now.
 * Call it for a port listener() said is listening. `client` is the address the server sees
 * (/clientip, echoserver); port-forward's connections come from 127.0.0.1 inside the pod.
 */
export function httpAnswer(pod: KObject, container: string, port: number, req: HttpRequest, now: number, client: ClientAddress = { ip: '127.0.0.1' }, net?: ServerNet): HttpAnswer {
  const spec = serving(pod).find((c: any) => c.name === container);
  if (!spec) return { kind: 'close' };
  const p = portsOf(spec).tcp.get(port);
  if (!p) return { kind: 'close' };
  const since = Math.max(0, now - (runningSince(pod, container) ?? now));
  const image: string = spec.image ?? '';
  const method = req.method.toUpperCase();
  if (p.model?.tls) return TLS_PLAIN;
  switch (p.server) {
    case 'nginx':
      return nginxAnswer(spec, { ...req, method }, now);
    case 'httpd':
      return httpdAnswer(spec, { ...req, method }, now);
    case 'gb-frontend':
      return guestbookAnswer({ ...req, method }, now, spec, net);
    case 'redis':
      return redisAnswer(req);
    case 'memcached':
      return memcachedAnswer(req);
    case 'mysql':
      return port === 3306 ? mysqlAnswer(spec) : { kind: 'close' };
    case 'postgres':
      // an HTTP request read as a startup packet has an absurd length: postgres closes without a word
      return { kind: 'close' };
    case 'netexec':
      return netexecAnswer(pod, spec, req, now, since, client);
    case 'liveness':
      return livenessAnswer(req, now, since);
    case 'serve-hostname':
      return goAnswer(200, hostnameOf(pod), now);
    case 'http-echo':
      return httpEchoAnswer(spec, req, now);
    case 'python-http':
      return pythonAnswer(spec, { ...req, method }, now);
    case 'busybox-httpd':
      return busyboxHttpdAnswer(spec, req, now);
    case 'nc':
      return ncAnswer(spec);
    case 'goproxy':
      return goAnswer(500, 'This is a proxy server. Does not respond to non-proxy requests.\n', now);
    case 'hello-app': {
      const tag = lookupImage(image).tag;
      const version = /^\d+\.\d+$/.test(tag) ? `${tag}.0` : tag;
      return goAnswer(200, `Hello, world!\nVersion: ${version}\nHostname: ${hostnameOf(pod)}\n`, now);
    }
    case 'bootcamp': {
      // a Node.js http server (it sends chunked; the answer here carries its length instead)
      const body = `Hello Kubernetes bootcamp! | Running on: ${hostnameOf(pod)} | v=1\n`;
      return { kind: 'http', status: 200, reason: 'OK', headers: [['Date', httpDate(now)], ['Connection', 'keep-alive'], ['Content-Length', String(bytes(body))]], body };
    }
    case 'echoserver': {
      const body = echoserverAnswer(req, client);
      return { kind: 'http', status: 200, reason: 'OK', headers: [['Server', 'nginx/1.10.0'], ['Date', httpDate(now)], ['Content-Type', 'text/plain'], ['Content-Length', String(bytes(body))], ['Connection', 'keep-alive']], body };
    }
    case 'hpa-example':
      return apacheAnswer(200, 'OK!', now, 'Apache/2.4.10 (Debian)', [['X-Powered-By', 'PHP/5.6.30']], 'text/html', method);
  }
  // the known servers whose HTTP ports only the probes' model describes (etcd, kube-proxy, coredns ...)
  if (p.model && p.model.proto !== 'app') {
    if (p.kind === 'tcp') return p.model.rawReply ? { kind: 'raw', text: `${p.model.rawReply}\r\n` } : { kind: 'close' };
    const status = p.model.http?.(req.path, since) ?? 200;
    if (status === 404) return goNotFound(now);
    if (p.server === 'kube-proxy' && port === 10256 && status === 200) {
      const t = new Date(now).toISOString().replace(/\.\d+Z$/, 'Z');
      return goAnswer(200, `{"lastUpdated": "${t}","currentTime": "${t}", "nodeEligible": true}`, now, { headers: [['Content-Type', 'application/json'], ['X-Content-Type-Options', 'nosniff']] });
    }
    return goAnswer(status, status === 200 ? (pathOnly(req.path) === '/metrics' ? '# HELP up 1 if the target is up\n# TYPE up gauge\nup 1\n' : 'OK') : '', now);
  }
  const body = appLine(pod, image, port);
  return { kind: 'http', status: 200, reason: 'OK', headers: [['Content-Type', 'text/plain; charset=utf-8'], ['Date', httpDate(now)], ['Content-Length', String(bytes(body))]], body: method === 'HEAD' ? '' : body };
}

/** The bytes an HTTP answer puts on the wire (HTTP/1.1 status line, headers, body); raw answers as they are. */
export function answerBytes(a: HttpAnswer): string {
  if (a.kind === 'raw') return a.text;
  if (a.kind === 'close') return '';
  return `HTTP/1.1 ${a.status} ${a.reason}\r\n${a.headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n${a.body}`;
}

/** the server kind behind a listening port (port-forward speaks each one's protocol) */
export function serverAt(pod: KObject, container: string, port: number): string | undefined {
  const spec = serving(pod).find((c: any) => c.name === container);
  return spec ? portsOf(spec).tcp.get(port)?.server : undefined;
}

/** what a server writes as soon as a client connects (MySQL's handshake), if anything */
export function greeting(pod: KObject, container: string, port: number): string | undefined {
  const spec = serving(pod).find((c: any) => c.name === container);
  if (!spec || serverAt(pod, container, port) !== 'mysql' || port !== 3306) return undefined;
  const a = mysqlAnswer(spec);
  return a.kind === 'raw' ? a.text : undefined;
}

/**
 * One redis command (RESP or inline), answered as redis 7 does for the few commands a user types
 * through a port-forward (redis-cli ping, set, get). `store` is the data the session has written.
 */
export function redisReply(argv: string[], store: Map<string, string>): { reply: string; close?: boolean } {
  const bulk = (s: string | undefined) => (s === undefined ? '$-1\r\n' : `$${Buffer.byteLength(s)}\r\n${s}\r\n`);
  const cmd = (argv[0] ?? '').toLowerCase();
  const arity = (n: number) => (argv.length !== n ? { reply: `-ERR wrong number of arguments for '${cmd}' command\r\n` } : undefined);
  switch (cmd) {
    case 'ping':
      return argv.length > 2 ? arity(2)! : { reply: argv.length === 2 ? bulk(argv[1]) : '+PONG\r\n' };
    case 'echo':
      return arity(2) ?? { reply: bulk(argv[1]) };
    case 'set':
      if (argv.length < 3) return { reply: `-ERR wrong number of arguments for 'set' command\r\n` };
      store.set(argv[1], argv[2]);
      return { reply: '+OK\r\n' };
    case 'get':
      return arity(2) ?? { reply: bulk(store.get(argv[1])) };
    case 'del':
      if (argv.length < 2) return { reply: `-ERR wrong number of arguments for 'del' command\r\n` };
      return { reply: `:${argv.slice(1).filter((k) => store.delete(k)).length}\r\n` };
    case 'quit':
      return { reply: '+OK\r\n', close: true };
    case 'host:':
    case 'post':
      return { reply: '', close: true };
    default:
      return { reply: `-ERR unknown command '${argv[0] ?? ''}', with args beginning with: ${argv.slice(1).map((w) => `'${w}' `).join('')}\r\n` };
  }
}
