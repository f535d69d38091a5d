// rollout history and undo as pure functions over a Deployment and the ReplicaSets it owns.
import { describe, expect, it } from 'vitest';
import { deploymentHistory, viewHistory, podTemplateText, controllerRevisionHistory } from '../../../src/client/rollout/history.js';
import { planUndo, planRevisionUndo } from '../../../src/client/rollout/undo.js';
import { equalIgnoreHash, findNewReplicaSet } from '../../../src/client/rollout/util.js';
import { pause, resume, restart, rfc3339Local } from '../../../src/client/rollout/restart.js';

const template = (image: string, hash?: string) => ({
  metadata: { labels: { app: 'web', ...(hash ? { 'pod-template-hash': hash } : {}) } },
  spec: { containers: [{ name: 'nginx', image }] },
});
const owner = { uid: 'd-uid', controller: true, kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' };
const rs = (rev: string | undefined, image: string, hash: string, extra: any = {}) => ({
  apiVersion: 'apps/v1', kind: 'ReplicaSet',
  metadata: { name: `web-${hash}`, creationTimestamp: `2024-01-0${rev ?? 9}T00:00:00Z`, ownerReferences: [owner], annotations: { ...(rev ? { 'deployment.kubernetes.io/revision': rev } : {}), ...extra } },
  spec: { template: template(image, hash) },
});
const deployment = (image: string, extra: any = {}) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', uid: 'd-uid', annotations: { 'deployment.kubernetes.io/revision': '3', 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
  spec: { template: template(image), ...extra },
});
const rss = [
  rs('1', 'nginx:1.25', 'aaa', { 'kubernetes.io/change-cause': 'first' }),
  rs('3', 'nginx:1.27', 'ccc'),
  rs('2', 'nginx:1.26', 'bbb'),
  // Not the Deployment's: another owner.
  { ...rs('7', 'x', 'zzz'), metadata: { ...rs('7', 'x', 'zzz').metadata, ownerReferences: [{ ...owner, uid: 'other' }] } },
];

describe('history', () => {
  it('lists the owned revisions in order with their change causes', () => {
    const h = deploymentHistory(deployment('nginx:1.27'), rss);
    expect(viewHistory(h).text).toBe('REVISION  CHANGE-CAUSE\n1         first\n2         <none>\n3         <none>\n');
    expect(viewHistory(new Map()).text).toBe('No rollout history found.');
    expect(viewHistory(h, 5).error).toBe('unable to find the specified revision');
  });

  it('shows one revision as its pod template, tabs as kubectl leaves them', () => {
    const text = viewHistory(deploymentHistory(deployment('nginx:1.27'), rss), 2).text!;
    expect(text.startsWith('Pod Template:\n  Labels:\tapp=web\n\tpod-template-hash=bbb\n  Containers:\n   nginx:\n    Image:\tnginx:1.26\n')).toBe(true);
    expect(text.endsWith('  Tolerations:\t<none>\n')).toBe(true);
    expect(podTemplateText(template('a'))).toContain('    Image:\ta\n');
  });

  it('reads DaemonSet history from ControllerRevisions', () => {
    const ds = { kind: 'DaemonSet', metadata: { uid: 'd-uid' }, spec: { template: template('b') } };
    const cr = (revision: number, image: string) => ({ kind: 'ControllerRevision', metadata: { ownerReferences: [owner] }, revision, data: { spec: { template: { $patch: 'replace', ...template(image) } } } });
    const h = controllerRevisionHistory(ds, [cr(2, 'b'), cr(1, 'a')]);
    expect(viewHistory(h).text).toBe('REVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n');
    expect(planRevisionUndo(ds, [cr(2, 'b'), cr(1, 'a')], 0, false)).toMatchObject({ kind: 'strategic' });
    expect(planRevisionUndo(ds, [cr(2, 'b'), cr(1, 'a')], 2, false)).toEqual({ kind: 'skip', message: 'skipped rollback (current template already matches revision 2)' });
    expect(planRevisionUndo(ds, [cr(2, 'b')], 0, false)).toEqual({ kind: 'error', message: 'no last revision to roll back to' });
  });
});

