// Services and the network as a user meets them (issue 5 "Done when"), through the real CLI: seed
// 003 phases 4-5 from the seed's own manifests, the docs' guestbook, a headless StatefulSet
// service, a readiness probe failing and the endpoint leaving, NetworkPolicy cutting traffic and
// letting it through, the real symptoms of broken Services, and ipvs mode. iptables-save and
// ipvsadm are pinned as golden files under test/scenario/golden/network/ (manual time, pinned
// clock: UPDATE_GOLDEN=1 rewrites them; read every changed line against a real node first).
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { freshHome, run, runner } from './helpers.js';
import { scenario, type Scenario } from './golden/golden.js';

const ROOT = join(__dirname, '..', '..');
const DEPLOYMENT = join(ROOT, 'fixtures/my-app-deployment.yaml');
const SERVICE = join(ROOT, 'fixtures/my-app-service.yaml');
const EXAMPLES = '/work/shared/corpus/k8s-website-examples';
const INSTANT = { MINIKCTL_TIME: 'instant' };

type Runner = ReturnType<typeof runner>;

/** the pods of `get pods -o json`, with the fields the assertions read */
function pods(ok: Runner['ok'], ...args: string[]): { name: string; ip: string; node: string }[] {
  const list = JSON.parse(ok('get', 'pods', '-o', 'json', ...args));
  return list.items.map((p: any) => ({ name: p.metadata.name, ip: p.status.podIP, node: p.spec.nodeName }));
}

/** the kube-proxy pod on a node */
function kubeProxyOn(ok: Runner['ok'], node: string): string {
  const p = pods(ok, '-n', 'kube-system', '-l', 'k8s-app=kube-proxy').find((x) => x.node === node);
  expect(p, `a kube-proxy pod on ${node}`).toBeDefined();
  return p!.name;
}

/** the lines of one table of iptables-save output (from "*nat" to its COMMIT) */
function table(save: string, name: string): string[] {
  const lines = save.split('\n');
  const start = lines.indexOf(`*${name}`);
  expect(start, `table ${name} in iptables-save`).toBeGreaterThan(-1);
  return lines.slice(start, lines.indexOf('COMMIT', start) + 1);
}

/** a trace's numbered steps, without their detail lines */
function steps(trace: string): string[] {
  return trace.split('\n').filter((l) => /^\s+\d+\.\s+\+/.test(l));
}

/** index of the first step matching re (fails the test when none does) */
function at(list: string[], re: RegExp): number {
  const i = list.findIndex((l) => re.test(l));
  expect(i, `a trace step matching ${re}\n${list.join('\n')}`).toBeGreaterThan(-1);
  return i;
}

const inCIDR12 = (ip: string) => {
  const [a, b] = ip.split('.').map(Number);
  return a === 10 && b >= 96 && b <= 111;
};

// ------------------------------------------------------------------------------------------------

