// kubectl describe poddisruptionbudget.
import { tabbed, LEVEL_0, LEVEL_2 } from './writer.js';
import type { DescribeLookup } from './types.js';
import { formatLabelSelector, intOrString } from './util.js';
import { describeEvents } from './events.js';

export function describePDB(pdb: any, lookup: DescribeLookup): string {
  const spec = pdb.spec ?? {};
  const st = pdb.status ?? {};
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${pdb.metadata?.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${pdb.metadata?.namespace ?? ''}\n`);
    if (spec.minAvailable !== undefined) w.write(LEVEL_0, `Min available:\t${intOrString(spec.minAvailable)}\n`);
    else if (spec.maxUnavailable !== undefined) w.write(LEVEL_0, `Max unavailable:\t${intOrString(spec.maxUnavailable)}\n`);
    w.write(LEVEL_0, `Selector:\t${spec.selector ? formatLabelSelector(spec.selector) : '<unset>'}\n`);
    w.write(LEVEL_0, 'Status:\n');
    w.write(LEVEL_2, `Allowed disruptions:\t${st.disruptionsAllowed ?? 0}\n`);
    w.write(LEVEL_2, `Current:\t${st.currentHealthy ?? 0}\n`);
    w.write(LEVEL_2, `Desired:\t${st.desiredHealthy ?? 0}\n`);
    w.write(LEVEL_2, `Total:\t${st.expectedPods ?? 0}\n`);
    describeEvents(lookup.events(pdb), w, lookup.now);
  });
}
