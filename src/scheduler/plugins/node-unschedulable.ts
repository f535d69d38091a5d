// NodeUnschedulable: a cordoned node (spec.unschedulable) takes no new pods, unless the pod
// tolerates the node.kubernetes.io/unschedulable:NoSchedule taint (DaemonSet pods do).
import { type Plugin, unresolvable } from '../types.js';
import { tolerated } from './taint-toleration.js';

export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
const UNSCHEDULABLE_TAINT = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

export const nodeUnschedulable: Plugin = {
  name: 'NodeUnschedulable',
  filter(_ctx, pi, node) {
    if (!node.node.spec?.unschedulable) return undefined;
    if (tolerated(pi.pod.spec?.tolerations, UNSCHEDULABLE_TAINT)) return undefined;
    return unresolvable('NodeUnschedulable', ERR_REASON_UNSCHEDULABLE);
  },
};
