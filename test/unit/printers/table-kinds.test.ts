// One object per kind, with the row kubectl shows for it (reasoned from printers.go).
import { describe, it, expect } from 'vitest';
import { tableRows, printTable, noResourcesMessage, hasTableFor } from '../../../src/printers/table/index.js';
import { NOW, ago } from './fixtures.js';

const meta = (name: string, s = 3600, extra: any = {}) => ({ name, namespace: 'default', creationTimestamp: ago(s), ...extra });
const rows = (kind: string, obj: any, wide = false) => tableRows(kind, [obj], { now: NOW, wide });

describe('per-kind columns', () => {
  it.each<[string, any, string[], string[], boolean?]>([
    ['Namespace', { metadata: meta('dev'), status: { phase: 'Active' } }, ['NAME', 'STATUS', 'AGE'], ['dev', 'Active', '60m']],
    ['ConfigMap', { metadata: meta('cfg'), data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } }, ['NAME', 'DATA', 'AGE'], ['cfg', '3', '60m']],
    ['Secret', { metadata: meta('s'), type: 'Opaque', data: { u: 'eA==' } }, ['NAME', 'TYPE', 'DATA', 'AGE'], ['s', 'Opaque', '1', '60m']],
    ['ServiceAccount', { metadata: meta('default') }, ['NAME', 'SECRETS', 'AGE'], ['default', '0', '60m']],
    ['Role', { metadata: meta('reader', 0, { creationTimestamp: '2024-04-30T08:15:00Z' }) }, ['NAME', 'CREATED AT'], ['reader', '2024-04-30T08:15:00Z']],
    ['ClusterRole', { metadata: { name: 'admin', creationTimestamp: '2024-04-30T08:15:00Z' } }, ['NAME', 'CREATED AT'], ['admin', '2024-04-30T08:15:00Z']],
    [
      'RoleBinding',
      {
        metadata: meta('rb'),
        roleRef: { kind: 'ClusterRole', name: 'view' },
        subjects: [
          { kind: 'User', name: 'jane' },
          { kind: 'User', name: 'bob' },
          { kind: 'Group', name: 'devs' },
          { kind: 'ServiceAccount', name: 'ci', namespace: 'tools' },
        ],
      },
      ['NAME', 'ROLE', 'AGE', 'USERS', 'GROUPS', 'SERVICEACCOUNTS'],
      ['rb', 'ClusterRole/view', '60m', 'jane, bob', 'devs', 'tools/ci'],
      true,
    ],
    [
      'Job',
      { metadata: meta('pi'), spec: { completions: 3, parallelism: 1, template: { spec: { containers: [{ name: 'pi', image: 'perl' }] } } }, status: { succeeded: 1, startTime: ago(125) } },
      ['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE'],
      ['pi', 'Running', '1/3', '2m5s', '60m'],
    ],
    [
      'Job',
      {
        metadata: meta('done'),
        spec: { completions: 1 },
        status: { succeeded: 1, startTime: ago(600), completionTime: ago(588), conditions: [{ type: 'SuccessCriteriaMet', status: 'True' }, { type: 'Complete', status: 'True' }] },
      },
      ['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE'],
      ['done', 'Complete', '1/1', '12s', '60m'],
    ],
    ['Job', { metadata: meta('par'), spec: { parallelism: 4 }, status: { conditions: [{ type: 'Failed', status: 'True' }] } }, ['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE'], ['par', 'Failed', '0/1 of 4', '', '60m']],
    [
      'CronJob',
      { metadata: meta('nightly'), spec: { schedule: '0 2 * * *', suspend: false, jobTemplate: { spec: { template: { spec: { containers: [{ name: 'b', image: 'busybox' }] } } } } }, status: { active: [{ name: 'x' }], lastScheduleTime: ago(300) } },
      ['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR'],
      ['nightly', '0 2 * * *', '<none>', 'False', '1', '5m', '60m', 'b', 'busybox', '<none>'],
      true,
    ],
    ['CronJob', { metadata: meta('tz'), spec: { schedule: '@hourly', timeZone: 'Europe/Paris' } }, ['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE'], ['tz', '@hourly', 'Europe/Paris', '<unset>', '0', '<none>', '60m']],
    [
      'DaemonSet',
      {
        metadata: meta('fluentd'),
        spec: { selector: { matchLabels: { name: 'fluentd' } }, template: { spec: { nodeSelector: { 'kubernetes.io/os': 'linux' }, containers: [{ name: 'f', image: 'fluentd:v1' }] } } },
        status: { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 3, numberAvailable: 2 },
      },
      ['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR'],
      ['fluentd', '3', '3', '2', '3', '2', 'kubernetes.io/os=linux', '60m', 'f', 'fluentd:v1', 'name=fluentd'],
      true,
    ],
    ['StatefulSet', { metadata: meta('db'), spec: { replicas: 3, template: { spec: { containers: [{ name: 'pg', image: 'postgres:16' }] } } }, status: { readyReplicas: 1 } }, ['NAME', 'READY', 'AGE'], ['db', '1/3', '60m']],
    [
      'ReplicationController',
      { metadata: meta('rc'), spec: { replicas: 2, selector: { app: 'rc' }, template: { spec: { containers: [{ name: 'n', image: 'nginx' }] } } }, status: { replicas: 2, readyReplicas: 2 } },
      ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR'],
      ['rc', '2', '2', '2', '60m', 'n', 'nginx', 'app=rc'],
      true,
    ],
    [
      'ResourceQuota',
      { metadata: meta('quota'), status: { hard: { pods: '10', 'requests.cpu': '1', 'limits.memory': '2Gi', 'limits.cpu': '2' }, used: { pods: '1', 'requests.cpu': '250m', 'limits.cpu': '500m' } } },
      ['NAME', 'AGE', 'REQUEST', 'LIMIT'],
      ['quota', '60m', 'pods: 1/10, requests.cpu: 250m/1', 'limits.cpu: 500m/2, limits.memory: 0/2Gi'],
    ],
    ['LimitRange', { metadata: meta('lr', 0, { creationTimestamp: '2024-04-01T00:00:00Z' }) }, ['NAME', 'CREATED AT'], ['lr', '2024-04-01T00:00:00Z']],
    ['PodDisruptionBudget', { metadata: meta('pdb'), spec: { minAvailable: '50%' }, status: { disruptionsAllowed: 1 } }, ['NAME', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS', 'AGE'], ['pdb', '50%', 'N/A', '1', '60m']],
    [
      'Ingress',
      { metadata: meta('ing'), spec: { ingressClassName: 'nginx', rules: [{ host: 'a.example.com' }, { host: 'b.example.com' }], tls: [{ hosts: ['a.example.com'] }] }, status: { loadBalancer: { ingress: [{ ip: '172.18.0.10' }] } } },
      ['NAME', 'CLASS', 'HOSTS', 'ADDRESS', 'PORTS', 'AGE'],
      ['ing', 'nginx', 'a.example.com,b.example.com', '172.18.0.10', '80, 443', '60m'],
    ],
    ['Ingress', { metadata: meta('any'), spec: { rules: [{ http: {} }] } }, ['NAME', 'CLASS', 'HOSTS', 'ADDRESS', 'PORTS', 'AGE'], ['any', '<none>', '*', '', '80', '60m']],
    ['IngressClass', { metadata: meta('nginx'), spec: { controller: 'k8s.io/ingress-nginx' } }, ['NAME', 'CONTROLLER', 'PARAMETERS', 'AGE'], ['nginx', 'k8s.io/ingress-nginx', '<none>', '60m']],
    ['NetworkPolicy', { metadata: meta('deny'), spec: { podSelector: {} } }, ['NAME', 'POD-SELECTOR', 'AGE'], ['deny', '<none>', '60m']],
    [
      'NetworkPolicy',
      { metadata: meta('np'), spec: { podSelector: { matchLabels: { role: 'db' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'dev'] }, { key: 'canary', operator: 'DoesNotExist' }] } } },
      ['NAME', 'POD-SELECTOR', 'AGE'],
      ['np', '!canary,env in (dev,prod),role=db', '60m'],
    ],
    ['Lease', { metadata: meta('kube-scheduler'), spec: { holderIdentity: 'control-plane_1234' } }, ['NAME', 'HOLDER', 'AGE'], ['kube-scheduler', 'control-plane_1234', '60m']],
    [
      'PersistentVolumeClaim',
      { metadata: meta('data'), spec: { volumeName: 'pv-1', storageClassName: 'standard', resources: { requests: { storage: '1Gi' } } }, status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } } },
      ['NAME', 'STATUS', 'VOLUME', 'CAPACITY', 'ACCESS MODES', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'AGE', 'VOLUMEMODE'],
      ['data', 'Bound', 'pv-1', '1Gi', 'RWO', 'standard', '<unset>', '60m', '<unset>'],
      true,
    ],
    [
      'PersistentVolumeClaim',
      { metadata: meta('wait'), spec: { storageClassName: 'standard', volumeMode: 'Filesystem' }, status: { phase: 'Pending' } },
      ['NAME', 'STATUS', 'VOLUME', 'CAPACITY', 'ACCESS MODES', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'AGE'],
      ['wait', 'Pending', '', '', '', 'standard', '<unset>', '60m'],
    ],
    [
      'PersistentVolume',
      {
        metadata: { name: 'pv-1', creationTimestamp: ago(3600) },
        spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteMany', 'ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Delete', claimRef: { namespace: 'default', name: 'data' }, storageClassName: 'standard' },
        status: { phase: 'Bound' },
      },
      ['NAME', 'CAPACITY', 'ACCESS MODES', 'RECLAIM POLICY', 'STATUS', 'CLAIM', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'REASON', 'AGE'],
      ['pv-1', '1Gi', 'RWO,RWX', 'Delete', 'Bound', 'default/data', 'standard', '<unset>', '', '60m'],
    ],
    [
      'StorageClass',
      { metadata: { name: 'standard', creationTimestamp: ago(3600), annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }, provisioner: 'rancher.io/local-path', volumeBindingMode: 'WaitForFirstConsumer' },
      ['NAME', 'PROVISIONER', 'RECLAIMPOLICY', 'VOLUMEBINDINGMODE', 'ALLOWVOLUMEEXPANSION', 'AGE'],
      ['standard (default)', 'rancher.io/local-path', 'Delete', 'WaitForFirstConsumer', 'false', '60m'],
    ],
    [
      'HorizontalPodAutoscaler',
      {
        metadata: meta('web'),
        spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 10, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] },
        status: { currentReplicas: 3, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 42 } } }] },
      },
      ['NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE'],
      ['web', 'Deployment/web', 'cpu: 42%/50%', '1', '10', '3', '60m'],
    ],
    [
      'HorizontalPodAutoscaler',
      { metadata: meta('new'), spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 5, metrics: [{ type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } } }] }, status: {} },
      ['NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE'],
      ['new', 'Deployment/web', 'memory: <unknown>/80%', '<unset>', '5', '0', '60m'],
    ],
    [
      'PriorityClass',
      { metadata: { name: 'system-cluster-critical', creationTimestamp: ago(3600) }, value: 2000000000, preemptionPolicy: 'PreemptLowerPriority' },
      ['NAME', 'VALUE', 'GLOBAL-DEFAULT', 'AGE', 'PREEMPTIONPOLICY'],
      ['system-cluster-critical', '2000000000', 'false', '60m', 'PreemptLowerPriority'],
    ],
    [
      'ControllerRevision',
      { metadata: meta('db-6b8f9', 3600, { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'u', controller: true }] }), revision: 2 },
      ['NAME', 'CONTROLLER', 'REVISION', 'AGE'],
      ['db-6b8f9', 'statefulset.apps/db', '2', '60m'],
    ],
    [
      'EndpointSlice',
      {
        metadata: meta('web-abc12'),
        addressType: 'IPv4',
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
        endpoints: [{ addresses: ['10.244.1.5'] }, { addresses: ['10.244.2.17'] }, { addresses: ['10.244.1.9'] }, { addresses: ['10.244.2.30'] }],
      },
      ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE'],
      ['web-abc12', 'IPv4', '8080', '10.244.1.5,10.244.2.17,10.244.1.9 + 1 more...', '60m'],
    ],
    ['EndpointSlice', { metadata: meta('empty'), addressType: 'IPv4' }, ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE'], ['empty', 'IPv4', '<unset>', '<unset>', '60m']],
    ['Widget', { metadata: meta('w1', 90) }, ['NAME', 'AGE'], ['w1', '90s']],
  ])('%s', (kind, obj, header, row, wide) => {
    expect(rows(kind, obj, wide)).toEqual([header, row]);
  });

  it('knows every kind the brief lists', () => {
    for (const k of ['Pod', 'ReplicaSet', 'Deployment', 'Service', 'Endpoints', 'EndpointSlice', 'Namespace', 'Node', 'Event', 'ClusterRoleBinding', 'CronJob', 'IngressClass']) {
      expect(hasTableFor(k)).toBe(true);
    }
  });
});

