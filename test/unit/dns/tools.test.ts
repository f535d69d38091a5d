import { describe, expect, it } from 'vitest';
import { dig, dnsTool, host, nslookup } from '../../../src/dns/tools/index.js';
import { makeCtx, makeWorld } from './world.js';

const DNSUTILS = { busybox: false, image: 'registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3' };
const NETSHOOT = { busybox: false, image: 'nicolaka/netshoot' };

describe('busybox nslookup', () => {
  const w = makeWorld();

  it('a short name: one query per search domain for A and AAAA, each reply printed, exit 1 for the failed ones', () => {
    const r = nslookup(makeCtx(w, 'client'), ['nslookup', 'my-svc']);
    expect(r.stdout).toEqual([
      'Server:\t\t10.96.0.10', 'Address:\t10.96.0.10:53', '',
      'Name:\tmy-svc.default.svc.cluster.local', 'Address: 10.96.100.10', '',
      "** server can't find my-svc.svc.cluster.local: NXDOMAIN", '',
      "** server can't find my-svc.cluster.local: NXDOMAIN", '',
      // the AAAA reply for the service: NODATA, only its blank line
      '',
      "** server can't find my-svc.svc.cluster.local: NXDOMAIN", '',
      "** server can't find my-svc.cluster.local: NXDOMAIN", '',
    ]);
    expect(r.exitCode).toBe(1);
  });

  it('a dotted name is not searched: kubernetes.default fails as busybox does', () => {
    const r = nslookup(makeCtx(w, 'client'), ['nslookup', 'kubernetes.default']);
    expect(r.stdout).toEqual(['Server:\t\t10.96.0.10', 'Address:\t10.96.0.10:53', '', "** server can't find kubernetes.default: NXDOMAIN", '', "** server can't find kubernetes.default: NXDOMAIN", '']);
    expect(r.exitCode).toBe(1);
  });

  it('the full name resolves, exit 0', () => {
    const r = nslookup(makeCtx(w, 'client'), ['nslookup', 'kubernetes.default.svc.cluster.local']);
    expect(r.stdout).toEqual(['Server:\t\t10.96.0.10', 'Address:\t10.96.0.10:53', '', 'Name:\tkubernetes.default.svc.cluster.local', 'Address: 10.96.0.1', '', '']);
    expect(r.exitCode).toBe(0);
  });

  it('an IP: a PTR query; -type=srv; external names are non-authoritative', () => {
    expect(nslookup(makeCtx(w, 'client'), ['nslookup', '10.96.0.1']).stdout.slice(3)).toEqual(['1.0.96.10.in-addr.arpa\tname = kubernetes.default.svc.cluster.local', '']);
    expect(nslookup(makeCtx(w, 'client'), ['nslookup', '-type=srv', '_web._tcp.nginx.default.svc.cluster.local']).stdout.slice(3)).toEqual([
      '_web._tcp.nginx.default.svc.cluster.local\tservice = 0 50 80 web-0.nginx.default.svc.cluster.local',
      '_web._tcp.nginx.default.svc.cluster.local\tservice = 0 50 80 web-1.nginx.default.svc.cluster.local', '',
    ]);
    expect(nslookup(makeCtx(w, 'client'), ['nslookup', 'google.com']).stdout.slice(3, 6)).toEqual(['Non-authoritative answer:', 'Name:\tgoogle.com', 'Address: 142.250.185.78']);
  });

  it('from another namespace the short name finds nothing', () => {
    const r = nslookup(makeCtx(w, 'client-other'), ['nslookup', 'my-svc']);
    expect(r.stdout).toContain("** server can't find my-svc.other.svc.cluster.local: NXDOMAIN");
    expect(r.stdout.some((l) => l.startsWith('Name:'))).toBe(false);
    expect(r.exitCode).toBe(1);
  });

  it('no reply: the timeout message after 5 s, exit 1', () => {
    const r = nslookup(makeCtx(w, 'client', { connect: 'timeout' }), ['nslookup', 'my-svc']);
    expect(r).toEqual({ exitCode: 1, stdout: [';; connection timed out; no servers could be reached', ''], stderr: [], elapsedMs: 5000 });
  });
});

