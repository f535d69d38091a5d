// What a container's process does, as a timeline from the moment it starts: the lines it writes
// to its log, the files it creates and removes, how long it runs and how it ends. A container's
// command is read the way busybox's `sh` would run it: a small tokenizer and parser for `;`, `&&`,
// `||`, `|`, `!`, while/until/for/if, `{ }`, redirections and $VAR / $(...) / $((...)), and a handful
// of programs (echo, printf, sleep, exit, true/false, touch, rm, mkdir, cat, test, date, printenv,
// env, wget -O, stress, ...). Command and args get the kubelet's $(VAR) expansion first; the
// environment is the container's (see ResolvedEnv); a postStart exec handler's files count too. A
// program the model does not know succeeds at once inside a script; run directly (no shell), an
// unknown program is taken for a server and runs until stopped. Without a command, the image's
// default command does what the catalogue says the image does.
//
// The same spec always gives the same timeline: the kubelet derives exit times from it, `logs`
// the lines, and exec probes the files (fileAt / fileChanges / execIn).
import { lookupImage } from './catalogue.js';
import { parseQuantity, value } from '../apiserver/quantity.js';
import { DEFAULT_SERVICE_SUBNET } from '../cluster/config.js';

/** one thing the process did, at ms since the container started */
export interface ProcEvent {
  at: number;
  kind: 'log' | 'file';
  /** log line; may hold {date} / {hostname} placeholders the log reader fills in */
  text?: string;
  stderr?: boolean;
  path?: string;
  /** file event: the path exists from `at` on (created) or not (removed) */
  exists?: boolean;
  /** file event: what the file holds (as last written while the timeline ran) */
  content?: string;
}

export interface ProcessRun {
  events: ProcEvent[];
  /** the process ended by itself (ms since start, exit code) */
  exit?: { at: number; code: number };
  /** the timeline was cut at the deadline (or the step budget) while the process still ran */
  cut: boolean;
}

export interface ContainerSpecLike {
  name?: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  volumeMounts?: { mountPath: string }[];
  /** stdin kept open (`run -i`, `stdin: true`): a shell with no script waits on it instead of ending */
  stdin?: boolean;
  /** a postStart exec handler runs beside the process: the files it writes are the container's */
  lifecycle?: { postStart?: { exec?: { command?: string[] } } };
}

/**
 * The variables the kubelet resolves for a container beyond its literal `env` values, in the
 * order `env` would print them: valueFrom references by name, then the Service links
 * (KUBERNETES_SERVICE_HOST ...). See containerEnv in logs.ts.
 */
export type ResolvedEnv = Record<string, string>;

interface ServiceLike {
  metadata?: { name?: string; namespace?: string; creationTimestamp?: string };
  spec?: { clusterIP?: string; ports?: { name?: string; port: number; protocol?: string }[] };
}

