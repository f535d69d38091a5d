// minikctl's entry point. Only the verb being run is loaded (each verb is its own chunk of the
// bundle), which keeps start-up close to bare Node.
import { Command, CommanderError } from 'commander';
import { makeCli, reportError, type Cli } from './cli.js';

type Loader = () => Promise<{ register(cli: Cli): void }>;

interface VerbEntry {
  summary: string;
  group: string;
  load: Loader;
}

const VERBS: Record<string, VerbEntry> = {
  create: { group: 'Basic Commands (Beginner)', summary: 'Create a resource from a file or from stdin', load: () => import('./commands/create.js') },
  expose: { group: 'Basic Commands (Beginner)', summary: 'Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service', load: () => import('./commands/expose.js') },
  run: { group: 'Basic Commands (Beginner)', summary: 'Run a particular image on the cluster', load: () => import('./commands/run.js') },
  set: { group: 'Basic Commands (Beginner)', summary: 'Set specific features on objects', load: () => import('./commands/set.js') },
  explain: { group: 'Basic Commands (Intermediate)', summary: 'Get documentation for a resource', load: () => import('./commands/explain.js') },
  get: { group: 'Basic Commands (Intermediate)', summary: 'Display one or many resources', load: () => import('./commands/get.js') },
  edit: { group: 'Basic Commands (Intermediate)', summary: 'Edit a resource on the server', load: () => import('./commands/edit.js') },
  delete: { group: 'Basic Commands (Intermediate)', summary: 'Delete resources by file names, stdin, resources and names, or by resources and label selector', load: () => import('./commands/delete.js') },
  rollout: { group: 'Deploy Commands', summary: 'Manage the rollout of a resource', load: () => import('./commands/rollout.js') },
  scale: { group: 'Deploy Commands', summary: 'Set a new size for a deployment, replica set, or replication controller', load: () => import('./commands/scale.js') },
  autoscale: { group: 'Deploy Commands', summary: 'Auto-scale a deployment, replica set, stateful set, or replication controller', load: () => import('./commands/autoscale.js') },
  'cluster-info': { group: 'Cluster Management Commands', summary: 'Display cluster information', load: () => import('./commands/cluster-info.js') },
  top: { group: 'Cluster Management Commands', summary: 'Display resource (CPU/memory) usage', load: () => import('./commands/top.js') },
  cordon: { group: 'Cluster Management Commands', summary: 'Mark node as unschedulable', load: () => import('./commands/cordon.js') },
  uncordon: { group: 'Cluster Management Commands', summary: 'Mark node as schedulable', load: () => import('./commands/uncordon.js') },
  drain: { group: 'Cluster Management Commands', summary: 'Drain node in preparation for maintenance', load: () => import('./commands/drain.js') },
  taint: { group: 'Cluster Management Commands', summary: 'Update the taints on one or more nodes', load: () => import('./commands/taint.js') },
  describe: { group: 'Troubleshooting and Debugging Commands', summary: 'Show details of a specific resource or group of resources', load: () => import('./commands/describe.js') },
  logs: { group: 'Troubleshooting and Debugging Commands', summary: 'Print the logs for a container in a pod', load: () => import('./commands/logs.js') },
  exec: { group: 'Troubleshooting and Debugging Commands', summary: 'Execute a command in a container', load: () => import('./commands/exec.js') },
  'port-forward': { group: 'Troubleshooting and Debugging Commands', summary: 'Forward one or more local ports to a pod', load: () => import('./commands/port-forward.js') },
  events: { group: 'Troubleshooting and Debugging Commands', summary: 'List events', load: () => import('./commands/events.js') },
  diff: { group: 'Advanced Commands', summary: 'Diff the live version against a would-be applied version', load: () => import('./commands/diff.js') },
  apply: { group: 'Advanced Commands', summary: 'Apply a configuration to a resource by file name or stdin', load: () => import('./commands/apply.js') },
  patch: { group: 'Advanced Commands', summary: 'Update fields of a resource', load: () => import('./commands/patch.js') },
  replace: { group: 'Advanced Commands', summary: 'Replace a resource by file name or stdin', load: () => import('./commands/replace.js') },
  wait: { group: 'Advanced Commands', summary: 'Experimental: Wait for a specific condition on one or many resources', load: () => import('./commands/wait.js') },
  label: { group: 'Settings Commands', summary: 'Update the labels on a resource', load: () => import('./commands/label.js') },
  annotate: { group: 'Settings Commands', summary: 'Update the annotations on a resource', load: () => import('./commands/annotate.js') },
  completion: { group: 'Settings Commands', summary: 'Output shell completion code for the specified shell (bash, zsh, fish, or powershell)', load: () => import('./commands/completion.js') },
  'api-resources': { group: 'Other Commands', summary: 'Print the supported API resources on the server', load: () => import('./commands/api-resources.js') },
  'api-versions': { group: 'Other Commands', summary: 'Print the supported API versions on the server, in the form of "group/version"', load: () => import('./commands/api-versions.js') },
  auth: { group: 'Other Commands', summary: 'Inspect authorization', load: () => import('./commands/auth.js') },
  config: { group: 'Other Commands', summary: 'Modify kubeconfig files', load: () => import('./commands/config.js') },
  cluster: { group: 'Simulation Commands (minikctl)', summary: 'Create, list, switch and delete simulated clusters; move their clock', load: () => import('./commands/cluster.js') },
  node: { group: 'Simulation Commands (minikctl)', summary: 'Stop, start, add and remove the simulated machines (nodes)', load: () => import('./commands/node.js') },
  trace: { group: 'Simulation Commands (minikctl)', summary: 'Show what the cluster did for an object, step by step', load: () => import('./commands/trace.js') },
  version: { group: 'Other Commands', summary: 'Print the client and server version information', load: () => import('./commands/version.js') },
};