describe('BIND nslookup (dnsutils)', () => {
  const w = makeWorld();

  it('the docs example: kubernetes.default through the search list', () => {
    const r = nslookup(makeCtx(w, 'client', DNSUTILS), ['nslookup', 'kubernetes.default']);
    expect(r.stdout).toEqual(['Server:\t\t10.96.0.10', 'Address:\t10.96.0.10#53', '', 'Name:\tkubernetes.default.svc.cluster.local', 'Address: 10.96.0.1', '']);
    expect(r.exitCode).toBe(0);
  });

  it('NXDOMAIN names the name as typed, exit 1', () => {
    const r = nslookup(makeCtx(w, 'client', DNSUTILS), ['nslookup', 'nope']);
    expect(r.stdout).toEqual(['Server:\t\t10.96.0.10', 'Address:\t10.96.0.10#53', '', "** server can't find nope: NXDOMAIN", '']);
    expect(r.exitCode).toBe(1);
  });

  it('reverse lookups, CNAMEs and SRV records', () => {
    expect(nslookup(makeCtx(w, 'client', DNSUTILS), ['nslookup', '10.96.0.10']).stdout.slice(3)).toEqual(['10.0.96.10.in-addr.arpa\tname = kube-dns.kube-system.svc.cluster.local.', '']);
    expect(nslookup(makeCtx(w, 'client', DNSUTILS), ['nslookup', 'ext-pub']).stdout.slice(3)).toEqual(['ext-pub.default.svc.cluster.local\tcanonical name = example.com.', 'Name:\texample.com', 'Address: 93.184.215.14', '']);
    expect(nslookup(makeCtx(w, 'client', DNSUTILS), ['nslookup', '-type=srv', '_http._tcp.my-svc']).stdout.slice(3)).toEqual(['_http._tcp.my-svc.default.svc.cluster.local\tservice = 0 100 80 my-svc.default.svc.cluster.local.', '']);
  });

  it('no reply: the timeout message, exit 1', () => {
    const r = nslookup(makeCtx(w, 'client', { ...DNSUTILS, connect: 'timeout' }), ['nslookup', 'kubernetes.default']);
    expect(r.stdout).toEqual([';; connection timed out; no servers could be reached', '']);
    expect(r.exitCode).toBe(1);
  });
});

describe('dig', () => {
  const w = makeWorld();

  it('full output (BIND 9.18): header, flags, OPT with the echoed cookie, sections, stats', () => {
    const r = dig(makeCtx(w, 'client', NETSHOOT), ['dig', 'kubernetes.default.svc.cluster.local']);
    const lines = r.stdout;
    expect(lines[0]).toBe('');
    expect(lines[1]).toBe('; <<>> DiG 9.18.30 <<>> kubernetes.default.svc.cluster.local');
    expect(lines[2]).toBe(';; global options: +cmd');
    expect(lines[3]).toBe(';; Got answer:');
    expect(lines[4]).toMatch(/^;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: \d+$/);
    expect(lines.slice(5, 10)).toEqual([
      ';; flags: qr aa rd; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1',
      ';; WARNING: recursion requested but not available',
      '',
      ';; OPT PSEUDOSECTION:',
      '; EDNS: version: 0, flags:; udp: 1232',
    ]);
    expect(lines[10]).toMatch(/^; COOKIE: [0-9a-f]{16} \(echoed\)$/);
    expect(lines.slice(11)).toEqual([
      ';; QUESTION SECTION:',
      ';kubernetes.default.svc.cluster.local. IN A',
      '',
      ';; ANSWER SECTION:',
      'kubernetes.default.svc.cluster.local. 30 IN A\t10.96.0.1',
      '',
      ';; Query time: 0 msec',
      ';; SERVER: 10.96.0.10#53(10.96.0.10) (UDP)',
      ';; WHEN: Sat Jun 01 12:00:00 UTC 2024',
      ';; MSG SIZE  rcvd: 93',
      '',
    ]);
    expect(r.exitCode).toBe(0);
  });

  it('BIND 9.9 (jessie-dnsutils): no cookie, 4096-byte EDNS, no transport on the SERVER line', () => {
    const lines = dig(makeCtx(w, 'client', DNSUTILS), ['dig', 'my-svc.default.svc.cluster.local']).stdout;
    expect(lines[1]).toBe('; <<>> DiG 9.9.5-9+deb8u19-Debian <<>> my-svc.default.svc.cluster.local');
    expect(lines).toContain('; EDNS: version: 0, flags:; udp: 4096');
    expect(lines.some((l) => l.startsWith('; COOKIE'))).toBe(false);
    expect(lines).toContain(';; SERVER: 10.96.0.10#53(10.96.0.10)');
    expect(lines).toContain(';; MSG SIZE  rcvd: 77');
  });

  it('NXDOMAIN: the SOA in AUTHORITY, exit 0', () => {
    const r = dig(makeCtx(w, 'client', NETSHOOT), ['dig', 'nope.default.svc.cluster.local']);
    expect(r.stdout[4]).toContain('status: NXDOMAIN');
    expect(r.stdout).toContain(';; flags: qr aa rd; QUERY: 1, ANSWER: 0, AUTHORITY: 1, ADDITIONAL: 1');
    const i = r.stdout.indexOf(';; AUTHORITY SECTION:');
    expect(r.stdout[i + 1]).toBe(`cluster.local.\t\t30\tIN\tSOA\tns.dns.cluster.local. hostmaster.cluster.local. ${Math.floor(Date.parse('2024-06-01T11:00:00Z') / 1000)} 7200 1800 86400 30`);
    expect(r.exitCode).toBe(0);
  });

  it('SRV with the targets in ADDITIONAL; +short; +search; -x', () => {
    const r = dig(makeCtx(w, 'client', NETSHOOT), ['dig', 'SRV', '_web._tcp.nginx.default.svc.cluster.local']);
    const i = r.stdout.indexOf(';; ANSWER SECTION:');
    expect(r.stdout.slice(i + 1, i + 7)).toEqual([
      '_web._tcp.nginx.default.svc.cluster.local. 30 IN SRV 0 50 80 web-0.nginx.default.svc.cluster.local.',
      '_web._tcp.nginx.default.svc.cluster.local. 30 IN SRV 0 50 80 web-1.nginx.default.svc.cluster.local.',
      '',
      ';; ADDITIONAL SECTION:',
      'web-0.nginx.default.svc.cluster.local. 30 IN A\t10.244.1.10',
      'web-1.nginx.default.svc.cluster.local. 30 IN A\t10.244.2.11',
    ]);
    expect(dig(makeCtx(w, 'client', NETSHOOT), ['dig', '+short', 'my-svc.default.svc.cluster.local']).stdout).toEqual(['10.96.100.10']);
    // without +search a short name is absolute and goes upstream: nothing
    expect(dig(makeCtx(w, 'client', NETSHOOT), ['dig', '+short', 'my-svc']).stdout).toEqual([]);
    expect(dig(makeCtx(w, 'client', NETSHOOT), ['dig', '+short', '+search', 'nginx']).stdout).toEqual(['10.244.1.10', '10.244.2.11']);
    expect(dig(makeCtx(w, 'client', NETSHOOT), ['dig', '-x', '10.96.0.1', '+short']).stdout).toEqual(['kubernetes.default.svc.cluster.local.']);
    expect(dig(makeCtx(w, 'client', NETSHOOT), ['dig', '@10.96.0.10', '-t', 'srv', '_http._tcp.my-svc.default.svc.cluster.local', '+short']).stdout).toEqual(['0 100 80 my-svc.default.svc.cluster.local.']);
  });

  it('a forwarded answer: qr rd ra, no warning, short names in columns', () => {
    const lines = dig(makeCtx(w, 'client', NETSHOOT), ['dig', 'example.com']).stdout;
    expect(lines).toContain(';; flags: qr rd ra; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1');
    expect(lines).not.toContain(';; WARNING: recursion requested but not available');
    expect(lines).toContain(';example.com.\t\t\tIN\tA');
    expect(lines).toContain('example.com.\t\t30\tIN\tA\t93.184.215.14');
  });

  it('no reply: the timeout lines, exit 9', () => {
    const r = dig(makeCtx(w, 'client', { ...NETSHOOT, connect: 'timeout' }), ['dig', 'my-svc.default.svc.cluster.local']);
    expect(r.exitCode).toBe(9);
    expect(r.stdout.filter((l) => l.startsWith(';; communications error'))).toEqual(Array(3).fill(';; communications error to 10.96.0.10#53: timed out'));
    expect(r.stdout[r.stdout.length - 1]).toBe(';; no servers could be reached');
  });
});

