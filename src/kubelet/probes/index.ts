// The kubelet's prober (pkg/kubelet/prober), as a pure function of a container and virtual time.
// One worker per probe type ticks every periodSeconds; a tick before initialDelaySeconds is
// skipped; liveness and readiness wait for the startup probe; each failure is a Warning Unhealthy
// event; failureThreshold consecutive failures of liveness (or startup) kill the container, of
// readiness take it out of Ready; successThreshold consecutive successes make it Ready.
//
// Timing: the real workers start when the pod is admitted and tick from there (worker.go; the
// random initial sleep only happens in a kubelet's first period). Give `workerStartedAt` (when the
// kubelet first saw the pod) to tick in that phase; without it the ticks start at the container's
// start — no random offset, so the docs' examples land on round numbers and runs are reproducible.
// The readiness worker is also triggered at once when the container starts and when the startup
// probe passes (prober_manager.go UpdatePodStatus pokes it while the container is not ready).
//
// Cost: ticks whose answer cannot differ from the last one (a probe that keeps succeeding, with no
// change of files or served answers in between) are not evaluated, and `nextAt` skips them, so a
// healthy container asks for no wake-up at all. Failing probes are evaluated every period: each
// one is an event, as in a real cluster (the recorder aggregates them).
import { attempt, readsFiles } from './handlers.js';
import { servingOf } from './serving.js';

export interface ContainerFacts {
  spec: any; // the container spec (image, command, args, ports, env, probes)
  podIP: string;
  /** whether the file exists at this time since the container started (K's process model: touch/rm/echo > f) */
  fileAt(path: string, sinceStartMs: number): boolean;
  /** ms since start at which the container's files change (sorted); the world is constant between them */
  fileChanges: number[];
  /** optional: when the kubelet's probe workers started (the pod's admission); ticks keep that phase */
  workerStartedAt?: number;
  /** optional: the pod's restartPolicy; Never kills without ", will be restarted" */
  restartPolicy?: string;
}

type Kind = 'startup' | 'liveness' | 'readiness';
type Res = 'S' | 'F';

interface Worker {
  /** virtual time of the last evaluated tick */
  at?: number;
  /** last counted result and how many times in a row */
  last?: Res;
  run: number;
  /** what the results manager holds for the container */
  result?: Res;
  /** the last tick errored (a probe that cannot be run: it errors every tick, changing nothing) */
  err?: boolean;
}

/** JSON-serialisable; mutated in place by advanceProbes. One per container instance. */
export interface ProbeState {
  v: 1;
  startupOkAt?: number;
  restartAt?: number;
  restartMessage?: string;
  w: Partial<Record<Kind, Worker>>;
}

export function newProbeState(): ProbeState {
  return { v: 1, w: {} };
}

export interface ProbeOutcome {
  ready: boolean;
  started: boolean;
  restartAt?: number;
  restartMessage?: string;
  events: { at: number; type: 'Warning'; reason: 'Unhealthy'; message: string }[];
  nextAt?: number;
  /**
   * The next virtual time at which ready, started or restartAt can change (undefined: not by
   * itself). Earlier than nextAt never; later when a probe keeps failing without consequence (a
   * readiness probe that stays failed, an errored probe): its events are housekeeping, so a kubelet
   * wakes for nextAt with 'background' and for changeAt with 'work', and instant mode settles.
   */
  changeAt?: number;
}

const LABEL: Record<Kind, string> = { startup: 'Startup', liveness: 'Liveness', readiness: 'Readiness' };
const FIELD: Record<Kind, string> = { startup: 'startupProbe', liveness: 'livenessProbe', readiness: 'readinessProbe' };
/** order of evaluation for ticks at the same instant: startup first (its result gates the others) */
const ORDER: Kind[] = ['startup', 'readiness', 'liveness'];

interface Params {
  probe: any;
  delayMs: number;
  periodMs: number;
  successThreshold: number;
  failureThreshold: number;
}

function params(probe: any, kind: Kind): Params {
  return {
    probe,
    delayMs: Math.max(0, Number(probe.initialDelaySeconds ?? 0)) * 1000,
    periodMs: Math.max(1, Number(probe.periodSeconds ?? 10)) * 1000,
    // liveness and startup must have successThreshold 1 (validation); readiness may ask for more
    successThreshold: kind === 'readiness' ? Math.max(1, Number(probe.successThreshold ?? 1)) : 1,
    failureThreshold: Math.max(1, Number(probe.failureThreshold ?? 3)),
  };
}

/** first t >= from with t = base + k * period */
function gridAtOrAfter(base: number, period: number, from: number): number {
  if (from <= base) return base;
  return base + Math.ceil((from - base) / period) * period;
}

