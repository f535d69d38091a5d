// What the apiserver fills in before storing, checked field by field against the real defaults.
import { describe, expect, it } from 'vitest';
import {
  applyDefaults, applyDefaultTolerations, applyPriorityDefaults, defaultServiceAccountName,
} from '../../../src/apiserver/admission/defaults/index.js';
import { deployment, pod } from './helpers.js';

const defaulted = (obj: any) => { applyDefaults(obj.kind, obj.apiVersion, obj); return obj; };

describe('Deployment', () => {
  it('gets the apps/v1 defaults and pod template defaults', () => {
    const d = defaulted(deployment());
    expect(d.spec).toMatchObject({
      replicas: 1,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    });
    expect(d.spec.template.spec).toEqual({
      containers: [{
        name: 'nginx', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent', resources: {},
        terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File',
      }],
      restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler',
      terminationGracePeriodSeconds: 30, securityContext: {},
    });
    // enableServiceLinks is defaulted on Pods only, not in templates
    expect(d.spec.template.spec.enableServiceLinks).toBeUndefined();
  });
  it('keeps what the user set, and gives Recreate no rollingUpdate', () => {
    const d = defaulted(deployment((x) => { x.spec.replicas = 0; x.spec.strategy = { type: 'Recreate' }; }));
    expect(d.spec.replicas).toBe(0);
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
  });
});

describe('pod spec details', () => {
  it.each([
    ['nginx', 'Always'], ['nginx:latest', 'Always'], ['nginx:1.27', 'IfNotPresent'],
    ['localhost:5000/app', 'Always'], ['localhost:5000/app:v1', 'IfNotPresent'], ['nginx@sha256:abc', 'IfNotPresent'],
  ])('imagePullPolicy for %s is %s', (image, want) => {
    const p = defaulted(pod((x) => { x.spec.containers[0].image = image; }));
    expect(p.spec.containers[0].imagePullPolicy).toBe(want);
  });
  it('defaults ports, probes, volumes and fieldRefs', () => {
    const p = defaulted(pod((x) => {
      const c = x.spec.containers[0];
      c.ports = [{ containerPort: 80 }];
      c.livenessProbe = { httpGet: { port: 80 } };
      c.env = [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }];
      x.spec.volumes = [{ name: 'a' }, { name: 'b', configMap: { name: 'cm' } }, { name: 'c', secret: { secretName: 's' } }];
    }));
    const c = p.spec.containers[0];
    expect(c.ports).toEqual([{ containerPort: 80, protocol: 'TCP' }]);
    expect(c.livenessProbe).toEqual({ httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
    expect(c.env[0].valueFrom.fieldRef).toEqual({ apiVersion: 'v1', fieldPath: 'spec.nodeName' });
    expect(p.spec.volumes).toEqual([
      { name: 'a', emptyDir: {} },
      { name: 'b', configMap: { name: 'cm', defaultMode: 420 } },
      { name: 'c', secret: { secretName: 's', defaultMode: 420 } },
    ]);
  });
  it('Pods get enableServiceLinks, requests from limits and a Pending status', () => {
    const p = defaulted(pod((x) => { x.spec.containers[0].resources = { limits: { cpu: '1', memory: '1Gi' } }; }));
    expect(p.spec.enableServiceLinks).toBe(true);
    expect(p.spec.containers[0].resources.requests).toEqual({ cpu: '1', memory: '1Gi' });
    expect(p.status).toEqual({ phase: 'Pending', qosClass: 'Guaranteed' });
    expect(defaulted(pod()).status.qosClass).toBe('BestEffort');
  });
  it('admission defaults: service account, tolerations, priority', () => {
    const p = pod();
    defaultServiceAccountName(p);
    applyDefaultTolerations(p);
    applyPriorityDefaults(p);
    expect(p.spec.serviceAccountName).toBe('default');
    expect(p.spec.tolerations).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
    expect(p.spec.priority).toBe(0);
    expect(p.spec.preemptionPolicy).toBe('PreemptLowerPriority');
    const q = pod((x) => { x.spec.tolerations = [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 }]; });
    applyDefaultTolerations(q);
    expect(q.spec.tolerations.map((t: any) => t.tolerationSeconds)).toEqual([10, 300]);
  });
});

