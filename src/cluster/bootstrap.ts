// What a new cluster holds before anyone applies anything: the system namespaces, the
// `kubernetes` Service, the bootstrap RBAC policy (the roles kubeadm and the apiserver create),
// the system PriorityClasses, and kubeadm's addons in kube-system: CoreDNS (Deployment, kube-dns
// Service, Corefile) and kube-proxy (DaemonSet and its configuration), with kubeadm's ConfigMaps.
// Everything is created through the apiserver, as the real bootstrap controllers and kubeadm do.
// The rest comes alive on its own: kubelets register the Nodes and mirror the static control-plane
// pods, the deployment and daemonset controllers make the addon pods.
import { ApiServer, resourceFor } from '../apiserver/apiserver.js';
import type { KObject } from '../apiserver/types.js';
import { ADMIN_GROUP } from './home.js';
import { defaultClusterConfig, type ClusterConfig } from './config.js';
import { serviceIP } from './cluster-file.js';

export const CONTROL_PLANE_IP = '172.18.0.2';
export const SYSTEM_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];

const VIEWABLE: [string, string[]][] = [
  ['', ['configmaps', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'pods', 'pods/log', 'pods/status',
    'replicationcontrollers', 'replicationcontrollers/scale', 'replicationcontrollers/status', 'serviceaccounts', 'services',
    'services/status', 'bindings', 'events', 'limitranges', 'namespaces/status', 'pods/log', 'resourcequotas', 'resourcequotas/status', 'namespaces']],
  ['apps', ['controllerrevisions', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status',
    'replicasets', 'replicasets/scale', 'replicasets/status', 'statefulsets', 'statefulsets/scale', 'statefulsets/status']],
  ['autoscaling', ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']],
  ['batch', ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status']],
  ['discovery.k8s.io', ['endpointslices']],
  ['networking.k8s.io', ['ingresses', 'ingresses/status', 'networkpolicies']],
  ['policy', ['poddisruptionbudgets', 'poddisruptionbudgets/status']],
];

const EDITABLE: [string, string[]][] = [
  ['', ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'configmaps', 'endpoints', 'persistentvolumeclaims',
    'replicationcontrollers', 'replicationcontrollers/scale', 'secrets', 'serviceaccounts', 'services', 'services/proxy', 'pods/eviction']],
  ['apps', ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale']],
  ['autoscaling', ['horizontalpodautoscalers']],
  ['batch', ['cronjobs', 'jobs']],
  ['discovery.k8s.io', ['endpointslices']],
  ['networking.k8s.io', ['ingresses', 'networkpolicies']],
  ['policy', ['poddisruptionbudgets']],
];

function rulesOf(table: [string, string[]][], verbs: string[]): any[] {
  return table.map(([g, resources]) => ({ apiGroups: [g], resources: [...new Set(resources)], verbs }));
}

function clusterRole(name: string, rules: any[], labels: Record<string, string> = {}): KObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole',
    metadata: { name, labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults', ...labels }, annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' } },
    rules,
  };
}

function clusterRoleBinding(name: string, role: string, subjects: any[], bootstrapping = true): KObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding',
    metadata: bootstrapping
      ? { name, labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' }, annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' } }
      : { name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects,
  };
}

const group = (name: string) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name });

