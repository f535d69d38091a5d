import { describe, expect, it } from 'vitest';
import { newSim } from '../controlplane/harness.js';

describe('kubelet: node registration, heartbeats, static pods', () => {
  it('registers every machine as a Node with kubelet-style labels, taints, capacity, conditions and system info', async () => {
    const sim = await newSim();
    const names = sim.list('nodes').map((n) => n.metadata!.name);
    expect(names).toEqual(['sim-control-plane', 'sim-worker', 'sim-worker2', 'sim-worker3']);
    const cp = sim.get('nodes', undefined, 'sim-control-plane')!;
    expect(cp.metadata!.labels).toMatchObject({
      'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64',
      'kubernetes.io/hostname': 'sim-control-plane', 'kubernetes.io/os': 'linux', 'node-role.kubernetes.io/control-plane': '',
      'topology.kubernetes.io/zone': 'local-a', 'topology.kubernetes.io/region': 'local',
    });
    expect(cp.spec.taints).toEqual([{ effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane' }]);
    const w = sim.get('nodes', undefined, 'sim-worker')!;
    expect(w.metadata!.labels!['node-role.kubernetes.io/control-plane']).toBeUndefined();
    expect(w.spec.taints).toBeUndefined();
    expect(w.status.capacity).toEqual({ cpu: '4', 'ephemeral-storage': '100Gi', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '8Gi', pods: '110' });
    expect(w.status.allocatable.memory).toBe('8092Mi');
    expect(w.status.conditions.map((c: any) => [c.type, c.status, c.reason])).toEqual([
      ['MemoryPressure', 'False', 'KubeletHasSufficientMemory'], ['DiskPressure', 'False', 'KubeletHasNoDiskPressure'],
      ['PIDPressure', 'False', 'KubeletHasSufficientPID'], ['Ready', 'True', 'KubeletReady'],
    ]);
    expect(w.status.conditions[3].message).toBe('kubelet is posting ready status');
    expect(w.status.addresses).toEqual([{ address: '172.18.0.3', type: 'InternalIP' }, { address: 'sim-worker', type: 'Hostname' }]);
    expect(w.status.daemonEndpoints).toEqual({ kubeletEndpoint: { Port: 10250 } });
    expect(w.status.nodeInfo).toMatchObject({ kubeletVersion: 'v1.32.0', architecture: 'amd64', operatingSystem: 'linux', osImage: 'Debian GNU/Linux 12 (bookworm)' });
    expect(w.status.nodeInfo.containerRuntimeVersion).toMatch(/^containerd:\/\/1\.7\.\d+$/);
    expect(w.status.nodeInfo.machineID).toMatch(/^[0-9a-f]{32}$/);
    expect(w.status.nodeInfo.bootID).not.toBe(sim.get('nodes', undefined, 'sim-worker2')!.status.nodeInfo.bootID);
    // kind's node image ships the control plane's images
    expect(w.status.images.some((i: any) => i.names.includes('registry.k8s.io/pause:3.10'))).toBe(true);
  });

  it('keeps a Lease per node, renewed when older than 10s at reconcile time', async () => {
    const sim = await newSim();
    const lease = sim.get('leases', 'kube-node-lease', 'sim-worker')!;
    expect(lease.spec).toMatchObject({ holderIdentity: 'sim-worker', leaseDurationSeconds: 40 });
    expect(lease.spec.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(lease.metadata!.ownerReferences![0]).toMatchObject({ kind: 'Node', name: 'sim-worker' });
    const first = lease.spec.renewTime;
    await sim.run(15_000);
    await sim.call({ verb: 'create', resource: 'configmaps', namespace: 'default', body: { metadata: { name: 'poke' } } });
    await sim.run(0);
    expect(sim.get('leases', 'kube-node-lease', 'sim-worker')!.spec.renewTime).not.toBe(first);
  });

  it('runs the control plane as static pods, shown as mirror pods owned by the node', async () => {
    const sim = await newSim();
    await sim.run(30_000);
    const node = sim.get('nodes', undefined, 'sim-control-plane')!;
    for (const c of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler']) {
      const pod = sim.get('pods', 'kube-system', `${c}-sim-control-plane`)!;
      expect(pod, c).toBeDefined();
      expect(pod.metadata!.annotations).toMatchObject({ 'kubernetes.io/config.source': 'file' });
      expect(pod.metadata!.annotations!['kubernetes.io/config.mirror']).toMatch(/^[0-9a-f]{32}$/);
      expect(pod.metadata!.ownerReferences).toEqual([{ apiVersion: 'v1', controller: true, kind: 'Node', name: 'sim-control-plane', uid: node.metadata!.uid }]);
      expect(pod.spec).toMatchObject({ hostNetwork: true, priorityClassName: 'system-node-critical', nodeName: 'sim-control-plane' });
      expect(pod.status.phase).toBe('Running');
      expect(pod.status.containerStatuses[0].state.running, c).toBeDefined();
      expect(pod.status.containerStatuses[0].ready, c).toBe(true);
      expect(pod.status.podIP).toBe('172.18.0.2');
    }
    expect(sim.get('pods', 'kube-system', 'etcd-sim-control-plane')!.spec.containers[0].image).toBe('registry.k8s.io/etcd:3.5.16-0');
    const pulled = sim.list('events', 'kube-system').find((e) => e.involvedObject.name === 'etcd-sim-control-plane' && e.reason === 'Pulled')!;
    expect(pulled.message).toBe('Container image "registry.k8s.io/etcd:3.5.16-0" already present on machine');
  });

  it('posts a deleted mirror pod again; the static pod keeps running', async () => {
    const sim = await newSim();
    await sim.run(30_000);
    const before = sim.get('pods', 'kube-system', 'etcd-sim-control-plane')!;
    const started = before.status.containerStatuses[0].state.running.startedAt;
    await sim.call({ verb: 'delete', resource: 'pods', namespace: 'kube-system', name: 'etcd-sim-control-plane' });
    await sim.run(1_000);
    const after = sim.get('pods', 'kube-system', 'etcd-sim-control-plane')!;
    expect(after.metadata!.uid).not.toBe(before.metadata!.uid);
    expect(after.status.containerStatuses[0].state.running.startedAt).toBe(started);
  });
});
