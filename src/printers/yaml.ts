// YAML output exactly as `kubectl -o yaml` prints it.
//
// kubectl marshals an object to JSON and converts that JSON to YAML with sigs.k8s.io/yaml, which
// decodes it into generic maps and re-encodes with its go-yaml v2 fork. So every byte the user sees
// follows go-yaml v2's rules: map keys in its "natural" order, sequences inside mappings not
// indented, a libyaml-style emitter that picks plain / single / double / literal style per scalar
// and folds long scalars at column 80. This module re-implements those rules; it does not
// round-trip through js-yaml because js-yaml quotes and folds differently.

const BEST_INDENT = 2;
const BEST_WIDTH = 80;

/** Render one object the way `kubectl get -o yaml` does (trailing newline included). */
export function toYaml(obj: unknown): string {
  const e = new Emitter();
  e.node(normalize(obj), -1, false, false);
  e.writeIndent(0);
  return e.out;
}

/** kubectl prints several objects as one v1 List. */
export function asList(objs: unknown[]): Record<string, unknown> {
  return { apiVersion: 'v1', items: objs, kind: 'List', metadata: { resourceVersion: '' } };
}

// ---------------------------------------------------------------------------------------------
// Value model: what sigs.k8s.io/yaml sees after decoding the JSON kubectl produced.

type Scalar = { kind: 'scalar'; text: string; requested: 'plain' | 'double' | 'literal' };
type Node = Scalar | { kind: 'map'; entries: [string, Node][] } | { kind: 'seq'; items: Node[] };

function normalize(v: unknown): Node {
  if (v === null || v === undefined) return plain('null');
  if (typeof v === 'boolean') return plain(v ? 'true' : 'false');
  if (typeof v === 'number') return plain(formatNumber(v));
  if (typeof v === 'bigint') return plain(v.toString());
  if (typeof v === 'string') return stringScalar(v);
  if (Array.isArray(v)) return { kind: 'seq', items: v.map((x) => normalize(x === undefined ? null : x)) };
  if (v instanceof Date) return stringScalar(v.toISOString());
  if (typeof v === 'object') {
    // JSON.stringify drops undefined members, so must we; toJSON lets callers pass rich values.
    const o = typeof (v as { toJSON?: unknown }).toJSON === 'function' ? (v as { toJSON(): unknown }).toJSON() : v;
    if (o !== v) return normalize(o);
    const keys = Object.keys(v as object).filter((k) => (v as Record<string, unknown>)[k] !== undefined);
    keys.sort((a, b) => (keyLess(a, b) ? -1 : keyLess(b, a) ? 1 : 0));
    return { kind: 'map', entries: keys.map((k) => [k, normalize((v as Record<string, unknown>)[k])]) };
  }
  return stringScalar(String(v));
}

function plain(text: string): Scalar {
  return { kind: 'scalar', text, requested: 'plain' };
}

// go-yaml's string encoder: multi-line text asks for a literal block; text that would read back as
// something other than a string (true, 1.0, null, 2001-01-01, 1:20 ...) asks for double quotes.
function stringScalar(s: string): Scalar {
  if (s.includes('\n')) return { kind: 'scalar', text: s, requested: 'literal' };
  const canPlain = resolvesToString(s) && !BASE60_FLOAT.test(s);
  return { kind: 'scalar', text: s, requested: canPlain ? 'plain' : 'double' };
}

