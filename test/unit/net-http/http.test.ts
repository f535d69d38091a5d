// What simulated containers answer on the network: listener() and httpAnswer().
import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../src/apiserver/types.js';
import { answerBytes, httpAnswer, listener, nginxVersion, redisReply } from '../../../src/kubelet/net/http.js';
import type { HttpAnswer, HttpRequest } from '../../../src/kubelet/net/types.js';
import { servingOf } from '../../../src/kubelet/probes/serving.js';

const STARTED = Date.parse('2026-01-01T10:00:00Z');

function pod(containers: any[], opts: { phase?: string; state?: 'running' | 'waiting' | 'terminated'; name?: string; initContainers?: any[] } = {}): KObject {
  const state = opts.state ?? 'running';
  const st = (c: any) => ({
    name: c.name,
    ready: state === 'running',
    restartCount: 0,
    image: c.image,
    state: state === 'running' ? { running: { startedAt: new Date(STARTED).toISOString() } } : state === 'waiting' ? { waiting: { reason: 'ContainerCreating' } } : { terminated: { exitCode: 1, reason: 'Error' } },
  });
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: opts.name ?? 'my-app-5d4f8c7b9-x2kqz', namespace: 'default', uid: 'u-1' },
    spec: { containers, initContainers: opts.initContainers, nodeName: 'kind-worker' },
    status: { phase: opts.phase ?? 'Running', podIP: '10.244.1.5', containerStatuses: containers.map(st), initContainerStatuses: (opts.initContainers ?? []).map(st) },
  } as KObject;
}

const get = (path: string, headers: Record<string, string> = {}): HttpRequest => ({ method: 'GET', path, host: 'localhost:8080', headers: { Host: 'localhost:8080', 'User-Agent': 'curl/8.5.0', Accept: '*/*', ...headers } });
const http = (a: HttpAnswer) => {
  if (a.kind !== 'http') throw new Error(`expected an HTTP answer, got ${a.kind}`);
  return a;
};
const header = (a: HttpAnswer, name: string) => http(a).headers.find(([k]) => k === name)?.[1];
const NOW = STARTED + 5_000;

describe('listener', () => {
  const nginx = pod([{ name: 'web', image: 'nginx:1.27' }]);

  it('finds the container that listens on a known image port', () => {
    expect(listener(nginx, 80, 'TCP', NOW)).toEqual({ container: 'web', kind: 'http' });
    expect(listener(nginx, 81, 'TCP', NOW)).toBeUndefined();
    expect(listener(nginx, 80, 'UDP', NOW)).toBeUndefined();
  });

  it('a container that is not running listens nowhere', () => {
    expect(listener(pod([{ name: 'web', image: 'nginx:1.27' }], { state: 'waiting', phase: 'Pending' }), 80, 'TCP', NOW)).toBeUndefined();
    expect(listener(pod([{ name: 'web', image: 'nginx:1.27' }], { state: 'terminated', phase: 'Running' }), 80, 'TCP', NOW)).toBeUndefined();
    expect(listener(pod([{ name: 'web', image: 'nginx:1.27' }], { phase: 'Pending' }), 80, 'TCP', NOW)).toBeUndefined();
    // not yet started at that moment
    expect(listener(nginx, 80, 'TCP', STARTED - 1)).toBeUndefined();
  });

  it('knows the servers of the usual images', () => {
    expect(listener(pod([{ name: 'r', image: 'redis:7' }]), 6379, 'TCP', NOW)).toEqual({ container: 'r', kind: 'tcp' });
    expect(listener(pod([{ name: 'm', image: 'memcached:1.6' }]), 11211, 'TCP', NOW)?.kind).toBe('tcp');
    const dns = pod([{ name: 'coredns', image: 'registry.k8s.io/coredns/coredns:v1.11.3' }]);
    expect(listener(dns, 53, 'UDP', NOW)?.kind).toBe('udp');
    expect(listener(dns, 53, 'TCP', NOW)?.kind).toBe('tcp');
    expect(listener(dns, 8181, 'TCP', NOW)?.kind).toBe('http');
    expect(listener(pod([{ name: 'e', image: 'hashicorp/http-echo', args: ['-listen=:8080', '-text=hi'] }]), 8080, 'TCP', NOW)?.kind).toBe('http');
    expect(listener(pod([{ name: 'e', image: 'hashicorp/http-echo', args: ['-text=hi'] }]), 5678, 'TCP', NOW)?.kind).toBe('http');
    expect(listener(pod([{ name: 'py', image: 'python:3.12', command: ['sh', '-c', 'cd /srv && python3 -m http.server 9000'] }]), 9000, 'TCP', NOW)?.kind).toBe('http');
    expect(listener(pod([{ name: 'n', image: 'node:20', command: ['node', 'server.js'], env: [{ name: 'PORT', value: '3000' }] }]), 3000, 'TCP', NOW)?.kind).toBe('http');
    const netexec = pod([{ name: 'n', image: 'registry.k8s.io/e2e-test-images/agnhost:2.52', args: ['netexec', '--http-port=8080'] }]);
    expect(listener(netexec, 8080, 'TCP', NOW)?.kind).toBe('http');
    expect(listener(netexec, 8081, 'UDP', NOW)?.kind).toBe('udp');
  });

  it('an unknown image listens on its declared ports only', () => {
    expect(listener(pod([{ name: 'app', image: 'your-image:latest', ports: [{ containerPort: 8000 }] }]), 8000, 'TCP', NOW)).toEqual({ container: 'app', kind: 'http' });
    expect(listener(pod([{ name: 'app', image: 'your-image:latest' }]), 8000, 'TCP', NOW)).toBeUndefined();
    // a shell waiting forever listens on nothing, whatever it declares
    expect(listener(pod([{ name: 'b', image: 'busybox', command: ['sleep', '3600'] }]), 80, 'TCP', NOW)).toBeUndefined();
  });

  it('finds a sidecar (restartable init container) beside the main container', () => {
    const p = pod([{ name: 'main', image: 'busybox', command: ['sleep', '3600'] }], { initContainers: [{ name: 'proxy', image: 'nginx:1.27', restartPolicy: 'Always' }] });
    expect(listener(p, 80, 'TCP', NOW)).toEqual({ container: 'proxy', kind: 'http' });
  });
});

