// Role, ClusterRole, RoleBinding, ClusterRoleBinding generators.
import { sortedRecord } from './sources.js';
import { GeneratorError, type GeneratorEnv, type GeneratorSpec, arrayFlag, meta, oneName, sliceFlag, stringFlag } from './types.js';

const RBAC = 'rbac.authorization.k8s.io';
const RESOURCE_VERBS = ['*', 'get', 'delete', 'list', 'create', 'update', 'patch', 'watch', 'proxy', 'deletecollection', 'use', 'bind', 'escalate', 'impersonate'];
const NON_RESOURCE_VERBS = ['*', 'get', 'post', 'put', 'delete', 'patch', 'head', 'options'];

// kubectl asks the API server's discovery to expand short names and find groups; minikctl has no
// server here, so a table of the built-in resources stands in for it.
const KNOWN: Record<string, [string, string]> = {};
for (const [group, list] of Object.entries({
  '': 'pods:po services:svc configmaps:cm secrets namespaces:ns nodes:no persistentvolumeclaims:pvc persistentvolumes:pv serviceaccounts:sa endpoints:ep events:ev resourcequotas:quota limitranges:limits replicationcontrollers:rc',
  apps: 'deployments:deploy replicasets:rs statefulsets:sts daemonsets:ds controllerrevisions',
  batch: 'jobs cronjobs:cj',
  'networking.k8s.io': 'ingresses:ing networkpolicies:netpol ingressclasses',
  'policy': 'poddisruptionbudgets:pdb',
  [RBAC]: 'roles rolebindings clusterroles clusterrolebindings',
  'autoscaling': 'horizontalpodautoscalers:hpa',
  'storage.k8s.io': 'storageclasses:sc',
  'scheduling.k8s.io': 'priorityclasses:pc',
  'coordination.k8s.io': 'leases',
  'apiextensions.k8s.io': 'customresourcedefinitions:crd,crds',
})) {
  for (const item of list.split(' ')) {
    const [plural, shorts] = item.split(':');
    KNOWN[plural] = [group, plural];
    KNOWN[plural.replace(/(s|es)$/, '')] ??= [group, plural];
    for (const s of shorts?.split(',') ?? []) KNOWN[s] = [group, plural];
  }
}

function resolveResource(spec: string): [string, string] {
  const [gr, sub] = spec.split('/', 2);
  const dot = gr.indexOf('.');
  const res = dot >= 0 ? gr.slice(0, dot) : gr;
  const group = dot >= 0 ? gr.slice(dot + 1) : undefined;
  let out: [string, string] = [group ?? '', res];
  const known = KNOWN[res];
  if (known && (group === undefined || group === known[0])) out = [known[0], known[1]];
  if (sub) out = [out[0], `${out[1]}/${sub}`];
  return out;
}

function resourceRules(verbs: string[], resources: string[], names: string[]): Record<string, unknown>[] {
  const byGroup = new Map<string, string[]>();
  for (const r of resources) {
    const [g, res] = resolveResource(r);
    const list = byGroup.get(g) ?? [];
    if (!list.includes(res)) list.push(res);
    byGroup.set(g, list);
  }
  return [...byGroup.keys()].sort().map((g) => {
    const rule: Record<string, unknown> = { verbs, apiGroups: [g], resources: byGroup.get(g) };
    if (names.length > 0) rule.resourceNames = names;
    return rule;
  });
}

function verbsOf(opts: Record<string, any>): string[] {
  const verbs = sliceFlag(opts.verb);
  return verbs.includes('*') ? ['*'] : verbs;
}

function roleLike(kind: 'Role' | 'ClusterRole', args: string[], opts: Record<string, any>, env: GeneratorEnv): unknown {
  const cmd = `create ${kind.toLowerCase()}`;
  const name = oneName(args, cmd);
  const verbs = verbsOf(opts);
  const resources = sliceFlag(opts.resource);
  const names = sliceFlag(opts.resourceName);
  const urls = kind === 'ClusterRole' ? sliceFlag(opts.nonResourceUrl) : [];
  const agg = kind === 'ClusterRole' ? stringFlag(opts.aggregationRule) : '';
  const envNs = kind === 'ClusterRole' ? { ...env, namespace: undefined } : env;
  if (agg !== '') {
    if (verbs.length > 0 || resources.length > 0 || names.length > 0 || urls.length > 0) {
      throw new GeneratorError('error: aggregation rule must be specified without nonResourceURLs, resources, verbs or resourceNames');
    }
    const labels: [string, string][] = agg.split(',').map((kv) => {
      const i = kv.indexOf('=');
      if (i < 0) throw new GeneratorError(`error: invalid argument "${agg}" for "--aggregation-rule" flag: ${kv} must be formatted as key=value`, undefined, true);
      return [kv.slice(0, i), kv.slice(i + 1)];
    });
    return {
      kind,
      apiVersion: `${RBAC}/v1`,
      metadata: meta(name, envNs),
      rules: null,
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: sortedRecord(labels) }] },
    };
  }
  if (verbs.length === 0) throw new GeneratorError('error: at least one verb must be specified');
  if (resources.length === 0 && urls.length === 0) {
    throw new GeneratorError(kind === 'Role' ? 'error: at least one resource must be specified' : 'error: one of resource or nonResourceURL must be specified');
  }
  for (const v of verbs) {
    const ok = resources.length > 0 ? RESOURCE_VERBS.includes(v) : NON_RESOURCE_VERBS.includes(v);
    if (!ok) throw new GeneratorError(`error: invalid verb: '${v}'${urls.length > 0 && resources.length === 0 ? ' for nonResourceURL' : ''}`);
  }
  for (const u of urls) {
    if (!u.startsWith('/')) throw new GeneratorError(`error: nonResourceURL should start with /`);
  }
  const rules = resources.length > 0 ? resourceRules(verbs, resources, names) : [];
  if (urls.length > 0) rules.push({ verbs, nonResourceURLs: urls });
  return { kind, apiVersion: `${RBAC}/v1`, metadata: meta(name, envNs), rules };
}

