// One probe attempt, as pkg/kubelet/prober/prober.go runProbe and pkg/probe/{http,tcp,grpc,exec} do
// it: the result and the output the kubelet puts after "<Type> probe failed: ". 'error' is a probe
// that could not be run at all (a named port the container does not declare): the kubelet records
// "errored" and the worker throws the result away.
import { runExecProbe } from './exec.js';
import { isBusybox, servingOf, type Listener } from './serving.js';

export type Attempt = { result: 'success' | 'failure' | 'error'; output: string };

export interface AttemptFacts {
  spec: any;
  podIP: string;
  fileAt(path: string, sinceStartMs: number): boolean;
}

/** Go's time.Duration String for whole seconds: 1s, 1m0s, 1h0m0s. */
export function goSeconds(s: number): string {
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h) return `${h}h${m}m${sec}s`;
  if (m) return `${m}m${sec}s`;
  return `${sec}s`;
}

/** net.JoinHostPort */
const joinHostPort = (host: string, port: number) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

/** extractPort: a number, a named containerPort, or a number written as a string. */
export function extractPort(param: unknown, spec: any): { port: number } | { error: string } {
  let port: number;
  if (typeof param === 'number') port = param;
  else {
    const s = String(param ?? '');
    const named = (spec.ports ?? []).find((p: any) => p.name === s);
    if (named) port = Number(named.containerPort);
    else if (/^[+-]?\d+$/.test(s)) port = Number(s);
    else return { error: `strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax` };
  }
  if (port > 0 && port < 65536) return { port };
  return { error: `invalid port number: ${port}` };
}

/** The address a dial error names: the kubelet resolves localhost to the loopback address. */
const dialHost = (host: string) => (host === 'localhost' ? '127.0.0.1' : host);

function httpGet(p: any, f: AttemptFacts, t: number): Attempt {
  const h = p.httpGet;
  const scheme = String(h.scheme ?? 'HTTP').toLowerCase();
  const host = h.host || f.podIP;
  const ep = extractPort(h.port, f.spec);
  if ('error' in ep) return { result: 'error', output: ep.error };
  let path = String(h.path ?? '');
  if (path && !path.startsWith('/')) path = `/${path}`;
  const url = `${scheme}://${joinHostPort(host, ep.port)}${path}`;
  const l: Listener | undefined = servingOf(f.spec).listeners.get(ep.port);
  if (!l) return { result: 'failure', output: `Get "${url}": dial tcp ${joinHostPort(dialHost(host), ep.port)}: connect: connection refused` };
  if (l.proto === 'tcp') {
    if (scheme === 'https') return { result: 'failure', output: `Get "${url}": tls: first record does not look like a TLS handshake` };
    return {
      result: 'failure',
      output: l.rawReply ? `Get "${url}": net/http: HTTP/1.x transport connection broken: malformed HTTP response ${JSON.stringify(l.rawReply)}` : `Get "${url}": EOF`,
    };
  }
  if (l.proto !== 'app') {
    if (scheme === 'https' && !l.tls) return { result: 'failure', output: `Get "${url}": http: server gave HTTP response to HTTPS client` };
    // Go's TLS server answers a plain request "400 Client sent an HTTP request to an HTTPS server."
    if (scheme === 'http' && l.tls) return { result: 'failure', output: 'HTTP probe failed with statuscode: 400' };
  }
  const code = l.http ? l.http(path || '/', t) : 200;
  // DoHTTPProbe: 200 <= code < 400 succeeds (redirects are followed or end with a warning, both success)
  if (code >= 200 && code < 400) return { result: 'success', output: '' };
  return { result: 'failure', output: `HTTP probe failed with statuscode: ${code}` };
}

function tcpSocket(p: any, f: AttemptFacts): Attempt {
  const ep = extractPort(p.tcpSocket.port, f.spec);
  if ('error' in ep) return { result: 'error', output: ep.error };
  const host = p.tcpSocket.host || f.podIP;
  if (servingOf(f.spec).listeners.has(ep.port)) return { result: 'success', output: '' };
  return { result: 'failure', output: `dial tcp ${joinHostPort(dialHost(host), ep.port)}: connect: connection refused` };
}

function grpc(p: any, f: AttemptFacts): Attempt {
  const port = Number(p.grpc.port);
  const service = p.grpc.service ?? '';
  const addr = joinHostPort(f.podIP, port);
  const l = servingOf(f.spec).listeners.get(port);
  // grpc.DialContext with WithBlock retries a refused or non-gRPC peer until the probe's deadline
  if (!l || !l.grpc) {
    return { result: 'failure', output: `timeout: failed to connect service ${JSON.stringify(addr)} within ${goSeconds(p.timeoutSeconds ?? 1)}: context deadline exceeded` };
  }
  const answer = l.grpc(service);
  if (answer === 'SERVING') return { result: 'success', output: 'service healthy' };
  if (answer === 'NOT_FOUND') return { result: 'failure', output: 'error: health rpc probe failed: rpc error: code = NotFound desc = unknown service' };
  return { result: 'failure', output: `service unhealthy (responded with ${JSON.stringify(answer)})` };
}

/** One attempt of probe p at t ms since the container started. */
export function attempt(p: any, f: AttemptFacts, t: number): Attempt {
  if (p.httpGet) return httpGet(p, f, t);
  if (p.tcpSocket) return tcpSocket(p, f);
  if (p.grpc) return grpc(p, f);
  if (p.exec) {
    const r = runExecProbe(p.exec.command ?? [], {
      fileAt: (path) => f.fileAt(path, t),
      busybox: isBusybox(f.spec.image ?? ''),
      timeoutMs: (p.timeoutSeconds ?? 1) * 1000,
    });
    return { result: r.ok ? 'success' : 'failure', output: r.output };
  }
  return { result: 'error', output: `missing probe handler for ${f.spec.name}` };
}

/** Whether the probe's answer can depend on the container's files (only exec probes read them). */
export function readsFiles(p: any): boolean {
  return !!p.exec;
}
