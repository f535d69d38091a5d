// The operations verbs as a user runs them: cordon, uncordon, taint, events, top, logs, describe
// node, get -w. Most tests bring their own Node and Event objects (create -f) so that they depend
// only on the verbs; the ones named "(whole pipeline)" need the scheduler and kubelets too.
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { run as runCli, freshHome, BIN } from './helpers.js';

const hasKubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
const run = (args: string[], home: string, input?: string) => runCli(args, { home, input, env: { MINIKCTL_TIME: 'instant' } });

const NODES = `apiVersion: v1
kind: Node
metadata:
  name: ops-a
  labels: {pool: ops, kubernetes.io/hostname: ops-a}
spec:
  podCIDR: 10.250.1.0/24
  podCIDRs: [10.250.1.0/24]
status:
  capacity: {cpu: "4", memory: 8Gi, pods: "110", ephemeral-storage: 100Gi}
  allocatable: {cpu: "4", memory: 8Gi, pods: "110", ephemeral-storage: 100Gi}
  conditions:
  - {type: Ready, status: "True", reason: KubeletReady, message: kubelet is posting ready status, lastHeartbeatTime: "2026-01-01T00:00:00Z", lastTransitionTime: "2026-01-01T00:00:00Z"}
  addresses:
  - {type: InternalIP, address: 172.18.9.1}
---
apiVersion: v1
kind: Node
metadata:
  name: ops-b
  labels: {pool: ops}
`;

function withNodes(): string {
  const home = freshHome();
  const r = run(['create', '-f', '-'], home, NODES);
  expect(r.stdout).toBe('node/ops-a created\nnode/ops-b created\n');
  return home;
}

describe('cordon / uncordon', () => {
  it('marks nodes unschedulable, says when nothing changes, and takes selectors and --dry-run', () => {
    const home = withNodes();
    expect(run(['cordon', 'ops-a'], home).stdout).toBe('node/ops-a cordoned\n');
    expect(run(['cordon', 'node/ops-a'], home).stdout).toBe('node/ops-a already cordoned\n');
    expect(run(['get', 'node', 'ops-a', '-o', 'jsonpath={.spec.unschedulable}'], home).stdout).toBe('true');
    expect(run(['uncordon', 'ops-a', '--dry-run=client'], home).stdout).toBe('node/ops-a uncordoned (dry run)\n');
    expect(run(['get', 'node', 'ops-a', '-o', 'jsonpath={.spec.unschedulable}'], home).stdout).toBe('true');
    expect(run(['uncordon', '-l', 'pool=ops'], home).stdout).toBe('node/ops-a uncordoned\nnode/ops-b already uncordoned\n');
    expect(run(['get', 'node', 'ops-a', '-o', 'jsonpath={.spec.unschedulable}'], home).stdout).toBe('');
  });

  it('refuses a missing node and bad arguments as kubectl does', () => {
    const home = withNodes();
    const missing = run(['cordon', 'nope'], home);
    expect([missing.stderr, missing.code]).toEqual(['Error from server (NotFound): nodes "nope" not found\n', 1]);
    const none = run(['cordon'], home);
    expect([none.stderr, none.code]).toEqual(["error: USAGE: cordon NODE [flags]\nSee 'minikctl cordon -h' for help and examples\n", 1]);
    expect(run(['uncordon', 'ops-a', '-l', 'a=b'], home).stderr).toBe("error: error: cannot specify both a node name and a --selector option\nSee 'minikctl uncordon -h' for help and examples\n");
  });
});

