// NodeName: a pod that names its node fits only there. Pending pods the scheduler picks up have no
// nodeName, so this matters when the framework is asked "would the pod fit here" (preemption).
import { type Plugin, unresolvable } from '../types.js';

export const ERR_REASON_NODE_NAME = "node(s) didn't match the requested node name";

export const nodeName: Plugin = {
  name: 'NodeName',
  filter(_ctx, pi, node) {
    const want = pi.pod.spec?.nodeName;
    if (want && want !== node.name) return unresolvable('NodeName', ERR_REASON_NODE_NAME);
    return undefined;
  },
};