/** Global flags that take a value, so that their value is not mistaken for the verb. */
const VALUE_FLAGS = new Set(['-n', '--namespace', '--context', '--cluster', '--user', '--as', '--as-group', '--kubeconfig', '-v', '--v', '--request-timeout', '-s', '--server']);

function findVerb(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') return undefined;
    if (a.startsWith('-')) {
      if (VALUE_FLAGS.has(a)) i++;
      continue;
    }
    return a;
  }
  return undefined;
}

function buildProgram(): Command {
  const program = new Command('minikctl');
  program
    .description('minikctl controls a simulated Kubernetes cluster, the way kubectl controls a real one.')
    .usage('[flags] [options]')
    .option('-n, --namespace <namespace>', 'If present, the namespace scope for this CLI request')
    .option('--context <name>', 'The name of the kubeconfig context to use')
    .option('--cluster <name>', 'The name of the kubeconfig cluster to use')
    .option('--user <name>', 'The name of the kubeconfig user to use')
    .option('--as <user>', 'Username to impersonate for the operation. User could be a regular user or a service account in a namespace.')
    .option('--as-group <group>', 'Group to impersonate for the operation, this flag can be repeated to specify multiple groups.', (v: string, prev: string[] = []) => [...prev, v])
    .option('-v, --v <level>', 'number for the log level verbosity')
    .option('--kubeconfig <path>', 'Path to the kubeconfig file to use for CLI requests (minikctl keeps its own in MINIKCTL_HOME)')
    .option('--request-timeout <duration>', 'The length of time to wait before giving up on a single server request.')
    .option('--trace', 'After the output, print the sequence of steps the command set off in the cluster (minikctl)')
    .helpOption('-h, --help', 'help for minikctl')
    .showSuggestionAfterError(false)
    .exitOverride()
    .configureOutput({
      writeErr: (s) => process.stderr.write(s),
      outputError: (s, write) => write(s.endsWith('\n') ? s : `${s}\n`),
    });
  return program;
}

/**
 * kubectl's global flags work after the verb too (`get pods -n x`), but a verb's own flag of the
 * same name wins (`create rolebinding --user=u`), as with cobra's persistent flags. Commander gets
 * there by giving each command its own copy of the global options it does not define itself.
 */