describe('taint', () => {
  it('adds, refuses to overwrite, overwrites and removes taints', () => {
    const home = withNodes();
    expect(run(['taint', 'nodes', 'ops-a', 'dedicated=gpu:NoSchedule'], home).stdout).toBe('node/ops-a tainted\n');
    const again = run(['taint', 'nodes', 'ops-a', 'dedicated=cpu:NoSchedule'], home);
    expect([again.stderr, again.code]).toEqual(['error: node ops-a already has dedicated taint(s) with same effect(s) and --overwrite is false\n', 1]);
    expect(run(['taint', 'node', 'ops-a', 'dedicated=cpu:NoSchedule', '--overwrite'], home).stdout).toBe('node/ops-a modified\n');
    expect(run(['get', 'node', 'ops-a', '-o', 'jsonpath={.spec.taints}'], home).stdout).toBe('[{"effect":"NoSchedule","key":"dedicated","value":"cpu"}]');
    expect(run(['taint', 'no', 'ops-a', 'dedicated-'], home).stdout).toBe('node/ops-a untainted\n');
    const gone = run(['taint', 'no', 'ops-a', 'dedicated:NoSchedule-'], home);
    expect([gone.stderr, gone.code]).toEqual(['error: taint "dedicated:NoSchedule" not found\n', 1]);
  });

  it('taints every node of a selector or --all, and shows the result with -o', () => {
    const home = withNodes();
    expect(run(['taint', 'nodes', '-l', 'pool=ops', 'maint:NoExecute'], home).stdout).toBe('node/ops-a tainted\nnode/ops-b tainted\n');
    expect(run(['taint', 'nodes', 'ops-b', 'x=y:PreferNoSchedule', '--dry-run=client', '-o', 'jsonpath={.spec.taints[*].key}'], home).stdout).toBe('x maint');
    expect(run(['get', 'node', 'ops-b', '-o', 'jsonpath={.spec.taints[*].key}'], home).stdout).toBe('maint');
  });

  it('refuses what kubectl refuses before asking the server', () => {
    const home = withNodes();
    const cases: [string[], string][] = [
      [['taint', 'nodes', 'ops-a'], 'error: at least one taint update is required\n'],
      [['taint', 'nodes', 'ops-a', 'a=b:Bad'], "error: invalid taint effect: Bad, unsupported taint effect\nSee 'minikctl taint -h' for help and examples\n"],
      [['taint', 'nodes', 'ops-a', 'a=b:NoSchedule', 'x'], 'error: all resources must be specified before taint changes: x\n'],
      [['taint', 'pods', 'p', 'a=b:NoSchedule'], 'error: invalid resource type pods, only node types are supported\n'],
      [['taint', 'nodes', 'a=b:NoSchedule'], "error: at least one resource name must be specified since 'all' parameter is not set\n"],
      [['taint', 'nodes', 'ops-a', 'a=b:NoSchedule', 'a-'], 'error: can not both modify and remove the following taint(s) in the same command: {"a":""}\n'],
    ];
    for (const [args, err] of cases) {
      const r = run(args, home);
      expect([r.stderr, r.code], args.join(' ')).toEqual([err, 1]);
    }
  });
});

describe.skipIf(!hasKubectl)('taint argument errors match kubectl (needs kubectl)', () => {
  it('words parse errors exactly as kubectl', () => {
    const home = withNodes();
    for (const spec of ['a=b:Bad', 'a=b', 'a b=c:NoSchedule', 'a=b=c:NoSchedule']) {
      const ours = run(['taint', 'nodes', 'foo', spec], home).stderr;
      const theirs = spawnSync('kubectl', ['taint', 'nodes', 'foo', spec], { encoding: 'utf8' }).stderr;
      expect(ours.replace(/minikctl/g, 'kubectl'), spec).toBe(theirs);
    }
  });
});

const EVENTS = `apiVersion: v1
kind: Event
metadata: {name: web.b, namespace: default}
involvedObject: {kind: Pod, name: web, namespace: default}
reason: BackOff
message: Back-off restarting failed container
type: Warning
firstTimestamp: "2026-01-01T00:00:20Z"
lastTimestamp: "2026-01-01T00:01:20Z"
count: 5
---
apiVersion: v1
kind: Event
metadata: {name: web.a, namespace: default}
involvedObject: {kind: Pod, name: web, namespace: default}
reason: Scheduled
message: Successfully assigned default/web to ops-a
type: Normal
firstTimestamp: "2026-01-01T00:00:10Z"
lastTimestamp: "2026-01-01T00:00:10Z"
count: 1
---
apiVersion: v1
kind: Event
metadata: {name: app.c, namespace: default}
involvedObject: {kind: Deployment, name: app, namespace: default}
reason: ScalingReplicaSet
message: Scaled up replica set app-5d4f8c7b9 from 0 to 3
type: Normal
firstTimestamp: "2026-01-01T00:00:05Z"
lastTimestamp: "2026-01-01T00:00:05Z"
count: 1
`;

