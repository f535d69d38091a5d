// kubectl describe hpa (autoscaling/v2).
import { tabbed, LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3 } from './writer.js';
import type { DescribeLookup } from './types.js';
import { printLabelsMultiline, printAnnotationsMultiline, rfc1123z } from './util.js';
import { describeEvents } from './events.js';
import { canonical } from './quantity.js';

export function describeHPA(hpa: any, lookup: DescribeLookup): string {
  const spec = hpa.spec ?? {};
  const cur: any[] = hpa.status?.currentMetrics ?? [];
  const ref = spec.scaleTargetRef ?? {};
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${hpa.metadata?.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${hpa.metadata?.namespace ?? ''}\n`);
    printLabelsMultiline(w, 'Labels', hpa.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', hpa.metadata?.annotations);
    w.write(LEVEL_0, `CreationTimestamp:\t${rfc1123z(hpa.metadata?.creationTimestamp)}\n`);
    w.write(LEVEL_0, `Reference:\t${ref.kind ?? ''}/${ref.name ?? ''}\n`);
    w.write(LEVEL_0, 'Metrics:\t( current / target )\n');
    (spec.metrics ?? []).forEach((m: any, i: number) => {
      const c = cur[i];
      switch (m.type) {
        case 'Resource':
        case 'ContainerResource': {
          const src = m.type === 'Resource' ? m.resource : m.containerResource;
          const cs = m.type === 'Resource' ? c?.resource : c?.containerResource;
          if (m.type === 'Resource') w.write(LEVEL_1, `resource ${src.name} on pods`);
          else w.write(LEVEL_1, `resource ${src.name} of container "${src.container}" on pods`);
          if (src.target?.averageValue !== undefined) {
            w.write(LEVEL_0, `:\t${cs?.current?.averageValue !== undefined ? canonical(cs.current.averageValue) : '<unknown>'} / ${canonical(src.target.averageValue)}\n`);
          } else {
            const current = cs?.current?.averageUtilization !== undefined ? `${cs.current.averageUtilization}% (${canonical(cs.current.averageValue ?? '0')})` : '<unknown>';
            const target = src.target?.averageUtilization !== undefined ? `${src.target.averageUtilization}%` : '<auto>';
            w.write(LEVEL_1, `(as a percentage of request):\t${current} / ${target}\n`);
          }
          break;
        }
        case 'Pods':
          w.write(LEVEL_1, `"${m.pods.metric?.name}" on pods:\t${c?.pods ? canonical(c.pods.current?.averageValue) : '<unknown>'} / ${canonical(m.pods.target?.averageValue)}\n`);
          break;
        case 'Object': {
          w.write(LEVEL_1, `"${m.object.metric?.name}" on ${m.object.describedObject?.kind}/${m.object.describedObject?.name} `);
          if (m.object.target?.type === 'AverageValue') w.write(LEVEL_0, `(target average value):\t${c?.object ? canonical(c.object.current?.averageValue) : '<unknown>'} / ${canonical(m.object.target.averageValue)}\n`);
          else w.write(LEVEL_0, `(target value):\t${c?.object ? canonical(c.object.current?.value) : '<unknown>'} / ${canonical(m.object.target?.value)}\n`);
          break;
        }
        case 'External':
          if (m.external.target?.averageValue !== undefined) {
            w.write(LEVEL_1, `"${m.external.metric?.name}" (target average value):\t${c?.external?.current?.averageValue !== undefined ? canonical(c.external.current.averageValue) : '<unknown>'} / ${canonical(m.external.target.averageValue)}\n`);
          } else {
            w.write(LEVEL_1, `"${m.external.metric?.name}" (target value):\t${c?.external ? canonical(c.external.current?.value) : '<unknown>'} / ${canonical(m.external.target?.value)}\n`);
          }
          break;
        default:
          w.write(LEVEL_1, `<unknown metric type "${m.type}">\n`);
      }
    });
    w.write(LEVEL_0, `Min replicas:\t${spec.minReplicas ?? '<unset>'}\n`);
    w.write(LEVEL_0, `Max replicas:\t${spec.maxReplicas ?? 0}\n`);
    if (spec.behavior) {
      w.write(LEVEL_0, 'Behavior:\n');
      for (const [dir, rules] of [['Scale Up', spec.behavior.scaleUp], ['Scale Down', spec.behavior.scaleDown]] as const) {
        if (!rules) continue;
        w.write(LEVEL_1, `${dir}:\n`);
        if (rules.stabilizationWindowSeconds !== undefined) w.write(LEVEL_2, `Stabilization Window: ${rules.stabilizationWindowSeconds} seconds\n`);
        if ((rules.policies ?? []).length > 0) {
          w.write(LEVEL_2, `Select Policy: ${rules.selectPolicy ?? 'Max'}\n`);
          w.write(LEVEL_2, 'Policies:\n');
          for (const p of rules.policies) w.write(LEVEL_3, `- Type: ${p.type}\tValue: ${p.value}\tPeriod: ${p.periodSeconds} seconds\n`);
        }
      }
    }
    w.write(LEVEL_0, `${ref.kind ?? ''} pods:\t`);
    w.write(LEVEL_0, `${hpa.status?.currentReplicas ?? 0} current / ${hpa.status?.desiredReplicas ?? 0} desired\n`);
    if ((hpa.status?.conditions ?? []).length > 0) {
      w.write(LEVEL_0, 'Conditions:\n');
      w.write(LEVEL_1, 'Type\tStatus\tReason\tMessage\n');
      w.write(LEVEL_1, '----\t------\t------\t-------\n');
      for (const c of hpa.status.conditions) w.write(LEVEL_1, `${c.type}\t${c.status}\t${c.reason ?? ''}\t${c.message ?? ''}\n`);
    }
    describeEvents(lookup.events(hpa), w, lookup.now);
  });
}
