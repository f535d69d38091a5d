// autoscaling/v1 <-> autoscaling/v2 HorizontalPodAutoscalers, as the apiserver converts them: v1
// knows one metric (targetCPUUtilizationPercentage), v2 a list. kubectl autoscale (v1.32) speaks
// v1; minikctl keeps HPAs as v2. (The real conversion also carries v2-only fields in
// autoscaling.alpha.kubernetes.io/* annotations; not done here.)
import type { KObject } from '../../apiserver/types.js';

/** The v1 object as the v2 API keeps it (the apiserver's conversion). */
export function v1ToV2(hpa: KObject): KObject {
  const { targetCPUUtilizationPercentage: cpu, ...rest } = hpa.spec ?? {};
  const spec: any = { ...rest };
  if (cpu !== undefined) spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: cpu } } }];
  const { creationTimestamp: _c, ...metadata } = hpa.metadata ?? {};
  return { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata, spec };
}

/** The stored v2 object read through autoscaling/v1 (what kubectl prints after creating). */
export function v2ToV1(hpa: KObject): KObject {
  const s = hpa.spec ?? {};
  const cpu = (s.metrics ?? []).find((m: any) => m?.type === 'Resource' && m.resource?.name === 'cpu' && m.resource?.target?.type === 'Utilization');
  const spec: any = { scaleTargetRef: s.scaleTargetRef };
  if (s.minReplicas !== undefined) spec.minReplicas = s.minReplicas;
  spec.maxReplicas = s.maxReplicas;
  if (cpu) spec.targetCPUUtilizationPercentage = cpu.resource.target.averageUtilization;
  const st = hpa.status ?? {};
  const status: any = {};
  if (st.observedGeneration !== undefined) status.observedGeneration = st.observedGeneration;
  if (st.lastScaleTime) status.lastScaleTime = st.lastScaleTime;
  status.currentReplicas = st.currentReplicas ?? 0;
  status.desiredReplicas = st.desiredReplicas ?? 0;
  const cur = (st.currentMetrics ?? []).find((m: any) => m?.type === 'Resource' && m.resource?.name === 'cpu');
  if (cur?.resource?.current?.averageUtilization !== undefined) status.currentCPUUtilizationPercentage = cur.resource.current.averageUtilization;
  return { kind: 'HorizontalPodAutoscaler', apiVersion: 'autoscaling/v1', metadata: hpa.metadata, spec, status };
}