describe('undo', () => {
  it('rolls back to the previous revision with a JSON patch of template and annotations, hash label removed', () => {
    const plan = planUndo(deployment('nginx:1.27'), rss, 0, false);
    expect(plan.kind).toBe('patch');
    if (plan.kind !== 'patch') return;
    expect(plan.patch[0]).toEqual({ op: 'replace', path: '/spec/template', value: template('nginx:1.26') });
    // The Deployment keeps its own revision and last-applied annotations.
    expect(plan.patch[1]).toEqual({ op: 'replace', path: '/metadata/annotations', value: { 'deployment.kubernetes.io/revision': '3', 'kubectl.kubernetes.io/last-applied-configuration': '{}' } });
    const to1 = planUndo(deployment('nginx:1.27'), rss, 1, false);
    expect(to1.kind === 'patch' && to1.patch[1].value['kubernetes.io/change-cause']).toBe('first');
  });

  it('refuses what kubectl refuses, in its words', () => {
    expect(planUndo(deployment('nginx:1.27'), rss, 9, false)).toEqual({ kind: 'error', message: 'unable to find specified revision 9 in history' });
    expect(planUndo(deployment('nginx:1.27'), rss, -1, false)).toEqual({ kind: 'error', message: 'unable to find specified revision -1 in history' });
    expect(planUndo(deployment('nginx:1.27'), [rss[0]], 0, false)).toEqual({ kind: 'error', message: 'no rollout history found for deployment "web"' });
    expect(planUndo(deployment('nginx:1.27', { paused: true }), rss, 1, false)).toEqual({
      kind: 'error', message: "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again",
    });
    expect(planUndo(deployment('nginx:1.26'), rss, 2, false)).toEqual({ kind: 'skip', message: 'skipped rollback (current template already matches revision 2)' });
    expect(planUndo(deployment('nginx:1.27'), rss, 1, true)).toEqual({ kind: 'dry-run', template: template('nginx:1.25', 'aaa') });
  });

  it('compares templates ignoring the pod-template-hash label', () => {
    expect(equalIgnoreHash(template('a', 'h1'), template('a'))).toBe(true);
    expect(equalIgnoreHash(template('a', 'h1'), template('b', 'h1'))).toBe(false);
    expect(findNewReplicaSet(deployment("nginx:1.26"), rss)?.metadata?.name).toBe('web-bbb');
  });
});

describe('pause, resume, restart', () => {
  const d = deployment('a');
  it('changes what kubectl changes and refuses the rest', () => {
    const p = pause(d);
    expect(typeof p !== 'string' && p.spec.paused).toBe(true);
    expect(pause(p as any)).toBe('is already paused');
    expect(resume(d)).toBe('is not paused');
    expect(typeof resume(p as any) !== 'string' && (resume(p as any) as any).spec.paused).toBeUndefined();
    expect(pause({ kind: 'DaemonSet', spec: {} })).toBe('pausing is not supported');
    expect(restart(p as any, 'x')).toBe("can't restart paused deployment (run rollout resume first)");
    expect(restart({ kind: 'ReplicaSet' }, 'x')).toBe('restarting is not supported');
    const r = restart(d, '2024-01-01T00:00:00Z') as any;
    expect(r.spec.template.metadata.annotations).toEqual({ 'kubectl.kubernetes.io/restartedAt': '2024-01-01T00:00:00Z' });
  });

  it('stamps RFC 3339 in local time, as Go formats time.Now()', () => {
    const prev = process.env.TZ;
    const t = Date.UTC(2024, 4, 1, 10, 0, 5, 900);
    try {
      process.env.TZ = 'UTC';
      expect(rfc3339Local(t)).toBe('2024-05-01T10:00:05Z');
      process.env.TZ = 'Asia/Kolkata';
      expect(rfc3339Local(t)).toBe('2024-05-01T15:30:05+05:30');
    } finally {
      if (prev === undefined) delete process.env.TZ;
      else process.env.TZ = prev;
    }
  });
});
