// The policy engine on hand-built worlds: isolation, rule matching, Calico's choices.
import { describe, it, expect } from 'vitest';
import { checkTraffic, policiesSelecting } from '../../../src/kubelet/cni/policy.js';
import { pod, ns, netpol, world, peer } from './world.js';

const frontend = pod('frontend-x', '10.244.1.5', { labels: { role: 'frontend' } });
const db = pod('db-0', '10.244.2.7', { labels: { role: 'db' }, node: 'kind-worker2', ports: [{ name: 'redis', containerPort: 6379 }] });
const other = pod('other', '10.244.3.9', { labels: { role: 'other' }, node: 'kind-worker3' });
const dns = pod('coredns-abc', '10.244.0.3', { ns: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, node: 'kind-control-plane', ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53 }] });
const namespaces = [ns('default'), ns('kube-system'), ns('myproject', { project: 'myproject' }), ns('other', { team: 'x' })];
const denyIngress = netpol('default-deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] });
const denyEgress = netpol('default-deny-egress', { podSelector: {}, policyTypes: ['Egress'] });

describe('no policy: everything flows', () => {
  it('allows pod to pod when nothing isolates either side', () => {
    const w = world([frontend, db], [], namespaces);
    const v = checkTraffic(w, peer(frontend), peer(db), 6379, 'TCP');
    expect(v.allowed).toBe(true);
    expect(v.reason).toBe('no policy isolates default/frontend-x or default/db-0');
  });

  it('a policy in another namespace does not isolate', () => {
    const w = world([frontend, db], [netpol('deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }, 'other')], namespaces);
    expect(checkTraffic(w, peer(frontend), peer(db), 6379, 'TCP').allowed).toBe(true);
  });
});

describe('default deny', () => {
  it('ingress: every pod of the namespace drops incoming connections, naming the policy', () => {
    const w = world([frontend, db], [denyIngress], namespaces);
    const v = checkTraffic(w, peer(frontend), peer(db), 6379, 'TCP');
    expect(v).toEqual({
      allowed: false,
      direction: 'ingress',
      policy: 'default/default-deny-ingress',
      reason: 'no policy selecting default/db-0 allows ingress from default/frontend-x on TCP 6379',
    });
    // outgoing from the namespace to elsewhere is unaffected
    const w2 = world([frontend, dns], [denyIngress], namespaces);
    expect(checkTraffic(w2, peer(frontend), peer(dns), 53, 'UDP').allowed).toBe(true);
  });

  it('egress: breaks DNS too, until egress to kube-dns on 53 is allowed', () => {
    const w = world([frontend, db, dns], [denyEgress], namespaces);
    const v = checkTraffic(w, peer(frontend), peer(dns), 53, 'UDP');
    expect(v.allowed).toBe(false);
    expect(v.direction).toBe('egress');
    expect(v.policy).toBe('default/default-deny-egress');
    expect(v.reason).toBe('no policy selecting default/frontend-x allows egress to kube-system/coredns-abc on UDP 53');
    expect(checkTraffic(w, peer(frontend), peer(db), 6379, 'TCP').direction).toBe('egress');

    const allowDns = netpol('allow-dns', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
      }],
    });
    const w2 = world([frontend, db, dns], [denyEgress, allowDns], namespaces);
    expect(checkTraffic(w2, peer(frontend), peer(dns), 53, 'UDP')).toMatchObject({ allowed: true, reason: 'allowed by default/allow-dns' });
    expect(checkTraffic(w2, peer(frontend), peer(dns), 53, 'TCP').allowed).toBe(true);
    // only DNS: the database stays unreachable, and so does another port of the DNS pod
    expect(checkTraffic(w2, peer(frontend), peer(db), 6379, 'TCP').allowed).toBe(false);
    expect(checkTraffic(w2, peer(frontend), peer(dns), 9153, 'TCP').allowed).toBe(false);
  });

  it('egress to an address outside the cluster is dropped too', () => {
    const w = world([frontend], [denyEgress], namespaces);
    const v = checkTraffic(w, peer(frontend), { ip: '93.184.216.34' }, 443, 'TCP');
    expect(v).toMatchObject({ allowed: false, direction: 'egress', reason: 'no policy selecting default/frontend-x allows egress to 93.184.216.34 on TCP 443' });
  });
});

describe('ingress rules', () => {
  it('podSelector: pods of the policy namespace with the labels', () => {
    const p = netpol('allow-frontend', { podSelector: { matchLabels: { role: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { role: 'frontend' } } }] }] });
    const w = world([frontend, db, other], [p], namespaces);
    expect(checkTraffic(w, peer(frontend), peer(db), 6379, 'TCP')).toMatchObject({ allowed: true, reason: 'allowed by default/allow-frontend' });
    expect(checkTraffic(w, peer(other), peer(db), 6379, 'TCP')).toMatchObject({ allowed: false, direction: 'ingress', policy: 'default/allow-frontend' });
    // a frontend-labelled pod in another namespace does not match a bare podSelector
    const alien = pod('frontend-y', '10.244.3.4', { ns: 'other', labels: { role: 'frontend' } });
    const w2 = world([frontend, db, alien], [p], namespaces);
    expect(checkTraffic(w2, peer(alien), peer(db), 6379, 'TCP').allowed).toBe(false);
    // pods the policy does not select are not isolated by it
    expect(checkTraffic(w, peer(other), peer(frontend), 80, 'TCP').allowed).toBe(true);
  });

  it('namespaceSelector: every pod of the namespaces with the labels', () => {
    const p = netpol('from-myproject', { podSelector: { matchLabels: { role: 'db' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { project: 'myproject' } } }] }] });
    const mine = pod('client', '10.244.1.20', { ns: 'myproject' });
    const theirs = pod('client', '10.244.1.21', { ns: 'other' });
    const w = world([db, mine, theirs, frontend], [p], namespaces);
    expect(checkTraffic(w, peer(mine), peer(db), 6379, 'TCP').allowed).toBe(true);
    expect(checkTraffic(w, peer(theirs), peer(db), 6379, 'TCP').allowed).toBe(false);
    // the policy's own namespace is not implied
    expect(checkTraffic(w, peer(frontend), peer(db), 6379, 'TCP').allowed).toBe(false);
    // namespaces' labels come from the world: relabelling the namespace changes the verdict
    const w2 = world([db, mine, theirs], [p], [ns('default'), ns('myproject'), ns('other', { project: 'myproject' })]);
    expect(checkTraffic(w2, peer(mine), peer(db), 6379, 'TCP').allowed).toBe(false);
    expect(checkTraffic(w2, peer(theirs), peer(db), 6379, 'TCP').allowed).toBe(true);
  });

  it('namespaceSelector and podSelector in one peer: both must match (AND); two peers: either (OR)', () => {
    const and = netpol('and', { podSelector: { matchLabels: { role: 'db' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { project: 'myproject' } }, podSelector: { matchLabels: { role: 'frontend' } } }] }] });
    const or = netpol('or', { podSelector: { matchLabels: { role: 'db' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { project: 'myproject' } } }, { podSelector: { matchLabels: { role: 'frontend' } } }] }] });
    const fe = pod('fe', '10.244.1.30', { ns: 'myproject', labels: { role: 'frontend' } });
    const be = pod('be', '10.244.1.31', { ns: 'myproject', labels: { role: 'backend' } });
    const w = world([db, fe, be, frontend], [and], namespaces);
    expect(checkTraffic(w, peer(fe), peer(db), 6379, 'TCP').allowed).toBe(true);
    expect(checkTraffic(w, peer(be), peer(db), 6379, 'TCP').allowed).toBe(false);
    expect(checkTraffic(w, peer(frontend), peer(db), 6379, 'TCP').allowed).toBe(false);
    const w2 = world([db, fe, be, frontend], [or], namespaces);
    expect(checkTraffic(w2, peer(be), peer(db), 6379, 'TCP').allowed).toBe(true);
    expect(checkTraffic(w2, peer(frontend), peer(db), 6379, 'TCP').allowed).toBe(true);
    expect(checkTraffic(w2, peer(other), peer(db), 6379, 'TCP').allowed).toBe(false);
  });

  it('namespaceSelector {} matches all namespaces; matchExpressions work', () => {
    const p = netpol('p', { podSelector: { matchExpressions: [{ key: 'role', operator: 'In', values: ['db', 'cache'] }] }, ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchExpressions: [{ key: 'role', operator: 'Exists' }] } }] }] });
    const alien = pod('x', '10.244.3.40', { ns: 'other', labels: { role: 'anything' } });
    const bare = pod('bare', '10.244.3.41', { ns: 'other' });
    const w = world([db, alien, bare], [p], namespaces);
    expect(checkTraffic(w, peer(alien), peer(db), 6379, 'TCP').allowed).toBe(true);
    expect(checkTraffic(w, peer(bare), peer(db), 6379, 'TCP').allowed).toBe(false);
  });

  it('ipBlock with except, applied to pod IPs as well (Calico)', () => {
    const p = netpol('ipb', { podSelector: { matchLabels: { role: 'db' } }, ingress: [{ from: [{ ipBlock: { cidr: '10.244.0.0/16', except: ['10.244.3.0/24'] } }] }] });
    const w = world([db, frontend, other], [p], namespaces);
    expect(checkTraffic(w, peer(frontend), peer(db), 6379, 'TCP').allowed).toBe(true);
    expect(checkTraffic(w, peer(other), peer(db), 6379, 'TCP').allowed).toBe(false);
    expect(checkTraffic(w, { ip: '192.168.1.1' }, peer(db), 6379, 'TCP').allowed).toBe(false);
    const ext = netpol('ext', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }] }] });
    const w2 = world([frontend, db], [ext], namespaces);
    expect(checkTraffic(w2, peer(frontend), { ip: '93.184.216.34' }, 443, 'TCP').allowed).toBe(true);
    expect(checkTraffic(w2, peer(frontend), peer(db), 6379, 'TCP').allowed).toBe(false);
  });

  it('an empty rule {} allows everything; absent from allows every source on the listed ports', () => {
    const all = netpol('all', { podSelector: {}, ingress: [{}] });
    const w = world([frontend, db], [denyIngress, all], namespaces);
    expect(checkTraffic(w, peer(frontend), peer(db), 1234, 'UDP')).toMatchObject({ allowed: true, reason: 'allowed by default/all' });
    const portsOnly = netpol('ports-only', { podSelector: { matchLabels: { role: 'db' } }, ingress: [{ ports: [{ port: 6379 }] }] });
    const w2 = world([frontend, db, other], [portsOnly], namespaces);
    expect(checkTraffic(w2, peer(other), peer(db), 6379, 'TCP').allowed).toBe(true);
    expect(checkTraffic(w2, { ip: '8.8.8.8' }, peer(db), 6379, 'TCP').allowed).toBe(true);
    expect(checkTraffic(w2, peer(other), peer(db), 6380, 'TCP').allowed).toBe(false);
    // the protocol defaults to TCP
    expect(checkTraffic(w2, peer(other), peer(db), 6379, 'UDP').allowed).toBe(false);
  });

  it('a policy without ingress rules isolates; an ingress policy with egress rules does not isolate egress unless listed', () => {
    const p = netpol('p', { podSelector: { matchLabels: { role: 'db' } }, policyTypes: ['Ingress'], egress: [{ to: [{ podSelector: { matchLabels: { role: 'frontend' } } }] }] });
    expect(p.spec.policyTypes).toEqual(['Ingress']);
    const w = world([frontend, db, other], [p], namespaces);
    expect(checkTraffic(w, peer(db), peer(other), 80, 'TCP').allowed).toBe(true);
    expect(checkTraffic(w, peer(other), peer(db), 6379, 'TCP').allowed).toBe(false);
  });
});