/** Runs every probe tick in (last evaluated time, now] and returns what happened. */
export function advanceProbes(state: ProbeState, facts: ContainerFacts, startedAt: number, now: number): ProbeOutcome {
  const spec = facts.spec ?? {};
  const ps: Partial<Record<Kind, Params>> = {};
  for (const k of ORDER) if (spec[FIELD[k]]) ps[k] = params(spec[FIELD[k]], k);
  const events: ProbeOutcome['events'] = [];
  const base = facts.workerStartedAt !== undefined && facts.workerStartedAt <= startedAt ? facts.workerStartedAt : startedAt;

  // Absolute times at which some probe's answer may change: the files (exec probes) and the served answers.
  let changeTimes: number[] | undefined;
  const changes = () => {
    if (!changeTimes) {
      const rel = [...servingOf(spec).changes];
      if (ORDER.some((k) => ps[k] && readsFiles(ps[k]!.probe))) rel.push(...facts.fileChanges);
      changeTimes = rel.map((c) => startedAt + c).sort((a, b) => a - b);
    }
    return changeTimes;
  };
  const firstChangeAtOrAfter = (t: number) => changes().find((c) => c >= t);

  /** the next tick of kind k that must be evaluated (undefined: none ever) */
  const nextTick = (k: Kind, forState = false): number | undefined => {
    const p = ps[k];
    if (!p || state.restartAt !== undefined) return undefined;
    const w = state.w[k] ?? { run: 0 };
    if (k === 'startup' && state.startupOkAt !== undefined) return undefined; // stops once started
    let lo = startedAt + p.delayMs;
    let triggerLo = lo;
    if (k !== 'startup' && ps.startup) {
      if (state.startupOkAt === undefined) return undefined;
      // another worker sees "started" from the status update after the startup tick
      lo = Math.max(lo, state.startupOkAt + 1);
      triggerLo = Math.max(triggerLo, state.startupOkAt);
    }
    let from = w.at === undefined ? lo : Math.max(lo, w.at + 1);
    let trigFrom = w.at === undefined ? triggerLo : Math.max(triggerLo, w.at + 1);
    // A probe that keeps succeeding gives the same answer until the world changes.
    const steady = w.last === 'S' && w.result === 'S' && w.run >= p.successThreshold;
    // For the outcome alone, a readiness probe that stays failed, or a probe that errors, changes nothing either.
    const stuck = forState && (w.err || (k === 'readiness' && w.last === 'F' && w.result === 'F'));
    // A liveness worker starts out "success": if its first probe will answer success too, the
    // outcome cannot change before the world does (CoreDNS's 60 s initial delay is no deadline).
    const quietStart = forState && k === 'liveness' && w.at === undefined && attempt(p.probe, facts, from - startedAt).result === 'success';
    if (steady || stuck || quietStart) {
      const c = firstChangeAtOrAfter(w.at ?? from);
      if (c === undefined) return undefined;
      from = Math.max(from, c);
      trigFrom = Math.max(trigFrom, c);
    }
    let t = gridAtOrAfter(base, p.periodMs, from);
    if (k === 'readiness') {
      // manual triggers: the container's start and the startup probe's success
      for (const trig of [startedAt, state.startupOkAt]) {
        if (trig !== undefined && trig >= trigFrom && trig < t) t = trig;
      }
    }
    return t;
  };

  if (now >= startedAt) {
    for (;;) {
      let kind: Kind | undefined;
      let at = Infinity;
      for (const k of ORDER) {
        const t = nextTick(k);
        if (t !== undefined && t < at) {
          at = t;
          kind = k;
        }
      }
      if (!kind || at > now) break;
      const p = ps[kind]!;
      const w = (state.w[kind] ??= { run: 0, ...(kind === 'readiness' ? { result: 'F' as Res } : kind === 'liveness' ? { result: 'S' as Res } : {}) });
      w.at = at;
      const a = attempt(p.probe, facts, at - startedAt);
      w.err = a.result === 'error';
      if (a.result === 'error') {
        // runProbe returned an error: recorded, and the result thrown away (worker.go)
        events.push({ at, type: 'Warning', reason: 'Unhealthy', message: `${LABEL[kind]} probe errored and resulted in unknown state: ${a.output}` });
        continue;
      }
      const res: Res = a.result === 'success' ? 'S' : 'F';
      if (res === 'F') events.push({ at, type: 'Warning', reason: 'Unhealthy', message: `${LABEL[kind]} probe failed: ${a.output}` });
      if (w.last === res) w.run++;
      else {
        w.last = res;
        w.run = 1;
      }
      if (w.run < (res === 'F' ? p.failureThreshold : p.successThreshold)) continue;
      w.result = res;
      if (kind === 'startup' && res === 'S') state.startupOkAt = at;
      if (kind !== 'readiness' && res === 'F') {
        // kuberuntime_manager.go computePodActions: the container is killed (and restarted unless Never)
        state.restartAt = at;
        const why = `Container ${spec.name} failed ${kind} probe`;
        state.restartMessage = facts.restartPolicy === 'Never' ? why : `${why}, will be restarted`;
        w.run = 0;
        break;
      }
    }
  }

  const started = !ps.startup || state.startupOkAt !== undefined;
  const ready = started && now >= startedAt && (!ps.readiness || state.w.readiness?.result === 'S');
  let nextAt: number | undefined;
  let changeAt: number | undefined;
  if (state.restartAt === undefined) {
    for (const k of ORDER) {
      const t = nextTick(k);
      if (t !== undefined && (nextAt === undefined || t < nextAt)) nextAt = t;
      const c = nextTick(k, true);
      if (c !== undefined && (changeAt === undefined || c < changeAt)) changeAt = c;
    }
  }
  return {
    ready,
    started,
    ...(state.restartAt !== undefined ? { restartAt: state.restartAt, restartMessage: state.restartMessage } : {}),
    events,
    ...(nextAt !== undefined ? { nextAt } : {}),
    ...(changeAt !== undefined ? { changeAt } : {}),
  };
}