describe('seed 003 phases 4-5: my-app-service from the seed\'s manifests (manual time, golden)', () => {
  let s: Scenario;
  let svcTrace: string;
  let clusterIP: string;
  let app: { name: string; ip: string; node: string }[];

  beforeAll(() => {
    s = scenario('network/seed-003');
    s.ok('apply', '-f', DEPLOYMENT);
    s.advance('30s');
    svcTrace = s.ok('apply', '-f', SERVICE, '--trace');
    clusterIP = s.ok('get', 'svc', 'my-app-service', '-o', 'jsonpath={.spec.clusterIP}');
    app = pods(s.ok, '-l', 'app=my-app');
    s.ok('run', 'client', '--image=busybox', '--', 'sleep', '3600');
    s.advance('10s');
  }, 60_000);

  it('the Service gets a ClusterIP in 10.96.0.0/12 and `get svc` shows it', () => {
    expect(s.ok('apply', '-f', SERVICE)).toBe('service/my-app-service unchanged\n');
    expect(inCIDR12(clusterIP), clusterIP).toBe(true);
    const row = s.ok('get', 'svc', 'my-app-service').trim().split('\n')[1].split(/\s{2,}/);
    expect(row.slice(0, 5)).toEqual(['my-app-service', 'ClusterIP', clusterIP, '<none>', '80/TCP']);
  });

  it('get endpoints lists the three pod IPs on 8000', () => {
    expect(app).toHaveLength(3);
    const row = s.ok('get', 'endpoints', 'my-app-service').trim().split('\n')[1].split(/\s{2,}/);
    expect(row[0]).toBe('my-app-service');
    expect(row[1].split(',').sort()).toEqual(app.map((p) => `${p.ip}:8000`).sort());
  });

  it('the EndpointSlice carries the service-name label and three ready endpoints with nodeName and zone', () => {
    const list = JSON.parse(s.ok('get', 'endpointslices', '-l', 'kubernetes.io/service-name=my-app-service', '-o', 'json'));
    expect(list.items).toHaveLength(1);
    const slice = list.items[0];
    expect(slice.metadata.name).toMatch(/^my-app-service-[a-z0-9]{5}$/);
    expect(slice.metadata.labels['endpointslice.kubernetes.io/managed-by']).toBe('endpointslice-controller.k8s.io');
    expect(slice.addressType).toBe('IPv4');
    expect(slice.ports).toEqual([{ name: '', port: 8000, protocol: 'TCP' }]);
    expect(slice.endpoints).toHaveLength(3);
    for (const ep of slice.endpoints) {
      const pod = app.find((p) => p.ip === ep.addresses[0])!;
      expect(pod, ep.addresses[0]).toBeDefined();
      expect(ep.conditions).toEqual({ ready: true, serving: true, terminating: false });
      expect(ep.nodeName).toBe(pod.node);
      expect(ep.zone).toMatch(/\S/);
      expect(ep.targetRef).toMatchObject({ kind: 'Pod', name: pod.name, namespace: 'default' });
    }
  });

  it('apply --trace: ClusterIP allocated in admission, then the endpoint controllers, then kube-proxy', () => {
    expect(svcTrace.startsWith('service/my-app-service created\n')).toBe(true);
    const lines = svcTrace.split('\n');
    const post = at(lines, /POST \/api\/v1\/namespaces\/default\/services → 201 Created/);
    const alloc = at(lines, new RegExp(`mutating admission: ClusterIP allocator: spec\\.clusterIP=${clusterIP.replace(/\./g, '\\.')}`));
    const etcd = at(lines, /etcd: created \/registry\/services\/specs\/default\/my-app-service/);
    const eps = at(lines, /endpoint-controller: endpoints created service default\/my-app-service — 3 ready/);
    const slice = at(lines, /endpointslice-controller.*my-app-service.*3 ready/);
    const proxy = at(lines, /kube-proxy: programmed rules .*default\/my-app-service → 3 endpoints/);
    expect(post).toBeLessThan(alloc);
    expect(alloc).toBeLessThan(etcd);
    expect(etcd).toBeLessThan(eps);
    expect(eps).toBeLessThan(slice);
    expect(slice).toBeLessThan(proxy);
  });

  it('iptables-save on a worker\'s kube-proxy: KUBE-SVC with three KUBE-SEP, statistic probabilities, DNAT to each pod:8000 (golden)', () => {
    const proxy = kubeProxyOn(s.ok, 'minikctl-worker');
    const r = s.golden('iptables-save-worker', 'exec', '-n', 'kube-system', proxy, '--', 'iptables-save');
    const nat = table(r.stdout, 'nat');
    const jump = nat.find((l) => l.startsWith('-A KUBE-SERVICES') && l.includes(`-d ${clusterIP}/32`))!;
    expect(jump).toMatch(/-p tcp -m comment --comment "default\/my-app-service cluster IP" -m tcp --dport 80 -j (KUBE-SVC-[A-Z0-9]{16})$/);
    const svcChain = / -j (KUBE-SVC-[A-Z0-9]{16})$/.exec(jump)![1];
    const toSep = nat.filter((l) => l.startsWith(`-A ${svcChain} `) && l.includes('-j KUBE-SEP-'));
    expect(toSep).toHaveLength(3);
    expect(toSep[0]).toContain('-m statistic --mode random --probability 0.33333333349 -j KUBE-SEP-');
    expect(toSep[1]).toContain('-m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-');
    expect(toSep[2]).not.toContain('statistic');
    const dnats = toSep.map((l) => {
      const sep = / -j (KUBE-SEP-[A-Z0-9]{16})$/.exec(l)![1];
      const d = nat.find((x) => x.startsWith(`-A ${sep} `) && x.includes('-j DNAT'))!;
      return /--to-destination (\S+)$/.exec(d)![1];
    });
    expect(dnats.sort()).toEqual(app.map((p) => `${p.ip}:8000`).sort());
    // every node has the same Service rules: the source node is the one that matters
    const other = s.ok('exec', '-n', 'kube-system', kubeProxyOn(s.ok, 'minikctl-worker3'), '--', 'iptables-save');
    expect(table(other, 'nat').filter((l) => l.includes('my-app-service'))).toEqual(nat.filter((l) => l.includes('my-app-service')));
  });

  it('from a busybox client: nslookup answers the ClusterIP; resolv.conf is the kubelet\'s', () => {
    // busybox's nslookup also asks the other search domains and exits 1 for their NXDOMAINs
    const ns = s.raw('exec', 'client', '--', 'nslookup', 'my-app-service');
    expect(ns.stdout).toContain(`Name:\tmy-app-service.default.svc.cluster.local\nAddress: ${clusterIP}\n`);
    expect(ns.stdout.startsWith('Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n')).toBe(true);
    expect(s.ok('exec', 'client', '--', 'cat', '/etc/resolv.conf')).toBe(
      'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n',
    );
  });

  it('wget -qO- my-app-service reaches one of the three pods, and --trace lists the hops in the seed\'s order', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const out = s.ok('exec', 'client', '--', 'wget', '-qO-', 'my-app-service');
      const m = /^Hello from (\S+) \(your-image:latest\) on port 8000\n$/.exec(out);
      expect(m, out).not.toBeNull();
      expect(app.map((p) => p.name)).toContain(m![1]);
      seen.add(m![1]);
    }
    const client = pods(s.ok).find((p) => p.name === 'client')!;
    const out = s.ok('exec', 'client', '--trace', '--', 'wget', '-qO-', 'my-app-service');
    const answered = /^Hello from (\S+) /.exec(out)![1];
    const target = app.find((p) => p.name === answered)!;
    const t = steps(out);
    const dns = at(t, new RegExp(`coredns: answered my-app-service\\.default\\.svc\\.cluster\\.local — A ${clusterIP.replace(/\./g, '\\.')}`));
    const intercept = at(t, new RegExp(`kube-proxy: intercepted ${clusterIP.replace(/\./g, '\\.')}:80/TCP .*rules on ${client.node} \\(the source node\\)`));
    const dnat = at(t, new RegExp(`kube-proxy: DNAT ${target.ip.replace(/\./g, '\\.')}:8000 — ${clusterIP.replace(/\./g, '\\.')}:80 → ${target.ip.replace(/\./g, '\\.')}:8000 via KUBE-SERVICES → KUBE-SVC-`));
    const accepted = at(t, new RegExp(`${answered}: accepted ${target.ip.replace(/\./g, '\\.')}:8000/TCP`));
    const reply = at(t, new RegExp(`${answered}: answered GET / — HTTP 200 OK`));
    expect(dns).toBeLessThan(intercept);
    expect(intercept).toBeLessThan(dnat);
    expect(dnat).toBeLessThan(accepted);
    expect(accepted).toBeLessThan(reply);
  });

  it('a Service without endpoints, a wrong targetPort and an unknown name fail as on a real cluster', () => {
    s.ok('create', 'service', 'clusterip', 'empty', '--tcp=80:8000');
    s.apply('apiVersion: v1\nkind: Service\nmetadata:\n  name: wrong-port\nspec:\n  selector:\n    app: my-app\n  ports:\n  - port: 80\n    targetPort: 9999\n');
    const emptyIP = s.ok('get', 'svc', 'empty', '-o', 'jsonpath={.spec.clusterIP}');
    const wrongIP = s.ok('get', 'svc', 'wrong-port', '-o', 'jsonpath={.spec.clusterIP}');
    expect(s.ok('get', 'endpoints', 'empty').split('\n')[1]).toMatch(/^empty\s+<none>\s+/);
    const a = s.raw('exec', 'client', '--', 'wget', '-qO-', '-T', '2', 'empty');
    expect([a.stdout, a.stderr, a.code]).toEqual(['', `wget: can't connect to remote host (${emptyIP}): Connection refused\ncommand terminated with exit code 1\n`, 1]);
    // kube-proxy's REJECT for a Service with no endpoints sits in the filter table; `create service
    // --tcp=80:8000` names the port "80-8000", and the comment names the service port
    const save = s.ok('exec', '-n', 'kube-system', kubeProxyOn(s.ok, 'minikctl-worker'), '--', 'iptables-save');
    expect(table(save, 'filter').join('\n')).toContain(`-d ${emptyIP}/32 -p tcp -m comment --comment "default/empty:80-8000 has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable`);
    const b = s.raw('exec', 'client', '--', 'wget', '-qO-', '-T', '2', 'wrong-port');
    expect([b.stdout, b.stderr, b.code]).toEqual(['', `wget: can't connect to remote host (${wrongIP}): Connection refused\ncommand terminated with exit code 1\n`, 1]);
    const c = s.raw('exec', 'client', '--', 'wget', '-qO-', '-T', '2', 'nosuch');
    expect([c.stdout, c.stderr, c.code]).toEqual(['', "wget: bad address 'nosuch'\ncommand terminated with exit code 1\n", 1]);
  });
});