describe('ports', () => {
  it('named ports resolve against the destination pod\'s container ports', () => {
    const p = netpol('named', { podSelector: { matchLabels: { role: 'db' } }, ingress: [{ ports: [{ port: 'redis' }] }] });
    const w = world([frontend, db], [p], namespaces);
    expect(checkTraffic(w, peer(frontend), peer(db), 6379, 'TCP').allowed).toBe(true);
    expect(checkTraffic(w, peer(frontend), peer(db), 6380, 'TCP').allowed).toBe(false);
    // the name with another protocol does not resolve
    expect(checkTraffic(w, peer(frontend), peer(db), 6379, 'UDP').allowed).toBe(false);
    // egress by name, to a pod without that name: no match
    const eg = netpol('eg', { podSelector: { matchLabels: { role: 'frontend' } }, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'dns', protocol: 'UDP' }] }] });
    const w2 = world([frontend, db, dns], [eg], namespaces);
    expect(checkTraffic(w2, peer(frontend), peer(dns), 53, 'UDP').allowed).toBe(true);
    expect(checkTraffic(w2, peer(frontend), peer(db), 53, 'UDP').allowed).toBe(false);
    expect(checkTraffic(w2, peer(frontend), { ip: '8.8.8.8' }, 53, 'UDP').allowed).toBe(false);
  });

  it('endPort ranges are inclusive', () => {
    const p = netpol('range', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/24' } }], ports: [{ protocol: 'TCP', port: 32000, endPort: 32768 }] }] });
    const w = world([frontend], [p], namespaces);
    const to = { ip: '10.0.0.10' };
    expect(checkTraffic(w, peer(frontend), to, 32000, 'TCP').allowed).toBe(true);
    expect(checkTraffic(w, peer(frontend), to, 32768, 'TCP').allowed).toBe(true);
    expect(checkTraffic(w, peer(frontend), to, 32769, 'TCP').allowed).toBe(false);
    expect(checkTraffic(w, peer(frontend), to, 31999, 'TCP').allowed).toBe(false);
    expect(checkTraffic(w, peer(frontend), { ip: '10.0.1.10' }, 32000, 'TCP').allowed).toBe(false);
  });

  it('ICMP passes only a rule without ports', () => {
    const withPorts = netpol('with-ports', { podSelector: { matchLabels: { role: 'db' } }, ingress: [{ from: [{ podSelector: {} }], ports: [{ port: 6379 }] }] });
    const w = world([frontend, db], [withPorts], namespaces);
    expect(checkTraffic(w, peer(frontend), peer(db), 0, 'ICMP')).toMatchObject({
      allowed: false,
      reason: 'no policy selecting default/db-0 allows ingress from default/frontend-x on ICMP',
    });
    const noPorts = netpol('no-ports', { podSelector: { matchLabels: { role: 'db' } }, ingress: [{ from: [{ podSelector: {} }] }] });
    const w2 = world([frontend, db], [noPorts], namespaces);
    expect(checkTraffic(w2, peer(frontend), peer(db), 0, 'ICMP').allowed).toBe(true);
  });
});

