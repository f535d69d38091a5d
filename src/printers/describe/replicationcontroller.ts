// kubectl describe replicationcontroller.
import { tabbed, LEVEL_0, LEVEL_1 } from './writer.js';
import type { DescribeLookup } from './types.js';
import { printLabelsMultiline, printAnnotationsMultiline, formatLabels } from './util.js';
import { describePodTemplate, podStatusCounts, podsStatusLine } from './podtemplate.js';
import { describeEvents } from './events.js';

export function describeReplicationController(rc: any, lookup: DescribeLookup): string {
  const sel = rc.spec?.selector ?? {};
  const selText = Object.keys(sel).sort().map((k) => `${k}=${sel[k]}`).join(',');
  const pods = lookup.list('pods', rc.metadata?.namespace, selText);
  const counts = podStatusCounts(pods, rc.metadata?.uid);
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${rc.metadata?.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${rc.metadata?.namespace ?? ''}\n`);
    w.write(LEVEL_0, `Selector:\t${formatLabels(sel)}\n`);
    printLabelsMultiline(w, 'Labels', rc.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', rc.metadata?.annotations);
    w.write(LEVEL_0, `Replicas:\t${rc.status?.replicas ?? 0} current / ${rc.spec?.replicas ?? 1} desired\n`);
    w.write(LEVEL_0, `Pods Status:\t${podsStatusLine(counts)}\n`);
    describePodTemplate(rc.spec?.template, w);
    if ((rc.status?.conditions ?? []).length > 0) {
      w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tReason\n');
      w.write(LEVEL_1, '----\t------\t------\n');
      for (const c of rc.status.conditions) w.write(LEVEL_1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
    }
    describeEvents(lookup.events(rc), w, lookup.now);
  });
}