describe('other controllers', () => {
  it('Job: counts, policies and the uid selector and labels', () => {
    const j = defaulted({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'pi', namespace: 'default', uid: 'abc-123' }, spec: { template: { spec: { containers: [{ name: 'pi', image: 'perl' }], restartPolicy: 'Never' } } } });
    expect(j.spec).toMatchObject({ completions: 1, parallelism: 1, backoffLimit: 6, completionMode: 'NonIndexed', suspend: false, podReplacementPolicy: 'TerminatingOrFailed' });
    expect(j.spec.manualSelector).toBeUndefined();
    expect(j.spec.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': 'abc-123' } });
    expect(j.spec.template.metadata.labels).toEqual({
      'batch.kubernetes.io/controller-uid': 'abc-123', 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': 'abc-123', 'job-name': 'pi',
    });
  });
  it('Job: parallelism alone leaves completions unset', () => {
    const j = defaulted({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'q', uid: 'u' }, spec: { parallelism: 3, template: { spec: {} } } });
    expect(j.spec.completions).toBeUndefined();
    expect(j.spec.parallelism).toBe(3);
  });
  it('CronJob', () => {
    const c = defaulted({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }] } } } } } });
    expect(c.spec).toMatchObject({ concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    expect(c.spec.jobTemplate.spec.template.spec.dnsPolicy).toBe('ClusterFirst');
    expect(c.spec.jobTemplate.spec.backoffLimit).toBeUndefined();
  });
  it('StatefulSet and DaemonSet', () => {
    const s = defaulted({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's' }, spec: { template: { spec: { containers: [] } }, volumeClaimTemplates: [{ metadata: { name: 'd' }, spec: {} }] } });
    expect(s.spec).toMatchObject({ replicas: 1, podManagementPolicy: 'OrderedReady', updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } }, revisionHistoryLimit: 10, persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' } });
    expect(s.spec.volumeClaimTemplates[0].spec.volumeMode).toBe('Filesystem');
    const d = defaulted({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'd' }, spec: { template: { spec: { containers: [] } } } });
    expect(d.spec).toMatchObject({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }, revisionHistoryLimit: 10 });
  });
  it('ReplicationController takes selector and labels from its template', () => {
    const rc = defaulted({ apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'r' }, spec: { template: { metadata: { labels: { app: 'x' } }, spec: { containers: [] } } } });
    expect(rc.spec.selector).toEqual({ app: 'x' });
    expect(rc.metadata.labels).toEqual({ app: 'x' });
    expect(rc.spec.replicas).toBe(1);
  });
});

describe('services and the rest', () => {
  it('Service ClusterIP', () => {
    const s = defaulted({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80 }, { port: 443, targetPort: 'https' }] } });
    expect(s.spec).toEqual({
      type: 'ClusterIP', sessionAffinity: 'None', internalTrafficPolicy: 'Cluster', ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'],
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }, { port: 443, protocol: 'TCP', targetPort: 'https' }],
    });
  });
  it('Service LoadBalancer and ExternalName', () => {
    const lb = defaulted({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } });
    expect(lb.spec).toMatchObject({ externalTrafficPolicy: 'Cluster', allocateLoadBalancerNodePorts: true });
    const np = defaulted({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } });
    expect(np.spec.externalTrafficPolicy).toBe('Cluster');
    expect(np.spec.allocateLoadBalancerNodePorts).toBeUndefined();
    const en = defaulted({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { type: 'ExternalName', externalName: 'x.example.com' } });
    expect(en.spec.ipFamilyPolicy).toBeUndefined();
    expect(en.spec.internalTrafficPolicy).toBeUndefined();
  });
  it('Secret, Namespace, PVC, NetworkPolicy, HPA', () => {
    const sec = defaulted({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { user: 'admin' } });
    expect(sec).toMatchObject({ type: 'Opaque', data: { user: 'YWRtaW4=' } });
    expect(sec.stringData).toBeUndefined();
    const ns = defaulted({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev' } });
    expect(ns.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'dev' });
    expect(ns.spec).toEqual({ finalizers: ['kubernetes'] });
    expect(ns.status).toEqual({ phase: 'Active' });
    const pvc = defaulted({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'c' }, spec: { accessModes: ['ReadWriteOnce'] } });
    expect(pvc.spec.volumeMode).toBe('Filesystem');
    const np = defaulted({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'n' }, spec: { podSelector: {}, egress: [{ ports: [{ port: 53 }] }] } });
    expect(np.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(np.spec.egress[0].ports[0].protocol).toBe('TCP');
    const hpa = defaulted({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h' }, spec: { maxReplicas: 5, scaleTargetRef: { kind: 'Deployment', name: 'd' } } });
    expect(hpa.spec.minReplicas).toBe(1);
    expect(hpa.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
    expect(hpa.spec.behavior).toBeUndefined();
  });
  it('Ingress and RBAC objects get nothing added', () => {
    const ing = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i' }, spec: { rules: [{ http: { paths: [{ path: '/', backend: {} }] } }] } };
    expect(defaulted(structuredClone(ing))).toEqual(ing);
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r' }, rules: [{ verbs: ['get'] }] };
    expect(defaulted(structuredClone(role))).toEqual(role);
  });
});
