// The failures of issue 4 as a user meets them, through the real CLI on a manual-time cluster whose
// clock starts at a pinned instant: `get`, `describe` and `events` at exact moments, compared with
// golden transcripts under test/scenario/golden/<scenario>/ (UPDATE_GOLDEN=1 rewrites them; read
// every changed line against what kubectl and the kubelet print before keeping it).
import { describe, it } from 'vitest';
import { join } from 'node:path';
import { scenario } from './golden/golden.js';

const EXAMPLES = '/work/shared/corpus/k8s-website-examples';

describe('failures, golden (manual time)', () => {
  it('crashloop: a busybox pod that exits 1 restarts, backs off 10s, 20s, 40s; describe, events and logs -p', () => {
    const s = scenario('crashloop');
    s.ok('run', 'crash', '--image=busybox:1.36', '--restart=Always', '--', 'sh', '-c', 'echo starting; sleep 2; exit 1');
    s.advance('2s');
    s.golden('get-pods-0', 'get', 'pods');
    s.advance('4s');
    s.golden('get-pods-1', 'get', 'pods');
    s.golden('describe-pod-1', 'describe', 'pod', 'crash');
    s.advance('40s');
    s.golden('get-pods-3', 'get', 'pods', '-o', 'wide');
    s.golden('describe-pod-3', 'describe', 'pod', 'crash');
    s.golden('events', 'events');
    s.golden('logs-previous', 'logs', 'crash', '-p');
  });

  it('restartPolicy Never and OnFailure: Completed, Error, and a crash loop only on failure', () => {
    const s = scenario('completed-error');
    s.ok('run', 'ok-never', '--image=busybox:1.36', '--restart=Never', '--', 'sh', '-c', 'echo done');
    s.ok('run', 'fail-never', '--image=busybox:1.36', '--restart=Never', '--', 'sh', '-c', 'echo failing; exit 3');
    s.ok('run', 'ok-onfailure', '--image=busybox:1.36', '--restart=OnFailure', '--', 'sh', '-c', 'sleep 1; echo done');
    s.ok('run', 'fail-onfailure', '--image=busybox:1.36', '--restart=OnFailure', '--', 'sh', '-c', 'exit 2');
    s.advance('30s');
    s.golden('get-pods', 'get', 'pods');
    s.golden('describe-pod-error', 'describe', 'pod', 'fail-never');
    s.golden('describe-pod-completed', 'describe', 'pod', 'ok-onfailure');
    s.golden('events', 'get', 'events', '--sort-by=.lastTimestamp');
    s.golden('logs-error', 'logs', 'fail-never');
  });

  it('OOMKilled: the docs\' memory-request-limit-2 pod uses more than its 100Mi limit', () => {
    const s = scenario('oomkilled');
    s.ok('create', 'namespace', 'mem-example');
    s.ok('apply', '-f', join(EXAMPLES, 'pods/resource/memory-request-limit-2.yaml'));
    s.advance('4s');
    s.golden('get-pod-oomkilled', 'get', 'pod', 'memory-demo-2', '--namespace=mem-example');
    s.advance('29s');
    s.golden('get-pod-crashloop', 'get', 'pod', 'memory-demo-2', '--namespace=mem-example');
    s.golden('describe-pod', 'describe', 'pod', 'memory-demo-2', '--namespace=mem-example');
    s.golden('events', 'events', '--namespace=mem-example');
  });

  it('images: ErrImagePull then ImagePullBackOff for an unknown tag, fixed by set image; InvalidImageName; a private image', () => {
    const s = scenario('image-errors');
    s.ok('create', 'deployment', 'web', '--image=nginx:1.99-nope');
    s.ok('run', 'badname', '--image=NGINX:1.25');
    s.ok('run', 'private', '--image=acme/private-app:1.0');
    s.advance('3s');
    s.golden('get-pods-errimagepull', 'get', 'pods');
    s.advance('30s');
    s.golden('get-pods-imagepullbackoff', 'get', 'pods');
    s.golden('describe-pod-unknown-tag', 'describe', 'pods', '-l', 'app=web');
    s.golden('describe-pod-invalid-name', 'describe', 'pod', 'badname');
    s.golden('events-private', 'events', '--for=pod/private');
    s.golden('rollout-status-stuck', 'rollout', 'status', 'deploy/web', '--watch=false');
    s.ok('set', 'image', 'deploy/web', 'nginx=nginx:1.25');
    s.advance('30s');
    s.golden('get-pods-fixed', 'get', 'pods', '-l', 'app=web');
    s.golden('rollout-status-fixed', 'rollout', 'status', 'deploy/web', '--watch=false');
    s.golden('events', 'get', 'events', '--sort-by=.lastTimestamp');
  });

  it('probes: the docs\' exec, http and tcp liveness examples at the moments the docs page describes', () => {
    const s = scenario('probes');
    for (const f of ['exec-liveness.yaml', 'http-liveness.yaml', 'tcp-liveness-readiness.yaml']) s.ok('apply', '-f', join(EXAMPLES, 'pods/probe', f));
    s.advance('25s');
    s.golden('get-pods-25s', 'get', 'pods');
    s.golden('describe-pod-tcp', 'describe', 'pod', 'goproxy');
    s.advance('20s');
    s.golden('events-exec-45s', 'events', '--for=pod/liveness-exec');
    s.advance('40s');
    s.golden('get-pods-85s', 'get', 'pods');
    s.golden('describe-pod-exec', 'describe', 'pod', 'liveness-exec');
    s.golden('describe-pod-http', 'describe', 'pod', 'liveness-http');
  });

  it('a readiness probe that never passes stalls a rollout until progressDeadlineSeconds: ProgressDeadlineExceeded', () => {
    const s = scenario('rollout-deadline');
    const deployment = (probe: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  progressDeadlineSeconds: 60
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
${probe}`;
    s.apply(deployment(''));
    s.advance('20s');
    s.apply(deployment(`        readinessProbe:
          httpGet: {path: /ready, port: 8081}
          periodSeconds: 5
`));
    s.advance('30s');
    s.golden('get-pods-stalled', 'get', 'pods');
    s.golden('rollout-status-stalled', 'rollout', 'status', 'deployment/web', '--watch=false');
    s.advance('40s');
    s.golden('describe-deployment', 'describe', 'deployment', 'web');
    s.golden('rollout-status-deadline', 'rollout', 'status', 'deployment/web', '--watch=false');
    s.golden('progressing-condition', 'get', 'deployment', 'web', '-o', 'jsonpath={range .status.conditions[*]}{.type} {.status} {.reason}: {.message}{"\\n"}{end}');
    s.golden('get-deployment', 'get', 'deployment', 'web');
    s.golden('describe-pod-unready', 'describe', 'pods', '-l', 'app=web,pod-template-hash!=' + s.ok('get', 'rs', '-l', 'app=web', '--sort-by=.metadata.creationTimestamp', '-o', 'jsonpath={.items[0].metadata.labels.pod-template-hash}'));
    s.golden('events', 'events');
  });

  it('node failure: a stopped worker goes NotReady, is tainted, and its pods are replaced after 300s', () => {
    const s = scenario('node-failure');
    s.ok('create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=3');
    s.advance('20s');
    s.golden('get-pods-before', 'get', 'pods', '-o', 'wide');
    s.golden('node-stop', 'node', 'stop', 'minikctl-worker2');
    s.advance('60s');
    s.golden('get-nodes-60s', 'get', 'nodes');
    s.golden('describe-node-60s', 'describe', 'node', 'minikctl-worker2');
    s.advance('6m');
    s.golden('get-pods-6m', 'get', 'pods', '-o', 'wide');
    s.golden('events-6m', 'events');
  });

  it('drain with a PodDisruptionBudget: refused while the budget forbids it, done once a replacement is Ready', () => {
    const s = scenario('drain-pdb');
    s.ok('create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=4');
    s.ok('create', 'pdb', 'web-pdb', '--selector=app=web', '--min-available=3');
    s.advance('30s');
    s.golden('get-pods-before', 'get', 'pods', '-o', 'wide');
    s.golden('get-pdb-before', 'get', 'pdb');
    s.golden('drain-blocked', 'drain', 'minikctl-worker2', '--ignore-daemonsets');
    s.advance('40s');
    s.golden('drain-done', 'drain', 'minikctl-worker2', '--ignore-daemonsets');
    s.golden('get-pods-after', 'get', 'pods', '-o', 'wide');
    s.golden('describe-pdb', 'describe', 'pdb', 'web-pdb');
    s.golden('events', 'events');
  });

  it('preemption: a high-priority pod on a full cluster evicts a lower-priority one', () => {
    const s = scenario('preemption');
    s.ok('create', 'priorityclass', 'high', '--value=1000000');
    s.apply(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: filler
spec:
  replicas: 3
  selector:
    matchLabels: {app: filler}
  template:
    metadata:
      labels: {app: filler}
    spec:
      containers:
      - name: app
        image: nginx:1.25
        resources:
          requests: {cpu: "3"}
`);
    s.advance('20s');
    s.apply(`apiVersion: v1
kind: Pod
metadata:
  name: vip
spec:
  priorityClassName: high
  containers:
  - name: app
    image: nginx:1.25
    resources:
      requests: {cpu: "3"}
`);
    s.golden('get-pods-nominated', 'get', 'pods', '-o', 'wide');
    s.advance('40s');
    s.golden('get-pods-after', 'get', 'pods', '-o', 'wide');
    s.golden('describe-pod-vip', 'describe', 'pod', 'vip');
    s.golden('events', 'events');
  });

  it('quota and limits: the docs\' quota refusal, LimitRange bounds and defaults', () => {
    const s = scenario('quota-limits');
    const R = join(EXAMPLES, 'admin/resource');
    s.ok('create', 'namespace', 'quota-mem-cpu-example');
    s.ok('apply', '-f', join(R, 'quota-mem-cpu.yaml'), '--namespace=quota-mem-cpu-example');
    s.ok('apply', '-f', join(R, 'quota-mem-cpu-pod.yaml'), '--namespace=quota-mem-cpu-example');
    s.golden('apply-over-quota', 'apply', '-f', join(R, 'quota-mem-cpu-pod-2.yaml'), '--namespace=quota-mem-cpu-example');
    s.golden('describe-quota', 'describe', 'quota', '--namespace=quota-mem-cpu-example');
    s.ok('create', 'namespace', 'constraints-cpu-example');
    s.ok('apply', '-f', join(R, 'cpu-constraints.yaml'), '--namespace=constraints-cpu-example');
    s.golden('apply-over-max', 'apply', '-f', join(R, 'cpu-constraints-pod-2.yaml'), '--namespace=constraints-cpu-example');
    s.ok('create', 'namespace', 'default-mem-example');
    s.ok('apply', '-f', join(R, 'memory-defaults.yaml'), '--namespace=default-mem-example');
    s.ok('apply', '-f', join(R, 'memory-defaults-pod.yaml'), '--namespace=default-mem-example');
    s.advance('10s');
    s.golden('describe-pod-defaults', 'describe', 'pod', 'default-mem-demo', '--namespace=default-mem-example');
  });

  it('scheduling: gated, unsatisfiable node affinity and required anti-affinity leave pods Pending with the scheduler\'s words', () => {
    const s = scenario('scheduling');
    s.ok('apply', '-f', join(EXAMPLES, 'pods/pod-with-scheduling-gates.yaml'));
    s.apply(`apiVersion: v1
kind: Pod
metadata:
  name: zoned
spec:
  nodeSelector:
    topology.kubernetes.io/zone: antarctica-east1
  containers:
  - name: app
    image: nginx:1.25
`);
    s.apply(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: spread
spec:
  replicas: 4
  selector:
    matchLabels: {app: spread}
  template:
    metadata:
      labels: {app: spread}
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector:
              matchLabels: {app: spread}
            topologyKey: kubernetes.io/hostname
      containers:
      - name: app
        image: nginx:1.25
`);
    s.advance('20s');
    s.golden('get-pods', 'get', 'pods', '-o', 'wide');
    s.golden('describe-pod-gated', 'describe', 'pod', 'test-pod');
    s.golden('events', 'get', 'events', '--field-selector=reason=FailedScheduling');
    s.ok('patch', 'pod', 'test-pod', '--type=json', '--patch=[{"op": "remove", "path": "/spec/schedulingGates"}]');
    s.advance('10s');
    s.golden('get-pod-ungated', 'get', 'pod', 'test-pod');
  });
});
