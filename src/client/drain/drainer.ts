// What kubectl drain does for one node (k8s.io/kubectl/pkg/drain, drain.go): list the node's pods,
// filter them, then evict each through the eviction API (or delete it with --disable-eviction),
// retrying an eviction refused with 429 TooManyRequests every 5 s, and wait until each pod is gone.
//
// kubectl runs one goroutine per pod; here one loop steps every pod each tick. Each tick is a new
// session on the cluster (which brings the simulation up to the present), so the cluster moves
// while drain waits: a PodDisruptionBudget refills as replacement pods become Ready elsewhere.
import type { Client } from '../client.js';
import type { KObject } from '../../apiserver/types.js';
import { ApiError } from '../../apiserver/errors.js';
import { resourceFor } from '../../apiserver/apiserver.js';
import { formatGoDuration } from '../../cluster/go-duration.js';
import { errors as filterErrors, filterPods, podsToDelete, shouldSkipPod, warnings, type PodDelete } from './filters.js';

export type DryRun = 'none' | 'client' | 'server';

export interface DrainOptions {
  force: boolean;
  ignoreDaemonSets: boolean;
  deleteEmptyDirData: boolean;
  /** -1: each pod's own terminationGracePeriodSeconds */
  gracePeriodSeconds: number;
  /** 0: no limit */
  timeoutMs: number;
  podSelector?: string;
  disableEviction: boolean;
  dryRun: DryRun;
  skipWaitForDeleteTimeoutSeconds: number;
}

/** What the drainer needs of the CLI: sessions on the cluster, output, and wall-clock sleeping. */
export interface DrainIO {
  /** runs fn in a session; `manual`: the cluster's clock only moves when told to; `now`: its virtual time */
  session<T>(write: boolean, fn: (client: Client, env: { manual: boolean; now: number }) => Promise<T>): Promise<T>;
  out(s: string): void;
  err(s: string): void;
  sleep(ms: number): Promise<void>;
  /** wall-clock milliseconds */
  wallNow(): number;
}

/** An error as Go's code carries it: an aggregate of messages, or a single plain error. */
export interface DrainError {
  messages: string[];
  aggregate: boolean;
}

/** kubectl's EvictErrorRetryDelay */
export const EVICT_RETRY_MS = 5000;
/** how often a waiting drain re-enters the cluster (wall time) */
const TICK_MS = 175;
const WAIT_TIMEOUT = 'timed out waiting for the condition';
export const MANUAL_NOTE = "note: the cluster's clock is in manual mode and does not move by itself, so a disruption budget cannot change while drain waits; move it on with \"minikctl cluster advance <duration>\", then drain again\n";

/** utilerrors aggregate's Error(): one message bare, several "[a, b]" without repeats */
export function errorText(e: DrainError): string {
  if (!e.aggregate || e.messages.length === 1) return e.messages[0] ?? '';
  const seen = [...new Set(e.messages)];
  return seen.length === 1 ? seen[0] : `[${seen.join(', ')}]`;
}

const PODS = () => resourceFor('pods');

/** GetPodsForDeletion: the node's pods (all namespaces, --pod-selector), through the filters. */
export async function podsForDeletion(client: Client, node: string, o: DrainOptions, now: number): Promise<PodDelete[]> {
  const list = await client.list(PODS(), { allNamespaces: true, labelSelector: o.podSelector || undefined, fieldSelector: `spec.nodeName=${node}` });
  const dsRi = resourceFor('daemonsets');
  const seen = new Map<string, boolean>();
  const exists = (ns: string, name: string) => seen.get(`${ns}/${name}`)!;
  for (const p of list.items as KObject[]) {
    const ref = p.metadata?.ownerReferences?.find((r) => r.controller === true);
    if (ref?.kind !== 'DaemonSet') continue;
    const key = `${p.metadata!.namespace}/${ref.name}`;
    if (seen.has(key)) continue;
    try {
      await client.get(dsRi, ref.name, p.metadata!.namespace);
      seen.set(key, true);
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 404)) throw e;
      seen.set(key, false);
    }
  }
  return filterPods(list.items, {
    force: o.force, ignoreDaemonSets: o.ignoreDaemonSets, deleteEmptyDirData: o.deleteEmptyDirData,
    skipWaitForDeleteTimeoutSeconds: o.skipWaitForDeleteTimeoutSeconds, now, daemonSetExists: exists,
  });
}