describe('table layout', () => {
  it('pads every column but the last to its widest cell plus 3, at least 6', () => {
    const out = printTable('Namespace', [{ metadata: { name: 'a', creationTimestamp: ago(5) }, status: { phase: 'Active' } }], { now: NOW });
    expect(out).toBe('NAME   STATUS   AGE\na      Active   5s\n');
  });

  it('cuts a multi-line cell at its first line and marks it with ...', () => {
    const ev = { metadata: meta('e'), involvedObject: { kind: 'Pod', name: 'p' }, reason: 'Failed', type: 'Warning', message: 'line one\nline two', lastTimestamp: ago(10) };
    expect(rows('Event', ev)[1]).toEqual(['10s', 'Warning', 'Failed', 'pod/p', 'line one...']);
  });

  it('prints nothing for an empty list; the caller prints the stderr message', () => {
    expect(printTable('Pod', [], { now: NOW })).toBe('');
    expect(noResourcesMessage('default')).toBe('No resources found in default namespace.');
    expect(noResourcesMessage()).toBe('No resources found');
  });

  it('uses a CRD\'s additionalPrinterColumns when given', () => {
    const cr = { metadata: meta('my-db'), spec: { engine: 'postgres', replicas: 2 } };
    const out = tableRows('Database', [cr], {
      now: NOW,
      printerColumns: [
        { name: 'Engine', jsonPath: '.spec.engine', type: 'string' },
        { name: 'Replicas', jsonPath: '.spec.replicas', type: 'integer' },
        { name: 'Missing', jsonPath: '.status.phase', type: 'string' },
        { name: 'Debug', jsonPath: '.spec.debug', priority: 1 },
        { name: 'Age', jsonPath: '.metadata.creationTimestamp', type: 'date' },
      ],
    });
    expect(out).toEqual([
      ['NAME', 'ENGINE', 'REPLICAS', 'MISSING', 'AGE'],
      ['my-db', 'postgres', '2', '', '60m'],
    ]);
    expect(tableRows('Database', [cr], { now: NOW, printerColumns: [] })).toEqual([
      ['NAME', 'AGE'],
      ['my-db', '60m'],
    ]);
  });
});
