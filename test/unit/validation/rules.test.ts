// One row per validation rule, with the exact message the apiserver gives.
import { describe, expect, it } from 'vitest';
import { check, deployment, pod } from './helpers.js';

const SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_MSG = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

describe('metadata', () => {
  it.each([
    ['Deployment names are DNS-1123 subdomains', deployment((d) => { d.metadata.name = 'Foo'; }), `metadata.name: Invalid value: "Foo": ${SUBDOMAIN_MSG}`],
    ['a name is required', deployment((d) => { delete d.metadata.name; }), 'metadata.name: Required value: name or generateName is required'],
    ['Service names are DNS-1035 labels', { apiVersion: 'v1', kind: 'Service', metadata: { name: '1svc', namespace: 'default' }, spec: { ports: [{ port: 80 }] } }, `metadata.name: Invalid value: "1svc": ${DNS1035_MSG}`],
    ['Namespace names are DNS-1123 labels', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'My_ns' } }, `metadata.name: Invalid value: "My_ns": ${LABEL_MSG}`],
    ['a Namespace name may not contain dots', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a.b' } }, 'metadata.name: Invalid value: "a.b": must not contain dots'],
    ['RBAC names are path segments', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'a/b' } }, 'metadata.name: Invalid value: "a/b": may not contain \'/\''],
    ['cluster-scoped kinds refuse a namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x', namespace: 'default' } }, 'metadata.namespace: Forbidden: not allowed on this type'],
    ['label values are checked', deployment((d) => { d.metadata.labels = { app: 'a b' }; }),
      `metadata.labels: Invalid value: "a b": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`],
    ['label keys are qualified names', deployment((d) => { d.metadata.labels = { 'a/b/c': 'x' }; }),
      `metadata.labels: Invalid value: "a/b/c": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`],
    ['label values are at most 63 characters', deployment((d) => { d.metadata.labels = { app: 'x'.repeat(64) }; }), `metadata.labels: Invalid value: "${'x'.repeat(64)}": must be no more than 63 characters`],
    ['annotation keys are qualified names', deployment((d) => { d.metadata.annotations = { '-bad': 'x' }; }),
      `metadata.annotations: Invalid value: "-bad": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`],
  ])('%s', (_n, obj, want) => {
    expect(check(obj)).toContain(want);
  });
});

describe('workload controllers', () => {
  it.each([
    ['selector must match template labels', deployment((d) => { d.spec.template.metadata.labels = { app: 'two' }; }),
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"two"}: `selector` does not match template `labels`'],
    ['selector is required', deployment((d) => { delete d.spec.selector; }), 'spec.selector: Required value'],
    ['an empty selector is refused', deployment((d) => { d.spec.selector = {}; }),
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment'],
    ['replicas cannot be negative', deployment((d) => { d.spec.replicas = -1; }), 'spec.replicas: Invalid value: -1: must be greater than or equal to 0'],
    ['Deployments restart Always', deployment((d) => { d.spec.template.spec.restartPolicy = 'Never'; }),
      'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
    ['maxSurge and maxUnavailable cannot both be 0', deployment((d) => { d.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } }; }),
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0'],
    ['Recreate has no rollingUpdate', deployment((d) => { d.spec.strategy = { type: 'Recreate', rollingUpdate: {} }; }),
      "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"],
    ['strategy type values', deployment((d) => { d.spec.strategy = { type: 'Blue' }; }),
      'spec.strategy.type: Unsupported value: "Blue": supported values: "Recreate", "RollingUpdate"'],
    ['progressDeadlineSeconds exceeds minReadySeconds', deployment((d) => { d.spec.minReadySeconds = 700; }),
      'spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds'],
  ])('%s', (_n, obj, want) => {
    expect(check(obj)).toContain(want);
  });

  it('the Deployment selector is immutable', () => {
    const old = deployment();
    const cur = deployment((d) => { d.spec.selector = { matchLabels: { app: 'b' } }; d.spec.template.metadata.labels = { app: 'b' }; });
    expect(check(cur, old)).toEqual([
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"b"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    ]);
  });

  it('a DaemonSet selector must match too, and StatefulSets may mount their claim templates', () => {
    const ds = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'd', namespace: 'default' }, spec: deployment().spec };
    ds.spec.template.metadata.labels = { app: 'x' };
    expect(check(ds)).toContain('spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`');
    const sts = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's', namespace: 'default' }, spec: deployment().spec };
    sts.spec.template.spec.containers[0].volumeMounts = [{ name: 'data', mountPath: '/data' }];
    (sts.spec as any).volumeClaimTemplates = [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }];
    expect(check(sts)).toEqual([]);
  });
});

