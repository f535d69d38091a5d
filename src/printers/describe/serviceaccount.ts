// kubectl describe serviceaccount.
import { tabbed, LEVEL_0 } from './writer.js';
import type { DescribeLookup } from './types.js';
import { printLabelsMultiline, printAnnotationsMultiline } from './util.js';
import { describeEvents } from './events.js';

export function describeServiceAccount(sa: any, lookup: DescribeLookup): string {
  const ns = sa.metadata?.namespace;
  const secrets = lookup.list('secrets', ns);
  const existing = new Set(secrets.map((s) => s.metadata?.name));
  const tokens = secrets
    .filter((s) => s.type === 'kubernetes.io/service-account-token'
      && s.metadata?.annotations?.['kubernetes.io/service-account.name'] === sa.metadata?.name
      && s.metadata?.annotations?.['kubernetes.io/service-account.uid'] === sa.metadata?.uid)
    .map((s) => s.metadata?.name);
  const missing = new Set<string>();
  for (const s of [...(sa.secrets ?? []), ...(sa.imagePullSecrets ?? [])]) if (!existing.has(s.name)) missing.add(s.name);
  // The three headers are padded to one width by hand and printed in sorted header order, as kubectl does.
  const rows: [string, string[]][] = [
    ['Image pull secrets:', (sa.imagePullSecrets ?? []).map((s: any) => s.name)],
    ['Mountable secrets: ', (sa.secrets ?? []).map((s: any) => s.name)],
    ['Tokens:            ', tokens],
  ];
  const empty = '                   ';
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${sa.metadata?.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${ns ?? ''}\n`);
    printLabelsMultiline(w, 'Labels', sa.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', sa.metadata?.annotations);
    for (const [header, names] of rows) {
      if (names.length === 0) {
        w.write(LEVEL_0, `${header}\t<none>\n`);
        continue;
      }
      let prefix = header;
      for (const n of names) {
        w.write(LEVEL_0, missing.has(n) ? `${prefix}\t${n} (not found)\n` : `${prefix}\t${n}\n`);
        prefix = empty;
      }
    }
    describeEvents(lookup.events(sa), w, lookup.now);
  });
}
