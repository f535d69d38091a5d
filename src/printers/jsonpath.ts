// kubectl's JSONPath dialect (k8s.io/client-go/util/jsonpath), re-implemented from its observable
// behaviour: the same grammar, the same quirks (e.g. int vs float comparisons in filters fail),
// and the same error wording, because scripts around kubectl depend on all three.

import { CliError } from '../cli/errors.js';

/**
 * Thrown for template syntax errors. `message` is exactly what kubectl prints on stderr (before the
 * newline), `detail` the same without the leading `error: `.
 */
export class JsonPathParseError extends CliError {
  constructor(readonly detail: string) {
    super(`error: ${detail}`);
  }
}
/**
 * Thrown when a parsed template fails on the data. `message` is kubectl's whole stderr text
 * (ending in newlines), `reason` the short cause such as `foo is not found`.
 */
export class JsonPathExecError extends CliError {
  constructor(message: string, readonly reason: string) {
    super(message);
  }
}

// ---------------------------------------------------------------- AST

type Param = { known: boolean; value: number; derived: boolean };
type Node =
  | { t: 'field'; name: string }
  | { t: 'wildcard' }
  | { t: 'recursive' }
  | { t: 'array'; params: [Param, Param, Param] }
  | { t: 'union'; lists: Node[][] }
  | { t: 'filter'; left: Node[]; right: Node[]; op: string }
  | { t: 'text'; value: string }
  | { t: 'int'; value: number }
  | { t: 'float'; value: number }
  | { t: 'bool'; value: boolean }
  | { t: 'ident'; name: string };

/** A top-level piece of a template: plain text outside braces, or one `{...}` action. */
type Segment = { t: 'text'; value: string } | { t: 'action'; nodes: Node[] };

/** Marks a float literal from the template so `@.n==3.0` against an integer fails like kubectl. */
class FloatLit {
  constructor(readonly v: number) {}
}

// ---------------------------------------------------------------- parser

const TERMINATORS = new Set([' ', '\t', '\r', '\n', '.', ',', '[', ']', '$', '@', '{', '}']);

class Parser {
  pos = 0;
  constructor(readonly input: string) {}

  parseTemplate(): Segment[] {
    const segs: Segment[] = [];
    let text = '';
    while (this.pos < this.input.length) {
      if (this.input[this.pos] === '{') {
        if (text) segs.push({ t: 'text', value: text });
        text = '';
        this.pos++;
        segs.push({ t: 'action', nodes: this.parseAction() });
      } else {
        text += this.input[this.pos++];
      }
    }
    if (text) segs.push({ t: 'text', value: text });
    return segs;
  }

  /** Parses from just after `{` through the matching `}`. */
  parseAction(): Node[] {
    const nodes: Node[] = [];
    for (;;) {
      const rest = this.input.slice(this.pos);
      if (rest.startsWith('}')) {
        this.pos++;
        return nodes;
      }
      if (rest.startsWith('[?(')) {
        nodes.push(this.parseFilter());
        continue;
      }
      if (rest.startsWith('..')) {
        this.pos++; // leave one '.' so the field parser takes the name
        nodes.push({ t: 'recursive' });
        continue;
      }
      const r = this.input[this.pos];
      if (r === undefined || r === '\n' || r === '\r') throw new JsonPathParseError('unclosed action');
      if (r === ' ' || r === '\t' || r === '@' || r === '$') {
        this.pos++;
      } else if (r === '[') {
        nodes.push(...this.parseArray());
      } else if (r === '"' || r === "'") {
        nodes.push(this.parseQuote(r));
      } else if (r === '.') {
        this.pos++;
        nodes.push(this.parseField());
      } else if (r === '+' || r === '-' || /[0-9]/.test(r)) {
        nodes.push(this.parseNumber());
      } else if (/[\p{L}\p{N}_]/u.test(r)) {
        nodes.push(this.parseIdentifier());
      } else {
        throw new JsonPathParseError(`unrecognized character in action: ${goRune(r)}`);
      }
    }
  }

  parseField(): Node {
    let raw = '';
    while (this.pos < this.input.length && !TERMINATORS.has(this.input[this.pos])) {
      // a backslash keeps the next character (e.g. `kubernetes\.io/name`)
      if (this.input[this.pos] === '\\' && this.pos + 1 < this.input.length) raw += this.input[this.pos++];
      raw += this.input[this.pos++];
    }
    if (raw === '*') return { t: 'wildcard' };
    return { t: 'field', name: raw.replace(/\\/g, '') };
  }

