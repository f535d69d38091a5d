// minikctl trace TYPE/NAME: which records concern an object and what it caused.
import { describe, expect, it } from 'vitest';
import { selectFor } from '../../../src/trace/select.js';
import type { TraceCommand } from '../../../src/trace/log.js';
import type { TraceRecord } from '../../../src/trace/trace.js';

const T = Date.parse('2026-01-01T00:00:00Z');
const api = (kind: string, name: string, extra: Partial<TraceRecord> = {}): TraceRecord => ({
  time: T, component: 'kube-apiserver', action: 'POST', object: `/x/${kind}`, code: 201, kind, ns: 'default', name, ...extra,
});
const said = (component: string, object: string, detail?: string): TraceRecord => ({ time: T, component, action: 'did', object, detail });

const log: TraceCommand[] = [
  {
    cmd: 'apply -f my-app.yaml', at: T, records: [
      api('Deployment', 'my-app', { by: 'kubectl' }),
      api('ReplicaSet', 'my-app-5d4f8c7b9', { owners: ['Deployment/my-app'] }),
      said('replicaset-controller', 'replicaset/my-app-5d4f8c7b9', 'creating 2'),
      api('Pod', 'my-app-5d4f8c7b9-abcde', { owners: ['ReplicaSet/my-app-5d4f8c7b9'] }),
      api('Pod', 'my-app-5d4f8c7b9-fghjk', { owners: ['ReplicaSet/my-app-5d4f8c7b9'] }),
      said('kube-scheduler', 'pod/default/my-app-5d4f8c7b9-abcde', 'bound to worker'),
      api('Event', 'my-app-5d4f8c7b9-abcde.1', { about: 'Pod/my-app-5d4f8c7b9-abcde' }),
      // not family: a service whose name starts the same, a pod of another app, another namespace
      api('Service', 'my-app-service', { by: 'kubectl' }),
      api('Pod', 'other-7c9d-zzzzz', { owners: ['ReplicaSet/other-7c9d'] }),
      api('Deployment', 'my-app', { ns: 'staging' }),
    ],
  },
  { cmd: 'get pods', at: T + 5, records: [api('Pod', 'unrelated')] },
  {
    cmd: 'delete pod my-app-5d4f8c7b9-abcde', at: T + 10, records: [
      api('Pod', 'my-app-5d4f8c7b9-abcde', { action: 'DELETE', by: 'kubectl' }),
      api('Pod', 'my-app-5d4f8c7b9-mnpqr', { owners: ['ReplicaSet/my-app-5d4f8c7b9'] }),
    ],
  },
];

const names = (cs: TraceCommand[]) => cs.map((c) => [c.cmd, c.records.map((r) => r.name ?? r.object)]);

describe('selectFor', () => {
  it('follows a Deployment to its ReplicaSets and Pods through ownerReferences, command by command', () => {
    expect(names(selectFor(log, { kind: 'Deployment', namespace: 'default', name: 'my-app' }))).toEqual([
      ['apply -f my-app.yaml', ['my-app', 'my-app-5d4f8c7b9', 'replicaset/my-app-5d4f8c7b9', 'my-app-5d4f8c7b9-abcde', 'my-app-5d4f8c7b9-fghjk', 'pod/default/my-app-5d4f8c7b9-abcde', 'my-app-5d4f8c7b9-abcde.1']],
      ['delete pod my-app-5d4f8c7b9-abcde', ['my-app-5d4f8c7b9-abcde', 'my-app-5d4f8c7b9-mnpqr']],
    ]);
  });

  it('narrows to one pod: its creation, the scheduler\'s decision, its events', () => {
    expect(names(selectFor(log, { kind: 'Pod', namespace: 'default', name: 'my-app-5d4f8c7b9-abcde' }))).toEqual([
      ['apply -f my-app.yaml', ['my-app-5d4f8c7b9-abcde', 'pod/default/my-app-5d4f8c7b9-abcde', 'my-app-5d4f8c7b9-abcde.1']],
      ['delete pod my-app-5d4f8c7b9-abcde', ['my-app-5d4f8c7b9-abcde']],
    ]);
  });

  it('finds dependents by their generated names when the records carry no owners', () => {
    const bare: TraceCommand[] = [{ cmd: 'x', at: T, records: [api('ReplicaSet', 'web-6b7c9d'), api('Pod', 'web-6b7c9d-x2k4q'), api('Pod', 'web-service-x2k4q'), api('Deployment', 'web')] }];
    expect(names(selectFor(bare, { kind: 'Deployment', namespace: 'default', name: 'web' }))[0][1]).toEqual(['web-6b7c9d', 'web-6b7c9d-x2k4q', 'web']);
  });

  it('respects the namespace, and finds nothing for an object never traced', () => {
    expect(names(selectFor(log, { kind: 'Deployment', namespace: 'staging', name: 'my-app' }))).toEqual([['apply -f my-app.yaml', ['my-app']]]);
    expect(selectFor(log, { kind: 'Deployment', namespace: 'prod', name: 'my-app' })).toEqual([]);
    expect(selectFor(log, { kind: 'Deployment', namespace: 'default', name: 'nope' })).toEqual([]);
  });
});
