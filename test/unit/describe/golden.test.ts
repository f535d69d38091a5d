// Golden outputs for describers without a captured real sample; each golden was checked line by line
// against kubectl's describe.go. Regenerate with UPDATE_GOLDEN=1 only after such a check.
import { describe as suite, it, expect, beforeAll } from 'vitest';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { describe, joinDescriptions } from '../../../src/printers/describe/index.js';
import { makeLookup, webAppDeployment, ago, event } from './fixtures.js';

const GOLDEN = new URL('../../golden/describe/', import.meta.url);
function golden(name: string, actual: string): void {
  const file = new URL(`${name}.txt`, GOLDEN);
  if (process.env.UPDATE_GOLDEN || !existsSync(file)) writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

beforeAll(() => {
  process.env.TZ = 'UTC';
});

const TOLERATIONS = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

suite('describe goldens', () => {
  it('pending pod with a repeated FailedScheduling event', () => {
    const pod = {
      metadata: { name: 'big-7d4b9c', namespace: 'default', uid: 'pod-big', labels: { app: 'big' }, creationTimestamp: ago(600),
        ownerReferences: [{ kind: 'ReplicaSet', name: 'big-7d4b9c', uid: 'rs-big', controller: true }] },
      spec: {
        serviceAccountName: 'default', priority: 0, tolerations: TOLERATIONS,
        containers: [{
          name: 'app', image: 'busybox:1.36', command: ['sh', '-c', 'sleep 3600'], ports: [{ containerPort: 8080, protocol: 'TCP' }, { containerPort: 9090, protocol: 'TCP' }],
          resources: { requests: { cpu: '8', memory: '1Gi' }, limits: { memory: '1Gi' } },
          env: [{ name: 'MODE', value: 'prod' }, { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
            { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }],
          readinessProbe: { httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
          volumeMounts: [{ name: 'kube-api-access-x7k2p', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }, { name: 'cache', mountPath: '/cache' }],
        }],
        volumes: [
          { name: 'cache', emptyDir: {} },
          { name: 'kube-api-access-x7k2p', projected: { sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }, { configMap: { name: 'kube-root-ca.crt' } }, { downwardAPI: {} }] } },
        ],
      },
      status: { phase: 'Pending', qosClass: 'Burstable', conditions: [{ type: 'PodScheduled', status: 'False' }] },
    };
    const evs = [event('pod-big', 'Warning', 'FailedScheduling', 'default-scheduler',
      '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.', 600, 300, 3)];
    golden('pod-pending', describe('Pod', pod, makeLookup({}, evs)));
  });

  it('replica set with its pods counted by phase', () => {
    const { rs } = webAppDeployment();
    const pods = [0, 1, 2].map((i) => ({
      metadata: { name: `web-app-6czf4ncrdf-${i}`, namespace: 'default', labels: { app: 'web-app', 'pod-template-hash': '6czf4ncrdf' },
        ownerReferences: [{ kind: 'ReplicaSet', name: rs.metadata.name, uid: 'rs-1', controller: true }] },
      status: { phase: i === 2 ? 'Pending' : 'Running' },
    }));
    const evs = [event('rs-1', 'Normal', 'SuccessfulCreate', 'replicaset-controller', 'Created pod: web-app-6czf4ncrdf-0', 40)];
    golden('replicaset', describe('ReplicaSet', rs, makeLookup({ pods }, evs)));
  });

  it('secret shows byte counts, never values', () => {
    const s = { metadata: { name: 'db', namespace: 'default', uid: 's1' }, type: 'Opaque',
      data: { password: Buffer.from('s3cr3t-pa55').toString('base64'), username: Buffer.from('admin').toString('base64') } };
    const out = describe('Secret', s, makeLookup({}));
    expect(out).not.toContain('s3cr3t');
    golden('secret', out);
  });

  it('configmap with data and binaryData', () => {
    const cm = { metadata: { name: 'app-config', namespace: 'default', uid: 'cm1', labels: { app: 'web' } },
      data: { 'app.properties': 'color=blue\nsize=10', LOG_LEVEL: 'debug' }, binaryData: { 'logo.png': Buffer.alloc(42).toString('base64') } };
    golden('configmap', describe('ConfigMap', cm, makeLookup({})));
  });

  it('role, cluster role and role binding', () => {
    const role = { metadata: { name: 'pod-reader', namespace: 'default' }, rules: [
      { apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'watch', 'list'] },
      { apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['web'], verbs: ['get', 'patch'] },
    ] };
    const cr = { metadata: { name: 'metrics-reader' }, rules: [{ nonResourceURLs: ['/metrics'], verbs: ['get'] }, { apiGroups: [''], resources: ['nodes'], verbs: ['list'] }] };
    const rb = { metadata: { name: 'read-pods', namespace: 'default' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' },
      subjects: [{ kind: 'User', name: 'jane', apiGroup: 'rbac.authorization.k8s.io' }, { kind: 'ServiceAccount', name: 'ci', namespace: 'build' }] };
    const l = makeLookup({});
    golden('rbac', joinDescriptions([describe('Role', role, l), describe('ClusterRole', cr, l), describe('RoleBinding', rb, l)]));
  });

  it('namespace with its quota and limit range', () => {
    const ns = { metadata: { name: 'team-a', uid: 'ns1', labels: { 'kubernetes.io/metadata.name': 'team-a' } }, status: { phase: 'Active' } };
    const quota = { metadata: { name: 'compute', namespace: 'team-a' }, spec: { hard: { pods: '10', 'requests.cpu': '4', 'requests.memory': '8Gi' } },
      status: { hard: { pods: '10', 'requests.cpu': '4', 'requests.memory': '8Gi' }, used: { pods: '2', 'requests.cpu': '500m', 'requests.memory': '256Mi' } } };
    const lr = { metadata: { name: 'defaults', namespace: 'team-a' }, spec: { limits: [{ type: 'Container', default: { cpu: '500m', memory: '512Mi' }, defaultRequest: { cpu: '250m', memory: '256Mi' }, max: { cpu: '2' } }] } };
    const l = makeLookup({ resourcequotas: [quota], limitranges: [lr] });
    golden('namespace', describe('Namespace', ns, l));
    expect(describe('Namespace', { metadata: { name: 'empty' }, status: { phase: 'Active' } }, l)).toContain('\nNo resource quota.\n\nNo LimitRange resource.\n');
  });

  it('generic describer for a Lease', () => {
    const lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease',
      metadata: { name: 'node-1', namespace: 'kube-node-lease', uid: 'l1', resourceVersion: '42', creationTimestamp: '2026-11-22T14:00:00Z', managedFields: [{ manager: 'kubelet' }],
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'node-1', uid: 'n1' }] },
      spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40, renewTime: '2026-11-22T14:26:50.000000Z' } };
    const out = describe('Lease', lease, makeLookup({}));
    expect(out).not.toContain('kubelet');
    golden('lease-generic', out);
  });
});