/** a.b.c.d/n → the subnet's first host address */
function firstAddress(cidr: string): string {
  const [a, b, c, d] = cidr.split('/')[0].split('.').map(Number);
  const n = (((a << 24) >>> 0) + (b << 16) + (c << 8) + d + 1) >>> 0;
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** the kubernetes Service at its default address (kubeadm: the service subnet's first address) */
export const KUBERNETES_SERVICE = {
  apiVersion: 'v1', kind: 'Service', metadata: { name: 'kubernetes', namespace: 'default' },
  spec: { clusterIP: firstAddress(DEFAULT_SERVICE_SUBNET), ports: [{ name: 'https', port: 443, protocol: 'TCP' }] },
};

/** the variables Service links give a container (kubelet's envvars.FromServices), in its order */
export function serviceLinkVars(svc: ServiceLike): [string, string][] {
  const ip = svc.spec?.clusterIP;
  const ports: any[] = svc.spec?.ports ?? [];
  if (!ip || ip === 'None' || !ports.length) return [];
  const name = (svc.metadata?.name ?? '').toUpperCase().replaceAll('-', '_');
  const out: [string, string][] = [[`${name}_SERVICE_HOST`, ip], [`${name}_SERVICE_PORT`, String(ports[0].port)]];
  for (const p of ports) if (p.name) out.push([`${name}_SERVICE_PORT_${String(p.name).toUpperCase().replaceAll('-', '_')}`, String(p.port)]);
  ports.forEach((p, i) => {
    const proto = String(p.protocol ?? 'TCP');
    const url = `${proto.toLowerCase()}://${ip}:${p.port}`;
    const prefix = `${name}_PORT_${p.port}_${proto.toUpperCase()}`;
    if (i === 0) out.push([`${name}_PORT`, url]);
    out.push([prefix, url], [`${prefix}_PROTO`, proto.toLowerCase()], [`${prefix}_PORT`, String(p.port)], [`${prefix}_ADDR`, ip]);
  });
  return out;
}

/**
 * What a container can count on when nothing more is known (the exit model): its hostname and the
 * kubernetes Service's links, which the kubelet always gives.
 */
const DEFAULT_ENV: ResolvedEnv = Object.fromEntries(serviceLinkVars(KUBERNETES_SERVICE));
const DEFAULT_HOSTNAME = 'pod';


/** a safety budget for one interpretation: a busy loop ends the timeline here */
const MAX_STEPS = 50_000;
/** what one simple command costs in time: a loop without sleep still advances the clock */
const STEP_MS = 1;
/** the process's exit, as the runtime sees it, comes a little after its last command */
const EXIT_MS = 19;

/** the shells whose `-c` script the interpreter runs */
export const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh']);
/** programs that run until they are stopped */
const SERVERS = new Set(['nginx', 'httpd', 'httpd-foreground', 'apache2-foreground', 'redis-server', 'mysqld', 'postgres', 'etcd', 'node', 'python', 'python3',
  'java', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kube-proxy', 'coredns', 'agnhost', 'pause', 'fluentd', 'nc', 'socat', 'busybox-httpd']);
/** programs run directly (no shell) that do their one thing and end; any other is a server */
const ONE_SHOT = new Set(['echo', 'printf', 'sleep', 'true', 'false', 'date', 'env', 'printenv', 'cat', 'ls', 'nslookup', 'wget', 'curl', 'perl', 'hostname', 'id',
  'uname', 'exit', 'touch', 'rm', 'mkdir', 'test', '[', 'stress', 'tail', 'grep', 'tee', 'whoami', 'pwd', 'df', 'du', 'ping', 'dig', 'nc']);
/** network programs that, given the network, do their one thing and end */
const NET_ONE_SHOT = new Set(['wget', 'curl', 'nc', 'ping', 'nslookup', 'dig', 'host']);
/** path prefixes that exist in any image (system files, the kubelet's mounts) */
const SYSTEM_PATHS = ['/etc/', '/proc/', '/sys/', '/dev/', '/bin/', '/sbin/', '/usr/', '/lib', '/var/run/secrets/', '/run/', '/root', '/home'];

// ---------------------------------------------------------------- tokenizer

type Seg = { text: string; q: 'none' | 'single' | 'double' };
type Tok = { op: string } | { word: Seg[] };

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  let word: Seg[] | undefined;
  const push = (text: string, q: Seg['q']) => {
    word ??= [];
    const last = word[word.length - 1];
    if (last && last.q === q) last.text += text;
    else word.push({ text, q });
  };
  const end = () => {
    if (word) out.push({ word });
    word = undefined;
  };
  while (i < src.length) {
    const ch = src[i];
    if (ch === '\\' && i + 1 < src.length) {
      if (src[i + 1] !== '\n') push(src[i + 1], 'single');
      i += 2;
      continue;
    }
    if (ch === "'") {
      const j = src.indexOf("'", i + 1);
      const stop = j < 0 ? src.length : j;
      push(src.slice(i + 1, stop), 'single');
      i = stop + 1;
      continue;
    }
    if (ch === '"') {
      let j = i + 1;
      let text = '';
      while (j < src.length && src[j] !== '"') {
        if (src[j] === '\\' && '"\\$`'.includes(src[j + 1] ?? '')) {
          text += src[j] === '\\' && src[j + 1] === '$' ? '\\$' : src[j + 1];
          j += 2;
          continue;
        }
        text += src[j++];
      }
      push(text, 'double');
      i = j + 1;
      continue;
    }
    if (ch === '$' && src[i + 1] === '(') {
      // $( ... ) and $(( ... )) stay one piece of the word, expanded when run
      let depth = 0;
      let j = i + 1;
      for (; j < src.length; j++) {
        if (src[j] === '(') depth++;
        else if (src[j] === ')' && --depth === 0) break;
      }
      push(src.slice(i, j + 1), 'none');
      i = j + 1;
      continue;
    }
    if (ch === '`') {
      const j = src.indexOf('`', i + 1);
      const stop = j < 0 ? src.length : j;
      push(`$(${src.slice(i + 1, stop)})`, 'none');
      i = stop + 1;
      continue;
    }
    if (ch === '#' && !word) {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (ch === ' ' || ch === '\t') {
      end();
      i++;
      continue;
    }
    const redir = /^(\d?)(>>|>&|>|<)/.exec(src.slice(i));
    if (redir && (!word || (redir[1] && word.length === 1 && word[0].text === ''))) {
      end();
      out.push({ op: `${redir[1] || (redir[2] === '<' ? '0' : '1')}${redir[2]}` });
      i += redir[0].length;
      continue;
    }
    const op = /^(&&|\|\||;;|[;|&()\n])/.exec(src.slice(i));
    if (op) {
      end();
      out.push({ op: op[1] });
      i += op[1].length;
      continue;
    }
    push(ch, 'none');
    i++;
  }
  end();
  return out;
}

// ---------------------------------------------------------------- parser

type Redir = { fd: number; op: string; target: Seg[] };
type Cmd =
  | { t: 'simple'; words: Seg[][]; redirs: Redir[] }
  | { t: 'while'; until: boolean; cond: List; body: List; redirs: Redir[] }
  | { t: 'for'; name: string; items: Seg[][]; body: List; redirs: Redir[] }
  | { t: 'if'; branches: { cond: List; body: List }[]; otherwise?: List; redirs: Redir[] }
  | { t: 'group'; body: List; redirs: Redir[] };
type Pipeline = { neg: boolean; cmds: Cmd[]; background: boolean };
type List = { items: { p: Pipeline; next?: '&&' | '||' }[] };

const plain = (w: Seg[] | undefined) => (w && w.every((s) => s.q === 'none') ? w.map((s) => s.text).join('') : undefined);

class Parser {
  i = 0;
  constructor(readonly toks: Tok[]) {}
  peekWord(): string | undefined {
    const t = this.toks[this.i];
    return t && 'word' in t ? plain(t.word) : undefined;
  }
  peekOp(): string | undefined {
    const t = this.toks[this.i];
    return t && 'op' in t ? t.op : undefined;
  }
  skipNewlines(): void {
    while (this.peekOp() === '\n' || this.peekOp() === ';') this.i++;
  }
  expectWord(w: string): void {
    this.skipNewlines();
    if (this.peekWord() === w) this.i++;
  }
  /** a list up to one of the stop words (do, done, then, fi, ...) or a closing parenthesis */
  list(stops: string[]): List {
    const items: List['items'] = [];
    for (;;) {
      this.skipNewlines();
      if (this.i >= this.toks.length) break;
      const w = this.peekWord();
      if (w !== undefined && stops.includes(w)) break;
      if (this.peekOp() === ')') break;
      const p = this.pipeline(stops);
      if (!p) break;
      const op = this.peekOp();
      if (op === '&&' || op === '||') {
        this.i++;
        items.push({ p, next: op });
        continue;
      }
      if (op === '&') {
        this.i++;
        p.background = true;
      }
      items.push({ p });
    }
    return { items };
  }
  pipeline(stops: string[]): Pipeline | undefined {
    let neg = false;
    if (this.peekWord() === '!') {
      neg = true;
      this.i++;
    }
    const cmds: Cmd[] = [];
    for (;;) {
      const c = this.command(stops);
      if (!c) break;
      cmds.push(c);
      if (this.peekOp() !== '|') break;
      this.i++;
      this.skipNewlines();
    }
    return cmds.length ? { neg, cmds, background: false } : undefined;
  }
  redirs(into: Redir[]): void {
    for (;;) {
      const op = this.peekOp();
      if (!op || !/^\d(>>|>&|>|<)$/.test(op)) return;
      this.i++;
      const t = this.toks[this.i];
      const target = t && 'word' in t ? t.word : [{ text: '', q: 'none' as const }];
      if (t && 'word' in t) this.i++;
      into.push({ fd: Number(op[0]), op: op.slice(1), target });
    }
  }
  command(stops: string[]): Cmd | undefined {
    const w = this.peekWord();
    if (w === 'while' || w === 'until') {
      this.i++;
      const cond = this.list(['do']);
      this.expectWord('do');
      const body = this.list(['done']);
      this.expectWord('done');
      const c: Cmd = { t: 'while', until: w === 'until', cond, body, redirs: [] };
      this.redirs(c.redirs);
      return c;
    }
    if (w === 'for') {
      this.i++;
      const name = this.peekWord() ?? 'i';
      this.i++;
      const items: Seg[][] = [];
      if (this.peekWord() === 'in') {
        this.i++;
        for (;;) {
          const t = this.toks[this.i];
          if (!t || !('word' in t)) break;
          items.push(t.word);
          this.i++;
        }
      }
      this.expectWord('do');
      const body = this.list(['done']);
      this.expectWord('done');
      const c: Cmd = { t: 'for', name, items, body, redirs: [] };
      this.redirs(c.redirs);
      return c;
    }
    if (w === 'if') {
      this.i++;
      const branches: { cond: List; body: List }[] = [];
      let otherwise: List | undefined;
      for (;;) {
        const cond = this.list(['then']);
        this.expectWord('then');
        const body = this.list(['elif', 'else', 'fi']);
        branches.push({ cond, body });
        const k = this.peekWord();
        this.i++;
        if (k === 'elif') continue;
        if (k === 'else') {
          otherwise = this.list(['fi']);
          this.expectWord('fi');
        }
        break;
      }
      const c: Cmd = { t: 'if', branches, otherwise, redirs: [] };
      this.redirs(c.redirs);
      return c;
    }
    if (w === '{') {
      this.i++;
      const body = this.list(['}']);
      this.expectWord('}');
      const c: Cmd = { t: 'group', body, redirs: [] };
      this.redirs(c.redirs);
      return c;
    }
    if (this.peekOp() === '(') {
      this.i++;
      const body = this.list([]);
      if (this.peekOp() === ')') this.i++;
      const c: Cmd = { t: 'group', body, redirs: [] };
      this.redirs(c.redirs);
      return c;
    }
    const words: Seg[][] = [];
    const redirs: Redir[] = [];
    for (;;) {
      this.redirs(redirs);
      const t = this.toks[this.i];
      if (!t || !('word' in t)) break;
      if (words.length === 0 && stops.includes(plain(t.word) ?? '\u0000')) break;
      words.push(t.word);
      this.i++;
    }
    return words.length || redirs.length ? { t: 'simple', words, redirs } : undefined;
  }
}

const parseCache = new Map<string, List>();
function parse(script: string): List {
  let l = parseCache.get(script);
  if (!l) {
    l = new Parser(tokenize(script)).list([]);
    if (parseCache.size > 500) parseCache.clear();
    parseCache.set(script, l);
  }
  return l;
}

// ---------------------------------------------------------------- interpreter

class Exit {
  constructor(readonly code: number) {}
}
class Break {}
/** the deadline or the step budget was reached */
class Stop {}
/** the process provably runs forever (only raised when looking for the exit) */
class Forever {}

type Sink = (line: string, stderr: boolean) => void;

interface Env {
  t: number;
  deadline: number;
  /** looking for the exit: prove "runs forever" early instead of unrolling a loop */
  findExit: boolean;
  steps: number;
  vars: Record<string, string>;
  /** path → content (undefined content: removed) */
  files: Map<string, string | undefined>;
  mounts: string[];
  events: ProcEvent[];
  status: number;
  sink: Sink;
  /** programs `kubectl exec` brings that reach the network (nslookup, wget, curl, nc, ...) */
  tools?: ExecTools;
  /** the container's stdin is held open (spec.stdin): reading it waits */
  stdinOpen?: boolean;
}

/**
 * A program the interpreter does not model itself (the network tools of `kubectl exec`): it gets
 * its argv and stdin and answers with its output and exit code, or undefined to be run as usual.
 */
export type ExecTools = (argv: string[], stdin: string[] | undefined) => { exitCode: number; stdout: string[]; stderr: string[]; elapsedMs?: number } | undefined;

export interface ExecOptions {
  /** files the container sees besides those its process made (/etc/resolv.conf, /etc/hosts) */
  files?: Record<string, string>;
  tools?: ExecTools;
  /** the command's time limit in ms (exec probes: their timeout; kubectl exec: long) */
  deadline?: number;
}

function exists(env: Env, path: string): boolean {
  if (env.files.has(path)) return env.files.get(path) !== undefined;
  if (path === '/' || path === '/tmp') return true;
  if (env.mounts.some((m) => path === m || path.startsWith(m.endsWith('/') ? m : `${m}/`))) return true;
  return SYSTEM_PATHS.some((p) => path.startsWith(p));
}

/** the file event that made each path exist, so that later writes update what it holds */
const created = new WeakMap<Env, Map<string, ProcEvent>>();

function setFile(env: Env, path: string, content: string | undefined): void {
  if (!path || path.startsWith('/dev/')) return;
  const first = !env.files.has(path);
  const before = exists(env, path);
  env.files.set(path, content);
  const after = content !== undefined;
  // a first write to a path that existed anyway (under /usr, a mount) still records what it holds
  if (before !== after || (first && after)) {
    const ev: ProcEvent = { at: env.t, kind: 'file', path, exists: after, ...(after ? { content } : {}) };
    env.events.push(ev);
    if (!created.has(env)) created.set(env, new Map());
    if (after) created.get(env)!.set(path, ev);
    else created.get(env)!.delete(path);
  } else if (after) {
    const ev = created.get(env)?.get(path);
    if (ev) ev.content = content;
  }
}

function tick(env: Env, ms: number): void {
  if (++env.steps > MAX_STEPS) throw env.findExit ? new Forever() : new Stop();
  if (ms === Infinity) throw env.findExit ? new Forever() : new Stop();
  env.t += ms;
  if (env.t > env.deadline) throw new Stop();
}

/** $((...)): + - * / % and parentheses over integers and variables */
function arith(expr: string, vars: Record<string, string>): number {
  const toks = expr.replace(/\$?\{?([A-Za-z_]\w*)\}?/g, (_m, v) => String(Number.parseInt(vars[v] ?? '0', 10) || 0)).match(/\d+|[-+*/%()]/g) ?? [];
  let i = 0;
  const atom = (): number => {
    const t = toks[i++];
    if (t === '(') {
      const v = sum();
      i++;
      return v;
    }
    if (t === '-') return -atom();
    return Number(t ?? 0);
  };
  const prod = (): number => {
    let v = atom();
    while (toks[i] === '*' || toks[i] === '/' || toks[i] === '%') {
      const op = toks[i++];
      const r = atom();
      v = op === '*' ? v * r : r === 0 ? 0 : op === '/' ? Math.trunc(v / r) : v % r;
    }
    return v;
  };
  const sum = (): number => {
    let v = prod();
    while (toks[i] === '+' || toks[i] === '-') {
      const op = toks[i++];
      const r = prod();
      v = op === '+' ? v + r : v - r;
    }
    return v;
  };
  return sum();
}

function expandText(env: Env, text: string): string {
  return text.replace(/\$\(\((.*?)\)\)|\$\(([\s\S]*)\)|\$\{(\w+)(?::-([^}]*))?\}|\$(\w+|\?)|\\\$/g, (m, ar, sub, braced, dflt, simple) => {
    if (m === '\\$') return '$';
    if (ar !== undefined) return String(arith(ar, env.vars));
    if (sub !== undefined) return captured(env, sub);
    const name = braced ?? simple;
    if (name === '?') return String(env.status);
    if (name === 'HOSTNAME') return env.vars.HOSTNAME ?? '{hostname}';
    const v = env.vars[name];
    return v === undefined || v === '' ? (dflt ?? '') : v;
  });
}

/** $(cmd): what the command writes, run at the current time */
function captured(env: Env, script: string): string {
  const lines: string[] = [];
  const sink = env.sink;
  env.sink = (l, err) => (err ? sink(l, err) : lines.push(l));
  try {
    runList(env, parse(script));
  } catch (e) {
    if (!(e instanceof Exit)) throw e;
  } finally {
    env.sink = sink;
  }
  return lines.join('\n');
}

/** a word after expansion; unquoted expansions split on blanks */
function expandWord(env: Env, w: Seg[]): string[] {
  const out: string[] = [];
  let cur = '';
  let any = false;
  for (const s of w) {
    if (s.q === 'single') {
      cur += s.text;
      any = true;
    } else if (s.q === 'double') {
      cur += expandText(env, s.text);
      any = true;
    } else {
      const v = expandText(env, s.text);
      const parts = v.split(/[ \t\n]+/);
      if (/^[ \t\n]/.test(v) && (cur || any)) {
        out.push(cur);
        cur = '';
        any = false;
      }
      parts.forEach((p, k) => {
        if (k > 0 && (cur || any)) {
          out.push(cur);
          cur = '';
          any = false;
        }
        cur += p;
        if (p) any = true;
      });
      if (s.text && !/^\$/.test(s.text)) any = true;
    }
  }
  if (cur || any) out.push(cur);
  return out;
}

function runList(env: Env, list: List): number {
  // `a && b || c`: after each pipeline (run or skipped), the next runs when its connector allows
  // it given the status so far; a skipped pipeline leaves the status as it was
  let run = true;
  for (const { p, next } of list.items) {
    if (run && p.background) {
      const saved = env.t;
      try {
        runPipeline(env, p);
      } catch (e) {
        if (!(e instanceof Stop || e instanceof Forever || e instanceof Exit)) throw e;
      }
      env.t = saved;
      env.status = 0;
    } else if (run) {
      runPipeline(env, p);
    }
    run = next === '&&' ? env.status === 0 : next === '||' ? env.status !== 0 : true;
  }
  return env.status;
}

function runPipeline(env: Env, p: Pipeline): void {
  let stdin: string[] | undefined;
  p.cmds.forEach((c, k) => {
    const last = k === p.cmds.length - 1;
    if (last) {
      runCmd(env, c, stdin);
      return;
    }
    const lines: string[] = [];
    const sink = env.sink;
    env.sink = (l, err) => (err ? sink(l, err) : lines.push(l));
    try {
      runCmd(env, c, stdin);
    } catch (e) {
      if (!(e instanceof Exit)) throw e;
    } finally {
      env.sink = sink;
    }
    stdin = lines;
  });
  if (p.neg) env.status = env.status === 0 ? 1 : 0;
}

/** the redirections of a command: where its output goes while it runs */
function withRedirs(env: Env, redirs: Redir[], fn: () => void): void {
  if (!redirs.length) return fn();
  const sink = env.sink;
  let out: Sink = sink;
  let err: Sink = sink;
  const files: { path: string; text: string[] }[] = [];
  for (const r of redirs) {
    const target = expandWord(env, r.target).join(' ');
    if (r.op === '<') continue;
    let dest: Sink;
    if (r.op === '>&') dest = target === '2' ? (l) => sink(l, true) : target === '1' ? out : sink;
    else if (target === '/dev/null') dest = () => {};
    else if (target === '/dev/stderr') dest = (l) => sink(l, true);
    else if (target === '/dev/stdout') dest = (l) => sink(l, false);
    else {
      const f = { path: target, text: [] as string[] };
      if (r.op === '>>' && exists(env, target)) f.text.push(...(env.files.get(target) ?? '').split('\n').filter(Boolean));
      files.push(f);
      // the file exists as soon as the shell opens it
      setFile(env, target, f.text.join('\n'));
      dest = (l) => {
        f.text.push(l);
        setFile(env, target, f.text.join('\n'));
      };
    }
    if (r.fd === 2) err = dest;
    else out = dest;
  }
  env.sink = (l, isErr) => (isErr ? err(l, false) : out(l, false));
  // a `>&2` target writes to stderr: keep that flag
  if (redirs.some((r) => r.op === '>&' && expandWord(env, r.target)[0] === '2' && r.fd === 1)) env.sink = (l, isErr) => (isErr ? err(l, true) : sink(l, true));
  try {
    fn();
  } finally {
    env.sink = sink;
  }
}

function runCmd(env: Env, c: Cmd, stdin?: string[]): void {
  withRedirs(env, c.redirs, () => {
    switch (c.t) {
      case 'simple':
        return runSimple(env, c.words, stdin);
      case 'group':
        runList(env, c.body);
        return;
      case 'if': {
        for (const b of c.branches) {
          if (runList(env, b.cond) === 0) {
            runList(env, b.body);
            return;
          }
        }
        if (c.otherwise) runList(env, c.otherwise);
        else env.status = 0;
        return;
      }
      case 'for': {
        const items = c.items.flatMap((w) => expandWord(env, w));
        try {
          for (const it of items) {
            env.vars[c.name] = it;
            runList(env, c.body);
          }
        } catch (e) {
          if (!(e instanceof Break)) throw e;
        }
        return;
      }
      case 'while': {
        const constant = c.cond.items.length === 1 && c.cond.items[0].p.cmds.length === 1 && c.cond.items[0].p.cmds[0].t === 'simple'
          && ['true', ':', 'false'].includes(plain((c.cond.items[0].p.cmds[0] as any).words[0]) ?? '');
        try {
          for (;;) {
            const ok = runList(env, c.cond) === 0;
            if (ok === c.until) break;
            const before = env.findExit && constant ? snapshot(env) : undefined;
            runList(env, c.body);
            tick(env, 0);
            // an iteration that left everything as it found it repeats for ever
            if (before !== undefined && before === snapshot(env)) throw new Forever();
          }
        } catch (e) {
          if (!(e instanceof Break)) throw e;
        }
        env.status = 0;
        return;
      }
    }
  });
}

function snapshot(env: Env): string {
  return JSON.stringify([env.vars, [...env.files]]);
}

function parseSleep(arg: string | undefined): number {
  if (!arg) return 0;
  if (/^inf/.test(arg)) return Infinity;
  const m = /^(\d+(?:\.\d+)?|\.\d+)([smhd]?)$/.exec(arg);
  if (!m) return 0;
  const unit = { '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2]]!;
  return Math.round(Number(m[1]) * unit);
}

function printf(fmt: string, args: string[]): string {
  let k = 0;
  let s = fmt.replace(/%(-?\d*)([sdif%])/g, (_m, _w, conv) => (conv === '%' ? '%' : args[k++] ?? ''));
  s = s.replace(/\\n/g, '\n').replace(/\\t/g, '\t');
  return s;
}

function emitText(env: Env, text: string, stderr = false): void {
  const lines = text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  for (const l of lines) env.sink(l, stderr);
}

function testExpr(env: Env, a: string[]): boolean {
  if (a.length === 0) return false;
  if (a[0] === '!') return !testExpr(env, a.slice(1));
  if (a.length === 1) return a[0] !== '';
  if (a.length === 2) {
    const [op, v] = a;
    if (op === '-f' || op === '-e' || op === '-r' || op === '-s' || op === '-x') return exists(env, v) && !(op === '-s' && !(env.files.get(v) ?? 'x'));
    if (op === '-d') return exists(env, v);
    if (op === '-z') return v === '';
    if (op === '-n') return v !== '';
    return true;
  }
  const [l, op, r] = a;
  const n = (x: string) => Number.parseInt(x, 10) || 0;
  switch (op) {
    case '=': case '==': return l === r;
    case '!=': return l !== r;
    case '-eq': return n(l) === n(r);
    case '-ne': return n(l) !== n(r);
    case '-lt': return n(l) < n(r);
    case '-le': return n(l) <= n(r);
    case '-gt': return n(l) > n(r);
    case '-ge': return n(l) >= n(r);
    default: return true;
  }
}

function runSimple(env: Env, words: Seg[][], stdin?: string[]): void {
  tick(env, STEP_MS);
  const argv = words.flatMap((w) => expandWord(env, w));
  // NAME=value assignments (alone: set the variable; before a command: its environment only)
  while (argv.length && /^[A-Za-z_]\w*=/.test(argv[0]) && words.length >= 1) {
    const [name, ...rest] = argv[0].split('=');
    if (argv.length === 1) env.vars[name] = rest.join('=');
    argv.shift();
  }
  env.status = 0;
  if (!argv.length) return;
  const prog = argv[0].split('/').pop()!;
  const args = argv.slice(1);
  const fail = (msg: string, code = 1) => {
    env.sink(msg, true);
    env.status = code;
  };
  const tool = SHELLS.has(prog) ? undefined : env.tools?.(argv, stdin);
  if (tool) {
    for (const l of tool.stdout) env.sink(l, false);
    for (const l of tool.stderr) env.sink(l, true);
    if (tool.elapsedMs) tick(env, tool.elapsedMs);
    env.status = tool.exitCode;
    return;
  }
  switch (prog) {
    case 'echo': {
      let a = args;
      let newline = true;
      let escapes = false;
      while (a[0] && /^-[neE]+$/.test(a[0])) {
        if (a[0].includes('n')) newline = false;
        if (a[0].includes('e')) escapes = true;
        a = a.slice(1);
      }
      let text = a.join(' ');
      if (escapes) text = text.replace(/\\n/g, '\n').replace(/\\t/g, '\t');
      if (newline || text) emitText(env, text);
      return;
    }
    case 'printf':
      if (args.length) emitText(env, printf(args[0], args.slice(1)));
      return;
    case 'sleep':
      tick(env, parseSleep(args[0]));
      return;
    case 'exit':
      throw new Exit(args[0] !== undefined ? (Number.parseInt(args[0], 10) & 255) : env.status);
    case 'break':
      throw new Break();
    case 'true': case ':': case 'set': case 'trap': case 'cd': case 'wait': case 'shift':
      return;
    case 'false':
      env.status = 1;
      return;
    case 'export': case 'local': case 'readonly':
      for (const a of args) if (a.includes('=')) env.vars[a.split('=')[0]] = a.split('=').slice(1).join('=');
      return;
    case 'touch':
      for (const f of args.filter((x) => !x.startsWith('-'))) if (!exists(env, f)) setFile(env, f, '');
      return;
    case 'mkdir':
      for (const f of args.filter((x) => !x.startsWith('-'))) setFile(env, f, '');
      return;
    case 'rm': case 'rmdir': {
      const force = args.some((a) => /^-\w*f/.test(a));
      for (const f of args.filter((x) => !x.startsWith('-'))) {
        if (!exists(env, f)) {
          if (!force) fail(`rm: can't remove '${f}': No such file or directory`);
          continue;
        }
        setFile(env, f, undefined);
        for (const k of [...env.files.keys()]) if (k.startsWith(`${f}/`)) setFile(env, k, undefined);
      }
      return;
    }
    case 'cat': {
      const files = args.filter((x) => !x.startsWith('-'));
      if (!files.length) {
        for (const l of stdin ?? []) env.sink(l, false);
        return;
      }
      for (const f of files) {
        if (!exists(env, f)) fail(`cat: can't open '${f}': No such file or directory`);
        else if (env.files.get(f)) emitText(env, env.files.get(f)!);
      }
      return;
    }
    case 'ls': {
      for (const f of args.filter((x) => !x.startsWith('-'))) if (!exists(env, f)) fail(`ls: ${f}: No such file or directory`);
      return;
    }
    case 'tee': {
      const files = args.filter((x) => !x.startsWith('-'));
      const append = args.includes('-a');
      for (const f of files) setFile(env, f, [...(append ? (env.files.get(f) ?? '').split('\n').filter(Boolean) : []), ...(stdin ?? [])].join('\n'));
      for (const l of stdin ?? []) env.sink(l, false);
      return;
    }
    case 'grep': {
      const pat = args.find((a) => !a.startsWith('-'));
      const rest = args.slice(args.indexOf(pat ?? '') + 1).filter((a) => !a.startsWith('-'));
      const lines = rest.length ? rest.flatMap((f) => (env.files.get(f) ?? '').split('\n')) : (stdin ?? []);
      const hits = pat === undefined ? [] : lines.filter((l) => l.includes(pat));
      if (!args.includes('-q')) for (const l of hits) env.sink(l, false);
      env.status = hits.length ? 0 : 1;
      return;
    }
    case 'test':
      env.status = testExpr(env, args) ? 0 : 1;
      return;
    case '[': case '[[':
      env.status = testExpr(env, args.slice(0, -1)) ? 0 : 1;
      return;
    case 'perl': {
      // the docs' Job: perl -Mbignum=bpi -wle 'print bpi(2000)' prints pi, after a while
      const n = /bpi\((\d+)\)/.exec(args.join(' '));
      if (n) {
        const digits = Math.min(Number(n[1]), 10_000);
        tick(env, 1000 + digits * 3);
        env.sink(piDigits(digits), false);
      }
      return;
    }
    case 'printenv': case 'env': {
      // env with a command after its assignments runs that command; alone, both print the environment
      const names = args.filter((a) => !a.startsWith('-'));
      if (prog === 'env' && names.length) {
        const rest = names.filter((a) => !a.includes('='));
        if (rest.length) runSimple(env, rest.map((a) => [{ text: a, q: 'single' as const }]), stdin);
        return;
      }
      if (!names.length) {
        for (const [k, v] of Object.entries(env.vars)) emitText(env, `${k}=${v}`);
        return;
      }
      let missing = false;
      for (const n of names) {
        if (env.vars[n] === undefined) missing = true;
        else emitText(env, env.vars[n]);
      }
      env.status = missing ? 1 : 0;
      return;
    }
    case 'wget': case 'curl': {
      // the download lands where -O (or curl's -o) says; stdout (-O -) shows nothing the model knows
      const o = args.findIndex((a) => a === '-O' || a === '-o' || a === '--output');
      const inline = args.find((a) => /^-O./.test(a))?.slice(2);
      const target = o >= 0 ? args[o + 1] : inline;
      if (target && target !== '-') setFile(env, target, '');
      return;
    }
    case 'date':
      env.sink('{date}', false);
      return;
    case 'hostname':
      env.sink(env.vars.HOSTNAME ?? '{hostname}', false);
      return;
    case 'head': case 'tail': {
      if (prog === 'tail' && (args.includes('-f') || args.includes('-F'))) tick(env, Infinity);
      // -n N, -nN, -N (10 by default), from the files named or from stdin
      let n = 10;
      const files: string[] = [];
      for (let i = 0; i < args.length; i++) {
        const a = args[i];
        if (a === '-n') n = Number.parseInt(args[++i] ?? '10', 10);
        else if (/^-n\d+$/.test(a)) n = Number.parseInt(a.slice(2), 10);
        else if (/^-\d+$/.test(a)) n = Number.parseInt(a.slice(1), 10);
        else if (!a.startsWith('-')) files.push(a);
      }
      const lines = files.length ? files.flatMap((f) => (env.files.get(f) ?? '').split('\n').filter((l, k, all) => k < all.length - 1 || l !== '')) : (stdin ?? []);
      for (const l of prog === 'head' ? lines.slice(0, n) : lines.slice(Math.max(0, lines.length - n))) env.sink(l, false);
      return;
    }
    case 'stress': {
      if (isGoStress(argv)) {
        // vish/stress (a Go program logging through glog to stderr): it says what it allocates,
        // starts its CPU burners, allocates, then blocks for ever
        const total = goFlag(argv, 'mem-total') ?? '0';
        const q = (x: string) => `"${x}"`;
        env.sink(`{glog:main.go:26}Allocating ${q(total)} memory, in ${q(goFlag(argv, 'mem-alloc-size') ?? '4Ki')} chunks, with a ${goFlag(argv, 'mem-alloc-sleep') ?? '1ms'} sleep between allocations`, true);
        const cpus = Number.parseInt(goFlag(argv, 'cpus') ?? '0', 10) || 0;
        for (let k = 0; k < cpus; k++) env.sink('{glog:main.go:39}Spawning a thread to consume CPU', true);
        tick(env, 1 + Math.ceil(quantityBytes(total) / (4 * 1024)));
        env.sink(`{glog:main.go:29}Allocated ${q(total)} memory`, true);
        tick(env, Infinity);
        return;
      }
      const timeout = args[args.indexOf('--timeout') + 1];
      const hogs = (flag: string) => (args.includes(flag) ? Number.parseInt(args[args.indexOf(flag) + 1], 10) || 0 : 0);
      env.sink(`stress: info: [1] dispatching hogs: ${hogs('--cpu') || hogs('-c')} cpu, ${hogs('--io') || hogs('-i')} io, ${hogs('--vm') || hogs('-m')} vm, ${hogs('--hdd') || hogs('-d')} hdd`, false);
      tick(env, args.includes('--timeout') ? parseSleep(timeout) : Infinity);
      env.sink(`stress: info: [1] successful run completed in ${Math.round(parseSleep(timeout) / 1000)}s`, false);
      return;
    }
    default:
      if (SHELLS.has(prog)) {
        const script = args[0] === '-c' ? args[1] : undefined;
        if (script !== undefined) runList(env, parse(script));
        // an interactive shell with stdin held open (`run -i`) waits for its input
        else if (env.stdinOpen && stdin === undefined) tick(env, Infinity);
        return;
      }
      // httpd (busybox's, Apache's) without -f / -DFOREGROUND forks into the background and returns
      const daemonizes = prog === 'httpd' && !args.includes('-f') && !args.some((a) => a.includes('FOREGROUND'));
      if (SERVERS.has(prog) && !daemonizes && !args.some((a) => a === '-v' || a === '--version' || a === '-t')) tick(env, Infinity);
      // any other program: done at once, successfully
      return;
  }
}

// ---------------------------------------------------------------- entry points

/**
 * The kubelet's expansion of command and args: $(NAME) becomes the variable's value when the
 * container has it (left as written otherwise), $$ a literal $.
 */
function expandRefs(text: string, vars: Record<string, string>): string {
  if (!text.includes('$')) return text;
  return text.replace(/\$\$|\$\(([A-Za-z_][\w.-]*)\)/g, (m, name) => (m === '$$' ? '$' : vars[name] ?? m));
}

/** the argv the container runs; undefined when it runs its image's default command */
export function argvOf(spec: ContainerSpecLike, resolved?: ResolvedEnv): string[] | undefined {
  const vars = spec.command?.length || spec.args?.length ? initialVars(spec, undefined, resolved) : {};
  const command = (spec.command ?? []).map((a) => expandRefs(a, vars));
  const args = (spec.args ?? []).map((a) => expandRefs(a, vars));
  if (command.length) return [...command, ...args];
  if (!args.length) return undefined;
  // args alone replace the CMD of an image without an entrypoint (the shell images); an image
  // with an entrypoint of its own gets them as its arguments
  const info = lookupImage(spec.image);
  if (info.shell || SHELLS.has(args[0].split('/').pop()!)) return args;
  return info.entrypoint ? [...info.entrypoint, ...args] : undefined;
}

/**
 * The process's environment, in the order `env` prints it: what the runtime sets (PATH, the
 * pod's HOSTNAME), the container's env in spec order (valueFrom ones as the kubelet resolved
 * them), the Service links, then HOME.
 */
function initialVars(spec: ContainerSpecLike, hostname?: string, resolved?: ResolvedEnv): Record<string, string> {
  const vars: Record<string, string> = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' };
  if (hostname) vars.HOSTNAME = hostname;
  for (const e of spec.env ?? []) {
    const v = resolved?.[e.name] ?? e.value;
    if (v !== undefined) vars[e.name] = v;
  }
  for (const [k, v] of Object.entries(resolved ?? {})) if (!(k in vars)) vars[k] = v;
  vars.HOME ??= '/root';
  return vars;
}

/**
 * What a run of the container's own process may be given besides its spec: the network programs
 * (a container whose command names wget, curl, nc ... reaches the network as `exec` does), the
 * files the kubelet and CNI put there (/etc/resolv.conf, /etc/hosts), and a cap on the log lines
 * (a reader that wants only so many stops the interpretation there: the run is then cut).
 */
export interface TimelineOptions {
  tools?: ExecTools;
  files?: Record<string, string>;
  maxLogs?: number;
}

function interpret(spec: ContainerSpecLike, deadline: number, findExit: boolean, hostname?: string, resolved?: ResolvedEnv, opts: TimelineOptions = {}): ProcessRun {
  const argv = argvOf(spec, resolved);
  const events: ProcEvent[] = [];
  if (!argv) {
    const info = lookupImage(spec.image);
    // the images whose default command is a shell end at once, unless stdin is held open for it
    const shellImage = /(^|\/)(busybox|alpine|debian|ubuntu)$/.test(info.repository);
    if (info.exits && !(spec.stdin && shellImage)) return { events, exit: { at: info.exits.afterMs, code: info.exits.code }, cut: false };
    return { events, cut: true };
  }
  const env: Env = {
    t: 0, deadline, findExit, steps: 0, vars: initialVars(spec, hostname, resolved), files: new Map(Object.entries(opts.files ?? {})), mounts: (spec.volumeMounts ?? []).map((m) => m.mountPath),
    events, status: 0, sink: () => {}, tools: opts.tools, stdinOpen: !!spec.stdin,
  };
  let logged = 0;
  const maxLogs = opts.maxLogs ?? Infinity;
  env.sink = (text, stderr) => {
    events.push({ at: env.t, kind: 'log', text, ...(stderr ? { stderr: true } : {}) });
    if (++logged >= maxLogs) throw new Stop();
  };
  try {
    const prog = argv[0].split('/').pop()!;
    // a network program run directly is one-shot when it is given the network (nc connects and ends)
    const tooled = opts.tools !== undefined && NET_ONE_SHOT.has(prog) && !(prog === 'nc' && argv.some((a) => /^-\w*l/.test(a)));
    if (!SHELLS.has(prog) && !ONE_SHOT.has(prog) && !tooled) tick(env, Infinity);
    runSimple(env, argv.map((a) => [{ text: a, q: 'single' as const }]));
    return { events, exit: { at: env.t + EXIT_MS, code: env.status }, cut: false };
  } catch (e) {
    if (e instanceof Exit) return { events, exit: { at: env.t + EXIT_MS, code: e.code }, cut: false };
    if (e instanceof Break) return { events, exit: { at: env.t + EXIT_MS, code: 0 }, cut: false };
    if (e instanceof Stop || e instanceof Forever) return { events, cut: true };
    throw e;
  }
}

const keyOf = (spec: ContainerSpecLike) => JSON.stringify([spec.image, spec.command, spec.args, spec.env, spec.volumeMounts?.map((m) => m.mountPath), spec.lifecycle?.postStart?.exec?.command, !!spec.stdin]);

export interface ProcessModel {
  /** ms after the start at which the process ends by itself; undefined: it runs until stopped */
  exitAfterMs?: number;
  exitCode: number;
  /** it stops promptly on SIGTERM; otherwise it is killed when the grace period ends */
  sigterm: boolean;
  /** the exit code it stops with on SIGTERM */
  sigtermExit: number;
}

const modelCache = new Map<string, ProcessModel>();

/** How the container's process ends (if it does) and how it takes SIGTERM. */
export function processModel(spec: ContainerSpecLike): ProcessModel {
  const key = keyOf(spec);
  const hit = modelCache.get(key);
  if (hit) return hit;
  const run = interpret(spec, Infinity, true, DEFAULT_HOSTNAME, DEFAULT_ENV);
  const argv = argvOf(spec);
  const info = lookupImage(spec.image);
  // a shell (pid 1) ignores SIGTERM; the image's own program follows the catalogue
  const sigterm = argv ? !SHELLS.has(argv[0].split('/').pop()!) && info.sigterm && !['sleep', 'tail'].includes(argv[0].split('/').pop()!) : info.sigterm;
  const sigtermExit = sigterm ? info.sigtermExit : 0;
  const m: ProcessModel = run.exit ? { exitAfterMs: run.exit.at, exitCode: run.exit.code, sigterm, sigtermExit } : { exitCode: 0, sigterm, sigtermExit };
  if (modelCache.size > 2000) modelCache.clear();
  modelCache.set(key, m);
  return m;
}

/** the postStart handler's command runs right after the container starts */
const HOOK_START_MS = 5;

/** The files a postStart exec handler leaves, timed from the container's start. */
function hookFileEvents(spec: ContainerSpecLike): ProcEvent[] {
  const cmd = spec.lifecycle?.postStart?.exec?.command;
  if (!cmd?.length) return [];
  const events: ProcEvent[] = [];
  const env: Env = {
    t: HOOK_START_MS, deadline: HOOK_START_MS + 120_000, findExit: false, steps: 0, vars: initialVars(spec), files: new Map(),
    mounts: (spec.volumeMounts ?? []).map((m) => m.mountPath), events, status: 0, sink: () => {},
  };
  try {
    runSimple(env, cmd.map((a) => [{ text: a, q: 'single' as const }]));
  } catch {
    // an exit, or a handler that runs on: what it wrote so far stays
  }
  return events.filter((e) => e.kind === 'file');
}

/**
 * Everything the process did up to ms since its start (log lines, files), in time order.
 * `resolved`: the variables the kubelet resolved for it (containerEnv in logs.ts).
 */
export function timeline(spec: ContainerSpecLike, untilMs: number, hostname?: string, resolved?: ResolvedEnv, opts: TimelineOptions = {}): ProcessRun {
  const run = interpret(spec, untilMs, false, hostname, resolved, opts);
  run.events = [...run.events, ...hookFileEvents(spec)].filter((e) => e.at <= untilMs).sort((a, b) => a.at - b.at);
  return run;
}

const fileCache = new Map<string, { until: number; events: ProcEvent[] }>();

function fileEvents(spec: ContainerSpecLike, untilMs: number): ProcEvent[] {
  const key = keyOf(spec);
  const hit = fileCache.get(key);
  if (hit && hit.until >= untilMs) return hit.events;
  // interpret a little further than asked, so that a probe stepping through time reuses it
  const until = Math.max(untilMs, 60_000) * 2;
  const events = timeline(spec, until).events.filter((e) => e.kind === 'file');
  if (fileCache.size > 1000) fileCache.clear();
  fileCache.set(key, { until, events });
  return events;
}

/** Whether path exists in the container sinceStartMs after it started (for exec probes). */
export function fileAt(spec: ContainerSpecLike, path: string, sinceStartMs: number): boolean {
  let state: boolean | undefined;
  for (const e of fileEvents(spec, sinceStartMs)) {
    if (e.at > sinceStartMs) break;
    if (e.path === path) state = e.exists;
  }
  if (state !== undefined) return state;
  const env = { files: new Map(), mounts: (spec.volumeMounts ?? []).map((m) => m.mountPath) } as unknown as Env;
  return exists(env, path);
}

/** The times (ms since start) at which the container's set of files changes, within the first hour. */
export function fileChanges(spec: ContainerSpecLike): number[] {
  return [...new Set(fileEvents(spec, 3_600_000).filter((e) => e.at <= 3_600_000).map((e) => e.at))];
}

/**
 * Runs a command (an exec probe's, `kubectl exec`'s) inside the container sinceStartMs after it
 * started: it sees the files the container's process had made by then.
 */
export function execIn(spec: ContainerSpecLike, argv: string[], sinceStartMs: number, opts: ExecOptions = {}): { exitCode: number; stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const env: Env = {
    t: 0, deadline: opts.deadline ?? 10_000, findExit: false, steps: 0, vars: initialVars(spec), files: new Map(Object.entries(opts.files ?? {})), mounts: (spec.volumeMounts ?? []).map((m) => m.mountPath),
    events: [], status: 0, sink: (l, err) => (err ? stderr : stdout).push(l), tools: opts.tools,
  };
  for (const e of fileEvents(spec, sinceStartMs)) {
    if (e.at > sinceStartMs) break;
    env.files.set(e.path!, e.exists ? (e.content ?? '') : undefined);
  }
  try {
    runSimple(env, argv.map((a) => [{ text: a, q: 'single' as const }]));
    return { exitCode: env.status, stdout, stderr };
  } catch (e) {
    if (e instanceof Exit) return { exitCode: e.code, stdout, stderr };
    // a command that does not end within the probe's time: it times out
    return { exitCode: 124, stdout, stderr };
  }
}

/** vish/stress, the Go program (single-dash flags: -cpus, -mem-total), rather than stress(1) */
function isGoStress(argv: string[]): boolean {
  return argv.slice(1).some((a) => a === '-logtostderr' || /^--?(cpus|mem-total|mem-alloc-size|mem-alloc-sleep)(=|$)/.test(a));
}

/** a Go flag's value: -name value, -name=value, --name value */
function goFlag(argv: string[], name: string): string | undefined {
  for (let i = 1; i < argv.length; i++) {
    const m = /^--?([\w-]+)(?:=(.*))?$/.exec(argv[i]);
    if (m?.[1] === name) return m[2] ?? argv[i + 1];
  }
  return undefined;
}

/** a Kubernetes quantity in bytes (vish/stress parses its sizes with resource.MustParse) */
function quantityBytes(s: string): number {
  try {
    return value(parseQuantity(s));
  } catch {
    return 0;
  }
}

/**
 * The CPU the container's process would burn if nothing held it back (millicores), when it is a
 * known CPU burner: vish/stress -cpus N, stress --cpu N. The CFS quota (the CPU limit) caps it.
 */
export function cpuDemandMilli(spec: ContainerSpecLike): number | undefined {
  const argv = argvOf(spec) ?? [];
  if (argv[0]?.split('/').pop() !== 'stress') return undefined;
  if (isGoStress(argv)) {
    const cpus = Number.parseInt(goFlag(argv, 'cpus') ?? '0', 10) || 0;
    return cpus * 1000;
  }
  const i = argv.findIndex((a) => a === '--cpu' || a === '-c');
  const n = i >= 0 ? Number.parseInt(argv[i + 1] ?? '0', 10) || 0 : 0;
  return n > 0 ? n * 1000 : undefined;
}

/** What the container's process allocates, when the model knows (stress --vm N --vm-bytes X, vish/stress -mem-total X). */
export function memoryUseBytes(spec: ContainerSpecLike): number | undefined {
  const argv = argvOf(spec) ?? [];
  if (argv[0]?.split('/').pop() !== 'stress') return undefined;
  if (isGoStress(argv)) {
    const total = quantityBytes(goFlag(argv, 'mem-total') ?? '0');
    return total > 0 ? total + 1024 * 1024 : undefined;
  }
  const at = (f: string[]) => {
    const i = argv.findIndex((a) => f.includes(a));
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const vm = Number.parseInt(at(['--vm', '-m']) ?? '0', 10) || 0;
  if (!vm) return undefined;
  return vm * sizeOf(at(['--vm-bytes']) ?? '256M') + 1024 * 1024;
}

/** stress's sizes: B, K, M, G suffixes, powers of 1024 */
function sizeOf(s: string): number {
  const m = /^(\d+(?:\.\d+)?)([bBkKmMgG]?)$/.exec(s);
  if (!m) return 0;
  const mult = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2].toLowerCase()]!;
  return Math.round(Number(m[1]) * mult);
}

/** pi to n significant digits (Machin's formula on BigInts), as bignum's bpi(n) prints it */
function piDigits(n: number): string {
  const guard = 10n;
  const scale = 10n ** BigInt(n + 10);
  const arctanInv = (x: bigint) => {
    let sum = 0n;
    let term = scale / x;
    const x2 = x * x;
    for (let k = 0n; term !== 0n; k++) {
      sum += (k % 2n === 0n ? 1n : -1n) * (term / (2n * k + 1n));
      term /= x2;
    }
    return sum;
  };
  const pi = 4n * (4n * arctanInv(5n) - arctanInv(239n));
  const s = (pi / guard ** 10n).toString();
  // bignum rounds the last digit
  const kept = s.slice(0, n);
  const round = Number(s[n] ?? '0') >= 5;
  const digits = round ? (BigInt(kept) + 1n).toString() : kept;
  return `${digits[0]}.${digits.slice(1)}`;
}