// ------------------------------------------------------------------------------------------------

describe('the guestbook of the docs: the frontend reaches redis by Service name', () => {
  const G = join(EXAMPLES, 'application/guestbook');
  let m: Runner;
  const GET = 'localhost/guestbook.php?cmd=get&key=messages';

  beforeAll(() => {
    m = runner(freshHome(), INSTANT);
    for (const f of ['redis-leader-deployment', 'redis-leader-service', 'redis-follower-deployment', 'redis-follower-service', 'frontend-deployment', 'frontend-service']) {
      m.ok('apply', '-f', join(G, `${f}.yaml`));
    }
  }, 60_000);

  it('the frontend Service selects app.kubernetes.io/name=guestbook, the pods say app=guestbook: no endpoints, as on a real cluster', () => {
    expect(m.ok('get', 'endpoints', 'frontend').split('\n')[1]).toMatch(/^frontend\s+<none>\s+\S+$/);
    expect(m.ok('get', 'pods', '-l', 'app=guestbook,tier=frontend', '-o', 'name').trim().split('\n')).toHaveLength(3);
    expect(m.raw('get', 'pods', '-l', 'app.kubernetes.io/name=guestbook').stderr).toBe('No resources found in default namespace.\n');
    const follower = m.ok('get', 'endpoints', 'redis-follower').split('\n')[1].split(/\s+/)[1];
    expect(follower.split(',')).toHaveLength(2);
    for (const e of follower.split(',')) expect(e).toMatch(/^10\.244\.\d+\.\d+:6379$/);
  });

  it('guestbook.php reads from redis-follower through CoreDNS and kube-proxy: {"data": ""}', () => {
    // guestbook.php prints no newline after its JSON; the exec tools' line-based stdout adds one
    expect(m.ok('exec', 'deploy/frontend', '--', 'curl', '-s', GET)).toMatch(/^\{"data": ""\}\n?$/);
    const followerIP = m.ok('get', 'svc', 'redis-follower', '-o', 'jsonpath={.spec.clusterIP}');
    const followers = pods(m.ok, '-l', 'app=redis,role=follower').map((p) => p.ip);
    const out = m.ok('exec', 'deploy/frontend', '--trace', '--', 'curl', '-s', GET);
    expect(out.startsWith('{"data": ""}')).toBe(true);
    const t = steps(out);
    const dns = at(t, new RegExp(`coredns: answered redis-follower\\.default\\.svc\\.cluster\\.local — A ${followerIP.replace(/\./g, '\\.')}`));
    const proxy = at(t, new RegExp(`kube-proxy: intercepted ${followerIP.replace(/\./g, '\\.')}:6379/TCP`));
    const dnat = at(t, /kube-proxy: DNAT (\S+):6379 — /);
    expect(followers).toContain(/kube-proxy: DNAT (\S+):6379 — /.exec(t[dnat])![1]);
    const redis = at(t, /redis-follower-\S+: accepted \S+:6379\/TCP/);
    const php = at(t, /frontend-\S+: answered GET \/guestbook\.php\?cmd=get&key=messages — HTTP 200 OK/);
    expect(dns).toBeLessThan(proxy);
    expect(proxy).toBeLessThan(dnat);
    expect(dnat).toBeLessThan(redis);
    expect(redis).toBeLessThan(php);
  });

  it('without the redis-follower Service the name no longer resolves: PHP\'s Predis error page', () => {
    m.ok('delete', 'service', 'redis-follower');
    const out = m.ok('exec', 'deploy/frontend', '--', 'curl', '-s', GET);
    expect(out).toContain("Uncaught exception 'Predis\\Connection\\ConnectionException' with message 'php_network_getaddresses: getaddrinfo failed: Name or service not known [tcp://redis-follower:6379]'");
    expect(out).not.toContain('{"data"');
  });
});

