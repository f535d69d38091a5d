// The data path from a pod to a Service or a pod, on an in-memory cluster: what a connection meets
// hop by hop (the source node's kube-proxy rules, the DNAT to podIP:targetPort, the CNI, a
// container listening), and the real symptoms where it breaks.
import { beforeAll, describe, expect, it } from 'vitest';
import { newSim, type Sim } from '../controlplane/harness.js';
import { defaultClusterConfig } from '../../../src/cluster/config.js';
import { loadNetWorld } from '../../../src/kubelet/net/world.js';
import { toolContext, echoReach } from '../../../src/kubelet/net/path.js';
import { netTools } from '../../../src/kubelet/net/tools/index.js';
import type { KObject } from '../../../src/apiserver/types.js';
import type { NetWorld } from '../../../src/kubelet/net/types.js';

const pod = (name: string, image: string, labels: Record<string, string> = {}, extra: any = {}): KObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, labels },
  spec: { containers: [{ name: name.replace(/-\d+$/, ''), image, command: image.startsWith('busybox') ? ['sleep', '3600'] : undefined, ports: extra.ports }], ...extra.spec },
});

let sim: Sim;
let client: KObject;
let world: NetWorld;
const ip = (name: string) => sim.get('services', 'default', name)!.spec.clusterIP as string;

beforeAll(async () => {
  sim = await newSim(defaultClusterConfig('sim', { mode: 'instant' }));
  await sim.create('pods', 'default', pod('client', 'busybox:1.36'));
  await sim.create('pods', 'default', pod('web-1', 'nginx:1.27', { app: 'web' }, { ports: [{ containerPort: 80 }] }));
  await sim.create('pods', 'default', pod('web-2', 'nginx:1.27', { app: 'web' }, { ports: [{ containerPort: 80 }] }));
  await sim.create('services', 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 80 }] } });
  // a Service whose pods listen elsewhere: targetPort 8080 on nginx (which listens on 80)
  await sim.create('services', 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'wrong' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } });
  // a Service that selects nothing: no endpoints
  await sim.create('services', 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'empty' }, spec: { selector: { app: 'none' }, ports: [{ port: 80 }] } });
  await sim.settle();
  // a Service without a selector, with an EndpointSlice written by hand to web-1's IP
  await sim.create('services', 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'manual' }, spec: { ports: [{ name: 'http', port: 8000, targetPort: 80 }] } });
  const web1 = sim.get('pods', 'default', 'web-1')!;
  await sim.create('endpointslices', 'default', {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'manual-1', labels: { 'kubernetes.io/service-name': 'manual' } },
    addressType: 'IPv4', ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
    endpoints: [{ addresses: [web1.status.podIP], conditions: { ready: true }, nodeName: web1.spec.nodeName }],
  });
  await sim.settle();
  world = loadNetWorld(sim.api);
  client = sim.get('pods', 'default', 'client')!;
  expect(client.status.phase).toBe('Running');
});

