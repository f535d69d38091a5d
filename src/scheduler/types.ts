// The scheduling framework's vocabulary (pkg/scheduler/framework): what a plugin sees of a pod and
// of a node, the status a Filter returns, and the extension points a plugin may implement.
import type { KObject } from '../apiserver/types.js';
import type { ComponentClient } from '../controllers/component.js';

/** A resource vector in the units kube-scheduler compares: milli-CPU, bytes, counts. */
export interface Resources {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  /** extended and hugepages resources (nvidia.com/gpu, hugepages-2Mi ...) */
  scalar?: Record<string, number>;
}

/** A pod with what the plugins keep asking about it, computed once. */
export interface PodInfo {
  pod: KObject;
  /** the pod's effective requests: max(init) vs sum(app) plus overhead */
  requests: Resources;
  /** the same with 100m CPU / 200Mi memory for a container that requests none (scoring only) */
  nonZero: { milliCPU: number; memory: number };
  priority: number;
}

/** One node and the pods assigned to it: the scheduler cache's NodeInfo. */
export interface NodeInfo {
  name: string;
  node: KObject;
  allocatable: Resources;
  allowedPods: number;
  /** sum of the requests of the node's pods */
  requested: Resources;
  /** sum of the non-zero requests of the node's pods (what the scorers use) */
  nonZeroRequested: { milliCPU: number; memory: number };
  pods: PodInfo[];
  /** the lowest priority among the node's pods (Infinity when none): preemption's quick "no victims here" */
  minPriority: number;
  /** the node's pods with any pod (anti-)affinity, and those with required anti-affinity (NodeInfo.PodsWithAffinity ...) */
  podsWithAffinity: PodInfo[];
  podsWithRequiredAntiAffinity: PodInfo[];
}

/** Why a node is not feasible. UnschedulableAndUnresolvable means preemption cannot help either. */
export type Code = 'Unschedulable' | 'UnschedulableAndUnresolvable';

export interface Status {
  code: Code;
  reasons: string[];
  plugin: string;
}

export function unschedulable(plugin: string, ...reasons: string[]): Status {
  return { code: 'Unschedulable', reasons, plugin };
}

export function unresolvable(plugin: string, ...reasons: string[]): Status {
  return { code: 'UnschedulableAndUnresolvable', reasons, plugin };
}

/** The objects whose selectors make a pod part of a group to spread (Services, its controller). */
export interface SpreadSources {
  /** Services by namespace */
  services: Map<string, KObject[]>;
  /** ReplicaSets, ReplicationControllers and StatefulSets by "Kind/namespace/name" */
  controllers: Map<string, KObject>;
}

/** Cluster-wide facts some plugins need (image spread, node count), built once per reconcile. */
export interface Snapshot {
  nodes: NodeInfo[];
  byName: Map<string, NodeInfo>;
  /** image name → total size and how many nodes have it (ImageLocality) */
  images(): Map<string, { size: number; numNodes: number }>;
  spread?: SpreadSources;
  /** per group of pods (a selector's key): how many of them each node holds; kept up to date by addPod */
  groupCounts(key: string, member: (p: KObject) => boolean): Map<string, number>;
  /** a pod bound during the reconcile: the node's use and the group counts follow */
  addPod(node: string, pi: PodInfo): void;
  /** HavePodsWithAffinityList / HavePodsWithRequiredAntiAffinityList: the nodes worth looking at for the rare pods with pod affinity */
  havePodsWithAffinity(): NodeInfo[];
  havePodsWithRequiredAntiAffinity(): NodeInfo[];
  /** namespace name → its labels (namespaceSelector in pod affinity terms); absent: no namespace is known */
  namespaceLabels?: Map<string, Record<string, string>>;
  /** the PodDisruptionBudgets preemption tries not to violate */
  pdbs?: KObject[];
  /** pods nominated to a node by an earlier preemption, by node name (their room is kept for them) */
  nominated?: Map<string, PodInfo[]>;
  /** the claims, volumes and classes, listed once per reconcile when a queued pod mounts claims (VolumeBinding) */
  volumes?: VolumeLister;
}

