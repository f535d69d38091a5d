// Realistic objects as a cluster would store them, for the golden table tests. Times are relative
// to NOW so the ages are fixed.
export const NOW = Date.parse('2024-05-01T12:00:00Z');
export const ago = (s: number): string => new Date(NOW - s * 1000).toISOString().replace(/\.000Z$/, 'Z');
const M = 60;
const H = 3600;
const D = 86400;

const labels = { app: 'web', 'pod-template-hash': '7d4b9c8f5' };
const owner = (kind: string, name: string, apiVersion = 'apps/v1') => [{ apiVersion, kind, name, uid: `uid-${name}`, controller: true, blockOwnerDeletion: true }];

export const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', creationTimestamp: ago(2 * D + 3 * H), labels: { app: 'web' } },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }, { name: 'log', image: 'busybox' }] } },
  },
  status: { replicas: 3, updatedReplicas: 3, readyReplicas: 2, availableReplicas: 2 },
};

export const replicaSet = {
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'web-7d4b9c8f5', namespace: 'default', creationTimestamp: ago(2 * D + 3 * H), labels, ownerReferences: owner('Deployment', 'web') },
  spec: {
    replicas: 3,
    selector: { matchLabels: labels },
    template: { metadata: { labels }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }, { name: 'log', image: 'busybox' }] } },
  },
  status: { replicas: 3, readyReplicas: 2, availableReplicas: 2 },
};

const running = (name: string, restarts = 0, lastFinished?: number) => ({
  name,
  ready: true,
  started: true,
  restartCount: restarts,
  image: 'nginx:1.25',
  state: { running: { startedAt: ago(3 * M) } },
  lastState: lastFinished === undefined ? {} : { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(lastFinished) } },
});

const podBase = (name: string, created: number, extra: any = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', creationTimestamp: ago(created), labels, ownerReferences: owner('ReplicaSet', 'web-7d4b9c8f5'), ...extra.metadata },
  spec: { nodeName: 'worker-1', containers: [{ name: 'nginx', image: 'nginx:1.25' }], ...extra.spec },
  status: { phase: 'Running', podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.5' }], ...extra.status },
});

export const pods = [
  podBase('web-7d4b9c8f5-2xk9p', 2 * D + 3 * H, { status: { containerStatuses: [running('nginx')], conditions: [{ type: 'Ready', status: 'True' }] } }),
  podBase('web-7d4b9c8f5-8mzqw', 2 * D + 3 * H, {
    spec: { nodeName: 'worker-2' },
    status: { podIP: '10.244.2.17', podIPs: [{ ip: '10.244.2.17' }], containerStatuses: [running('nginx', 2, 5 * M)], conditions: [{ type: 'Ready', status: 'True' }] },
  }),
  podBase('web-7d4b9c8f5-tq4vn', 47 * M, {
    status: {
      podIP: '10.244.1.9',
      podIPs: [{ ip: '10.244.1.9' }],
      containerStatuses: [
        {
          name: 'nginx',
          ready: false,
          restartCount: 5,
          state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 2m40s restarting failed container' } },
          lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(90) } },
        },
      ],
    },
  }),
];

