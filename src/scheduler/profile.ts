// The default profile, in the order of kube-scheduler 1.32's default plugin set (filters run in
// this order and the first failure decides a node's status), with the default score weights:
// TaintToleration 3, NodeAffinity 2, NodeResourcesFit 1, PodTopologySpread 2, InterPodAffinity 2,
// BalancedAllocation 1, ImageLocality 1. SchedulingGates works before the queue (index.ts) and
// DefaultPreemption is the PostFilter (preemption.ts). (NodePorts is not modelled.)
import type { Profile } from './types.js';
import { nodeUnschedulable } from './plugins/node-unschedulable.js';
import { nodeName } from './plugins/node-name.js';
import { taintToleration } from './plugins/taint-toleration.js';
import { nodeAffinity } from './plugins/node-affinity.js';
import { nodeResourcesFit } from './plugins/node-resources-fit.js';
import { balancedAllocation } from './plugins/balanced-allocation.js';
import { imageLocality } from './plugins/image-locality.js';
import { podTopologySpread } from './plugins/pod-topology-spread.js';
import { interPodAffinity } from './plugins/inter-pod-affinity.js';
import { volumeBinding } from './plugins/volume-binding.js';

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

export const DEFAULT_PROFILE: Profile = {
  schedulerName: DEFAULT_SCHEDULER_NAME,
  filters: [nodeUnschedulable, nodeName, taintToleration, nodeAffinity, nodeResourcesFit, volumeBinding, podTopologySpread, interPodAffinity],
  scorers: [
    { plugin: taintToleration, weight: 3 },
    { plugin: nodeAffinity, weight: 2 },
    { plugin: nodeResourcesFit, weight: 1 },
    { plugin: podTopologySpread, weight: 2 },
    { plugin: interPodAffinity, weight: 2 },
    { plugin: balancedAllocation, weight: 1 },
    { plugin: imageLocality, weight: 1 },
  ],
};
