// JSON patch (RFC 6902): `kubectl patch --type json`. Error texts follow the json-patch library the
// apiserver uses (evanphx/json-patch v4), e.g.
//   replace operation does not apply: doc is missing key: /spec/foo: missing value
// and the apiserver answers a failed operation with 422 Invalid, "the server rejected our request due
// to an error in our request", the library's text being the single cause (jsonPatchFailureStatus).
import { deepClone, deepEqual, has, isObject } from './json-util.js';

export interface JsonPatchOp {
  op: string;
  path?: string;
  from?: string;
  value?: unknown;
}

export class JsonPatchError extends Error {
  /** 400 when the patch itself cannot be decoded, 422 when an operation does not apply */
  readonly code: 400 | 422;
  constructor(message: string, code: 400 | 422 = 422) {
    super(message);
    this.name = 'JsonPatchError';
    this.code = code;
  }
}

const MISSING = 'missing value';
const INVALID_INDEX = 'invalid index referenced';
const TEST_FAILED = 'test failed';

/** Decode a JSON patch document the way the apiserver does (errors are 400 Bad Request). */
export function parseJsonPatch(text: string): JsonPatchOp[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new JsonPatchError(`invalid character in JSON patch: ${(e as Error).message}`, 400);
  }
  if (!Array.isArray(parsed)) {
    throw new JsonPatchError(`json: cannot unmarshal ${jsonTypeWord(parsed)} into Go value of type jsonpatch.Patch`, 400);
  }
  for (const op of parsed) {
    if (!isObject(op)) throw new JsonPatchError(`json: cannot unmarshal ${jsonTypeWord(op)} into Go value of type jsonpatch.Operation`, 400);
  }
  return parsed as JsonPatchOp[];
}

function jsonTypeWord(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v;
}

type Container = { kind: 'object'; value: Record<string, unknown> } | { kind: 'array'; value: unknown[]; set: (v: unknown[]) => void };