export function bootstrapObjects(config: ClusterConfig = defaultClusterConfig('minikctl'), clusterName = 'minikctl', opts: { addons?: boolean } = {}): [string, string | undefined, KObject][] {
  const objs: [string, string | undefined, KObject][] = [];
  for (const ns of SYSTEM_NAMESPACES) {
    objs.push(['namespaces', undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }]);
  }
  const roles = [
    clusterRole('cluster-admin', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { nonResourceURLs: ['*'], verbs: ['*'] }]),
    clusterRole('admin', [
      ...rulesOf(EDITABLE, [...READ, ...WRITE]),
      ...rulesOf(VIEWABLE, READ),
      { apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings', 'roles'], verbs: [...WRITE, ...READ] },
      { apiGroups: ['authorization.k8s.io'], resources: ['localsubjectaccessreviews'], verbs: ['create'] },
    ], { 'kubernetes.io/bootstrapping': 'rbac-defaults' }),
    clusterRole('edit', [...rulesOf(EDITABLE, [...READ, ...WRITE]), ...rulesOf(VIEWABLE, READ)], { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' }),
    clusterRole('view', rulesOf(VIEWABLE, READ), { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' }),
    clusterRole('system:basic-user', [
      { apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], verbs: ['create'] },
      { apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'], verbs: ['create'] },
    ]),
    clusterRole('system:discovery', [{ nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'], verbs: ['get'] }]),
    clusterRole('system:public-info-viewer', [{ nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'], verbs: ['get'] }]),
  ];
  for (const r of roles) objs.push(['clusterroles', undefined, r]);
  const bindings = [
    clusterRoleBinding('cluster-admin', 'cluster-admin', [group('system:masters')]),
    clusterRoleBinding('kubeadm:cluster-admins', 'cluster-admin', [group(ADMIN_GROUP)], false),
    clusterRoleBinding('system:basic-user', 'system:basic-user', [group('system:authenticated')]),
    clusterRoleBinding('system:discovery', 'system:discovery', [group('system:authenticated')]),
    clusterRoleBinding('system:public-info-viewer', 'system:public-info-viewer', [group('system:authenticated'), group('system:unauthenticated')]),
  ];
  for (const b of bindings) objs.push(['clusterrolebindings', undefined, b]);
  objs.push(['services', 'default', {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: 'kubernetes', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { clusterIP: serviceIP(config.serviceSubnet, 1), ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }], sessionAffinity: 'None', type: 'ClusterIP' },
  }]);
  objs.push(['endpoints', 'default', {
    apiVersion: 'v1', kind: 'Endpoints',
    metadata: { name: 'kubernetes', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: CONTROL_PLANE_IP }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }],
  }]);
  objs.push(['endpointslices', 'default', {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [CONTROL_PLANE_IP], conditions: { ready: true } }],
    ports: [{ name: 'https', port: 6443, protocol: 'TCP' }],
  }]);
  objs.push(...priorityClasses());
  if (opts.addons !== false) objs.push(...addonObjects(config, clusterName));
  return objs;
}

// ---- scheduling.k8s.io: the two classes the apiserver itself creates ----

const SCHEMA_KNOWS_DESCRIPTION = false;

function priorityClasses(): [string, undefined, KObject][] {
  const pc = (name: string, value: number, description: string): [string, undefined, KObject] => [
    'priorityclasses', undefined,
    // TODO(description): the generated PriorityClass schema lost its `description` field (the
    // generator strips descriptions); add `description` back once the schema has it.
    { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value, globalDefault: false, preemptionPolicy: 'PreemptLowerPriority', ...(SCHEMA_KNOWS_DESCRIPTION ? { description } : {}) },
  ];
  return [
    pc('system-node-critical', 2000001000, 'Used for system critical pods that must not be moved from their current node.'),
    pc('system-cluster-critical', 2000000000, 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.'),
  ];
}

// ---- kubeadm's addons ----

export const COREDNS_IMAGE = 'registry.k8s.io/coredns/coredns:v1.11.3';
export const KUBE_PROXY_IMAGE = 'registry.k8s.io/kube-proxy:v1.32.0';
/** kubeadm gives kube-dns the tenth address of the service subnet */
export const dnsServiceIP = (config: ClusterConfig): string => serviceIP(config.serviceSubnet, 10);

const COREFILE = `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success cluster.local
       disable denial cluster.local
    }
    loop
    reload
    loadbalance
}
`;

function kubeProxyConfig(config: ClusterConfig): string {
  return `apiVersion: kubeproxy.config.k8s.io/v1alpha1
bindAddress: 0.0.0.0
clientConnection:
  kubeconfig: /var/lib/kube-proxy/kubeconfig.conf
clusterCIDR: ${config.podSubnet}
conntrack:
  maxPerCore: 32768
  min: 131072
  tcpCloseWaitTimeout: 1h0m0s
  tcpEstablishedTimeout: 24h0m0s
iptables:
  masqueradeAll: false
  masqueradeBit: 14
  minSyncPeriod: 1s
  syncPeriod: 30s
kind: KubeProxyConfiguration
metricsBindAddress: 0.0.0.0:10249
mode: ${config.proxyMode ?? 'iptables'}
nodePortAddresses: null
`;
}

function kubeProxyKubeconfig(server: string): string {
  return `apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt
    server: ${server}
  name: default
contexts:
- context:
    cluster: default
    namespace: default
    user: default
  name: default
current-context: default
users:
- name: default
  user:
    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token
`;
}

function clusterConfiguration(config: ClusterConfig, clusterName: string, endpoint: string): string {
  return `apiServer: {}
apiVersion: kubeadm.k8s.io/v1beta4
caCertificateValidityPeriod: 87600h0m0s
certificateValidityPeriod: 8760h0m0s
certificatesDir: /etc/kubernetes/pki
clusterName: ${clusterName}
controlPlaneEndpoint: ${endpoint}
controllerManager: {}
dns: {}
encryptionAlgorithm: RSA-2048
etcd:
  local:
    dataDir: /var/lib/etcd
imageRepository: registry.k8s.io
kind: ClusterConfiguration
kubernetesVersion: ${config.kubernetesVersion}
networking:
  dnsDomain: cluster.local
  podSubnet: ${config.podSubnet}
  serviceSubnet: ${config.serviceSubnet}
proxy: {}
scheduler: {}
`;
}

function kubeletConfiguration(config: ClusterConfig): string {
  return `apiVersion: kubelet.config.k8s.io/v1beta1
authentication:
  anonymous:
    enabled: false
  webhook:
    cacheTTL: 0s
    enabled: true
  x509:
    clientCAFile: /etc/kubernetes/pki/ca.crt
authorization:
  mode: Webhook
cgroupDriver: systemd
clusterDNS:
- ${dnsServiceIP(config)}
clusterDomain: cluster.local
containerRuntimeEndpoint: ""
evictionHard:
  imagefs.available: 0%
  nodefs.available: 0%
  nodefs.inodesFree: 0%
healthzBindAddress: 127.0.0.1
healthzPort: 10248
imageGCHighThresholdPercent: 100
kind: KubeletConfiguration
rotateCertificates: true
staticPodPath: /etc/kubernetes/manifests
`;
}

const rbacRef = (kind: string, name: string) => ({ apiGroup: 'rbac.authorization.k8s.io', kind, name });

export function addonObjects(config: ClusterConfig, clusterName: string): [string, string | undefined, KObject][] {
  const ks = 'kube-system';
  const controlPlane = config.nodes.find((n) => n.role === 'control-plane')?.name ?? `${clusterName}-control-plane`;
  const endpoint = `${controlPlane}:6443`;
  const dnsLabels = { 'k8s-app': 'kube-dns' };
  const coredns: KObject = {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'coredns', namespace: ks, labels: { ...dnsLabels } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { ...dnsLabels } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: '25%' } },
      template: {
        metadata: { labels: { ...dnsLabels } },
        spec: {
          priorityClassName: 'system-cluster-critical',
          serviceAccountName: 'coredns',
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [{
                weight: 100,
                podAffinityTerm: { labelSelector: { matchExpressions: [{ key: 'k8s-app', operator: 'In', values: ['kube-dns'] }] }, topologyKey: 'kubernetes.io/hostname' },
              }],
            },
          },
          tolerations: [
            { key: 'CriticalAddonsOnly', operator: 'Exists' },
            { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
          ],
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          containers: [{
            name: 'coredns', image: COREDNS_IMAGE, imagePullPolicy: 'IfNotPresent',
            args: ['-conf', '/etc/coredns/Corefile'],
            resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
            volumeMounts: [{ name: 'config-volume', mountPath: '/etc/coredns', readOnly: true }],
            ports: [
              { containerPort: 53, name: 'dns', protocol: 'UDP' },
              { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' },
              { containerPort: 9153, name: 'metrics', protocol: 'TCP' },
            ],
            securityContext: { allowPrivilegeEscalation: false, capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] }, readOnlyRootFilesystem: true },
            livenessProbe: { httpGet: { path: '/health', port: 8080, scheme: 'HTTP' }, initialDelaySeconds: 60, timeoutSeconds: 5, successThreshold: 1, failureThreshold: 5 },
            readinessProbe: { httpGet: { path: '/ready', port: 8181, scheme: 'HTTP' } },
          }],
          dnsPolicy: 'Default',
          volumes: [{ name: 'config-volume', configMap: { name: 'coredns', items: [{ key: 'Corefile', path: 'Corefile' }] } }],
        },
      },
    },
  };
  const kubeDns: KObject = {
    apiVersion: 'v1', kind: 'Service',
    metadata: {
      name: 'kube-dns', namespace: ks,
      labels: { ...dnsLabels, 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
      annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
    },
    spec: {
      clusterIP: dnsServiceIP(config),
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
      ],
      selector: { ...dnsLabels },
    },
  };
  const proxyLabels = { 'k8s-app': 'kube-proxy' };
  const kubeProxy: KObject = {
    apiVersion: 'apps/v1', kind: 'DaemonSet',
    metadata: { name: 'kube-proxy', namespace: ks, labels: { ...proxyLabels } },
    spec: {
      selector: { matchLabels: { ...proxyLabels } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      template: {
        metadata: { labels: { ...proxyLabels } },
        spec: {
          priorityClassName: 'system-node-critical',
          containers: [{
            name: 'kube-proxy', image: KUBE_PROXY_IMAGE, imagePullPolicy: 'IfNotPresent',
            command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf', '--hostname-override=$(NODE_NAME)'],
            env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } }],
            securityContext: { privileged: true },
            volumeMounts: [
              { mountPath: '/var/lib/kube-proxy', name: 'kube-proxy' },
              { mountPath: '/run/xtables.lock', name: 'xtables-lock' },
              { mountPath: '/lib/modules', name: 'lib-modules', readOnly: true },
            ],
          }],
          hostNetwork: true,
          serviceAccountName: 'kube-proxy',
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          tolerations: [{ operator: 'Exists' }],
          volumes: [
            { name: 'kube-proxy', configMap: { name: 'kube-proxy' } },
            { name: 'xtables-lock', hostPath: { path: '/run/xtables.lock', type: 'FileOrCreate' } },
            { name: 'lib-modules', hostPath: { path: '/lib/modules', type: '' } },
          ],
        },
      },
    },
  };
  const cm = (name: string, data: Record<string, string>, labels?: Record<string, string>): [string, string, KObject] => [
    'configmaps', ks, { apiVersion: 'v1', kind: 'ConfigMap', metadata: labels ? { name, namespace: ks, labels } : { name, namespace: ks }, data },
  ];
  const sa = (name: string): [string, string, KObject] => ['serviceaccounts', ks, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: ks } }];
  return [
    // kubeadm's `upload-config` phase
    cm('kubeadm-config', { ClusterConfiguration: clusterConfiguration(config, clusterName, endpoint) }),
    cm('kubelet-config', { kubelet: kubeletConfiguration(config) }),
    // `addon/coredns`
    ['clusterroles', undefined, clusterRole('system:coredns', [
      { apiGroups: [''], resources: ['endpoints', 'services', 'pods', 'namespaces'], verbs: ['list', 'watch'] },
      { apiGroups: [''], resources: ['nodes'], verbs: ['get'] },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
    ])],
    ['clusterrolebindings', undefined, {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'system:coredns' },
      roleRef: rbacRef('ClusterRole', 'system:coredns'), subjects: [{ kind: 'ServiceAccount', name: 'coredns', namespace: ks }],
    }],
    sa('coredns'),
    cm('coredns', { Corefile: COREFILE }),
    ['deployments', ks, coredns],
    ['services', ks, kubeDns],
    // `addon/kube-proxy`
    sa('kube-proxy'),
    ['clusterroles', undefined, clusterRole('system:node-proxier', [
      { apiGroups: [''], resources: ['endpoints', 'services'], verbs: ['list', 'watch'] },
      { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch', 'update'] },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
    ])],
    ['clusterrolebindings', undefined, {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'kubeadm:node-proxier' },
      roleRef: rbacRef('ClusterRole', 'system:node-proxier'), subjects: [{ kind: 'ServiceAccount', name: 'kube-proxy', namespace: ks }],
    }],
    cm('kube-proxy', { 'config.conf': kubeProxyConfig(config), 'kubeconfig.conf': kubeProxyKubeconfig(`https://${endpoint}`) }, { app: 'kube-proxy' }),
    ['daemonsets', ks, kubeProxy],
    // kind's default StorageClass: local-path volumes, made once a pod is scheduled
    ['storageclasses', undefined, {
      apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass',
      metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'rancher.io/local-path', reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer',
    }],
  ];
}