function deleteOptions(o: DrainOptions): any {
  const d: any = {};
  if (o.gracePeriodSeconds >= 0) d.gracePeriodSeconds = o.gracePeriodSeconds;
  if (o.dryRun === 'server') d.dryRun = ['All'];
  return d;
}

interface Item {
  pod: KObject;
  state: 'evict' | 'wait' | 'done' | 'failed';
  next: number;
}

const nsName = (p: KObject) => ({ ns: p.metadata!.namespace!, name: p.metadata!.name! });

/**
 * One tick of waiting: pods that are gone (or replaced by a pod of the same name) are reported with
 * `done`; those terminating for longer than --skip-wait-for-delete-timeout are let go.
 */
async function checkGone(io: DrainIO, client: Client, items: Item[], o: DrainOptions, now: number, done: (it: Item) => void): Promise<void> {
  for (const it of items) {
    if (it.state !== 'wait') continue;
    const { ns, name } = nsName(it.pod);
    let live: KObject | undefined;
    try {
      live = await client.get(PODS(), name, ns);
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 404)) throw e;
    }
    if (!live || live.metadata?.uid !== it.pod.metadata?.uid) {
      it.state = 'done';
      done(it);
    } else if (shouldSkipPod(live, o.skipWaitForDeleteTimeoutSeconds, now)) {
      io.out(`pod "${name}" has DeletionTimestamp older than ${o.skipWaitForDeleteTimeoutSeconds} seconds, skipping\n`);
      it.state = 'done';
    }
  }
}

/** evictPods: evict each pod, retrying on 429, then wait for each to be gone. */
async function evictPods(io: DrainIO, pods: KObject[], o: DrainOptions): Promise<DrainError | undefined> {
  const start = io.wallNow();
  const deadline = o.timeoutMs > 0 ? start + o.timeoutMs : Infinity;
  const items: Item[] = pods.map((pod) => ({ pod, state: 'evict', next: 0 }));
  const errs: string[] = [];
  let manualNote = false;
  for (;;) {
    const wall = io.wallNow();
    const due = items.filter((i) => i.state === 'evict' && i.next <= wall);
    await io.session(due.length > 0 && o.dryRun === 'none', async (client, env) => {
      await checkGone(io, client, items, o, env.now, (it) => io.out(`pod/${it.pod.metadata!.name} evicted\n`));
      if (wall >= deadline) {
        for (const it of items) {
          const { ns, name } = nsName(it.pod);
          if (it.state === 'evict') errs.push(`error when evicting pods/"${name}" -n "${ns}": global timeout reached: ${formatGoDuration(o.timeoutMs)}`);
          else if (it.state === 'wait') errs.push(`error when waiting for pod "${name}" in namespace "${ns}" to terminate: ${WAIT_TIMEOUT}`);
          else continue;
          it.state = 'failed';
        }
        return;
      }
      for (const it of due) {
        const { ns, name } = nsName(it.pod);
        io.out(`evicting pod ${ns}/${name}${o.dryRun === 'server' ? ' (server dry run)' : ''}\n`);
        try {
          await client.request('create', PODS(), {
            name, namespace: ns, subresource: 'eviction', dryRun: o.dryRun === 'server',
            body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: ns }, deleteOptions: deleteOptions(o) },
          });
          if (o.dryRun === 'server') it.state = 'done';
          else if (env.manual) {
            // Nothing moves in manual time: the pod is Terminating and goes when the clock does.
            it.state = 'done';
            io.out(`pod/${name} evicted\n`);
          } else it.state = 'wait';
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
          if (e.code === 404) {
            it.state = 'done';
          } else if (e.code === 429 && !env.manual) {
            io.err(`error when evicting pods/"${name}" -n "${ns}" (will retry after 5s): ${e.status.message}\n`);
            it.next = io.wallNow() + EVICT_RETRY_MS;
            try {
              it.pod = await client.get(PODS(), name, ns);
            } catch {
              // kubectl ignores this and lets the next eviction sort it out
            }
          } else {
            if (e.code === 429) manualNote = true;
            errs.push(`error when evicting pods/"${name}" -n "${ns}": ${e.status.message}`);
            it.state = 'failed';
          }
        }
      }
    });
    if (items.every((i) => i.state === 'done' || i.state === 'failed')) break;
    await io.sleep(TICK_MS);
  }
  if (manualNote) io.err(MANUAL_NOTE);
  return errs.length ? { messages: errs, aggregate: true } : undefined;
}