// ------------------------------------------------------------------------------------------------

describe('a headless StatefulSet service (docs application/web/web.yaml)', () => {
  let m: Runner;
  let web: { name: string; ip: string }[];

  beforeAll(() => {
    m = runner(freshHome(), INSTANT);
    m.ok('apply', '-f', join(EXAMPLES, 'application/web/web.yaml'));
    m.ok('run', 'dns-test', '--image=busybox:1.28', '--', 'sleep', '3600');
    m.ok('run', 'bb', '--image=busybox:1.36', '--', 'sleep', '3600');
    m.ok('run', 'dnsutils', '--image=registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3', '--', 'sleep', '3600');
    web = pods(m.ok, '-l', 'app=nginx').sort((a, b) => a.name.localeCompare(b.name));
  }, 60_000);

  it('the headless Service has no ClusterIP and both pods as endpoints', () => {
    expect(web.map((p) => p.name)).toEqual(['web-0', 'web-1']);
    expect(m.ok('get', 'svc', 'nginx').split('\n')[1]).toMatch(/^nginx\s+ClusterIP\s+None\s+<none>\s+80\/TCP\s+/);
    const eps = m.ok('get', 'endpoints', 'nginx').split('\n')[1].split(/\s+/)[1];
    expect(eps.split(',').sort()).toEqual(web.map((p) => `${p.ip}:80`).sort());
  });

  it('busybox:1.28 (the docs\' DNS test image): nslookup web-0.nginx gives web-0\'s IP; nslookup nginx lists every ready pod', () => {
    const one = m.ok('exec', 'dns-test', '--', 'nslookup', 'web-0.nginx');
    expect(one).toBe(
      'Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\n' +
      `Name:      web-0.nginx\nAddress 1: ${web[0].ip} web-0.nginx.default.svc.cluster.local\n`,
    );
    const all = m.ok('exec', 'dns-test', '--', 'nslookup', 'nginx');
    expect(all).toContain('Name:      nginx\n');
    for (const p of web) expect(all).toMatch(new RegExp(`^Address \\d: ${p.ip.replace(/\./g, '\\.')} ${p.name}\\.nginx\\.default\\.svc\\.cluster\\.local$`, 'm'));
    const bad = m.raw('exec', 'dns-test', '--', 'nslookup', 'web-9.nginx');
    expect(bad.stderr).toBe("nslookup: can't resolve 'web-9.nginx'\ncommand terminated with exit code 1\n");
  });

  it('busybox 1.36\'s nslookup does not search for a dotted name (a known busybox regression); the FQDN works', () => {
    const short = m.raw('exec', 'bb', '--', 'nslookup', 'web-0.nginx');
    expect(short.stdout).toContain("** server can't find web-0.nginx: NXDOMAIN");
    expect(short.code).toBe(1);
    const full = m.raw('exec', 'bb', '--', 'nslookup', 'web-0.nginx.default.svc.cluster.local');
    expect(full.stdout).toContain(`Name:\tweb-0.nginx.default.svc.cluster.local\nAddress: ${web[0].ip}\n`);
  });

  it('dig (jessie-dnsutils): A records of the headless name, the pod name, and SRV for the named port', () => {
    const a = m.ok('exec', 'dnsutils', '--', 'dig', '+short', 'nginx.default.svc.cluster.local');
    expect(a.trim().split('\n').sort()).toEqual(web.map((p) => p.ip).sort());
    expect(m.ok('exec', 'dnsutils', '--', 'dig', '+short', 'web-1.nginx.default.svc.cluster.local')).toBe(`${web[1].ip}\n`);
    const srv = m.ok('exec', 'dnsutils', '--', 'dig', '+short', 'SRV', '_web._tcp.nginx.default.svc.cluster.local');
    const rows = srv.trim().split('\n').sort();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^0 \d+ 80 web-0\.nginx\.default\.svc\.cluster\.local\.$/);
    expect(rows[1]).toMatch(/^0 \d+ 80 web-1\.nginx\.default\.svc\.cluster\.local\.$/);
  });
});

