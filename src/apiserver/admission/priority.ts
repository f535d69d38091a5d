// Priority admission: a pod's priorityClassName becomes its spec.priority (and preemptionPolicy),
// from the PriorityClass of that name; a pod that names none gets the cluster's global default
// class, or priority 0. The scheduler orders its queue, and preemption picks victims, by it.
import type { AdmissionContext } from './index.js';
import type { KObject } from '../types.js';
import { forbidden } from '../errors.js';
import { applyPriorityDefaults } from './defaults/pod.js';

export function priorityAdmission(ctx: AdmissionContext, pod: KObject): void {
  const spec = (pod.spec ??= {});
  const name: string | undefined = spec.priorityClassName;
  if (!name) {
    const global = ctx.store.list('scheduling.k8s.io/priorityclasses').find((pc) => pc.globalDefault === true);
    if (global) {
      spec.priorityClassName = global.metadata!.name;
      applyPriorityDefaults(pod, global.value ?? 0, global.preemptionPolicy ?? 'PreemptLowerPriority');
    } else {
      applyPriorityDefaults(pod);
    }
    return;
  }
  const pc = ctx.store.get('scheduling.k8s.io/priorityclasses', undefined, name);
  if (!pc) {
    throw forbidden(`pods "${pod.metadata?.name ?? ''}" is forbidden: no PriorityClass with name ${name} was found`, ctx.resource, pod.metadata?.name);
  }
  if (spec.priority !== undefined && spec.priority !== pc.value) {
    throw forbidden(
      `pods "${pod.metadata?.name ?? ''}" is forbidden: the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${pc.value} from the given PriorityClass name`,
      ctx.resource, pod.metadata?.name,
    );
  }
  applyPriorityDefaults(pod, pc.value ?? 0, pc.preemptionPolicy ?? 'PreemptLowerPriority');
}
