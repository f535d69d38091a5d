// `minikctl describe` as a user runs it: what kubectl 1.32 prints (describe.go), first for objects no
// controller, scheduler or kubelet has acted on (a paused Deployment, a pod for a scheduler that does
// not exist, a Job and CronJob this cluster runs no controller for), then for what the control plane does.
import { describe, expect, it } from 'vitest';
import { writeFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { run as runCli, freshHome } from './helpers.js';

// Manual time: the control plane does what it does at once (a ReplicaSet and its pods, scheduling),
// then nothing moves, so events and statuses are the same on every run.
const run = (args: string[], opts: { home?: string } = {}) => runCli(args, { ...opts, env: { MINIKCTL_TIME: 'manual' } });

const CORPUS = '/work/shared/corpus/k8s-website-examples';

function write(home: string, name: string, text: string): string {
  const p = join(home, name);
  writeFileSync(p, text);
  return p;
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p));
    else if (n.endsWith('.yaml')) out.push(p);
  }
  return out;
}

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
        ports: [{containerPort: 80}]
`;

describe('describe of objects no controller has touched', () => {
  it('a paused Deployment without ReplicaSets still prints OldReplicaSets and NewReplicaSet as <none>', () => {
    const home = freshHome();
    // created paused, the deployment controller makes no ReplicaSet: it only says so in a condition
    expect(run(['apply', '-f', write(home, 'd.yaml', DEPLOY.replace('  replicas: 2\n', '  replicas: 2\n  paused: true\n'))], { home }).code).toBe(0);
    const r = run(['describe', 'deployment', 'web'], { home });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const out = r.stdout.replace(/^(CreationTimestamp:\s+).*$/m, '$1<ts>');
    expect(out).toBe(
      [
        'Name:                   web',
        'Namespace:              default',
        'CreationTimestamp:      <ts>',
        'Labels:                 app=web',
        'Annotations:            <none>',
        'Selector:               app=web',
        'Replicas:               2 desired | 0 updated | 0 total | 0 available | 0 unavailable',
        'StrategyType:           RollingUpdate',
        'MinReadySeconds:        0',
        'RollingUpdateStrategy:  25% max unavailable, 25% max surge',
        'Pod Template:',
        '  Labels:  app=web',
        '  Containers:',
        '   nginx:',
        '    Image:         nginx:1.25',
        '    Port:          80/TCP',
        '    Host Port:     0/TCP',
        '    Environment:   <none>',
        '    Mounts:        <none>',
        '  Volumes:         <none>',
        '  Node-Selectors:  <none>',
        '  Tolerations:     <none>',
        'Conditions:',
        '  Type           Status   Reason',
        '  ----           ------   ------',
        '  Progressing    Unknown  DeploymentPaused',
        '  Available      False    MinimumReplicasUnavailable',
        'OldReplicaSets:  <none>',
        'NewReplicaSet:   <none>',
        'Events:          <none>',
        '',
      ].join('\n'),
    );
  });

  it('the same Deployment not paused gets its ReplicaSet at once, and the event saying so', () => {
    const home = freshHome();
    expect(run(['apply', '-f', write(home, 'd.yaml', DEPLOY)], { home }).code).toBe(0);
    const lines = run(['describe', 'deployment', 'web'], { home }).stdout.split('\n');
    expect(lines).toContain('Annotations:            deployment.kubernetes.io/revision: 1');
    expect(lines).toContain('Replicas:               2 desired | 2 updated | 2 total | 0 available | 2 unavailable');
    expect(lines).toContain('  Available      False   MinimumReplicasUnavailable');
    expect(lines).toContain('  Progressing    True    ReplicaSetUpdated');
    expect(lines.find((l) => l.startsWith('NewReplicaSet:'))).toMatch(/^NewReplicaSet:   web-[a-z0-9]+ \(2\/2 replicas created\)$/);
    expect(lines.find((l) => l.includes('ScalingReplicaSet'))).toMatch(/^  Normal  ScalingReplicaSet  0s    deployment-controller  Scaled up replica set web-[a-z0-9]+ from 0 to 2$/);
  });

  it('a Pending pod shows no node, an empty IP and the projected token volume as kubectl does', () => {
    const home = freshHome();
    // no scheduler answers to this name, so the pod stays unscheduled, as on a real cluster
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p1\n  labels: {run: p1}\nspec:\n  schedulerName: no-such-scheduler\n  containers:\n  - name: p1\n    image: nginx\n';
    expect(run(['apply', '-f', write(home, 'p1.yaml', pod)], { home }).code).toBe(0);
    const r = run(['describe', 'pod', 'p1'], { home });
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines).toContain('Node:             <none>');
    expect(lines).toContain('Status:           Pending');
    expect(lines).toContain('IP:               ');
    expect(lines).toContain('IPs:              <none>');
    // An unscheduled pod has no conditions, so kubectl prints no Conditions section.
    expect(r.stdout).not.toMatch(/^Conditions:/m);
    // The *bool Optional of the kube-root-ca.crt projection is unset: Go prints <nil>.
    expect(lines).toContain('    ConfigMapOptional:       <nil>');
    expect(lines).toContain('    TokenExpirationSeconds:  3607');
    expect(lines).toContain('QoS Class:                   BestEffort');
    expect(r.stdout.endsWith('Events:                      <none>\n')).toBe(true);
  });

  it('a suspended Job, a CronJob never scheduled and a PDB that selects no pods', () => {
    const home = freshHome();
    const files = [
      write(home, 'cj.yaml', 'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: cj}\nspec:\n  schedule: "*/1 * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers: [{name: c, image: busybox}]\n'),
      write(home, 'job.yaml', 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: j1}\nspec:\n  suspend: true\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: busybox}]\n'),
      write(home, 'pdb.yaml', 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: pdb1}\nspec:\n  minAvailable: 1\n  selector: {matchLabels: {app: web}}\n'),
    ];
    for (const f of files) expect(run(['apply', '-f', f], { home }).code).toBe(0);
    const cj = run(['describe', 'cronjob', 'cj'], { home }).stdout.split('\n');
    expect(cj).toContain('Suspend:                       False');
    expect(cj).toContain('Parallelism:                   <unset>');
    expect(cj).toContain('Last Schedule Time:  <unset>');
    expect(cj).toContain('Active Jobs:         <none>');
    const job = run(['describe', 'job', 'j1'], { home }).stdout.split('\n');
    expect(job).toContain('Completions:      1');
    expect(job).toContain('Backoff Limit:    6');
    expect(job).toContain('Suspend:          true');
    expect(job).toContain('Pods Statuses:    0 Active (0 Ready) / 0 Succeeded / 0 Failed');
    expect(job.at(-2)).toMatch(/^  Normal  Suspended  \d+s\s+job-controller  Job suspended$/);
    expect(job.some((l) => l.startsWith('Start Time:'))).toBe(false);
    const pdb = run(['describe', 'pdb', 'pdb1'], { home }).stdout;
    expect(pdb).toMatch(/\nEvents:\n.*\n.*\n  Normal  NoPods  .*  controllermanager  No matching pods found\n$/);
    expect(pdb.slice(0, pdb.indexOf('Events:'))).toBe(
      [
        'Name:           pdb1',
        'Namespace:      default',
        'Min available:  1',
        'Selector:       app=web',
        'Status:',
        '    Allowed disruptions:  0',
        '    Current:              0',
        '    Desired:              1',
        '    Total:                0',
        '',
      ].join('\n'),
    );
  });
});

describe('describe command behaviour', () => {
  it('joins several descriptions with a blank-line separator', () => {
    const home = freshHome();
    run(['run', 'p1', '--image=nginx'], { home });
    run(['run', 'p2', '--image=nginx'], { home });
    const r = run(['describe', 'pods'], { home });
    expect(r.code).toBe(0);
    expect(r.stdout.match(/^Name:/gm)).toHaveLength(2);
    // p1's description ends with its events (the scheduler's), then two blank lines, then p2
    expect(r.stdout).toMatch(/  Normal  Scheduled  0s    default-scheduler  Successfully assigned default\/p1 to minikctl-worker\d?\n\n\nName:             p2\n/);
    expect(r.stdout.startsWith('Name:             p1\n')).toBe(true);
  });

  it('treats a name as a prefix when no object has exactly that name', () => {
    const home = freshHome();
    run(['create', 'deployment', 'web', '--image=nginx'], { home });
    run(['create', 'deployment', 'web2', '--image=nginx'], { home });
    run(['create', 'deployment', 'api', '--image=nginx'], { home });
    const r = run(['describe', 'deploy', 'we'], { home });
    expect(r.code).toBe(0);
    expect(r.stdout.match(/^Name:\s+(\S+)$/gm)).toEqual(['Name:                   web', 'Name:                   web2']);
    const exact = run(['describe', 'deploy', 'web'], { home });
    expect(exact.stdout.match(/^Name:/gm)).toHaveLength(1);
    const none = run(['describe', 'deploy', 'zzz'], { home });
    expect(none.code).toBe(1);
    expect(none.stdout).toBe('');
    expect(none.stderr).toBe('Error from server (NotFound): deployments.apps "zzz" not found\n');
  });

  it('--show-events=false leaves the Events section out entirely', () => {
    const home = freshHome();
    run(['run', 'p1', '--image=nginx'], { home });
    run(['create', 'deployment', 'web', '--image=nginx'], { home });
    for (const args of [['pod', 'p1'], ['deploy', 'web']]) {
      const withEvents = run(['describe', ...args], { home });
      expect(withEvents.stdout).toMatch(/^Events:\n  Type    Reason +Age   From +Message\n/m);
      const r = run(['describe', ...args, '--show-events=false'], { home });
      expect(r.code).toBe(0);
      expect(r.stdout).not.toContain('Events:');
      expect(r.stdout).toMatch(/^Name:/);
    }
    const pod = run(['describe', 'pod', 'p1', '--show-events=false'], { home });
    expect(pod.stdout.endsWith('                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n')).toBe(true);
  });

  it('describe -f describes the objects a file names', () => {
    const home = freshHome();
    const f = join(CORPUS, 'application', 'wordpress', 'wordpress-deployment.yaml');
    expect(run(['apply', '-f', f], { home }).code).toBe(0);
    const r = run(['describe', '-f', f], { home });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const names = r.stdout.match(/^Name:\s+(\S+)$/gm)!.map((l) => l.split(/\s+/)[1]);
    expect(names).toEqual(['wordpress', 'wp-pv-claim', 'wordpress']);
    expect(r.stdout).toContain('\nType:                     LoadBalancer\n');
    // kind's local-path provisioner binds the claim once the wordpress pod is scheduled
    expect(r.stdout).toContain('\nStorageClass:  standard\nStatus:        Bound\n');
    expect(r.stdout).toContain('\nStrategyType:       Recreate\n');
  });

  it('describe nodes matching nothing says so on stderr and succeeds', () => {
    const r = run(['describe', 'nodes', '-l', 'no-such-label=x']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('No resources found\n');
    const ns = run(['describe', 'pods']);
    expect(ns.stderr).toBe('No resources found in default namespace.\n');
  });
});

describe('describe over the kubernetes.io website examples', () => {
  it('describes every object the examples create without placeholders leaking into the text', () => {
    const home = freshHome();
    for (const n of ['cpu-example', 'mem-example', 'qos-example']) run(['create', 'namespace', n], { home });
    // ResourceQuota and LimitRange examples would reject or alter the other pods: left out here.
    const files = yamlFiles(CORPUS).filter((f) => !f.includes('/admin/resource/'));
    run(['apply', ...files.flatMap((f) => ['-f', f])], { home });
    const kinds = 'pods,deployments,replicasets,replicationcontrollers,daemonsets,statefulsets,jobs,services,configmaps,secrets,persistentvolumeclaims,networkpolicies,roles,rolebindings,clusterroles,clusterrolebindings,namespaces,serviceaccounts';
    const r = run(['describe', kinds, '-A'], { home });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toMatch(/undefined|NaN|\[object Object\]/);
    for (const name of ['fluentd-elasticsearch', 'frontend', 'web', 'pi', 'default-deny-ingress', 'pod-reader', 'read-pods', 'test-secret', 'wp-pv-claim']) {
      expect(r.stdout).toMatch(new RegExp(`^Name:\\s+${name}$`, 'm'));
    }
    // Every deployment: the deployment controller made its ReplicaSet, which made every pod it wants.
    // (my-nginx adopted the example's bare ReplicaSet "frontend", whose labels its selector matches,
    // and is rolling from it: its new ReplicaSet has only the surge so far.)
    const deployments = r.stdout.match(/^Replicas:\s+\d+ desired \| \d+ updated /gm)!.length;
    const newRS = r.stdout.match(/^NewReplicaSet:\s+.*$/gm)!;
    expect(newRS).toHaveLength(deployments);
    for (const l of newRS) expect(l).toMatch(/^NewReplicaSet:\s+\S+-[a-z0-9]+ \((\d+)\/\1 replicas created\)$/);
    expect(r.stdout).toMatch(/^OldReplicaSets:\s+frontend \(3\/3 replicas created\)\nNewReplicaSet:\s+my-nginx-[a-z0-9]+ \(1\/1 replicas created\)$/m);
  });
});
