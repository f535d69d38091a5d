// RBAC authorization from the stored Roles, ClusterRoles and their bindings, evaluated the way
// the apiserver's RBAC authorizer does: any rule of any role bound to the user (or a group of
// theirs) that covers the verb, group, resource[/subresource] and name allows the request.
import type { Store } from '../storage/store.js';
import type { KObject, UserInfo } from './types.js';

export interface Attributes {
  user: UserInfo;
  verb: string;
  apiGroup: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** for non-resource requests like /healthz */
  path?: string;
}

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

const RB = 'rbac.authorization.k8s.io/rolebindings';
const CRB = 'rbac.authorization.k8s.io/clusterrolebindings';
const ROLES = 'rbac.authorization.k8s.io/roles';
const CROLES = 'rbac.authorization.k8s.io/clusterroles';

function subjectMatches(subject: any, user: UserInfo, bindingNamespace?: string): boolean {
  switch (subject?.kind) {
    case 'User':
      return subject.name === user.username;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const ns = subject.namespace || bindingNamespace;
      return user.username === `system:serviceaccount:${ns}:${subject.name}`;
    }
    default:
      return false;
  }
}

function has(list: string[] | undefined, value: string): boolean {
  return !!list && (list.includes('*') || list.includes(value));
}

export function ruleAllows(rule: PolicyRule, a: Attributes): boolean {
  if (!has(rule.verbs, a.verb)) return false;
  if (a.path !== undefined) {
    return !!rule.nonResourceURLs?.some((u) => u === a.path || u === '*' || (u.endsWith('*') && a.path!.startsWith(u.slice(0, -1))));
  }
  if (!has(rule.apiGroups, a.apiGroup)) return false;
  const full = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const resources = rule.resources ?? [];
  const resourceOk =
    resources.includes('*') ||
    resources.includes(full) ||
    (a.subresource ? resources.includes(`*/${a.subresource}`) : false) ||
    (!a.subresource && resources.includes(a.resource));
  if (!resourceOk) return false;
  if (rule.resourceNames && rule.resourceNames.length > 0) return !!a.name && rule.resourceNames.includes(a.name);
  return true;
}

function roleRules(store: Store, ref: any, namespace?: string): PolicyRule[] {
  if (!ref) return [];
  if (ref.kind === 'ClusterRole') return (store.get(CROLES, undefined, ref.name)?.rules as PolicyRule[]) ?? [];
  if (ref.kind === 'Role' && namespace) return (store.get(ROLES, namespace, ref.name)?.rules as PolicyRule[]) ?? [];
  return [];
}

/** Every rule that applies to the user in the namespace (cluster-wide rules included). */
export function rulesFor(store: Store, user: UserInfo, namespace?: string): PolicyRule[] {
  const rules: PolicyRule[] = [];
  for (const b of store.list(CRB)) {
    if ((b.subjects ?? []).some((s: any) => subjectMatches(s, user))) rules.push(...roleRules(store, b.roleRef));
  }
  if (namespace) {
    for (const b of store.list(RB, namespace)) {
      if ((b.subjects ?? []).some((s: any) => subjectMatches(s, user, namespace))) rules.push(...roleRules(store, b.roleRef, namespace));
    }
  }
  return rules;
}

export function authorize(store: Store, a: Attributes): boolean {
  // system:masters is allowed everything before RBAC is consulted, as in the real apiserver.
  if (a.user.groups.includes('system:masters')) return true;
  return rulesFor(store, a.user, a.namespace).some((r) => ruleAllows(r, a));
}

/** How the RBAC authorizer names the subject that matched (describeSubject). */
function describeSubject(s: any, bindingNamespace?: string): string {
  if (s.kind === 'ServiceAccount') return `ServiceAccount "${s.name}/${s.namespace || bindingNamespace || ''}"`;
  return `${s.kind} "${s.name}"`;
}

/**
 * authorize(), with the reason the decision was made, for --trace: the authorizer's own words
 * ("RBAC: allowed by ClusterRoleBinding "x" of ClusterRole "y" to Group "z"").
 */
export function authorizeWithReason(store: Store, a: Attributes): { allowed: boolean; reason: string } {
  if (a.user.groups.includes('system:masters')) return { allowed: true, reason: 'allowed: member of the privileged group "system:masters" (RBAC not consulted)' };
  for (const b of store.list(CRB)) {
    const subject = (b.subjects ?? []).find((s: any) => subjectMatches(s, a.user));
    if (!subject) continue;
    if (roleRules(store, b.roleRef).some((r) => ruleAllows(r, a))) {
      return { allowed: true, reason: `RBAC: allowed by ClusterRoleBinding "${b.metadata?.name}" of ${b.roleRef.kind} "${b.roleRef.name}" to ${describeSubject(subject)}` };
    }
  }
  if (a.namespace) {
    for (const b of store.list(RB, a.namespace)) {
      const subject = (b.subjects ?? []).find((s: any) => subjectMatches(s, a.user, a.namespace));
      if (!subject) continue;
      if (roleRules(store, b.roleRef, a.namespace).some((r) => ruleAllows(r, a))) {
        return { allowed: true, reason: `RBAC: allowed by RoleBinding "${b.metadata?.name}/${a.namespace}" of ${b.roleRef.kind} "${b.roleRef.name}" to ${describeSubject(subject, a.namespace)}` };
      }
    }
  }
  return { allowed: false, reason: `RBAC: denied: no role bound to User "${a.user.username}" or its groups allows it` };
}

/** The apiserver's Forbidden message for a resource request. */
export function forbiddenMessage(a: Attributes, qualifiedResource: string): string {
  const what = a.name ? `${qualifiedResource} "${a.name}"` : qualifiedResource;
  const res = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const scope = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  return `${what} is forbidden: User "${a.user.username}" cannot ${a.verb} resource "${res}" in API group "${a.apiGroup}" ${scope}`;
}

export type { KObject };