describe('connect', () => {
  it('reaches a pod behind a ClusterIP: the source node\'s kube-proxy DNATs to podIP:targetPort, a container accepts', () => {
    const ctx = toolContext(world, client, 'client', { seed: 1 });
    const r = ctx.connect(ip('web'), 80, 'TCP');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const webIPs = ['web-1', 'web-2'].map((n) => sim.get('pods', 'default', n)!.status.podIP);
    expect(webIPs).toContain(r.to.ip);
    expect(r.port).toBe(80);
    expect(r.container).toBe('web');
    const intercepted = r.hops.find((h) => h.action === 'intercepted')!;
    expect(intercepted.component).toBe('kube-proxy');
    expect(intercepted.detail).toContain(`on ${client.spec.nodeName} (the source node)`);
    const dnat = r.hops.find((h) => h.action === 'DNAT')!;
    expect(dnat.object).toBe(`${r.to.ip}:80`);
    expect(dnat.detail).toMatch(/KUBE-SERVICES → KUBE-SVC-\w+ → KUBE-SEP-\w+/);
    expect(r.hops[r.hops.length - 1].action).toBe('accepted');
  });

  it('the same seed picks the same endpoint; the choice covers both endpoints over seeds', () => {
    const pick = (seed: number) => {
      const r = toolContext(world, client, 'client', { seed }).connect(ip('web'), 80, 'TCP');
      return r.ok ? r.to.ip : '';
    };
    expect(pick(7)).toBe(pick(7));
    const seen = new Set(Array.from({ length: 20 }, (_, i) => pick(i)));
    expect(seen.size).toBe(2);
  });

  it('a Service without endpoints is refused by kube-proxy\'s REJECT rule', () => {
    const r = toolContext(world, client, 'client').connect(ip('empty'), 80, 'TCP');
    expect(r).toMatchObject({ ok: false, error: 'refused' });
    const reject = r.hops.find((h) => h.action === 'REJECT')!;
    expect(reject.component).toBe('kube-proxy');
    expect(reject.detail).toContain('default/empty has no endpoints');
  });

  it('a wrong targetPort is refused by the pod: nothing listens there', () => {
    const r = toolContext(world, client, 'client').connect(ip('wrong'), 80, 'TCP');
    expect(r).toMatchObject({ ok: false, error: 'refused' });
    expect(r.hops.some((h) => h.action === 'DNAT' && /:8080$/.test(h.object))).toBe(true);
    expect(r.hops[r.hops.length - 1]).toMatchObject({ action: 'refused' });
  });

  it('follows a hand-written EndpointSlice (a Service without a selector)', () => {
    const r = toolContext(world, client, 'client').connect(ip('manual'), 8000, 'TCP');
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.to.pod?.metadata?.name).toBe('web-1');
  });

  it('a port the Service does not serve goes nowhere: timeout', () => {
    const r = toolContext(world, client, 'client').connect(ip('web'), 81, 'TCP');
    expect(r).toMatchObject({ ok: false, error: 'timeout' });
  });

  it('a pod on a stopped machine does not answer: timeout', () => {
    const web1 = sim.get('pods', 'default', 'web-1')!;
    const down: NetWorld = { ...world, config: { ...world.config, nodes: world.config.nodes.map((m) => (m.name === web1.spec.nodeName ? { ...m, running: false } : m)) } };
    const r = toolContext(down, client, 'client').connect(web1.status.podIP, 80, 'TCP');
    expect(r).toMatchObject({ ok: false, error: 'timeout' });
  });

  it('a NetworkPolicy that isolates the destination drops the connection: timeout, naming the policy', () => {
    const deny: KObject = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny-web', namespace: 'default' }, spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] } };
    const w: NetWorld = { ...world, networkPolicies: [deny] };
    const r = toolContext(w, client, 'client').connect(ip('web'), 80, 'TCP');
    expect(r).toMatchObject({ ok: false, error: 'timeout' });
    const drop = r.hops.find((h) => h.component === 'calico' && h.action === 'dropped')!;
    expect(drop.detail).toContain('default/deny-web');
  });

  it('reports every hop through onHop, in order', () => {
    const seen: string[] = [];
    const ctx = toolContext(world, client, 'client', { onHop: (h) => seen.push(h.action) });
    const r = ctx.connect(ip('web'), 80, 'TCP');
    expect(seen).toEqual(r.hops.map((h) => h.action));
    expect(ctx.hops.map((h) => h.action)).toEqual(seen);
  });

  it('http() gives the container\'s answer: nginx\'s welcome page', () => {
    const ctx = toolContext(world, client, 'client');
    const r = ctx.connect(ip('web'), 80, 'TCP');
    if (!r.ok) throw new Error('not connected');
    const a = ctx.http(r, { method: 'GET', path: '/', host: 'web', headers: {} });
    expect(a.kind).toBe('http');
    if (a.kind === 'http') expect(a.body).toContain('<title>Welcome to nginx!</title>');
  });
});

describe('echoReach (ping)', () => {
  it('a pod answers with a TTL that counts the nodes routing; a ClusterIP does not answer in iptables mode', () => {
    const ctx = toolContext(world, client, 'client');
    const web1 = sim.get('pods', 'default', 'web-1')!;
    const r = echoReach(ctx, web1.status.podIP);
    expect(r.reply).toBe(true);
    expect(r.ttl).toBe(web1.spec.nodeName === client.spec.nodeName ? 63 : 62);
    expect(echoReach(ctx, ip('web')).reply).toBe(false);
  });
});

