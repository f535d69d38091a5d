// kubectl describe secret: sizes only, never values (except a service account token).
import { tabbed, LEVEL_0 } from './writer.js';
import type { DescribeLookup } from './types.js';
import { printLabelsMultiline, printAnnotationsMultiline } from './util.js';

export function describeSecret(s: any, _lookup: DescribeLookup): string {
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${s.metadata?.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${s.metadata?.namespace ?? ''}\n`);
    printLabelsMultiline(w, 'Labels', s.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', s.metadata?.annotations);
    w.write(LEVEL_0, `\nType:\t${s.type ?? 'Opaque'}\n`);
    w.write(LEVEL_0, '\nData\n====\n');
    // stringData is folded into data by the apiserver; count it too in case it was stored as sent.
    const data: Record<string, Buffer> = {};
    for (const [k, v] of Object.entries<string>(s.data ?? {})) data[k] = Buffer.from(String(v ?? ''), 'base64');
    for (const [k, v] of Object.entries<string>(s.stringData ?? {})) data[k] = Buffer.from(String(v ?? ''), 'utf8');
    for (const k of Object.keys(data).sort()) {
      if (k === 'token' && s.type === 'kubernetes.io/service-account-token') w.write(LEVEL_0, `${k}:\t${data[k].toString('utf8')}\n`);
      else w.write(LEVEL_0, `${k}:\t${data[k].length} bytes\n`);
    }
  });
}