function shareGlobalOptions(program: Command): void {
  program.enablePositionalOptions();
  const globals = program.options;
  const visit = (cmd: Command) => {
    if (cmd.commands.length) cmd.enablePositionalOptions();
    for (const sub of cmd.commands) {
      const own = new Set(sub.options.map((o) => o.attributeName()));
      for (const g of globals) {
        if (own.has(g.attributeName())) continue;
        if (sub.options.some((o) => (g.short && o.short === g.short) || o.long === g.long)) continue;
        sub.addOption(Object.assign(Object.create(Object.getPrototypeOf(g)), g, { global: true }));
      }
      visit(sub);
    }
  };
  visit(program);
}

/** cobra's CommandPath(): the names from the root down to cmd ("minikctl config get-contexts"). */
function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/**
 * Rewrites commander's parse errors into the words cobra/pflag use. kubectl prints those with a
 * capital "Error: " (they come from cobra, not from cmdutil.CheckErr) followed by the usage hint
 * of the command being parsed.
 */
function kubectlStyle(message: string, cmd: Command, args: string[]): string {
  const hint = `See '${commandPath(cmd)} --help' for usage.\n`;
  const unknown = /^error: unknown option '([^']+)'/.exec(message);
  if (unknown) {
    const flag = unknown[1];
    // pflag names the shorthand letter it could not find, and the whole cluster it was in.
    if (!flag.startsWith('--')) return `Error: unknown shorthand flag: '${flag[1]}' in ${flag}\n${hint}`;
    return `Error: unknown flag: ${flag.replace(/=.*$/s, '')}\n${hint}`;
  }
  if (/^error: option '([^']+)' argument missing/.test(message)) {
    // The option is always the last word typed; pflag reports it as typed.
    const last = args[args.length - 1] ?? '';
    if (last.startsWith('--')) return `Error: flag needs an argument: ${last}\n${hint}`;
    const letter = last.slice(-1);
    return `Error: flag needs an argument: '${letter}' in -${letter}\n${hint}`;
  }
  const sub = /^error: unknown command '([^']+)'/.exec(message);
  if (sub) return `error: unknown command "${sub[1]}"\nSee '${commandPath(cmd)} -h' for help and examples\n`;
  if (/^error: too many arguments/.test(message)) {
    const extra = `[${cmd.args.join(' ')}]`;
    const path = commandPath(cmd);
    const style = EXCESS_ARGS[path.split(' ').slice(1).join(' ')];
    if (style === 'extra') return `error: extra arguments: ${extra}\n`;
    const head = style === 'Unexpected' ? 'Unexpected args' : 'unexpected arguments';
    return `error: ${head}: ${extra}\nSee '${path} -h' for help and examples\n`;
  }
  return message.endsWith('\n') ? message : `${message}\n`;
}

/** How each argument-less kubectl command words surplus arguments (each validates its own). */
const EXCESS_ARGS: Record<string, 'extra' | 'Unexpected' | 'unexpected'> = {
  version: 'extra',
  create: 'Unexpected',
};

/** Every command reports parse errors with its own path in the hint, as cobra does. */
function styleErrors(cmd: Command, args: string[]): void {
  cmd.configureOutput({ outputError: (s, write) => write(kubectlStyle(s, cmd, args)) });
  for (const sub of cmd.commands) styleErrors(sub, args);
}

function rootHelp(): string {
  const groups = new Map<string, [string, string][]>();
  for (const [name, v] of Object.entries(VERBS)) {
    if (!groups.has(v.group)) groups.set(v.group, []);
    groups.get(v.group)!.push([name, v.summary]);
  }
  let s = 'minikctl controls a simulated Kubernetes cluster, the way kubectl controls a real one.\n\n';
  for (const [g, verbs] of groups) {
    s += `${g}:\n`;
    const w = Math.max(...verbs.map(([n]) => n.length));
    for (const [n, d] of verbs) s += `  ${n.padEnd(w + 3)}${d}\n`;
    s += '\n';
  }
  s += 'Usage:\n  minikctl [flags] [options]\n\nUse "minikctl <command> --help" for more information about a given command.\n';
  return s;
}

