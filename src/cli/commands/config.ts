// minikctl config: reads and edits minikctl's kubeconfig-shaped file ($MINIKCTL_HOME/config), or
// any kubeconfig named with --kubeconfig (written in kubectl's own layout, so real kubectl and
// minikctl can be compared on the same file). Messages are kubectl's, word for word.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { load } from 'js-yaml';
import type { Command } from 'commander';
import type { Cli } from '../cli.js';
import { CliError } from '../errors.js';
import { configPath, loadConfig, saveConfig, type KubeConfig } from '../../cluster/home.js';
import { tabwrite } from '../../printers/table/tabwriter.js';
import { toYaml } from '../../printers/yaml.js';
import { toJson } from '../../printers/json.js';
import { jsonpath } from '../../printers/jsonpath.js';

type Named = { name: string; [k: string]: any };
type Section = 'clusters' | 'contexts' | 'users';
const INNER: Record<Section, string> = { clusters: 'cluster', contexts: 'context', users: 'user' };

interface ConfigFile {
  path: string;
  cfg: KubeConfig;
  save(): void;
}

/** The command being run: --kubeconfig may sit on its copy of the global flags. */
let active: Command | undefined;

function kubeconfigFlag(cli: Cli): string | undefined {
  return (active ?? cli.program).optsWithGlobals().kubeconfig;
}

function openConfig(cli: Cli): ConfigFile {
  const explicit = kubeconfigFlag(cli);
  if (!explicit) {
    const cfg = loadConfig();
    return { path: configPath(), cfg, save: () => saveConfig(cfg) };
  }
  let raw: any = {};
  if (existsSync(explicit)) {
    try {
      raw = load(readFileSync(explicit, 'utf8')) ?? {};
    } catch (e: any) {
      throw new CliError(`error: error loading config file "${explicit}": ${String(e.message).split('\n')[0]}`);
    }
  }
  const cfg: KubeConfig = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: raw.clusters ?? [],
    contexts: raw.contexts ?? [],
    'current-context': raw['current-context'] ?? '',
    users: raw.users ?? [],
    preferences: raw.preferences ?? {},
  };
  return { path: explicit, cfg, save: () => writeFileSync(explicit, toYaml(fileShape(cfg))) };
}

/** kubectl writes empty lists as null. */
function fileShape(cfg: KubeConfig): Record<string, unknown> {
  const orNull = (l: unknown[]) => (l.length ? l : null);
  const entries = (s: Section) => (cfg[s] as Named[]).map((e) => ({ ...e, [INNER[s]]: ordered(INNER[s], e[INNER[s]] ?? {}) }));
  return {
    apiVersion: 'v1',
    clusters: orNull(entries('clusters')),
    contexts: orNull(entries('contexts')),
    'current-context': cfg['current-context'] ?? '',
    kind: 'Config',
    preferences: cfg.preferences ?? {},
    users: orNull(entries('users')),
  };
}

// Field order of client-go's clientcmd v1 structs, which is the order `config view -o json` prints.
const FIELD_ORDER: Record<string, string[]> = {
  cluster: ['server', 'tls-server-name', 'insecure-skip-tls-verify', 'certificate-authority', 'certificate-authority-data', 'proxy-url', 'disable-compression', 'extensions'],
  user: ['client-certificate', 'client-certificate-data', 'client-key', 'client-key-data', 'token', 'tokenFile', 'as', 'as-uid', 'as-groups', 'as-user-extra', 'username', 'password', 'auth-provider', 'exec', 'extensions'],
  context: ['cluster', 'user', 'namespace', 'extensions'],
};

// Fields client-go always writes (no omitempty), even when empty.
const ALWAYS: Record<string, string[]> = { cluster: ['server'], user: [], context: ['cluster', 'user'] };

function ordered(kind: string, o: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = {};
  o = { ...Object.fromEntries(ALWAYS[kind].map((k) => [k, ''])), ...o };
  for (const k of FIELD_ORDER[kind]) if (k in o) out[k] = o[k];
  for (const k of Object.keys(o)) if (!(k in out)) out[k] = o[k];
  return out;
}

