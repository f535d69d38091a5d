// What makes a StatefulSet's pod itself (stateful_set_utils.go): its ordinal in the name
// (`web-0`), the labels that name it, its DNS identity (hostname and the governing Service as
// subdomain), and its storage: one PersistentVolumeClaim per volumeClaimTemplate, named
// `<template>-<set>-<ordinal>`, that outlives the pod so that a recreated pod finds its data.
import type { KObject, OwnerReference } from '../../apiserver/types.js';
import { newControllerRef } from '../pod-control.js';

export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
export const REVISION_LABEL = 'controller-revision-hash';

/** the ordinal a pod's name carries for this set, or -1 */
export function ordinalOf(setName: string, podName: string): number {
  if (!podName.startsWith(`${setName}-`)) return -1;
  const rest = podName.slice(setName.length + 1);
  if (!/^(0|[1-9][0-9]*)$/.test(rest)) return -1;
  return Number(rest);
}

export const podName = (set: KObject, ordinal: number) => `${set.metadata!.name}-${ordinal}`;

/** spec.ordinals.start (StatefulSetStartOrdinal, on by default) */
export const startOrdinal = (set: KObject): number => set.spec?.ordinals?.start ?? 0;

export function claimName(set: KObject, template: KObject, ordinal: number): string {
  return `${template.metadata?.name}-${set.metadata!.name}-${ordinal}`;
}

/** getPersistentVolumeClaims: the claims a pod of this ordinal uses, labelled with the set's selector */
export function claimsFor(set: KObject, ordinal: number): { volume: string; claim: KObject }[] {
  const selectorLabels: Record<string, string> = set.spec?.selector?.matchLabels ?? {};
  return (set.spec?.volumeClaimTemplates ?? []).map((t: KObject) => {
    const claim = structuredClone(t);
    claim.apiVersion = 'v1';
    claim.kind = 'PersistentVolumeClaim';
    const md: any = { ...(claim.metadata ?? {}) };
    delete md.creationTimestamp;
    md.name = claimName(set, t, ordinal);
    md.namespace = set.metadata!.namespace;
    md.labels = { ...(md.labels ?? {}), ...selectorLabels };
    claim.metadata = md;
    delete claim.status;
    return { volume: t.metadata!.name!, claim };
  });
}

/** updateStorage: the claim volumes replace any template volume of the same name, first */
function withStorage(set: KObject, spec: any, ordinal: number): void {
  const claims = claimsFor(set, ordinal);
  if (claims.length === 0) return;
  const names = new Set(claims.map((c) => c.volume));
  spec.volumes = [
    ...claims.map((c) => ({ name: c.volume, persistentVolumeClaim: { claimName: c.claim.metadata!.name } })),
    ...(spec.volumes ?? []).filter((v: any) => !names.has(v?.name)),
  ];
}

/**
 * newVersionedStatefulSetPod: the pod of `ordinal` from `template` (the template of the revision it
 * belongs to), with its identity, storage and revision label.
 */
export function newStatefulPod(set: KObject, template: any, ordinal: number, revisionName: string): KObject {
  const tpl = structuredClone(template ?? {});
  const name = podName(set, ordinal);
  const md: any = {
    name,
    generateName: `${set.metadata!.name}-`,
    namespace: set.metadata!.namespace,
    labels: { ...(tpl.metadata?.labels ?? {}), [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal), [REVISION_LABEL]: revisionName },
    ownerReferences: [newControllerRef(set) as OwnerReference],
  };
  if (tpl.metadata?.annotations) md.annotations = { ...tpl.metadata.annotations };
  if (tpl.metadata?.finalizers) md.finalizers = [...tpl.metadata.finalizers];
  const spec = tpl.spec ?? {};
  spec.hostname = name;
  if (set.spec?.serviceName) spec.subdomain = set.spec.serviceName;
  withStorage(set, spec, ordinal);
  return { apiVersion: 'v1', kind: 'Pod', metadata: md, spec };
}

/** identityMatches: the labels that name the pod (the rest of its identity cannot change in place) */
export function identityPatch(set: KObject, pod: KObject, ordinal: number): Record<string, string> | undefined {
  const labels = pod.metadata?.labels ?? {};
  const want = { [POD_NAME_LABEL]: pod.metadata!.name!, [POD_INDEX_LABEL]: String(ordinal) };
  const missing = Object.entries(want).filter(([k, v]) => labels[k] !== v);
  void set;
  return missing.length ? Object.fromEntries(missing) : undefined;
}
