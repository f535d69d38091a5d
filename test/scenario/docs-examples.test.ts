// The website examples that issue 4 is about (pods/probe, pods/resource, pods/qos, commands,
// init containers, lifecycle hooks, affinity, scheduling gates, private registries, Jobs,
// DaemonSets, StatefulSets), run through the real CLI on manual-time clusters and checked against
// what the kubernetes.io page that uses each one says a user sees. Examples share a cluster where
// they do not interfere: three clusters in all. (admin/resource/* is quota-limits.test.ts; the
// CronJob and the Job's describe are jobs.test.ts; memory-request-limit-2 in depth is
// failures.test.ts; web.yaml is statefulset.test.ts.)
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshHome, run } from './helpers.js';

const EX = '/work/shared/corpus/k8s-website-examples';

function cluster() {
  const home = freshHome();
  const k = (...args: string[]) => run(args, { home, env: { MINIKCTL_TIME: 'manual' } });
  return { home, k };
}

/** the rows of a table output, by their first column */
function rows(out: string): Map<string, string> {
  return new Map(out.trim().split('\n').slice(1).map((l) => [l.split(/\s+/)[0], l]));
}

/** describe's Events section */
const eventsOf = (d: string) => d.slice(d.indexOf('\nEvents:'));

/** `top`'s CPU (millicores) and memory (Mi) of a pod */
function top(k: ReturnType<typeof cluster>['k'], pod: string, ns: string): { cpu: number; memMi: number } {
  const line = k('top', 'pod', pod, '-n', ns).stdout.trim().split('\n')[1];
  const [, cpu, mem] = line.split(/\s+/);
  return { cpu: cpu.endsWith('m') ? Number(cpu.slice(0, -1)) : Number(cpu) * 1000, memMi: Number(mem.replace('Mi', '')) };
}