function redact(user: Record<string, any>): Record<string, any> {
  const u = { ...user };
  for (const k of ['token', 'password', 'client-key-data']) if (u[k]) u[k] = 'REDACTED';
  if (u['client-certificate-data']) u['client-certificate-data'] = 'DATA+OMITTED';
  return u;
}

function viewObject(cfg: KubeConfig, raw: boolean): Record<string, any> {
  const entries = (s: Section) =>
    (cfg[s] as Named[]).map((e) => {
      let inner = e[INNER[s]] ?? {};
      if (s === 'users' && !raw) inner = redact(inner);
      if (s === 'clusters' && !raw && inner['certificate-authority-data']) inner = { ...inner, 'certificate-authority-data': 'DATA+OMITTED' };
      return { name: e.name, [INNER[s]]: ordered(INNER[s], inner) };
    });
  const orNull = (l: unknown[]) => (l.length ? l : null);
  return {
    kind: 'Config',
    apiVersion: 'v1',
    preferences: cfg.preferences ?? {},
    clusters: orNull(entries('clusters')),
    users: orNull(entries('users')),
    contexts: orNull(entries('contexts')),
    'current-context': cfg['current-context'] ?? '',
  };
}

function minify(cfg: KubeConfig, contextOverride?: string): KubeConfig {
  const name = contextOverride ?? cfg['current-context'];
  if (!name) throw new CliError('error: current-context must exist in order to minify');
  const ctx = cfg.contexts.find((c) => c.name === name);
  if (!ctx) throw new CliError(`error: cannot locate context ${name}`);
  if (!cfg.clusters.some((c) => c.name === ctx.context.cluster)) throw new CliError(`error: cannot locate cluster ${ctx.context.cluster}`);
  if (!cfg.users.some((u) => u.name === ctx.context.user)) throw new CliError(`error: cannot locate user ${ctx.context.user}`);
  return {
    ...cfg,
    'current-context': name,
    contexts: [ctx],
    clusters: cfg.clusters.filter((c) => c.name === ctx.context.cluster),
    users: cfg.users.filter((u) => u.name === ctx.context.user),
  };
}

const unexpected = (args: string[]) => new CliError(`error: Unexpected args: [${args.join(' ')}]`);

function findIndex(cfg: KubeConfig, s: Section, name: string): number {
  return (cfg[s] as Named[]).findIndex((e) => e.name === name);
}

