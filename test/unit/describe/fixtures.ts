// Objects for the describe golden tests, shaped like what a real apiserver returns.
import type { DescribeLookup } from '../../../src/printers/describe/index.js';

export const NOW = Date.parse('2026-11-22T14:27:03Z');
export const ago = (s: number) => new Date(NOW - s * 1000).toISOString().replace('.000Z', 'Z');

export function makeLookup(objects: Record<string, any[]>, events: any[] = []): DescribeLookup {
  return {
    now: NOW,
    list(resource, namespace, labelSelector) {
      let items = objects[resource] ?? [];
      if (namespace !== undefined) items = items.filter((o) => o.metadata?.namespace === namespace);
      if (labelSelector) {
        const reqs = labelSelector.split(',').map((r) => r.split('='));
        items = items.filter((o) => reqs.every(([k, v]) => o.metadata?.labels?.[k] === v));
      }
      return items;
    },
    events(obj) {
      return events.filter((e) => e.involvedObject?.uid === obj.metadata?.uid);
    },
  };
}

export function event(uid: string, type: string, reason: string, from: string, message: string, firstAgo: number, lastAgo = firstAgo, count = 1): any {
  return {
    metadata: { uid: `ev-${reason}-${firstAgo}-${Math.random()}` },
    involvedObject: { uid },
    type, reason, message, count,
    source: { component: from },
    firstTimestamp: ago(firstAgo),
    lastTimestamp: ago(lastAgo),
  };
}

const DEFAULT_TOLERATIONS = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

/** The pod of kubectl-wire/samples/kubectl-output/describe-pod.txt (a real kubectl 1.32 output). */
export function webPod(): any {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', uid: 'pod-web', labels: { app: 'web', tier: 'fe' }, creationTimestamp: ago(30) },
    spec: {
      serviceAccountName: 'default', nodeName: 'node-2', tolerations: DEFAULT_TOLERATIONS,
      containers: [{ name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80, protocol: 'TCP' }] }],
    },
    status: {
      phase: 'Running', hostIP: '172.18.0.3', podIP: '10.244.1.208', podIPs: [{ ip: '10.244.1.208' }], startTime: ago(30), qosClass: 'BestEffort',
      conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True' })),
      containerStatuses: [{
        name: 'nginx', ready: true, restartCount: 0,
        containerID: 'containerd://07f728873165c26c0dbcb2965263bd04af7504bfb13ae8cb81a72c6b268442cd',
        imageID: 'docker.io/library/nginx:1.25@sha256:251ad31786bae2bdf8f9435a21b808b3ddba91ac4bf8d995c416368ed5881c7a',
        state: { running: { startedAt: ago(30) } },
      }],
    },
  };
}

export function node2(): any {
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: {
      name: 'node-2', uid: 'node-2-uid', creationTimestamp: '2026-11-22T14:32:15Z',
      labels: { 'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': 'node-2', 'kubernetes.io/os': 'linux' },
    },
    spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] },
    status: {
      conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: '2026-11-22T14:32:15Z', lastTransitionTime: '2026-11-22T14:32:15Z', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
      addresses: [{ type: 'InternalIP', address: '172.18.0.3' }, { type: 'Hostname', address: 'node-2' }],
      capacity: { cpu: '4', 'ephemeral-storage': '102350Mi', memory: '16318480Ki', pods: '110' },
      allocatable: { cpu: '4', 'ephemeral-storage': '102350Mi', memory: '16216080Ki', pods: '110' },
      nodeInfo: {
        machineID: 'v2c7jz5r9c', systemUUID: '5d697116-600a-48b1-b113-4f7b318fc31c', bootID: '0df170b7-a5ca-460c-b8d3-80439d353ee3',
        kernelVersion: '6.1.0', osImage: 'Debian GNU/Linux 12 (bookworm)', operatingSystem: 'linux', architecture: 'amd64',
        containerRuntimeVersion: 'containerd://1.7.18', kubeletVersion: 'v1.32.4', kubeProxyVersion: 'v1.32.4',
      },
    },
  };
}

export function kubernetesService(): any {
  return {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', uid: 'svc-k8s', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: {
      type: 'ClusterIP', ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'], clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1'],
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }], sessionAffinity: 'None', internalTrafficPolicy: 'Cluster',
    },
  };
}

export function webAppDeployment(): any {
  const template = { metadata: { labels: { app: 'web-app' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }] } };
  const d = {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'web-app', namespace: 'default', uid: 'dep-1', creationTimestamp: '2026-11-22T14:26:34Z', labels: { app: 'web-app' }, annotations: { 'deployment.kubernetes.io/revision': '1' } },
    spec: { replicas: 5, selector: { matchLabels: { app: 'web-app' } }, template, strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } } },
    status: {
      replicas: 5, updatedReplicas: 5, availableReplicas: 5,
      conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }, { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' }],
    },
  };
  const rs = {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: {
      name: 'web-app-6czf4ncrdf', namespace: 'default', uid: 'rs-1', creationTimestamp: '2026-11-22T14:26:34Z',
      labels: { app: 'web-app', 'pod-template-hash': '6czf4ncrdf' }, annotations: { 'deployment.kubernetes.io/revision': '1' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web-app', uid: 'dep-1', controller: true }],
    },
    spec: { replicas: 5, selector: { matchLabels: { app: 'web-app', 'pod-template-hash': '6czf4ncrdf' } }, template: { ...template, metadata: { labels: { app: 'web-app', 'pod-template-hash': '6czf4ncrdf' } } } },
    status: { replicas: 5, readyReplicas: 5, availableReplicas: 5 },
  };
  return { d, rs };
}
