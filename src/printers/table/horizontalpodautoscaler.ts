// HPA (autoscaling/v2 shape): TARGETS shows `cpu: 40%/80%`, `<unknown>` until metrics arrive.
import type { TableDef } from './types.js';
import { age, num } from './helpers.js';

function metricTargets(specs: any[] | undefined, statuses: any[] | undefined): string {
  const ss = specs ?? [];
  const st = statuses ?? [];
  if (ss.length === 0) return '<none>';
  const list: string[] = [];
  let count = 0;
  ss.forEach((spec, i) => {
    count++;
    if (list.length >= 2) return;
    const cur = st[i];
    switch (spec.type) {
      case 'Resource':
      case 'ContainerResource': {
        const src = spec.type === 'Resource' ? spec.resource : spec.containerResource;
        const curSrc = spec.type === 'Resource' ? cur?.resource : cur?.containerResource;
        if (src?.target?.averageValue != null) {
          list.push(`${src.name}: ${curSrc?.current?.averageValue ?? '<unknown>'}/${src.target.averageValue}`);
        } else {
          const c = curSrc?.current?.averageUtilization != null ? `${curSrc.current.averageUtilization}%` : '<unknown>';
          const t = src?.target?.averageUtilization != null ? `${src.target.averageUtilization}%` : '<auto>';
          list.push(`${src?.name}: ${c}/${t}`);
        }
        break;
      }
      case 'Pods': {
        const c = cur?.pods?.current?.averageValue ?? '<unknown>';
        list.push(`${c}/${spec.pods?.target?.averageValue ?? ''}`);
        break;
      }
      case 'Object': {
        const t = spec.object?.target ?? {};
        if (t.averageValue != null) list.push(`${cur?.object?.current?.averageValue ?? '<unknown>'}/${t.averageValue} (avg)`);
        else list.push(`${cur?.object?.current?.value ?? '<unknown>'}/${t.value ?? ''}`);
        break;
      }
      case 'External': {
        const t = spec.external?.target ?? {};
        if (t.averageValue != null) list.push(`${cur?.external?.current?.averageValue ?? '<unknown>'}/${t.averageValue} (avg)`);
        else list.push(`${cur?.external?.current?.value ?? '<unknown>'}/${t.value ?? ''}`);
        break;
      }
      default:
        list.push('<unknown type>');
    }
  });
  const s = list.join(', ');
  return count > 2 ? `${s} + ${count - 2} more...` : s;
}

export const horizontalPodAutoscaler: TableDef = {
  columns: [{ name: 'Name' }, { name: 'Reference' }, { name: 'Targets' }, { name: 'MinPods' }, { name: 'MaxPods' }, { name: 'Replicas' }, { name: 'Age' }],
  row: (o, now) => [
    o.metadata?.name,
    `${o.spec?.scaleTargetRef?.kind ?? ''}/${o.spec?.scaleTargetRef?.name ?? ''}`,
    metricTargets(o.spec?.metrics, o.status?.currentMetrics),
    o.spec?.minReplicas != null ? String(o.spec.minReplicas) : '<unset>',
    num(o.spec?.maxReplicas),
    num(o.status?.currentReplicas),
    age(o, now),
  ],
};
