// minikctl auth: can-i and whoami. kubectl asks the server with SelfSubjectAccessReview,
// SelfSubjectRulesReview and SelfSubjectReview; minikctl evaluates the same RBAC rules in
// process, for the identity the request would carry (impersonation included).
import type { Command } from 'commander';
import type { Cli } from '../cli.js';
import { CliError } from '../errors.js';
import { resolveResource } from '../../apiserver/resources.js';
import { authorize, rulesFor, type PolicyRule } from '../../apiserver/authz.js';
import type { UserInfo } from '../../apiserver/types.js';
import type { Session } from '../../cluster/session.js';
import { tabwrite } from '../../printers/table/tabwriter.js';

const RESOURCE_VERBS = new Set(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'use', 'bind', 'impersonate', '*', 'approve', 'sign', 'escalate', 'attest']);
const NON_RESOURCE_VERBS = new Set(['get', 'put', 'post', 'head', 'options', 'delete', 'patch', '*']);
/** Resources the server knows but discovery does not list (for the impersonate verb). */
const NON_STANDARD = new Set(['users', 'groups']);

/**
 * The user a request from this session is evaluated as. Impersonating requires the caller to be
 * allowed to impersonate, exactly as the apiserver checks before any other authorization.
 */
function effectiveUser(session: Session): UserInfo {
  const { user, impersonate } = session.identity;
  if (!impersonate) return user;
  const ok = authorize(session.api.store, { user, verb: 'impersonate', apiGroup: '', resource: 'users', name: impersonate.username });
  if (!ok) {
    throw new CliError(
      `Error from server (Forbidden): users "${impersonate.username}" is forbidden: User "${user.username}" cannot impersonate resource "users" in API group "" at the cluster scope`,
    );
  }
  return impersonate;
}

// WarningPrinter prints "Warning: <message>\n" and can-i's messages already end in "\n":
// the blank line after each warning is kubectl's.
const warn = (cli: Cli, message: string) => cli.err(`Warning: ${message}\n\n`);

interface CanIOpts {
  allNamespaces?: boolean;
  quiet?: boolean;
  subresource?: string;
  list?: boolean;
  headers?: boolean;
}

async function canI(cli: Cli, args: string[], opts: CanIOpts): Promise<void> {
  if (opts.list) {
    if (args.length !== 0) throw new CliError('error: list option must be specified with no arguments');
    if (opts.quiet || opts.allNamespaces || opts.subresource) {
      throw new CliError("error: list option can't be specified with neither quiet, all-namespaces nor subresource options");
    }
    await cli.withClient(false, async (client, session) => {
      const rules = rulesFor(session.api.store, effectiveUser(session), client.namespace);
      cli.out(formatRules(rules, opts.headers !== false));
    });
    return;
  }
  if (args.length !== 2) {
    throw new CliError("error: you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'minikctl auth can-i -h' for help and examples.");
  }
  const [verb, target] = args;
  let nonResourceURL: string | undefined;
  let group = '';
  let resource = '';
  let name: string | undefined;
  let namespaced = true;
  const warnings: string[] = [];
  if (target.startsWith('/')) {
    nonResourceURL = target;
  } else {
    const slash = target.indexOf('/');
    const word = slash < 0 ? target : target.slice(0, slash);
    if (slash >= 0) name = target.slice(slash + 1);
    if (word === '*') {
      resource = '*';
    } else {
      const ri = resolveResource(word);
      if (ri) {
        group = ri.group;
        resource = ri.name;
        namespaced = ri.namespaced;
      } else {
        const lower = word.toLowerCase();
        const dot = lower.indexOf('.');
        const res = dot < 0 ? lower : lower.slice(0, dot);
        const grp = dot < 0 ? '' : lower.slice(dot + 1);
        if (!NON_STANDARD.has(lower)) {
          warnings.push(grp ? `the server doesn't have a resource type '${res}' in group '${grp}'` : `the server doesn't have a resource type '${res}'`);
        }
        // kubectl then asks about the word exactly as typed.
        resource = word;
      }
    }
  }
  if (nonResourceURL !== undefined) {
    if (opts.subresource) throw new CliError('error: --subresource can not be used with NonResourceURL');
    if (!NON_RESOURCE_VERBS.has(verb)) warnings.push(`verb '${verb}' is not a known verb`);
  } else {
    if (!opts.allNamespaces && !namespaced) {
      warnings.push(group ? `resource '${resource}' is not namespace scoped in group '${group}'` : `resource '${resource}' is not namespace scoped`);
    }
    if (!RESOURCE_VERBS.has(verb)) warnings.push(`verb '${verb}' is not a known verb`);
  }
  if (opts.headers === false) throw new CliError('error: --no-headers cannot be set without --list specified');
  await cli.withClient(false, async (client, session) => {
    for (const w of warnings) warn(cli, w);
    const user = effectiveUser(session);
    const allowed =
      nonResourceURL !== undefined
        ? authorize(session.api.store, { user, verb, apiGroup: '', resource: '', path: nonResourceURL })
        : authorize(session.api.store, {
            user,
            verb,
            apiGroup: group,
            resource,
            subresource: opts.subresource || undefined,
            // kubectl sends the namespace even for cluster-scoped resources; "" means all of them.
            namespace: opts.allNamespaces ? undefined : client.namespace,
            name,
          });
    if (!opts.quiet) cli.out(allowed ? 'yes\n' : 'no\n');
    if (!allowed) process.exitCode = 1;
  });
}