// ------------------------------------------------------------------------------------------------

describe('a readiness probe failing: the endpoint leaves (manual time)', () => {
  // Each pod is ready while /tmp/healthy exists; its script removes the file 30s after the
  // container starts. The second replica comes 20s after the first, so between ~35s and ~55s
  // exactly one pod (the first) is unready.
  const FLAKY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: flaky
spec:
  replicas: 1
  selector:
    matchLabels:
      app: flaky
  template:
    metadata:
      labels:
        app: flaky
    spec:
      containers:
      - name: app
        image: busybox:1.36
        command: ["sh", "-c", "touch /tmp/healthy; (sleep 30; rm -f /tmp/healthy) & httpd -f -p 8080"]
        ports:
        - containerPort: 8080
        readinessProbe:
          exec:
            command: ["cat", "/tmp/healthy"]
          periodSeconds: 5
          failureThreshold: 1
`;
  let s: Scenario;
  let first: { name: string; ip: string; node: string };
  let second: { name: string; ip: string; node: string };
  let clusterIP: string;

  beforeAll(() => {
    s = scenario('network/readiness');
    s.apply(FLAKY);
    s.ok('expose', 'deployment', 'flaky', '--port=80', '--target-port=8080');
    s.ok('run', 'client', '--image=busybox:1.36', '--', 'sleep', '3600');
    s.advance('20s');
    first = pods(s.ok, '-l', 'app=flaky')[0];
    s.ok('scale', 'deployment', 'flaky', '--replicas=2');
    s.advance('10s');
    second = pods(s.ok, '-l', 'app=flaky').find((p) => p.name !== first.name)!;
    clusterIP = s.ok('get', 'svc', 'flaky', '-o', 'jsonpath={.spec.clusterIP}');
  }, 60_000);

  it('while both are ready, both are endpoints and both answer', () => {
    const eps = s.ok('get', 'endpoints', 'flaky').split('\n')[1].split(/\s+/)[1];
    expect(eps.split(',').sort()).toEqual([`${first.ip}:8080`, `${second.ip}:8080`].sort());
  });

  it('past the failure: notReadyAddresses, ready: false in the slice, no KUBE-SEP, and wget never reaches it', () => {
    s.advance('10s');
    const ready = (p: string) => s.ok('get', 'pod', p, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}');
    expect([ready(first.name), ready(second.name)]).toEqual(['False', 'True']);
    const ep = yaml.load(s.ok('get', 'endpoints', 'flaky', '-o', 'yaml')) as any;
    expect(ep.subsets).toHaveLength(1);
    expect(ep.subsets[0].addresses.map((a: any) => a.ip)).toEqual([second.ip]);
    expect(ep.subsets[0].notReadyAddresses).toEqual([{ ip: first.ip, nodeName: first.node, targetRef: expect.objectContaining({ kind: 'Pod', name: first.name }) }]);
    expect(ep.subsets[0].ports).toEqual([{ port: 8080, protocol: 'TCP' }]);
    const d = s.ok('describe', 'endpoints', 'flaky');
    expect(d).toMatch(new RegExp(`^  Addresses:\\s+${second.ip.replace(/\./g, '\\.')}$`, 'm'));
    expect(d).toMatch(new RegExp(`^  NotReadyAddresses:\\s+${first.ip.replace(/\./g, '\\.')}$`, 'm'));
    expect(s.ok('get', 'endpoints', 'flaky').split('\n')[1]).toMatch(new RegExp(`^flaky\\s+${second.ip.replace(/\./g, '\\.')}:8080\\s+`));

    const slice = JSON.parse(s.ok('get', 'endpointslices', '-l', 'kubernetes.io/service-name=flaky', '-o', 'json')).items[0];
    const cond = (ip: string) => slice.endpoints.find((e: any) => e.addresses[0] === ip)?.conditions;
    expect(cond(first.ip)).toEqual({ ready: false, serving: false, terminating: false });
    expect(cond(second.ip)).toEqual({ ready: true, serving: true, terminating: false });

    const nat = table(s.ok('exec', '-n', 'kube-system', kubeProxyOn(s.ok, 'minikctl-worker'), '--', 'iptables-save'), 'nat').join('\n');
    expect(nat).not.toContain(`--to-destination ${first.ip}:8080`);
    expect(nat).toContain(`-j DNAT --to-destination ${second.ip}:8080`);
    expect(nat).toMatch(new RegExp(`"default/flaky -> ${second.ip.replace(/\./g, '\\.')}:8080" -j KUBE-SEP-`));

    for (let i = 0; i < 4; i++) expect(s.ok('exec', 'client', '--', 'wget', '-qO-', '-T', '2', 'flaky')).toContain(`from ${second.name} `);
  });

  it('when the only other pod turns unready too, kube-proxy REJECTs: Connection refused', () => {
    s.advance('20s');
    expect(s.ok('get', 'endpoints', 'flaky').split('\n')[1]).toMatch(/^flaky\s{2,}\S+$/);
    const save = s.ok('exec', '-n', 'kube-system', kubeProxyOn(s.ok, 'minikctl-worker'), '--', 'iptables-save');
    expect(save).not.toMatch(/--to-destination \S+:8080/);
    expect(table(save, 'filter').join('\n')).toContain(`-d ${clusterIP}/32 -p tcp -m comment --comment "default/flaky has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable`);
    const r = s.raw('exec', 'client', '--', 'wget', '-qO-', '-T', '2', 'flaky');
    expect([r.stdout, r.stderr, r.code]).toEqual(['', `wget: can't connect to remote host (${clusterIP}): Connection refused\ncommand terminated with exit code 1\n`, 1]);
  });
});

