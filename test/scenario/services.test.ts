// Services through the CLI: expose and create service, get svc columns (TYPE, CLUSTER-IP,
// EXTERNAL-IP <none>/<pending>/the pool address/the external name, PORT(S) with node ports,
// -o wide SELECTOR), describe svc, refusals as kubectl prints them, and a cluster.yaml pool.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshHome, run, runner } from './helpers.js';

const ENV = { MINIKCTL_TIME: 'instant' };

describe('services through the CLI', () => {
  it('expose, create service nodeport/externalname, and get svc shows kubectl\'s columns', () => {
    const home = freshHome();
    const { ok } = runner(home, ENV);
    ok('create', 'deployment', 'web', '--image=nginx:1.27', '--port=80');
    expect(ok('expose', 'deployment', 'web', '--port=80', '--target-port=8080')).toBe('service/web exposed\n');
    expect(ok('create', 'service', 'nodeport', 'np', '--tcp=80:8080', '--node-port=30080')).toBe('service/np created\n');
    ok('create', 'service', 'externalname', 'db', '--external-name=db.example.com');
    ok('create', 'service', 'loadbalancer', 'lb', '--tcp=443:8443');
    const out = ok('get', 'svc');
    const rows = out.trim().split('\n').map((l) => l.split(/\s{2,}/));
    expect(rows[0]).toEqual(['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
    const row = (name: string) => rows.find((r) => r[0] === name)!;
    expect(row('kubernetes').slice(1, 5)).toEqual(['ClusterIP', '10.96.0.1', '<none>', '443/TCP']);
    expect(row('web')[1]).toBe('ClusterIP');
    expect(row('web')[2]).toMatch(/^10\.\d+\.\d+\.\d+$/);
    expect(row('web').slice(3, 5)).toEqual(['<none>', '80/TCP']);
    expect(row('np').slice(3, 5)).toEqual(['<none>', '80:30080/TCP']);
    expect(row('db').slice(1, 5)).toEqual(['ExternalName', '<none>', 'db.example.com', '<none>']);
    expect(row('lb')[3]).toBe('<pending>');
    expect(row('lb')[4]).toMatch(/^443:3\d{4}\/TCP$/);
    const wide = ok('get', 'svc', 'web', '-o', 'wide').trim().split('\n');
    expect(wide[0].split(/\s{2,}/)).toEqual(['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR']);
    expect(wide[1].split(/\s{2,}/)[6]).toBe('app=web');
    const manifest = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: np2\nspec:\n  type: NodePort\n  ports:\n  - port: 80\n    nodePort: 30080\n';
    const taken = run(['create', '-f', '-'], { home, env: ENV, input: manifest });
    expect(taken.code).toBe(1);
    expect(taken.stderr).toBe('The Service "np2" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated\n');
    const d = ok('describe', 'svc', 'np');
    expect(d).toMatch(/^Type:\s+NodePort$/m);
    expect(d).toMatch(/^NodePort:\s+80-8080\s+30080\/TCP$/m);
    expect(d).toMatch(/^External Traffic Policy:\s+Cluster$/m);
    expect(ok('describe', 'svc', 'db')).toMatch(/^External Name:\s+db\.example\.com$/m);
  });

  it('with a loadBalancerPool in cluster.yaml, a LoadBalancer Service gets the first address and says so', () => {
    const home = freshHome();
    const { ok } = runner(home);
    const file = join(home, 'cluster.yaml');
    writeFileSync(file, 'kind: Cluster\nnetworking:\n  kubeProxyMode: ipvs\nloadBalancerPool:\n- 172.18.255.200-172.18.255.250\n');
    ok('cluster', 'create', 'lab', '--config', file, '--time', 'instant');
    ok('create', 'service', 'loadbalancer', 'lb', '--tcp=80:8080');
    const row = ok('get', 'svc', 'lb').trim().split('\n')[1].split(/\s{2,}/);
    expect(row[3]).toBe('172.18.255.200');
    const d = ok('describe', 'svc', 'lb');
    expect(d).toMatch(/^LoadBalancer Ingress:\s+172\.18\.255\.200 \(VIP\)$/m);
    expect(d).toMatch(/Normal\s+IPAllocated\s+\S+\s+metallb-controller\s+Assigned IP \["172\.18\.255\.200"\]/);
    expect(ok('get', 'cm', 'kube-proxy', '-n', 'kube-system', '-o', 'jsonpath={.data.config\\.conf}')).toMatch(/^mode: ipvs$/m);
  });
});
