// LimitRanger (plugin/pkg/admission/limitranger): default requests and limits from the namespace's
// LimitRanges, and their bounds (min, max, maxLimitRequestRatio) per Container, Pod and PVC.
import type { AdmissionContext } from './index.js';
import type { KObject } from '../types.js';
import { forbidden } from '../errors.js';
import { qualifiedName } from '../resources.js';
import {
  type Quantity,
  type ResourceList,
  addQuantity,
  formatQuantity,
  milliValue,
  parseResourceList,
  tryParseQuantity,
} from '../quantity.js';

export const LIMIT_RANGER_ANNOTATION = 'kubernetes.io/limit-ranger';

function namespaceOf(ctx: AdmissionContext, obj: KObject): string | undefined {
  return obj.metadata?.namespace ?? ctx.namespace;
}

function limitRanges(ctx: AdmissionContext, obj: KObject): KObject[] {
  const ns = namespaceOf(ctx, obj);
  return ns ? ctx.store.list('limitranges', ns) : [];
}

/**
 * The item as the API stores it: SetDefaults_LimitRangeItem gives a Container item default limits
 * from max and default requests from default/min. Applied here too so a LimitRange written around
 * the defaulting (fixtures, tests) behaves the same.
 */
function effectiveItem(item: any): any {
  if (item?.type !== 'Container') return item ?? {};
  const def: Record<string, unknown> = { ...(item.max ?? {}), ...(item.default ?? {}) };
  const defReq: Record<string, unknown> = { ...(item.min ?? {}), ...def, ...(item.defaultRequest ?? {}) };
  return { ...item, default: def, defaultRequest: defReq };
}

function items(lr: KObject): any[] {
  return ((lr.spec?.limits ?? []) as any[]).map(effectiveItem);
}

// ---- defaulting (mutating) ----

function containerDefaults(lr: KObject): { requests: Record<string, unknown>; limits: Record<string, unknown> } {
  const requests: Record<string, unknown> = {};
  const limits: Record<string, unknown> = {};
  for (const item of items(lr)) {
    if (item.type !== 'Container') continue;
    Object.assign(requests, item.defaultRequest ?? {});
    Object.assign(limits, item.default ?? {});
  }
  return { requests, limits };
}

function canonicalString(v: unknown): string {
  const q = tryParseQuantity(v);
  return q ? formatQuantity(q) : String(v);
}

/** Fills what the container lacks; returns the annotation phrases, requests before limits. */
function mergeContainer(c: any, defaults: ReturnType<typeof containerDefaults>, what: string): string[] {
  const setRequests: string[] = [];
  const setLimits: string[] = [];
  for (const [k, v] of Object.entries(defaults.limits)) {
    if (c.resources?.limits && k in c.resources.limits) continue;
    c.resources ??= {};
    c.resources.limits ??= {};
    c.resources.limits[k] = canonicalString(v);
    setLimits.push(k);
  }
  for (const [k, v] of Object.entries(defaults.requests)) {
    if (c.resources?.requests && k in c.resources.requests) continue;
    c.resources ??= {};
    c.resources.requests ??= {};
    c.resources.requests[k] = canonicalString(v);
    setRequests.push(k);
  }
  const out: string[] = [];
  if (setRequests.length) out.push(`${setRequests.sort().join(', ')} request for ${what} ${c.name}`);
  if (setLimits.length) out.push(`${setLimits.sort().join(', ')} limit for ${what} ${c.name}`);
  return out;
}

/** PodMutateLimitFunc, for each LimitRange of the namespace in turn; pods on CREATE only. */
export function limitRangerMutate(ctx: AdmissionContext, pod: KObject): void {
  if (pod.kind !== 'Pod' || ctx.operation !== 'CREATE') return;
  for (const lr of limitRanges(ctx, pod)) {
    const defaults = containerDefaults(lr);
    const phrases: string[] = [];
    for (const c of pod.spec?.containers ?? []) phrases.push(...mergeContainer(c, defaults, 'container'));
    for (const c of pod.spec?.initContainers ?? []) phrases.push(...mergeContainer(c, defaults, 'init container'));
    if (phrases.length) {
      const md = (pod.metadata ??= {});
      md.annotations ??= {};
      md.annotations[LIMIT_RANGER_ANNOTATION] = `LimitRanger plugin set: ${phrases.join('; ')}`;
    }
  }
}