describe('policyTypes and unions', () => {
  it('policyTypes default: Ingress always, Egress when egress rules exist', () => {
    const p = netpol('p', { podSelector: { matchLabels: { role: 'frontend' } }, egress: [{ to: [{ podSelector: { matchLabels: { role: 'db' } } }] }] });
    expect(p.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    const w = world([frontend, db, other], [p], namespaces);
    expect(checkTraffic(w, peer(frontend), peer(db), 6379, 'TCP').allowed).toBe(true);
    expect(checkTraffic(w, peer(frontend), peer(other), 80, 'TCP').direction).toBe('egress');
    // and ingress isolation without ingress rules
    expect(checkTraffic(w, peer(other), peer(frontend), 80, 'TCP').direction).toBe('ingress');
    // a stored object without policyTypes is read the same way
    const raw = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'raw', namespace: 'default' }, spec: { podSelector: { matchLabels: { role: 'other' } } } };
    const w2 = world([frontend, other], [raw], namespaces);
    expect(checkTraffic(w2, peer(other), peer(frontend), 80, 'TCP').allowed).toBe(true);
    expect(checkTraffic(w2, peer(frontend), peer(other), 80, 'TCP').direction).toBe('ingress');
  });

  it('several policies add up: any rule of any selecting policy allows', () => {
    const a = netpol('a', { podSelector: { matchLabels: { role: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { role: 'frontend' } } }] }] });
    const b = netpol('b', { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { role: 'other' } } }], ports: [{ port: 6379 }] }] });
    const w = world([frontend, db, other], [denyIngress, a, b], namespaces);
    expect(checkTraffic(w, peer(frontend), peer(db), 6379, 'TCP')).toMatchObject({ allowed: true, reason: 'allowed by default/a' });
    expect(checkTraffic(w, peer(other), peer(db), 6379, 'TCP')).toMatchObject({ allowed: true, reason: 'allowed by default/b' });
    expect(checkTraffic(w, peer(other), peer(db), 22, 'TCP').allowed).toBe(false);
    const sel = policiesSelecting(w, db);
    expect(sel.ingress.map((p) => p.metadata!.name)).toEqual(['a', 'b', 'default-deny-ingress']);
    expect(sel.egress).toEqual([]);
  });

  it('both sides must allow across namespaces', () => {
    const egressOnlyDb = netpol('only-db', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { project: 'myproject' } } }] }] }, 'other');
    const client = pod('client', '10.244.3.50', { ns: 'other', node: 'kind-worker3' });
    const server = pod('server', '10.244.1.60', { ns: 'myproject', labels: { app: 'server' } });
    const serverPolicy = netpol('server', { podSelector: { matchLabels: { app: 'server' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'x' } } }] }] }, 'myproject');
    const w = world([client, server], [egressOnlyDb, serverPolicy], namespaces);
    expect(checkTraffic(w, peer(client), peer(server), 80, 'TCP')).toMatchObject({ allowed: true, reason: 'egress allowed by other/only-db; ingress allowed by myproject/server' });
    const w2 = world([client, server], [egressOnlyDb, netpol('server', { podSelector: {}, ingress: [] }, 'myproject')], namespaces);
    expect(checkTraffic(w2, peer(client), peer(server), 80, 'TCP')).toMatchObject({ allowed: false, direction: 'ingress', policy: 'myproject/server' });
  });
});