/** Pods in the states kubectl derives STATUS for. */
export const oddPods = [
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'pending', namespace: 'default', creationTimestamp: ago(20) },
    spec: { containers: [{ name: 'c', image: 'nginx' }] },
    status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] },
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'creating', namespace: 'default', creationTimestamp: ago(5) },
    spec: { nodeName: 'worker-1', containers: [{ name: 'a', image: 'nginx' }, { name: 'b', image: 'redis' }] },
    status: {
      phase: 'Pending',
      containerStatuses: [
        { name: 'a', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } },
        { name: 'b', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } },
      ],
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'init', namespace: 'default', creationTimestamp: ago(8 * M + 5) },
    spec: { nodeName: 'worker-1', initContainers: [{ name: 'i1', image: 'busybox' }, { name: 'i2', image: 'busybox' }], containers: [{ name: 'c', image: 'nginx' }] },
    status: {
      phase: 'Pending',
      podIP: '10.244.1.12',
      initContainerStatuses: [
        { name: 'i1', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
        { name: 'i2', ready: false, restartCount: 0, state: { running: { startedAt: ago(60) } } },
      ],
      containerStatuses: [{ name: 'c', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }],
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'init-failing', namespace: 'default', creationTimestamp: ago(3 * H + 30 * M) },
    spec: { nodeName: 'worker-2', initContainers: [{ name: 'migrate', image: 'busybox' }], containers: [{ name: 'c', image: 'nginx' }] },
    status: {
      phase: 'Pending',
      initContainerStatuses: [
        {
          name: 'migrate',
          ready: false,
          restartCount: 4,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { exitCode: 2, reason: 'Error', finishedAt: ago(30) } },
        },
      ],
      containerStatuses: [{ name: 'c', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }],
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'done', namespace: 'default', creationTimestamp: ago(9 * D) },
    spec: { nodeName: 'worker-1', restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] },
    status: {
      phase: 'Succeeded',
      containerStatuses: [{ name: 'c', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed', finishedAt: ago(9 * D - 10) } } }],
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'oom', namespace: 'default', creationTimestamp: ago(400 * D) },
    spec: { nodeName: 'worker-1', restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] },
    status: {
      phase: 'Failed',
      containerStatuses: [{ name: 'c', ready: false, restartCount: 0, state: { terminated: { exitCode: 137, reason: 'OOMKilled' } } }],
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'stopping', namespace: 'default', creationTimestamp: ago(6 * H + 5 * M), deletionTimestamp: ago(-30) },
    spec: { nodeName: 'worker-1', containers: [{ name: 'c', image: 'nginx' }] },
    status: { phase: 'Running', podIP: '10.244.1.7', containerStatuses: [running('c')] },
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'lost', namespace: 'default', creationTimestamp: ago(3 * D), deletionTimestamp: ago(-30) },
    spec: { nodeName: 'worker-3', containers: [{ name: 'c', image: 'nginx' }] },
    status: { phase: 'Running', reason: 'NodeLost', containerStatuses: [running('c')] },
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'gated', namespace: 'default', creationTimestamp: ago(100) },
    spec: { containers: [{ name: 'c', image: 'nginx' }], readinessGates: [{ conditionType: 'example.com/ready' }] },
    status: { phase: 'Pending', nominatedNodeName: 'worker-2', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] },
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'sidecar', namespace: 'default', creationTimestamp: ago(15 * M) },
    spec: {
      nodeName: 'worker-2',
      initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always' }],
      containers: [{ name: 'app', image: 'nginx' }],
      readinessGates: [{ conditionType: 'example.com/ready' }],
    },
    status: {
      phase: 'Running',
      podIP: '10.244.2.30',
      conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'True' }, { type: 'example.com/ready', status: 'True' }],
      initContainerStatuses: [{ name: 'proxy', ready: true, started: true, restartCount: 1, state: { running: {} }, lastState: { terminated: { exitCode: 1, finishedAt: ago(14 * M) } } }],
      containerStatuses: [running('app')],
    },
  },
];

const svc = (name: string, spec: any, status: any = {}) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default', creationTimestamp: ago(2 * D + 3 * H) },
  spec,
  status,
});

export const services = [
  svc('kubernetes', { type: 'ClusterIP', clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1'], ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] }),
  svc('web', { type: 'ClusterIP', clusterIP: '10.96.120.15', clusterIPs: ['10.96.120.15'], selector: { app: 'web' }, ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }] }),
  svc('web-np', {
    type: 'NodePort',
    clusterIP: '10.96.33.201',
    clusterIPs: ['10.96.33.201'],
    selector: { app: 'web', tier: 'frontend' },
    ports: [
      { name: 'http', port: 80, protocol: 'TCP', nodePort: 30080 },
      { name: 'dns', port: 53, protocol: 'UDP', nodePort: 31053 },
    ],
  }),
  svc('web-lb', { type: 'LoadBalancer', clusterIP: '10.96.7.7', clusterIPs: ['10.96.7.7'], selector: { app: 'web' }, ports: [{ port: 443, protocol: 'TCP', nodePort: 31443 }] }),
  svc(
    'web-lb-ready',
    { type: 'LoadBalancer', clusterIP: '10.96.7.8', clusterIPs: ['10.96.7.8'], selector: { app: 'web' }, ports: [{ port: 80, protocol: 'TCP', nodePort: 30081 }] },
    { loadBalancer: { ingress: [{ ip: '203.0.113.10' }] } },
  ),
  svc('db', { type: 'ExternalName', externalName: 'db.example.com' }),
  svc('web-headless', { type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], selector: { app: 'web' }, ports: [{ port: 8080, protocol: 'TCP' }] }),
  svc('with-external', { type: 'ClusterIP', clusterIP: '10.96.9.9', clusterIPs: ['10.96.9.9'], externalIPs: ['192.0.2.1', '192.0.2.2'] }),
];