describe('pod specs', () => {
  it.each([
    ['containers are required', pod((p) => { p.spec.containers = []; }), 'spec.containers: Required value'],
    ['a container needs an image', pod((p) => { delete p.spec.containers[0].image; }), 'spec.containers[0].image: Required value'],
    ['a container needs a name', pod((p) => { delete p.spec.containers[0].name; }), 'spec.containers[0].name: Required value'],
    ['container names are DNS labels', pod((p) => { p.spec.containers[0].name = 'Web_1'; }), `spec.containers[0].name: Invalid value: "Web_1": ${LABEL_MSG}`],
    ['container names are unique', pod((p) => { p.spec.containers.push({ name: 'c', image: 'x' }); }), 'spec.containers[1].name: Duplicate value: "c"'],
    ['ports are 1-65535', pod((p) => { p.spec.containers[0].ports = [{ containerPort: 70000 }]; }),
      'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive'],
    ['containerPort is required', pod((p) => { p.spec.containers[0].ports = [{ name: 'http' }]; }), 'spec.containers[0].ports[0].containerPort: Required value'],
    ['protocols are TCP, UDP or SCTP', pod((p) => { p.spec.containers[0].ports = [{ containerPort: 80, protocol: 'HTTP' }]; }),
      'spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"'],
    ['port names are IANA service names', pod((p) => { p.spec.containers[0].ports = [{ containerPort: 80, name: 'a-very-long-port-name' }]; }),
      'spec.containers[0].ports[0].name: Invalid value: "a-very-long-port-name": must be no more than 15 characters'],
    ['requests may not exceed limits', pod((p) => { p.spec.containers[0].resources = { requests: { cpu: '2' }, limits: { cpu: '1' } }; }),
      'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1'],
    ['env names are required', pod((p) => { p.spec.containers[0].env = [{ value: 'x' }]; }), 'spec.containers[0].env[0].name: Required value'],
    ['env names cannot contain =', pod((p) => { p.spec.containers[0].env = [{ name: 'A=B', value: 'x' }]; }),
      "spec.containers[0].env[0].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='"],
    ['volume names are unique', pod((p) => { p.spec.volumes = [{ name: 'v', emptyDir: {} }, { name: 'v', emptyDir: {} }]; }), 'spec.volumes[1].name: Duplicate value: "v"'],
    ['mounts must name a volume', pod((p) => { p.spec.containers[0].volumeMounts = [{ name: 'data', mountPath: '/d' }]; }), 'spec.containers[0].volumeMounts[0].name: Not found: "data"'],
    ['restartPolicy values', pod((p) => { p.spec.restartPolicy = 'Sometimes'; }),
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'],
    ['dnsPolicy values', pod((p) => { p.spec.dnsPolicy = 'Google'; }),
      'spec.dnsPolicy: Unsupported value: "Google": supported values: "ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"'],
    ['imagePullPolicy values', pod((p) => { p.spec.containers[0].imagePullPolicy = 'Sometimes'; }),
      'spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"'],
    ['liveness successThreshold must be 1', pod((p) => { p.spec.containers[0].livenessProbe = { exec: { command: ['true'] }, successThreshold: 2 }; }),
      'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1'],
  ])('%s', (_n, obj, want) => {
    expect(check(obj)).toContain(want);
  });

  it('a running pod only lets the image (and a few fields) change', () => {
    // An update carries the stored (defaulted) object with the user's change, as kubectl edit/patch do.
    const old = pod();
    check(old);
    const cur = structuredClone(old);
    cur.spec.containers[0].image = 'busybox:1.36';
    expect(check(cur, old)).toEqual([]);
    const errs = check(pod((p) => { p.spec.containers[0].env = [{ name: 'A', value: '1' }]; }), pod());
    expect(errs).toHaveLength(1);
    expect(errs[0].startsWith('spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n')).toBe(true);
  });
});

describe('services', () => {
  const svc = (over: (s: any) => void = () => {}) => {
    const s: any = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } };
    over(s);
    return s;
  };
  it.each([
    ['ports are required', svc((s) => { s.spec.ports = []; }), 'spec.ports: Required value'],
    ['several ports need names', svc((s) => { s.spec.ports = [{ port: 80 }, { port: 443, name: 'https' }]; }), 'spec.ports[0].name: Required value'],
    ['port names are unique', svc((s) => { s.spec.ports = [{ port: 80, name: 'a' }, { port: 81, name: 'a' }]; }), 'spec.ports[1].name: Duplicate value: "a"'],
    ['port is 1-65535', svc((s) => { s.spec.ports = [{ port: 0 }]; }), 'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive'],
    ['targetPort is checked', svc((s) => { s.spec.ports = [{ port: 80, targetPort: 99999 }]; }), 'spec.ports[0].targetPort: Invalid value: 99999: must be between 1 and 65535, inclusive'],
    ['type values', svc((s) => { s.spec.type = 'Public'; }), 'spec.type: Unsupported value: "Public": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"'],
    ['ExternalName needs externalName', svc((s) => { s.spec.type = 'ExternalName'; }), 'spec.externalName: Required value'],
    ['nodePort only with NodePort/LoadBalancer', svc((s) => { s.spec.ports = [{ port: 80, nodePort: 30080 }]; }), "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"],
  ])('%s', (_n, obj, want) => {
    expect(check(obj)).toContain(want);
  });

  it('a headless service needs no ports; ExternalName needs none either', () => {
    expect(check(svc((s) => { s.spec.ports = []; s.spec.clusterIP = 'None'; }))).toEqual([]);
    expect(check(svc((s) => { s.spec = { type: 'ExternalName', externalName: 'db.example.com' }; }))).toEqual([]);
  });

  it('the cluster IP cannot change once set', () => {
    const old = svc((s) => { s.spec.clusterIP = '10.96.0.10'; s.spec.clusterIPs = ['10.96.0.10']; });
    const cur = svc((s) => { s.spec.clusterIP = '10.96.0.11'; s.spec.clusterIPs = ['10.96.0.11']; });
    expect(check(cur, old)).toContain('spec.clusterIPs[0]: Invalid value: []string{"10.96.0.11"}: may not change once set');
  });
});

