// kubectl rollout history (polymorphichelpers/history.go): the revisions a workload has been
// through, as a REVISION / CHANGE-CAUSE table or, for one revision, its pod template.
import type { KObject } from '../../apiserver/types.js';
import { PrefixWriter } from '../../printers/describe/writer.js';
import { describePodTemplate } from '../../printers/describe/podtemplate.js';
import { formatTabbed } from '../../printers/describe/tabwriter.js';
import { CHANGE_CAUSE_ANNOTATION, ownedBy, revisionOf } from './util.js';

export type History = Map<number, any>;

/** Deployment history: one pod template per ReplicaSet the Deployment controls, keyed by revision. */
export function deploymentHistory(deployment: KObject, replicaSets: KObject[]): History {
  const h: History = new Map();
  for (const rs of ownedBy(deployment, replicaSets)) {
    const v = revisionOf(rs);
    if (v === undefined) continue; // kubectl logs a warning at -v=4 and skips it
    const template = structuredClone(rs.spec?.template ?? {});
    template.metadata ??= {};
    const cause = rs.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION];
    if (cause) template.metadata.annotations = { ...(template.metadata.annotations ?? {}), [CHANGE_CAUSE_ANNOTATION]: cause };
    h.set(v, template);
  }
  return h;
}

/**
 * DaemonSet and StatefulSet history lives in ControllerRevisions: each holds a patch whose
 * spec.template replaces the workload's template.
 */
export function controllerRevisionHistory(owner: KObject, revisions: KObject[]): History {
  const h: History = new Map();
  for (const cr of ownedBy(owner, revisions)) {
    const template = structuredClone(cr.data?.spec?.template ?? owner.spec?.template ?? {});
    delete template.$patch;
    template.metadata ??= {};
    const cause = cr.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION];
    if (cause) template.metadata.annotations = { ...(template.metadata.annotations ?? {}), [CHANGE_CAUSE_ANNOTATION]: cause };
    h.set(Number(cr.revision ?? 0), template);
  }
  return h;
}

/** The text ViewHistory returns; kubectl prints it with Println (one more newline). */
export function viewHistory(h: History, revision = 0): { text?: string; error?: string } {
  if (h.size === 0) return { text: 'No rollout history found.' };
  if (revision > 0) {
    const t = h.get(revision);
    if (!t) return { error: 'unable to find the specified revision' };
    return { text: podTemplateText(t) };
  }
  const rows = [...h.keys()].sort((a, b) => a - b).map((r) => `${r}\t${h.get(r)?.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION] || '<none>'}\n`);
  return { text: formatTabbed(`REVISION\tCHANGE-CAUSE\n${rows.join('')}`) };
}

/** A writer that keeps describe's tabs as they are: kubectl prints a template without a tabwriter. */
class RawWriter extends PrefixWriter {
  private text = '';
  override write(level: number, text: string): void {
    this.text += '  '.repeat(level) + text;
  }
  override writeLine(text = ''): void {
    this.text += `${text}\n`;
  }
  override flush(): void {}
  override toString(): string {
    return this.text;
  }
}

/** printTemplate: DescribePodTemplate into a plain prefix writer. */
export function podTemplateText(template: any): string {
  const w = new RawWriter();
  describePodTemplate(template, w);
  return w.toString();
}