export const endpoints = [
  {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'web', namespace: 'default', creationTimestamp: ago(2 * D + 3 * H) },
    subsets: [
      {
        addresses: [{ ip: '10.244.1.5' }, { ip: '10.244.2.17' }, { ip: '10.244.1.9' }, { ip: '10.244.2.30' }],
        ports: [{ port: 8080, protocol: 'TCP' }],
      },
    ],
  },
  {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'kubernetes', namespace: 'default', creationTimestamp: ago(2 * D + 3 * H) },
    subsets: [{ addresses: [{ ip: '172.18.0.2' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }],
  },
  { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'empty', namespace: 'default', creationTimestamp: ago(30) } },
];

const nodeBase = (name: string, extra: any) => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, creationTimestamp: ago(2 * D + 4 * H), labels: { 'kubernetes.io/hostname': name, ...extra.labels } },
  spec: { ...extra.spec },
  status: {
    conditions: [
      { type: 'MemoryPressure', status: 'False' },
      { type: 'DiskPressure', status: 'False' },
      { type: 'PIDPressure', status: 'False' },
      { type: 'Ready', status: extra.ready ?? 'True' },
    ],
    addresses: [{ type: 'InternalIP', address: extra.ip }, { type: 'Hostname', address: name }, ...(extra.addresses ?? [])],
    nodeInfo: { kubeletVersion: 'v1.32.0', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0-18-amd64', containerRuntimeVersion: 'containerd://1.7.13' },
  },
});

export const nodes = [
  nodeBase('control-plane', { ip: '172.18.0.2', labels: { 'node-role.kubernetes.io/control-plane': '' }, spec: { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } }),
  nodeBase('worker-1', { ip: '172.18.0.3', addresses: [{ type: 'ExternalIP', address: '198.51.100.3' }] }),
  nodeBase('worker-2', { ip: '172.18.0.4', spec: { unschedulable: true }, labels: { 'node-role.kubernetes.io/worker': '', 'kubernetes.io/role': 'ingress' } }),
  nodeBase('worker-3', { ip: '172.18.0.5', ready: 'Unknown' }),
];

export const events = [
  {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'web-7d4b9c8f5-2xk9p.17c1a', namespace: 'default', creationTimestamp: ago(2 * D + 3 * H) },
    involvedObject: { kind: 'Pod', name: 'web-7d4b9c8f5-2xk9p', namespace: 'default', fieldPath: 'spec.containers{nginx}' },
    reason: 'Pulled',
    message: 'Container image "nginx:1.25" already present on machine',
    source: { component: 'kubelet', host: 'worker-1' },
    firstTimestamp: ago(2 * D + 3 * H),
    lastTimestamp: ago(2 * D + 3 * H),
    count: 1,
    type: 'Normal',
  },
  {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'web-7d4b9c8f5-tq4vn.17c2b', namespace: 'default', creationTimestamp: ago(47 * M) },
    involvedObject: { kind: 'Pod', name: 'web-7d4b9c8f5-tq4vn', namespace: 'default', fieldPath: 'spec.containers{nginx}' },
    reason: 'BackOff',
    message: 'Back-off restarting failed container nginx in pod web-7d4b9c8f5-tq4vn_default(uid)\n',
    source: { component: 'kubelet', host: 'worker-1' },
    firstTimestamp: ago(46 * M),
    lastTimestamp: ago(75),
    count: 12,
    type: 'Warning',
  },
  {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'web.17c0f', namespace: 'default', creationTimestamp: ago(2 * D + 3 * H) },
    involvedObject: { kind: 'Deployment', name: 'web', namespace: 'default', apiVersion: 'apps/v1' },
    reason: 'ScalingReplicaSet',
    message: 'Scaled up replica set web-7d4b9c8f5 to 3',
    source: { component: 'deployment-controller' },
    firstTimestamp: ago(2 * D + 3 * H),
    lastTimestamp: ago(2 * D + 3 * H),
    count: 1,
    type: 'Normal',
  },
  {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'pending.17c3c', namespace: 'default', creationTimestamp: ago(20) },
    involvedObject: { kind: 'Pod', name: 'pending', namespace: 'default' },
    reason: 'FailedScheduling',
    message: '0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu.',
    eventTime: ago(20) .replace('Z', '.123456Z'),
    reportingComponent: 'default-scheduler',
    reportingInstance: 'default-scheduler-control-plane',
    type: 'Warning',
  },
];