describe('jobs and cronjobs', () => {
  const job = (over: (j: any) => void = () => {}) => {
    const j: any = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'pi', namespace: 'default', uid: 'uid-1' }, spec: { template: { spec: { containers: [{ name: 'pi', image: 'perl' }], restartPolicy: 'Never' } } } };
    over(j);
    return j;
  };
  const cron = (schedule: string) => ({
    apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'hello', namespace: 'default' },
    spec: { schedule, jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }], restartPolicy: 'OnFailure' } } } } },
  });
  it('a valid Job passes once its selector is generated', () => expect(check(job())).toEqual([]));
  it.each([
    ['Jobs restart OnFailure or Never', job((j) => { j.spec.template.spec.restartPolicy = 'Always'; }),
      'spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"'],
    ['a Job needs a restartPolicy other than the pod default', job((j) => { delete j.spec.template.spec.restartPolicy; }),
      'spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"'],
    ['Indexed needs completions', job((j) => { j.spec.completionMode = 'Indexed'; j.spec.parallelism = 2; }), 'spec.completions: Required value: when completion mode is Indexed'],
    ['backoffLimit is non-negative', job((j) => { j.spec.backoffLimit = -1; }), 'spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0'],
    ['schedule needs 5 fields', cron('bad'), 'spec.schedule: Invalid value: "bad": expected exactly 5 fields, found 1: [bad]'],
    ['schedule ranges', cron('61 * * * *'), 'spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61'],
    ['schedule numbers', cron('x * * * *'), 'spec.schedule: Invalid value: "x * * * *": failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['schedule is required', cron(''), 'spec.schedule: Required value'],
    ['CronJob names are at most 52 characters', { ...cron('* * * * *'), metadata: { name: 'c'.repeat(53), namespace: 'default' } },
      `metadata.name: Invalid value: "${'c'.repeat(53)}": must be no more than 52 characters`],
  ])('%s', (_n, obj, want) => {
    expect(check(obj)).toContain(want);
  });
  it('accepts descriptors, names and steps', () => {
    for (const s of ['@hourly', '*/5 * * * *', '0 9 * JAN-MAR MON-FRI', '0 0 1,15 * ?']) expect(check(cron(s))).toEqual([]);
  });
  it('the Job template is immutable', () => {
    const old = job();
    check(old);
    const cur = structuredClone(old);
    cur.spec.template.spec.containers[0].image = 'perl:5';
    expect(check(cur, old).some((m) => m.startsWith('spec.template: Invalid value: ') && m.endsWith(': field is immutable'))).toBe(true);
  });
});