function names(cfg: KubeConfig, s: Section): string[] {
  return (cfg[s] as Named[]).map((e) => e.name).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function register(cli: Cli): void {
  cli.program.hook('preAction', (_root, actionCommand) => {
    active = actionCommand;
  });
  const config = cli.program
    .command('config')
    .description('Modify kubeconfig files using subcommands like "minikctl config set current-context my-context".')
    .usage('SUBCOMMAND [options]')
    .argument('[subcommand]')
    .action((sub?: string) => {
      if (sub) throw new CliError(`error: unknown command "${sub}"\nSee 'minikctl config -h' for help and examples`);
      cli.out(config.helpInformation());
    });
  const sub = (name: string, description: string): Command => config.command(name).description(description);

  sub('view', 'Display merged kubeconfig settings or a specified kubeconfig file.')
    .option('--minify', 'Remove all information not used by current-context from the output')
    .option('--raw', 'Display raw byte data and sensitive data')
    .option('--flatten', 'Flatten the resulting kubeconfig file into self-contained output')
    .option('--merge', 'Merge the full hierarchy of kubeconfig files')
    .option('-o, --output <format>', 'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).', 'yaml')
    .action((opts: { minify?: boolean; raw?: boolean; output: string }) => {
      const { cfg } = openConfig(cli);
      const shown = viewObject(opts.minify ? minify(cfg, cli.globals().context) : cfg, !!opts.raw);
      const eq = opts.output.indexOf('=');
      const fmt = eq < 0 ? opts.output : opts.output.slice(0, eq);
      if (fmt === 'yaml') cli.out(toYaml(shown));
      else if (fmt === 'json') cli.out(toJson(shown));
      // kubectl's name printer finds no name on a Config; this is what it prints.
      else if (fmt === 'name') cli.out('config/<unknown>\n');
      else if (fmt === 'jsonpath') cli.out(jsonpath(opts.output.slice(eq + 1), shown, { allowMissingKeys: true }));
      else
        throw new CliError(
          `error: unable to match a printer suitable for the output format "${opts.output}", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml`,
        );
    });

  sub('current-context', 'Display the current-context.').action(() => {
    const { cfg } = openConfig(cli);
    if (!cfg['current-context']) throw new CliError('error: current-context is not set');
    cli.out(`${cfg['current-context']}\n`);
  });

  sub('get-contexts', 'Describe one or many contexts.')
    .argument('[names...]')
    .option('-o, --output <format>', 'Output format. One of: (name).')
    .option('--no-headers', "When using the default or custom-column output format, don't print headers (default print headers).")
    .action((wanted: string[], opts: { output?: string; headers?: boolean }) => {
      const { cfg } = openConfig(cli);
      if (opts.output !== undefined && opts.output !== 'name') {
        throw new CliError(`error: --output ${opts.output} is not available in minikctl config get-contexts; resetting to default output format`);
      }
      const all = names(cfg, 'contexts');
      const shown = wanted.length ? all.filter((n) => wanted.includes(n)) : all;
      const missing = wanted.filter((n) => !all.includes(n));
      if (opts.output === 'name') {
        cli.out(shown.map((n) => `${n}\n`).join(''));
      } else {
        const rows: string[][] = opts.headers === false ? [] : [['CURRENT', 'NAME', 'CLUSTER', 'AUTHINFO', 'NAMESPACE']];
        for (const n of shown) {
          const c = cfg.contexts.find((x) => x.name === n)!.context ?? ({} as any);
          rows.push([n === cfg['current-context'] ? '*' : '', n, c.cluster ?? '', c.user ?? '', c.namespace ?? '']);
        }
        cli.out(tabwrite(rows));
      }
      if (missing.length) throw new CliError(missing.map((n) => `error: context ${n} not found`).join('\n'));
    });

  for (const [verb, section] of [['get-clusters', 'clusters'], ['get-users', 'users']] as const) {
    sub(verb, `Display ${section} defined in the kubeconfig.`).action(() => {
      const { cfg } = openConfig(cli);
      cli.out(['NAME', ...names(cfg, section)].map((n) => `${n}\n`).join(''));
    });
  }

  sub('use-context', 'Set the current-context in a kubeconfig file.')
    .alias('use')
    .argument('[name]')
    .action((name?: string) => {
      if (!name) throw unexpected([]);
      const f = openConfig(cli);
      if (findIndex(f.cfg, 'contexts', name) < 0) throw new CliError(`error: no context exists with the name: "${name}"`);
      f.cfg['current-context'] = name;
      f.save();
      cli.out(`Switched to context "${name}".\n`);
    });

  sub('set-context', 'Set a context entry in kubeconfig.')
    .argument('[name]')
    .argument('[extra...]')
    .option('--current', 'Modify the current context')
    .action((name: string | undefined, extra: string[], opts: { current?: boolean }) => {
      if (extra.length) throw unexpected([name!, ...extra]);
      if (name && opts.current) throw new CliError('error: you cannot specify both a context name and --current');
      const f = openConfig(cli);
      if (opts.current) {
        name = f.cfg['current-context'];
        if (!name) throw new CliError('error: no current context is set');
      }
      if (!name) throw new CliError('error: you must specify a non-empty context name or --current');
      // --cluster, --user and --namespace are the global flags, which set-context reads as its own.
      const g = cli.globals();
      let entry = f.cfg.contexts.find((c) => c.name === name);
      const created = !entry;
      if (!entry) {
        entry = { name, context: { cluster: '', user: '' } };
        f.cfg.contexts.push(entry);
      }
      entry.context ??= { cluster: '', user: '' };
      if (g.cluster !== undefined) entry.context.cluster = g.cluster;
      if (g.user !== undefined) entry.context.user = g.user;
      if (g.namespace !== undefined) {
        if (g.namespace) entry.context.namespace = g.namespace;
        else delete entry.context.namespace;
      }
      entry.context = ordered('context', entry.context) as any;
      f.save();
      cli.out(`Context "${name}" ${created ? 'created' : 'modified'}.\n`);
    });

  sub('set-credentials', 'Set a user entry in kubeconfig.')
    .argument('[name]')
    .option('--username <name>', 'username for the user entry in kubeconfig')
    .option('--password <password>', 'password for the user entry in kubeconfig')
    .option('--token <token>', 'token for the user entry in kubeconfig')
    .option('--client-certificate <path>', 'Path to client-certificate file for the user entry in kubeconfig')
    .option('--client-key <path>', 'Path to client-key file for the user entry in kubeconfig')
    .action((name: string | undefined, opts: Record<string, string | undefined>) => {
      if (!name) throw new CliError('error: unexpected args: []');
      if (opts.token && (opts.username || opts.password)) {
        throw new CliError('error: you cannot specify more than one authentication method at the same time: --token, --username/--password');
      }
      const f = openConfig(cli);
      let entry = f.cfg.users.find((u) => u.name === name);
      if (!entry) {
        entry = { name, user: {} };
        f.cfg.users.push(entry);
      }
      entry.user ??= {};
      const fields: [string, string | undefined][] = [
        ['client-certificate', opts.clientCertificate],
        ['client-key', opts.clientKey],
        ['token', opts.token],
        ['username', opts.username],
        ['password', opts.password],
      ];
      for (const [k, v] of fields) if (v !== undefined) entry.user[k] = v;
      entry.user = ordered('user', entry.user);
      f.save();
      cli.out(`User "${name}" set.\n`);
    });

  sub('set-cluster', 'Set a cluster entry in kubeconfig.')
    .argument('[name]')
    .option('--server <url>', 'server for the cluster entry in kubeconfig')
    .option('--insecure-skip-tls-verify', 'insecure-skip-tls-verify for the cluster entry in kubeconfig')
    .option('--certificate-authority <path>', 'Path to certificate-authority file for the cluster entry in kubeconfig')
    .option('--tls-server-name <name>', 'tls-server-name for the cluster entry in kubeconfig')
    .action((name: string | undefined, opts: Record<string, any>) => {
      if (!name) throw new CliError('error: Unexpected args: []');
      const f = openConfig(cli);
      let entry = f.cfg.clusters.find((c) => c.name === name);
      if (!entry) {
        // In minikctl's own config a new cluster is a new simulated cluster of that name.
        entry = { name, cluster: { server: kubeconfigFlag(cli) ? '' : `minikctl://${name}` } };
        f.cfg.clusters.push(entry);
      }
      if (opts.server !== undefined) entry.cluster.server = opts.server;
      if (opts.tlsServerName !== undefined) (entry.cluster as any)['tls-server-name'] = opts.tlsServerName;
      if (opts.insecureSkipTlsVerify) (entry.cluster as any)['insecure-skip-tls-verify'] = true;
      if (opts.certificateAuthority !== undefined) (entry.cluster as any)['certificate-authority'] = opts.certificateAuthority;
      entry.cluster = ordered('cluster', entry.cluster) as any;
      f.save();
      cli.out(`Cluster "${name}" set.\n`);
    });

  for (const [verb, section, word] of [
    ['delete-context', 'contexts', 'context'],
    ['delete-cluster', 'clusters', 'cluster'],
    ['delete-user', 'users', 'user'],
  ] as const) {
    sub(verb, `Delete the specified ${word} from the kubeconfig.`)
      .argument('[name]')
      .action((name?: string) => {
        if (!name) throw unexpected([]);
        const f = openConfig(cli);
        const i = findIndex(f.cfg, section, name);
        if (i < 0) throw new CliError(`error: cannot delete ${word} ${name}, not in ${f.path}`);
        if (section === 'contexts' && f.cfg['current-context'] === name) {
          cli.err('warning: this removed your active context, use "minikctl config use-context" to select a different one\n');
        }
        (f.cfg[section] as Named[]).splice(i, 1);
        f.save();
        cli.out(`deleted ${word} ${name} from ${f.path}\n`);
      });
  }

  sub('rename-context', 'Rename a context from the kubeconfig file.')
    .argument('[old]')
    .argument('[new]')
    .action((from?: string, to?: string) => {
      if (!from || !to) throw unexpected([from, to].filter((x): x is string => !!x));
      const f = openConfig(cli);
      const i = findIndex(f.cfg, 'contexts', from);
      if (i < 0) throw new CliError(`error: cannot rename the context "${from}", it's not in ${f.path}`);
      if (findIndex(f.cfg, 'contexts', to) >= 0) {
        throw new CliError(`error: cannot rename the context "${from}", the context "${to}" already exists in ${f.path}`);
      }
      f.cfg.contexts[i].name = to;
      if (f.cfg['current-context'] === from) f.cfg['current-context'] = to;
      f.save();
      cli.out(`Context "${from}" renamed to "${to}".\n`);
    });

  sub('set', 'Set an individual value in a kubeconfig file.')
    .argument('[property]')
    .argument('[value]')
    .action((property?: string, value?: string) => {
      if (!property || value === undefined) throw unexpected([property, value].filter((x): x is string => x !== undefined));
      const f = openConfig(cli);
      setProperty(f.cfg, property, value);
      f.save();
      cli.out(`Property "${property}" set.\n`);
    });

  sub('unset', 'Unset an individual value in a kubeconfig file.')
    .argument('[property]')
    .action((property?: string) => {
      if (!property) throw unexpected([]);
      const f = openConfig(cli);
      unsetProperty(f.cfg, property);
      f.save();
      cli.out(`Property "${property}" unset.\n`);
    });
}

/** Splits "contexts.dev.namespace" into the section, the entry name and the field path. */
function parseProperty(property: string): { top: string; name?: string; rest: string[] } {
  const parts = property.split('.');
  return { top: parts[0], name: parts[1], rest: parts.slice(2) };
}

function badPath(property: string): CliError {
  return new CliError(`error: unable to parse ${property} after [] at api.Config`);
}

function coerce(field: string, value: string): unknown {
  if (field === 'insecure-skip-tls-verify' || field === 'disable-compression') return value === 'true';
  return value;
}

export function setProperty(cfg: KubeConfig, property: string, value: string): void {
  const { top, name, rest } = parseProperty(property);
  if (top === 'current-context' && name === undefined) {
    cfg['current-context'] = value;
    return;
  }
  if ((top !== 'clusters' && top !== 'contexts' && top !== 'users') || !name) throw badPath(property);
  const list = cfg[top] as Named[];
  let entry = list.find((e) => e.name === name);
  if (!entry) {
    entry = { name, [INNER[top]]: {} };
    list.push(entry);
  }
  if (rest.length === 0) throw badPath(property);
  let target = (entry[INNER[top]] ??= {});
  for (const k of rest.slice(0, -1)) target = target[k] ??= {};
  const field = rest[rest.length - 1];
  target[field] = coerce(field, value);
  entry[INNER[top]] = ordered(INNER[top], entry[INNER[top]]);
}

export function unsetProperty(cfg: KubeConfig, property: string): void {
  const { top, name, rest } = parseProperty(property);
  if (top === 'current-context' && name === undefined) {
    cfg['current-context'] = '';
    return;
  }
  if (top !== 'clusters' && top !== 'contexts' && top !== 'users') throw badPath(property);
  if (!name) {
    (cfg as any)[top] = [];
    return;
  }
  const list = cfg[top] as Named[];
  const i = list.findIndex((e) => e.name === name);
  if (i < 0) throw new CliError(`error: current map key \`${name}\` is invalid`);
  if (rest.length === 0) {
    list.splice(i, 1);
    return;
  }
  let target = list[i][INNER[top]] ?? {};
  for (const k of rest.slice(0, -1)) {
    if (!target[k] || typeof target[k] !== 'object') throw new CliError(`error: current map key \`${k}\` is invalid`);
    target = target[k];
  }
  delete target[rest[rest.length - 1]];
}