describe('httpAnswer: nginx', () => {
  const p = pod([{ name: 'web', image: 'nginx:1.27.4' }]);

  it('serves the welcome page of the image, byte for byte, with nginx headers', () => {
    const a = http(httpAnswer(p, 'web', 80, get('/'), NOW));
    expect(a.status).toBe(200);
    expect(a.body.startsWith('<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n<style>\nhtml { color-scheme: light dark; }\n')).toBe(true);
    expect(a.body.endsWith('<p><em>Thank you for using nginx.</em></p>\n</body>\n</html>\n')).toBe(true);
    expect(Buffer.byteLength(a.body)).toBe(615);
    expect(a.headers).toEqual([
      ['Server', 'nginx/1.27.4'],
      ['Date', 'Thu, 01 Jan 2026 10:00:05 GMT'],
      ['Content-Type', 'text/html'],
      ['Content-Length', '615'],
      ['Last-Modified', 'Wed, 05 Feb 2025 11:06:32 GMT'],
      ['Connection', 'keep-alive'],
      ['ETag', '"67a34638-267"'],
      ['Accept-Ranges', 'bytes'],
    ]);
  });

  it('answers 404 with its built-in page (CRLF, version in the tail)', () => {
    const a = http(httpAnswer(p, 'web', 80, get('/missing'), NOW));
    expect(a.status).toBe(404);
    expect(a.body).toBe('<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.27.4</center>\r\n</body>\r\n</html>\r\n');
    expect(header(a, 'Content-Length')).toBe('153');
    expect(header(a, 'ETag')).toBeUndefined();
  });

  it('HEAD has the headers without the body; POST is 405 Not Allowed', () => {
    const h = http(httpAnswer(p, 'web', 80, { ...get('/'), method: 'HEAD' }, NOW));
    expect(h.body).toBe('');
    expect(header(h, 'Content-Length')).toBe('615');
    const post = http(httpAnswer(p, 'web', 80, { ...get('/index.html'), method: 'POST' }, NOW));
    expect(post.status).toBe(405);
    expect(header(post, 'Content-Length')).toBe('157');
  });

  it('the version follows the image tag', () => {
    expect(nginxVersion('nginx:1.27').version).toBe('1.27.5');
    expect(nginxVersion('nginx:1.25.3').version).toBe('1.25.3');
    expect(nginxVersion('nginx').version).toBe('1.29.4');
    expect(nginxVersion('nginx:1.27-alpine').version).toBe('1.27.5');
    // before 1.21 the page had no color-scheme rule: 612 bytes
    const old = http(httpAnswer(pod([{ name: 'web', image: 'nginx:1.14.2' }]), 'web', 80, get('/'), NOW));
    expect(Buffer.byteLength(old.body)).toBe(612);
    expect(header(old, 'Server')).toBe('nginx/1.14.2');
  });

  it('is written on the wire as an HTTP/1.1 response', () => {
    const wire = answerBytes(httpAnswer(p, 'web', 80, get('/nope'), NOW));
    expect(wire.startsWith('HTTP/1.1 404 Not Found\r\nServer: nginx/1.27.4\r\nDate: Thu, 01 Jan 2026 10:00:05 GMT\r\nContent-Type: text/html\r\nContent-Length: 153\r\nConnection: keep-alive\r\n\r\n<html>')).toBe(true);
  });
});

