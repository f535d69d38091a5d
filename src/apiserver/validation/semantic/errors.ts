// Field errors as apimachinery's field.Error, and the messages the apiserver builds from them.
// The strings matter: kubectl prints them verbatim, so the rendering follows Go's fmt verbs
// (%q for strings, %v for numbers, %#v for maps and structs) exactly where users see them.
import { RESOURCES } from '../../resources.js';

export type FieldErrorType = 'Required' | 'Invalid' | 'Duplicate' | 'NotSupported' | 'Forbidden' | 'TooLong' | 'TooMany' | 'NotFound';

export interface FieldError {
  type: FieldErrorType;
  field: string;
  value?: any;
  detail?: string;
  /**
   * How Go would print the value with %#v when it is a typed struct or map (e.g. the selector's
   * `v1.LabelSelector{...}`). When absent the value's JS shape decides.
   */
  goType?: 'map[string]string' | 'LabelSelector' | '[]string';
}

const TYPE_STRING: Record<FieldErrorType, string> = {
  Required: 'Required value',
  Invalid: 'Invalid value',
  Duplicate: 'Duplicate value',
  NotSupported: 'Unsupported value',
  Forbidden: 'Forbidden',
  TooLong: 'Too long',
  TooMany: 'Too many',
  NotFound: 'Not found',
};

/** metav1.CauseType of each error type, as the Status causes carry it. */
const CAUSE_TYPE: Record<FieldErrorType, string> = {
  Required: 'FieldValueRequired',
  Invalid: 'FieldValueInvalid',
  Duplicate: 'FieldValueDuplicate',
  NotSupported: 'FieldValueNotSupported',
  Forbidden: 'FieldValueForbidden',
  TooLong: 'FieldValueTooLong',
  TooMany: 'FieldValueTooMany',
  NotFound: 'FieldValueNotFound',
};

// ---- constructors, named like field.Required, field.Invalid ... ----

export const required = (field: string, detail = ''): FieldError => ({ type: 'Required', field, value: '', detail });
export const invalid = (field: string, value: any, detail = '', goType?: FieldError['goType']): FieldError =>
  goType ? { type: 'Invalid', field, value, detail, goType } : { type: 'Invalid', field, value, detail };
export const duplicate = (field: string, value: any): FieldError => ({ type: 'Duplicate', field, value, detail: '' });
export const forbidden = (field: string, detail: string): FieldError => ({ type: 'Forbidden', field, value: '', detail });
export function notSupported(field: string, value: any, valid: string[]): FieldError {
  const detail = valid.length ? 'supported values: ' + valid.map(goQuote).join(', ') : '';
  return { type: 'NotSupported', field, value, detail };
}
export const notFound = (field: string, value: any): FieldError => ({ type: 'NotFound', field, value, detail: '' });
export const tooLong = (field: string, value: any, max: number): FieldError =>
  ({ type: 'TooLong', field, value, detail: `must have at most ${max} bytes` });
export const tooMany = (field: string, actual: number, max: number): FieldError =>
  ({ type: 'TooMany', field, value: actual, detail: `must have at most ${max} items` });

// ---- Go value rendering ----

