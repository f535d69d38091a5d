// Golden tables: each file under test/golden/printers/ was checked line by line against the
// printers.go logic and kubectl's tabwriter settings. UPDATE_GOLDEN=1 rewrites them (then review the diff!).
import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { printTable, type PrintTableOptions } from '../../../src/printers/table/index.js';
import * as fx from './fixtures.js';

const dir = join(__dirname, '../../golden/printers');

function golden(name: string, actual: string): void {
  const file = join(dir, `${name}.txt`);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

const base: PrintTableOptions = { now: fx.NOW };

describe('golden kubectl get tables', () => {
  const cases: [string, string, any[], Partial<PrintTableOptions>][] = [
    ['deployment', 'Deployment', [fx.deployment], {}],
    ['deployment-wide', 'Deployment', [fx.deployment], { wide: true }],
    ['replicaset-wide', 'ReplicaSet', [fx.replicaSet], { wide: true }],
    ['pods', 'Pod', fx.pods, {}],
    ['pods-wide', 'Pod', fx.pods, { wide: true }],
    ['pods-status', 'Pod', fx.oddPods, {}],
    ['pods-status-wide', 'Pod', fx.oddPods, { wide: true }],
    ['pods-all-namespaces-labels', 'Pod', fx.pods, { withNamespace: true, showLabels: true }],
    ['pods-label-columns', 'Pod', [...fx.pods, fx.oddPods[0]], { labelColumns: ['app', 'example.com/pod-template-hash', 'pod-template-hash'] }],
    ['pods-kind-prefix-no-headers', 'Pod', fx.pods, { withKindPrefix: 'pod', noHeaders: true }],
    ['services', 'Service', fx.services, {}],
    ['services-wide', 'Service', fx.services, { wide: true }],
    ['endpoints', 'Endpoints', fx.endpoints, {}],
    ['nodes', 'Node', fx.nodes, {}],
    ['nodes-wide', 'Node', fx.nodes, { wide: true }],
    ['events', 'Event', fx.events, {}],
    ['events-wide', 'Event', fx.events, { wide: true }],
  ];
  it.each(cases)('%s', (name, kind, objs, opts) => {
    golden(name, printTable(kind, objs, { ...base, ...opts }));
  });
});