/** deletePods (--disable-eviction): delete every pod, then wait for all of them to be gone. */
async function deletePods(io: DrainIO, pods: KObject[], o: DrainOptions): Promise<DrainError | undefined> {
  const deadline = o.timeoutMs > 0 ? io.wallNow() + o.timeoutMs : Infinity;
  const items: Item[] = pods.map((pod) => ({ pod, state: 'wait', next: 0 }));
  const failure = await io.session(o.dryRun === 'none', async (client, env) => {
    for (const it of items) {
      const { ns, name } = nsName(it.pod);
      try {
        await client.delete(PODS(), name, { namespace: ns, dryRun: o.dryRun === 'server', gracePeriodSeconds: o.gracePeriodSeconds >= 0 ? o.gracePeriodSeconds : undefined });
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        if (e.code !== 404) return e.status.message;
      }
    }
    if (env.manual && o.dryRun === 'none') {
      for (const it of items) io.out(`pod/${it.pod.metadata!.name} deleted\n`);
      for (const it of items) it.state = 'done';
    }
    return undefined;
  });
  if (failure) return { messages: [failure], aggregate: false };
  if (o.dryRun === 'server') return undefined;
  while (items.some((i) => i.state === 'wait')) {
    if (io.wallNow() >= deadline) return { messages: [WAIT_TIMEOUT], aggregate: false };
    await io.sleep(TICK_MS);
    await io.session(false, (client, env) => checkGone(io, client, items, o, env.now, (it) => io.out(`pod/${it.pod.metadata!.name} deleted\n`)));
  }
  return undefined;
}

/** deleteOrEvictPodsSimple for one node: undefined when drained, else the error kubectl reports. */
export async function drainNode(io: DrainIO, node: string, o: DrainOptions): Promise<DrainError | undefined> {
  const list = await io.session(false, (client, env) => podsForDeletion(client, node, o, env.now));
  const errs = filterErrors(list);
  if (errs.length) return { messages: errs, aggregate: true };
  const w = warnings(list);
  if (w) io.err(`Warning: ${w}\n`);
  const pods = podsToDelete(list);
  if (o.dryRun === 'client') {
    for (const p of pods) io.out(`evicting pod ${p.metadata!.namespace}/${p.metadata!.name} (dry run)\n`);
    return undefined;
  }
  if (pods.length === 0) return undefined;
  const err = o.disableEviction ? await deletePods(io, pods, o) : await evictPods(io, pods, o);
  if (!err) return undefined;
  const pending = await io.session(false, async (client, env) => {
    try {
      return podsToDelete(await podsForDeletion(client, node, o, env.now));
    } catch {
      return [];
    }
  });
  if (pending.length) {
    io.err(`There are pending pods in node "${node}" when an error occurred: ${errorText(err)}\n`);
    for (const p of pending) io.err(`pod/${p.metadata!.name}\n`);
  }
  return err;
}