// ---- bounds (validating) ----

// Go compares at milli precision (requestLimitEnforcedValues); milliValue rounds up like MilliValue().
function milli(q: Quantity | undefined): number {
  return q ? milliValue(q) : 0;
}

function minConstraint(type: string, name: string, enforcedRaw: unknown, req: ResourceList, lim: ResourceList): string | undefined {
  const enforced = tryParseQuantity(enforcedRaw);
  if (!enforced) return undefined;
  const e = formatQuantity(enforced);
  if (!(name in req)) return `minimum ${name} usage per ${type} is ${e}.  No request is specified`;
  if (milli(req[name]) < milli(enforced)) return `minimum ${name} usage per ${type} is ${e}, but request is ${formatQuantity(req[name])}`;
  if (name in lim && milli(lim[name]) < milli(enforced)) {
    return `minimum ${name} usage per ${type} is ${e}, but limit is ${formatQuantity(lim[name])}`;
  }
  return undefined;
}

function maxConstraint(type: string, name: string, enforcedRaw: unknown, req: ResourceList, lim: ResourceList): string | undefined {
  const enforced = tryParseQuantity(enforcedRaw);
  if (!enforced) return undefined;
  const e = formatQuantity(enforced);
  if (!(name in lim)) return `maximum ${name} usage per ${type} is ${e}.  No limit is specified`;
  if (milli(lim[name]) > milli(enforced)) return `maximum ${name} usage per ${type} is ${e}, but limit is ${formatQuantity(lim[name])}`;
  if (name in req && milli(req[name]) > milli(enforced)) {
    return `maximum ${name} usage per ${type} is ${e}, but request is ${formatQuantity(req[name])}`;
  }
  return undefined;
}

/** PVCs: max applies to the request, as there is no limit to compare. */
function maxRequestConstraint(type: string, name: string, enforcedRaw: unknown, req: ResourceList): string | undefined {
  const enforced = tryParseQuantity(enforcedRaw);
  if (!enforced) return undefined;
  const e = formatQuantity(enforced);
  if (!(name in req)) return `maximum ${name} usage per ${type} is ${e}.  No request is specified`;
  if (milli(req[name]) > milli(enforced)) return `maximum ${name} usage per ${type} is ${e}, but request is ${formatQuantity(req[name])}`;
  return undefined;
}

function ratioConstraint(type: string, name: string, enforcedRaw: unknown, req: ResourceList, lim: ResourceList): string | undefined {
  const enforced = tryParseQuantity(enforcedRaw);
  if (!enforced) return undefined;
  const e = formatQuantity(enforced);
  const r = milli(req[name]);
  const l = milli(lim[name]);
  if (!(name in req) || r === 0) return `${name} max limit to request ratio per ${type} is ${e}, but no request is specified or request is 0`;
  if (!(name in lim) || l === 0) return `${name} max limit to request ratio per ${type} is ${e}, but no limit is specified or limit is 0`;
  const observed = l / r;
  if (observed * 1000 > milliValue(enforced)) {
    // Go's %f: six decimals.
    return `${name} max limit to request ratio per ${type} is ${e}, but provided ratio is ${observed.toFixed(6)}`;
  }
  return undefined;
}

function checkBounds(item: any, type: string, req: ResourceList, lim: ResourceList, errs: string[]): void {
  const push = (m: string | undefined) => {
    if (m !== undefined) errs.push(m);
  };
  for (const [k, v] of Object.entries(item.min ?? {})) push(minConstraint(type, k, v, req, lim));
  for (const [k, v] of Object.entries(item.max ?? {})) push(maxConstraint(type, k, v, req, lim));
  for (const [k, v] of Object.entries(item.maxLimitRequestRatio ?? {})) push(ratioConstraint(type, k, v, req, lim));
}