  parseIdentifier(): Node {
    let id = '';
    while (this.pos < this.input.length && /[\p{L}\p{N}_]/u.test(this.input[this.pos])) id += this.input[this.pos++];
    if (id === 'true' || id === 'false') return { t: 'bool', value: id === 'true' };
    return { t: 'ident', name: id };
  }

  parseNumber(): Node {
    let s = this.input[this.pos++];
    while (this.pos < this.input.length && /[0-9.eE+-]/.test(this.input[this.pos])) s += this.input[this.pos++];
    if (/^[+-]?\d+$/.test(s)) return { t: 'int', value: parseInt(s, 10) };
    const f = Number(s);
    if (Number.isNaN(f)) throw new JsonPathParseError(`cannot parse number ${s}`);
    return { t: 'float', value: f };
  }

  parseQuote(q: string): Node {
    const start = this.pos;
    this.pos++;
    while (this.pos < this.input.length) {
      const c = this.input[this.pos];
      if (c === '\\') {
        this.pos += 2;
        continue;
      }
      if (c === q) break;
      this.pos++;
    }
    if (this.pos >= this.input.length) throw new JsonPathParseError('unterminated quoted string');
    this.pos++;
    const lit = this.input.slice(start, this.pos);
    const value = unquoteGo(lit.slice(1, -1));
    if (value === undefined) throw new JsonPathParseError(`unquote string ${lit} error invalid syntax`);
    return { t: 'text', value };
  }

  parseArray(): Node[] {
    const close = this.input.indexOf(']', this.pos);
    const nl = this.input.indexOf('\n', this.pos);
    if (close < 0 || (nl >= 0 && nl < close)) throw new JsonPathParseError('unterminated array');
    let text = this.input.slice(this.pos + 1, close);
    this.pos = close + 1;
    if (text === '*') text = ':';
    const parts = text.split(',');
    if (parts.length > 1) {
      const lists = parts.map((p) => new Parser(`[${p.trim()}]}`).parseAction());
      return [{ t: 'union', lists }];
    }
    const dict = /^'([^']*)'$/.exec(text);
    if (dict) return new Parser(`.${dict[1]}}`).parseAction();
    const m = /^(-?\d*)(:-?\d*)?(:-?\d*)?$/.exec(text);
    if (!m) throw new JsonPathParseError(`invalid array index ${text}`);
    const params: [Param, Param, Param] = [
      { known: false, value: 0, derived: false },
      { known: false, value: 0, derived: false },
      { known: false, value: 0, derived: false },
    ];
    for (let i = 0; i < 3; i++) {
      let v = m[i + 1];
      if (v !== undefined && v !== '') {
        if (i > 0) v = v.slice(1);
        if (i > 0 && v === '') continue;
        params[i] = { known: true, value: parseInt(v, 10), derived: false };
      } else if (i === 1) {
        params[1] = { known: true, value: params[0].value + 1, derived: true };
      }
    }
    return [{ t: 'array', params }];
  }

  parseFilter(): Node {
    this.pos += 3;
    const start = this.pos;
    let begin = false;
    let end = false;
    let pair = '';
    for (;;) {
      const r = this.input[this.pos++];
      if (r === undefined || r === '\n') throw new JsonPathParseError('unterminated filter');
      if (r === '"' || r === "'") {
        if (!begin) {
          begin = true;
          pair = r;
          continue;
        }
        if (this.input[this.pos - 2] !== '\\' && r === pair) end = true;
      } else if (r === ')' && begin === end) {
        break;
      }
    }
    if (this.input[this.pos++] !== ']') throw new JsonPathParseError('unclosed array expect ]');
    const text = this.input.slice(start, this.pos - 2);
    const m = /^([^!<>=]+)([!<>=]+)(.+?)$/.exec(text);
    if (!m) return { t: 'filter', left: new Parser(text + '}').parseAction(), right: [], op: 'exists' };
    return {
      t: 'filter',
      left: new Parser(m[1] + '}').parseAction(),
      right: new Parser(m[3] + '}').parseAction(),
      op: m[2],
    };
  }
}

/** Go's %#U for a rune: `U+002C ','`. */
function goRune(r: string): string {
  const cp = r.codePointAt(0)!;
  const hex = 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');
  return cp >= 0x20 && cp !== 0x7f ? `${hex} '${r}'` : hex;
}

