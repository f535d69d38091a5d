import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { advanceProbes, newProbeState, type ContainerFacts, type ProbeOutcome, type ProbeState } from '../../../src/kubelet/probes/index.js';
import { fakeFiles, type FakeFiles } from './fake-files.js';

export const CORPUS = '/work/shared/corpus/k8s-website-examples';
export const IP = '10.244.1.5';
export const T0 = 1_767_225_600_000; // a container start, in virtual epoch ms

export function corpusPod(rel: string): any {
  return yaml.load(readFileSync(`${CORPUS}/${rel}`, 'utf8'));
}

/** the files a container's own `sh -c` script creates (empty when it runs no script) */
export function filesOf(spec: any): FakeFiles {
  const argv: string[] = [...(spec.command ?? []), ...(spec.args ?? [])];
  const c = argv.indexOf('-c');
  return fakeFiles(c >= 0 ? argv[c + 1] ?? '' : '');
}

export function factsOf(spec: any, files: FakeFiles = filesOf(spec), extra: Partial<ContainerFacts> = {}): ContainerFacts {
  return { spec, podIP: IP, fileAt: files.fileAt, fileChanges: files.fileChanges, ...extra };
}

export interface Drive {
  state: ProbeState;
  events: ProbeOutcome['events'];
  /** every time the prober was called */
  calls: number[];
  last: ProbeOutcome;
  /** outcomes (ready/started) observed at each call */
  trail: { at: number; ready: boolean; started: boolean }[];
}

/** Calls the prober the way the pod worker does: at the start, then whenever it asks (nextAt), up to `until`. */
export function drive(facts: ContainerFacts, until: number, startedAt = T0, extraCalls: number[] = []): Drive {
  const state = newProbeState();
  const events: ProbeOutcome['events'] = [];
  const calls: number[] = [];
  const trail: Drive['trail'] = [];
  const pending = new Set(extraCalls);
  let now = startedAt;
  let last: ProbeOutcome;
  for (;;) {
    last = advanceProbes(state, facts, startedAt, now);
    // the state must survive being stored as JSON
    Object.assign(state, JSON.parse(JSON.stringify(state)));
    calls.push(now);
    events.push(...last.events);
    trail.push({ at: now, ready: last.ready, started: last.started });
    const extra = [...pending].filter((t) => t > now).sort((a, b) => a - b)[0];
    const next = Math.min(last.nextAt ?? Infinity, extra ?? Infinity);
    if (!Number.isFinite(next) || next > until) break;
    now = next;
  }
  if (now < until) {
    last = advanceProbes(state, facts, startedAt, until);
    events.push(...last.events);
    calls.push(until);
    trail.push({ at: until, ready: last.ready, started: last.started });
  }
  return { state, events, calls, last, trail };
}

export const rel = (t: number, startedAt = T0) => (t - startedAt) / 1000;
