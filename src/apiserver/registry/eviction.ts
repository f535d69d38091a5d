// The pods/eviction subresource (pkg/registry/core/pod/storage/eviction.go, as of 1.32): a POST of
// a policy/v1 (or policy/v1beta1) Eviction asks the apiserver to delete a pod only if the
// PodDisruptionBudget that covers it allows one more disruption. The check-and-decrement happens
// here, in the apiserver, on the PDB's status (disruptionsAllowed goes down by one and the pod is
// recorded in disruptedPods, so that the disruption controller does not count it as healthy while
// it terminates); the disruption controller recomputes the budget afterwards.
import type { ApiRequest, ApiResponse, KObject, Status } from '../types.js';
import { resourceFor } from '../apiserver.js';
import { ApiError, badRequest, conflict, forbidden, notFound } from '../errors.js';
import { fromLabelSelector, matches } from '../selectors.js';
import { rfc3339 } from '../../cluster/clock.js';

/** MaxDisruptedPodSize: more approved-but-unconfirmed evictions than this and the apiserver refuses. */
export const MAX_DISRUPTED_POD_SIZE = 2000;
export const EVICTION_VERSIONS = ['policy/v1', 'policy/v1beta1'];
export const PDB_VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget.";
export const MULTIPLE_PDBS = 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.';

/** What the handler needs of the apiserver: its store and the writes it makes as itself. */
export interface EvictionHost {
  get(resource: 'pods' | 'poddisruptionbudgets', namespace: string, name: string): KObject | undefined;
  list(resource: 'poddisruptionbudgets', namespace: string): KObject[];
  now(): number;
  /** a status write (PDB status, the pod's DisruptionTarget condition) as the apiserver itself */
  writeStatus(resource: 'pods' | 'poddisruptionbudgets', current: KObject, next: KObject): Promise<void>;
  /** the pod's own graceful delete, with the eviction's DeleteOptions */
  deletePod(req: ApiRequest): Promise<ApiResponse>;
  trace?(detail: string): void;
}

const SUCCESS: KObject = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };

function tooManyRequests(pdbName: string, cause: string, retryAfterSeconds = 0): ApiError {
  const details: any = { causes: [{ reason: 'DisruptionBudget', message: cause }] };
  if (retryAfterSeconds) details.retryAfterSeconds = retryAfterSeconds;
  void pdbName;
  return new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: PDB_VIOLATION, reason: 'TooManyRequests', details, code: 429 });
}

/** The pod conditions that allow deletion without consulting a budget (canIgnorePDB). */
function canIgnorePDB(pod: KObject): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || !!pod.metadata?.deletionTimestamp;
}

function isPodReady(pod: KObject): boolean {
  return (pod.status?.conditions ?? []).some((c: any) => c?.type === 'Ready' && c.status === 'True');
}

/** The PDBs whose selector matches the pod; a nil or empty selector matches nothing here. */
export function pdbsForPod(pdbs: KObject[], pod: KObject): KObject[] {
  return pdbs.filter((pdb) => {
    const sel = pdb.spec?.selector;
    if (!sel) return false;
    const reqs = fromLabelSelector(sel);
    if (reqs.length === 0) return false;
    return matches(reqs, pod.metadata?.labels);
  });
}

/** pdbhelper.UpdateDisruptionAllowedCondition on a status (meta.SetStatusCondition's rules). */
export function setDisruptionAllowedCondition(status: any, now: number, failure?: string): void {
  const allowed = !failure && (status.disruptionsAllowed ?? 0) > 0;
  const want = {
    type: 'DisruptionAllowed',
    status: allowed ? 'True' : 'False',
    observedGeneration: status.observedGeneration ?? 0,
    reason: failure ? 'SyncFailed' : allowed ? 'SufficientPods' : 'InsufficientPods',
    message: failure ?? '',
  };
  const conds: any[] = (status.conditions ??= []);
  const i = conds.findIndex((c) => c.type === 'DisruptionAllowed');
  const prev = i >= 0 ? conds[i] : undefined;
  const lastTransitionTime = prev && prev.status === want.status ? prev.lastTransitionTime : rfc3339(now);
  const next = { type: want.type, status: want.status, observedGeneration: want.observedGeneration, lastTransitionTime, reason: want.reason, message: want.message };
  if (i >= 0) conds[i] = next;
  else conds.push(next);
}