describe.skipIf(!existsSync(EX))('the docs examples of issue 4 do what their pages describe (manual time)', () => {
  it('pods: commands, init containers, probes, lifecycle, gates, affinity, a private registry', () => {
    const { home, k } = cluster();
    // "Pull an Image from a Private Registry": the example's <your-private-image> is a placeholder
    // (as written it is InvalidImageName); a private registry's image stands in for it.
    const privateReg = join(home, 'private-reg-pod.yaml');
    writeFileSync(privateReg, readFileSync(join(EX, 'pods/private-reg-pod.yaml'), 'utf8').replace('<your-private-image>', 'private-registry.io/team/app:1.0'));
    const files = ['pods/commands.yaml', 'pods/init-containers.yaml', 'pods/lifecycle-events.yaml', 'pods/multi-container/shared-volume.yaml',
      'pods/pod-with-scheduling-gates.yaml', 'pods/pod-with-pod-affinity.yaml', 'pods/pod-with-affinity-anti-affinity.yaml',
      'pods/probe/http-liveness.yaml', 'pods/probe/tcp-liveness-readiness.yaml', 'pods/probe/exec-liveness.yaml'].map((f) => join(EX, f));
    const applied = k('apply', ...files.flatMap((f) => ['-f', f]), '-f', privateReg);
    expect(applied.stderr).toBe('');
    expect(applied.stdout.split('\n').filter(Boolean)).toHaveLength(11);

    expect(k('cluster', 'advance', '25s').code).toBe(0);
    const pods = rows(k('get', 'pods').stdout);

    // "Define a Command and Arguments for a Container": the container ran and finished; its log
    // holds the two variables printenv printed.
    expect(pods.get('command-demo')).toMatch(/^command-demo\s+0\/1\s+Completed\s+0\s/);
    expect(k('logs', 'command-demo').stdout).toBe('command-demo\ntcp://10.96.0.1:443\n');

    // "Configure Pod Initialization": the init container ran to completion, then nginx runs.
    expect(pods.get('init-demo')).toMatch(/\s1\/1\s+Running\s+0\s/);
    const init = k('describe', 'pod', 'init-demo').stdout;
    expect(init).toMatch(/Init Containers:\n  install:\n[\s\S]*?State:\s+Terminated\n\s+Reason:\s+Completed\n\s+Exit Code:\s+0\n/);
    // the multi-container page's shared volume: the writer ran first, then the web server
    expect(pods.get('shared-volume-example')).toMatch(/\s1\/1\s+Running\s+0\s/);
    // "Attach Handlers to Container Lifecycle Events": the pod runs (reading /usr/share/message
    // needs `kubectl exec`, issue 5)
    expect(pods.get('lifecycle-demo')).toMatch(/\s1\/1\s+Running\s+0\s/);

    // "Configure Liveness, Readiness and Startup Probes", HTTP: /healthz answers 500 after 10 s,
    // so the kubelet kills and restarts the container.
    expect(pods.get('liveness-http')).toMatch(/\s1\/1\s+Running\s+1 \(\d+s ago\)\s/);
    const http = eventsOf(k('describe', 'pod', 'liveness-http').stdout);
    expect(http).toMatch(/Warning\s+Unhealthy\s+.*kubelet\s+Liveness probe failed: HTTP probe failed with statuscode: 500\n/);
    expect(http).toMatch(/Normal\s+Killing\s+.*kubelet\s+Container liveness failed liveness probe, will be restarted\n/);
    // TCP: goproxy listens on 8080, so after the 15 s initial delay it is ready and stays alive
    expect(pods.get('goproxy')).toMatch(/^goproxy\s+1\/1\s+Running\s+0\s/);
    expect(eventsOf(k('describe', 'pod', 'goproxy').stdout)).not.toContain('Unhealthy');
    // exec: no failure while /tmp/healthy exists (its first 30 s)
    expect(pods.get('liveness-exec')).toMatch(/\s1\/1\s+Running\s+0\s/);
    expect(eventsOf(k('describe', 'pod', 'liveness-exec').stdout)).not.toContain('Unhealthy');

    // "Pod Scheduling Readiness": gated, with both gates in the spec
    expect(pods.get('test-pod')).toMatch(/^test-pod\s+0\/1\s+SchedulingGated\s+0\s/);
    expect(k('get', 'pod', 'test-pod', '-o', 'jsonpath={.spec.schedulingGates}').stdout).toBe('[{"name":"example.com/foo"},{"name":"example.com/bar"}]');

    // "Assigning Pods to Nodes": node affinity (linux) places the pod on a worker; the pod
    // affinity example waits for a pod labelled security=S1 in some zone.
    expect(pods.get('with-affinity-anti-affinity')).toMatch(/\s1\/1\s+Running\s+0\s/);
    expect(pods.get('with-pod-affinity')).toMatch(/^with-pod-affinity\s+0\/1\s+Pending\s/);
    expect(eventsOf(k('describe', 'pod', 'with-pod-affinity').stdout)).toContain(
      "default-scheduler  0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 node(s) didn't match pod affinity rules. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.\n",
    );

    // the private image without the regcred Secret: the registry refuses the anonymous pull
    expect(pods.get('private-reg')).toMatch(/\s0\/1\s+(ErrImagePull|ImagePullBackOff)\s+0\s/);
    expect(eventsOf(k('describe', 'pod', 'private-reg').stdout)).toContain(
      'Failed to pull image "private-registry.io/team/app:1.0": rpc error: code = Unknown desc = failed to pull and unpack image "private-registry.io/team/app:1.0": failed to resolve reference "private-registry.io/team/app:1.0": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://private-registry.io/token?scope=repository%3Ateam%2Fapp%3Apull: 401 Unauthorized\n',
    );

    // The pages' next steps: the regcred Secret, the pod without its gates, an S1 pod.
    expect(k('create', 'secret', 'docker-registry', 'regcred', '--docker-server=private-registry.io', '--docker-username=tiger', '--docker-password=pass1234').stdout).toBe('secret/regcred created\n');
    const ungated = join(home, 'pod-without-scheduling-gates.yaml');
    writeFileSync(ungated, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: test-pod\nspec:\n  containers:\n  - name: pause\n    image: registry.k8s.io/pause:3.6\n');
    expect(k('apply', '-f', ungated).stdout).toBe('pod/test-pod configured\n');
    expect(k('run', 's1', '--image=nginx', '--labels=security=S1').stdout).toBe('pod/s1 created\n');

    expect(k('cluster', 'advance', '15s').code).toBe(0);
    // exec probe, 40 s in: the file is gone and the probe says so
    expect(eventsOf(k('describe', 'pod', 'liveness-exec').stdout)).toMatch(
      /Warning\s+Unhealthy\s+.*kubelet\s+Liveness probe failed: cat: can't open '\/tmp\/healthy': No such file or directory\n/,
    );
    expect(k('get', 'pod', 'test-pod', '-o', 'jsonpath={.spec.schedulingGates}').stdout).toBe('');

    expect(k('cluster', 'advance', '45s').code).toBe(0);
    const later = rows(k('get', 'pods').stdout);
    // exec probe: restarted once (busybox's sh, pid 1, ignores SIGTERM: the kill waits out the
    // 30 s grace period, so the restart comes some 75 s after the start)
    expect(later.get('liveness-exec')).toMatch(/\s1\/1\s+Running\s+1 \(\d+s ago\)\s/);
    // the Secret lets the next pull through; the ungated pod is scheduled and runs
    expect(later.get('private-reg')).toMatch(/\s1\/1\s+Running\s+0\s/);
    expect(later.get('test-pod')).toMatch(/^test-pod\s+1\/1\s+Running\s+0\s/);

    // with an S1 pod running, the pod affinity example lands in that pod's zone
    expect(k('cluster', 'advance', '5m').code).toBe(0);
    const zoneOf = (pod: string) => {
      const node = k('get', 'pod', pod, '-o', 'jsonpath={.spec.nodeName}').stdout;
      return k('get', 'node', node, '-o', 'jsonpath={.metadata.labels.topology\\.kubernetes\\.io/zone}').stdout;
    };
    expect(rows(k('get', 'pods').stdout).get('with-pod-affinity')).toMatch(/\s1\/1\s+Running\s+0\s/);
    expect(zoneOf('with-pod-affinity')).toBe(zoneOf('s1'));
  });

  it('resources and QoS: memory and CPU use within limits, OOMKilled beyond, Pending when too big', () => {
    const { k } = cluster();
    for (const ns of ['qos-example', 'cpu-example', 'mem-example']) expect(k('create', 'namespace', ns).code).toBe(0);
    expect(k('apply', '-f', join(EX, 'pods/resource'), '-f', join(EX, 'pods/qos')).stdout.split('\n').filter(Boolean)).toHaveLength(9);
    expect(k('cluster', 'advance', '60s').code).toBe(0);

    // "Assign Memory Resources": memory-demo runs, using about 150 MiB (above its request, within its limit)
    expect(k('get', 'pod', 'memory-demo', '-n', 'mem-example').stdout).toMatch(/memory-demo\s+1\/1\s+Running\s+0\s/);
    const mem = top(k, 'memory-demo', 'mem-example');
    expect(mem.memMi).toBeGreaterThanOrEqual(150);
    expect(mem.memMi).toBeLessThanOrEqual(160);
    expect(k('logs', 'memory-demo', '-n', 'mem-example').stdout).toBe('stress: info: [1] dispatching hogs: 0 cpu, 0 io, 1 vm, 0 hdd\n');
    // ... memory-demo-2 tries 250M under a 100Mi limit: OOMKilled, restarted
    const oom = JSON.parse(k('get', 'pod', 'memory-demo-2', '-n', 'mem-example', '-o', 'json').stdout);
    expect(oom.status.containerStatuses[0].lastState.terminated).toMatchObject({ reason: 'OOMKilled', exitCode: 137 });
    expect(oom.status.containerStatuses[0].restartCount).toBeGreaterThan(0);
    // ... memory-demo-3 asks for 1000Gi: no node has it
    expect(k('get', 'pod', 'memory-demo-3', '-n', 'mem-example').stdout).toMatch(/memory-demo-3\s+0\/1\s+Pending\s+0\s/);
    expect(eventsOf(k('describe', 'pod', 'memory-demo-3', '-n', 'mem-example').stdout)).toContain('FailedScheduling  60s   default-scheduler  0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient memory.');

    // "Assign CPU Resources": stress wants 2 CPUs, the limit holds it just below 1 CPU
    const cpu = top(k, 'cpu-demo', 'cpu-example');
    expect(cpu.cpu).toBeGreaterThanOrEqual(900);
    expect(cpu.cpu).toBeLessThanOrEqual(1000);
    expect(k('logs', 'cpu-demo', '-n', 'cpu-example').stdout).toMatch(
      /^I\d{4} \d\d:\d\d:\d\d\.\d{6} {7}1 main\.go:26\] Allocating "0" memory, in "4Ki" chunks, with a 1ms sleep between allocations\n(I.* main\.go:39\] Spawning a thread to consume CPU\n){2}/,
    );
    expect(k('get', 'pod', 'cpu-demo-2', '-n', 'cpu-example').stdout).toMatch(/cpu-demo-2\s+0\/1\s+Pending\s+0\s/);
    expect(eventsOf(k('describe', 'pod', 'cpu-demo-2', '-n', 'cpu-example').stdout)).toContain('3 Insufficient cpu.');

    // "Configure Quality of Service for Pods"
    expect(k('get', 'pods', '-n', 'qos-example', '-o', 'custom-columns=NAME:.metadata.name,QOS:.status.qosClass').stdout).toBe(
      'NAME         QOS\nqos-demo     Guaranteed\nqos-demo-2   Burstable\nqos-demo-3   BestEffort\nqos-demo-4   Burstable\n',
    );
    expect(rows(k('get', 'pods', '-n', 'qos-example').stdout).get('qos-demo-4')).toMatch(/\s2\/2\s+Running\s+0\s/);
  });

  it('controllers: the pi Job, the fluentd DaemonSet, a StatefulSet whose class is missing; php-apache', () => {
    const { k } = cluster();
    const out = k('apply', '-f', join(EX, 'controllers/job.yaml'), '-f', join(EX, 'controllers/daemonset.yaml'), '-f', join(EX, 'controllers/statefulset.yaml'));
    expect(out.stdout).toBe('job.batch/pi created\ndaemonset.apps/fluentd-elasticsearch created\nservice/nginx created\nstatefulset.apps/web created\n');
    expect(k('create', 'deployment', 'php-apache', '--image=registry.k8s.io/hpa-example').code).toBe(0);
    expect(k('cluster', 'advance', '90s').code).toBe(0);

    // "Jobs": pi runs to completion and its log is pi to the digits asked for
    expect(k('get', 'job', 'pi').stdout).toMatch(/\npi\s+Complete\s+1\/1\s+\d+s\s+90s\n$/);
    const digits = k('logs', 'job/pi').stdout;
    expect(digits.startsWith('3.14159265358979323846264338327950288419716939937510582097494459230781640628620899862803482534211706798214808651')).toBe(true);
    expect(digits.trim()).toHaveLength(1001);

    // "DaemonSet": one fluentd per node that tolerates it; the control plane's taint is not the
    // node-role.kubernetes.io/master one the example tolerates, so the three workers
    expect(k('get', 'ds', 'fluentd-elasticsearch', '-n', 'kube-system').stdout).toMatch(/\nfluentd-elasticsearch\s+3\s+3\s+3\s+3\s+3\s+<none>\s+90s\n$/);
    const nodes = k('get', 'pods', '-n', 'kube-system', '-l', 'name=fluentd-elasticsearch', '-o', 'jsonpath={.items[*].spec.nodeName}').stdout.split(' ').sort();
    expect(nodes).toEqual(['minikctl-worker', 'minikctl-worker2', 'minikctl-worker3']);

    // "StatefulSets": the claim asks for my-storage-class, which this cluster lacks: web-0 waits
    // (and, OrderedReady, web-1 is not created)
    expect(k('get', 'pvc', 'www-web-0').stdout).toMatch(/www-web-0\s+Pending\s+my-storage-class\s/);
    expect(eventsOf(k('describe', 'pvc', 'www-web-0').stdout)).toMatch(/Warning\s+ProvisioningFailed\s+.*persistentvolume-controller\s+storageclass\.storage\.k8s\.io "my-storage-class" not found\n/);
    expect(k('get', 'pods', '-l', 'app=nginx', '-o', 'name').stdout).toBe('pod/web-0\n');
    expect(eventsOf(k('describe', 'pod', 'web-0').stdout)).toContain('0/4 nodes are available: pod has unbound immediate PersistentVolumeClaims.');

    // the HPA walkthrough's php-apache image runs Apache
    expect(k('logs', 'deploy/php-apache').stdout).toMatch(/\[core:notice\] \[pid 1\] AH00094: Command line: 'apache2 -D FOREGROUND'\n$/);
  });
});
