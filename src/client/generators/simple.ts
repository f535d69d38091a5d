// Small `create` generators: namespace, serviceaccount, quota, priorityclass, poddisruptionbudget.
import { sortedRecord } from './sources.js';
import { GeneratorError, type GeneratorSpec, boolFlag, intFlag, meta, oneName, stringFlag } from './types.js';

export const namespaceGenerator: GeneratorSpec = {
  name: 'namespace',
  aliases: ['ns'],
  usage: 'NAME',
  description: 'Create a namespace with the specified name',
  flags: [],
  generate(args, _opts, env) {
    const name = oneName(args, 'create namespace');
    // A Namespace is cluster-scoped: -n never lands in its metadata.
    return { kind: 'Namespace', apiVersion: 'v1', metadata: meta(name, { ...env, namespace: undefined }), spec: {}, status: {} };
  },
};

export const serviceAccountGenerator: GeneratorSpec = {
  name: 'serviceaccount',
  aliases: ['sa'],
  usage: 'NAME',
  description: 'Create a service account with the specified name',
  flags: [],
  generate(args, _opts, env) {
    const name = oneName(args, 'create serviceaccount');
    return { kind: 'ServiceAccount', apiVersion: 'v1', metadata: meta(name, env) };
  },
};

export const quotaGenerator: GeneratorSpec = {
  name: 'quota',
  aliases: ['resourcequota'],
  usage: 'NAME [--hard=key1=value1,key2=value2] [--scopes=Scope1,Scope2]',
  description: 'Create a quota with the specified name',
  flags: [
    { flags: '--hard <resources>', description: 'A comma-delimited set of resource=quantity pairs that define a hard limit.' },
    { flags: '--scopes <scopes>', description: 'A comma-delimited set of quota scopes that must all match each object tracked by the quota.' },
  ],
  generate(args, opts, env) {
    const name = oneName(args, 'create quota');
    const spec: Record<string, unknown> = {};
    const hard = stringFlag(opts.hard);
    if (hard !== '') {
      const pairs: [string, string][] = [];
      for (const item of hard.split(',')) {
        const eq = item.indexOf('=');
        if (eq < 0 || item.indexOf('=', eq + 1) >= 0) throw new GeneratorError(`error: Invalid argument syntax ${item}, expected <resource>=<value>`);
        // kubectl canonicalises quantities; values are kept as typed here.
        pairs.push([item.slice(0, eq), item.slice(eq + 1)]);
      }
      spec.hard = sortedRecord(pairs);
    }
    const scopes = stringFlag(opts.scopes);
    if (scopes !== '') spec.scopes = scopes.split(',');
    return { kind: 'ResourceQuota', apiVersion: 'v1', metadata: meta(name, env), spec, status: {} };
  },
};

export const priorityClassGenerator: GeneratorSpec = {
  name: 'priorityclass',
  aliases: ['pc'],
  usage: 'NAME --value=VALUE --global-default=BOOL',
  description: 'Create a priority class with the specified name',
  flags: [
    { flags: '--value <value>', description: 'the value of this priority class.', default: '0' },
    { flags: '--global-default [bool]', description: 'global-default specifies whether this PriorityClass should be considered as the default priority.', default: false },
    { flags: '--description <text>', description: 'description is an arbitrary string that usually provides guidelines on when this priority class should be used.' },
    { flags: '--preemption-policy <policy>', description: 'preemption-policy is the policy for preempting pods with lower priority.', default: 'PreemptLowerPriority' },
  ],
  generate(args, opts, env) {
    const cmd = 'create priorityclass';
    const name = oneName(args, cmd);
    const pc: Record<string, unknown> = {
      kind: 'PriorityClass',
      apiVersion: 'scheduling.k8s.io/v1',
      metadata: meta(name, { ...env, namespace: undefined }),
      value: intFlag(opts.value, 'value', 0),
    };
    if (boolFlag(opts.globalDefault, 'global-default', cmd)) pc.globalDefault = true;
    const description = stringFlag(opts.description);
    if (description) pc.description = description;
    pc.preemptionPolicy = stringFlag(opts.preemptionPolicy, 'PreemptLowerPriority');
    return pc;
  },
};

// intstr.Parse: digits become an int, anything else stays a string ("50%").
function intOrString(s: string): number | string {
  return /^-?\d+$/.test(s) ? Number(s) : s;
}

/** Equality-only label selector ("a=b,c==d") as metav1.LabelSelector; set-based to matchExpressions. */
export function parseLabelSelector(s: string): Record<string, unknown> {
  const matchLabels: Record<string, string> = {};
  const exprs: Record<string, unknown>[] = [];
  for (const raw of s.split(/,(?![^(]*\))/)) {
    const part = raw.trim();
    if (part === '') continue;
    let m: RegExpExecArray | null;
    if ((m = /^([^!=\s]+)\s*(==|=)\s*(\S*)$/.exec(part))) matchLabels[m[1]] = m[3];
    else if ((m = /^([^!=\s]+)\s*!=\s*(\S*)$/.exec(part))) exprs.push({ key: m[1], operator: 'NotIn', values: [m[2]] });
    else if ((m = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part))) {
      exprs.push({ key: m[1], operator: m[2] === 'in' ? 'In' : 'NotIn', values: m[3].split(',').map((v) => v.trim()) });
    } else if ((m = /^!(\S+)$/.exec(part))) exprs.push({ key: m[1], operator: 'DoesNotExist' });
    else if ((m = /^(\S+)$/.exec(part))) exprs.push({ key: m[1], operator: 'Exists' });
    else throw new GeneratorError(`error: unable to parse requirement: ${part}`);
  }
  const sel: Record<string, unknown> = {};
  if (Object.keys(matchLabels).length > 0) sel.matchLabels = sortedRecord(Object.entries(matchLabels));
  if (exprs.length > 0) sel.matchExpressions = exprs;
  return sel;
}

export const pdbGenerator: GeneratorSpec = {
  name: 'poddisruptionbudget',
  aliases: ['pdb'],
  usage: 'NAME --selector=SELECTOR --min-available=N',
  description: 'Create a pod disruption budget with the specified name',
  flags: [
    { flags: '--min-available <n>', description: 'The minimum number or percentage of available pods this budget requires.' },
    { flags: '--max-unavailable <n>', description: 'The maximum number or percentage of unavailable pods this budget requires.' },
    { flags: '--selector <selector>', description: 'A label selector to use for this budget. Only equality-based selector requirements are supported.' },
  ],
  generate(args, opts, env) {
    const name = oneName(args, 'create poddisruptionbudget');
    const min = stringFlag(opts.minAvailable);
    const max = stringFlag(opts.maxUnavailable);
    const selector = stringFlag(opts.selector);
    if (selector === '') throw new GeneratorError('error: a selector must be specified');
    if (min === '' && max === '') throw new GeneratorError('error: one of min-available or max-unavailable must be specified');
    if (min !== '' && max !== '') throw new GeneratorError('error: min-available and max-unavailable cannot be both specified');
    const spec: Record<string, unknown> = {};
    if (min !== '') spec.minAvailable = intOrString(min);
    spec.selector = parseLabelSelector(selector);
    if (max !== '') spec.maxUnavailable = intOrString(max);
    return {
      kind: 'PodDisruptionBudget',
      apiVersion: 'policy/v1',
      metadata: meta(name, env),
      spec,
      status: { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 },
    };
  },
};
