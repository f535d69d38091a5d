// The deploy verbs (rollout, scale, set, wait) driven as a user drives them: kubectl's words,
// streams and exit codes. Tests named "(pipeline)" need the deployment controller, scheduler and
// kubelet to have made pods; the others work on objects the test creates itself.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, freshHome } from './helpers.js';

const hasKubectl = spawnSync('kubectl', ['version', '--client']).status === 0;
const INSTANT = { MINIKCTL_TIME: 'instant' };

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      initContainers:
      - name: init
        image: busybox
      containers:
      - name: nginx
        image: nginx:1.25
        ports:
        - containerPort: 80
      - name: side
        image: envoy
        env:
        - name: A
          value: "1"
`;

const OTHERS = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
      - name: nginx
        image: postgres
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: cj
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: nginx
            image: busybox
---
apiVersion: v1
kind: Service
metadata:
  name: svc
spec:
  ports:
  - port: 80
`;

function files(): { home: string; deploy: string; others: string } {
  const home = freshHome();
  const deploy = join(home, 'deploy.yaml');
  const others = join(home, 'others.yaml');
  writeFileSync(deploy, DEPLOY);
  writeFileSync(others, OTHERS);
  return { home, deploy, others };
}

const result = (r: { stdout: string; stderr: string; code: number }) => ({ stdout: r.stdout, stderr: r.stderr, code: r.code });

describe.skipIf(!hasKubectl)('set --local against kubectl (needs kubectl)', () => {
  const { home, deploy, others } = files();
  const cases: string[][] = [
    ['set', 'image', '-f', deploy, 'nginx=nginx:1.26', '--local', '-o', 'yaml'],
    ['set', 'image', '-f', deploy, '-f', others, '*=alpine', '--local', '-o', 'yaml'],
    ['set', 'image', '-f', deploy, 'nginx=nginx:1.26', '--local'],
    ['set', 'image', '-f', deploy, 'nginx=nginx:1.25', '--local'],
    ['set', 'image', '-f', deploy, '-f', others, 'nope=x', '--local'],
    ['set', 'image', '-f', deploy, 'nope=x', '--local'],
    ['set', 'image', '-f', deploy, '--local'],
    ['set', 'image', 'deploy/web', 'nginx=x', '--local'],
    ['set', 'image', '-f', deploy, 'nginx=x', '--local', '--dry-run=client', '-o', 'name'],
    ['set', 'env', '-f', deploy, 'FOO=bar', 'A=2', '--local', '-o', 'yaml'],
    ['set', 'env', '-f', deploy, 'A-', '-c', 'side', '--local', '-o', 'json'],
    ['set', 'env', '-f', deploy, 'FOO=bar', '-c', 'nope', '--local'],
    ['set', 'env', '-f', deploy, '--list', '--local'],
    ['set', 'resources', '-f', deploy, '--local', '--limits=cpu=200m,memory=512Mi', '--requests=cpu=0.1', '-o', 'yaml'],
    ['set', 'resources', '-f', deploy, '--local', '-c', 'side', '--limits=cpu=1'],
    ['set', 'resources', '-f', deploy, '--local', '-c', 'nope', '--limits=cpu=1'],
    ['set', 'resources', '-f', deploy, '--local'],
    ['set', 'resources', '-f', deploy, '--local', '--limits=cpu=abc'],
  ];
  for (const args of cases) {
    it(`minikctl ${args.map((a) => a.replace(home, '.')).join(' ')}`, () => {
      const k = spawnSync('kubectl', args, { encoding: 'utf8', env: { ...process.env, KUBECONFIG: '/dev/null' } });
      const m = run(args, { home });
      expect(result(m)).toEqual({ stdout: k.stdout, stderr: k.stderr, code: k.status });
    });
  }
});