describe('Calico specifics: host network and the node', () => {
  it('hostNetwork pods are not subject to policies, and are matched by ipBlock only', () => {
    const hn = pod('hn', '172.18.0.3', { hostNetwork: true, labels: { role: 'frontend' }, node: 'kind-worker' });
    const w = world([hn, db, frontend], [netpol('deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }), netpol('fe', { podSelector: { matchLabels: { role: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { role: 'frontend' } } }] }] })], namespaces);
    expect(policiesSelecting(w, hn)).toEqual({ ingress: [], egress: [] });
    // to a hostNetwork pod: not isolated (but the source's egress is still checked)
    expect(checkTraffic(w, peer(frontend), { ip: '172.18.0.3', pod: hn }, 10250, 'TCP').direction).toBe('egress');
    const w0 = world([hn, frontend], [], namespaces);
    expect(checkTraffic(w0, peer(frontend), { ip: '172.18.0.3', pod: hn }, 80, 'TCP').allowed).toBe(true);
    // from a hostNetwork pod on another node: a podSelector does not match it
    const v = checkTraffic(w, { ip: '172.18.0.3', pod: hn }, peer(db), 6379, 'TCP');
    expect(v).toMatchObject({ allowed: false, direction: 'ingress', reason: 'no policy selecting default/db-0 allows ingress from node kind-worker (172.18.0.3) on TCP 6379' });
    const byIp = netpol('nodes', { podSelector: { matchLabels: { role: 'db' } }, ingress: [{ from: [{ ipBlock: { cidr: '172.18.0.0/16' } }] }] });
    const w2 = world([hn, db], [byIp], namespaces);
    expect(checkTraffic(w2, { ip: '172.18.0.3', pod: hn }, peer(db), 6379, 'TCP').allowed).toBe(true);
  });

  it('the node reaches its own pods (probes, port-forward); other nodes only through ipBlocks', () => {
    const w = world([db], [denyIngress], namespaces);
    // db runs on kind-worker2 (172.18.0.4)
    expect(checkTraffic(w, { ip: '172.18.0.4' }, peer(db), 6379, 'TCP')).toMatchObject({ allowed: true, reason: 'ingress from the local node kind-worker2 allowed' });
    expect(checkTraffic(w, { ip: '10.244.2.1' }, peer(db), 6379, 'TCP').allowed).toBe(true);
    expect(checkTraffic(w, { ip: '172.18.0.3' }, peer(db), 6379, 'TCP')).toMatchObject({ allowed: false, reason: 'no policy selecting default/db-0 allows ingress from node kind-worker (172.18.0.3) on TCP 6379' });
  });

  it('a source given by IP only is recognised as the pod that holds it', () => {
    const p = netpol('allow-frontend', { podSelector: { matchLabels: { role: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { role: 'frontend' } } }] }] });
    const w = world([frontend, db], [p], namespaces);
    expect(checkTraffic(w, { ip: frontend.status.podIP }, { ip: db.status.podIP }, 6379, 'TCP').allowed).toBe(true);
  });

  it('a pod reaching itself is never dropped', () => {
    const w = world([db], [netpol('deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] })], namespaces);
    expect(checkTraffic(w, peer(db), peer(db), 6379, 'TCP').allowed).toBe(true);
  });
});

describe('scale', () => {
  it('10,000 pods and 1,000 policies: the index is built once, each check looks at two namespaces', () => {
    const pods = [];
    const policies = [];
    const namespaces = [];
    for (let n = 0; n < 100; n++) {
      namespaces.push(ns(`ns${n}`, { idx: String(n) }));
      for (let i = 0; i < 10; i++) {
        policies.push(netpol(`p${i}`, { podSelector: { matchLabels: { app: `a${i}` } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { idx: String((n + 1) % 100) } } }], ports: [{ port: 80 }] }] }, `ns${n}`));
      }
      for (let i = 0; i < 100; i++) pods.push(pod(`p${i}`, `10.244.${n}.${i + 2}`, { ns: `ns${n}`, labels: { app: `a${i % 10}` } }));
    }
    const w = world(pods, policies, namespaces);
    const t0 = performance.now();
    let allowed = 0;
    for (let k = 0; k < 5000; k++) {
      const a = pods[(k * 7919) % pods.length];
      const b = pods[(k * 104729) % pods.length];
      if (checkTraffic(w, peer(a), peer(b), 80, 'TCP').allowed) allowed++;
    }
    const ms = performance.now() - t0;
    expect(allowed).toBeGreaterThan(0);
    expect(allowed).toBeLessThan(5000);
    // generous: a quadratic scan would take far longer
    expect(ms).toBeLessThan(3000);
    // the neighbour namespace is let in, the others are not
    expect(checkTraffic(w, peer(pods[100]), peer(pods[0]), 80, 'TCP').allowed).toBe(true);
    expect(checkTraffic(w, peer(pods[200]), peer(pods[0]), 80, 'TCP').allowed).toBe(false);
  });
});
