// How kubectl gets from TYPE/NAME to one pod and one container of it, shared by logs, exec and
// port-forward: polymorphichelpers.SelectorsForObject (the pods a workload or Service stands for),
// the orderings that pick "the" pod (podutils.ByLogging for logs, sort.Reverse(ActivePods) for
// AttachablePodForObject), and podcmd.FindOrDefaultContainerByName's default container.
import type { KObject } from '../apiserver/types.js';
import { selectorString } from '../apiserver/selectors.js';
import { CliError } from '../cli/errors.js';

export const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';

/** Go's %T of a typed object, as kubectl's errors print it: *v1.Service, *v1.Deployment */
export const goType = (obj: KObject): string => `*${String(obj.apiVersion ?? 'v1').split('/').pop()}.${obj.kind}`;

/** SelectorsForObject's refusal, without the caller's prefix ("cannot attach to *v1.Service: ...") */
export class SelectorError extends Error {}

/** SelectorsForObject: the label selector of the pods a workload or Service stands for. */
export function selectorsForObject(obj: KObject): string {
  switch (obj.kind) {
    case 'ReplicationController':
      return Object.entries<string>(obj.spec?.selector ?? {}).map(([k, v]) => `${k}=${v}`).sort().join(',');
    case 'Service':
      if (!obj.spec?.selector || Object.keys(obj.spec.selector).length === 0) throw new SelectorError(`invalid service '${obj.metadata?.name}': Service is defined without a selector`);
      return Object.entries<string>(obj.spec.selector).map(([k, v]) => `${k}=${v}`).sort().join(',');
    case 'ReplicaSet':
    case 'Deployment':
    case 'DaemonSet':
    case 'StatefulSet':
    case 'Job':
      return selectorString(obj.spec?.selector);
    default:
      throw new SelectorError(`selector for ${goType(obj)} not implemented`);
  }
}

/**
 * The selector, or kubectl's error wrapped as its caller wraps it: "cannot attach to" (exec,
 * attach, port-forward: AttachablePodForObject), "cannot get the logs from" (logs).
 */
export function podSelectorOrFail(obj: KObject, wrap: 'cannot attach to' | 'cannot get the logs from'): string {
  try {
    return selectorsForObject(obj);
  } catch (e) {
    if (e instanceof SelectorError) throw new CliError(`error: ${wrap} ${goType(obj)}: ${e.message}`);
    throw e;
  }
}

const isReady = (p: KObject) => (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
const readyTime = (p: KObject) => Date.parse((p.status?.conditions ?? []).find((c: any) => c.type === 'Ready' && c.status === 'True')?.lastTransitionTime ?? '') || 0;
const maxRestarts = (p: KObject) => Math.max(0, ...(p.status?.containerStatuses ?? []).map((c: any) => c.restartCount ?? 0));
const created = (p: KObject) => Date.parse(p.metadata?.creationTimestamp ?? '') || 0;
/** afterOrZero: a missing time counts as later than any time. */
const afterOrZero = (a: number, b: number) => (a === 0 || b === 0 ? a === 0 : a > b);

/** podutils.ByLogging: the pod whose logs are most worth showing comes first. */
export function byLogging(a: KObject, b: KObject): number {
  const an = a.spec?.nodeName ?? '';
  const bn = b.spec?.nodeName ?? '';
  if (an !== bn && (an === '' || bn === '')) return an ? -1 : 1;
  const rank: Record<string, number> = { Running: 0, Unknown: 1, Pending: 2 };
  const ra = rank[a.status?.phase] ?? 0;
  const rb = rank[b.status?.phase] ?? 0;
  if (ra !== rb) return ra - rb;
  if (isReady(a) !== isReady(b)) return isReady(a) ? -1 : 1;
  if (isReady(a) && isReady(b) && readyTime(a) !== readyTime(b)) return afterOrZero(readyTime(b), readyTime(a)) ? -1 : 1;
  if (maxRestarts(a) !== maxRestarts(b)) return maxRestarts(b) - maxRestarts(a);
  if (created(a) !== created(b)) return afterOrZero(created(b), created(a)) ? -1 : 1;
  return 0;
}

/** sort.Reverse(controller.ActivePods): assigned, Running, ready, ready longest, fewest restarts, oldest first */
export function mostActiveFirst(a: KObject, b: KObject): number {
  const an = !!a.spec?.nodeName;
  const bn = !!b.spec?.nodeName;
  if (an !== bn) return an ? -1 : 1;
  const rank: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };
  const ra = rank[a.status?.phase] ?? 0;
  const rb = rank[b.status?.phase] ?? 0;
  if (ra !== rb) return rb - ra;
  if (isReady(a) !== isReady(b)) return isReady(a) ? -1 : 1;
  if (isReady(a) && isReady(b) && readyTime(a) !== readyTime(b)) return readyTime(a) - readyTime(b);
  if (maxRestarts(a) !== maxRestarts(b)) return maxRestarts(a) - maxRestarts(b);
  return created(a) - created(b);
}

/** AttachablePodForObject's choice among a selector's pods (ties keep the list order) */
export function mostActivePod(pods: KObject[]): KObject | undefined {
  return pods.map((p, i) => ({ p, i })).sort((a, b) => mostActiveFirst(a.p, b.p) || a.i - b.i)[0]?.p;
}

/** every container of a pod: app, init, ephemeral */
export const allContainers = (pod: KObject): any[] => [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []), ...(pod.spec?.ephemeralContainers ?? [])];

/** podcmd.AllContainerNames: containers, then ephemeral "(ephem)", then init "(init)". */
export function allContainerNames(pod: KObject): string {
  return [
    ...(pod.spec?.containers ?? []).map((c: any) => c.name),
    ...(pod.spec?.ephemeralContainers ?? []).map((c: any) => `${c.name} (ephem)`),
    ...(pod.spec?.initContainers ?? []).map((c: any) => `${c.name} (init)`),
  ].join(', ');
}

/** podcmd.FindOrDefaultContainerByName with no name: the annotation's container, else the first (saying so) */
export function defaultContainer(pod: KObject, quiet: boolean, warn: (s: string) => void): string {
  const preset = pod.metadata?.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
  if (preset) {
    if (allContainers(pod).some((c) => c.name === preset)) return preset;
    warn(`Default container name "${preset}" not found in pod ${pod.metadata?.name ?? ''}\n`);
  }
  const first = pod.spec?.containers?.[0]?.name as string;
  const many = (pod.spec?.containers ?? []).length > 1 || (pod.spec?.initContainers ?? []).length > 0 || (pod.spec?.ephemeralContainers ?? []).length > 0;
  if (many && !quiet) warn(`Defaulted container "${first}" out of: ${allContainerNames(pod)}\n`);
  return first;
}
