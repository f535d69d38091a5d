// Where a workload keeps its pod spec (polymorphichelpers/updatepodspec.go), and the shape a
// manifest takes once kubectl has decoded it into its Go types (what --local and
// --dry-run=client print: empty structs and null timestamps appear).
import type { KObject } from '../../apiserver/types.js';

/** The pod spec inside obj (a live reference, to be changed in place); undefined for other kinds. */
export function podSpecOf(obj: KObject): any | undefined {
  switch (obj.kind) {
    case 'Pod':
      return (obj.spec ??= {});
    case 'Deployment':
    case 'ReplicaSet':
    case 'DaemonSet':
    case 'StatefulSet':
    case 'Job':
    case 'ReplicationController': {
      const spec = (obj.spec ??= {});
      const template = (spec.template ??= {});
      return (template.spec ??= {});
    }
    case 'CronJob': {
      const spec = (obj.spec ??= {});
      const jt = (spec.jobTemplate ??= {});
      const jspec = (jt.spec ??= {});
      const template = (jspec.template ??= {});
      return (template.spec ??= {});
    }
    default:
      return undefined;
  }
}

/** Go's %T of the typed object kubectl would hold: "*v1.Service". */
export function goTypeName(obj: KObject): string {
  const av = String(obj.apiVersion ?? '');
  const version = av.includes('/') ? av.split('/')[1] : av;
  return `*${version}.${obj.kind}`;
}

/** The pod-spec error of UpdatePodSpecForObject. */
export function noPodSpecError(obj: KObject): string {
  return `the object is not a pod or does not have a pod template: ${goTypeName(obj)}`;
}

/** ObjectMeta's fields in Go struct order: JSON output follows it. */
const META_ORDER = ['name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields'];

function typedMeta(m: any): any {
  const src = { creationTimestamp: null, ...(m ?? {}) };
  const out: any = {};
  for (const k of META_ORDER) if (k in src) out[k] = src[k];
  for (const k of Object.keys(src)) if (!(k in out)) out[k] = src[k];
  return out;
}

function typedPodSpec(spec: any): void {
  for (const key of ['initContainers', 'containers', 'ephemeralContainers']) {
    for (const c of spec?.[key] ?? []) if (c && !('resources' in c)) c.resources = {};
  }
}

function typedTemplate(t: any): any {
  const out = t ?? {};
  out.metadata = typedMeta(out.metadata);
  out.spec ??= {};
  typedPodSpec(out.spec);
  return out;
}

/**
 * Adds what encoding kubectl's Go structs adds to a manifest: `creationTimestamp: null`, empty
 * `resources: {}` and `strategy: {}`, and the status fields that are never omitted.
 */
export function asTyped(input: KObject): KObject {
  const obj: any = structuredClone(input);
  obj.metadata = typedMeta(obj.metadata);
  switch (obj.kind) {
    case 'Pod':
      obj.spec ??= {};
      typedPodSpec(obj.spec);
      obj.status ??= {};
      break;
    case 'Deployment':
      obj.spec ??= {};
      obj.spec.template = typedTemplate(obj.spec.template);
      obj.spec.strategy ??= {};
      obj.status ??= {};
      break;
    case 'ReplicaSet':
    case 'ReplicationController':
      obj.spec ??= {};
      obj.spec.template = typedTemplate(obj.spec.template);
      obj.status ??= {};
      obj.status.replicas ??= 0;
      break;
    case 'DaemonSet':
      obj.spec ??= {};
      obj.spec.template = typedTemplate(obj.spec.template);
      obj.spec.updateStrategy ??= {};
      obj.status ??= {};
      for (const k of ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady']) obj.status[k] ??= 0;
      break;
    case 'StatefulSet':
      obj.spec ??= {};
      obj.spec.template = typedTemplate(obj.spec.template);
      obj.spec.updateStrategy ??= {};
      obj.status ??= {};
      obj.status.replicas ??= 0;
      obj.status.availableReplicas ??= 0;
      break;
    case 'Job':
      obj.spec ??= {};
      obj.spec.template = typedTemplate(obj.spec.template);
      obj.status ??= {};
      break;
    case 'CronJob':
      obj.spec ??= {};
      obj.spec.jobTemplate ??= {};
      obj.spec.jobTemplate.metadata = typedMeta(obj.spec.jobTemplate.metadata);
      obj.spec.jobTemplate.spec ??= {};
      obj.spec.jobTemplate.spec.template = typedTemplate(obj.spec.jobTemplate.spec.template);
      obj.status ??= {};
      break;
  }
  // TypeMeta then ObjectMeta, spec, status: the order of Go's struct fields in JSON output.
  const ordered: any = {};
  for (const k of ['kind', 'apiVersion', 'metadata', 'spec', 'status']) if (k in obj) ordered[k] = obj[k];
  for (const k of Object.keys(obj)) if (!(k in ordered)) ordered[k] = obj[k];
  return ordered;
}
