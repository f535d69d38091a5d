// An exec probe's command, run the way the container's shell would run it, against the container's
// files at the probe's time. Only what probes in tutorials do is modelled: `cat`/`test`/`[`/`ls`/
// `stat` of files, `true`/`false`/`exit N`/`echo`/`sleep N`, joined by `;`, `&&`, `||` and `|`
// inside `sh -c "..."`. A command it does not know succeeds with no output (the user meant it to).
// Messages are those of the image's userland: busybox (busybox, alpine) or GNU coreutils.

export interface ExecWorld {
  fileAt(path: string): boolean;
  busybox: boolean;
  timeoutMs: number;
}

export type ExecOutcome = { ok: boolean; output: string };

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh']);

type Token = { op?: string; word?: string };

/** Splits a shell script into words and the operators ; && || | (quotes respected, no expansion). */
export function tokenize(script: string): Token[] {
  const out: Token[] = [];
  let cur = '';
  let inWord = false;
  const flush = () => {
    if (inWord) out.push({ word: cur });
    cur = '';
    inWord = false;
  };
  for (let i = 0; i < script.length; i++) {
    const ch = script[i];
    if (ch === "'") {
      const end = script.indexOf("'", i + 1);
      cur += script.slice(i + 1, end < 0 ? undefined : end);
      inWord = true;
      i = end < 0 ? script.length : end;
    } else if (ch === '"') {
      let j = i + 1;
      for (; j < script.length && script[j] !== '"'; j++) {
        if (script[j] === '\\' && j + 1 < script.length) j++;
        cur += script[j];
      }
      inWord = true;
      i = j;
    } else if (ch === '\\' && i + 1 < script.length) {
      cur += script[++i];
      inWord = true;
    } else if (ch === ' ' || ch === '\t') {
      flush();
    } else if (ch === '\n' || ch === ';') {
      flush();
      out.push({ op: ';' });
    } else if (ch === '&' && script[i + 1] === '&') {
      flush();
      out.push({ op: '&&' });
      i++;
    } else if (ch === '|') {
      flush();
      if (script[i + 1] === '|') {
        out.push({ op: '||' });
        i++;
      } else out.push({ op: '|' });
    } else if (ch === '>' || ch === '<') {
      // a redirection: the target is not a command argument
      flush();
      while (script[i + 1] === '>' || script[i + 1] === '&') i++;
      while (script[i + 1] === ' ') i++;
      let j = i + 1;
      while (j < script.length && !' \t\n;&|'.includes(script[j])) j++;
      i = j - 1;
    } else {
      cur += ch;
      inWord = true;
    }
  }
  flush();
  return out;
}

interface Run {
  code: number;
  out: string;
  exited?: boolean;
}

class Shell {
  sleptMs = 0;
  constructor(private w: ExecWorld) {}

  private missing(tool: string, path: string): string {
    const bb = this.w.busybox;
    switch (tool) {
      case 'cat':
        return bb ? `cat: can't open '${path}': No such file or directory\n` : `cat: ${path}: No such file or directory\n`;
      case 'ls':
        return bb ? `ls: ${path}: No such file or directory\n` : `ls: cannot access '${path}': No such file or directory\n`;
      case 'stat':
        return bb ? `stat: can't stat '${path}': No such file or directory\n` : `stat: cannot statx '${path}': No such file or directory\n`;
      default:
        return `${tool}: ${path}: No such file or directory\n`;
    }
  }

  /** test / [ expressions: file tests consult the files, anything else is taken as true */
  private test(args: string[]): boolean {
    if (args[0] === '!') return !this.test(args.slice(1));
    if (args.length >= 2 && /^-[efdsrwxLhp]$/.test(args[0])) return this.w.fileAt(args[1]);
    if (args.length === 3 && (args[1] === '=' || args[1] === '==')) return args[0] === args[2];
    if (args.length === 3 && args[1] === '!=') return args[0] !== args[2];
    return true;
  }

  simple(argv: string[]): Run {
    if (argv.length === 0) return { code: 0, out: '' };
    const prog = argv[0].split('/').pop()!;
    const args = argv.slice(1);
    switch (prog) {
      case 'true':
      case ':':
        return { code: 0, out: '' };
      case 'false':
        return { code: 1, out: '' };
      case 'exit':
        return { code: Number(args[0] ?? 0) || 0, out: '', exited: true };
      case 'echo':
        return { code: 0, out: `${args.filter((a) => a !== '-n' && a !== '-e').join(' ')}${args.includes('-n') ? '' : '\n'}` };
      case 'sleep': {
        const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(args[0] ?? '');
        const unit = { '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m?.[2] ?? ''] ?? 1000;
        this.sleptMs += m ? Number(m[1]) * unit : 0;
        return { code: 0, out: '' };
      }
      case 'test':
        return { code: this.test(args) ? 0 : 1, out: '' };
      case '[':
      case '[[':
        return { code: this.test(args.slice(0, -1)) ? 0 : 1, out: '' };
      case 'cat':
      case 'ls':
      case 'stat': {
        let out = '';
        let code = 0;
        for (const f of args.filter((a) => !a.startsWith('-'))) {
          if (this.w.fileAt(f)) {
            if (prog === 'ls') out += `${f}\n`;
          } else {
            out += this.missing(prog, f);
            code = prog === 'ls' && !this.w.busybox ? 2 : 1;
          }
        }
        return { code, out };
      }
      default:
        if (SHELLS.has(prog)) {
          const c = args.indexOf('-c');
          if (c >= 0 || args.some((a) => /^-[a-z]*c$/.test(a))) {
            const at = c >= 0 ? c : args.findIndex((a) => /^-[a-z]*c$/.test(a));
            return this.script(args[at + 1] ?? '');
          }
          return { code: 0, out: '' };
        }
        // a program this model does not know: it is taken to succeed, quietly
        return { code: 0, out: '' };
    }
  }

  script(text: string): Run {
    const tokens = tokenize(text);
    let out = '';
    let code = 0;
    let skip = false;
    let argv: string[] = [];
    let pipeOut = '';
    const runCmd = () => {
      if (!skip) {
        const r = this.simple(argv);
        out += pipeOut + r.out;
        pipeOut = '';
        code = r.code;
        if (r.exited) return true;
      }
      argv = [];
      return false;
    };
    for (const t of tokens) {
      if (t.word !== undefined) {
        argv.push(t.word);
        continue;
      }
      if (t.op === '|') {
        // a pipeline's status is its last command's; what earlier stages print on stderr still shows
        if (!skip) {
          const r = this.simple(argv);
          if (r.code !== 0) pipeOut += r.out;
        }
        argv = [];
        continue;
      }
      if (runCmd()) return { code, out, exited: true };
      if (t.op === '&&') skip = code !== 0;
      else if (t.op === '||') skip = code === 0;
      else skip = false;
    }
    if (argv.length) runCmd();
    return { code, out };
  }
}

/** Runs an exec probe's command: Success when it exits 0, with the combined output either way. */
export function runExecProbe(command: string[], w: ExecWorld): ExecOutcome {
  const sh = new Shell(w);
  const r = sh.simple(command.map(String));
  if (sh.sleptMs >= w.timeoutMs) {
    // the runtime's ExecSync deadline (remote_runtime.go): the probe fails with the runtime's message
    return { ok: false, output: `command "${command.join(' ')}" timed out` };
  }
  return { ok: r.code === 0, output: r.out };
}