/** checkAndDecrement: the budget must allow one more disruption; it then allows one fewer. */
async function checkAndDecrement(host: EvictionHost, pod: KObject, pdb: KObject, dryRun: boolean): Promise<void> {
  const st = pdb.status ?? {};
  const name = pdb.metadata!.name!;
  if ((st.observedGeneration ?? 0) < (pdb.metadata?.generation ?? 0)) {
    throw tooManyRequests(name, `The disruption budget ${name} is still being processed by the server.`, 10);
  }
  const pdbRi = resourceFor('poddisruptionbudgets');
  const pdbResource = { ...pdbRi, name: 'poddisruptionbudget' };
  if ((st.disruptionsAllowed ?? 0) < 0) throw forbidden(`poddisruptionbudget.policy "${name}" is forbidden: pdb disruptions allowed is negative`, pdbResource, name);
  if (Object.keys(st.disruptedPods ?? {}).length > MAX_DISRUPTED_POD_SIZE) {
    throw forbidden(`poddisruptionbudget.policy "${name}" is forbidden: DisruptedPods map too big - too many evictions not confirmed by PDB controller`, pdbResource, name);
  }
  if ((st.disruptionsAllowed ?? 0) === 0) {
    throw tooManyRequests(name, `The disruption budget ${name} needs ${st.desiredHealthy ?? 0} healthy pods and has ${st.currentHealthy ?? 0} currently`);
  }
  if (dryRun) return;
  const next: KObject = JSON.parse(JSON.stringify(pdb));
  const ns = next.status;
  ns.disruptionsAllowed = (ns.disruptionsAllowed ?? 0) - 1;
  if (ns.disruptionsAllowed === 0) setDisruptionAllowedCondition(ns, host.now());
  // The controller learns from this map that the pod is about to go, before it is gone.
  ns.disruptedPods = { ...(ns.disruptedPods ?? {}), [pod.metadata!.name!]: rfc3339(host.now()) };
  await host.writeStatus('poddisruptionbudgets', pdb, reorderStatus(next));
  host.trace?.(`PodDisruptionBudget "${name}": disruptionsAllowed ${st.disruptionsAllowed} → ${ns.disruptionsAllowed}, pod ${pod.metadata!.name} recorded in disruptedPods`);
}

/** PodDisruptionBudgetStatus in Go's field order (what -o json shows). */
export function reorderStatus(pdb: KObject): KObject {
  const s = pdb.status ?? {};
  const out: any = { observedGeneration: s.observedGeneration ?? 0 };
  if (s.disruptedPods && Object.keys(s.disruptedPods).length) out.disruptedPods = s.disruptedPods;
  out.disruptionsAllowed = s.disruptionsAllowed ?? 0;
  out.currentHealthy = s.currentHealthy ?? 0;
  out.desiredHealthy = s.desiredHealthy ?? 0;
  out.expectedPods = s.expectedPods ?? 0;
  if (s.conditions?.length) out.conditions = s.conditions;
  pdb.status = out;
  return pdb;
}

function checkPreconditions(pod: KObject, opts: any): void {
  const p = opts?.preconditions;
  if (!p) return;
  const ri = resourceFor('pods');
  const name = pod.metadata!.name!;
  if (p.uid && p.uid !== pod.metadata!.uid) {
    throw conflict(ri, name, `Precondition failed: UID in precondition: ${p.uid}, UID in object meta: ${pod.metadata!.uid}`);
  }
  if (p.resourceVersion && p.resourceVersion !== pod.metadata!.resourceVersion) {
    throw conflict(ri, name, `Precondition failed: ResourceVersion in precondition: ${p.resourceVersion}, ResourceVersion in object meta: ${pod.metadata!.resourceVersion}`);
  }
}

/**
 * addConditionAndDeletePod: the pod gets the DisruptionTarget condition (reason
 * EvictionByEvictionAPI), then the ordinary graceful delete with the eviction's DeleteOptions.
 */
