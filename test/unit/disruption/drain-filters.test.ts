import { describe, expect, it } from 'vitest';
import { errors, filterPods, podsToDelete, warnings, type FilterOptions } from '../../../src/client/drain/filters.js';
import { errorText } from '../../../src/client/drain/drainer.js';
import type { KObject } from '../../../src/apiserver/types.js';

const owner = (kind: string, name: string) => [{ apiVersion: 'apps/v1', kind, name, uid: `${name}-uid`, controller: true }];
function pod(name: string, extra: { owner?: any[]; emptyDir?: boolean; mirror?: boolean; phase?: string; deletedAgo?: number } = {}, ns = 'default'): KObject {
  const md: any = { name, namespace: ns };
  if (extra.owner) md.ownerReferences = extra.owner;
  if (extra.mirror) md.annotations = { 'kubernetes.io/config.mirror': 'x' };
  if (extra.deletedAgo !== undefined) md.deletionTimestamp = new Date(1_000_000 - extra.deletedAgo * 1000).toISOString();
  return { apiVersion: 'v1', kind: 'Pod', metadata: md, spec: { volumes: extra.emptyDir ? [{ name: 'tmp', emptyDir: {} }] : [] }, status: { phase: extra.phase ?? 'Running' } };
}
const base: FilterOptions = { force: false, ignoreDaemonSets: false, deleteEmptyDirData: false, skipWaitForDeleteTimeoutSeconds: 0, now: 1_000_000, daemonSetExists: () => true };

describe('drain filters (kubectl pkg/drain/filters.go)', () => {
  const pods = [
    pod('web', { owner: owner('ReplicaSet', 'web-1') }),
    pod('proxy', { owner: owner('DaemonSet', 'kube-proxy') }, 'kube-system'),
    pod('etcd', { mirror: true }, 'kube-system'),
    pod('cache', { owner: owner('ReplicaSet', 'cache-1'), emptyDir: true }),
    pod('bare'),
    pod('done', { phase: 'Succeeded' }),
  ];

  it('refuses with one error per reason, in kubectl words', () => {
    const list = filterPods(pods, base);
    expect(errors(list)).toEqual([
      'cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): kube-system/proxy',
      'cannot delete Pods with local storage (use --delete-emptydir-data to override): default/cache',
      'cannot delete Pods that declare no controller (use --force to override): default/bare',
    ]);
    expect(errorText({ messages: errors(list), aggregate: true })).toMatch(/^\[cannot delete DaemonSet-managed .*, cannot delete Pods that declare no controller .*\]$/);
  });

  it('with the flags: warnings, mirror pods and DaemonSet pods skipped, the rest deleted', () => {
    const list = filterPods(pods, { ...base, force: true, ignoreDaemonSets: true, deleteEmptyDirData: true });
    expect(errors(list)).toEqual([]);
    expect(podsToDelete(list).map((p) => p.metadata!.name)).toEqual(['web', 'cache', 'bare', 'done']);
    // As in kubectl, a later filter's Okay drops an earlier warning: the emptyDir pod has a
    // controller, so "deleting Pods with local storage" is never printed for it (filters.go's TODO).
    expect(warnings(list)).toBe('ignoring DaemonSet-managed Pods: kube-system/proxy; deleting Pods that declare no controller: default/bare');
  });

  it('a DaemonSet pod whose DaemonSet is gone: an error, or deleted with --force', () => {
    const orphan = [pod('agent-x', { owner: owner('DaemonSet', 'agent') })];
    expect(errors(filterPods(orphan, { ...base, daemonSetExists: () => false }))).toEqual(['cannot delete daemonsets.apps "agent" not found: default/agent-x']);
    const forced = filterPods(orphan, { ...base, force: true, daemonSetExists: () => false });
    expect(podsToDelete(forced)).toHaveLength(1);
    // the orphan warning is dropped the same way (the pod still names a controller)
    expect(warnings(forced)).toBe('');
    const bareLocal = filterPods([pod('scratch', { emptyDir: true })], { ...base, force: true, deleteEmptyDirData: true });
    expect(warnings(bareLocal)).toBe('deleting Pods that declare no controller: default/scratch');
  });

  it('--skip-wait-for-delete-timeout skips pods terminating for longer than N seconds', () => {
    const list = filterPods([pod('old', { owner: owner('ReplicaSet', 'r'), deletedAgo: 30 }), pod('new', { owner: owner('ReplicaSet', 'r'), deletedAgo: 5 })], { ...base, skipWaitForDeleteTimeoutSeconds: 10 });
    expect(podsToDelete(list).map((p) => p.metadata!.name)).toEqual(['new']);
  });
});
