// The control plane's static pods, as kubeadm writes them to /etc/kubernetes/manifests on the
// control-plane machine. Its kubelet runs them from the files and shows each in the API as a mirror
// pod (kubernetes.io/config.mirror, owned by the Node), which is what `get pods -n kube-system` lists.
import type { KObject } from '../apiserver/types.js';
import type { ClusterConfig, MachineSpec } from '../cluster/config.js';
import { sha256Hex } from './catalogue.js';

const PKI = '/etc/kubernetes/pki';
const ETCD_VERSION = '3.5.16-0';

interface Manifest {
  component: string;
  image: string;
  command: string[];
  cpu: string;
  memory?: string;
  port: number;
  scheme: 'HTTP' | 'HTTPS';
  probeHost: string;
  probePath: string;
  annotations: Record<string, string>;
  mounts: [name: string, path: string, readOnly: boolean, type: string][];
}

function manifests(m: MachineSpec, cfg: ClusterConfig): Manifest[] {
  const ip = m.ip;
  const v = cfg.kubernetesVersion;
  const certs: Manifest['mounts'] = [
    ['ca-certs', '/etc/ssl/certs', true, 'DirectoryOrCreate'],
    ['etc-ca-certificates', '/etc/ca-certificates', true, 'DirectoryOrCreate'],
    ['k8s-certs', PKI, true, 'DirectoryOrCreate'],
    ['usr-local-share-ca-certificates', '/usr/local/share/ca-certificates', true, 'DirectoryOrCreate'],
    ['usr-share-ca-certificates', '/usr/share/ca-certificates', true, 'DirectoryOrCreate'],
  ];
  return [
    {
      component: 'etcd', image: `registry.k8s.io/etcd:${ETCD_VERSION}`, cpu: '100m', memory: '100Mi', port: 2381, scheme: 'HTTP', probeHost: '127.0.0.1', probePath: '/livez',
      annotations: { 'kubeadm.kubernetes.io/etcd.advertise-client-urls': `https://${ip}:2379` },
      command: [
        'etcd', `--advertise-client-urls=https://${ip}:2379`, `--cert-file=${PKI}/etcd/server.crt`, '--client-cert-auth=true', '--data-dir=/var/lib/etcd',
        '--experimental-initial-corrupt-check=true', '--experimental-watch-progress-notify-interval=5s', `--initial-advertise-peer-urls=https://${ip}:2380`,
        `--initial-cluster=${m.name}=https://${ip}:2380`, `--key-file=${PKI}/etcd/server.key`, `--listen-client-urls=https://127.0.0.1:2379,https://${ip}:2379`,
        '--listen-metrics-urls=http://127.0.0.1:2381', `--listen-peer-urls=https://${ip}:2380`, `--name=${m.name}`, `--peer-cert-file=${PKI}/etcd/peer.crt`,
        '--peer-client-cert-auth=true', `--peer-key-file=${PKI}/etcd/peer.key`, `--peer-trusted-ca-file=${PKI}/etcd/ca.crt`, '--snapshot-count=10000',
        `--trusted-ca-file=${PKI}/etcd/ca.crt`,
      ],
      mounts: [['etcd-certs', `${PKI}/etcd`, false, 'DirectoryOrCreate'], ['etcd-data', '/var/lib/etcd', false, 'DirectoryOrCreate']],
    },
    {
      component: 'kube-apiserver', image: `registry.k8s.io/kube-apiserver:${v}`, cpu: '250m', port: 6443, scheme: 'HTTPS', probeHost: ip, probePath: '/livez',
      annotations: { 'kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint': `${ip}:6443` },
      command: [
        'kube-apiserver', `--advertise-address=${ip}`, '--allow-privileged=true', '--authorization-mode=Node,RBAC', `--client-ca-file=${PKI}/ca.crt`,
        '--enable-admission-plugins=NodeRestriction', '--enable-bootstrap-token-auth=true', `--etcd-cafile=${PKI}/etcd/ca.crt`,
        `--etcd-certfile=${PKI}/apiserver-etcd-client.crt`, `--etcd-keyfile=${PKI}/apiserver-etcd-client.key`, '--etcd-servers=https://127.0.0.1:2379',
        `--kubelet-client-certificate=${PKI}/apiserver-kubelet-client.crt`, `--kubelet-client-key=${PKI}/apiserver-kubelet-client.key`,
        '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname', `--proxy-client-cert-file=${PKI}/front-proxy-client.crt`,
        `--proxy-client-key-file=${PKI}/front-proxy-client.key`, '--requestheader-allowed-names=front-proxy-client',
        `--requestheader-client-ca-file=${PKI}/front-proxy-ca.crt`, '--requestheader-extra-headers-prefix=X-Remote-Extra-',
        '--requestheader-group-headers=X-Remote-Group', '--requestheader-username-headers=X-Remote-User', '--runtime-config=', '--secure-port=6443',
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local', `--service-account-key-file=${PKI}/sa.pub`,
        `--service-account-signing-key-file=${PKI}/sa.key`, `--service-cluster-ip-range=${cfg.serviceSubnet}`, `--tls-cert-file=${PKI}/apiserver.crt`,
        `--tls-private-key-file=${PKI}/apiserver.key`,
      ],
      mounts: certs,
    },
    {
      component: 'kube-controller-manager', image: `registry.k8s.io/kube-controller-manager:${v}`, cpu: '200m', port: 10257, scheme: 'HTTPS', probeHost: '127.0.0.1', probePath: '/healthz',
      annotations: {},
      command: [
        'kube-controller-manager', '--allocate-node-cidrs=true', '--authentication-kubeconfig=/etc/kubernetes/controller-manager.conf',
        '--authorization-kubeconfig=/etc/kubernetes/controller-manager.conf', '--bind-address=127.0.0.1', `--client-ca-file=${PKI}/ca.crt`,
        `--cluster-cidr=${cfg.podSubnet}`, '--cluster-name=kind', `--cluster-signing-cert-file=${PKI}/ca.crt`, `--cluster-signing-key-file=${PKI}/ca.key`,
        '--controllers=*,bootstrapsigner,tokencleaner', '--enable-hostpath-provisioner=true', '--kubeconfig=/etc/kubernetes/controller-manager.conf',
        '--leader-elect=true', `--requestheader-client-ca-file=${PKI}/front-proxy-ca.crt`, `--root-ca-file=${PKI}/ca.crt`,
        `--service-account-private-key-file=${PKI}/sa.key`, `--service-cluster-ip-range=${cfg.serviceSubnet}`, '--use-service-account-credentials=true',
      ],
      mounts: [...certs, ['kubeconfig', '/etc/kubernetes/controller-manager.conf', true, 'FileOrCreate']],
    },
    {
      component: 'kube-scheduler', image: `registry.k8s.io/kube-scheduler:${v}`, cpu: '100m', port: 10259, scheme: 'HTTPS', probeHost: '127.0.0.1', probePath: '/livez',
      annotations: {},
      command: [
        'kube-scheduler', '--authentication-kubeconfig=/etc/kubernetes/scheduler.conf', '--authorization-kubeconfig=/etc/kubernetes/scheduler.conf',
        '--bind-address=127.0.0.1', '--kubeconfig=/etc/kubernetes/scheduler.conf', '--leader-elect=true',
      ],
      mounts: [['kubeconfig', '/etc/kubernetes/scheduler.conf', true, 'FileOrCreate']],
    },
  ];
}

