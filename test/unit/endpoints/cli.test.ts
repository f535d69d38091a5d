// The CLI view (instant time): after `apply` of a Deployment and its Service, `get endpoints` and
// `get endpointslices` show the three pod addresses as kubectl prints them.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshHome, runner } from '../../scenario/helpers.js';

const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: my-app
spec:
  replicas: 3
  selector:
    matchLabels: {app: my-app}
  template:
    metadata:
      labels: {app: my-app}
    spec:
      containers:
      - name: web
        image: nginx:1.25
        ports:
        - {name: http, containerPort: 8000}
---
apiVersion: v1
kind: Service
metadata:
  name: my-app-service
spec:
  selector: {app: my-app}
  ports:
  - {port: 80, targetPort: http}
`;

describe('get endpoints / endpointslices after apply (CLI, MINIKCTL_TIME=instant)', () => {
  it('lists the three pod addresses on the resolved target port', () => {
    const home = freshHome();
    const file = join(home, 'app.yaml');
    writeFileSync(file, MANIFEST);
    const { ok } = runner(home, { MINIKCTL_TIME: 'instant' });
    ok('apply', '-f', file);
    const ips = ok('get', 'pods', '-l', 'app=my-app', '-o', 'jsonpath={.items[*].status.podIP}').trim().split(' ').sort();
    expect(ips).toHaveLength(3);
    const ep = ok('get', 'endpoints', 'my-app-service').split('\n');
    expect(ep[0]).toMatch(/^NAME\s+ENDPOINTS\s+AGE$/);
    expect(ep[1]).toMatch(new RegExp(`^my-app-service\\s+${ips.map((ip) => `${ip.replace(/\./g, '\\.')}:8000`).join(',')}\\s+\\d+s$`));
    const sl = ok('get', 'endpointslices', '-l', 'kubernetes.io/service-name=my-app-service').split('\n');
    expect(sl[0]).toMatch(/^NAME\s+ADDRESSTYPE\s+PORTS\s+ENDPOINTS\s+AGE$/);
    expect(sl[1]).toMatch(/^my-app-service-[a-z0-9]{5}\s+IPv4\s+8000\s+\S+\s+\d+s$/);
    expect(sl[1].split(/\s+/)[3].split(',').sort()).toEqual(ips);
    const svc = ok('describe', 'service', 'my-app-service');
    expect(svc).toMatch(/\nEndpoints:\s+\S+:8000,\S+:8000,\S+:8000\n/);
  });
});