describe('set on the server', () => {
  const { home, deploy, others } = files();
  run(['apply', '-f', deploy, '-f', others], { home, env: INSTANT });
  const image = () => run(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[*].image}'], { home }).stdout;

  it('updates images, says nothing when nothing changes, reports unknown containers', () => {
    expect(result(run(['set', 'image', 'deployment/web', 'nginx=nginx:1.26'], { home }))).toEqual({ stdout: 'deployment.apps/web image updated\n', stderr: '', code: 0 });
    expect(image()).toBe('nginx:1.26 envoy');
    expect(result(run(['set', 'image', 'deployment/web', 'nginx=nginx:1.26'], { home }))).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(result(run(['set', 'image', 'deploy/web', 'nope=x'], { home }))).toEqual({ stdout: '', stderr: 'error: unable to find container named "nope"\n', code: 1 });
    expect(result(run(['set', 'image', 'svc/svc', 'a=b'], { home }))).toEqual({
      stdout: '', stderr: 'error: services/svc the object is not a pod or does not have a pod template: *v1.Service\n', code: 1,
    });
    expect(result(run(['set', 'image', 'deploy/nope', 'a=b'], { home }))).toEqual({ stdout: '', stderr: 'Error from server (NotFound): deployments.apps "nope" not found\n', code: 1 });
  });

  it('does dry runs without changing the object', () => {
    expect(run(['set', 'image', 'deploy/web', 'nginx=nginx:9', '--dry-run=client', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'], { home }).stdout).toBe('nginx:9');
    expect(run(['set', 'image', 'deploy/web', 'nginx=nginx:9', '--dry-run=server'], { home }).stdout).toBe('deployment.apps/web image updated (server dry run)\n');
    expect(image()).toBe('nginx:1.26 envoy');
  });

  it('sets env and resources on every kind with a pod template', () => {
    expect(run(['set', 'env', 'sts/db', 'cronjob/cj', 'MODE=prod'], { home }).stdout).toBe('statefulset.apps/db env updated\ncronjob.batch/cj env updated\n');
    expect(run(['set', 'env', 'sts/db', '--list'], { home }).stdout).toBe('# StatefulSet db, container nginx\nMODE=prod\n');
    expect(run(['set', 'resources', 'deploy/web', '-c', 'nginx', '--limits=cpu=200m', '--requests=memory=1024Mi'], { home }).stdout).toBe(
      'deployment.apps/web resource requirements updated\n');
    const c = JSON.parse(run(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].resources}'], { home }).stdout);
    expect(c).toEqual({ limits: { cpu: '200m' }, requests: { memory: '1Gi' } });
  });
});

describe('scale', () => {
  const { home, deploy } = files();
  run(['apply', '-f', deploy], { home, env: INSTANT });

  it('scales through the scale subresource, with the current-replicas precondition', () => {
    expect(result(run(['scale', 'deploy/web', '--replicas=3'], { home }))).toEqual({ stdout: 'deployment.apps/web scaled\n', stderr: '', code: 0 });
    expect(run(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'], { home }).stdout).toBe('3');
    expect(result(run(['scale', 'deploy/web', '--replicas=1', '--current-replicas=2'], { home }))).toEqual({ stdout: '', stderr: 'error: Expected replicas to be 2, was 3\n', code: 1 });
    expect(run(['scale', '-f', deploy, '--replicas=1', '--current-replicas=3'], { home }).stdout).toBe('deployment.apps/web scaled\n');
    expect(run(['scale', 'deploy/web', '--replicas=5', '--dry-run=client'], { home }).stdout).toBe('deployment.apps/web scaled (dry run)\n');
    expect(run(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'], { home }).stdout).toBe('1');
  });

  it('refuses bad or missing counts as kubectl does', () => {
    expect(result(run(['scale', 'deploy/web', '--replicas=-1'], { home }))).toEqual({
      stdout: '', stderr: 'error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n', code: 1,
    });
    expect(run(['scale', 'deploy/web'], { home }).stderr).toMatch(/\] "command failed" err="required flag\(s\) \\"replicas\\" not set"\n$/);
    expect(run(['scale', 'deploy/web', '--replicas=x'], { home }).stderr).toBe(
      'Error: invalid argument "x" for "--replicas" flag: strconv.ParseInt: parsing "x": invalid syntax\nSee \'minikctl scale --help\' for usage.\n');
    expect(run(['scale', 'deploy/nope', '--replicas=1'], { home }).stderr).toBe('Error from server (NotFound): deployments.apps "nope" not found\n');
  });
});

describe('rollout pause, resume, restart', () => {
  const { home, deploy } = files();
  run(['apply', '-f', deploy], { home, env: { MINIKCTL_TIME: 'manual' } });

  it('pauses and resumes once, and says so when asked twice', () => {
    expect(result(run(['rollout', 'pause', 'deploy/web'], { home }))).toEqual({ stdout: 'deployment.apps/web paused\n', stderr: '', code: 0 });
    expect(result(run(['rollout', 'pause', 'deploy/web'], { home }))).toEqual({ stdout: '', stderr: 'error: deployments.apps "web" is already paused\n', code: 1 });
    expect(result(run(['rollout', 'restart', 'deploy/web'], { home }))).toEqual({
      stdout: '', stderr: 'error: deployments.apps "web" can\'t restart paused deployment (run rollout resume first)\n', code: 1,
    });
    expect(result(run(['rollout', 'resume', 'deploy/web'], { home }))).toEqual({ stdout: 'deployment.apps/web resumed\n', stderr: '', code: 0 });
    expect(result(run(['rollout', 'resume', 'deploy/web'], { home }))).toEqual({ stdout: '', stderr: 'error: deployments.apps "web" is not paused\n', code: 1 });
    expect(run(['rollout', 'pause'], { home }).stderr).toBe('error: required resource not specified\n');
  });

  it('restarts with the virtual clock, and refuses a second restart within the same second', () => {
    expect(run(['rollout', 'restart', 'deploy/web'], { home }).stdout).toBe('deployment.apps/web restarted\n');
    const stamp = run(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}'], { home }).stdout;
    const created = run(['get', 'deploy', 'web', '-o', 'jsonpath={.metadata.creationTimestamp}'], { home }).stdout;
    // The manual clock has not moved since the Deployment was made.
    expect(stamp).toBe(created);
    expect(result(run(['rollout', 'restart', 'deploy/web'], { home }))).toEqual({
      stdout: '', stderr: 'error: failed to create patch for web: if restart has already been triggered within the past second, please wait before attempting to trigger another\n', code: 1,
    });
  });

  it('fails fast in manual mode instead of waiting for ever', () => {
    const r = run(['rollout', 'status', 'deploy/web'], { home });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^Waiting for deployment/);
    expect(r.stderr).toContain('minikctl cluster advance');
    expect(result(run(['rollout', 'status', 'pod/x'], { home }))).toEqual({ stdout: '', stderr: 'Error from server (NotFound): pods "x" not found\n', code: 1 });
    expect(run(['rollout', 'status', 'deploy/web', '--revision=-1'], { home }).stderr).toBe('error: revision must be a positive integer: -1\n');
  });
});

describe('wait', () => {
  const home = freshHome();
  run(['create', 'configmap', 'c', '--from-literal=a=1'], { home, env: INSTANT });

  it('waits for jsonpath values, deletion and creation', () => {
    expect(result(run(['wait', '--for=jsonpath={.data.a}=1', 'configmap/c'], { home }))).toEqual({ stdout: 'configmap/c condition met\n', stderr: '', code: 0 });
    expect(result(run(['wait', '--for=create', 'configmap/c'], { home }))).toEqual({ stdout: 'configmap/c condition met\n', stderr: '', code: 0 });
    expect(result(run(['wait', '--for=delete', 'configmap/gone'], { home }))).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(result(run(['wait', '--for=jsonpath={.data.a}=2', 'configmap/c', '--timeout=0'], { home }))).toEqual({
      stdout: '', stderr: 'error: condition not met for configmaps/c\n', code: 1,
    });
    expect(result(run(['wait', '--for=jsonpath={.data.a}=2', 'configmap/c', '--timeout=300ms'], { home }))).toEqual({
      stdout: '', stderr: 'error: timed out waiting for the condition on configmaps/c\n', code: 1,
    });
  });

  it('reports what kubectl reports for bad conditions and missing objects', () => {
    expect(run(['wait', 'configmap/c'], { home }).stderr).toBe('error: unrecognized condition: ""\n');
    expect(run(['wait', '--for=condition=Ready', 'pod/nope'], { home }).stderr).toBe('Error from server (NotFound): pods "nope" not found\n');
    expect(run(['wait', '--for=condition=Ready', 'pod', '-l', 'app=none'], { home }).stderr).toBe('error: no matching resources found\n');
  });
});

describe('rollout history, undo, status (pipeline: deployment controller, scheduler, kubelet)', () => {
  const { home, deploy } = files();
  run(['apply', '-f', deploy], { home, env: INSTANT });
  run(['set', 'image', 'deploy/web', 'nginx=nginx:1.26'], { home });
  run(['set', 'image', 'deploy/web', 'nginx=nginx:1.27'], { home });
  // The change cause names the current revision: the controller copies it onto the new ReplicaSet.
  run(['annotate', 'deploy/web', 'kubernetes.io/change-cause=to 1.27'], { home });

  it('shows the revisions and one revision\'s template', () => {
    expect(result(run(['rollout', 'history', 'deploy/web'], { home }))).toEqual({
      stdout: 'deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n3         to 1.27\n\n', stderr: '', code: 0,
    });
    const one = run(['rollout', 'history', 'deploy/web', '--revision=2'], { home }).stdout;
    expect(one).toMatch(/^deployment\.apps\/web with revision #2\nPod Template:\n  Labels:\tapp=web\n\tpod-template-hash=\w+\n/);
    expect(one).toContain('    Image:\tnginx:1.26\n');
    expect(run(['rollout', 'history', 'deploy/web', '--revision=7'], { home }).stderr).toBe('error: unable to find the specified revision\n');
  });

  it('rolls back, skips a rollback to the current template, refuses unknown revisions', () => {
    expect(result(run(['rollout', 'undo', 'deploy/web'], { home }))).toEqual({ stdout: 'deployment.apps/web rolled back\n', stderr: '', code: 0 });
    expect(run(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'], { home }).stdout).toBe('nginx:1.26');
    expect(run(['rollout', 'undo', 'deploy/web', '--to-revision=4'], { home }).stdout).toBe('deployment.apps/web skipped rollback (current template already matches revision 4)\n');
    expect(result(run(['rollout', 'undo', 'deploy/web', '--to-revision=2'], { home }))).toEqual({ stdout: '', stderr: 'error: unable to find specified revision 2 in history\n', code: 1 });
    expect(run(['rollout', 'history', 'deploy/web'], { home }).stdout).toBe('deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n3         to 1.27\n4         <none>\n\n');
  });

  it('reports a finished rollout and waits for conditions', () => {
    expect(result(run(['rollout', 'status', 'deploy/web', '--timeout=20s'], { home }))).toEqual({ stdout: 'deployment "web" successfully rolled out\n', stderr: '', code: 0 });
    expect(result(run(['wait', '--for=condition=Available', 'deploy/web', '--timeout=20s'], { home }))).toEqual({ stdout: 'deployment.apps/web condition met\n', stderr: '', code: 0 });
  });
});