describe('configmaps and secrets', () => {
  const cm = (data: any, extra: any = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' }, data, ...extra });
  it('keys are config keys', () => {
    expect(check(cm({ 'a b': 'x' }))).toEqual([
      "data[a b]: Invalid value: \"a b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    ]);
    expect(check(cm({ '..x': 'y' }))).toEqual(["data[..x]: Invalid value: \"..x\": must not start with '..'"]);
  });
  it('the total is at most 1 MiB', () => {
    expect(check(cm({ big: 'x'.repeat(1024 * 1024 + 1) }))).toEqual([': Too long: must have at most 1048576 bytes']);
    const s = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'default' }, data: { big: Buffer.alloc(1024 * 1024 + 1).toString('base64') } };
    expect(check(s)).toEqual(['data: Too long: must have at most 1048576 bytes']);
  });
  it('immutable ones cannot change', () => {
    const old = cm({ a: '1' }, { immutable: true });
    expect(check(cm({ a: '2' }, { immutable: true }), old)).toEqual(['data: Forbidden: field is immutable when `immutable` is set']);
    expect(check(cm({ a: '1' }, { immutable: false }), old)).toEqual(['immutable: Forbidden: field is immutable when `immutable` is set']);
    expect(check(cm({ a: '2' }), cm({ a: '1' }))).toEqual([]);
  });
  it('typed secrets need their keys', () => {
    const tls = { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls', metadata: { name: 't', namespace: 'default' }, data: { 'tls.crt': 'eA==' } };
    expect(check(tls)).toEqual(['data[tls.key]: Required value']);
  });
  it('a secret type cannot change', () => {
    const s = (type: string) => ({ apiVersion: 'v1', kind: 'Secret', type, metadata: { name: 's', namespace: 'default' }, data: { 'a': 'eA==' } });
    expect(check(s('other'), s('Opaque'))).toEqual(['type: Invalid value: "other": field is immutable']);
  });
});

describe('rbac, pdb, ingress, lease, hpa, pvc', () => {
  const R = 'rbac.authorization.k8s.io/v1';
  it.each([
    ['rules need verbs', { apiVersion: R, kind: 'Role', metadata: { name: 'r', namespace: 'default' }, rules: [{ apiGroups: [''], resources: ['pods'] }] },
      'rules[0].verbs: Required value: verbs must contain at least one value'],
    ['resource rules need api groups', { apiVersion: R, kind: 'ClusterRole', metadata: { name: 'r' }, rules: [{ resources: ['pods'], verbs: ['get'] }] },
      'rules[0].apiGroups: Required value: resource rules must supply at least one api group'],
    ['namespaced rules cannot use nonResourceURLs', { apiVersion: R, kind: 'Role', metadata: { name: 'r', namespace: 'default' }, rules: [{ nonResourceURLs: ['/healthz'], verbs: ['get'] }] },
      'rules[0].nonResourceURLs: Invalid value: []string{"/healthz"}: namespaced rules cannot apply to non-resource URLs'],
    ['ClusterRoleBindings bind ClusterRoles', { apiVersion: R, kind: 'ClusterRoleBinding', metadata: { name: 'b' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'x' } },
      'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"'],
    ['subject kinds', { apiVersion: R, kind: 'RoleBinding', metadata: { name: 'b', namespace: 'default' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'x' }, subjects: [{ kind: 'Robot', name: 'r' }] },
      'subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"'],
    ['PDB minAvailable and maxUnavailable are exclusive', { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p', namespace: 'default' }, spec: { minAvailable: 1, maxUnavailable: 1 } },
      'minAvailable and maxUnavailable cannot be both set'],
    ['Ingress paths need a pathType', { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i', namespace: 'default' }, spec: { rules: [{ http: { paths: [{ path: '/', backend: { service: { name: 's', port: { number: 80 } } } }] } }] } },
      'spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified'],
    ['Ingress Prefix paths are absolute', { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i', namespace: 'default' }, spec: { rules: [{ http: { paths: [{ path: 'api', pathType: 'Prefix', backend: { service: { name: 's', port: { number: 80 } } } }] } }] } },
      'spec.rules[0].http.paths[0].path: Invalid value: "api": must be an absolute path'],
    ['Lease duration is positive', { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'l', namespace: 'default' }, spec: { leaseDurationSeconds: 0 } },
      'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0'],
    ['HPA maxReplicas >= minReplicas', { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h', namespace: 'default' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'd' }, minReplicas: 3, maxReplicas: 2 } },
      'spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`'],
    ['PVC access modes', { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'c', namespace: 'default' }, spec: { resources: { requests: { storage: '1Gi' } } } },
      'spec.accessModes: Required value: at least 1 access mode is required'],
  ])('%s', (_n, obj, want) => {
    const errs = check(obj);
    expect(errs.some((e) => e === want || e.endsWith(want))).toBe(true);
  });
});

describe('generated Job selectors', () => {
  const base = () => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'pi', namespace: 'default', uid: 'uid-1' }, spec: { template: { spec: { containers: [{ name: 'pi', image: 'perl' }], restartPolicy: 'Never' } } } as any });
  it('a hand-written selector without manualSelector is refused', () => {
    const j = base();
    j.spec.selector = { matchLabels: { app: 'pi' } };
    j.spec.template.metadata = { labels: { app: 'pi' } };
    // generateSelector still adds the uid to the user's selector, as the Job strategy does
    expect(check(j)).toContain('spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"pi", "batch.kubernetes.io/controller-uid":"uid-1"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: `selector` not auto-generated');
  });
  it('manualSelector lets the user choose', () => {
    const j = base();
    j.spec.manualSelector = true;
    j.spec.selector = { matchLabels: { app: 'pi' } };
    j.spec.template.metadata = { labels: { app: 'pi' } };
    expect(check(j)).toEqual([]);
  });
  it('a CronJob jobTemplate may not carry a selector', () => {
    const c = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c', namespace: 'default' }, spec: { schedule: '@daily', jobTemplate: { spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }], restartPolicy: 'Never' } } } } } };
    expect(check(c)).toContain('spec.jobTemplate.spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"a":"b"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: `selector` will be auto-generated');
  });
});
