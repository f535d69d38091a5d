// kubectl describe endpoints.
import { tabbed, LEVEL_0, LEVEL_1, LEVEL_2 } from './writer.js';
import type { DescribeLookup } from './types.js';
import { printLabelsMultiline, printAnnotationsMultiline } from './util.js';
import { describeEvents } from './events.js';

export function describeEndpoints(ep: any, lookup: DescribeLookup): string {
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${ep.metadata?.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${ep.metadata?.namespace ?? ''}\n`);
    printLabelsMultiline(w, 'Labels', ep.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', ep.metadata?.annotations);
    w.write(LEVEL_0, 'Subsets:\n');
    for (const s of ep.subsets ?? []) {
      const addrs = (s.addresses ?? []).map((a: any) => a.ip).join(',');
      w.write(LEVEL_1, `Addresses:\t${addrs || '<none>'}\n`);
      const notReady = (s.notReadyAddresses ?? []).map((a: any) => a.ip).join(',');
      w.write(LEVEL_1, `NotReadyAddresses:\t${notReady || '<none>'}\n`);
      if ((s.ports ?? []).length > 0) {
        w.write(LEVEL_1, 'Ports:\n');
        w.write(LEVEL_2, 'Name\tPort\tProtocol\n');
        w.write(LEVEL_2, '----\t----\t--------\n');
        for (const p of s.ports) w.write(LEVEL_2, `${p.name || '<unset>'}\t${p.port}\t${p.protocol ?? 'TCP'}\n`);
      }
      w.write(LEVEL_0, '\n');
    }
    describeEvents(lookup.events(ep), w, lookup.now);
  });
}
