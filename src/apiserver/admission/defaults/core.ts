// core/v1 kinds other than pods and controllers: Service, Secret, Namespace, Endpoints, Node, LimitRange.

/**
 * SetDefaults_Service (pkg/apis/core/v1/defaults.go), and the registry's normalization of
 * clusterIP/clusterIPs and IP families that runs before validation.
 */
export function defaultService(svc: any): void {
  const spec = (svc.spec ??= {});
  if (!spec.sessionAffinity) spec.sessionAffinity = 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP' && spec.sessionAffinityConfig?.clientIP?.timeoutSeconds == null) {
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
  }
  if (!spec.type) spec.type = 'ClusterIP';
  for (const p of spec.ports ?? []) {
    if (!p) continue;
    if (!p.protocol) p.protocol = 'TCP';
    if (p.targetPort == null || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  const type = spec.type;
  const externallyAccessible = type === 'NodePort' || type === 'LoadBalancer' || (type === 'ClusterIP' && (spec.externalIPs ?? []).length > 0);
  if (externallyAccessible && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster';
  if (spec.internalTrafficPolicy == null && ['NodePort', 'LoadBalancer', 'ClusterIP'].includes(type)) spec.internalTrafficPolicy = 'Cluster';
  if (type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
  // In the apiserver the allocator's initIPFamilyFields fills these; on this single-stack IPv4
  // cluster a headful Service always gets the same, so they are set here and the allocator only
  // decides the headless case (selectorless headless Services are RequireDualStack).
  if (type !== 'ExternalName' && spec.clusterIP !== 'None' && !(spec.ipFamilies ?? []).some((f: string) => f === 'IPv6') && !(spec.clusterIPs ?? []).some((ip: string) => String(ip).includes(':'))) {
    spec.ipFamilyPolicy ??= 'SingleStack';
    if (!(spec.ipFamilies ?? []).length) spec.ipFamilies = ['IPv4'];
  }
  // A client that sets only clusterIP (kubectl's generators, old manifests) means clusterIPs too
  // (the registry's normalizeClusterIPs).
  if (spec.clusterIP && !(spec.clusterIPs ?? []).length) spec.clusterIPs = [spec.clusterIP];
  // An ingress IP without a mode is a VIP (LoadBalancerIPMode).
  if (type === 'LoadBalancer') for (const ing of svc.status?.loadBalancer?.ingress ?? []) if (ing?.ip && !ing.ipMode) ing.ipMode = 'VIP';
}

/** Secret type Opaque; stringData is merged into data (it is write-only), as the conversion does. */
export function defaultSecret(secret: any): void {
  secret.type ??= 'Opaque';
  if (secret.stringData && typeof secret.stringData === 'object') {
    secret.data ??= {};
    for (const [k, v] of Object.entries(secret.stringData)) secret.data[k] = Buffer.from(String(v), 'utf8').toString('base64');
    delete secret.stringData;
  }
}

export function defaultNamespace(ns: any): void {
  ns.metadata ??= {};
  // SetDefaults_Namespace: the immutable name label, usable by namespaceSelectors.
  if (ns.metadata.name) {
    ns.metadata.labels ??= {};
    ns.metadata.labels['kubernetes.io/metadata.name'] = ns.metadata.name;
  }
  // namespaceStrategy.PrepareForCreate
  ns.spec ??= {};
  const fin: string[] = (ns.spec.finalizers ??= []);
  if (!fin.includes('kubernetes')) fin.push('kubernetes');
  ns.status ??= {};
  ns.status.phase ??= 'Active';
}

export function defaultEndpoints(ep: any): void {
  for (const s of ep.subsets ?? []) for (const p of s?.ports ?? []) if (p) p.protocol ??= 'TCP';
}

export function defaultNode(node: any): void {
  node.spec ??= {};
  node.status ??= {};
}

/** SetDefaults_LimitRangeItem: for containers, default limits come from max, default requests from default limits. */
export function defaultLimitRange(lr: any): void {
  for (const item of lr.spec?.limits ?? []) {
    if (item?.type !== 'Container') continue;
    item.default ??= {};
    for (const [k, v] of Object.entries(item.max ?? {})) if (!(k in item.default)) item.default[k] = v;
    item.defaultRequest ??= {};
    for (const [k, v] of Object.entries(item.default)) if (!(k in item.defaultRequest)) item.defaultRequest[k] = v;
    for (const [k, v] of Object.entries(item.min ?? {})) if (!(k in item.defaultRequest)) item.defaultRequest[k] = v;
    if (!Object.keys(item.default).length) delete item.default;
    if (!Object.keys(item.defaultRequest).length) delete item.defaultRequest;
  }
}