const ROLE_FLAGS = [
  { flags: '--verb <verb>', description: 'Verb that applies to the resources contained in the rule', repeatable: true },
  { flags: '--resource <resource>', description: 'Resource that the rule applies to', repeatable: true },
  { flags: '--resource-name <name>', description: 'Resource in the white list that the rule applies to, repeat this flag for multiple items', repeatable: true },
];

export const roleGenerator: GeneratorSpec = {
  name: 'role',
  aliases: [],
  usage: 'NAME --verb=verb --resource=resource.group/subresource [--resource-name=resourcename]',
  description: 'Create a role with single rule',
  flags: ROLE_FLAGS,
  generate: (args, opts, env) => roleLike('Role', args, opts, env),
};

export const clusterRoleGenerator: GeneratorSpec = {
  name: 'clusterrole',
  aliases: [],
  usage: 'NAME --verb=verb --resource=resource.group [--resource-name=resourcename]',
  description: 'Create a cluster role',
  flags: [
    ...ROLE_FLAGS,
    { flags: '--non-resource-url <url>', description: 'A partial url that user should have access to.', repeatable: true },
    { flags: '--aggregation-rule <key=value>', description: 'An aggregation label selector for combining ClusterRoles.' },
  ],
  generate: (args, opts, env) => roleLike('ClusterRole', args, opts, env),
};

function subjects(opts: Record<string, any>): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const u of arrayFlag(opts.user)) out.push({ kind: 'User', apiGroup: RBAC, name: u });
  for (const g of arrayFlag(opts.group)) out.push({ kind: 'Group', apiGroup: RBAC, name: g });
  for (const sa of arrayFlag(opts.serviceaccount)) {
    const parts = sa.split(':');
    if (parts.length !== 2 || parts[0] === '' || parts[1] === '') throw new GeneratorError(`error: serviceaccount must be <namespace>:<name>`);
    out.push({ kind: 'ServiceAccount', name: parts[1], namespace: parts[0] });
  }
  return out;
}

const SUBJECT_FLAGS = [
  { flags: '--user <user>', description: 'Usernames to bind to the clusterrole. The flag can be repeated to add multiple users.', repeatable: true },
  { flags: '--group <group>', description: 'Groups to bind to the clusterrole. The flag can be repeated to add multiple groups.', repeatable: true },
  { flags: '--serviceaccount <namespace:name>', description: 'Service accounts to bind to the clusterrole, in the format <namespace>:<name>. The flag can be repeated to add multiple service accounts.', repeatable: true },
];

export const roleBindingGenerator: GeneratorSpec = {
  name: 'rolebinding',
  aliases: [],
  usage: 'NAME --clusterrole=NAME|--role=NAME [--user=username] [--group=groupname] [--serviceaccount=namespace:serviceaccountname]',
  description: 'Create a role binding for a particular role or cluster role',
  flags: [
    { flags: '--clusterrole <name>', description: 'ClusterRole this RoleBinding should reference' },
    { flags: '--role <name>', description: 'Role this RoleBinding should reference' },
    ...SUBJECT_FLAGS,
  ],
  generate(args, opts, env) {
    const name = oneName(args, 'create rolebinding');
    const role = stringFlag(opts.role);
    const cr = stringFlag(opts.clusterrole);
    if ((role === '') === (cr === '')) throw new GeneratorError('error: exactly one of clusterrole or role must be specified');
    const subs = subjects(opts);
    const rb: Record<string, unknown> = { kind: 'RoleBinding', apiVersion: `${RBAC}/v1`, metadata: meta(name, env) };
    if (subs.length > 0) rb.subjects = subs;
    rb.roleRef = { apiGroup: RBAC, kind: role ? 'Role' : 'ClusterRole', name: role || cr };
    return rb;
  },
};

export const clusterRoleBindingGenerator: GeneratorSpec = {
  name: 'clusterrolebinding',
  aliases: [],
  usage: 'NAME --clusterrole=NAME [--user=username] [--group=groupname] [--serviceaccount=namespace:serviceaccountname]',
  description: 'Create a cluster role binding for a particular cluster role',
  flags: [{ flags: '--clusterrole <name>', description: 'ClusterRole this ClusterRoleBinding should reference', required: true }, ...SUBJECT_FLAGS],
  generate(args, opts, env) {
    if (!stringFlag(opts.clusterrole)) throw new GeneratorError('error: required flag(s) "clusterrole" not set');
    const name = oneName(args, 'create clusterrolebinding');
    const subs = subjects(opts);
    const b: Record<string, unknown> = { kind: 'ClusterRoleBinding', apiVersion: `${RBAC}/v1`, metadata: meta(name, { ...env, namespace: undefined }) };
    if (subs.length > 0) b.subjects = subs;
    b.roleRef = { apiGroup: RBAC, kind: 'ClusterRole', name: stringFlag(opts.clusterrole) };
    return b;
  },
};
