// cluster.yaml: kube-proxy's mode and the load-balancer pool, at the top or under networking:.
import { describe, expect, it } from 'vitest';
import { buildClusterConfig, parseClusterFile, poolRange, validateClusterDocument } from '../../../src/cluster/cluster-file.js';

describe('cluster.yaml networking for services', () => {
  it('reads kind\'s networking.kubeProxyMode and a loadBalancerPool into the config', () => {
    const { input } = parseClusterFile('kind: Cluster\nnetworking:\n  kubeProxyMode: ipvs\n  loadBalancerPool: [172.18.255.200-172.18.255.250, 172.18.254.0/28]\n', 'cluster.yaml');
    const config = buildClusterConfig('dev', input);
    expect(config.proxyMode).toBe('ipvs');
    expect(config.loadBalancerPool).toEqual(['172.18.255.200-172.18.255.250', '172.18.254.0/28']);
  });

  it('takes them at the top level too, and leaves them out when not given', () => {
    const r = validateClusterDocument({ kind: 'Cluster', kubeProxyMode: 'iptables', loadBalancerPool: ['10.0.0.10-10.0.0.20'] });
    expect(r.errors).toEqual([]);
    expect(r.input).toMatchObject({ proxyMode: 'iptables', loadBalancerPool: ['10.0.0.10-10.0.0.20'] });
    const plain = buildClusterConfig('dev', validateClusterDocument({ kind: 'Cluster' }).input);
    expect(plain.proxyMode).toBeUndefined();
    expect(plain.loadBalancerPool).toBeUndefined();
  });

  it('reports bad values as field errors, all at once', () => {
    const r = validateClusterDocument({ kind: 'Cluster', networking: { kubeProxyMode: 'nftables', loadBalancerPool: ['172.18.255.250-172.18.255.200', 'x', '172.18.0.0/16', '172.18.1.0/24'] } });
    expect(r.errors).toEqual([
      'networking.kubeProxyMode: Unsupported value: "nftables": supported values: "iptables", "ipvs"',
      'networking.loadBalancerPool[0]: Invalid value: "172.18.255.250-172.18.255.200": must be an IPv4 CIDR (e.g. 172.18.255.0/24) or a first-last range (e.g. 172.18.255.200-172.18.255.250)',
      'networking.loadBalancerPool[1]: Invalid value: "x": must be an IPv4 CIDR (e.g. 172.18.255.0/24) or a first-last range (e.g. 172.18.255.200-172.18.255.250)',
      'networking.loadBalancerPool[3]: Invalid value: "172.18.1.0/24": overlaps networking.loadBalancerPool[2]',
    ]);
    expect(() => parseClusterFile('kind: Cluster\nloadBalancerPool: 172.18.255.200\n', 'c.yaml')).toThrow(
      'error: invalid cluster config c.yaml: loadBalancerPool: Invalid value: "172.18.255.200": must be a list of CIDRs or first-last ranges');
  });

  it('a pool entry is an inclusive range', () => {
    expect(poolRange('172.18.255.200/30')).toEqual({ first: poolRange('172.18.255.200-172.18.255.203')!.first, last: poolRange('172.18.255.200-172.18.255.203')!.last });
  });
});
