// The docs' ResourceQuota and LimitRange examples (admin/resource/*.yaml in the website corpus),
// run with the real CLI: the refusals word for word, the used values `get`/`describe` show, and
// the resources LimitRange fills in.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { freshHome, run } from './helpers.js';

const EX = '/work/shared/corpus/k8s-website-examples/admin/resource';
const ENV = { MINIKCTL_TIME: 'instant' };

function cli(home: string) {
  return (...args: string[]) => run(args, { home, env: ENV });
}

describe('ResourceQuota (docs: quota-memory-cpu-namespace, quota-pod-namespace)', () => {
  it('charges requests and limits, refuses the second pod with the real message, releases on delete', () => {
    const k = cli(freshHome());
    const ns = ['--namespace=quota-mem-cpu-example'];
    expect(k('create', 'namespace', 'quota-mem-cpu-example').code).toBe(0);
    expect(k('apply', '-f', join(EX, 'quota-mem-cpu.yaml'), ...ns).stdout).toBe('resourcequota/mem-cpu-demo created\n');
    expect(k('apply', '-f', join(EX, 'quota-mem-cpu-pod.yaml'), ...ns).stdout).toBe('pod/quota-mem-cpu-demo created\n');
    const yaml = k('get', 'resourcequota', 'mem-cpu-demo', ...ns, '--output=yaml').stdout;
    expect(yaml).toContain('status:\n  hard:\n    limits.cpu: "2"\n    limits.memory: 2Gi\n    requests.cpu: "1"\n    requests.memory: 1Gi\n  used:\n    limits.cpu: 800m\n    limits.memory: 800Mi\n    requests.cpu: 400m\n    requests.memory: 600Mi\n');
    const refused = k('apply', '-f', join(EX, 'quota-mem-cpu-pod-2.yaml'), ...ns);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `Error from server (Forbidden): error when creating "${join(EX, 'quota-mem-cpu-pod-2.yaml')}": pods "quota-mem-cpu-demo-2" is forbidden: ` +
        'exceeded quota: mem-cpu-demo, requested: requests.memory=700Mi, used: requests.memory=600Mi, limited: requests.memory=1Gi\n',
    );
    expect(k('describe', 'quota', ...ns).stdout).toBe(
      'Name:            mem-cpu-demo\nNamespace:       quota-mem-cpu-example\nResource         Used   Hard\n--------         ----   ----\n' +
        'limits.cpu       800m   2\nlimits.memory    800Mi  2Gi\nrequests.cpu     400m   1\nrequests.memory  600Mi  1Gi\n',
    );
    // A pod that sets nothing the quota tracks must say what it lacks.
    const bare = k('run', 'bare', '--image=nginx', ...ns);
    expect(bare.stderr).toBe(
      'Error from server (Forbidden): pods "bare" is forbidden: failed quota: mem-cpu-demo: must specify limits.cpu for: bare; limits.memory for: bare; requests.cpu for: bare; requests.memory for: bare\n',
    );
    expect(k('delete', 'pod', 'quota-mem-cpu-demo', ...ns).code).toBe(0);
    expect(k('get', 'quota', ...ns, '-o', 'jsonpath={.items[0].status.used}').stdout).toBe('{"limits.cpu":"0","limits.memory":"0","requests.cpu":"0","requests.memory":"0"}');
  });

  it('holds a Deployment to 2 pods: FailedCreate events, ReplicaFailure conditions', () => {
    const k = cli(freshHome());
    const ns = ['--namespace=quota-pod-example'];
    k('create', 'namespace', 'quota-pod-example');
    expect(k('apply', '-f', join(EX, 'quota-pod.yaml'), ...ns).code).toBe(0);
    expect(k('apply', '-f', join(EX, 'quota-pod-deployment.yaml'), ...ns).code).toBe(0);
    expect(k('get', 'resourcequota', 'pod-demo', ...ns, '-o', 'jsonpath={.status}').stdout).toBe('{"hard":{"pods":"2"},"used":{"pods":"2"}}');
    const deploy = k('get', 'deployment', 'pod-quota-demo', ...ns, '--output=yaml').stdout;
    expect(deploy).toMatch(/message: 'Error creating: pods "pod-quota-demo-[a-z0-9]+-[a-z0-9]{5}" is forbidden:\n +exceeded quota: pod-demo, requested: pods=1, used: pods=2, limited: pods=2'\n +reason: FailedCreate\n +status: "True"\n +type: ReplicaFailure/);
    expect(deploy).toContain('  availableReplicas: 2\n');
    expect(deploy).toContain('  readyReplicas: 2\n');
    expect(k('get', 'deployment', ...ns).stdout).toMatch(/pod-quota-demo +2\/3 +2 +2 /);
    const rs = k('describe', 'rs', ...ns).stdout;
    expect(rs).toContain('Conditions:\n  Type             Status  Reason\n  ----             ------  ------\n  ReplicaFailure   True    FailedCreate\n');
    expect(rs).toMatch(/Warning +FailedCreate +\S+( \(x\d+ over \S+\))? +replicaset-controller +Error creating: pods "pod-quota-demo-[a-z0-9]+-[a-z0-9]{5}" is forbidden: exceeded quota: pod-demo, requested: pods=1, used: pods=2, limited: pods=2/);
  });
});

