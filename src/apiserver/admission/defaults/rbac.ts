// rbac/v1 defaults: a User or Group subject without apiGroup belongs to rbac.authorization.k8s.io
// (ServiceAccount subjects keep the core group, which is omitted), as SetDefaults_Subject does.
export function defaultBinding(obj: any): void {
  for (const s of obj.subjects ?? []) {
    if (s && s.apiGroup === undefined && (s.kind === 'User' || s.kind === 'Group')) s.apiGroup = 'rbac.authorization.k8s.io';
  }
}
