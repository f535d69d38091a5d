// A tiny read-only apiserver on 127.0.0.1 that real kubectl can talk to, so the client-side half of
// `kubectl get` (tabwriter layout, -A, -L, --show-labels, custom-columns, --sort-by) can be checked
// against the real binary. Tables it serves are built with our own per-kind printers.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { execFile } from 'node:child_process';
import { tableDefFor } from '../../../src/printers/table/index.js';

export interface FakeResource {
  name: string; // plural, e.g. pods
  kind: string;
  namespaced: boolean;
  objects: any[];
}

export interface FakeApiServer {
  url: string;
  now: number;
  close(): Promise<void>;
}

export async function startFakeApiServer(resources: FakeResource[], now: number): Promise<FakeApiServer> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (code: number, body: unknown) => {
      res.writeHead(code, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const p = url.pathname;
    if (p === '/api') return send(200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] });
    if (p === '/apis') return send(200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [] });
    if (p === '/api/v1') {
      return send(200, {
        kind: 'APIResourceList',
        groupVersion: 'v1',
        resources: resources.map((r) => ({ name: r.name, singularName: r.kind.toLowerCase(), namespaced: r.namespaced, kind: r.kind, verbs: ['get', 'list'] })),
      });
    }
    const m = /^\/api\/v1\/(?:namespaces\/([^/]+)\/)?([^/]+)$/.exec(p);
    const r = m && resources.find((x) => x.name === m[2]);
    if (!m || !r) return send(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'not found' });
    const objs = r.objects.filter((o) => !m[1] || o.metadata?.namespace === m[1]);
    if ((req.headers.accept ?? '').includes('as=Table')) {
      const def = tableDefFor(r.kind);
      return send(200, {
        kind: 'Table',
        apiVersion: 'meta.k8s.io/v1',
        metadata: { resourceVersion: '1' },
        columnDefinitions: def.columns.map((c) => ({ name: c.name, type: 'string', format: c.name === 'Name' ? 'name' : '', description: '', priority: c.priority ?? 0 })),
        rows: objs.map((o) => ({ cells: def.row(o, now), object: o })),
      });
    }
    return send(200, { kind: `${r.kind}List`, apiVersion: 'v1', metadata: { resourceVersion: '1' }, items: objs });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    now,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Runs kubectl against the fake server (asynchronously: the server lives in this process). */
export function kubectl(server: FakeApiServer, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'kubectl',
      ['--server', server.url, '--kubeconfig', '/dev/null', '-n', 'default', ...args],
      { env: { ...process.env, KUBECONFIG: '/dev/null', HOME: '/tmp' }, timeout: 30_000 },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as any).code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}
