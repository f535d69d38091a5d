// The --trace formatter on constructed records: numbering, the apiserver's stages under kubectl's
// request, a component's calls under its decision, folding of repeated steps, and the caps.
import { describe, expect, it } from 'vitest';
import { formatSteps, formatTrace } from '../../../src/trace/narrate.js';
import type { TraceRecord } from '../../../src/trace/trace.js';

const T = Date.parse('2026-01-01T00:00:00Z');

function kubectlPost(): TraceRecord {
  return {
    time: T, component: 'kube-apiserver', action: 'POST', object: '/apis/apps/v1/namespaces/default/deployments', user: 'kubernetes-admin', by: 'kubectl',
    code: 201, detail: 'kubernetes-admin → 201', kind: 'Deployment', ns: 'default', name: 'my-app', rv: '812',
    steps: [
      { stage: 'authentication', detail: 'user "kubernetes-admin"' },
      { stage: 'authorization', detail: 'RBAC: allowed by ClusterRoleBinding "x"' },
      { stage: 'etcd', detail: 'created /registry/deployments/default/my-app at revision 812' },
    ],
  };
}

function podCreate(i: number, time = T + 10): TraceRecord[] {
  const name = `my-app-5d4f8c7b9-p${String(i).padStart(4, '0')}`;
  return [
    { time, component: 'kube-apiserver', action: 'POST', object: '/api/v1/namespaces/default/pods', user: 'system:kube-controller-manager', by: 'kube-controller-manager', code: 201, detail: '', kind: 'Pod', ns: 'default', name, rv: String(1000 + i), owners: ['ReplicaSet/my-app-5d4f8c7b9'] },
    { time, component: 'replicaset-controller', action: 'Create', object: `pod/${name}`, detail: 'for replicaset/my-app-5d4f8c7b9' },
    { time, component: 'kube-apiserver', action: 'POST', object: '/api/v1/namespaces/default/events', user: 'system:kube-controller-manager', by: 'kube-controller-manager', code: 201, kind: 'Event', ns: 'default', name: `${name}.1`, about: `Pod/${name}` },
  ];
}

