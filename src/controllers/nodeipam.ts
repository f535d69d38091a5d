// kube-controller-manager's node IPAM controller (the range allocator, as kubeadm runs it with
// --allocate-node-cidrs and --cluster-cidr): every Node gets a /24 of the pod subnet in
// spec.podCIDR and spec.podCIDRs, which the node's CNI plugin then hands out pod IPs from.
// A machine of the cluster keeps the range its config gave it, so a re-registered node gets
// the same one; a node no machine describes gets the lowest free /24.
import type { Component, ComponentClient } from './component.js';
import type { KObject } from '../apiserver/types.js';
import { DEFAULT_POD_SUBNET } from '../cluster/config.js';
import { podCidrAt, podCidrCount } from '../cluster/cluster-file.js';

export const nodeIpamController: Component = {
  name: 'node-ipam-controller',
  watches: ['nodes'],
  async reconcile(c: ComponentClient): Promise<boolean> {
    const nodes = await c.list('nodes');
    const pending = nodes.filter((n) => !n.spec?.podCIDR && !n.metadata?.deletionTimestamp);
    if (pending.length === 0) return false;
    const config = c.config;
    const podSubnet = config?.podSubnet ?? DEFAULT_POD_SUBNET;
    const byMachine = new Map((config?.nodes ?? []).map((m) => [m.name, m.podCIDR]));
    // Taken: every range a node holds, and every range reserved for a machine of the config.
    const used = new Set<string>(byMachine.values());
    for (const n of nodes) for (const cidr of n.spec?.podCIDRs ?? (n.spec?.podCIDR ? [n.spec.podCIDR] : [])) used.add(cidr);
    const room = podCidrCount(podSubnet);
    let next = 0;
    let changed = false;
    for (const node of pending) {
      const name = node.metadata!.name!;
      let cidr = byMachine.get(name);
      // A machine's own range is its even if another node took it first (it cannot: it is reserved).
      if (!cidr) {
        while (next < room && used.has(podCidrAt(podSubnet, next))) next++;
        if (next >= room) {
          // Said once per node (the real controller retries with a backoff and says it each time).
          const reported = c.state<{ full: Record<string, boolean> }>('node-ipam', () => ({ full: {} })).full;
          if (reported[name]) continue;
          reported[name] = true;
          c.touch();
          await c.event(node as KObject, 'Normal', 'CIDRNotAvailable', `Node ${name} status is now: CIDRNotAvailable`, { component: 'cidrAllocator' });
          continue;
        }
        cidr = podCidrAt(podSubnet, next);
      }
      used.add(cidr);
      c.trace('allocate-cidr', `node/${name}`, `podCIDR ${cidr} from ${podSubnet}`);
      if (await c.patch('nodes', undefined, name, { spec: { podCIDR: cidr, podCIDRs: [cidr] } })) changed = true;
    }
    return changed;
  },
};