/** strconv.Unquote of the body of a quoted literal; undefined when Go would reject it. */
function unquoteGo(body: string): string | undefined {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'", a: '\x07', b: '\b', f: '\f', v: '\v' };
    if (e !== undefined && e in simple) {
      out += simple[e];
    } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(body.slice(i + 1, i + 5))) {
      out += String.fromCharCode(parseInt(body.slice(i + 1, i + 5), 16));
      i += 4;
    } else {
      return undefined;
    }
  }
  return out;
}

export function parseJsonPath(template: string): Segment[] {
  try {
    return new Parser(template).parseTemplate();
  } catch (e) {
    if (e instanceof JsonPathParseError) throw new JsonPathParseError(`error parsing jsonpath ${template}, ${e.detail}`);
    throw e;
  }
}

// ---------------------------------------------------------------- evaluation

class EvalError extends Error {}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The Go type name kubectl reports for a value decoded from JSON. */
function goTypeName(v: unknown): string {
  if (Array.isArray(v)) return '[]interface {}';
  if (isMap(v)) return 'map[string]interface {}';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  return 'interface {}';
}

class Evaluator {
  constructor(readonly allowMissingKeys: boolean) {}

  evalList(input: unknown[], nodes: Node[]): unknown[] {
    let cur = input;
    for (const n of nodes) cur = this.walk(cur, n);
    return cur;
  }

  walk(input: unknown[], n: Node): unknown[] {
    switch (n.t) {
      case 'text':
        return [n.value];
      case 'int':
        return [n.value];
      case 'float':
        return [new FloatLit(n.value)];
      case 'bool':
        return [n.value];
      case 'ident':
        if (n.name === 'range' || n.name === 'end') return input; // handled by the segment runner
        throw new EvalError(`unrecognized identifier ${n.name}`);
      case 'field':
        return this.field(input, n.name);
      case 'wildcard':
        return input.flatMap((v) => (isMap(v) ? Object.keys(v).sort().map((k) => v[k]) : Array.isArray(v) ? v : []));
      case 'recursive':
        return this.recursive(input);
      case 'array':
        return this.array(input, n.params);
      case 'union':
        return n.lists.flatMap((l) => this.evalList(input, l));
      case 'filter':
        return this.filter(input, n);
    }
  }

  field(input: unknown[], name: string): unknown[] {
    if (input.length === 0) return [];
    const out: unknown[] = [];
    for (const v of input) {
      if (isMap(v) && Object.prototype.hasOwnProperty.call(v, name)) out.push(v[name]);
    }
    if (out.length === 0 && !this.allowMissingKeys) throw new EvalError(`${name} is not found`);
    return out;
  }

  recursive(input: unknown[]): unknown[] {
    const out: unknown[] = [];
    for (const v of input) {
      const kids = isMap(v) ? Object.keys(v).sort().map((k) => v[k]) : Array.isArray(v) ? v : [];
      if (kids.length) {
        out.push(v);
        out.push(...this.recursive(kids));
      }
    }
    return out;
  }

  array(input: unknown[], params: [Param, Param, Param]): unknown[] {
    const out: unknown[] = [];
    for (const v of input) {
      if (v === null || v === undefined) continue;
      if (!Array.isArray(v)) throw new EvalError(`${goTypeName(v)} is not array or slice`);
      const len = v.length;
      let start = params[0].known ? params[0].value : 0;
      if (start < 0) start += len;
      let end = params[1].known ? params[1].value : len;
      if (end < 0 || (end === 0 && params[1].derived)) end += len;
      if (end === start) return out;
      if (start >= len || start < 0) throw new EvalError(`array index out of bounds: index ${start}, length ${len}`);
      if (end > len || end < 0) throw new EvalError(`array index out of bounds: index ${end - 1}, length ${len}`);
      if (start > end) throw new EvalError(`starting index ${start} is greater than ending index ${end}`);
      let step = 1;
      if (params[2].known) {
        if (params[2].value <= 0) throw new EvalError('step must be > 0');
        step = params[2].value;
      }
      for (let i = start; i < end; i += step) out.push(v[i]);
    }
    return out;
  }