/** kubectl's top-level commands in the order kubectl registers them: cobra suggests in that order. */
const KUBECTL_ORDER = ['create', 'expose', 'run', 'set', 'explain', 'get', 'edit', 'delete', 'rollout', 'scale', 'autoscale', 'certificate', 'cluster-info', 'top', 'cordon', 'uncordon', 'drain', 'taint', 'describe', 'logs', 'attach', 'exec', 'port-forward', 'proxy', 'cp', 'auth', 'debug', 'events', 'diff', 'apply', 'patch', 'replace', 'wait', 'kustomize', 'label', 'annotate', 'completion', 'api-resources', 'api-versions', 'config', 'plugin', 'version', 'options'];

/** Case-insensitive Levenshtein distance, as cobra's ld(). */
function distance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/**
 * cobra's "unknown command" text. Suggestions (distance <= 2 or a prefix match) are drawn only
 * from the verbs minikctl has, so it never proposes a command it would then reject.
 */
export function unknownCommandText(word: string): string {
  const names = [...KUBECTL_ORDER.filter((n) => n in VERBS), ...Object.keys(VERBS).filter((n) => !KUBECTL_ORDER.includes(n))];
  const hits = names.filter((n) => distance(word, n) <= 2 || n.toLowerCase().startsWith(word.toLowerCase()));
  const suggest = hits.length ? `\n\nDid you mean this?\n${hits.map((h) => `\t${h}\n`).join('')}` : '';
  return `Error: unknown command "${word}" for "minikctl"${suggest}\n`;
}

/** Root flags that are booleans in kubectl: cobra's stripFlags does not take the next word as their value. */
const ROOT_BOOL_FLAGS = new Set(['--help', '-h', '--insecure-skip-tls-verify', '--match-server-version', '--warnings-as-errors', '--disable-compression']);

/**
 * The words cobra's stripFlags keeps when it looks for the command: any flag without "=" that is
 * not a known boolean takes the next word as its value (even an unknown flag, even a verb).
 */
function strippedWords(args: string[]): string[] {
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') break;
    if (a.startsWith('-') && !a.includes('=') && (a.startsWith('--') || a.length === 2) && !ROOT_BOOL_FLAGS.has(a)) {
      if (args.length - i - 1 <= 1) break;
      i++;
      continue;
    }
    if (a !== '' && !a.startsWith('-')) words.push(a);
  }
  return words;
}

/** Go's strconv.ParseBool. */
function parseGoBool(v: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  return undefined;
}

/** kubectl flags that are Go integers, with their bit size (for pflag's range check). */
const INT_FLAGS: Record<string, number> = { 'chunk-size': 64, 'grace-period': 64, v: 32, 'create deployment replicas': 32, 'create deployment port': 32 };

/** Go's strconv.ParseInt(s, 0, bits): the value as a decimal string, or the error text. */
function parseGoInt(v: string, bits: number): { value: string } | { error: string } {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|0[0-7]*|[1-9][0-9]*)$/.exec(v);
  if (!m) return { error: `strconv.ParseInt: parsing "${v}": invalid syntax` };
  let digits = m[2];
  if (/^0[0-7]+$/.test(digits)) digits = `0o${digits.slice(1)}`;
  const n = BigInt(digits) * (m[1] === '-' ? -1n : 1n);
  const max = (1n << BigInt(bits - 1)) - 1n;
  if (n > max || n < -max - 1n) return { error: `strconv.ParseInt: parsing "${v}": value out of range` };
  return { value: n.toString() };
}

/** The command argv selects: subcommand names and aliases followed from the root. */
function resolveCommand(program: Command, args: string[]): Command {
  let cmd = program;
  for (const w of strippedWords(args)) {
    const sub = cmd.commands.find((c) => c.name() === w || c.aliases().includes(w));
    if (!sub) break;
    cmd = sub;
  }
  return cmd;
}

/**
 * pflag accepts `--flag=false` for booleans and checks integer flags as it parses; commander does
 * neither. Rewrites valid values for commander and returns pflag's error for the first bad one
 * (stopping at an unknown flag, which pflag would have reported first).
 */
