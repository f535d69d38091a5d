// rbac.authorization.k8s.io/v1 Role, ClusterRole, RoleBinding, ClusterRoleBinding.
import { FieldError, invalid, notSupported, required } from './errors.js';
import { deepEqual, validateLabelSelector, validateObjectMeta, validateObjectMetaUpdate } from './meta.js';
import { isPathSegmentName, nameIsPathSegment } from './names.js';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

function validateRule(rule: any, path: string, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (!rule?.verbs?.length) errs.push(required(`${path}.verbs`, 'verbs must contain at least one value'));
  const urls = rule?.nonResourceURLs ?? [];
  if (urls.length) {
    if (namespaced) errs.push(invalid(`${path}.nonResourceURLs`, urls, 'namespaced rules cannot apply to non-resource URLs', '[]string'));
    if (rule.apiGroups?.length || rule.resources?.length || rule.resourceNames?.length) {
      errs.push(invalid(`${path}.nonResourceURLs`, urls, 'rules cannot apply to both regular resources and non-resource URLs', '[]string'));
    }
    return errs;
  }
  if (!rule?.apiGroups?.length) errs.push(required(`${path}.apiGroups`, 'resource rules must supply at least one api group'));
  if (!rule?.resources?.length) errs.push(required(`${path}.resources`, 'resource rules must supply at least one resource'));
  return errs;
}

export function validateRole(obj: any, namespaced: boolean): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, namespaced, nameIsPathSegment);
  (obj.rules ?? []).forEach((r: any, i: number) => errs.push(...validateRule(r, `rules[${i}]`, namespaced)));
  if (!namespaced && obj.aggregationRule) {
    if (!obj.aggregationRule.clusterRoleSelectors?.length) errs.push(required('aggregationRule.clusterRoleSelectors', 'at least one clusterRoleSelector required if aggregationRule is non-nil'));
    (obj.aggregationRule.clusterRoleSelectors ?? []).forEach((s: any, i: number) =>
      errs.push(...validateLabelSelector(s, `aggregationRule.clusterRoleSelectors[${i}]`)));
  }
  return errs;
}

export function validateBinding(obj: any, namespaced: boolean): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, namespaced, nameIsPathSegment);
  const ref = obj.roleRef ?? {};
  if (ref.apiGroup !== RBAC_GROUP) errs.push(notSupported('roleRef.apiGroup', ref.apiGroup ?? '', [RBAC_GROUP]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(ref.kind)) errs.push(notSupported('roleRef.kind', ref.kind ?? '', kinds));
  if (!ref.name) errs.push(required('roleRef.name'));
  else for (const m of isPathSegmentName(ref.name)) errs.push(invalid('roleRef.name', ref.name, m));
  (obj.subjects ?? []).forEach((s: any, i: number) => {
    const p = `subjects[${i}]`;
    if (!s?.name) errs.push(required(`${p}.name`));
    switch (s?.kind) {
      case 'ServiceAccount':
        if (s.apiGroup) errs.push(notSupported(`${p}.apiGroup`, s.apiGroup, ['']));
        if (!namespaced && !s.namespace) errs.push(required(`${p}.namespace`));
        break;
      case 'User':
      case 'Group':
        if (s.apiGroup !== RBAC_GROUP) errs.push(notSupported(`${p}.apiGroup`, s.apiGroup ?? '', [RBAC_GROUP]));
        break;
      default:
        errs.push(notSupported(`${p}.kind`, s?.kind ?? '', ['ServiceAccount', 'User', 'Group']));
    }
  });
  return errs;
}

export function validateBindingUpdate(obj: any, old: any, namespaced: boolean): FieldError[] {
  const errs = validateObjectMetaUpdate(obj.metadata, old.metadata);
  if (!deepEqual(obj.roleRef, old.roleRef)) {
    const r = obj.roleRef ?? {};
    const shown = `rbac.RoleRef{APIGroup:"${r.apiGroup ?? ''}", Kind:"${r.kind ?? ''}", Name:"${r.name ?? ''}"}`;
    errs.push({ type: 'Invalid', field: 'roleRef', value: { toString: () => shown }, detail: 'cannot change roleRef' });
  }
  return [...errs, ...validateBinding(obj, namespaced)];
}
