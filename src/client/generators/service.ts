import { DNS1123_SUBDOMAIN, GeneratorError, type GeneratorEnv, type GeneratorSpec, intFlag, meta, oneName, requireFlag, sliceFlag, stringFlag } from './types.js';

type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';

const PORT_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

// "<port>[:<targetPort>]": targetPort is a number or a named port (IANA_SVC_NAME rules).
function parsePorts(spec: string): [number, number | string] {
  const parts = spec.split(':');
  const p = parts[0];
  if (!/^\d+$/.test(p)) throw new GeneratorError(`error: strconv.ParseUint: parsing "${p}": invalid syntax`);
  const port = Number(p);
  if (port > 65535) throw new GeneratorError(`error: strconv.ParseUint: parsing "${p}": value out of range`);
  if (parts.length === 1) return [port, port];
  const t = parts[1];
  if (/^[-+]?\d+$/.test(t)) {
    const n = Number(t);
    if (n < 1 || n > 65535) throw new GeneratorError('error: must be between 1 and 65535, inclusive');
    return [port, n];
  }
  if (t.length > 15) throw new GeneratorError('error: must be no more than 15 characters');
  if (!PORT_NAME.test(t)) throw new GeneratorError("error: must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  if (!/[a-z]/.test(t)) throw new GeneratorError('error: must contain at least one letter (a-z)');
  if (t.includes('--')) throw new GeneratorError('error: must not contain consecutive hyphens');
  return [port, t];
}

function makeService(type: ServiceType, args: string[], opts: Record<string, any>, env: GeneratorEnv): unknown {
  const cmd = `create service ${type.toLowerCase()}`;
  if (type === 'ExternalName') requireFlag(opts.externalName, 'external-name');
  const name = oneName(args, cmd);
  const tcp = sliceFlag(opts.tcp);
  const clusterIP = stringFlag(opts.clusterip);
  const externalName = stringFlag(opts.externalName);
  const nodePort = intFlag(opts.nodePort, 'node-port', 0);
  if (clusterIP === 'None' && type !== 'ClusterIP') throw new GeneratorError('error: ClusterIP=None can only be used with ClusterIP service type');
  if (clusterIP !== 'None' && tcp.length === 0 && type !== 'ExternalName') {
    throw new GeneratorError('error: at least one tcp port specifier must be provided');
  }
  if (type === 'ExternalName' && (externalName.length > 253 || !DNS1123_SUBDOMAIN.test(externalName))) {
    throw new GeneratorError(`error: invalid service external name ${externalName}`);
  }
  const ports = tcp.map((t) => {
    const [port, targetPort] = parsePorts(t);
    const sp: Record<string, unknown> = { name: t.replace(/:/g, '-'), protocol: 'TCP', port, targetPort };
    if (nodePort !== 0) sp.nodePort = nodePort;
    return sp;
  });
  const spec: Record<string, unknown> = {};
  if (ports.length > 0) spec.ports = ports;
  spec.selector = { app: name };
  if (clusterIP) spec.clusterIP = clusterIP;
  spec.type = type;
  if (externalName) spec.externalName = externalName;
  return {
    kind: 'Service',
    apiVersion: 'v1',
    metadata: meta(name, env, { labels: { app: name } }),
    spec,
    status: { loadBalancer: {} },
  };
}

const TCP_FLAG = { flags: '--tcp <port:targetPort>', description: "Port pairs can be specified as '<port>:<targetPort>'.", repeatable: true };

export const serviceClusterIPGenerator: GeneratorSpec = {
  name: 'service clusterip',
  aliases: [],
  usage: 'NAME [--tcp=<port>:<targetPort>]',
  description: 'Create a ClusterIP service',
  flags: [TCP_FLAG, { flags: '--clusterip <ip>', description: "Assign your own ClusterIP or set to 'None' for a 'headless' service (no loadbalancing)." }],
  generate: (args, opts, env) => makeService('ClusterIP', args, opts, env),
};

export const serviceNodePortGenerator: GeneratorSpec = {
  name: 'service nodeport',
  aliases: [],
  usage: 'NAME [--tcp=port:targetPort]',
  description: 'Create a NodePort service',
  flags: [TCP_FLAG, { flags: '--node-port <port>', description: 'Port used to expose the service on each node in a cluster.', default: '0' }],
  generate: (args, opts, env) => makeService('NodePort', args, opts, env),
};

export const serviceLoadBalancerGenerator: GeneratorSpec = {
  name: 'service loadbalancer',
  aliases: [],
  usage: 'NAME [--tcp=port:targetPort]',
  description: 'Create a LoadBalancer service',
  flags: [TCP_FLAG],
  generate: (args, opts, env) => makeService('LoadBalancer', args, opts, env),
};

export const serviceExternalNameGenerator: GeneratorSpec = {
  name: 'service externalname',
  aliases: [],
  usage: 'NAME --external-name external.name',
  description: 'Create an ExternalName service',
  flags: [TCP_FLAG, { flags: '--external-name <name>', description: 'External name of service', required: true }],
  generate: (args, opts, env) => makeService('ExternalName', args, opts, env),
};