function maxLists(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = { ...a };
  for (const [k, v] of Object.entries(b)) if (!(k in out) || v.nanos > out[k].nanos) out[k] = v;
  return out;
}

function addLists(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = k in out ? addQuantity(out[k], v) : v;
  return out;
}

/**
 * The pod's effective requests (or limits): the sum over containers, or the largest init container
 * if that is more; sidecars (restartPolicy Always init containers) run alongside and add up.
 */
export function podResourceList(spec: any, field: 'requests' | 'limits'): ResourceList {
  let total: ResourceList = {};
  for (const c of spec?.containers ?? []) total = addLists(total, parseResourceList(c?.resources?.[field]));
  let sidecars: ResourceList = {};
  let initMax: ResourceList = {};
  for (const c of spec?.initContainers ?? []) {
    const own = parseResourceList(c?.resources?.[field]);
    let effective: ResourceList;
    if (c?.restartPolicy === 'Always') {
      total = addLists(total, own);
      sidecars = addLists(sidecars, own);
      effective = sidecars;
    } else {
      effective = addLists(own, sidecars);
    }
    initMax = maxLists(initMax, effective);
  }
  return maxLists(total, initMax);
}

function podErrors(lr: KObject, pod: KObject): string[] {
  const errs: string[] = [];
  for (const item of items(lr)) {
    if (item.type === 'Container') {
      for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
        checkBounds(item, 'Container', parseResourceList(c?.resources?.requests), parseResourceList(c?.resources?.limits), errs);
      }
    }
    if (item.type === 'Pod') {
      checkBounds(item, 'Pod', podResourceList(pod.spec, 'requests'), podResourceList(pod.spec, 'limits'), errs);
    }
  }
  return errs;
}

function pvcErrors(lr: KObject, pvc: KObject): string[] {
  const errs: string[] = [];
  const req = parseResourceList(pvc.spec?.resources?.requests);
  for (const item of items(lr)) {
    if (item.type !== 'PersistentVolumeClaim') continue;
    for (const [k, v] of Object.entries(item.min ?? {})) {
      const m = minConstraint('PersistentVolumeClaim', k, v, req, {});
      if (m) errs.push(m);
    }
    for (const [k, v] of Object.entries(item.max ?? {})) {
      const m = maxRequestConstraint('PersistentVolumeClaim', k, v, req);
      if (m) errs.push(m);
    }
  }
  return errs;
}

/** utilerrors.NewAggregate(...).Error(): one message alone, several in brackets; duplicates once. */
function aggregate(errs: string[]): string {
  const unique = [...new Set(errs)];
  return unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`;
}

/** PodValidateLimitFunc / PersistentVolumeClaimValidateLimitFunc: the first LimitRange refused wins. */
export function limitRangerValidate(ctx: AdmissionContext, obj: KObject): void {
  const isPod = obj.kind === 'Pod';
  const isPvc = obj.kind === 'PersistentVolumeClaim';
  if (!isPod && !isPvc) return;
  if (ctx.operation === 'DELETE') return;
  // Pod containers cannot change after creation, so updates are not checked again.
  if (isPod && ctx.operation !== 'CREATE') return;
  // An object on its way out is not held to the ranges.
  if (ctx.operation === 'UPDATE' && ctx.old?.metadata?.deletionTimestamp) return;
  for (const lr of limitRanges(ctx, obj)) {
    const errs = isPod ? podErrors(lr, obj) : pvcErrors(lr, obj);
    if (errs.length) {
      const name = obj.metadata?.name || obj.metadata?.generateName || 'Unknown';
      throw forbidden(`${qualifiedName(ctx.resource)} "${name}" is forbidden: ${aggregate(errs)}`, ctx.resource, name);
    }
  }
}