function unescape(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Escape a key for use in a JSON pointer ("a/b" → "a~1b"). */
export function escapePointerToken(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * The container holding the last token of `path`, and that token. Undefined when any parent is
 * missing or is a scalar (then the operation "does not apply: doc is missing path").
 */
function findParent(root: { doc: unknown }, path: string): { con: Container; key: string } | undefined {
  const split = path.split('/');
  if (split.length < 2) return undefined;
  const parts = split.slice(1, -1);
  const key = unescape(split[split.length - 1]);
  let holder: { get: () => unknown; set: (v: unknown) => void } = { get: () => root.doc, set: (v) => (root.doc = v) };
  for (const raw of parts) {
    const cur = holder.get();
    const part = unescape(raw);
    if (isObject(cur)) {
      if (!has(cur, part) || cur[part] === null) return undefined;
      holder = { get: () => cur[part], set: (v) => (cur[part] = v) };
    } else if (Array.isArray(cur)) {
      const idx = arrayIndex(part, cur.length, false);
      if (typeof idx !== 'number' || cur[idx] === null) return undefined;
      holder = { get: () => cur[idx], set: (v) => (cur[idx] = v) };
    } else {
      return undefined;
    }
  }
  const target = holder.get();
  if (isObject(target)) return { con: { kind: 'object', value: target }, key };
  if (Array.isArray(target)) return { con: { kind: 'array', value: target, set: holder.set }, key };
  return undefined;
}

/** Index for an array token; negative indices count from the end, as the library allows. */
function arrayIndex(token: string, length: number, forAdd: boolean): number | string {
  if (!/^-?\d+$/.test(token)) return `strconv.Atoi: parsing ${JSON.stringify(token)}: invalid syntax`;
  let idx = Number(token);
  const size = forAdd ? length + 1 : length;
  if (idx >= size || idx < -size) return `Unable to access invalid index: ${idx}: ${INVALID_INDEX}`;
  if (idx < 0) idx += size;
  return idx;
}

function get(con: Container, key: string): { ok: true; value: unknown } | { ok: false; error: string } {
  if (con.kind === 'object') {
    if (!has(con.value, key)) return { ok: false, error: `unable to get nonexistent key: ${key}: ${MISSING}` };
    return { ok: true, value: con.value[key] };
  }
  const idx = arrayIndex(key, con.value.length, false);
  if (typeof idx !== 'number') return { ok: false, error: idx };
  return { ok: true, value: con.value[idx] };
}

function add(con: Container, key: string, value: unknown): string | undefined {
  if (con.kind === 'object') {
    con.value[key] = value;
    return undefined;
  }
  if (key === '-') {
    con.value.push(value);
    return undefined;
  }
  const idx = arrayIndex(key, con.value.length, true);
  if (typeof idx !== 'number') {
    return idx.startsWith('strconv') ? `value was not a proper array index: '${key}': ${idx}` : idx;
  }
  con.value.splice(idx, 0, value);
  return undefined;
}

function remove(con: Container, key: string): string | undefined {
  if (con.kind === 'object') {
    if (!has(con.value, key)) return `unable to remove nonexistent key: ${key}: ${MISSING}`;
    delete con.value[key];
    return undefined;
  }
  const idx = arrayIndex(key, con.value.length, false);
  if (typeof idx !== 'number') return idx;
  con.value.splice(idx, 1);
  return undefined;
}

function set(con: Container, key: string, value: unknown): void {
  if (con.kind === 'object') con.value[key] = value;
  else con.value[arrayIndex(key, con.value.length, false) as number] = value;
}

/** Apply the operations in order to a copy of `doc`; the first failing operation throws a JsonPatchError. */
export function applyJsonPatch<T = any>(doc: T, ops: JsonPatchOp[]): T {
  const root = { doc: deepClone(doc) as unknown };
  for (const op of ops) applyOne(root, op);
  return root.doc as T;
}

function fail(message: string): never {
  throw new JsonPatchError(message);
}

function applyOne(root: { doc: unknown }, op: JsonPatchOp): void {
  const kind = op.op;
  const path = op.path;
  switch (kind) {
    case 'add': {
      if (typeof path !== 'string') fail(`add operation failed to decode path: ${MISSING}`);
      const found = findParent(root, path);
      if (!found) fail(`add operation does not apply: doc is missing path: "${path}": ${MISSING}`);
      const err = add(found.con, found.key, deepClone(op.value ?? null));
      if (err) fail(`error in add for path: '${path}': ${err}`);
      return;
    }
    case 'remove': {
      if (typeof path !== 'string') fail(`remove operation failed to decode path: ${MISSING}`);
      const found = findParent(root, path);
      if (!found) fail(`remove operation does not apply: doc is missing path: "${path}": ${MISSING}`);
      const err = remove(found.con, found.key);
      if (err) fail(`error in remove for path: '${path}': ${err}`);
      return;
    }
    case 'replace': {
      if (typeof path !== 'string') fail(`replace operation failed to decode path: ${MISSING}`);
      const found = findParent(root, path);
      if (!found) fail(`replace operation does not apply: doc is missing path: ${path}: ${MISSING}`);
      if (!get(found.con, found.key).ok) fail(`replace operation does not apply: doc is missing key: ${path}: ${MISSING}`);
      set(found.con, found.key, deepClone(op.value ?? null));
      return;
    }
    case 'move':
    case 'copy': {
      const from = op.from;
      if (typeof from !== 'string') fail(`${kind} operation failed to decode from: ${MISSING}`);
      const src = findParent(root, from);
      if (!src) fail(`${kind} operation does not apply: doc is missing from path: ${from}: ${MISSING}`);
      const got = get(src.con, src.key);
      if (!got.ok) fail(kind === 'move' ? `error in move for path: '${src.key}': ${got.error}` : `error in copy for from: '${from}': ${got.error}`);
      if (kind === 'move') {
        const err = remove(src.con, src.key);
        if (err) fail(`error in move for path: '${src.key}': ${err}`);
      }
      if (typeof path !== 'string') fail(`${kind} operation failed to decode path: ${MISSING}`);
      const dst = findParent(root, path);
      if (!dst) fail(`${kind} operation does not apply: doc is missing destination path: ${path}: ${MISSING}`);
      const err = add(dst.con, dst.key, kind === 'copy' ? deepClone(got.value) : got.value);
      if (err) fail(kind === 'move' ? `error in move for path: '${path}': ${err}` : `error while adding value during copy: ${err}`);
      return;
    }
    case 'test': {
      if (typeof path !== 'string') fail(`test operation failed to decode path: ${MISSING}`);
      const found = findParent(root, path);
      if (!found) fail(`test operation does not apply: is missing path: ${path}: ${MISSING}`);
      const got = get(found.con, found.key);
      if (!got.ok) fail(`error in test for path: '${path}': ${got.error}`);
      if (!deepEqual(got.value ?? null, op.value ?? null)) fail(`testing value ${path} failed: ${TEST_FAILED}`);
      return;
    }
    default:
      fail(`Unexpected kind: ${kind}`);
  }
}

/**
 * The metav1.Status the apiserver returns when applying a JSON patch fails: 422 Invalid with a generic
 * message and the library's text as the only cause (kubectl then prints "The request is invalid: ...").
 */
export function jsonPatchFailureStatus(err: JsonPatchError) {
  if (err.code === 400) {
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: err.message, reason: 'BadRequest', code: 400 };
  }
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'the server rejected our request due to an error in our request',
    reason: 'Invalid',
    // NewGenericServerResponse for an expected failure: empty details, no causes.
    details: {},
    code: 422,
  };
}
