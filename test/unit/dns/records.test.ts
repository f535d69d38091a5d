import { describe, expect, it } from 'vitest';
import { query } from '../../../src/dns/records.js';
import { makeWorld } from './world.js';

const SERIAL = Math.floor(Date.parse('2024-06-01T11:00:00Z') / 1000);
const SOA = `ns.dns.cluster.local. hostmaster.cluster.local. ${SERIAL} 7200 1800 86400 30`;

describe('CoreDNS kubernetes plugin', () => {
  const w = makeWorld();

  it('answers a ClusterIP service with its ClusterIP, TTL 30, authoritative', () => {
    const m = query(w, 'my-svc.default.svc.cluster.local', 'A');
    expect(m.rcode).toBe('NOERROR');
    expect(m.authoritative).toBe(true);
    expect(m.recursionAvailable).toBe(false);
    expect(m.answers).toEqual([{ name: 'my-svc.default.svc.cluster.local.', type: 'A', ttl: 30, data: '10.96.100.10' }]);
    expect(query(w, 'kubernetes.default.svc.cluster.local.', 'A').answers.map((a) => a.data)).toEqual(['10.96.0.1']);
  });

  it('answers a headless service with one A per ready endpoint', () => {
    expect(query(w, 'nginx.default.svc.cluster.local', 'A').answers.map((a) => a.data)).toEqual(['10.244.1.10', '10.244.2.11']);
  });

  it('answers StatefulSet pod names under their headless service (slice hostname, or the pod hostname/subdomain)', () => {
    expect(query(w, 'web-0.nginx.default.svc.cluster.local', 'A').answers.map((a) => a.data)).toEqual(['10.244.1.10']);
    expect(query(w, 'web-1.nginx.default.svc.cluster.local', 'A').answers.map((a) => a.data)).toEqual(['10.244.2.11']);
    // web-2 is not ready: no record
    expect(query(w, 'web-2.nginx.default.svc.cluster.local', 'A').rcode).toBe('NXDOMAIN');
    // an endpoint without hostname is named by its dashed IP, also under a ClusterIP service
    expect(query(w, '10-244-1-5.my-svc.default.svc.cluster.local', 'A').answers.map((a) => a.data)).toEqual(['10.244.1.5']);
  });

  it('headless service without ready endpoints is NXDOMAIN', () => {
    expect(query(w, 'empty-headless.default.svc.cluster.local', 'A').rcode).toBe('NXDOMAIN');
  });

  it('SRV for named ports: the service name for ClusterIP, each endpoint for headless', () => {
    const a = query(w, '_http._tcp.my-svc.default.svc.cluster.local', 'SRV');
    expect(a.answers).toEqual([{ name: '_http._tcp.my-svc.default.svc.cluster.local.', type: 'SRV', ttl: 30, data: '0 100 80 my-svc.default.svc.cluster.local.' }]);
    expect(a.additional).toEqual([{ name: 'my-svc.default.svc.cluster.local.', type: 'A', ttl: 30, data: '10.96.100.10' }]);
    const h = query(w, '_web._tcp.nginx.default.svc.cluster.local', 'SRV');
    expect(h.answers.map((r) => r.data)).toEqual(['0 50 80 web-0.nginx.default.svc.cluster.local.', '0 50 80 web-1.nginx.default.svc.cluster.local.']);
    expect(h.additional.map((r) => `${r.name} ${r.data}`)).toEqual(['web-0.nginx.default.svc.cluster.local. 10.244.1.10', 'web-1.nginx.default.svc.cluster.local. 10.244.2.11']);
    // unknown port name or protocol: NXDOMAIN
    expect(query(w, '_grpc._tcp.my-svc.default.svc.cluster.local', 'SRV').rcode).toBe('NXDOMAIN');
    expect(query(w, '_http._udp.my-svc.default.svc.cluster.local', 'SRV').rcode).toBe('NXDOMAIN');
  });

  it('ExternalName answers with a CNAME, and the target when CoreDNS can resolve it', () => {
    expect(query(w, 'ext.default.svc.cluster.local', 'A').answers).toEqual([{ name: 'ext.default.svc.cluster.local.', type: 'CNAME', ttl: 30, data: 'my.database.example.com.' }]);
    expect(query(w, 'ext-in.default.svc.cluster.local', 'A').answers.map((r) => `${r.type} ${r.data}`)).toEqual(['CNAME my-svc.default.svc.cluster.local.', 'A 10.96.100.10']);
    expect(query(w, 'ext-pub.default.svc.cluster.local', 'A').answers.map((r) => `${r.type} ${r.data}`)).toEqual(['CNAME example.com.', 'A 93.184.215.14']);
    expect(query(w, 'ext.default.svc.cluster.local', 'CNAME').answers.map((r) => r.data)).toEqual(['my.database.example.com.']);
  });

  it('pod records (pods insecure): any dashed IP in an existing namespace', () => {
    expect(query(w, '10-244-1-5.default.pod.cluster.local', 'A').answers.map((r) => r.data)).toEqual(['10.244.1.5']);
    expect(query(w, '1-2-3-4.other.pod.cluster.local', 'A').answers.map((r) => r.data)).toEqual(['1.2.3.4']);
    expect(query(w, '1-2-3-4.nope.pod.cluster.local', 'A').rcode).toBe('NXDOMAIN');
    expect(query(w, 'not-an-ip.default.pod.cluster.local', 'A').rcode).toBe('NXDOMAIN');
  });

  it('PTR for ClusterIPs and endpoint addresses', () => {
    expect(query(w, '10.0.96.10.in-addr.arpa', 'PTR').answers).toEqual([{ name: '10.0.96.10.in-addr.arpa.', type: 'PTR', ttl: 30, data: 'kube-dns.kube-system.svc.cluster.local.' }]);
    expect(query(w, '10.1.244.10.in-addr.arpa.', 'PTR').answers.map((r) => r.data)).toEqual(['web-0.nginx.default.svc.cluster.local.']);
    expect(query(w, '5.1.244.10.in-addr.arpa.', 'PTR').answers.map((r) => r.data)).toEqual(['10-244-1-5.my-svc.default.svc.cluster.local.']);
    // not ours: fallthrough to the forwarder, which knows nothing of 10/8
    const nx = query(w, '99.99.244.10.in-addr.arpa.', 'PTR');
    expect(nx.rcode).toBe('NXDOMAIN');
    expect(nx.authoritative).toBe(false);
  });

  it('NXDOMAIN and NODATA carry the zone SOA', () => {
    const nx = query(w, 'nope.default.svc.cluster.local', 'A');
    expect(nx.rcode).toBe('NXDOMAIN');
    expect(nx.answers).toEqual([]);
    expect(nx.authority).toEqual([{ name: 'cluster.local.', type: 'SOA', ttl: 30, data: SOA }]);
    const nodata = query(w, 'my-svc.default.svc.cluster.local', 'AAAA');
    expect(nodata.rcode).toBe('NOERROR');
    expect(nodata.answers).toEqual([]);
    expect(nodata.authority[0].data).toBe(SOA);
    // a namespace alone is NODATA; a namespace that does not exist is NXDOMAIN
    expect(query(w, 'default.svc.cluster.local', 'A').rcode).toBe('NOERROR');
    expect(query(w, 'nons.svc.cluster.local', 'A').rcode).toBe('NXDOMAIN');
    expect(query(w, 'my-svc.other.svc.cluster.local', 'A').rcode).toBe('NXDOMAIN');
    // too many labels, or neither svc nor pod
    expect(query(w, 'a.b.c.my-svc.default.svc.cluster.local', 'A').rcode).toBe('NXDOMAIN');
    expect(query(w, 'my-svc.default.cluster.local', 'A').rcode).toBe('NXDOMAIN');
  });

  it('names outside cluster.local are forwarded: a small public table, else NXDOMAIN from the root', () => {
    const ok = query(w, 'example.com', 'A');
    expect(ok).toMatchObject({ rcode: 'NOERROR', authoritative: false, recursionAvailable: true });
    expect(ok.answers.map((a) => a.data)).toEqual(['93.184.215.14']);
    const nx = query(w, 'my-svc.default', 'A');
    expect(nx.rcode).toBe('NXDOMAIN');
    expect(nx.authority[0]).toEqual({ name: '.', type: 'SOA', ttl: 30, data: 'a.root-servers.net. nstld.verisign-grs.com. 2024060100 1800 900 604800 86400' });
  });

  it('only what exists in the world counts', () => {
    const w2 = makeWorld();
    w2.services = w2.services.filter((s) => s.metadata?.name !== 'my-svc');
    expect(query(w2, 'my-svc.default.svc.cluster.local', 'A').rcode).toBe('NXDOMAIN');
  });
});
