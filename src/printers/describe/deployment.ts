// kubectl describe deployment.
import { tabbed, LEVEL_0, LEVEL_1 } from './writer.js';
import type { DescribeLookup } from './types.js';
import { printLabelsMultiline, printAnnotationsMultiline, rfc1123z, selectorString, intOrString, controllerUid } from './util.js';
import { describePodTemplate } from './podtemplate.js';
import { describeEvents } from './events.js';

/** JSON with sorted keys, so two templates compare by content. */
function canonicalJson(v: any): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().filter((k) => v[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

/** EqualIgnoreHash: templates equal once the pod-template-hash label is dropped. */
function templateKey(t: any): string {
  const copy = JSON.parse(JSON.stringify(t ?? {}));
  if (copy.metadata?.labels) {
    delete copy.metadata.labels['pod-template-hash'];
    if (Object.keys(copy.metadata.labels).length === 0) delete copy.metadata.labels;
  }
  if (copy.metadata && Object.keys(copy.metadata).length === 0) delete copy.metadata;
  return canonicalJson(copy);
}

/** The deployment's ReplicaSets split as deploymentutil does: the new one and all the old ones. */
export function replicaSetsOf(d: any, lookup: DescribeLookup): { oldRSs: any[]; newRS?: any } {
  const owned = lookup.list('replicasets', d.metadata?.namespace).filter((rs) => controllerUid(rs) === d.metadata?.uid);
  const byAge = [...owned].sort((a, b) => {
    const ta = new Date(a.metadata?.creationTimestamp ?? 0).getTime();
    const tb = new Date(b.metadata?.creationTimestamp ?? 0).getTime();
    return ta !== tb ? ta - tb : String(a.metadata?.name).localeCompare(String(b.metadata?.name));
  });
  const want = templateKey(d.spec?.template);
  const newRS = byAge.find((rs) => templateKey(rs.spec?.template) === want);
  return { oldRSs: owned.filter((rs) => rs !== newRS), newRS };
}

function rsList(list: any[]): string {
  const s = list.map((rs) => `${rs.metadata?.name} (${rs.status?.replicas ?? 0}/${rs.spec?.replicas ?? 1} replicas created)`).join(', ');
  return s === '' ? '<none>' : s;
}

export function describeDeployment(d: any, lookup: DescribeLookup): string {
  const spec = d.spec ?? {};
  const st = d.status ?? {};
  const { oldRSs, newRS } = replicaSetsOf(d, lookup);
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${d.metadata?.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${d.metadata?.namespace ?? ''}\n`);
    w.write(LEVEL_0, `CreationTimestamp:\t${rfc1123z(d.metadata?.creationTimestamp)}\n`);
    printLabelsMultiline(w, 'Labels', d.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', d.metadata?.annotations);
    w.write(LEVEL_0, `Selector:\t${selectorString(spec.selector)}\n`);
    w.write(LEVEL_0, `Replicas:\t${spec.replicas ?? 1} desired | ${st.updatedReplicas ?? 0} updated | ${st.replicas ?? 0} total | ${st.availableReplicas ?? 0} available | ${st.unavailableReplicas ?? 0} unavailable\n`);
    const strategy = spec.strategy ?? { type: 'RollingUpdate' };
    w.write(LEVEL_0, `StrategyType:\t${strategy.type ?? ''}\n`);
    w.write(LEVEL_0, `MinReadySeconds:\t${spec.minReadySeconds ?? 0}\n`);
    if (strategy.rollingUpdate || strategy.type === 'RollingUpdate') {
      const ru = strategy.rollingUpdate ?? {};
      w.write(LEVEL_0, `RollingUpdateStrategy:\t${intOrString(ru.maxUnavailable ?? '25%')} max unavailable, ${intOrString(ru.maxSurge ?? '25%')} max surge\n`);
    }
    describePodTemplate(spec.template, w);
    if ((st.conditions ?? []).length > 0) {
      w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tReason\n');
      w.write(LEVEL_1, '----\t------\t------\n');
      for (const c of st.conditions) w.write(LEVEL_1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
    }
    // kubectl prints both lines whenever listing ReplicaSets works, so a deployment no controller
    // has acted on yet shows <none> for each.
    w.write(LEVEL_0, `OldReplicaSets:\t${rsList(oldRSs)}\n`);
    w.write(LEVEL_0, `NewReplicaSet:\t${rsList(newRS ? [newRS] : [])}\n`);
    describeEvents(lookup.events(d), w, lookup.now);
  });
}