/** Go's %q for a string: printable runes kept, the rest escaped. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + '"';
}

function goStringMap(m: Record<string, string> | null | undefined): string {
  if (m == null) return 'map[string]string(nil)';
  // fmt sorts map keys when printing
  const keys = Object.keys(m).sort();
  return 'map[string]string{' + keys.map((k) => `${goQuote(k)}:${goQuote(String(m[k]))}`).join(', ') + '}';
}

function goStringSlice(a: string[] | null | undefined): string {
  if (a == null) return '[]string(nil)';
  return '[]string{' + a.map((s) => goQuote(String(s))).join(', ') + '}';
}

function goLabelSelector(sel: any): string {
  if (sel == null) return 'null';
  const exprs = sel.matchExpressions;
  const exprStr = exprs == null
    ? '[]v1.LabelSelectorRequirement(nil)'
    : '[]v1.LabelSelectorRequirement{' + exprs.map((e: any) =>
      `v1.LabelSelectorRequirement{Key:${goQuote(e.key ?? '')}, Operator:${goQuote(e.operator ?? '')}, Values:${goStringSlice(e.values)}}`).join(', ') + '}';
  return `v1.LabelSelector{MatchLabels:${goStringMap(sel.matchLabels)}, MatchExpressions:${exprStr}}`;
}

/** The value part of an error body, as ErrorBody's type switch prints it. */
export function renderGoValue(value: any, goType?: FieldError['goType']): string {
  if (goType === 'LabelSelector') return goLabelSelector(value);
  if (goType === 'map[string]string') return goStringMap(value);
  if (goType === '[]string') return goStringSlice(value);
  if (value === undefined || value === null) return 'null';
  // A value that knows its Go rendering, like a fmt.Stringer.
  if (typeof value === 'object' && Object.prototype.hasOwnProperty.call(value, 'toString')) return String(value);
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return goStringSlice(value);
  if (typeof value === 'object' && Object.values(value).every((v) => typeof v === 'string')) return goStringMap(value);
  return JSON.stringify(value);
}

/** field.Error.ErrorBody(): the message without the field path. */
export function errorBody(e: FieldError): string {
  let s: string;
  switch (e.type) {
    case 'Required':
    case 'Forbidden':
    case 'TooLong':
      s = TYPE_STRING[e.type];
      break;
    default:
      s = `${TYPE_STRING[e.type]}: ${renderGoValue(e.value, e.goType)}`;
  }
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

/** field.Error.Error(): "<field>: <body>". */
export function errorString(e: FieldError): string {
  return `${e.field}: ${errorBody(e)}`;
}

/** ErrorList.ToAggregate().Error(): duplicates dropped, several joined as "[a, b]". */
export function aggregate(errors: FieldError[]): string {
  const seen: string[] = [];
  for (const e of errors) {
    const m = errorString(e);
    if (!seen.includes(m)) seen.push(m);
  }
  if (seen.length === 1) return seen[0];
  return '[' + seen.join(', ') + ']';
}

function groupOfKind(kind: string): string {
  // Event exists in two groups; the core one is what kubectl's errors name.
  const ri = RESOURCES.find((r) => r.kind === kind && r.group !== 'events.k8s.io') ?? RESOURCES.find((r) => r.kind === kind);
  return ri ? ri.group : '';
}

/**
 * apierrors.NewInvalid's message: `Deployment.apps "x" is invalid: <aggregate>`.
 * (kubectl itself does not print this; it rebuilds `The Deployment "x" is invalid: ...` from the
 * Status details' kind, name and causes.)
 */
export function formatInvalid(kind: string, name: string, errors: FieldError[], group?: string): string {
  const g = group ?? groupOfKind(kind);
  const qualified = g ? `${kind}.${g}` : kind;
  const head = `${qualified} ${goQuote(name)} is invalid`;
  return errors.length ? `${head}: ${aggregate(errors)}` : head;
}

export interface StatusCause { reason: string; message: string; field: string }

/** The metav1.Status details.causes of an Invalid error, one per field error, in order. */
export function statusCauses(errors: FieldError[]): StatusCause[] {
  return errors.map((e) => ({ reason: CAUSE_TYPE[e.type], message: errorBody(e), field: e.field }));
}

/** The whole metav1.Status the apiserver returns (422 Invalid). */
export function invalidStatus(kind: string, name: string, errors: FieldError[], group?: string) {
  const g = group ?? groupOfKind(kind);
  return {
    kind: 'Status' as const,
    apiVersion: 'v1' as const,
    metadata: {},
    status: 'Failure' as const,
    message: formatInvalid(kind, name, errors, g),
    reason: 'Invalid',
    details: { name, group: g || undefined, kind, causes: statusCauses(errors) },
    code: 422,
  };
}
