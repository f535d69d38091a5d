// The docs' HorizontalPodAutoscaler walkthrough with the real CLI (instant time, the clock moved
// with `cluster advance`): php-apache behind a Service, `autoscale --cpu-percent=50`, a busybox
// request loop; CPU rises, the HPA scales to 7 and holds; the loop stops and it comes back to 1.
import { describe, expect, it } from 'vitest';
import { freshHome, run } from './helpers.js';

const ENV = { MINIKCTL_TIME: 'instant' };

// application/php-apache.yaml of the website (not in the corpus copy): the Deployment and Service.
const PHP_APACHE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: php-apache
spec:
  selector:
    matchLabels:
      run: php-apache
  template:
    metadata:
      labels:
        run: php-apache
    spec:
      containers:
      - name: php-apache
        image: registry.k8s.io/hpa-example
        ports:
        - containerPort: 80
        resources:
          limits:
            cpu: 500m
          requests:
            cpu: 200m
---
apiVersion: v1
kind: Service
metadata:
  name: php-apache
  labels:
    run: php-apache
spec:
  ports:
  - port: 80
  selector:
    run: php-apache
`;

describe('kubectl autoscale', () => {
  it('prints what kubectl v1.32 prints with --dry-run=client (autoscaling/v1)', () => {
    const home = freshHome();
    run(['apply', '-f', '-'], { home, env: ENV, input: PHP_APACHE });
    const r = run(['autoscale', 'deployment', 'php-apache', '--cpu-percent=50', '--min=1', '--max=10', '--dry-run=client', '-o', 'yaml'], { home, env: ENV });
    // Captured from kubectl v1.32 against a server holding the same Deployment.
    expect(r.stdout).toBe(`apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata:
  creationTimestamp: null
  name: php-apache
spec:
  maxReplicas: 10
  minReplicas: 1
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: php-apache
  targetCPUUtilizationPercentage: 50
status:
  currentReplicas: 0
  desiredReplicas: 0
`);
    expect(run(['autoscale', 'deployment/php-apache', '--max=5', '--name=x', '--dry-run=client', '-o', 'json'], { home, env: ENV }).stdout).toBe(`{
    "kind": "HorizontalPodAutoscaler",
    "apiVersion": "autoscaling/v1",
    "metadata": {
        "name": "x",
        "creationTimestamp": null
    },
    "spec": {
        "scaleTargetRef": {
            "kind": "Deployment",
            "name": "php-apache",
            "apiVersion": "apps/v1"
        },
        "maxReplicas": 5
    },
    "status": {
        "currentReplicas": 0,
        "desiredReplicas": 0
    }
}
`);
    const bad = run(['autoscale', 'deployment', 'php-apache', '--max=2', '--min=3'], { home, env: ENV });
    expect([bad.code, bad.stderr]).toEqual([1, 'error: --max=MAXPODS must be larger or equal to --min=MINPODS, max: 2, min: 3\n']);
    const none = run(['autoscale', 'deployment', 'nope', '--max=2'], { home, env: ENV });
    expect([none.code, none.stderr]).toEqual([1, 'Error from server (NotFound): deployments.apps "nope" not found\n']);
  });
});

describe('HPA walkthrough (needs kubelet, scheduler and deployment controllers)', () => {
  it('scales php-apache up under load and back down after the stabilisation window', () => {
    const home = freshHome();
    const k = (...args: string[]) => run(args, { home, env: ENV });
    expect(run(['apply', '-f', '-'], { home, env: ENV, input: PHP_APACHE }).stdout).toBe('deployment.apps/php-apache created\nservice/php-apache created\n');
    expect(k('autoscale', 'deployment', 'php-apache', '--cpu-percent=50', '--min=1', '--max=10').stdout).toBe('horizontalpodautoscaler.autoscaling/php-apache autoscaled\n');
    // Before its first sync an HPA knows nothing.
    expect(k('get', 'hpa').stdout).toMatch(/^NAME +REFERENCE +TARGETS +MINPODS +MAXPODS +REPLICAS +AGE\nphp-apache +Deployment\/php-apache +cpu: <unknown>\/50% +1 +10 +0 +\S+\n$/);
    k('cluster', 'advance', '1m');
    expect(k('get', 'hpa').stdout).toMatch(/php-apache +Deployment\/php-apache +cpu: [0-9]%\/50% +1 +10 +1 /);

    expect(k('run', 'load-generator', '--image=busybox:1.28', '--restart=Never', '--', '/bin/sh', '-c', 'while sleep 0.01; do wget -q -O- http://php-apache; done').code).toBe(0);
    k('cluster', 'advance', '3m');
    const loaded = k('get', 'hpa', 'php-apache').stdout;
    expect(loaded).toMatch(/php-apache +Deployment\/php-apache +cpu: 4\d%\/50% +1 +10 +7 /);
    expect(k('get', 'deployment', 'php-apache').stdout).toMatch(/php-apache +7\/7 +7 +7 /);
    const described = k('describe', 'hpa', 'php-apache').stdout;
    expect(described).toMatch(/resource cpu on pods  \(as a percentage of request\): +4\d% \(\d+m\) \/ 50%\n/);
    expect(described).toContain('Deployment pods:                                       7 current / 7 desired\n');
    expect(described).toMatch(/ScalingActive +True +ValidMetricFound +the HPA was able to successfully calculate a replica count from cpu resource utilization \(percentage of request\)\n/);
    expect(described).toMatch(/Normal +SuccessfulRescale +\S+ +horizontal-pod-autoscaler +New size: 4; reason: cpu resource utilization \(percentage of request\) above target\n/);
    expect(described).toMatch(/Normal +SuccessfulRescale +\S+ +horizontal-pod-autoscaler +New size: 7; reason: cpu resource utilization \(percentage of request\) above target\n/);

    expect(k('delete', 'pod', 'load-generator', '--now').code).toBe(0);
    k('cluster', 'advance', '7m');
    expect(k('get', 'hpa', 'php-apache').stdout).toMatch(/php-apache +Deployment\/php-apache +cpu: [0-9]%\/50% +1 +10 +1 /);
    expect(k('get', 'deployment', 'php-apache').stdout).toMatch(/php-apache +1\/1 +1 +1 /);
    expect(k('get', 'events', '--field-selector', 'involvedObject.kind=HorizontalPodAutoscaler').stdout).toMatch(/SuccessfulRescale +horizontalpodautoscaler\/php-apache +New size: 1; reason: All metrics below target/);
  });
});
