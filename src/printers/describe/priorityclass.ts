// kubectl describe priorityclass.
import { tabbed, LEVEL_0 } from './writer.js';
import type { DescribeLookup } from './types.js';
import { formatLabels, goBool } from './util.js';
import { describeEvents } from './events.js';

export function describePriorityClass(pc: any, lookup: DescribeLookup): string {
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${pc.metadata?.name ?? ''}\n`);
    w.write(LEVEL_0, `Value:\t${pc.value ?? 0}\n`);
    w.write(LEVEL_0, `GlobalDefault:\t${goBool(pc.globalDefault)}\n`);
    w.write(LEVEL_0, `PreemptionPolicy:\t${pc.preemptionPolicy ?? 'PreemptLowerPriority'}\n`);
    w.write(LEVEL_0, `Description:\t${pc.description ?? ''}\n`);
    w.write(LEVEL_0, `Annotations:\t${formatLabels(pc.metadata?.annotations)}\n`);
    describeEvents(lookup.events(pc), w, lookup.now);
  });
}