/** The informers' view of storage that VolumeBinding's PreFilter and Filter read. */
export interface VolumeLister {
  claim(namespace: string, name: string): KObject | undefined;
  volume(name: string): KObject | undefined;
  volumes(): KObject[];
  classes: Map<string, KObject>;
}

/**
 * What a PreBind plugin gets: the scheduler's client (PreBind writes through the API, as the real
 * one does), the time the binding cycle began, and private state kept with the assumed pod from one
 * run of the binding cycle to the next (the real plugin keeps it in a goroutine that polls).
 */
export interface BindContext {
  client: ComponentClient;
  now: number;
  /** when this pod's binding cycle began (its first PreBind) */
  since: number;
  /** this plugin's state for this pod: empty on the first PreBind, kept (as JSON) until the pod is bound or given up */
  state: Record<string, any>;
}

/**
 * undefined: done, go on to Bind. Wait: not yet (the pod stays assumed on its node, in the
 * scheduler's state, and PreBind runs again when the cluster changes, at retryAt, or at deadline).
 * Error: the binding cycle fails (FailedScheduling with the message, reason SchedulerError).
 */
export type PreBindResult =
  | undefined
  | { code: 'Wait'; reason: string; retryAt?: number; deadline?: number }
  | { code: 'Error'; message: string };

/** Per-pod scratch space of one scheduling cycle (the framework's CycleState). */
export interface CycleContext {
  /** per plugin name; a value with a clone() method is cloned with the context (preemption's what-ifs) */
  state: Map<string, unknown>;
  snapshot: Snapshot;
}

/** CycleState.Clone: values that can clone themselves are copied, the rest are shared (read-only) */
export function cloneCycle(ctx: CycleContext): CycleContext {
  const state = new Map<string, unknown>();
  for (const [k, v] of ctx.state) state.set(k, typeof (v as any)?.clone === 'function' ? (v as any).clone() : v);
  return { state, snapshot: ctx.snapshot };
}

export const MAX_NODE_SCORE = 100;

/**
 * A plugin implements any of the extension points. undefined from preFilter/filter means Success;
 * preScore returning 'skip' leaves the plugin out of this pod's scoring (as Skip does upstream).
 */
export interface Plugin {
  name: string;
  preFilter?(ctx: CycleContext, pod: PodInfo): Status | undefined;
  filter?(ctx: CycleContext, pod: PodInfo, node: NodeInfo): Status | undefined;
  preScore?(ctx: CycleContext, pod: PodInfo, nodes: NodeInfo[]): 'skip' | undefined;
  score?(ctx: CycleContext, pod: PodInfo, node: NodeInfo): number;
  /** rescales the raw scores into 0..100, in place */
  normalizeScore?(ctx: CycleContext, pod: PodInfo, scores: number[]): void;
  /**
   * PreFilterExtensions: keep what preFilter computed current when a pod is added to or removed
   * from a node in a what-if (preemption's victims, nominated pods).
   */
  addPod?(ctx: CycleContext, pod: PodInfo, added: PodInfo, node: NodeInfo): void;
  removePod?(ctx: CycleContext, pod: PodInfo, removed: PodInfo, node: NodeInfo): void;
  /** PreBind: API work that must be finished before the pod is bound to node (VolumeBinding's claims) */
  preBind?(bc: BindContext, pod: PodInfo, node: string): Promise<PreBindResult>;
}

export interface Profile {
  schedulerName: string;
  /** in the order the framework runs them: the first failing filter decides a node's status */
  filters: Plugin[];
  scorers: { plugin: Plugin; weight: number }[];
}

/**
 * DefaultNormalizeScore: scales so the best node gets maxPriority; with reverse the fewest wins
 * (TaintToleration counts untolerated PreferNoSchedule taints). Integer arithmetic, as in Go.
 */
export function defaultNormalizeScore(maxPriority: number, reverse: boolean, scores: number[]): void {
  let max = 0;
  for (const s of scores) if (s > max) max = s;
  if (max === 0) {
    if (reverse) scores.fill(maxPriority);
    return;
  }
  for (let i = 0; i < scores.length; i++) {
    let s = Math.trunc((maxPriority * scores[i]) / max);
    if (reverse) s = maxPriority - s;
    scores[i] = s;
  }
}
