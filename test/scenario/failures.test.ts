// Failures as a user meets them, through the real CLI on a manual-time cluster: the docs' memory
// limit example (OOMKilled, then CrashLoopBackOff), the docs' exec liveness probe (Unhealthy,
// Killing, a restart, `logs -p`), and a Deployment with a bad image tag that recovers when fixed.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { freshHome, run } from './helpers.js';

const EXAMPLES = '/work/shared/corpus/k8s-website-examples';
const manual = { env: { MINIKCTL_TIME: 'manual' } };

function cluster() {
  const home = freshHome();
  const m = (...args: string[]) => run(args, { home, ...manual });
  return m;
}

describe('failures through the CLI (manual time)', () => {
  it("memory-request-limit-2: OOMKilled, then CrashLoopBackOff with restarts", () => {
    const m = cluster();
    expect(m('create', 'namespace', 'mem-example').code).toBe(0);
    expect(m('apply', '-f', join(EXAMPLES, 'pods/resource/memory-request-limit-2.yaml')).stdout).toBe('pod/memory-demo-2 created\n');
    expect(m('cluster', 'advance', '40s').code).toBe(0);
    const get = m('get', 'pod', 'memory-demo-2', '-n', 'mem-example');
    expect(get.stdout).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\nmemory-demo-2\s+0\/1\s+(OOMKilled|CrashLoopBackOff)\s+\d+ \(\d+s ago\)\s+\d+s\n$/);
    const pod = JSON.parse(m('get', 'pod', 'memory-demo-2', '-n', 'mem-example', '-o', 'json').stdout);
    expect(pod.status.containerStatuses[0].lastState.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
    const d = m('describe', 'pod', 'memory-demo-2', '-n', 'mem-example').stdout;
    expect(d).toMatch(/Last State:\s+Terminated\n\s+Reason:\s+OOMKilled\n\s+Exit Code:\s+137/);
    expect(d).toMatch(/Warning\s+BackOff\s+.*kubelet\s+Back-off restarting failed container memory-demo-2-ctr in pod memory-demo-2_mem-example\(/);
    const logs = m('logs', 'memory-demo-2', '-n', 'mem-example', '-p');
    expect(logs.stdout).toBe('stress: info: [1] dispatching hogs: 0 cpu, 0 io, 1 vm, 0 hdd\n');
  });

  it('exec-liveness: Unhealthy, Killing, restart; logs -p of the first instance', () => {
    const m = cluster();
    expect(m('apply', '-f', join(EXAMPLES, 'pods/probe/exec-liveness.yaml')).code).toBe(0);
    expect(m('cluster', 'advance', '30s').code).toBe(0);
    expect(m('get', 'pod', 'liveness-exec').stdout).toMatch(/liveness-exec\s+1\/1\s+Running\s+0\s/);
    expect(m('cluster', 'advance', '60s').code).toBe(0);
    let d = m('describe', 'pod', 'liveness-exec').stdout;
    expect(d).toMatch(/Warning\s+Unhealthy\s+\S+ \(x3 over \S+\)\s+kubelet\s+Liveness probe failed: cat: can't open '\/tmp\/healthy': No such file or directory/);
    expect(d).toMatch(/Normal\s+Killing\s+\S+\s+kubelet\s+Container liveness failed liveness probe, will be restarted/);
    expect(m('cluster', 'advance', '40s').code).toBe(0);
    expect(m('get', 'pod', 'liveness-exec').stdout).toMatch(/liveness-exec\s+1\/1\s+Running\s+1 \(\d+s ago\)\s/);
    d = m('describe', 'pod', 'liveness-exec').stdout;
    expect(d).toMatch(/Restart Count:\s+1\n/);
    // the previous instance wrote nothing; asking for it is fine, asking before a restart is not
    expect(m('logs', 'liveness-exec', '-p').code).toBe(0);
  });

  it('a Deployment with a bad tag: ErrImagePull / ImagePullBackOff; fixing the image recovers', () => {
    const m = cluster();
    expect(m('create', 'deployment', 'web', '--image=nginx:1.99-nope').code).toBe(0);
    expect(m('cluster', 'advance', '5s').code).toBe(0);
    const get = m('get', 'pods', '-l', 'app=web');
    expect(get.stdout).toMatch(/web-\S+\s+0\/1\s+(ErrImagePull|ImagePullBackOff)\s+0\s/);
    const d = m('describe', 'pods', '-l', 'app=web').stdout;
    expect(d).toContain('Failed to pull image "nginx:1.99-nope": rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:1.99-nope"');
    expect(d).toMatch(/Normal\s+BackOff\s+.*Back-off pulling image "nginx:1\.99-nope"/);
    expect(m('logs', 'deploy/web').stderr).toMatch(/is waiting to start: (image can't be pulled|trying and failing to pull image)/);
    expect(m('set', 'image', 'deploy/web', 'nginx=nginx:1.25').code).toBe(0);
    expect(m('cluster', 'advance', '60s').code).toBe(0);
    const after = m('get', 'pods', '-l', 'app=web').stdout.trim().split('\n').slice(1);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatch(/\s1\/1\s+Running\s+0\s/);
  });
});
