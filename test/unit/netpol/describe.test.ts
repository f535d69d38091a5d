// `describe networkpolicy` and `get netpol`: ours against kubectl's own describer (real kubectl
// talking to a tiny apiserver that serves the same objects) and against known real outputs.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync, execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeNetworkPolicy } from '../../../src/printers/describe/networkpolicy.js';
import { printTable } from '../../../src/printers/table/index.js';
import { netpol } from './world.js';

const hasKubectl = spawnSync('kubectl', ['version', '--client']).status === 0;
const lookup = { now: Date.parse('2024-05-01T00:00:00Z'), list: () => [], events: () => null };
const created = '2024-04-30T10:00:00Z';

function stamp(np: any, labels?: Record<string, string>): any {
  np.metadata.creationTimestamp = created;
  if (labels) np.metadata.labels = labels;
  return np;
}

const POLICIES: any[] = [
  stamp(netpol('default-deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] })),
  stamp(netpol('default-deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] })),
  stamp(netpol('test-network-policy', {
    podSelector: { matchLabels: { role: 'db' } },
    policyTypes: ['Ingress', 'Egress'],
    ingress: [{
      from: [
        { ipBlock: { cidr: '172.17.0.0/16', except: ['172.17.1.0/24'] } },
        { namespaceSelector: { matchLabels: { project: 'myproject' } } },
        { podSelector: { matchLabels: { role: 'frontend' } } },
      ],
      ports: [{ protocol: 'TCP', port: 6379 }],
    }],
    egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/24' } }], ports: [{ protocol: 'TCP', port: 5978 }] }],
  }), { app: 'x', tier: 'db' }),
  stamp(netpol('access-nginx', { podSelector: { matchLabels: { app: 'nginx' } }, ingress: [{ from: [{ podSelector: { matchLabels: { access: 'true' } } }] }] })),
  stamp(netpol('mixed', {
    podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'api'] }, { key: 'canary', operator: 'DoesNotExist' }] },
    ingress: [
      { from: [{ namespaceSelector: {}, podSelector: { matchLabels: { role: 'frontend' } } }], ports: [{ port: 'http' }, { port: 8000, endPort: 8100 }, { protocol: 'UDP' }] },
      {},
    ],
    egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }], ports: [{ protocol: 'UDP', port: 53 }] }, { ports: [{ port: 443 }] }],
  })),
];

describe('describe networkpolicy', () => {
  it('prints the tutorial policy as kubectl does', () => {
    const out = describeNetworkPolicy(POLICIES[3], lookup);
    expect(out.replace(/^Created on:.*$/m, 'Created on:   X')).toBe(
      [
        'Name:         access-nginx',
        'Namespace:    default',
        'Created on:   X',
        'Labels:       <none>',
        'Annotations:  <none>',
        'Spec:',
        '  PodSelector:     app=nginx',
        '  Allowing ingress traffic:',
        '    To Port: <any> (traffic allowed to all ports)',
        '    From:',
        '      PodSelector: access=true',
        '  Not affecting egress traffic',
        '  Policy Types: Ingress',
        '',
      ].join('\n'),
    );
  });

  it('default deny of both directions', () => {
    expect(describeNetworkPolicy(POLICIES[1], lookup)).toContain(
      [
        'Spec:',
        '  PodSelector:     <none> (Allowing the specific traffic to all pods in this namespace)',
        '  Allowing ingress traffic:',
        '    <none> (Selected pods are isolated for ingress connectivity)',
        '  Allowing egress traffic:',
        '    <none> (Selected pods are isolated for egress connectivity)',
        '  Policy Types: Ingress, Egress',
      ].join('\n'),
    );
  });
});

describe('get netpol', () => {
  it('NAME, POD-SELECTOR, AGE', () => {
    const now = Date.parse(created) + 26_000;
    expect(printTable('NetworkPolicy', POLICIES.slice(0, 2), { now }).split('\n').slice(0, 3)).toEqual([
      'NAME                   POD-SELECTOR   AGE',
      'default-deny-ingress   <none>         26s',
      'default-deny-all       <none>         26s',
    ]);
    const out = printTable('NetworkPolicy', POLICIES, { now });
    expect(out).toMatch(/^access-nginx +app=nginx +26s$/m);
    expect(out).toMatch(/^mixed +!canary,tier in \(api,web\) +26s$/m);
  });
});

function startServer(objs: any[]): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const p = new URL(req.url ?? '/', 'http://x').pathname;
    const send = (c: number, b: unknown) => {
      res.writeHead(c, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(b));
    };
    if (p === '/api') return send(200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] });
    if (p === '/api/v1') return send(200, { kind: 'APIResourceList', groupVersion: 'v1', resources: [] });
    if (p === '/apis') {
      const gv = { groupVersion: 'networking.k8s.io/v1', version: 'v1' };
      return send(200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [{ name: 'networking.k8s.io', versions: [gv], preferredVersion: gv }] });
    }
    if (p === '/apis/networking.k8s.io/v1') {
      return send(200, { kind: 'APIResourceList', groupVersion: 'networking.k8s.io/v1', resources: [{ name: 'networkpolicies', singularName: 'networkpolicy', namespaced: true, kind: 'NetworkPolicy', verbs: ['get', 'list'], shortNames: ['netpol'] }] });
    }
    const m = /^\/apis\/networking\.k8s\.io\/v1\/namespaces\/default\/networkpolicies\/([^/]+)$/.exec(p);
    const o = m && objs.find((x) => x.metadata.name === m[1]);
    if (o) return send(200, o);
    return send(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'not found' });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server })));
}

describe.skipIf(!hasKubectl)('describe networkpolicy matches real kubectl (needs kubectl)', () => {
  let srv: { url: string; server: Server } | undefined;
  beforeAll(async () => {
    srv = await startServer(POLICIES);
  });
  afterAll(async () => {
    await new Promise<void>((r) => (srv ? srv.server.close(() => r()) : r()));
  });

  it.each(POLICIES.map((p) => [p.metadata.name, p]))('%s', async (name, np) => {
    const real = await new Promise<string>((resolve, reject) => {
      execFile('kubectl', ['--server', srv!.url, '--kubeconfig', '/dev/null', '-n', 'default', 'describe', 'networkpolicy', name], { env: { ...process.env, KUBECONFIG: '/dev/null', HOME: '/tmp' }, timeout: 30_000 }, (err, stdout, stderr) =>
        err ? reject(new Error(String(stderr))) : resolve(String(stdout)),
      );
    });
    expect(describeNetworkPolicy(np, lookup)).toBe(real);
  });
});