describe('host and the tool dispatcher', () => {
  const w = makeWorld();
  it('host lines', () => {
    expect(host(makeCtx(w, 'client', NETSHOOT), ['host', 'my-svc']).stdout).toEqual(['my-svc.default.svc.cluster.local has address 10.96.100.10']);
    expect(host(makeCtx(w, 'client', NETSHOOT), ['host', 'ext']).stdout).toEqual(['ext.default.svc.cluster.local is an alias for my.database.example.com.']);
    expect(host(makeCtx(w, 'client', NETSHOOT), ['host', '10.244.1.10']).stdout).toEqual(['10.1.244.10.in-addr.arpa domain name pointer web-0.nginx.default.svc.cluster.local.']);
    expect(host(makeCtx(w, 'client', NETSHOOT), ['host', 'nope'])).toMatchObject({ exitCode: 1, stdout: ['Host nope not found: 3(NXDOMAIN)'] });
  });
  it('only the tools an image ships', () => {
    expect(dnsTool(makeCtx(w, 'client'), ['dig', 'x'])).toBeUndefined();
    expect(dnsTool(makeCtx(w, 'client'), ['nslookup', 'my-svc'])?.stdout[0]).toBe('Server:\t\t10.96.0.10');
    expect(dnsTool(makeCtx(w, 'client', { busybox: false, image: 'nginx:1.25' }), ['nslookup', 'my-svc'])).toBeUndefined();
    expect(dnsTool(makeCtx(w, 'client', NETSHOOT), ['dig', '+short', 'kube-dns.kube-system.svc.cluster.local'])?.stdout).toEqual(['10.96.0.10']);
  });
});
