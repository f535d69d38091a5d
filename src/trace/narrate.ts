// PLACEHOLDER: being written in this session (--trace output and the persisted trace log).
import type { TraceRecord } from './trace.js';

export function formatTrace(records: TraceRecord[]): string {
  return records.map((r, i) => `${i + 1}. ${r.component} ${r.action} ${r.object}${r.detail ? ` ${r.detail}` : ''}\n`).join('');
}

export function persistTrace(_statePath: string, _records: TraceRecord[]): void {}
