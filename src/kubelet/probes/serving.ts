// What a running container answers on the network, as a probe sees it. Known images serve what the
// real images serve (nginx's 404 on unknown paths, agnhost liveness turning to 500 after 10 s,
// goproxy's 500 to a plain GET, etcd's gRPC health service); any other image is taken to be the
// user's application and answers on its declared containerPorts whatever the probe asks (HTTP 200 on
// every path, TCP accept, gRPC SERVING) — a tutorial's `my-app:1.0` with a probe is meant to pass.
import { lookupImage } from '../catalogue.js';
import { SHELLS } from '../process.js';

export type GrpcAnswer = 'SERVING' | 'NOT_SERVING' | 'NOT_FOUND';

export interface Listener {
  /** 'app' answers every protocol successfully; 'tcp' is a server that does not speak HTTP */
  proto: 'http' | 'grpc+http' | 'tcp' | 'app';
  /** an HTTPS server: a plain HTTP request gets a 400 */
  tls?: boolean;
  /** HTTP status for a GET of path (query included) at ms since the container started */
  http?: (path: string, sinceStartMs: number) => number;
  /** the gRPC health service's answer for a service name */
  grpc?: (service: string) => GrpcAnswer;
  /** the first line a non-HTTP server writes back to an HTTP request (Go reads it as a malformed response) */
  rawReply?: string;
}

export interface Serving {
  listeners: Map<number, Listener>;
  /** ms since start at which some answer changes (sorted); answers are constant between them */
  changes: number[];
}

/** images whose userland is busybox (their tools print busybox's messages) */
export function isBusybox(image: string): boolean {
  const info = lookupImage(image);
  const repo = info.repository;
  return /(^|\/)(busybox|alpine)$/.test(repo) || repo.endsWith('/curlimages/curl') || /alpine/.test(info.tag);
}

/** Go's http.ServeMux answers 404 for a path nothing handles. */
const pathOnly = (p: string) => p.split('?')[0] || '/';
const routes = (ok: string[], otherwise = 404) => (p: string) => (ok.includes(pathOnly(p)) ? 200 : otherwise);
const always = (code: number) => () => code;

/** a Go or getopt flag's value: -name value, --name value, -name=value, --name=value */
export function flag(argv: string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === `--${name}` || a === `-${name}`) return argv[i + 1];
    if (a.startsWith(`--${name}=`)) return a.slice(name.length + 3);
    if (a.startsWith(`-${name}=`)) return a.slice(name.length + 2);
  }
  return undefined;
}

function declaredPorts(spec: any): number[] {
  return (spec.ports ?? [])
    .filter((p: any) => (p.protocol ?? 'TCP') === 'TCP' && Number.isInteger(p.containerPort))
    .map((p: any) => p.containerPort as number);
}

/** agnhost's subcommands that serve something (test/images/agnhost). */
function agnhost(argv: string[], l: Map<number, Listener>, changes: number[]): boolean {
  const sub = argv.find((a) => !a.startsWith('-') && !a.startsWith('/'));
  switch (sub) {
    case 'liveness':
      // liveness/server.go: /healthz answers 200 while time.Since(started) <= 10 s, then 500
      l.set(8080, {
        proto: 'http',
        http: (p, t) => {
          const path = pathOnly(p);
          if (path === '/healthz') return t > 10_000 ? 500 : 200;
          if (path === '/started') return 200;
          if (path === '/redirect') return 302;
          return 404;
        },
      });
      changes.push(10_000);
      return true;
    case 'netexec': {
      // netexec.go: "/" handles every path; /echo?code=N answers N
      const port = Number(flag(argv, 'http-port') ?? 8080);
      l.set(port, {
        proto: 'http',
        tls: !!flag(argv, 'tls-cert-file'),
        http: (p) => {
          if (pathOnly(p) === '/echo') {
            const code = /[?&]code=(\d{3})/.exec(p);
            if (code) return Number(code[1]);
          }
          return pathOnly(p) === '/redirect' ? 302 : 200;
        },
      });
      return true;
    }
    case 'serve-hostname':
      l.set(Number(flag(argv, 'port') ?? 9376), { proto: 'http', http: always(200) });
      return true;
    case 'test-webserver':
      l.set(Number(flag(argv, 'port') ?? 80), { proto: 'http', http: routes(['/']) });
      return true;
    case 'pause':
      return true;
    default:
      return false;
  }
}

/** The main program of a container with a command override, when it is a shell or one-shot tool. */
function overriddenBy(spec: any): string | undefined {
  if (!spec.command?.length) return undefined;
  return String(spec.command[0]).split('/').pop();
}

/**
 * A shell image, or a command that is a shell or a one-shot tool, running no known server: only
 * what its script starts (busybox httpd, nc -l) listens.
 */
export function runsAShellScript(spec: any): boolean {
  const program = overriddenBy(spec);
  const text = [...(spec.command ?? []), ...(spec.args ?? [])].map(String).join(' ');
  const shellRun = lookupImage(spec.image ?? '').shell || (program !== undefined && (SHELLS.has(program) || ['sleep', 'echo', 'cat', 'tail', 'true', 'false'].includes(program)));
  return !!shellRun && !/\b(nginx|httpd|redis-server|etcd|agnhost|netexec)\b/.test(text);
}