function podOf(mf: Manifest, m: MachineSpec): KObject {
  const probe = (failureThreshold: number, initialDelaySeconds: number) => ({
    failureThreshold, httpGet: { host: mf.probeHost, path: mf.probePath, port: mf.port, scheme: mf.scheme },
    initialDelaySeconds, periodSeconds: 10, successThreshold: 1, timeoutSeconds: 15,
  });
  const requests: Record<string, string> = { cpu: mf.cpu };
  if (mf.memory) requests.memory = mf.memory;
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name: `${mf.component}-${m.name}`, namespace: 'kube-system',
      labels: { component: mf.component, tier: 'control-plane' },
      annotations: { ...mf.annotations },
    },
    spec: {
      containers: [{
        command: mf.command, image: mf.image, imagePullPolicy: 'IfNotPresent', name: mf.component,
        livenessProbe: probe(8, 10), startupProbe: probe(24, 10), resources: { requests },
        terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File',
        volumeMounts: mf.mounts.map(([name, mountPath, readOnly]) => ({ mountPath, name, ...(readOnly ? { readOnly: true } : {}) })),
      }],
      dnsPolicy: 'ClusterFirst', enableServiceLinks: true, hostNetwork: true, nodeName: m.name,
      preemptionPolicy: 'PreemptLowerPriority', priority: 2000001000, priorityClassName: 'system-node-critical',
      restartPolicy: 'Always', schedulerName: 'default-scheduler', securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      terminationGracePeriodSeconds: 30, tolerations: [{ effect: 'NoExecute', operator: 'Exists' }],
      volumes: mf.mounts.map(([name, , , type]) => ({ hostPath: { path: pathOf(mf, name), type }, name })),
    },
  };
}

function pathOf(mf: Manifest, volume: string): string {
  const mount = mf.mounts.find(([n]) => n === volume)!;
  return mount[1];
}

/** The static pods of a machine (the control plane's four on a control-plane machine). */
export function staticPods(m: MachineSpec, cfg: ClusterConfig): KObject[] {
  if (m.role !== 'control-plane') return [];
  return manifests(m, cfg).map((mf) => podOf(mf, m));
}

/**
 * The mirror pod the kubelet posts for a static pod: the manifest's hash in config.hash and
 * config.mirror, where it came from, when it was seen, and the Node as owner (so it goes with it).
 */
export function mirrorPod(pod: KObject, node: KObject, seenAt: string): KObject {
  const mirror = structuredClone(pod);
  const hash = sha256Hex(JSON.stringify(pod)).slice(0, 32);
  mirror.metadata!.annotations = {
    ...mirror.metadata!.annotations,
    'kubernetes.io/config.hash': hash, 'kubernetes.io/config.mirror': hash, 'kubernetes.io/config.seen': seenAt, 'kubernetes.io/config.source': 'file',
  };
  mirror.metadata!.ownerReferences = [{ apiVersion: 'v1', controller: true, kind: 'Node', name: node.metadata!.name!, uid: node.metadata!.uid! }];
  return mirror;
}
