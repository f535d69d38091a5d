// Real kubectl against a fake apiserver: the client-side half of `kubectl get` must match ours.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { startFakeApiServer, kubectl, type FakeApiServer } from './fake-apiserver.js';
import { printTable } from '../../../src/printers/table/index.js';
import { customColumns } from '../../../src/printers/custom-columns.js';
import { sortObjects } from '../../../src/printers/sort.js';
import { jsonpath } from '../../../src/printers/jsonpath.js';
import * as fx from './fixtures.js';

const hasKubectl = spawnSync('kubectl', ['version', '--client']).status === 0;

// kubectl expects kind/apiVersion on list items it prints
const withType = (kind: string, objs: any[]) => objs.map((o) => ({ apiVersion: 'v1', kind, ...o }));
const pods = withType('Pod', [...fx.pods, ...fx.oddPods]);
const services = withType('Service', fx.services);

describe.skipIf(!hasKubectl)('kubectl get layout matches real kubectl (needs kubectl)', () => {
  let srv: FakeApiServer;
  beforeAll(async () => {
    srv = await startFakeApiServer(
      [
        { name: 'pods', kind: 'Pod', namespaced: true, objects: pods },
        { name: 'services', kind: 'Service', namespaced: true, objects: services },
        { name: 'configmaps', kind: 'ConfigMap', namespaced: true, objects: [] },
        { name: 'nodes', kind: 'Node', namespaced: false, objects: withType('Node', fx.nodes) },
        { name: 'events', kind: 'Event', namespaced: true, objects: withType('Event', fx.events) },
        { name: 'endpoints', kind: 'Endpoints', namespaced: true, objects: withType('Endpoints', fx.endpoints) },
      ],
      fx.NOW,
    );
  });
  afterAll(async () => srv?.close());

  const now = fx.NOW;
  it.each<[string, string[], () => string]>([
    ['get pods', ['get', 'pods'], () => printTable('Pod', pods, { now })],
    ['get pods -o wide', ['get', 'pods', '-o', 'wide'], () => printTable('Pod', pods, { now, wide: true })],
    ['get pods -A --show-labels', ['get', 'pods', '-A', '--show-labels'], () => printTable('Pod', pods, { now, withNamespace: true, showLabels: true })],
    ['get pods -L app -L x/pod-template-hash', ['get', 'pods', '-L', 'app', '-L', 'x/pod-template-hash'], () => printTable('Pod', pods, { now, labelColumns: ['app', 'x/pod-template-hash'] })],
    ['get pods --no-headers', ['get', 'pods', '--no-headers'], () => printTable('Pod', pods, { now, noHeaders: true })],
    ['get svc -o wide', ['get', 'services', '-o', 'wide'], () => printTable('Service', services, { now, wide: true })],
    ['get nodes -o wide', ['get', 'nodes', '-o', 'wide'], () => printTable('Node', fx.nodes, { now, wide: true })],
    ['get events', ['get', 'events'], () => printTable('Event', fx.events, { now })],
    ['get events -o wide', ['get', 'events', '-o', 'wide'], () => printTable('Event', fx.events, { now, wide: true })],
    ['get endpoints', ['get', 'endpoints'], () => printTable('Endpoints', fx.endpoints, { now })],
    [
      'get pods,services (kind prefixes, blank line between tables)',
      ['get', 'pods,services'],
      () => printTable('Pod', pods, { now, withKindPrefix: 'pod' }) + '\n' + printTable('Service', services, { now, withKindPrefix: 'service' }),
    ],
    [
      'get pods --sort-by=.metadata.creationTimestamp',
      ['get', 'pods', '--sort-by=.metadata.creationTimestamp'],
      () => printTable('Pod', sortObjects(pods, '.metadata.creationTimestamp', { table: true }), { now }),
    ],
    [
      'get pods --sort-by=.status.podIP',
      ['get', 'pods', '--sort-by={.status.podIP}'],
      () => printTable('Pod', sortObjects(pods, '{.status.podIP}', { table: true }), { now }),
    ],
    [
      'get pods --sort-by=restartCount (some pods lack it)',
      ['get', 'pods', '--sort-by=.status.containerStatuses[0].restartCount'],
      () => printTable('Pod', sortObjects(pods, '.status.containerStatuses[0].restartCount', { table: true }), { now }),
    ],
    [
      'get svc --sort-by=.spec.ports[0].port -o name',
      ['get', 'services', '--sort-by=.spec.ports[0].port', '-o', 'name'],
      () => sortObjects(services, '.spec.ports[0].port').map((s: any) => `service/${s.metadata.name}\n`).join(''),
    ],
    [
      'custom-columns',
      ['get', 'pods', '-o', 'custom-columns=NAME:.metadata.name,IMAGES:.spec.containers[*].image,PORTS:.spec.containers[0].ports,PHASE:status.phase,GATES:.spec.readinessGates'],
      () => customColumns('NAME:.metadata.name,IMAGES:.spec.containers[*].image,PORTS:.spec.containers[0].ports,PHASE:status.phase,GATES:.spec.readinessGates', pods),
    ],
    [
      'custom-columns sorted by restarts',
      ['get', 'pods', '--sort-by=.status.containerStatuses[0].restartCount', '-o', 'custom-columns=N:.metadata.name,R:.status.containerStatuses[*].restartCount'],
      () => customColumns('N:.metadata.name,R:.status.containerStatuses[*].restartCount', sortObjects(pods, '.status.containerStatuses[0].restartCount')),
    ],
    ['custom-columns on an empty list prints the header', ['get', 'configmaps', '-o', 'custom-columns=N:.metadata.name,IP:.x'], () => customColumns('N:.metadata.name,IP:.x', [])],
    [
      'jsonpath over a list',
      ['get', 'pods', '-o', 'jsonpath={range .items[*]}{.metadata.name}{"\\t"}{.status.phase}{"\\n"}{end}'],
      () => jsonpath('{range .items[*]}{.metadata.name}{"\\t"}{.status.phase}{"\\n"}{end}', { apiVersion: 'v1', kind: 'List', items: pods, metadata: { resourceVersion: '' } }, { allowMissingKeys: true }),
    ],
  ])('%s', async (_name, args, expected) => {
    const r = await kubectl(srv, args);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(expected());
  });

  it('sort-by on a field no object has: tables come out empty', async () => {
    const r = await kubectl(srv, ['get', 'pods', '--sort-by=.spec.nope']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(sortObjects(pods, '.spec.nope', { table: true })).toEqual([]);
    expect(r.stderr).toBe('No resources found in default namespace.\n');
  });

  it('sort-by on a field no object has: object output fails', async () => {
    const r = await kubectl(srv, ['get', 'pods', '--sort-by=.spec.nope', '-o', 'name']);
    expect(r.code).not.toBe(0);
    let mine = '';
    try {
      sortObjects(pods, '.spec.nope');
    } catch (e) {
      mine = (e as Error).message;
    }
    expect(r.stderr).toBe(`${mine}\n`);
  });

  it.each([
    ['custom-columns=NAME', () => customColumns('NAME', pods)],
    ['custom-columns=', () => customColumns('', pods)],
    ['jsonpath={.items[0].metadata.name', () => jsonpath('{.items[0].metadata.name', {}, { allowMissingKeys: true })],
  ])('error text for -o %s', async (output, mine) => {
    const r = await kubectl(srv, ['get', 'pods', '-o', output]);
    expect(r.code).not.toBe(0);
    let msg = '';
    try {
      mine();
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(r.stderr).toBe(`${msg}\n`);
  });

  it('string, quantity and name ordering', async () => {
    const mk = (name: string, q: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { q } });
    const objs = [mk('web-9', '1Gi'), mk('web-10', '500Mi'), mk('api', '2'), mk('web-1', '100m')];
    const s2 = await startFakeApiServer([{ name: 'pods', kind: 'Pod', namespaced: true, objects: objs }], now);
    try {
      for (const by of ['.metadata.name', '.spec.q']) {
        const r = await kubectl(s2, ['get', 'pods', `--sort-by=${by}`, '-o', 'name']);
        expect(r.stdout).toBe(sortObjects(objs, by).map((o) => `pod/${o.metadata.name}\n`).join(''));
      }
    } finally {
      await s2.close();
    }
  });

  it('empty list message', async () => {
    const r = await kubectl(srv, ['get', 'configmaps']);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('No resources found in default namespace.\n');
  });
});