describe('httpAnswer: other known images', () => {
  it('httpd says It works!', () => {
    const a = http(httpAnswer(pod([{ name: 'h', image: 'httpd:2.4' }]), 'h', 80, get('/'), NOW));
    expect(a.body).toBe('<html><body><h1>It works!</h1></body></html>\n');
    expect(header(a, 'ETag')).toBe('"2d-432a5e4a73a80"');
  });

  it('agnhost netexec: hostname, echo, clientip, healthz, shell', () => {
    const p = pod([{ name: 'n', image: 'registry.k8s.io/e2e-test-images/agnhost:2.52', args: ['netexec', '--http-port=8080'] }], { name: 'netexec-7c9f' });
    expect(http(httpAnswer(p, 'n', 8080, get('/hostname'), NOW)).body).toBe('netexec-7c9f');
    expect(http(httpAnswer(p, 'n', 8080, get('/echo?msg=hello%20there'), NOW)).body).toBe('hello there');
    const code = http(httpAnswer(p, 'n', 8080, get('/echo?msg=x&code=503'), NOW));
    expect([code.status, code.reason]).toEqual([503, 'Service Unavailable']);
    expect(http(httpAnswer(p, 'n', 8080, get('/clientip'), NOW, { ip: '10.244.2.7', port: 51234 })).body).toBe('10.244.2.7:51234');
    const health = http(httpAnswer(p, 'n', 8080, get('/healthz'), NOW));
    expect([health.status, health.body, header(health, 'Content-Length')]).toEqual([200, '', '0']);
    expect(http(httpAnswer(p, 'n', 8080, get('/shell?cmd=echo%20hi'), NOW)).body).toBe('{"output":"hi\\n"}');
    expect(http(httpAnswer(p, 'n', 8080, get('/'), NOW)).body).toMatch(/^NOW: 2026-01-01 10:00:05 \+0000 UTC m=\+5\.000000000$/);
  });

  it('agnhost liveness agrees with the probes: 200 "ok" for 10 s, then 500', () => {
    const spec = { name: 'l', image: 'registry.k8s.io/e2e-test-images/agnhost:2.40', args: ['liveness'] };
    const p = pod([spec]);
    const early = http(httpAnswer(p, 'l', 8080, get('/healthz'), STARTED + 3_000));
    expect([early.status, early.body]).toEqual([200, 'ok']);
    const late = http(httpAnswer(p, 'l', 8080, get('/healthz'), STARTED + 12_500));
    expect([late.status, late.body]).toEqual([500, 'error: 12.5']);
    const model = servingOf(spec).listeners.get(8080)!;
    expect(model.http!('/healthz', 3_000)).toBe(early.status);
    expect(model.http!('/healthz', 12_500)).toBe(late.status);
  });

  it('serve-hostname, http-echo and the guestbook frontend', () => {
    expect(http(httpAnswer(pod([{ name: 's', image: 'registry.k8s.io/e2e-test-images/agnhost:2.52', args: ['serve-hostname'] }], { name: 'hostnames-abc' }), 's', 9376, get('/'), NOW)).body).toBe('hostnames-abc');
    const echo = http(httpAnswer(pod([{ name: 'e', image: 'hashicorp/http-echo', args: ['-text=apple'] }]), 'e', 5678, get('/'), NOW));
    expect(echo.body).toBe('apple\n');
    expect(echo.headers.map(([k]) => k)).toEqual(['X-App-Name', 'X-App-Version', 'Date', 'Content-Length', 'Content-Type']);
    const gb = http(httpAnswer(pod([{ name: 'php-redis', image: 'us-docker.pkg.dev/google-samples/containers/gke/gb-frontend:v5', ports: [{ containerPort: 80 }] }]), 'php-redis', 80, get('/'), NOW));
    expect(gb.body).toContain('<h2>Guestbook</h2>');
    expect(gb.body.startsWith('<html ng-app="redis">')).toBe(true);
  });

  it('redis answers an HTTP request as redis does: -ERR for GET, hang-up for POST', () => {
    const p = pod([{ name: 'r', image: 'redis:7' }]);
    expect(httpAnswer(p, 'r', 6379, get('/'), NOW)).toEqual({ kind: 'raw', text: "-ERR wrong number of arguments for 'get' command\r\n" });
    expect(httpAnswer(p, 'r', 6379, { ...get('/'), method: 'POST' }, NOW)).toEqual({ kind: 'close' });
    const store = new Map<string, string>();
    expect(redisReply(['PING'], store).reply).toBe('+PONG\r\n');
    expect(redisReply(['SET', 'k', 'v'], store).reply).toBe('+OK\r\n');
    expect(redisReply(['GET', 'k'], store).reply).toBe('$1\r\nv\r\n');
  });

  it('any other image answers one line naming the pod, the image and the port', () => {
    const p = pod([{ name: 'app', image: 'your-image:latest', ports: [{ containerPort: 8000 }] }]);
    const a = http(httpAnswer(p, 'app', 8000, get('/anything'), NOW));
    expect(a.status).toBe(200);
    expect(a.body).toBe('Hello from my-app-5d4f8c7b9-x2kqz (your-image:latest) on port 8000\n');
    expect(header(a, 'Content-Length')).toBe(String(a.body.length));
  });
});