describe('LimitRange (docs: memory-default-namespace, cpu-constraint-namespace)', () => {
  it('fills default memory request and limit, with the annotation', () => {
    const k = cli(freshHome());
    const ns = ['--namespace=default-mem-example'];
    k('create', 'namespace', 'default-mem-example');
    expect(k('apply', '-f', join(EX, 'memory-defaults.yaml'), ...ns).stdout).toBe('limitrange/mem-limit-range created\n');
    expect(k('apply', '-f', join(EX, 'memory-defaults-pod.yaml'), ...ns).stdout).toBe('pod/default-mem-demo created\n');
    const pod = k('get', 'pod', 'default-mem-demo', '--output=yaml', ...ns).stdout;
    expect(pod).toContain('    resources:\n      limits:\n        memory: 512Mi\n      requests:\n        memory: 256Mi\n');
    expect(pod).toContain("    kubernetes.io/limit-ranger: 'LimitRanger plugin set: memory request for container\n      default-mem-demo-ctr; memory limit for container default-mem-demo-ctr'\n");
  });

  it('enforces min and max CPU per container with the real messages', () => {
    const k = cli(freshHome());
    const ns = ['--namespace=constraints-cpu-example'];
    k('create', 'namespace', 'constraints-cpu-example');
    expect(k('apply', '-f', join(EX, 'cpu-constraints.yaml'), ...ns).code).toBe(0);
    // The API fills default and defaultRequest from max.
    expect(k('get', 'limitrange', 'cpu-min-max-demo-lr', '--output=yaml', ...ns).stdout).toContain(
      'spec:\n  limits:\n  - default:\n      cpu: 800m\n    defaultRequest:\n      cpu: 800m\n    max:\n      cpu: 800m\n    min:\n      cpu: 200m\n    type: Container\n',
    );
    const refused = k('apply', '-f', join(EX, 'cpu-constraints-pod-2.yaml'), ...ns);
    expect(refused.stderr).toBe(
      `Error from server (Forbidden): error when creating "${join(EX, 'cpu-constraints-pod-2.yaml')}": pods "constraints-cpu-demo-2" is forbidden: maximum cpu usage per Container is 800m, but limit is 1500m\n`,
    );
    const small = run(['create', '-f', '-', ...ns], {
      home: k('version', '--client').home, env: ENV,
      input: '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"small"},"spec":{"containers":[{"name":"small","image":"nginx","resources":{"limits":{"cpu":"800m"},"requests":{"cpu":"100m"}}}]}}',
    });
    expect(small.stderr).toBe('Error from server (Forbidden): error when creating "STDIN": pods "small" is forbidden: minimum cpu usage per Container is 200m, but request is 100m\n');
    // No CPU given: the defaults (800m) apply and are within the range.
    expect(k('run', 'defaulted', '--image=nginx', ...ns).code).toBe(0);
    expect(k('get', 'pod', 'defaulted', '-o', 'jsonpath={.spec.containers[0].resources}', ...ns).stdout).toBe('{"limits":{"cpu":"800m"},"requests":{"cpu":"800m"}}');
    expect(k('describe', 'limitrange', ...ns).stdout).toBe(
      'Name:       cpu-min-max-demo-lr\nNamespace:  constraints-cpu-example\nType        Resource  Min   Max   Default Request  Default Limit  Max Limit/Request Ratio\n' +
        '----        --------  ---   ---   ---------------  -------------  -----------------------\nContainer   cpu       200m  800m  800m             800m           -\n',
    );
  });
});
