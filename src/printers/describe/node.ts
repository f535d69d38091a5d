// kubectl describe node: conditions, capacity, system info, the pods on it and what they request.
import { tabbed, LEVEL_0, LEVEL_1 } from './writer.js';
import type { Writer } from './writer.js';
import type { DescribeLookup } from './types.js';
import { printLabelsMultiline, printAnnotationsMultiline, rfc1123z, since, goBool } from './util.js';
import { describeEvents } from './events.js';
import { parseQuantity, formatQuantity, milliValue, value, canonical, type Quantity } from './quantity.js';

const ROLE_PREFIX = 'node-role.kubernetes.io/';

export function nodeRoles(node: any): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries<string>(node.metadata?.labels ?? {})) {
    if (k.startsWith(ROLE_PREFIX)) {
      const r = k.slice(ROLE_PREFIX.length);
      if (r) roles.add(r);
    } else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return [...roles].sort();
}

type QMap = Map<string, Quantity>;

function addInto(m: QMap, name: string, q: Quantity): void {
  const cur = m.get(name);
  m.set(name, cur ? { nanos: cur.nanos + q.nanos, format: cur.format } : q);
}

/** resourcehelper.PodRequestsAndLimits: sum of containers, at least each init container, plus overhead. */
export function podRequestsAndLimits(pod: any): { reqs: QMap; limits: QMap } {
  const reqs: QMap = new Map();
  const limits: QMap = new Map();
  const containerReqs = (c: any) => ({ ...(c.resources?.limits ?? {}), ...(c.resources?.requests ?? {}) });
  for (const c of pod.spec?.containers ?? []) {
    for (const [k, v] of Object.entries(containerReqs(c))) addInto(reqs, k, parseQuantity(v));
    for (const [k, v] of Object.entries(c.resources?.limits ?? {})) addInto(limits, k, parseQuantity(v));
  }
  for (const c of pod.spec?.initContainers ?? []) {
    for (const [k, v] of Object.entries(containerReqs(c))) {
      const q = parseQuantity(v);
      const cur = reqs.get(k);
      if (!cur || q.nanos > cur.nanos) reqs.set(k, q);
    }
    for (const [k, v] of Object.entries(c.resources?.limits ?? {})) {
      const q = parseQuantity(v);
      const cur = limits.get(k);
      if (!cur || q.nanos > cur.nanos) limits.set(k, q);
    }
  }
  for (const [k, v] of Object.entries(pod.spec?.overhead ?? {})) {
    addInto(reqs, k, parseQuantity(v));
    if (limits.has(k)) addInto(limits, k, parseQuantity(v));
  }
  return { reqs, limits };
}