// ------------------------------------------------------------------------------------------------

describe('NetworkPolicy cuts traffic and lets it through again (docs: declare network policy)', () => {
  const ACCESS_NGINX = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: access-nginx
spec:
  podSelector:
    matchLabels:
      app: nginx
  ingress:
  - from:
    - podSelector:
        matchLabels:
          access: "true"
`;
  let m: Runner;
  let home: string;
  const TIMEOUT = 'wget: download timed out\ncommand terminated with exit code 1\n';
  const get = (pod: string) => m.raw('exec', pod, '--', 'wget', '-qO-', '-T', '2', 'nginx');

  beforeAll(() => {
    home = freshHome();
    m = runner(home, INSTANT);
    m.ok('create', 'deployment', 'nginx', '--image=nginx');
    m.ok('expose', 'deployment', 'nginx', '--port=80');
    m.ok('run', 'busybox', '--image=busybox:1.36', '--', 'sleep', '3600');
    m.ok('run', 'allowed', '--image=busybox:1.36', '--labels=access=true', '--', 'sleep', '3600');
  }, 60_000);

  it('without a policy the client gets nginx\'s page', () => {
    expect(get('busybox').stdout).toContain('<title>Welcome to nginx!</title>');
  });

  it('default-deny-ingress: wget times out, and --trace names the dropping policy', () => {
    expect(m.ok('apply', '-f', join(EXAMPLES, 'service/networking/network-policy-default-deny-ingress.yaml'))).toBe('networkpolicy.networking.k8s.io/default-deny-ingress created\n');
    for (const pod of ['busybox', 'allowed']) {
      const r = get(pod);
      expect([r.stdout, r.stderr, r.code]).toEqual(['', TIMEOUT, 1]);
    }
    const t = m.raw('exec', 'busybox', '--trace', '--', 'wget', '-qO-', '-T', '2', 'nginx');
    expect(t.code).toBe(1);
    // DNS still works (the policy isolates pods in default, not CoreDNS); the drop is at nginx's ingress
    expect(t.stdout).toMatch(/coredns: answered nginx\.default\.svc\.cluster\.local — A /);
    expect(t.stdout).toMatch(/calico: dropped \S+ → \S+:80\/TCP — ingress denied by NetworkPolicy default\/default-deny-ingress/);
  });

  it('access-nginx lets pods labelled access=true in; the other still times out', () => {
    expect(run(['apply', '-f', '-'], { home, env: INSTANT, input: ACCESS_NGINX }).stdout).toBe('networkpolicy.networking.k8s.io/access-nginx created\n');
    expect(m.ok('exec', 'allowed', '--', 'wget', '-qO-', '-T', '2', 'nginx')).toContain('<title>Welcome to nginx!</title>');
    const r = get('busybox');
    expect([r.stdout, r.stderr, r.code]).toEqual(['', TIMEOUT, 1]);
  });

  it('deleting the deny policy is not enough while access-nginx still selects nginx; deleting both lets everyone in', () => {
    m.ok('delete', 'networkpolicy', 'default-deny-ingress');
    // access-nginx alone still isolates the nginx pods for ingress
    expect(get('busybox').stderr).toBe(TIMEOUT);
    const t = m.raw('exec', 'busybox', '--trace', '--', 'wget', '-qO-', '-T', '2', 'nginx');
    expect(t.stdout).toMatch(/calico: dropped .* by NetworkPolicy default\/access-nginx/);
    m.ok('delete', 'networkpolicy', 'access-nginx');
    for (const pod of ['busybox', 'allowed']) expect(m.ok('exec', pod, '--', 'wget', '-qO-', '-T', '2', 'nginx')).toContain('<title>Welcome to nginx!</title>');
  });
});

// ------------------------------------------------------------------------------------------------

describe('ipvs mode (cluster.yaml networking.kubeProxyMode: ipvs)', () => {
  it('ipvsadm -Ln on a kube-proxy lists the Service\'s virtual server and its three real servers (golden)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'minikctl-ipvs-'));
    const file = join(dir, 'cluster.yaml');
    writeFileSync(file, 'kind: Cluster\nnetworking:\n  kubeProxyMode: ipvs\n');
    const s = scenario('network/ipvs', 'manual', ['--config', file]);
    s.ok('apply', '-f', DEPLOYMENT, '-f', SERVICE);
    s.advance('30s');
    const clusterIP = s.ok('get', 'svc', 'my-app-service', '-o', 'jsonpath={.spec.clusterIP}');
    const app = pods(s.ok, '-l', 'app=my-app');
    const r = s.golden('ipvsadm-Ln-worker', 'exec', '-n', 'kube-system', kubeProxyOn(s.ok, 'minikctl-worker'), '--', 'ipvsadm', '-Ln');
    const lines = r.stdout.split('\n');
    const vs = lines.indexOf(`TCP  ${clusterIP}:80 rr`);
    expect(vs, r.stdout).toBeGreaterThan(-1);
    const real = lines.slice(vs + 1, vs + 4).map((l) => /^  -> (\S+)\s+Masq\s+1\s+0\s+0\s*$/.exec(l)?.[1]);
    expect(real.sort()).toEqual(app.map((p) => `${p.ip}:8000`).sort());
    expect(lines[vs + 4]).not.toMatch(/^  ->/);
    // the data path goes through the IPVS virtual server
    s.ok('run', 'client', '--image=busybox', '--', 'sleep', '3600');
    s.advance('10s');
    const out = s.ok('exec', 'client', '--trace', '--', 'wget', '-qO-', 'my-app-service');
    expect(out).toMatch(/^Hello from my-app-\S+ \(your-image:latest\) on port 8000\n/);
    expect(out).toContain(`→ TCP ${clusterIP}:80 rr`);
  });
});
