// kubectl describe namespace: status, conditions, then its quotas and limit ranges.
import { tabbed, LEVEL_0, LEVEL_1 } from './writer.js';
import type { DescribeLookup } from './types.js';
import { printLabelsMultiline, printAnnotationsMultiline, rfc1123z } from './util.js';
import { describeResourceQuotasSection, describeLimitRangesSection } from './quota.js';

export function describeNamespace(ns: any, lookup: DescribeLookup): string {
  const name = ns.metadata?.name ?? '';
  const quotas = lookup.list('resourcequotas', name);
  const limits = lookup.list('limitranges', name);
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${name}\n`);
    printLabelsMultiline(w, 'Labels', ns.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', ns.metadata?.annotations);
    w.write(LEVEL_0, `Status:\t${ns.status?.phase ?? ''}\n`);
    if ((ns.status?.conditions ?? []).length > 0) {
      w.write(LEVEL_0, 'Conditions:\n');
      w.write(LEVEL_1, 'Type\tStatus\tLastTransitionTime\tReason\tMessage\n');
      w.write(LEVEL_1, '----\t------\t------------------\t------\t-------\n');
      for (const c of ns.status.conditions) w.write(LEVEL_1, `${c.type}\t${c.status}\t${rfc1123z(c.lastTransitionTime)}\t${c.reason ?? ''}\t${c.message ?? ''}\n`);
    }
    w.write(LEVEL_0, '\n');
    describeResourceQuotasSection(quotas, w);
    w.write(LEVEL_0, '\n');
    describeLimitRangesSection(limits, w);
  });
}