describe('network tools (netTools)', () => {
  const tools = (name: string, container = name) => netTools(toolContext(world, sim.get('pods', 'default', name)!, container, { seed: 3 }));

  it('busybox wget -qO- prints the page; without -q it says where it connects and saves index.html', () => {
    const t = tools('client');
    const r = t(['wget', '-qO-', 'web'], undefined)!;
    expect(r.exitCode).toBe(0);
    expect(r.stdout.join('\n')).toContain('Welcome to nginx!');
    const loud = t(['wget', 'web'], undefined)!;
    expect(loud.stderr[0]).toBe(`Connecting to web (${ip('web')}:80)`);
    expect(loud.stderr).toContain("saving to 'index.html'");
    expect(loud.stderr).toContain("'index.html' saved");
    expect(loud.stderr.find((l) => l.startsWith('index.html'))).toBe('index.html           100% |********************************|   615  0:00:00 ETA');
  });

  it('wget: the real failures', () => {
    const t = tools('client');
    expect(t(['wget', '-qO-', 'nosuch'], undefined)).toMatchObject({ exitCode: 1, stderr: ["wget: bad address 'nosuch'"] });
    expect(t(['wget', '-qO-', 'empty'], undefined)).toMatchObject({ exitCode: 1, stderr: [`wget: can't connect to remote host (${ip('empty')}): Connection refused`] });
    expect(t(['wget', '-qO-', 'web/missing'], undefined)).toMatchObject({ exitCode: 1, stderr: ['wget: server returned error: HTTP/1.1 404 Not Found'] });
    const timedOut = t(['wget', '-qO-', '-T', '2', `${ip('web')}:81`], undefined)!;
    expect(timedOut).toMatchObject({ exitCode: 1, stderr: ['wget: download timed out'], elapsedMs: 2000 });
  });

  it('a program the image lacks is "not found" as its shell says it', () => {
    expect(tools('client')(['curl', 'web'], undefined)).toMatchObject({ exitCode: 127, stderr: ['sh: curl: not found'] });
    expect(tools('web-1', 'web')(['wget', 'web'], undefined)).toMatchObject({ exitCode: 127, stderr: ['sh: 1: wget: not found'] });
  });

  it('curl (in nginx): body on stdout; (6) and (7) errors; -s silences them, -S shows them; -w', () => {
    const t = tools('web-1', 'web');
    const ok = t(['curl', '-s', 'web'], undefined)!;
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout.join('\n')).toContain('Welcome to nginx!');
    expect(t(['curl', 'nosuch'], undefined)!.stderr).toContain('curl: (6) Could not resolve host: nosuch');
    const refused = t(['curl', '-sS', 'empty'], undefined)!;
    expect(refused.exitCode).toBe(7);
    expect(refused.stderr).toEqual([expect.stringMatching(/^curl: \(7\) Failed to connect to empty port 80 after \d+ ms: Couldn't connect to server$/)]);
    expect(t(['curl', '-s', 'empty'], undefined)).toMatchObject({ exitCode: 7, stderr: [] });
    expect(t(['curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', 'web/nope'], undefined)).toMatchObject({ exitCode: 0, stdout: ['404'] });
    expect(t(['curl', '-sS', '--connect-timeout', '3', `${ip('web')}:81`], undefined)).toMatchObject({ exitCode: 28 });
  });

  it('nc -zv and ping in busybox', () => {
    const t = tools('client');
    expect(t(['nc', '-zv', 'web', '80'], undefined)).toMatchObject({ exitCode: 0, stderr: [`web (${ip('web')}:80) open`] });
    expect(t(['nc', '-z', 'empty', '80'], undefined)).toMatchObject({ exitCode: 1 });
    const p = t(['ping', '-c', '2', 'web'], undefined)!;
    expect(p.exitCode).toBe(1);
    expect(p.stdout).toContain('2 packets transmitted, 0 packets received, 100% packet loss');
    const web1 = sim.get('pods', 'default', 'web-1')!;
    const q = t(['ping', '-c', '1', web1.status.podIP], undefined)!;
    expect(q.exitCode).toBe(0);
    expect(q.stdout[0]).toBe(`PING ${web1.status.podIP} (${web1.status.podIP}): 56 data bytes`);
    expect(q.stdout[1]).toMatch(new RegExp(`^64 bytes from ${web1.status.podIP.replaceAll('.', '\\.')}: seq=0 ttl=6[23] time=\\d\\.\\d{3} ms$`));
  });

  it('leaves programs it does not model to the interpreter', () => {
    expect(tools('client')(['echo', 'hi'], undefined)).toBeUndefined();
  });
});
