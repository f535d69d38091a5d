// DefaultStorageClass admission: a PersistentVolumeClaim that names no class (the field absent, not
// "") gets the cluster's default StorageClass, the one annotated is-default-class; with several,
// the newest wins, as the real plugin picks. The PV controller asks the same question for claims
// made before a default existed, so the choice lives here once.
import type { KObject } from '../types.js';
import type { AdmissionContext } from './index.js';

const DEFAULT_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
const BETA_DEFAULT_ANNOTATION = 'storageclass.beta.kubernetes.io/is-default-class';

export function isDefaultClass(sc: KObject): boolean {
  const a = sc.metadata?.annotations ?? {};
  return a[DEFAULT_ANNOTATION] === 'true' || a[BETA_DEFAULT_ANNOTATION] === 'true';
}

/** the default class: the newest of those marked default (ties by name) */
export function defaultClass(classes: KObject[]): KObject | undefined {
  const defaults = classes.filter(isDefaultClass);
  defaults.sort((a, b) => String(b.metadata?.creationTimestamp).localeCompare(String(a.metadata?.creationTimestamp)) || String(a.metadata?.name).localeCompare(String(b.metadata?.name)));
  return defaults[0];
}

export function defaultStorageClass(ctx: AdmissionContext, claim: KObject): void {
  const spec = (claim.spec ??= {});
  if (spec.storageClassName !== undefined && spec.storageClassName !== null) return;
  const dflt = defaultClass(ctx.store.list('storage.k8s.io/storageclasses', undefined));
  if (dflt) spec.storageClassName = dflt.metadata!.name;
}
