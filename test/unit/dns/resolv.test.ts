import { describe, expect, it } from 'vitest';
import { hostsFile, resolvConf } from '../../../src/dns/resolv.js';
import { makeWorld, pod } from './world.js';

describe('pod /etc/resolv.conf', () => {
  const w = makeWorld();

  it('ClusterFirst: the namespace search list, kube-dns, ndots:5', () => {
    expect(resolvConf(pod('default', 'a', '10.244.1.2'), w)).toBe('search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
    expect(resolvConf(pod('other', 'a', '10.244.1.2', { dnsPolicy: undefined }), w)).toBe('search other.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
  });

  it('Default, and ClusterFirst on the host network: the kind node resolver (Docker DNS at the gateway)', () => {
    const node = 'nameserver 172.18.0.1\noptions edns0 trust-ad ndots:0\n';
    expect(resolvConf(pod('default', 'a', '10.244.1.2', { dnsPolicy: 'Default' }), w)).toBe(node);
    expect(resolvConf(pod('default', 'a', '172.18.0.3', { hostNetwork: true }), w)).toBe(node);
    expect(resolvConf(pod('default', 'a', '172.18.0.3', { hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }), w)).toBe('search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
  });

  it('None takes dnsConfig alone; dnsConfig merges into the others (an option overrides its namesake)', () => {
    const none = pod('default', 'a', '10.244.1.2', { dnsPolicy: 'None', dnsConfig: { nameservers: ['1.2.3.4'], searches: ['ns1.svc.cluster-domain.example', 'my.dns.search.suffix'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] } });
    expect(resolvConf(none, w)).toBe('search ns1.svc.cluster-domain.example my.dns.search.suffix\nnameserver 1.2.3.4\noptions ndots:2 edns0\n');
    const merged = pod('default', 'a', '10.244.1.2', { dnsConfig: { nameservers: ['10.96.0.10', '8.8.8.8'], searches: ['corp.example'], options: [{ name: 'ndots', value: '1' }, { name: 'single-request-reopen' }] } });
    expect(resolvConf(merged, w)).toBe('search default.svc.cluster.local svc.cluster.local cluster.local corp.example\nnameserver 10.96.0.10\nnameserver 8.8.8.8\noptions ndots:1 single-request-reopen\n');
  });

  it('keeps at most three nameservers', () => {
    const p = pod('default', 'a', '10.244.1.2', { dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1', '2.2.2.2', '3.3.3.3', '4.4.4.4'] } });
    expect(resolvConf(p, w)).toBe('nameserver 1.1.1.1\nnameserver 2.2.2.2\nnameserver 3.3.3.3\n');
  });
});

describe('pod /etc/hosts', () => {
  const w = makeWorld();
  const head = '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n';

  it('the pod IP with its hostname', () => {
    expect(hostsFile(pod('default', 'nginx', '10.244.1.4'), w)).toBe(`${head}10.244.1.4\tnginx\n`);
  });

  it('hostname + subdomain: the FQDN first', () => {
    expect(hostsFile(pod('default', 'web-0', '10.244.1.10', { hostname: 'web-0', subdomain: 'nginx' }), w)).toBe(`${head}10.244.1.10\tweb-0.nginx.default.svc.cluster.local\tweb-0\n`);
  });

  it('hostAliases after a blank line and their header', () => {
    const p = pod('default', 'hostaliases-pod', '10.244.1.5', { hostAliases: [{ ip: '127.0.0.1', hostnames: ['foo.local', 'bar.local'] }, { ip: '10.1.2.3', hostnames: ['foo.remote', 'bar.remote'] }] });
    expect(hostsFile(p, w)).toBe(`${head}10.244.1.5\thostaliases-pod\n\n# Entries added by HostAliases.\n127.0.0.1\tfoo.local\tbar.local\n10.1.2.3\tfoo.remote\tbar.remote\n`);
  });

  it('host network: the node hosts file under its own header', () => {
    const text = hostsFile(pod('default', 'hn', '172.18.0.3', { hostNetwork: true }), w);
    expect(text.split('\n').slice(0, 2)).toEqual(['# Kubernetes-managed hosts file (host network).', '127.0.0.1\tlocalhost']);
    expect(text).toContain('172.18.0.3\tkind-worker\n');
  });
});
