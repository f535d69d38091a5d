// The transport-independent contract of the apiserver: a request in, a response out.
import type { ResourceInfo } from './resources.js';

/** Any Kubernetes object, as JSON. */
export type KObject = { apiVersion?: string; kind?: string; metadata?: ObjectMeta; [key: string]: any };

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: any[];
  [key: string]: any;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface UserInfo {
  username: string;
  groups: string[];
}

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export type PatchType = 'strategic' | 'merge' | 'json' | 'apply';

export interface ApiRequest {
  verb: Verb;
  resource: ResourceInfo;
  namespace?: string;
  name?: string;
  subresource?: string;
  body?: any;
  user: UserInfo;
  dryRun?: boolean;
  fieldManager?: string;
  /** for patch: how body is to be applied */
  patchType?: PatchType;
  /** server-side apply: take ownership of conflicting fields */
  force?: boolean;
  /** Strict (default for kubectl), Warn or Ignore */
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
  labelSelector?: string;
  fieldSelector?: string;
  /** delete options */
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  gracePeriodSeconds?: number;
  /** user impersonated by this request, if any (the real user must be allowed to impersonate) */
  impersonate?: UserInfo;
  /**
   * In-process callers (the control plane's components) that promise not to mutate what they
   * read: get and list hand out the stored objects instead of copies, writes return the stored
   * object, and their bodies (built by code, not sent over a wire) skip the request size check.
   */
  noCopy?: boolean;
  /** who is calling, as the User-Agent header says it (a controller of kube-controller-manager) */
  userAgent?: string;
}

export interface ApiResponse {
  code: number;
  body: KObject;
  warnings?: string[];
}

/** metav1.Status as the apiserver returns it for every failure. */
export interface Status extends KObject {
  kind: 'Status';
  apiVersion: 'v1';
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  code: number;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    causes?: { reason?: string; message: string; field?: string }[];
  };
}