function checkFlagValues(cmd: Command, args: string[]): { args: string[]; error?: string } {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      out.push(...args.slice(i));
      break;
    }
    const m = /^(--?)([^=]+)(?:=(.*))?$/s.exec(a);
    if (!m || (m[1] === '-' && m[2].length !== 1)) {
      out.push(a);
      continue;
    }
    const [, dash, name, value] = m;
    const opt = cmd.options.find((o) => (dash === '--' ? o.long === `--${name}` : o.short === `-${name}`));
    if (!opt) {
      out.push(...args.slice(i));
      break;
    }
    const shown = opt.short && opt.long ? `${opt.short}, ${opt.long}` : (opt.long ?? opt.short ?? a);
    const invalid = (v: string, why: string) => `Error: invalid argument "${v}" for "${shown}" flag: ${why}\nSee '${commandPath(cmd)} --help' for usage.\n`;
    if (opt.isBoolean() && value !== undefined) {
      const b = parseGoBool(value);
      if (b === undefined) return { args, error: invalid(value, `strconv.ParseBool: parsing "${value}": invalid syntax`) };
      if (b) out.push(opt.long ?? opt.short!);
      else if (cmd.options.some((o) => o.negate && o.long === `--no-${name}`)) out.push(`--no-${name}`);
      // --flag=false on a flag that defaults to false: leaving it out has the same effect.
      continue;
    }
    const long = (opt.long ?? '').replace(/^--/, '');
    const bits = INT_FLAGS[long] ?? INT_FLAGS[`${commandPath(cmd).split(' ').slice(1).join(' ')} ${long}`];
    if (bits && opt.required) {
      const v = value ?? args[i + 1];
      if (v === undefined) {
        out.push(a);
        continue;
      }
      const r = parseGoInt(v, bits);
      if ('error' in r) return { args, error: invalid(v, r.error) };
      // In the long form: commander would keep the "=" of `-r=5` as part of the value.
      out.push(`${opt.long}=${r.value}`);
      if (value === undefined) i++;
      continue;
    }
    out.push(a);
    if (opt.required && value === undefined) out.push(...(i + 1 < args.length ? [args[++i]] : []));
  }
  return { args: out };
}

/** boolean shorthands: `-A=true` is theirs to read, not a value to split off */
const BOOLEAN_SHORTHANDS = new Set(['A', 'w', 'R', 'i', 't', 'h', 'q']);

/**
 * pflag reads `-o=name` as `-o name` (and `-n=kube-system`, `-p='[...]'`); commander would keep
 * the `=`. Split such shorthands before anything else looks at the words, up to a `--`.
 */
function splitShorthandValues(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') return out.concat(args.slice(i));
    const m = /^-([A-Za-z])=([\s\S]*)$/.exec(a);
    if (m && !BOOLEAN_SHORTHANDS.has(m[1])) out.push(`-${m[1]}`, m[2]);
    else out.push(a);
  }
  return out;
}

async function main(argv: string[]): Promise<number> {
  argv = [...argv.slice(0, 2), ...splitShorthandValues(argv.slice(2))];
  const args = argv.slice(2);
  const verb = findVerb(args);
  if (!verb) {
    process.stdout.write(rootHelp());
    return 0;
  }
  const words = strippedWords(args);
  const entry = words[0] !== undefined && Object.prototype.hasOwnProperty.call(VERBS, words[0]) ? VERBS[words[0]] : undefined;
  if (!entry) {
    // kubectl first looks for a plugin, which refuses flags before its name; then cobra's error.
    if (args[0].startsWith('-')) process.stderr.write(`Error: flags cannot be placed before plugin name: ${args[0]}\n`);
    else process.stderr.write(unknownCommandText(words[0] ?? verb));
    return 1;
  }
  const program = buildProgram();
  const cli = makeCli(program);
  const mod = await entry.load();
  mod.register(cli);
  shareGlobalOptions(program);
  styleErrors(program, args);
  const checked = checkFlagValues(resolveCommand(program, args), args);
  if (checked.error) {
    process.stderr.write(checked.error);
    return 1;
  }
  try {
    await program.parseAsync([...argv.slice(0, 2), ...checked.args]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
      return 1;
    }
    return reportError(e);
  }
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.exitCode = reportError(e);
  },
);
