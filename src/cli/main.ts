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
  explain: { group: 'Basic Commands (Intermediate)', summary: 'Get documentation for a resource', load: () => import('./commands/explain.js') },
  get: { group: 'Basic Commands (Intermediate)', summary: 'Display one or many resources', load: () => import('./commands/get.js') },
  edit: { group: 'Basic Commands (Intermediate)', summary: 'Edit a resource on the server', load: () => import('./commands/edit.js') },
  delete: { group: 'Basic Commands (Intermediate)', summary: 'Delete resources by file names, stdin, resources and names, or by resources and label selector', load: () => import('./commands/delete.js') },
  'cluster-info': { group: 'Cluster Management Commands', summary: 'Display cluster information', load: () => import('./commands/cluster-info.js') },
  describe: { group: 'Troubleshooting and Debugging Commands', summary: 'Show details of a specific resource or group of resources', load: () => import('./commands/describe.js') },
  diff: { group: 'Advanced Commands', summary: 'Diff the live version against a would-be applied version', load: () => import('./commands/diff.js') },
  apply: { group: 'Advanced Commands', summary: 'Apply a configuration to a resource by file name or stdin', load: () => import('./commands/apply.js') },
  patch: { group: 'Advanced Commands', summary: 'Update fields of a resource', load: () => import('./commands/patch.js') },
  replace: { group: 'Advanced Commands', summary: 'Replace a resource by file name or stdin', load: () => import('./commands/replace.js') },
  label: { group: 'Settings Commands', summary: 'Update the labels on a resource', load: () => import('./commands/label.js') },
  annotate: { group: 'Settings Commands', summary: 'Update the annotations on a resource', load: () => import('./commands/annotate.js') },
  completion: { group: 'Settings Commands', summary: 'Output shell completion code for the specified shell (bash, zsh, fish, or powershell)', load: () => import('./commands/completion.js') },
  'api-resources': { group: 'Other Commands', summary: 'Print the supported API resources on the server', load: () => import('./commands/api-resources.js') },
  'api-versions': { group: 'Other Commands', summary: 'Print the supported API versions on the server, in the form of "group/version"', load: () => import('./commands/api-versions.js') },
  auth: { group: 'Other Commands', summary: 'Inspect authorization', load: () => import('./commands/auth.js') },
  config: { group: 'Other Commands', summary: 'Modify kubeconfig files', load: () => import('./commands/config.js') },
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
    .helpOption('-h, --help', 'help for minikctl')
    .showSuggestionAfterError(false)
    .exitOverride()
    .configureOutput({
      writeErr: (s) => process.stderr.write(s),
      outputError: (s, write) => write(kubectlStyle(s)),
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

function kubectlStyle(message: string): string {
  // commander: "error: unknown option '--foo'" → kubectl: "error: unknown flag: --foo"
  const m = /^error: unknown option '([^']+)'/.exec(message);
  const verb = findVerb(process.argv.slice(2));
  const hint = `See 'minikctl ${verb ? `${verb} ` : ''}--help' for usage.\n`;
  if (m) return `error: unknown flag: ${m[1]}\n${hint}`;
  const shorthand = /^error: unknown option '-(\w)/.exec(message);
  if (shorthand) return `error: unknown shorthand flag: '${shorthand[1]}' in -${shorthand[1]}\n${hint}`;
  return message.endsWith('\n') ? message : `${message}\n`;
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

async function main(argv: string[]): Promise<number> {
  const args = argv.slice(2);
  const verb = findVerb(args);
  if (!verb) {
    process.stdout.write(rootHelp());
    return 0;
  }
  const entry = Object.prototype.hasOwnProperty.call(VERBS, verb) ? VERBS[verb] : undefined;
  if (!entry) {
    process.stderr.write(`error: unknown command "${verb}" for "minikctl"\nRun 'minikctl --help' for usage.\n`);
    return 1;
  }
  const program = buildProgram();
  const cli = makeCli(program);
  const mod = await entry.load();
  mod.register(cli);
  shareGlobalOptions(program);
  try {
    await program.parseAsync(argv);
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
