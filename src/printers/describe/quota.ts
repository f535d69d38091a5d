// ResourceQuota and LimitRange tables: their own describers and the sections Namespace shows.
import { tabbed, LEVEL_0, LEVEL_1 } from './writer.js';
import type { Writer } from './writer.js';
import type { DescribeLookup } from './types.js';
import { canonical, parseQuantity, formatQuantity } from './quantity.js';

const SCOPE_HELP: Record<string, string> = {
  Terminating: 'Matches all pods that have an active deadline. These pods have a limited lifespan on a node before being actively terminated by the system.',
  NotTerminating: 'Matches all pods that do not have an active deadline. These pods usually include long running pods whose container command is not expected to terminate.',
  BestEffort: 'Matches all pods that do not have resource requirements set. These pods have a best effort quality of service.',
  NotBestEffort: 'Matches all pods that have at least one resource requirement set. These pods have a burstable or guaranteed quality of service.',
};

function limitRangeRows(spec: any, prefix: string, w: Writer): void {
  for (const item of spec?.limits ?? []) {
    const keys = new Set<string>();
    for (const f of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio']) for (const k of Object.keys(item[f] ?? {})) keys.add(k);
    // kubectl walks a Go map here (random order); sorted keeps our output stable.
    for (const k of [...keys].sort()) {
      const v = (f: string) => (item[f]?.[k] !== undefined ? canonical(item[f][k]) : '-');
      w.write(LEVEL_0, `${prefix}${item.type ?? ''}\t${k}\t${v('min')}\t${v('max')}\t${v('defaultRequest')}\t${v('default')}\t${v('maxLimitRequestRatio')}\n`);
    }
  }
}

export function describeLimitRangesSection(items: any[], w: Writer): void {
  if (items.length === 0) {
    w.write(LEVEL_0, 'No LimitRange resource.\n');
    return;
  }
  w.write(LEVEL_0, 'Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n');
  w.write(LEVEL_0, ' ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n');
  for (const lr of items) limitRangeRows(lr.spec, ' ', w);
}

export function describeResourceQuotasSection(items: any[], w: Writer): void {
  if (items.length === 0) {
    w.write(LEVEL_0, 'No resource quota.\n');
    return;
  }
  const sorted = [...items].sort((a, b) => String(a.metadata?.name).localeCompare(String(b.metadata?.name)));
  w.write(LEVEL_0, 'Resource Quotas\n');
  for (const q of sorted) {
    w.write(LEVEL_1, `Name:\t${q.metadata?.name ?? ''}\n`);
    const scopes = [...(q.spec?.scopes ?? [])].sort();
    if (scopes.length > 0) {
      w.write(LEVEL_1, `Scopes:\t${scopes.join(', ')}\n`);
      for (const s of scopes) if (SCOPE_HELP[s]) w.write(LEVEL_1, `* ${SCOPE_HELP[s]}\n`);
    }
    w.write(LEVEL_1, 'Resource\tUsed\tHard\n');
    w.write(LEVEL_1, '--------\t---\t---\n');
    const hard = q.status?.hard ?? {};
    const used = q.status?.used ?? {};
    for (const r of Object.keys(hard).sort()) w.write(LEVEL_1, `${r}\t${canonical(used[r] ?? '0')}\t${canonical(hard[r])}\n`);
  }
}

export function describeResourceQuota(q: any, _lookup: DescribeLookup): string {
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${q.metadata?.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${q.metadata?.namespace ?? ''}\n`);
    const scopes = [...(q.spec?.scopes ?? [])].sort();
    if (scopes.length > 0) {
      w.write(LEVEL_0, `Scopes:\t${scopes.join(', ')}\n`);
      for (const s of scopes) if (SCOPE_HELP[s]) w.write(LEVEL_0, ` * ${SCOPE_HELP[s]}\n`);
    }
    w.write(LEVEL_0, 'Resource\tUsed\tHard\n');
    w.write(LEVEL_0, '--------\t----\t----\n');
    const hard = q.status?.hard ?? {};
    const used = q.status?.used ?? {};
    for (const r of Object.keys(hard).sort()) {
      const h = parseQuantity(hard[r]);
      const u = parseQuantity(used[r] ?? '0');
      // Used is reprinted in Hard's format when they differ (e.g. memory counted in bytes).
      w.write(LEVEL_0, `${r}\t${formatQuantity({ nanos: u.nanos, format: h.format })}\t${formatQuantity(h)}\n`);
    }
  });
}

export function describeLimitRange(lr: any, _lookup: DescribeLookup): string {
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${lr.metadata?.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${lr.metadata?.namespace ?? ''}\n`);
    w.write(LEVEL_0, 'Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n');
    w.write(LEVEL_0, '----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n');
    limitRangeRows(lr.spec, '', w);
  });
}
