// Networking, autoscaling, scheduling and discovery kinds.

export function defaultNetworkPolicy(np: any): void {
  const spec = (np.spec ??= {});
  spec.podSelector ??= {};
  for (const r of [...(spec.ingress ?? []), ...(spec.egress ?? [])]) {
    for (const p of r?.ports ?? []) if (p) p.protocol ??= 'TCP';
  }
  // An absent policyTypes means Ingress, plus Egress when egress rules are given.
  if (!spec.policyTypes || spec.policyTypes.length === 0) {
    spec.policyTypes = ['Ingress'];
    if (spec.egress && spec.egress.length > 0) spec.policyTypes.push('Egress');
  }
}

export function defaultHPA(hpa: any): void {
  const spec = (hpa.spec ??= {});
  spec.minReplicas ??= 1;
  if (!spec.metrics || spec.metrics.length === 0) {
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
  }
  // Only a behavior the user started is completed; a missing one stays missing.
  if (spec.behavior) {
    const up = (spec.behavior.scaleUp ??= {});
    up.stabilizationWindowSeconds ??= 0;
    up.selectPolicy ??= 'Max';
    up.policies ??= [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }];
    const down = (spec.behavior.scaleDown ??= {});
    down.stabilizationWindowSeconds ??= 300;
    down.selectPolicy ??= 'Max';
    down.policies ??= [{ type: 'Percent', value: 100, periodSeconds: 15 }];
  }
}

export function defaultPriorityClass(pc: any): void {
  pc.preemptionPolicy ??= 'PreemptLowerPriority';
}

export function defaultEndpointSlice(es: any): void {
  for (const p of es.ports ?? []) {
    if (!p) continue;
    p.protocol ??= 'TCP';
    p.name ??= '';
  }
}

/** Ingress has no defaults of its own (pathType is required); kept for symmetry of the table. */
export function defaultIngress(_ing: any): void {}

export function defaultPDB(_pdb: any): void {}