// ------------------------------------------------------------------------------------------
// --list: the rules broken down to one group/resource/name each, merged again when only the
// verbs differ, and sorted by their Go String() form — which is what puts "[*]" rows first.

function breakdown(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const g of rule.apiGroups ?? []) {
    for (const r of rule.resources ?? []) {
      if (rule.resourceNames?.length) {
        for (const n of rule.resourceNames) out.push({ apiGroups: [g], resources: [r], resourceNames: [n], verbs: rule.verbs });
      } else {
        out.push({ apiGroups: [g], resources: [r], verbs: rule.verbs });
      }
    }
  }
  for (const u of rule.nonResourceURLs ?? []) out.push({ nonResourceURLs: [u], verbs: rule.verbs });
  return out;
}

function compact(rules: PolicyRule[]): PolicyRule[] {
  const other: PolicyRule[] = [];
  const simple = new Map<string, PolicyRule>();
  for (const r of rules) {
    const isSimple =
      (r.resourceNames?.length ?? 0) <= 1 && !r.nonResourceURLs?.length && r.apiGroups?.length === 1 && r.resources?.length === 1;
    if (!isSimple) {
      other.push(r);
      continue;
    }
    const key = JSON.stringify([r.apiGroups![0], r.resources![0], r.resourceNames?.[0] ?? null]);
    const existing = simple.get(key);
    if (existing) existing.verbs = [...existing.verbs, ...r.verbs];
    else simple.set(key, { ...r, verbs: [...r.verbs] });
  }
  return [...other, ...simple.values()];
}

const goList = (l: string[] | undefined) => `[${(l ?? []).join(' ')}]`;

function goString(r: PolicyRule): string {
  return `&PolicyRule{Verbs:${goList(r.verbs)},APIGroups:${goList(r.apiGroups)},Resources:${goList(r.resources)},ResourceNames:${goList(r.resourceNames)},NonResourceURLs:${goList(r.nonResourceURLs)},}`;
}

function combineResourceGroup(resources: string[] | undefined, groups: string[] | undefined): string {
  if (!resources?.length) return '';
  const [res, sub] = resources[0].split(/\/(.*)/s);
  let s = res;
  if (groups?.length && groups[0] !== '') s += `.${groups[0]}`;
  if (sub !== undefined) s += `/${sub}`;
  return s;
}

export function formatRules(rules: PolicyRule[], headers: boolean): string {
  const compacted = compact(rules.flatMap(breakdown));
  const keyed = compacted.map((r) => [goString(r), r] as const);
  keyed.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const rows: string[][] = headers ? [['Resources', 'Non-Resource URLs', 'Resource Names', 'Verbs']] : [];
  for (const [, r] of keyed) {
    rows.push([combineResourceGroup(r.resources, r.apiGroups), goList(r.nonResourceURLs), goList(r.resourceNames), goList(r.verbs)]);
  }
  return tabwrite(rows);
}

// ------------------------------------------------------------------------------------------

async function whoami(cli: Cli, opts: { output?: string }): Promise<void> {
  if (opts.output !== undefined && opts.output !== 'json' && opts.output !== 'yaml') {
    throw new CliError(`error: unable to match a printer suitable for the output format "${opts.output}", allowed formats are: json,yaml`);
  }
  await cli.withClient(false, async (_client, session) => {
    const user = effectiveUser(session);
    if (opts.output) {
      const review = {
        kind: 'SelfSubjectReview',
        apiVersion: 'authentication.k8s.io/v1',
        metadata: { creationTimestamp: null },
        status: { userInfo: { username: user.username, groups: user.groups } },
      };
      if (opts.output === 'json') cli.out((await import('../../printers/json.js')).toJson(review));
      else cli.out((await import('../../printers/yaml.js')).toYaml(review));
      return;
    }
    const rows = [['ATTRIBUTE', 'VALUE']];
    if (user.username) rows.push(['Username', user.username]);
    if (user.groups.length) rows.push(['Groups', goList(user.groups)]);
    cli.out(tabwrite(rows));
  });
}

export function register(cli: Cli): void {
  const auth = cli.program
    .command('auth')
    .description('Inspect authorization.')
    .usage('[flags] [options]')
    .argument('[subcommand]')
    .action((sub?: string) => {
      if (sub) throw new CliError(`error: unknown command "${sub}"\nSee 'minikctl auth -h' for help and examples`);
      cli.out(auth.helpInformation());
    });
  auth
    .command('can-i')
    .description('Check whether an action is allowed.')
    .usage('VERB [TYPE | TYPE/NAME | NONRESOURCEURL]')
    .argument('[args...]')
    .option('-A, --all-namespaces', 'If true, check the specified action in all namespaces.')
    .option('-q, --quiet', 'If true, suppress output and just return the exit code.')
    .option('--subresource <subresource>', 'SubResource such as pod/log or deployment/scale')
    .option('--list', 'If true, prints all allowed actions.')
    .option('--no-headers', 'If true, prints allowed actions without headers')
    .action((args: string[], opts: CanIOpts) => canI(cli, args, opts));
  auth
    .command('whoami')
    .description('Experimental: Check self subject attributes.')
    .option('-o, --output <format>', 'Output format. One of: (json, yaml).')
    .action((opts: { output?: string }, _cmd: Command) => whoami(cli, opts));
}