  filter(input: unknown[], n: Extract<Node, { t: 'filter' }>): unknown[] {
    const out: unknown[] = [];
    for (const v of input) {
      if (!Array.isArray(v)) throw new EvalError(`${goValue(v)} is not array or slice and cannot be filtered`);
      for (const item of v) {
        if (n.op === 'exists') {
          let lefts: unknown[] = [];
          try {
            lefts = this.evalList([item], n.left);
          } catch {
            lefts = [];
          }
          if (lefts.length > 0) out.push(item);
          continue;
        }
        const lefts = this.evalList([item], n.left);
        if (lefts.length === 0) continue;
        if (lefts.length > 1) throw new EvalError('can only compare one element at a time');
        const rights = this.evalList([item], n.right);
        if (rights.length === 0) continue;
        if (rights.length > 1) throw new EvalError('can only compare one element at a time');
        if (compare(lefts[0], rights[0], n.op)) out.push(item);
      }
    }
    return out;
  }
}

/** Go text/template comparison as forked by client-go: kinds must match exactly. */
function compare(a: unknown, b: unknown, op: string): boolean {
  const kind = (v: unknown): string => {
    if (v instanceof FloatLit) return 'float';
    if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
    if (typeof v === 'string') return 'string';
    if (typeof v === 'boolean') return 'bool';
    return 'invalid';
  };
  const ka = kind(a);
  const kb = kind(b);
  if (ka === 'invalid' || kb === 'invalid') throw new EvalError('invalid type for comparison');
  if (ka !== kb) throw new EvalError('incompatible types for comparison');
  const x = a instanceof FloatLit ? a.v : (a as number | string | boolean);
  const y = b instanceof FloatLit ? b.v : (b as number | string | boolean);
  if (op === '==') return x === y;
  if (op === '!=') return x !== y;
  if (ka === 'bool') throw new EvalError('invalid type for comparison');
  switch (op) {
    case '<':
      return x < y;
    case '>':
      return x > y;
    case '<=':
      return x <= y;
    case '>=':
      return x >= y;
  }
  throw new EvalError(`unrecognized filter operator ${op}`);
}

/** Runs the segments; returns one result list per printed block, as client-go's FindResults does. */
function findResults(segs: Segment[], data: unknown, ev: Evaluator): unknown[][] {
  const out: unknown[][] = [];
  // Runs segments from `from` until the matching {end} (returns the index after it) or the end.
  // sink null means "inside a range with no items": only skip ahead, evaluate nothing.
  const run = (from: number, root: unknown, sink: unknown[][] | null, depth: number): number => {
    let i = from;
    while (i < segs.length) {
      const s = segs[i];
      if (s.t === 'text') {
        sink?.push([s.value]);
        i++;
        continue;
      }
      const first = s.nodes[0];
      if (first?.t === 'ident' && first.name === 'end') {
        if (depth === 0) throw new EvalError('not in range, nothing to end');
        return i + 1;
      }
      if (first?.t === 'ident' && first.name === 'range') {
        const items = sink ? ev.evalList([root], s.nodes.slice(1)) : [];
        let next = items.length === 0 ? run(i + 1, null, null, depth + 1) : i + 1;
        for (const it of items) next = run(i + 1, it, sink, depth + 1);
        i = next;
        continue;
      }
      if (sink) sink.push(ev.evalList([root], s.nodes));
      i++;
    }
    return i;
  };
  run(0, data, out, 0);
  return out;
}


// ---------------------------------------------------------------- output

/** Go's json.Marshal: sorted keys, and <, >, & escaped as \u003c etc. */
export function goJson(v: unknown, indent?: string): string {
  const sortKeys = (x: unknown): unknown => {
    if (x instanceof FloatLit) return x.v;
    if (Array.isArray(x)) return x.map(sortKeys);
    if (isMap(x)) {
      const o: Record<string, unknown> = {};
      for (const k of Object.keys(x).sort()) if (x[k] !== undefined) o[k] = sortKeys(x[k]);
      return o;
    }
    return x === undefined ? null : x;
  };
  const s = JSON.stringify(sortKeys(v), null, indent) ?? 'null';
  return s.replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** How Go's fmt prints a scalar: floats in %v form. */
export function goScalar(v: unknown): string {
  if (v instanceof FloatLit) return goScalar(v.v);
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') {
    if (Number.isInteger(v) && Math.abs(v) < 1e21) return String(v);
    return goFloat(v);
  }
  return String(v);
}

