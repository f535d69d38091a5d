// kubectl describe replicaset.
import { tabbed, LEVEL_0, LEVEL_1 } from './writer.js';
import type { DescribeLookup } from './types.js';
import { printLabelsMultiline, printAnnotationsMultiline, formatLabelSelector, selectorString, controllerOf } from './util.js';
import { describePodTemplate, podStatusCounts, podsStatusLine } from './podtemplate.js';
import { describeEvents } from './events.js';

export function describeReplicaSet(rs: any, lookup: DescribeLookup): string {
  const pods = lookup.list('pods', rs.metadata?.namespace, selectorString(rs.spec?.selector));
  const counts = podStatusCounts(pods, rs.metadata?.uid);
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${rs.metadata?.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${rs.metadata?.namespace ?? ''}\n`);
    w.write(LEVEL_0, `Selector:\t${formatLabelSelector(rs.spec?.selector)}\n`);
    printLabelsMultiline(w, 'Labels', rs.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', rs.metadata?.annotations);
    const ctl = controllerOf(rs);
    if (ctl) w.write(LEVEL_0, `Controlled By:\t${ctl}\n`);
    w.write(LEVEL_0, `Replicas:\t${rs.status?.replicas ?? 0} current / ${rs.spec?.replicas ?? 1} desired\n`);
    w.write(LEVEL_0, 'Pods Status:\t');
    w.write(LEVEL_0, `${podsStatusLine(counts)}\n`);
    describePodTemplate(rs.spec?.template, w);
    if ((rs.status?.conditions ?? []).length > 0) {
      w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tReason\n');
      w.write(LEVEL_1, '----\t------\t------\n');
      for (const c of rs.status.conditions) w.write(LEVEL_1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
    }
    describeEvents(lookup.events(rs), w, lookup.now);
  });
}