describe('events', () => {
  const home = freshHome();
  run(['create', 'namespace', 'ops'], home);
  run(['create', '-n', 'ops', '-f', '-'], home, EVENTS.replace(/namespace: default/g, 'namespace: ops'));
  const cols = (out: string) => out.trimEnd().split('\n').map((l) => l.split(/\s{2,}/));

  it('sorts by time and prints the object as Kind/name, with "(xN over ...)" for repeats', () => {
    const r = run(['events', '-n', 'ops'], home);
    const rows = cols(r.stdout);
    expect(rows[0]).toEqual(['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
    expect(rows.slice(1).map((c) => [c[2], c[3]])).toEqual([['ScalingReplicaSet', 'Deployment/app'], ['Scheduled', 'Pod/web'], ['BackOff', 'Pod/web']]);
    expect(rows[3][0]).toMatch(/^\d+d \(x5 over \d+d\)$/);
  });

  it('filters with --for and --types, and says when there is nothing', () => {
    expect(cols(run(['events', '-n', 'ops', '--for', 'pod/web', '--types=warning'], home).stdout).slice(1).map((c) => c[2])).toEqual(['BackOff']);
    expect(cols(run(['events', '-n', 'ops', '--for', 'deploy/app'], home).stdout).slice(1).map((c) => c[3])).toEqual(['Deployment/app']);
    const none = run(['events', '-n', 'ops', '--for', 'pod/other'], home);
    expect([none.stdout, none.stderr, none.code]).toEqual(['', 'No events found in ops namespace.\n', 0]);
    expect(run(['events', '--types=Foo'], home).stderr).toBe('error: valid --types are Normal or Warning\n');
    expect(run(['events', '--for', 'pod'], home).stderr).toBe('error: --for must be in resource/name form\n');
  });

  it('adds NAMESPACE with -A and prints an EventList with -o', () => {
    expect(run(['events', '-A', '--for', 'pod/web'], home).stdout.split('\n')[0]).toMatch(/^NAMESPACE\s+LAST SEEN\s+TYPE/);
    expect(run(['events', '-n', 'ops', '-o', 'jsonpath={.kind} {.items[*].metadata.name}'], home).stdout).toBe('EventList app.c web.a web.b');
    expect(run(['events', '-n', 'ops', '-o', 'name'], home).stdout).toBe('event/app.c\nevent/web.a\nevent/web.b\n');
  });

  it('get events keeps the server order (by name), not the time, and lower-cases the kind', () => {
    const rows = cols(run(['get', 'events', '-n', 'ops'], home).stdout);
    expect(rows.slice(1).map((c) => c[3])).toEqual(['deployment/app', 'pod/web', 'pod/web']);
    expect(rows.slice(1).map((c) => c[2])).toEqual(['ScalingReplicaSet', 'Scheduled', 'BackOff']);
  });
});

describe('top', () => {
  it('top node: usage and percentages of a Ready node; a node without metrics is NotFound', () => {
    const home = withNodes();
    const r = run(['top', 'node', 'ops-a'], home);
    expect(r.stdout).toMatch(/^NAME {4}CPU\(cores\) {3}CPU\(%\) {3}MEMORY\(bytes\) {3}MEMORY\(%\) {3}\nops-a {3}\d+m +\d+% +\d+Mi +\d+% +\n$/);
    const b = run(['top', 'node', 'ops-b'], home);
    expect([b.stderr, b.code]).toEqual(['Error from server (NotFound): nodemetrics.metrics.k8s.io "ops-b" not found\n', 1]);
    expect(run(['top', 'nodes', 'a', 'b'], home).stderr).toBe("error: node [NAME | -l label]\nSee 'minikctl top node -h' for help and examples\n");
    expect(run(['top', 'pods', '--sort-by=age'], home).stderr).toBe('error: --sort-by accepts only cpu or memory\n');
  });

  it('top pod: no pods, and a pod without metrics yet', () => {
    const home = freshHome();
    run(['create', 'namespace', 'empty'], home);
    const none = run(['top', 'pods', '-n', 'empty'], home);
    expect([none.stdout, none.stderr, none.code]).toEqual(['', 'No resources found in empty namespace.\n', 0]);
    run(['create', '-n', 'empty', '-f', '-'], home, 'apiVersion: v1\nkind: Pod\nmetadata: {name: stuck}\nspec:\n  nodeSelector: {none: none}\n  containers: [{name: c, image: nginx}]\n');
    const young = run(['top', 'pods', '-n', 'empty'], home);
    expect([young.stderr, young.code]).toEqual(['error: metrics not available yet\n', 1]);
    expect(run(['top', 'pod', 'stuck', '-n', 'empty'], home).stderr).toBe('Error from server (NotFound): podmetrics.metrics.k8s.io "empty/stuck" not found\n');
  });
});

describe('describe node', () => {
  it('shows taints, unschedulable, the pods on the node with their share of allocatable', () => {
    const home = withNodes();
    run(['taint', 'nodes', 'ops-a', 'dedicated=gpu:NoSchedule', 'maint:NoExecute'], home);
    run(['cordon', 'ops-a'], home);
    run(['create', '-f', '-'], home, 'apiVersion: v1\nkind: Pod\nmetadata: {name: bound}\nspec:\n  nodeName: ops-a\n  tolerations: [{operator: Exists}]\n  containers: [{name: c, image: nginx, resources: {requests: {cpu: 500m, memory: 1Gi}, limits: {cpu: "1", memory: 2Gi}}}]\n');
    const out = run(['describe', 'node', 'ops-a'], home).stdout;
    expect(out).toContain('Taints:             maint:NoExecute\n                    dedicated=gpu:NoSchedule\n');
    expect(out).toContain('Unschedulable:      true\n');
    expect(out).toMatch(/\n {2}default +bound +500m \(12%\) +1 \(25%\) +1Gi \(12%\) +2Gi \(25%\) +\d+s\n/);
    expect(out).toMatch(/\n {2}cpu +500m \(12%\) +1 \(25%\)\n {2}memory +1Gi \(12%\) +2Gi \(25%\)\n/);
    expect(out).toContain('PodCIDRs:                     10.250.1.0/24\n');
  });
});

describe('logs', () => {
  it('refuses bad arguments and objects that have no pods, as kubectl does', () => {
    const home = freshHome();
    const none = run(['logs'], home);
    expect([none.stderr, none.code]).toEqual(["error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'minikctl logs -h' for help and examples\n", 1]);
    expect(run(['logs', 'x', '-l', 'a=b'], home).stderr).toBe("error: only a selector (-l) or a POD name is allowed\nSee 'minikctl logs -h' for help and examples\n");
    expect(run(['logs', 'nope'], home).stderr).toBe('Error from server (NotFound): pods "nope" not found\n');
    run(['create', 'configmap', 'cfg'], home);
    expect(run(['logs', 'cm/cfg'], home).stderr).toBe('error: cannot get the logs from *v1.ConfigMap: selector for *v1.ConfigMap not implemented\n');
  });

  it('a pod no node took: the apiserver says it has no host; a missing container is named', () => {
    const home = freshHome();
    run(['create', '-f', '-'], home, 'apiVersion: v1\nkind: Pod\nmetadata: {name: stuck}\nspec:\n  nodeSelector: {none: none}\n  containers: [{name: a, image: nginx}, {name: b, image: nginx}]\n');
    const r = run(['logs', 'stuck'], home);
    expect([r.stderr, r.code]).toEqual(['Defaulted container "a" out of: a, b\nError from server (BadRequest): pod stuck does not have a host assigned\n', 1]);
    expect(run(['logs', 'stuck', '-c', 'z'], home).stderr).toBe('error: container z is not valid for pod stuck out of: a, b\n');
    expect(run(['logs', 'stuck', '--all-containers', '-c', 'a'], home).stderr).toBe('error: --all-containers=true should not be specified with container name a\n');
  });
});

describe('logs, top, get -w (whole pipeline: scheduler and kubelets)', () => {
  it('logs print what the container wrote; deploy/NAME picks one pod and says so', () => {
    const home = freshHome();
    run(['create', 'deployment', 'web', '--image=nginx', '--replicas=2'], home);
    const r = run(['logs', 'deploy/web', '--tail=2', '--prefix'], home);
    expect(r.stderr).toMatch(/^Found 2 pods, using pod\/web-[a-z0-9]+-[a-z0-9]+\n$/);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(l).toMatch(/^\[pod\/web-[a-z0-9-]+\/nginx\] /);
    const all = run(['logs', '-l', 'app=web', '--timestamps'], home).stdout.trimEnd().split('\n');
    for (const l of all) expect(l).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z /);
  });

  it('top pods and nodes show the running pods', () => {
    const home = freshHome();
    run(['run', 'web', '--image=nginx'], home);
    expect(run(['top', 'pods'], home).stdout).toMatch(/^NAME +CPU\(cores\) +MEMORY\(bytes\) +\nweb +\d+m +\d+Mi +\n$/);
    expect(run(['top', 'pods', '--containers'], home).stdout).toMatch(/\nweb +web +\d+m +\d+Mi +\n$/);
    expect(run(['top', 'nodes', '--no-headers'], home).stdout.trim().split('\n').length).toBeGreaterThan(0);
  });

  it('get -w follows a realtime cluster: a new pod goes ContainerCreating → Running while watched', async () => {
    const home = freshHome();
    const env = { ...process.env, MINIKCTL_HOME: home, TZ: 'UTC', MINIKCTL_TIME: 'realtime' };
    spawnSync(process.execPath, [BIN, 'get', 'nodes'], { env });
    spawnSync(process.execPath, [BIN, 'run', 'web', '--image=nginx'], { env });
    const out = await new Promise<string>((resolve) => {
      let s = '';
      const p = spawn(process.execPath, [BIN, 'get', 'pod', 'web', '-w', '--request-timeout=12s'], { env });
      p.stdout.on('data', (d) => {
        s += d;
        if (/Running/.test(s)) p.kill('SIGINT');
      });
      p.on('exit', () => resolve(s));
    });
    const statuses = out.trim().split('\n').slice(1).map((l) => l.split(/\s+/)[2]);
    expect(statuses[statuses.length - 1]).toBe('Running');
    expect(statuses.length).toBeGreaterThan(1);
  });
});