function goFloat(f: number): string {
  const s = String(f);
  const m = /^(-?[\d.]+)e([+-])(\d+)$/.exec(s);
  if (m) return `${m[1]}e${m[2]}${m[3].padStart(2, '0')}`;
  // Go switches to exponent form at 1e21 like JS, and below 1e-4 where JS waits until 1e-7
  if (f !== 0 && Math.abs(f) < 1e-4) {
    const [mant, exp] = f.toExponential().split('e');
    const sign = exp.startsWith('-') ? '-' : '+';
    return `${mant}e${sign}${exp.replace(/^[+-]/, '').padStart(2, '0')}`;
  }
  return s;
}

/** Go's %#v of a value decoded from JSON, as kubectl prints "object given to jsonpath engine". */
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return 'interface {}(nil)';
  if (Array.isArray(v)) return `[]interface {}{${v.map(goValue).join(', ')}}`;
  if (isMap(v))
    return `map[string]interface {}{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${goValue(v[k])}`)
      .join(', ')}}`;
  if (typeof v === 'string') return JSON.stringify(v);
  return goScalar(v);
}

function printBlock(results: unknown[], asJson: boolean): string {
  if (asJson) return goJson(results.map((r) => (r instanceof FloatLit ? r.v : r)), '    ') + '\n';
  return results.map((r) => (Array.isArray(r) || isMap(r) ? goJson(r) : goScalar(r))).join(' ');
}

export interface JsonPathOptions {
  /** kubectl's --allow-missing-template-keys (default true in kubectl) */
  allowMissingKeys: boolean;
}

function execute(template: string, data: any, opts: JsonPathOptions, asJson: boolean): string {
  const segs = parseJsonPath(template);
  try {
    return findResults(segs, data, new Evaluator(opts.allowMissingKeys))
      .map((r) => printBlock(r, asJson))
      .join('');
  } catch (e) {
    if (!(e instanceof EvalError)) throw e;
    throw new JsonPathExecError(
      `error: error executing jsonpath ${JSON.stringify(template)}: Error executing template: ${e.message}. ` +
        `Printing more information for debugging the template:\n\ttemplate was:\n\t\t${template}\n` +
        `\tobject given to jsonpath engine was:\n\t\t${goValue(data)}\n\n\n`,
      e.message,
    );
  }
}

/**
 * `-o jsonpath=TEMPLATE`. Throws JsonPathParseError / JsonPathExecError (CliErrors, exit code 1)
 * whose message is what kubectl prints on stderr. For several objects, pass kubectl's List wrapper
 * ({kind:'List', apiVersion:'v1', items, metadata:{resourceVersion:''}}).
 */
export function jsonpath(template: string, data: any, opts: JsonPathOptions = { allowMissingKeys: true }): string {
  return execute(template, data, opts, false);
}

/** `-o jsonpath-as-json=TEMPLATE`: each `{}` block printed as an indented JSON array. */
export function jsonpathAsJson(template: string, data: any, opts: JsonPathOptions = { allowMissingKeys: true }): string {
  return execute(template, data, opts, true);
}

/**
 * Evaluates one template and returns the raw result lists (one per block), for custom-columns
 * and --sort-by which format values themselves.
 */
export function findJsonPathResults(template: string, data: any, allowMissingKeys: boolean): unknown[][] {
  const segs = parseJsonPath(template);
  try {
    return findResults(segs, data, new Evaluator(allowMissingKeys)).map((r) => r.map((x) => (x instanceof FloatLit ? x.v : x)));
  } catch (e) {
    if (e instanceof EvalError) throw new JsonPathExecError(`error: ${e.message}`, e.message);
    throw e;
  }
}

/**
 * kubectl's RelaxedJSONPathExpression (used by custom-columns and --sort-by): `.a.b`, `a.b`,
 * `{.a.b}` and `{a.b}` all become `{.a.b}`.
 */
export function relaxedJsonPath(path: string): string {
  if (path.length === 0) return path;
  const m = /^\{?(\.?[^{}]*?)\}?$/.exec(path);
  if (!m || m[0] !== path || (path.startsWith('{') !== path.endsWith('}'))) {
    throw new Error('unexpected path string, expected a \'name1.name2\' or \'.name1.name2\' or \'{name1.name2}\' or \'{.name1.name2}\'');
  }
  let inner = m[1];
  if (!inner.startsWith('.')) inner = '.' + inner;
  if (inner === '.') inner = '';
  return `{${inner}}`;
}
