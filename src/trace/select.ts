// `minikctl trace TYPE/NAME`: the records concerning one object and what it caused. An object's
// dependents are found the way the garbage collector would find them, by controlling
// ownerReferences (a Deployment's ReplicaSets, their Pods), and, for records that carry no owners,
// by the names controllers generate (<deployment>-<pod-template-hash>[-<5 chars>]).
import type { TraceCommand } from './log.js';
import type { TraceRecord } from './trace.js';

export interface Target {
  kind: string;
  namespace?: string;
  name: string;
}

// The alphabet of generated name suffixes and pod-template-hashes (rand.SafeEncodeString).
const SAFE = '[bcdfghjklmnpqrstvwxz2456789]';

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Names a controller of this kind gives the objects it makes (for records without owners). */
function generatedName(t: Target): RegExp | undefined {
  const n = escape(t.name);
  switch (t.kind) {
    case 'Deployment':
      return new RegExp(`^${n}-${SAFE}{1,10}(-${SAFE}{5})?$`);
    case 'ReplicaSet':
    case 'DaemonSet':
    case 'Job':
    case 'ReplicationController':
      return new RegExp(`^${n}-${SAFE}{5}$`);
    case 'StatefulSet':
      return new RegExp(`^${n}-\\d+$`);
    case 'CronJob':
      return new RegExp(`^${n}-\\d+(-${SAFE}{5})?$`);
    default:
      return undefined;
  }
}

const key = (kind: string | undefined, ns: string | undefined, name: string) => `${kind ?? ''}/${ns ?? ''}/${name}`;

/** The tokens of a free-text record that could be object names ("default/my-app-x" → default, my-app-x). */
function tokens(s: string | undefined): string[] {
  return s ? s.split(/[^a-z0-9.-]+/i).filter(Boolean) : [];
}

/**
 * The records of each command that concern the target or its dependents; commands with none are
 * left out. Decisions (free text) match when they name one of the objects.
 */
export function selectFor(commands: TraceCommand[], t: Target): TraceCommand[] {
  const members = new Set<string>([key(t.kind, t.namespace, t.name)]);
  const names = new Set<string>([t.name]);
  const pattern = generatedName(t);
  const dependentKinds = t.kind === 'Deployment' ? ['ReplicaSet', 'Pod'] : ['Pod'];
  // First pass, in order: grow the family through ownerReferences and generated names.
  for (const c of commands) {
    for (const r of c.records) {
      if (r.code === undefined || !r.name || !r.kind) continue;
      if (t.namespace && r.ns && r.ns !== t.namespace) continue;
      if (members.has(key(r.kind, r.ns, r.name))) continue;
      const owned = r.owners?.some((o) => {
        const slash = o.indexOf('/');
        return members.has(key(o.slice(0, slash), r.ns, o.slice(slash + 1)));
      });
      const named = !r.owners && pattern && dependentKinds.includes(r.kind) && pattern.test(r.name);
      if (owned || named) {
        members.add(key(r.kind, r.ns, r.name));
        names.add(r.name);
      }
    }
  }
  const concerns = (r: TraceRecord): boolean => {
    if (r.code !== undefined) {
      if (t.namespace && r.ns && r.ns !== t.namespace) return false;
      if (r.name && r.kind && members.has(key(r.kind, r.ns, r.name))) return true;
      if (r.about) {
        const slash = r.about.indexOf('/');
        return members.has(key(r.about.slice(0, slash), r.ns, r.about.slice(slash + 1)));
      }
      return false;
    }
    return tokens(r.object).some((w) => names.has(w)) || tokens(r.detail).some((w) => names.has(w));
  };
  // Decisions carry no namespace: they count only for an object the API calls show exists there.
  const seen = commands.some((c) => c.records.some((r) => r.code !== undefined && concerns(r)));
  const out: TraceCommand[] = [];
  if (!seen) return out;
  for (const c of commands) {
    const records = c.records.filter(concerns);
    if (records.length) out.push({ ...c, records });
  }
  return out;
}
