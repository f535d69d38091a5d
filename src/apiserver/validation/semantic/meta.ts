// ObjectMeta, labels, annotations and label selectors: the checks every kind shares.
import { FieldError, forbidden, invalid, required, tooLong } from './errors.js';
import { isDNS1123Label, isQualifiedName, isValidLabelValue, NameFn } from './names.js';

const TOTAL_ANNOTATION_SIZE = 256 * 1024;

export function validateLabels(labels: any, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!labels || typeof labels !== 'object') return errs;
  for (const [k, v] of Object.entries(labels)) {
    for (const m of isQualifiedName(k)) errs.push(invalid(field, k, m));
    for (const m of isValidLabelValue(String(v ?? ''))) errs.push(invalid(field, String(v ?? ''), m));
  }
  return errs;
}

export function validateAnnotations(annotations: any, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!annotations || typeof annotations !== 'object') return errs;
  let size = 0;
  for (const [k, v] of Object.entries(annotations)) {
    for (const m of isQualifiedName(k.toLowerCase())) errs.push(invalid(field, k, m));
    size += k.length + String(v ?? '').length;
  }
  if (size > TOTAL_ANNOTATION_SIZE) errs.push(tooLong(field, '', TOTAL_ANNOTATION_SIZE));
  return errs;
}

export function validateNonnegative(value: any, field: string): FieldError[] {
  return typeof value === 'number' && value < 0 ? [invalid(field, value, 'must be greater than or equal to 0')] : [];
}

/** ValidateObjectMeta: name or generateName, namespace presence, labels, annotations, finalizers. */
export function validateObjectMeta(meta: any, namespaced: boolean, nameFn: NameFn, path = 'metadata'): FieldError[] {
  const errs: FieldError[] = [];
  meta = meta ?? {};
  if (meta.generateName) {
    for (const m of nameFn(meta.generateName, true)) errs.push(invalid(`${path}.generateName`, meta.generateName, m));
  }
  if (!meta.name) errs.push(required(`${path}.name`, 'name or generateName is required'));
  else for (const m of nameFn(meta.name, false)) errs.push(invalid(`${path}.name`, meta.name, m));
  if (namespaced) {
    if (!meta.namespace) errs.push(required(`${path}.namespace`));
    else for (const m of isDNS1123Label(meta.namespace)) errs.push(invalid(`${path}.namespace`, meta.namespace, m));
  } else if (meta.namespace) {
    errs.push(forbidden(`${path}.namespace`, 'not allowed on this type'));
  }
  errs.push(...validateNonnegative(meta.generation, `${path}.generation`));
  errs.push(...validateLabels(meta.labels, `${path}.labels`));
  errs.push(...validateAnnotations(meta.annotations, `${path}.annotations`));
  for (const [i, f] of (meta.finalizers ?? []).entries()) {
    for (const m of isQualifiedName(String(f))) errs.push(invalid(`${path}.finalizers[${i}]`, f, m));
  }
  return errs;
}

/** ValidateObjectMetaUpdate: the identity fields cannot change. */
export function validateObjectMetaUpdate(meta: any, old: any, path = 'metadata'): FieldError[] {
  const errs: FieldError[] = [];
  meta = meta ?? {};
  old = old ?? {};
  for (const f of ['name', 'namespace', 'uid', 'creationTimestamp'] as const) {
    if (old[f] !== undefined && meta[f] !== undefined && meta[f] !== old[f]) {
      errs.push(invalid(`${path}.${f}`, meta[f], 'field is immutable'));
    }
  }
  return errs;
}

/** Deep equality of JSON values, treating a missing field and null alike. */
export function deepEqual(a: any, b: any): boolean {
  if (a === b) return true;
  if (a == null || b == null) return a == null && b == null;
  if (typeof a !== typeof b || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if (!deepEqual(a[k], b[k])) return false;
  return true;
}

export function validateImmutable(value: any, old: any, field: string, goType?: FieldError['goType']): FieldError[] {
  return deepEqual(value, old) ? [] : [invalid(field, value, 'field is immutable', goType)];
}

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** metav1validation.ValidateLabelSelector. */
export function validateLabelSelector(sel: any, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!sel) return errs;
  for (const [i, e] of (sel.matchExpressions ?? []).entries()) {
    const p = `${path}.matchExpressions[${i}]`;
    const op = e?.operator;
    if (op === 'In' || op === 'NotIn') {
      if (!e.values?.length) errs.push(required(`${p}.values`, 'must be specified when `operator` is \'In\' or \'NotIn\''));
    } else if (op === 'Exists' || op === 'DoesNotExist') {
      if (e.values?.length) errs.push(forbidden(`${p}.values`, 'may not be specified when `operator` is \'Exists\' or \'DoesNotExist\''));
    } else {
      errs.push(invalid(`${p}.operator`, op ?? '', 'not a valid selector operator'));
    }
    for (const m of isQualifiedName(String(e?.key ?? ''))) errs.push(invalid(`${p}.key`, e?.key ?? '', m));
  }
  errs.push(...validateLabels(sel.matchLabels, `${path}.matchLabels`));
  return errs;
}

export function selectorIsEmpty(sel: any): boolean {
  return !sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0);
}

/** Does a metav1.LabelSelector select this label set? */
export function selectorMatches(sel: any, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  for (const [k, v] of Object.entries(sel?.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const e of sel?.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(l, e.key);
    switch (e.operator) {
      case 'In': if (!has || !(e.values ?? []).includes(l[e.key])) return false; break;
      case 'NotIn': if (has && (e.values ?? []).includes(l[e.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

export function isValidOperator(op: string): boolean { return OPERATORS.includes(op); }