async function addConditionAndDelete(host: EvictionHost, req: ApiRequest, pod: KObject, opts: any, dryRun: boolean): Promise<void> {
  checkPreconditions(pod, opts);
  // (A pod already terminating keeps its conditions: a status write to it here would complete its
  // deletion, as this apiserver finishes a terminating object without finalizers on any write.)
  if (!dryRun && !pod.metadata?.deletionTimestamp) {
    const next: KObject = JSON.parse(JSON.stringify(pod));
    const conds: any[] = ((next.status ??= {}).conditions ??= []);
    const i = conds.findIndex((c) => c.type === 'DisruptionTarget');
    const cond = {
      type: 'DisruptionTarget', status: 'True', lastProbeTime: null,
      lastTransitionTime: i >= 0 && conds[i].status === 'True' ? conds[i].lastTransitionTime : rfc3339(host.now()),
      reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting',
    };
    if (i >= 0) conds[i] = cond;
    else conds.push(cond);
    await host.writeStatus('pods', pod, next);
  }
  const grace = opts?.gracePeriodSeconds;
  const res = await host.deletePod({
    verb: 'delete', resource: resourceFor('pods'), namespace: req.namespace, name: req.name, user: req.user,
    dryRun, gracePeriodSeconds: typeof grace === 'number' ? grace : undefined,
    propagationPolicy: opts?.propagationPolicy,
  });
  if (res.code >= 300) throw new ApiError(res.body as Status);
}

/** POST /api/v1/namespaces/NS/pods/NAME/eviction */
export async function evict(host: EvictionHost, req: ApiRequest): Promise<ApiResponse> {
  const body = req.body ?? {};
  if (typeof body !== 'object' || Array.isArray(body)) throw badRequest('the body of the request was in an unknown format');
  if (body.apiVersion && !EVICTION_VERSIONS.includes(body.apiVersion)) {
    throw badRequest(`the API version in the data (${body.apiVersion}) does not match the expected API version (policy/v1)`);
  }
  if (body.kind && body.kind !== 'Eviction') throw badRequest(`the kind in the data (${body.kind}) does not match the expected kind (Eviction)`);
  if (body.metadata?.namespace && body.metadata.namespace !== req.namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  if ((body.metadata?.name ?? '') !== req.name) throw badRequest('name in URL does not match name in Eviction object');
  // propagateDryRun: the request's dryRun and the body's deleteOptions.dryRun must agree.
  const opts = body.deleteOptions ?? {};
  const bodyDry: string[] = Array.isArray(opts.dryRun) ? opts.dryRun : [];
  const reqDry = req.dryRun ? ['All'] : [];
  if (bodyDry.length && reqDry.length && JSON.stringify(bodyDry) !== JSON.stringify(reqDry)) {
    throw badRequest(`Non-matching dry-run options in request and content: [${reqDry.join(' ')}] and [${bodyDry.join(' ')}]`);
  }
  const dryRun = bodyDry.includes('All') || reqDry.length > 0;

  const ns = req.namespace!;
  const pod = host.get('pods', ns, req.name!);
  if (!pod) throw notFound(resourceFor('pods'), req.name!);
  if (canIgnorePDB(pod)) {
    host.trace?.(`pod is ${pod.metadata?.deletionTimestamp ? 'already terminating' : `${pod.status?.phase ?? 'Pending'}`}: deleted without consulting a disruption budget`);
    await addConditionAndDelete(host, req, pod, opts, dryRun);
    return { code: 201, body: { ...SUCCESS } };
  }
  const pdbs = pdbsForPod(host.list('poddisruptionbudgets', ns), pod);
  if (pdbs.length > 1) {
    throw new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: MULTIPLE_PDBS, reason: '', code: 500 });
  }
  if (pdbs.length === 1) {
    const pdb = pdbs[0];
    let skipBudget = false;
    if (!isPodReady(pod)) {
      const st = pdb.status ?? {};
      // An unready pod is not part of the healthy count: evicting it costs the budget nothing when
      // the policy says so, or when the application already has the healthy pods it needs.
      if (pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow') skipBudget = true;
      else if ((st.currentHealthy ?? 0) >= (st.desiredHealthy ?? 0) && (st.desiredHealthy ?? 0) > 0) skipBudget = true;
    }
    if (skipBudget) host.trace?.(`pod is not Ready and PodDisruptionBudget "${pdb.metadata!.name}" allows it (unhealthyPodEvictionPolicy ${pdb.spec?.unhealthyPodEvictionPolicy ?? 'IfHealthyBudget'}): no disruption counted`);
    else await checkAndDecrement(host, pod, pdb, dryRun);
  }
  await addConditionAndDelete(host, req, pod, opts, dryRun);
  return { code: 201, body: { ...SUCCESS } };
}