describe('formatTrace', () => {
  it('numbers the steps, stamps them relative to the first, and nests the apiserver stages under kubectl\'s request', () => {
    const recs = [kubectlPost(), { time: T + 1500, component: 'deployment-controller', action: 'Create', object: 'replicaset/my-app-5d4f8c7b9', detail: 'no ReplicaSet for the template' }];
    const out = formatTrace(recs, { verbosity: 0 });
    const lines = out.split('\n').filter(Boolean);
    expect(lines[0]).toMatch(/^Trace/);
    expect(lines[1]).toBe('  1.   +0.000s  kubectl → kube-apiserver: POST /apis/apps/v1/namespaces/default/deployments → 201 Created: my-app, resourceVersion 812');
    expect(lines[2].trim()).toBe('- authentication: user "kubernetes-admin"');
    expect(lines[4].trim()).toBe('- etcd: created /registry/deployments/default/my-app at revision 812');
    // sub-steps sit under the step's text, not under its number
    expect(lines[2].indexOf('-')).toBe(lines[1].indexOf('kubectl'));
    expect(lines[5]).toBe('  2.   +1.500s  deployment-controller: Create replicaset/my-app-5d4f8c7b9 — no ReplicaSet for the template');
  });

  it('puts a component\'s API call under the decision it recorded, and leaves its Event writes to a footnote', () => {
    const out = formatSteps(podCreate(1), { verbosity: 0 });
    expect(out[0]).toContain('replicaset-controller: Create pod/my-app-5d4f8c7b9-p0001');
    expect(out[1].trim()).toBe('- POST /api/v1/namespaces/default/pods → 201 Created: my-app-5d4f8c7b9-p0001, resourceVersion 1001');
    expect(out.join('\n')).not.toContain('/events');
    expect(out[out.length - 1]).toBe('  (not shown: 1 Event write (minikctl events lists them); -v=8 shows everything)');
  });

  it('shows Event writes and the control plane\'s reads at -v=8', () => {
    const read: TraceRecord = { time: T, component: 'kube-apiserver', action: 'GET', object: '/api/v1/pods', user: 'system:kube-scheduler', by: 'kube-scheduler', code: 200 };
    expect(formatSteps([read, ...podCreate(1)], { verbosity: 0 }).join('\n')).not.toContain('GET /api/v1/pods');
    const loud = formatSteps([read, ...podCreate(1)], { verbosity: 8 }).join('\n');
    expect(loud).toContain('kube-scheduler → kube-apiserver: GET /api/v1/pods → 200 OK');
    expect(loud).toContain('/events');
  });

  it('shows a kind of step a few times, then folds the rest into one line naming them', () => {
    const recs = Array.from({ length: 9 }, (_, i) => podCreate(i + 1)).flat();
    const out = formatSteps(recs, { verbosity: 0, perKind: 3 });
    const numbered = out.filter((l) => /^\s+\d+\./.test(l));
    expect(numbered).toHaveLength(3);
    const fold = out.find((l) => l.includes('more like this'))!;
    expect(fold).toContain('... 6 more like this (replicaset-controller Create):');
    expect(fold).toContain('my-app-5d4f8c7b9-p0004, my-app-5d4f8c7b9-p0005, my-app-5d4f8c7b9-p0006 (+3 more)');
  });

  it('does not fold a single extra step: it would take as much room as the step', () => {
    const recs = Array.from({ length: 4 }, (_, i) => podCreate(i + 1)).flat();
    const out = formatSteps(recs, { verbosity: 0, perKind: 3 });
    expect(out.filter((l) => /^\s+\d+\./.test(l))).toHaveLength(4);
    expect(out.join('\n')).not.toContain('more like this');
  });

  it('stays bounded for a 1,000-replica apply: a few lines per kind of step and a cap on the whole', () => {
    const recs: TraceRecord[] = [kubectlPost()];
    for (let i = 0; i < 1000; i++) {
      recs.push(...podCreate(i, T + 10));
      const name = `my-app-5d4f8c7b9-p${String(i).padStart(4, '0')}`;
      recs.push({ time: T + 20, component: 'kube-scheduler', action: 'Bind', object: `pod/default/${name}`, detail: `→ worker${i % 100}` });
      recs.push({ time: T + 20, component: 'kube-apiserver', action: 'POST', object: `/api/v1/namespaces/default/pods/${name}/binding`, user: 'system:kube-scheduler', by: 'kube-scheduler', code: 201, kind: 'Pod', ns: 'default', name, summary: `bound to node worker${i % 100}` });
      // a kubelet per node: the node does not make a new kind of step
      recs.push({ time: T + 900 + i, component: 'kubelet', action: 'start', object: `pod/default/${name}`, detail: 'container started' });
      recs.push({ time: T + 900 + i, component: 'kube-apiserver', action: 'PUT', object: `/api/v1/namespaces/default/pods/${name}/status`, user: `system:node:worker${i % 100}`, by: `kubelet (worker${i % 100})`, code: 200, kind: 'Pod', ns: 'default', name, summary: 'phase Running' });
    }
    const out = formatSteps(recs, { verbosity: 0 });
    expect(out.length).toBeLessThan(60);
    expect(out.join('\n')).toContain('... 995 more like this (kube-scheduler Bind)');
    expect(out.join('\n')).toContain('... 995 more like this (kubelet start)');
    // the kubelet's line names its node, from the call it made
    expect(out.find((l) => l.includes(': start pod/'))).toMatch(/kubelet \(worker\d+\): start/);

    const capped = formatSteps(recs, { verbosity: 0, perKind: 1000, maxSteps: 50 });
    expect(capped.filter((l) => /^\s+\d+\./.test(l))).toHaveLength(50);
    expect(capped.find((l) => l.includes('more steps not shown'))).toBe('  ... 2951 more steps not shown (minikctl trace TYPE/NAME shows one object\'s)');
  });

  it('shows a failed request\'s outcome and message', () => {
    const rec: TraceRecord = {
      time: T, component: 'kube-apiserver', action: 'POST', object: '/api/v1/namespaces/default/pods', user: 'bob', by: 'kubectl', code: 403,
      detail: 'bob → 403 Forbidden', error: 'pods is forbidden: User "bob" cannot create resource "pods"',
      steps: [{ stage: 'authorization', detail: 'RBAC: denied' }],
    };
    const out = formatSteps([rec], { verbosity: 0 });
    expect(out[0]).toContain('POST /api/v1/namespaces/default/pods → 403 Forbidden');
    expect(out[2].trim()).toBe('- error: pods is forbidden: User "bob" cannot create resource "pods"');
  });

  it('says so when nothing was recorded', () => {
    expect(formatTrace([], { verbosity: 0 })).toContain('nothing was recorded');
  });
});
