// What a mutating step changed in an object, told as field paths ("spec.strategy.type=RollingUpdate"),
// so the trace can say what defaulting or an admission plugin did. Only used for kubectl's own
// requests (see Trace.detailed), never in the control plane's hot path.

/** A snapshot to compare against later (objects are mutated in place by the plugins). */
export function snapshot<T>(o: T): T {
  return o === undefined ? o : JSON.parse(JSON.stringify(o));
}

function show(v: unknown): string {
  if (typeof v === 'string') return v === '' ? '""' : v;
  if (Array.isArray(v)) return v.length === 0 ? '[]' : `[${v.length} item${v.length === 1 ? '' : 's'}]`;
  if (v && typeof v === 'object') return Object.keys(v).length === 0 ? '{}' : '{...}';
  return String(v);
}

/**
 * The leaves of `after` that are new or different from `before`, the shallowest first (an
 * object's own fields say more than its containers' details). Array items are compared by
 * position and named by their `name` when they have one (containers[my-app]). Stops at `limit`.
 */
export function changedPaths(before: unknown, after: unknown, limit = 50): string[] {
  const depth = (p: string) => (p.split('=')[0].match(/[.[]/g) ?? []).length;
  return collect(before, after, limit)
    .map((p, i) => ({ p, i, d: depth(p) }))
    .sort((x, y) => x.d - y.d || x.i - y.i)
    .map((x) => x.p);
}

function collect(before: unknown, after: unknown, limit: number): string[] {
  const out: string[] = [];
  const walk = (b: any, a: any, path: string) => {
    if (out.length >= limit) return;
    if (a === b) return;
    if (a && typeof a === 'object' && b && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
      if (Array.isArray(a)) {
        for (let i = 0; i < a.length; i++) {
          const label = a[i] && typeof a[i] === 'object' && typeof a[i].name === 'string' ? a[i].name : String(i);
          walk(b[i], a[i], `${path}[${label}]`);
        }
        return;
      }
      for (const k of Object.keys(a)) walk(b[k], a[k], path ? `${path}.${k}` : k);
      return;
    }
    if (JSON.stringify(a) === JSON.stringify(b)) return;
    if (a === undefined) return;
    if (Array.isArray(a) && a.length > 0 && (b === undefined || b === null)) {
      walk([], a, path);
      return;
    }
    if (a && typeof a === 'object' && (b === undefined || b === null) && path.endsWith(']')) {
      // A new list item (a volume, a toleration): its name says enough.
      out.push(`${path} added`);
      return;
    }
    if (a && typeof a === 'object' && !Array.isArray(a) && Object.keys(a).length > 0 && (b === undefined || b === null)) {
      // A whole new sub-object: name its leaves, they are what a learner wants to see.
      for (const k of Object.keys(a)) walk(undefined, a[k], path ? `${path}.${k}` : k);
      return;
    }
    out.push(`${path}=${show(a)}`);
  };
  walk(before, after, '');
  return out;
}

/** "a, b, c (+4 more)": a list kept to one readable line. */
export function listShort(items: string[], max = 6): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} (+${items.length - max} more)`;
}
