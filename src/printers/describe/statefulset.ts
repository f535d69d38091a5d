// kubectl describe statefulset.
import { tabbed, LEVEL_0, LEVEL_1 } from './writer.js';
import type { DescribeLookup } from './types.js';
import { printLabelsMultiline, printAnnotationsMultiline, rfc1123z, selectorString, intOrString } from './util.js';
import { describePodTemplate, describeVolumeClaimTemplates, podStatusCounts, podsStatusLine } from './podtemplate.js';
import { describeEvents } from './events.js';

export function describeStatefulSet(ss: any, lookup: DescribeLookup): string {
  const sel = selectorString(ss.spec?.selector);
  const counts = podStatusCounts(lookup.list('pods', ss.metadata?.namespace, sel), ss.metadata?.uid);
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${ss.metadata?.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${ss.metadata?.namespace ?? ''}\n`);
    w.write(LEVEL_0, `CreationTimestamp:\t${rfc1123z(ss.metadata?.creationTimestamp)}\n`);
    w.write(LEVEL_0, `Selector:\t${sel}\n`);
    printLabelsMultiline(w, 'Labels', ss.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', ss.metadata?.annotations);
    w.write(LEVEL_0, `Replicas:\t${ss.spec?.replicas ?? 1} desired | ${ss.status?.replicas ?? 0} total\n`);
    const us = ss.spec?.updateStrategy ?? { type: 'RollingUpdate', rollingUpdate: { partition: 0 } };
    w.write(LEVEL_0, `Update Strategy:\t${us.type ?? ''}\n`);
    const ru = us.rollingUpdate;
    if (ru && ru.partition !== undefined && ru.partition !== null) {
      w.write(LEVEL_1, `Partition:\t${ru.partition}\n`);
      if (ru.maxUnavailable !== undefined && ru.maxUnavailable !== null) w.write(LEVEL_1, `MaxUnavailable:\t${intOrString(ru.maxUnavailable)}\n`);
    }
    w.write(LEVEL_0, `Pods Status:\t${podsStatusLine(counts)}\n`);
    describePodTemplate(ss.spec?.template, w);
    describeVolumeClaimTemplates(ss.spec?.volumeClaimTemplates, w);
    describeEvents(lookup.events(ss), w, lookup.now);
  });
}