const ZERO: Quantity = { nanos: 0n, format: 'DecimalSI' };
const pct = (num: number, den: number) => (den === 0 ? 0 : Math.trunc((num / den) * 100));
const STANDARD = new Set(['cpu', 'memory', 'ephemeral-storage', 'storage', 'pods', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage', 'limits.cpu', 'limits.memory', 'limits.ephemeral-storage']);

function describeNodeResource(pods: any[], node: any, w: Writer, now: number): void {
  w.write(LEVEL_0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  w.write(LEVEL_1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
  w.write(LEVEL_1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
  const alloc: Record<string, string> = Object.keys(node.status?.allocatable ?? {}).length > 0 ? node.status.allocatable : node.status?.capacity ?? {};
  const allocCpu = milliValue(parseQuantity(alloc.cpu ?? '0'));
  const allocMem = value(parseQuantity(alloc.memory ?? '0'));
  const allocEph = value(parseQuantity(alloc['ephemeral-storage'] ?? '0'));
  const totalReqs: QMap = new Map();
  const totalLimits: QMap = new Map();
  for (const pod of pods) {
    const { reqs, limits } = podRequestsAndLimits(pod);
    for (const [k, q] of reqs) addInto(totalReqs, k, q);
    for (const [k, q] of limits) addInto(totalLimits, k, q);
    const cr = reqs.get('cpu') ?? ZERO;
    const cl = limits.get('cpu') ?? ZERO;
    const mr = reqs.get('memory') ?? ZERO;
    const ml = limits.get('memory') ?? ZERO;
    // Go divides by zero into +Inf/NaN here; a node always has allocatable cpu and memory.
    w.write(LEVEL_1, `${pod.metadata?.namespace ?? ''}\t${pod.metadata?.name ?? ''}\t\t` +
      `${formatQuantity(cr)} (${pct(milliValue(cr), allocCpu)}%)\t${formatQuantity(cl)} (${pct(milliValue(cl), allocCpu)}%)\t` +
      `${formatQuantity(mr)} (${pct(value(mr), allocMem)}%)\t${formatQuantity(ml)} (${pct(value(ml), allocMem)}%)\t${since(pod.metadata?.creationTimestamp, now)}\n`);
  }
  w.write(LEVEL_0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
  w.write(LEVEL_1, 'Resource\tRequests\tLimits\n');
  w.write(LEVEL_1, '--------\t--------\t------\n');
  const row = (name: string, alloced: number, unit: (q: Quantity) => number) => {
    const r = totalReqs.get(name) ?? ZERO;
    const l = totalLimits.get(name) ?? ZERO;
    w.write(LEVEL_1, `${name}\t${formatQuantity(r)} (${pct(unit(r), alloced)}%)\t${formatQuantity(l)} (${pct(unit(l), alloced)}%)\n`);
  };
  row('cpu', allocCpu, milliValue);
  row('memory', allocMem, value);
  row('ephemeral-storage', allocEph, value);
  const names = Object.keys(alloc);
  const huge = names.filter((n) => n.startsWith('hugepages-')).sort();
  const ext = names.filter((n) => !n.startsWith('hugepages-') && !STANDARD.has(n)).sort();
  for (const h of huge) row(h, value(parseQuantity(alloc[h])), value);
  for (const e of ext) w.write(LEVEL_1, `${e}\t${formatQuantity(totalReqs.get(e) ?? ZERO)}\t${formatQuantity(totalLimits.get(e) ?? ZERO)}\n`);
}

export function describeNode(node: any, lookup: DescribeLookup): string {
  const name = node.metadata?.name ?? '';
  const pods = lookup.list('pods').filter((p) => p.spec?.nodeName === name && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
  const lease = lookup.list('leases', 'kube-node-lease').find((l) => l.metadata?.name === name);
  // Controllers record node events against the node's uid, kubelets against its name: kubectl merges both.
  const byUid = lookup.events(node);
  let events: any[] | null = null;
  if (byUid !== null) {
    events = [...byUid];
    const seen = new Set(events.map((e) => e.metadata?.uid ?? e));
    for (const e of lookup.events({ ...node, metadata: { ...node.metadata, uid: name } }) ?? []) {
      if (!seen.has(e.metadata?.uid ?? e)) events.push(e);
    }
  }
  const st = node.status ?? {};
  const info = st.nodeInfo ?? {};
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${name}\n`);
    const roles = nodeRoles(node);
    w.write(LEVEL_0, `Roles:\t${roles.length > 0 ? roles.join(',') : '<none>'}\n`);
    printLabelsMultiline(w, 'Labels', node.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', node.metadata?.annotations);
    w.write(LEVEL_0, `CreationTimestamp:\t${rfc1123z(node.metadata?.creationTimestamp)}\n`);
    const taints = [...(node.spec?.taints ?? [])].sort((a, b) => {
      const ka = `${a.effect},${a.key}`;
      const kb = `${b.effect},${b.key}`;
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
    w.write(LEVEL_0, 'Taints:\t');
    if (taints.length === 0) w.writeLine('<none>');
    taints.forEach((t, i) => {
      if (i !== 0) w.write(LEVEL_0, '\t');
      w.write(LEVEL_0, `${t.key}${t.value ? '=' + t.value : ''}:${t.effect}\n`);
    });
    w.write(LEVEL_0, `Unschedulable:\t${goBool(node.spec?.unschedulable)}\n`);
    if (lease) {
      w.write(LEVEL_0, 'Lease:\n');
      w.write(LEVEL_1, `HolderIdentity:\t${lease.spec?.holderIdentity ?? '<unset>'}\n`);
      w.write(LEVEL_1, `AcquireTime:\t${lease.spec?.acquireTime ? rfc1123z(lease.spec.acquireTime) : '<unset>'}\n`);
      w.write(LEVEL_1, `RenewTime:\t${lease.spec?.renewTime ? rfc1123z(lease.spec.renewTime) : '<unset>'}\n`);
    } else {
      w.write(LEVEL_0, `Lease:\tFailed to get lease: leases.coordination.k8s.io "${name}" not found\n`);
    }
    if ((st.conditions ?? []).length > 0) {
      w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
      w.write(LEVEL_1, '----\t------\t-----------------\t------------------\t------\t-------\n');
      for (const c of st.conditions) {
        w.write(LEVEL_1, `${c.type} \t${c.status} \t${rfc1123z(c.lastHeartbeatTime)} \t${rfc1123z(c.lastTransitionTime)} \t${c.reason ?? ''} \t${c.message ?? ''}\n`);
      }
    }
    w.write(LEVEL_0, 'Addresses:\n');
    for (const a of st.addresses ?? []) w.write(LEVEL_1, `${a.type}:\t${a.address}\n`);
    const printList = (list: Record<string, string>) => {
      for (const k of Object.keys(list).sort()) w.write(LEVEL_0, `  ${k}:\t${canonical(list[k])}\n`);
    };
    if (Object.keys(st.capacity ?? {}).length > 0) {
      w.write(LEVEL_0, 'Capacity:\n');
      printList(st.capacity);
    }
    if (Object.keys(st.allocatable ?? {}).length > 0) {
      w.write(LEVEL_0, 'Allocatable:\n');
      printList(st.allocatable);
    }
    w.write(LEVEL_0, 'System Info:\n');
    w.write(LEVEL_0, `  Machine ID:\t${info.machineID ?? ''}\n`);
    w.write(LEVEL_0, `  System UUID:\t${info.systemUUID ?? ''}\n`);
    w.write(LEVEL_0, `  Boot ID:\t${info.bootID ?? ''}\n`);
    w.write(LEVEL_0, `  Kernel Version:\t${info.kernelVersion ?? ''}\n`);
    w.write(LEVEL_0, `  OS Image:\t${info.osImage ?? ''}\n`);
    w.write(LEVEL_0, `  Operating System:\t${info.operatingSystem ?? ''}\n`);
    w.write(LEVEL_0, `  Architecture:\t${info.architecture ?? ''}\n`);
    w.write(LEVEL_0, `  Container Runtime Version:\t${info.containerRuntimeVersion ?? ''}\n`);
    w.write(LEVEL_0, `  Kubelet Version:\t${info.kubeletVersion ?? ''}\n`);
    w.write(LEVEL_0, `  Kube-Proxy Version:\t${info.kubeProxyVersion ?? ''}\n`);
    if (node.spec?.podCIDR) w.write(LEVEL_0, `PodCIDR:\t${node.spec.podCIDR}\n`);
    if ((node.spec?.podCIDRs ?? []).length > 0) w.write(LEVEL_0, `PodCIDRs:\t${node.spec.podCIDRs.join(',')}\n`);
    if (node.spec?.providerID) w.write(LEVEL_0, `ProviderID:\t${node.spec.providerID}\n`);
    describeNodeResource(pods, node, w, lookup.now);
    describeEvents(events, w, lookup.now);
  });
}
