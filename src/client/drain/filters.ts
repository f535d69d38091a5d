// kubectl's drain filters (k8s.io/kubectl/pkg/drain/filters.go): which of a node's pods drain
// deletes, which it skips (mirror pods, DaemonSet pods with --ignore-daemonsets), and which stop it
// (unmanaged pods without --force, DaemonSet pods without --ignore-daemonsets, emptyDir pods without
// --delete-emptydir-data), with kubectl's words for each.
import type { KObject } from '../../apiserver/types.js';

export const DAEMONSET_FATAL = 'DaemonSet-managed Pods (use --ignore-daemonsets to ignore)';
export const DAEMONSET_WARNING = 'ignoring DaemonSet-managed Pods';
export const LOCAL_STORAGE_FATAL = 'Pods with local storage (use --delete-emptydir-data to override)';
export const LOCAL_STORAGE_WARNING = 'deleting Pods with local storage';
export const UNMANAGED_FATAL = 'cannot delete Pods that declare no controller (use --force to override)';
export const UNMANAGED_WARNING = 'deleting Pods that declare no controller';
const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';

export interface FilterOptions {
  force: boolean;
  ignoreDaemonSets: boolean;
  deleteEmptyDirData: boolean;
  skipWaitForDeleteTimeoutSeconds: number;
  /** the cluster's time, for skipWaitForDeleteTimeoutSeconds */
  now: number;
  /** whether the DaemonSet NAMESPACE/NAME exists (kubectl gets it) */
  daemonSetExists(namespace: string, name: string): boolean;
}

export interface PodDelete {
  pod: KObject;
  delete: boolean;
  reason: 'Okay' | 'Skip' | 'Warning' | 'Error';
  message?: string;
}

type Status = Omit<PodDelete, 'pod'>;
const okay: Status = { delete: true, reason: 'Okay' };
const skip: Status = { delete: false, reason: 'Skip' };
const warn = (del: boolean, message: string): Status => ({ delete: del, reason: 'Warning', message });
const fail = (message: string): Status => ({ delete: false, reason: 'Error', message });

const finished = (p: KObject) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
const controllerOf = (p: KObject) => p.metadata?.ownerReferences?.find((r) => r.controller === true);

/** shouldSkipPod: terminating for longer than --skip-wait-for-delete-timeout seconds */
export function shouldSkipPod(pod: KObject, seconds: number, now: number): boolean {
  const ts = pod.metadata?.deletionTimestamp;
  return seconds > 0 && !!ts && Math.trunc((now - Date.parse(ts)) / 1000) > seconds;
}

type Filter = (pod: KObject, o: FilterOptions) => Status;

const skipDeleted: Filter = (pod, o) => (shouldSkipPod(pod, o.skipWaitForDeleteTimeoutSeconds, o.now) ? skip : okay);

const daemonSet: Filter = (pod, o) => {
  const ref = controllerOf(pod);
  if (!ref || ref.kind !== 'DaemonSet') return okay;
  if (finished(pod)) return okay;
  if (!o.daemonSetExists(pod.metadata!.namespace!, ref.name)) {
    const msg = `daemonsets.apps "${ref.name}" not found`;
    return o.force ? warn(true, msg) : fail(msg);
  }
  return o.ignoreDaemonSets ? warn(false, DAEMONSET_WARNING) : fail(DAEMONSET_FATAL);
};

const mirror: Filter = (pod) => (pod.metadata?.annotations && MIRROR_ANNOTATION in pod.metadata.annotations ? skip : okay);

const localStorage: Filter = (pod, o) => {
  if (!(pod.spec?.volumes ?? []).some((v: any) => v?.emptyDir)) return okay;
  if (finished(pod)) return okay;
  return o.deleteEmptyDirData ? warn(true, LOCAL_STORAGE_WARNING) : fail(LOCAL_STORAGE_FATAL);
};

const unreplicated: Filter = (pod, o) => {
  if (finished(pod)) return okay;
  if (controllerOf(pod)) return okay;
  return o.force ? warn(true, UNMANAGED_WARNING) : fail(UNMANAGED_FATAL);
};

const FILTERS: Filter[] = [skipDeleted, daemonSet, mirror, localStorage, unreplicated];

/** filterPods: every pod with the status of the first filter that keeps it, or the last one. */
export function filterPods(pods: KObject[], o: FilterOptions): PodDelete[] {
  return pods.map((pod) => {
    let st: Status = okay;
    for (const f of FILTERS) {
      st = f(pod, o);
      if (!st.delete) break;
    }
    return { pod, ...st };
  });
}

export const podsToDelete = (list: PodDelete[]) => list.filter((i) => i.delete).map((i) => i.pod);

const podName = (p: KObject) => `${p.metadata!.namespace}/${p.metadata!.name}`;

/** Grouped by message, in the order each message first appears (kubectl's map order is random). */
function grouped(list: PodDelete[], reason: PodDelete['reason']): [string, string[]][] {
  const m = new Map<string, string[]>();
  for (const i of list) {
    if (i.reason !== reason) continue;
    const msg = i.message || (reason === 'Error' ? 'unexpected error' : '');
    const l = m.get(msg);
    if (l) l.push(podName(i.pod));
    else m.set(msg, [podName(i.pod)]);
  }
  return [...m];
}

/** Warnings(): "msg: ns/a, ns/b; msg2: ..." */
export function warnings(list: PodDelete[]): string {
  return grouped(list, 'Warning').map(([msg, pods]) => `${msg}: ${pods.join(', ')}`).join('; ');
}

/** errors(): one error per message, "cannot delete <msg>: ns/a, ns/b" */
export function errors(list: PodDelete[]): string[] {
  return grouped(list, 'Error').map(([msg, pods]) => (msg.toLowerCase().startsWith('cannot delete') ? `${msg}: ${pods.join(', ')}` : `cannot delete ${msg}: ${pods.join(', ')}`));
}
