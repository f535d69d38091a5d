// The trace log kept beside a cluster's state (trace.jsonl): what each command that changed the
// cluster set off, so `minikctl trace TYPE/NAME` can tell an object's story after the fact. One
// compact JSON line per record, after a header line per command. It stays bounded cheaply: when
// the file passes its size limit it becomes trace.1.jsonl (replacing the older one) and a new file
// starts, and one command keeps at most maxRecords records (its start and its end).
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { TraceRecord } from './trace.js';

export interface TraceCommand {
  /** the command line, e.g. "apply -f my-app.yaml" */
  cmd: string;
  /** virtual time of its first record */
  at: number;
  /** records left out to keep the log bounded */
  dropped?: number;
  records: TraceRecord[];
}

export interface LogOptions {
  /** the command line to file the records under (default: this process's arguments) */
  command?: string;
  /** size at which the log rotates (default 4 MiB: some 15,000-20,000 records) */
  maxFileBytes?: number;
  /** the most records kept of one command (default 20,000) */
  maxRecords?: number;
}

/**
 * The name under which the records of a catch-up are filed (what the cluster did for timers that
 * fell due between commands, e.g. image pulls finishing in realtime mode), if the session files them.
 */
export const CATCH_UP = '(the cluster catching up: timers that fell due before the command)';

export const MAX_FILE_BYTES = 4 * 1024 * 1024;
export const MAX_RECORDS = 20_000;

export function traceLogPath(statePath: string): string {
  return join(dirname(statePath), 'trace.jsonl');
}

function rotatedPath(path: string): string {
  return path.replace(/\.jsonl$/, '.1.jsonl');
}

/** A command worth a story: it wrote something, or a component decided something. */
function tellsAnything(records: TraceRecord[]): boolean {
  return records.some((r) => r.code === undefined || r.action !== 'GET');
}

/** The command line as a user typed it, without the global --trace flag. */
function commandLine(): string {
  return process.argv.slice(2).filter((a) => a !== '--trace').join(' ');
}

/** Appends one command's records to the cluster's trace log (called after each changing command). */
export function persistTrace(statePath: string, records: TraceRecord[], opts: LogOptions = {}): void {
  if (!records.length || !tellsAnything(records)) return;
  const maxRecords = opts.maxRecords ?? MAX_RECORDS;
  let kept = records;
  let dropped = 0;
  if (records.length > maxRecords) {
    // Keep how it started (kubectl's request, the first reactions) and how it ended.
    const head = Math.ceil(maxRecords / 10);
    dropped = records.length - maxRecords;
    kept = [...records.slice(0, head), ...records.slice(records.length - (maxRecords - head))];
  }
  const header: Record<string, unknown> = { cmd: opts.command ?? commandLine(), at: records[0].time };
  if (dropped) header.dropped = dropped;
  let text = `${JSON.stringify(header)}\n`;
  for (const r of kept) text += `${JSON.stringify(r)}\n`;
  const path = traceLogPath(statePath);
  mkdirSync(dirname(path), { recursive: true });
  const limit = opts.maxFileBytes ?? MAX_FILE_BYTES;
  try {
    const size = existsSync(path) ? statSync(path).size : 0;
    if (size > 0 && size + text.length > limit) renameSync(path, rotatedPath(path));
    else if (size > 0 && !endsWithNewline(path, size)) text = `\n${text}`; // a line cut short by a crash stays alone
    appendFileSync(path, text);
  } catch {
    // The trace is an aid: a log that cannot be written must not fail the command that changed the cluster.
  }
}

function endsWithNewline(path: string, size: number): boolean {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(1);
    readSync(fd, b, 0, 1, size - 1);
    return b[0] === 0x0a;
  } finally {
    closeSync(fd);
  }
}

function parse(text: string, into: TraceCommand[]): void {
  let current: TraceCommand | undefined;
  for (const line of text.split('\n')) {
    if (!line) continue;
    let v: any;
    try {
      v = JSON.parse(line);
    } catch {
      continue; // a line cut short by a crash
    }
    if (typeof v?.cmd === 'string') {
      current = { cmd: v.cmd, at: v.at, records: [] };
      if (v.dropped) current.dropped = v.dropped;
      into.push(current);
    } else if (current && v && typeof v.time === 'number') {
      current.records.push(v as TraceRecord);
    }
  }
}

/** Every command still in the log, oldest first. */
export function readTraceLog(statePath: string): TraceCommand[] {
  const path = traceLogPath(statePath);
  const out: TraceCommand[] = [];
  for (const p of [rotatedPath(path), path]) {
    if (!existsSync(p)) continue;
    parse(readFileSync(p, 'utf8'), out);
  }
  return out;
}