function build(spec: any): Serving {
  const l = new Map<number, Listener>();
  const changes: number[] = [];
  const image: string = spec.image ?? '';
  const info = lookupImage(image);
  const repo = info.repository;
  const argv: string[] = [...(spec.command ?? []), ...(spec.args ?? [])].map(String);
  const text = argv.join(' ');
  const app: Listener = { proto: 'app', http: always(200), grpc: () => 'SERVING' };

  if (runsAShellScript(spec)) {
    // busybox's `httpd -p PORT` and `nc -l -p PORT` are the servers tutorials start from a shell
    const httpd = /\bhttpd\b[^;&|]*?-p\s*(?:[\d.]+:)?(\d+)/.exec(text);
    if (/\bhttpd\b/.test(text)) l.set(httpd ? Number(httpd[1]) : 80, { proto: 'http', http: always(200) });
    const nc = /\bnc\b[^;&|]*?-l[^;&|]*?(?:-p\s*)?(\d+)/.exec(text);
    if (nc) l.set(Number(nc[1]), { proto: 'tcp' });
    return { listeners: l, changes };
  }

  if (/(^|\/)(nginx|nginx-slim)$/.test(repo) || /\bnginx\b/.test(text)) {
    l.set(80, { proto: 'http', http: routes(['/', '/index.html', '/50x.html']) });
  } else if (/(^|\/)httpd$/.test(repo)) {
    l.set(80, { proto: 'http', http: routes(['/', '/index.html']) });
  } else if (/(^|\/)redis$/.test(repo) || repo.endsWith('gb-redis-follower')) {
    l.set(6379, { proto: 'tcp', rawReply: "-ERR wrong number of arguments for 'get' command" });
  } else if (/(^|\/)mysql$/.test(repo)) {
    l.set(3306, { proto: 'tcp' });
    l.set(33060, { proto: 'tcp' });
  } else if (/(^|\/)postgres$/.test(repo)) {
    l.set(5432, { proto: 'tcp' });
  } else if (repo.endsWith('/e2e-test-images/agnhost')) {
    if (!agnhost(argv, l, changes)) for (const p of declaredPorts(spec)) l.set(p, app);
  } else if (repo === 'registry.k8s.io/goproxy') {
    // an HTTP proxy: a request that is not a proxy request gets goproxy's NonproxyHandler (500)
    l.set(8080, { proto: 'http', http: always(500) });
  } else if (repo === 'registry.k8s.io/etcd') {
    // client port: gRPC (with the health service, "" SERVING) and HTTP /health multiplexed; metrics port
    l.set(2379, { proto: 'grpc+http', grpc: (s) => (s === '' ? 'SERVING' : 'NOT_FOUND'), http: routes(['/health', '/livez', '/readyz', '/version', '/metrics']) });
    l.set(2380, { proto: 'tcp' });
    l.set(2381, { proto: 'http', http: routes(['/health', '/livez', '/readyz', '/metrics']) });
  } else if (repo === 'registry.k8s.io/kube-apiserver') {
    // anonymous requests may read the health endpoints only (system:public-info-viewer)
    l.set(6443, { proto: 'http', tls: true, http: routes(['/livez', '/readyz', '/healthz', '/version'], 403) });
  } else if (repo === 'registry.k8s.io/kube-controller-manager') {
    l.set(10257, { proto: 'http', tls: true, http: routes(['/healthz'], 403) });
  } else if (repo === 'registry.k8s.io/kube-scheduler') {
    l.set(10259, { proto: 'http', tls: true, http: routes(['/livez', '/readyz', '/healthz'], 403) });
  } else if (repo === 'registry.k8s.io/kube-proxy') {
    l.set(10256, { proto: 'http', http: routes(['/healthz', '/livez']) });
    l.set(10249, { proto: 'http', http: routes(['/metrics', '/healthz']) });
  } else if (repo === 'registry.k8s.io/coredns/coredns') {
    l.set(53, { proto: 'tcp' });
    l.set(8080, { proto: 'http', http: routes(['/health']) });
    l.set(8181, { proto: 'http', http: routes(['/ready']) });
    l.set(9153, { proto: 'http', http: routes(['/metrics']) });
  } else if (repo === 'registry.k8s.io/pause' || repo === 'k8s.gcr.io/pause') {
    // pause listens on nothing
  } else {
    // the user's application (or a known image with nothing special): its ports and the catalogue's
    for (const p of [...info.ports, ...declaredPorts(spec)]) l.set(p, app);
  }
  return { listeners: l, changes };
}

const cache = new Map<string, Serving>();
const bySpec = new WeakMap<object, Serving>();

/** The serving model of a container spec (memoised: probes ask for it on every tick). */
export function servingOf(spec: any): Serving {
  const hit = bySpec.get(spec);
  if (hit) return hit;
  const key = JSON.stringify([spec.image, spec.command, spec.args, spec.ports]);
  let s = cache.get(key);
  if (!s) {
    if (cache.size > 5000) cache.clear();
    s = build(spec);
    cache.set(key, s);
  }
  bySpec.set(spec, s);
  return s;
}
