// `kubectl expose`: a Service built from an existing object's selector, ports and labels.
import { parseLabelSelector } from './simple.js';
import { GeneratorError, type GeneratorEnv, parseLabels, sliceFlag, stringFlag } from './types.js';

export const exposeFlags = [
  { flags: '--port <port>', description: 'The port that the service should serve on. Copied from the resource being exposed, if unspecified' },
  { flags: '--target-port <port>', description: 'Name or number for the port on the container that the service should direct traffic to. Optional.' },
  { flags: '--protocol <protocol>', description: 'The network protocol for the service to be created. Default is \'TCP\'.' },
  { flags: '--type <type>', description: "Type for this service: ClusterIP, NodePort, LoadBalancer, or ExternalName. Default is 'ClusterIP'." },
  { flags: '--name <name>', description: 'The name for the newly created object.' },
  { flags: '--selector <selector>', description: 'A label selector to use for this service. Only equality-based selector requirements are supported.' },
  { flags: '--external-ip <ip>', description: 'Additional external IP address (not managed by Kubernetes) to accept for the service.' },
  { flags: '--load-balancer-ip <ip>', description: 'IP to assign to the LoadBalancer. If empty, an ephemeral IP will be created and used (cloud-provider specific).' },
  { flags: '--cluster-ip <ip>', description: "ClusterIP to be assigned to the service. Leave empty to auto-allocate, or set to 'None' to create a headless service." },
  { flags: '-l, --labels <labels>', description: 'Labels to apply to the service created by this call.' },
  { flags: '--session-affinity <affinity>', description: "If non-empty, set the session affinity for the service to this; legal values: 'None', 'ClientIP'" },
];

interface PortInfo {
  port: number;
  protocol: string;
  name?: string;
  targetPort?: number | string;
}

// What kubectl's polymorphic helpers read from each kind.
function introspect(t: any): { selector?: Record<string, string>; ports: PortInfo[] } {
  const kind = t?.kind;
  const fromContainers = (spec: any): PortInfo[] =>
    (spec?.containers ?? []).flatMap((c: any) => (c.ports ?? []).map((p: any) => ({ port: p.containerPort, protocol: p.protocol ?? 'TCP', name: p.name })));
  switch (kind) {
    case 'Pod':
      return { selector: t.metadata?.labels, ports: fromContainers(t.spec) };
    case 'ReplicationController':
      return { selector: t.spec?.selector, ports: fromContainers(t.spec?.template?.spec) };
    case 'Deployment':
    case 'ReplicaSet': {
      const sel = t.spec?.selector;
      if (sel?.matchExpressions?.length) throw new GeneratorError('error: couldn\'t convert expressions - "' + JSON.stringify(sel.matchExpressions) + '" to map-based selector format');
      return { selector: sel?.matchLabels, ports: fromContainers(t.spec?.template?.spec) };
    }
    case 'Service':
      return {
        selector: t.spec?.selector,
        ports: (t.spec?.ports ?? []).map((p: any) => ({ port: p.port, protocol: p.protocol ?? 'TCP', name: p.name, targetPort: p.targetPort })),
      };
    default:
      throw new GeneratorError(`error: cannot expose a ${kind}`);
  }
}

/** Build the Service for `kubectl expose TYPE NAME`; env.namespace is the target's namespace when enforced. */
export function expose(target: any, opts: Record<string, any>, env: Partial<GeneratorEnv> = {}): any {
  const info = introspect(target);
  const name = stringFlag(opts.name) || target?.metadata?.name;
  let selector: Record<string, unknown> | undefined;
  const selFlag = stringFlag(opts.selector);
  if (selFlag) {
    const s = parseLabelSelector(selFlag);
    if (s.matchExpressions) throw new GeneratorError(`error: invalid selector: ${selFlag}`);
    selector = (s.matchLabels as Record<string, string>) ?? {};
  } else {
    selector = info.selector;
    if (!selector || Object.keys(selector).length === 0) {
      throw new GeneratorError(`error: couldn't retrieve selectors via --selector flag or introspection: the ${String(target?.kind).toLowerCase()} has no labels`);
    }
  }
  const labels = opts.labels ? parseLabels(stringFlag(opts.labels)) : target?.metadata?.labels;
  const protocolFlag = stringFlag(opts.protocol);
  const targetPortFlag = stringFlag(opts.targetPort);
  let ports: Record<string, unknown>[];
  const portFlags = sliceFlag(opts.port);
  const mk = (p: PortInfo, i: number, n: number): Record<string, unknown> => {
    const sp: Record<string, unknown> = {};
    if (n > 1) sp.name = p.name || `port-${i + 1}`;
    sp.protocol = protocolFlag || p.protocol || 'TCP';
    sp.port = p.port;
    let tp: number | string = p.targetPort ?? p.port;
    if (targetPortFlag) tp = /^\d+$/.test(targetPortFlag) ? Number(targetPortFlag) : targetPortFlag;
    sp.targetPort = tp;
    return sp;
  };
  if (portFlags.length > 0) {
    ports = portFlags.map((s, i) => {
      if (!/^\d+$/.test(s)) throw new GeneratorError(`error: strconv.Atoi: parsing "${s}": invalid syntax`);
      return mk({ port: Number(s), protocol: '' }, i, portFlags.length);
    });
  } else {
    if (info.ports.length === 0) throw new GeneratorError("error: couldn't find port via --port flag or introspection");
    ports = info.ports.map((p, i) => mk(p, i, info.ports.length));
  }
  const m: Record<string, unknown> = { name };
  if (env.namespace) m.namespace = env.namespace;
  m.creationTimestamp = null;
  if (labels && Object.keys(labels).length > 0) m.labels = labels;
  const spec: Record<string, unknown> = { ports, selector };
  const clusterIP = stringFlag(opts.clusterIp);
  if (clusterIP) spec.clusterIP = clusterIP;
  const type = stringFlag(opts.type);
  if (type) spec.type = type;
  const ext = sliceFlag(opts.externalIp);
  if (ext.length > 0) spec.externalIPs = ext;
  const aff = stringFlag(opts.sessionAffinity);
  if (aff) spec.sessionAffinity = aff;
  const lb = stringFlag(opts.loadBalancerIp);
  if (lb) spec.loadBalancerIP = lb;
  return { kind: 'Service', apiVersion: 'v1', metadata: m, spec, status: { loadBalancer: {} } };
}
