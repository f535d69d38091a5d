// Pods: SetDefaults_Pod, the registry's PrepareForCreate, and the defaults admission plugins add.
import { defaultPodSpec } from './podspec.js';
import { parseQuantity, compareQuantity } from '../../quantity.js';

export function defaultPod(pod: any): void {
  pod.spec ??= {};
  const spec = pod.spec;
  defaultPodSpec(spec);
  // SetDefaults_Pod: only real Pods, not templates.
  spec.enableServiceLinks ??= true;
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    const limits = c?.resources?.limits;
    if (!limits) continue;
    // A limit without a request makes the request equal to the limit.
    c.resources.requests ??= {};
    for (const [k, v] of Object.entries(limits)) if (!(k in c.resources.requests)) c.resources.requests[k] = v;
  }
}

/** The QoS class the pod strategy records in status when the pod is created. */
export function qosClass(spec: any): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const cs: any[] = [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of cs) {
    const req = c?.resources?.requests ?? {};
    const lim = c?.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ['cpu', 'memory']) {
      if (!(r in lim)) guaranteed = false;
      else if (r in req && compareQuantity(parseQuantity(req[r]), parseQuantity(lim[r])) !== 0) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** podStrategy.PrepareForCreate: a new pod starts Pending with its QoS class. */
export function preparePodForCreate(pod: any): void {
  pod.status = { phase: 'Pending', qosClass: qosClass(pod.spec) };
}

/**
 * The ServiceAccount admission plugin's defaulting half (the lookup and token volume live in
 * admission/service-account.ts): a pod that names no account runs as "default".
 */
export function defaultServiceAccountName(pod: any): void {
  const spec = (pod.spec ??= {});
  const name = spec.serviceAccountName || spec.serviceAccount || 'default';
  spec.serviceAccountName = name;
  spec.serviceAccount = name;
}

/**
 * DefaultTolerationSeconds admission: pods tolerate a not-ready or unreachable node for 300s
 * before eviction, unless they already say otherwise.
 */
export function applyDefaultTolerations(pod: any, seconds = 300): void {
  const spec = (pod.spec ??= {});
  const tols: any[] = (spec.tolerations ??= []);
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    const has = tols.some((t) => (t?.key === key || (t?.operator === 'Exists' && !t?.key)) && (!t?.effect || t.effect === 'NoExecute'));
    if (!has) tols.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds });
  }
}

/**
 * Priority admission without a PriorityClass: priority 0 and the default preemption policy.
 * A named class's value must be resolved by the caller, who has the store.
 */
export function applyPriorityDefaults(pod: any, priority = 0, preemptionPolicy = 'PreemptLowerPriority'): void {
  const spec = (pod.spec ??= {});
  spec.priority ??= priority;
  spec.preemptionPolicy ??= preemptionPolicy;
}