export async function bootstrapCluster(api: ApiServer, opts: { registerNodes?: boolean } = {}): Promise<void> {
  const meta = api.store.meta;
  const config: ClusterConfig = meta.config ?? defaultClusterConfig(meta.name || 'minikctl');
  const name = meta.name || 'minikctl';
  const create = async (objs: [string, string | undefined, KObject][]) => {
    for (const [resource, namespace, body] of objs) {
      const res = await api.handle({ verb: 'create', resource: resourceFor(resource), namespace, body, user: ApiServer.systemUser });
      if (res.code >= 300) throw new Error(`bootstrap: creating ${resource} ${body.metadata?.name}: ${res.body.message}`);
    }
  };
  await create(bootstrapObjects(config, name, { addons: false }));
  // As with kubeadm, the machines' kubelets register their Nodes before the addons are installed,
  // so CoreDNS and kube-proxy find nodes to run on.
  if (opts.registerNodes !== false) {
    const [{ settle }, { kubelets }, { nodeIpamController }, { serviceAccountController }] = await Promise.all([
      import('./runtime.js'), import('../kubelet/index.js'), import('../controllers/nodeipam.js'), import('../controllers/serviceaccount.js'),
    ]);
    await settle(api, undefined, [serviceAccountController, nodeIpamController, kubelets]);
  }
  await create(addonObjects(config, name));
}