// Numbers: JSON integers decode as Go ints; everything else as float64 printed with
// strconv.FormatFloat(f, 'g', -1, 64), which switches to exponent form outside [1e-4, 1e6).
function formatNumber(n: number): string {
  if (Number.isNaN(n)) return '.nan';
  if (n === Infinity) return '.inf';
  if (n === -Infinity) return '-.inf';
  if (Number.isInteger(n) && Math.abs(n) < 2 ** 63) return BigInt(n).toString();
  const [mant, expStr] = n.toExponential().split('e');
  const exp = Number(expStr);
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    return `${mant}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return String(n);
}

// ---------------------------------------------------------------------------------------------
// go-yaml v2 implicit typing: would this text, written plain, decode as a string?

const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const GO_INT = /^[-+]?(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|0[0-7]*|[1-9][0-9]*)$/;
const RESERVED = new Set([
  'y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON',
  'n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF',
  '', '~', 'null', 'Null', 'NULL', '.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF',
  '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF', '<<',
]);

function resolvesToString(s: string): boolean {
  if (s === '') return false;
  const c = s[0];
  const isDigit = c >= '0' && c <= '9';
  const hintM = 'yYnNtTfFoO~'.includes(c);
  if (!(isDigit || c === '+' || c === '-' || c === '.' || hintM || c === '<')) return true;
  if (RESERVED.has(s)) return false;
  if (c === '.') return !/^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(s);
  if (isDigit || c === '+' || c === '-') {
    if (isTimestamp(s)) return false;
    const p = s.replace(/_/g, '');
    if (GO_INT.test(p) || YAML_FLOAT.test(p)) return false;
    if (/^-0b[01]+$/.test(p)) return false;
  }
  return true;
}

// The subset of timestamps go-yaml recognises (Go time.Parse layouts with 1-or-2 digit fields).
function isTimestamp(s: string): boolean {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:([Tt ])(\d{1,2}):(\d{1,2}):(\d{1,2})(\.\d+)?(Z|[-+]\d{2}:\d{2})?)?$/.exec(s);
  if (!m) return false;
  const [, y, mo, d, sep, h, mi, sec, , zone] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1) return false;
  const dim = new Date(Date.UTC(Number(y), month, 0)).getUTCDate();
  if (day > dim) return false;
  if (sep === undefined) return true;
  if (Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59) return false;
  if (sep === ' ') return zone === undefined;
  if (zone === undefined) return false;
  if (zone !== 'Z') {
    const zh = Number(zone.slice(1, 3));
    const zm = Number(zone.slice(4, 6));
    if (zh > 24 || zm > 59) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// go-yaml v2's map key order: letters by code point, runs of digits by numeric value, and a
// non-letter before a letter (unless it follows a digit).

const isLetter = (r: string): boolean => /\p{L}/u.test(r);
const isDigitRune = (r: string): boolean => /\p{Nd}/u.test(r);

export function keyLess(a: string, b: string): boolean {
  const ar = Array.from(a);
  const br = Array.from(b);
  let digits = false;
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) {
      digits = isDigitRune(ar[i]);
      continue;
    }
    const al = isLetter(ar[i]);
    const bl = isLetter(br[i]);
    if (al && bl) return ar[i].codePointAt(0)! < br[i].codePointAt(0)!;
    if (al || bl) return digits ? al : bl;
    let an = 0;
    let bn = 0;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigitRune(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && isDigitRune(ar[ai]); ai++) an = an * 10 + (ar[ai].codePointAt(0)! - 48);
    let bi = i;
    for (; bi < br.length && isDigitRune(br[bi]); bi++) bn = bn * 10 + (br[bi].codePointAt(0)! - 48);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i].codePointAt(0)! < br[i].codePointAt(0)!;
  }
  return ar.length < br.length;
}

// ---------------------------------------------------------------------------------------------
// Scalar analysis (which styles can represent this text), as libyaml's emitter decides it.

interface Analysis {
  multiline: boolean;
  blockPlain: boolean;
  single: boolean;
  block: boolean;
}

const isBreak = (c: string): boolean => c === '\n' || c === '\r' || c === '\u0085' || c === '\u2028' || c === '\u2029';
const isBlankZ = (c: string | undefined): boolean => c === undefined || c === ' ' || c === '\t' || c === '\0' || isBreak(c);

function isPrintable(c: string): boolean {
  const cp = c.codePointAt(0)!;
  if (cp === 0x0a || (cp >= 0x20 && cp <= 0x7e)) return true;
  if (cp >= 0xa0 && cp <= 0xd7ff) return true;
  if (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff) return true;
  // libyaml's check only admits up to three-byte UTF-8, so emoji and other astral chars are escaped.
  return false;
}

function analyze(text: string): Analysis {
  if (text === '') return { multiline: false, blockPlain: true, single: true, block: false };
  const chars = Array.from(text);
  let blockIndicators = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  let lineBreaks = false;
  let special = false;
  if (text.startsWith('---') || text.startsWith('...')) blockIndicators = true;
  let precededByWhitespace = true;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    const followedByWhitespace = isBlankZ(chars[i + 1]);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) blockIndicators = true;
      else if ((c === '?' || c === ':') && followedByWhitespace) blockIndicators = true;
      else if (c === '-' && followedByWhitespace) blockIndicators = true;
    } else if (c === ':' && followedByWhitespace) blockIndicators = true;
    else if (c === '#' && precededByWhitespace) blockIndicators = true;
    if (!isPrintable(c)) special = true;
    if (c === ' ') {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlankZ(c);
  }
  let blockPlain = true;
  let single = true;
  let block = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) blockPlain = false;
  if (trailingSpace) block = false;
  if (breakSpace) blockPlain = single = false;
  if (spaceBreak || special) blockPlain = single = block = false;
  if (lineBreaks) blockPlain = false;
  if (blockIndicators) blockPlain = false;
  return { multiline: lineBreaks, blockPlain, single, block };
}

// ---------------------------------------------------------------------------------------------
// The emitter: tracks column / whitespace / indention exactly like libyaml so that line folding
// and the placement of "- " and "key:" come out identical.

class Emitter {
  out = '';
  column = 0;
  whitespace = true;
  indention = true;
  indent = -1;

  put(s: string): void {
    this.out += s;
    this.column += 1;
  }

  putBreak(): void {
    this.out += '\n';
    this.column = 0;
  }

  write(c: string): void {
    this.out += c;
    this.column += 1;
  }

  writeBreak(c: string): void {
    if (c === '\n') this.putBreak();
    else {
      this.out += c;
      this.column = 0;
    }
  }

  writeIndent(indent: number): void {
    const ind = Math.max(indent, 0);
    if (!this.indention || this.column > ind || (this.column === ind && !this.whitespace)) this.putBreak();
    while (this.column < ind) this.put(' ');
    this.whitespace = true;
    this.indention = true;
  }

  writeIndicator(ind: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(' ');
    for (const c of ind) this.write(c);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  /** Emit any node; parentIndent is the indent of the enclosing collection (-1 at the root). */
  node(n: Node, parentIndent: number, mappingContext: boolean, simpleKey: boolean): void {
    if (n.kind === 'scalar') {
      this.indent = parentIndent < 0 ? BEST_INDENT : parentIndent + BEST_INDENT;
      this.scalar(n, simpleKey);
      this.indent = parentIndent;
      return;
    }
    if (n.kind === 'map' && n.entries.length === 0) return this.emptyFlow('{', '}');
    if (n.kind === 'seq' && n.items.length === 0) return this.emptyFlow('[', ']');
    if (n.kind === 'map') {
      const indent = parentIndent < 0 ? 0 : parentIndent + BEST_INDENT;
      for (const [k, v] of n.entries) {
        const key = stringScalar(k);
        this.indent = indent;
        if (isSimpleKey(key)) {
          this.writeIndent(indent);
          this.node(key, indent, true, true);
          this.writeIndicator(':', false, false, false);
          this.node(v, indent, true, false);
        } else {
          this.writeIndent(indent);
          this.writeIndicator('?', true, false, true);
          this.node(key, indent, true, false);
          this.writeIndent(indent);
          this.writeIndicator(':', true, false, true);
          this.node(v, indent, true, false);
        }
      }
      this.indent = parentIndent;
      return;
    }
    // A sequence that is a mapping value starts at the key's column ("indentless").
    const indentless = mappingContext && !this.indention;
    const indent = parentIndent < 0 ? 0 : indentless ? parentIndent : parentIndent + BEST_INDENT;
    for (const item of n.items) {
      this.indent = indent;
      this.writeIndent(indent);
      this.writeIndicator('-', true, false, true);
      this.node(item, indent, false, false);
    }
    this.indent = parentIndent;
  }

  emptyFlow(open: string, close: string): void {
    this.writeIndicator(open, true, true, false);
    this.writeIndicator(close, false, false, false);
  }

  scalar(n: Scalar, simpleKey: boolean): void {
    const a = analyze(n.text);
    let style: 'plain' | 'single' | 'double' | 'literal' = n.requested;
    if (simpleKey && a.multiline) style = 'double';
    if (style === 'plain') {
      if (!a.blockPlain) style = 'single';
      else if (n.text === '' && simpleKey) style = 'single';
    }
    if (style === 'single' && !a.single) style = 'double';
    if (style === 'literal' && (!a.block || simpleKey)) style = 'double';
    const allowBreaks = !simpleKey;
    switch (style) {
      case 'plain':
        return this.writePlain(n.text, allowBreaks);
      case 'single':
        return this.writeSingle(n.text, allowBreaks);
      case 'double':
        return this.writeDouble(n.text, allowBreaks);
      case 'literal':
        return this.writeLiteral(n.text);
    }
  }

  writePlain(text: string, allowBreaks: boolean): void {
    if (!this.whitespace && text !== '') this.put(' ');
    const chars = Array.from(text);
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i];
      if (c === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && chars[i + 1] !== ' ') this.writeIndent(this.indent);
        else this.write(c);
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === '\n') this.putBreak();
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent(this.indent);
        this.write(c);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.whitespace = false;
    this.indention = false;
  }

  writeSingle(text: string, allowBreaks: boolean): void {
    this.writeIndicator("'", true, false, false);
    const chars = Array.from(text);
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i];
      if (c === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i !== 0 && i !== chars.length - 1 && chars[i + 1] !== ' ') {
          this.writeIndent(this.indent);
        } else this.write(c);
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === '\n') this.putBreak();
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent(this.indent);
        if (c === "'") this.put("'");
        this.write(c);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.writeIndicator("'", false, false, false);
  }

  writeDouble(text: string, allowBreaks: boolean): void {
    this.writeIndicator('"', true, false, false);
    const chars = Array.from(text);
    // libyaml's BOM test looks at the start of the string, not the current char, so a leading BOM
    // makes it escape every character.
    const bom = text.startsWith('\ufeff');
    let spaces = false;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i];
      if (!isPrintable(c) || bom || isBreak(c) || c === '"' || c === '\\') {
        this.put('\\');
        const esc = ESCAPES[c];
        if (esc !== undefined) this.put(esc);
        else {
          const cp = c.codePointAt(0)!;
          const [p, w] = cp <= 0xff ? ['x', 2] : cp <= 0xffff ? ['u', 4] : ['U', 8];
          this.put(p);
          for (const h of cp.toString(16).toUpperCase().padStart(w, '0')) this.put(h);
        }
        spaces = false;
      } else if (c === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i !== 0 && i !== chars.length - 1) {
          this.writeIndent(this.indent);
          if (chars[i + 1] === ' ') this.put('\\');
        } else this.write(c);
        spaces = true;
      } else {
        this.write(c);
        spaces = false;
      }
    }
    this.writeIndicator('"', false, false, false);
  }

  writeLiteral(text: string): void {
    this.writeIndicator('|', true, false, false);
    const chars = Array.from(text);
    if (chars[0] === ' ' || isBreak(chars[0])) this.writeIndicator(String(BEST_INDENT), false, false, false);
    const last = chars[chars.length - 1];
    if (!isBreak(last)) this.writeIndicator('-', false, false, false);
    else if (chars.length === 1 || isBreak(chars[chars.length - 2])) this.writeIndicator('+', false, false, false);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (const c of chars) {
      if (isBreak(c)) {
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent(this.indent);
        this.write(c);
        this.indention = false;
        breaks = false;
      }
    }
  }
}

const ESCAPES: Record<string, string> = {
  '\0': '0', '\x07': 'a', '\b': 'b', '\t': 't', '\n': 'n', '\v': 'v', '\f': 'f', '\r': 'r',
  '\x1b': 'e', '"': '"', '\\': '\\', '\u0085': 'N', '\u00a0': '_', '\u2028': 'L', '\u2029': 'P',
};

// libyaml writes a key inline ("key: v") only if it is short and on one line; else "? key".
function isSimpleKey(key: Scalar): boolean {
  return Buffer.byteLength(key.text, 'utf8') <= 128 && !analyze(key.text).multiline;
}
