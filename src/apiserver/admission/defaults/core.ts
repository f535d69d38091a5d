// core/v1 kinds other than pods and controllers: Service, Secret, Namespace, Endpoints, Node, LimitRange.

export function defaultService(svc: any): void {
  const spec = (svc.spec ??= {});
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  if (spec.sessionAffinity === 'ClientIP') {
    spec.sessionAffinityConfig ??= {};
    spec.sessionAffinityConfig.clientIP ??= {};
    spec.sessionAffinityConfig.clientIP.timeoutSeconds ??= 10800;
  }
  for (const p of spec.ports ?? []) {
    if (!p) continue;
    p.protocol ??= 'TCP';
    if (p.targetPort == null || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  const type = spec.type;
  if (type !== 'ExternalName') {
    spec.internalTrafficPolicy ??= 'Cluster';
    // ClusterIP allocation itself belongs to the registry; the family fields are single-stack IPv4 here.
    spec.ipFamilyPolicy ??= 'SingleStack';
    spec.ipFamilies ??= ['IPv4'];
  }
  if (type === 'NodePort' || type === 'LoadBalancer') spec.externalTrafficPolicy ??= 'Cluster';
  if (type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
  // serviceStrategy.PrepareForCreate resets the status.
  svc.status ??= { loadBalancer: {} };
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
