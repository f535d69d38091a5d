// The trace log beside a cluster's state: appended per command, read back in order, bounded.
import { describe, expect, it } from 'vitest';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { persistTrace, readTraceLog, traceLogPath } from '../../../src/trace/log.js';
import type { TraceRecord } from '../../../src/trace/trace.js';

const T = Date.parse('2026-01-01T00:00:00Z');
const statePath = () => join(mkdtempSync(join(tmpdir(), 'minikctl-trace-')), 'clusters', 'c', 'state.json');

const write = (i: number): TraceRecord => ({ time: T + i, component: 'kube-apiserver', action: 'POST', object: '/api/v1/namespaces/default/pods', user: 'u', by: 'kubectl', code: 201, name: `p${i}`, kind: 'Pod', ns: 'default' });
const read = (i: number): TraceRecord => ({ time: T + i, component: 'kube-apiserver', action: 'GET', object: '/api/v1/namespaces/default/pods', user: 'u', by: 'kubectl', code: 200 });

describe('persistTrace / readTraceLog', () => {
  it('appends one command after another beside the state file, as compact JSON lines, and reads them back', () => {
    const sp = statePath();
    persistTrace(sp, [write(1), write(2)], { command: 'apply -f a.yaml' });
    persistTrace(sp, [write(3)], { command: 'scale deploy/x --replicas=2' });
    expect(traceLogPath(sp)).toBe(join(sp, '..', 'trace.jsonl'));
    const lines = readFileSync(traceLogPath(sp), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines.every((l) => !l.includes('\n') && !l.includes('  '))).toBe(true);
    const log = readTraceLog(sp);
    expect(log.map((c) => c.cmd)).toEqual(['apply -f a.yaml', 'scale deploy/x --replicas=2']);
    expect(log[0].at).toBe(T + 1);
    expect(log[0].records).toEqual([write(1), write(2)]);
    expect(log[1].records[0].name).toBe('p3');
  });

  it('keeps nothing of a command that only read', () => {
    const sp = statePath();
    persistTrace(sp, [read(1)], { command: 'get pods' });
    persistTrace(sp, [], { command: 'get pods' });
    expect(existsSync(traceLogPath(sp))).toBe(false);
    expect(readTraceLog(sp)).toEqual([]);
  });

  it('keeps a huge command to its start and its end, and says how much it left out', () => {
    const sp = statePath();
    const recs = Array.from({ length: 1000 }, (_, i) => write(i));
    persistTrace(sp, recs, { command: 'apply -f big.yaml', maxRecords: 100 });
    const [c] = readTraceLog(sp);
    expect(c.records).toHaveLength(100);
    expect(c.dropped).toBe(900);
    expect(c.records[0].name).toBe('p0');
    expect(c.records[9].name).toBe('p9');
    expect(c.records[10].name).toBe('p910');
    expect(c.records[99].name).toBe('p999');
  });

  it('rotates when the file passes its size limit, so the log stays bounded and the latest commands stay readable', () => {
    const sp = statePath();
    const limit = 20_000;
    for (let n = 0; n < 60; n++) persistTrace(sp, Array.from({ length: 20 }, (_, i) => write(n * 100 + i)), { command: `cmd ${n}`, maxFileBytes: limit });
    const path = traceLogPath(sp);
    expect(statSync(path).size).toBeLessThanOrEqual(limit);
    expect(statSync(path.replace('.jsonl', '.1.jsonl')).size).toBeLessThanOrEqual(limit);
    const log = readTraceLog(sp);
    expect(log.length).toBeLessThan(60);
    expect(log[log.length - 1].cmd).toBe('cmd 59');
    // oldest first, no gaps among what is kept
    const ns = log.map((c) => Number(c.cmd.split(' ')[1]));
    expect(ns).toEqual(ns.map((_, i) => ns[0] + i));
  });

  it('skips a line cut short (a crash mid-write) and reads on', () => {
    const sp = statePath();
    persistTrace(sp, [write(1)], { command: 'a' });
    const path = traceLogPath(sp);
    appendFileSync(path, '{"time": 12, "comp');
    persistTrace(sp, [write(2)], { command: 'b' });
    const log = readTraceLog(sp);
    expect(log.map((c) => [c.cmd, c.records.length])).toEqual([['a', 1], ['b', 1]]);
  });
});
