import { describe, expect, it } from 'vitest';
import { newSim } from '../controlplane/harness.js';
import { buildClusterConfig } from '../../../src/cluster/cluster-file.js';

describe('bootstrap of kube-system (as kubeadm leaves it)', () => {
  it('creates the CoreDNS Deployment, kube-dns Service, kube-proxy DaemonSet and their ConfigMaps', async () => {
    const sim = await newSim();
    const coredns = sim.get('deployments', 'kube-system', 'coredns')!;
    expect(coredns.spec.replicas).toBe(2);
    const c = coredns.spec.template.spec.containers[0];
    expect(c.image).toBe('registry.k8s.io/coredns/coredns:v1.11.3');
    expect(c.resources).toEqual({ limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } });
    expect(c.ports.map((p: any) => `${p.containerPort}/${p.protocol}`)).toEqual(['53/UDP', '53/TCP', '9153/TCP']);
    expect(coredns.spec.template.spec.priorityClassName).toBe('system-cluster-critical');
    expect(coredns.spec.template.metadata.labels).toEqual({ 'k8s-app': 'kube-dns' });

    const dns = sim.get('services', 'kube-system', 'kube-dns')!;
    expect(dns.spec.clusterIP).toBe('10.96.0.10');
    expect(dns.spec.clusterIPs).toEqual(['10.96.0.10']);
    expect(sim.get('configmaps', 'kube-system', 'coredns')!.data.Corefile).toContain('kubernetes cluster.local in-addr.arpa ip6.arpa');

    const proxy = sim.get('daemonsets', 'kube-system', 'kube-proxy')!;
    expect(proxy.spec.template.spec.hostNetwork).toBe(true);
    expect(proxy.spec.template.spec.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(proxy.spec.template.spec.containers[0].image).toBe('registry.k8s.io/kube-proxy:v1.32.0');
    expect(sim.get('configmaps', 'kube-system', 'kube-proxy')!.data['config.conf']).toContain('clusterCIDR: 10.244.0.0/16');
    expect(sim.get('configmaps', 'kube-system', 'kubeadm-config')!.data.ClusterConfiguration).toContain('controlPlaneEndpoint: sim-control-plane:6443');
    expect(sim.get('configmaps', 'kube-system', 'kubelet-config')!.data.kubelet).toContain('- 10.96.0.10');
    expect(sim.get('serviceaccounts', 'kube-system', 'coredns')).toBeDefined();
    expect(sim.get('serviceaccounts', 'kube-system', 'kube-proxy')).toBeDefined();
  });

  it('creates the system PriorityClasses with their real values', async () => {
    const sim = await newSim();
    expect(sim.get('priorityclasses', undefined, 'system-node-critical')!.value).toBe(2000001000);
    expect(sim.get('priorityclasses', undefined, 'system-cluster-critical')!.value).toBe(2000000000);
  });

  it('takes the Service addresses from the cluster config', async () => {
    const sim = await newSim(buildClusterConfig('dev', { serviceSubnet: '10.96.0.0/16', podSubnet: '10.200.0.0/16' }));
    expect(sim.get('services', 'default', 'kubernetes')!.spec.clusterIP).toBe('10.96.0.1');
    expect(sim.get('services', 'kube-system', 'kube-dns')!.spec.clusterIP).toBe('10.96.0.10');
    expect(sim.get('configmaps', 'kube-system', 'kube-proxy')!.data['config.conf']).toContain('clusterCIDR: 10.200.0.0/16');
  });
});
