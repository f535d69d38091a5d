// PLACEHOLDER (kubelet helper replaces this): what a container has written to its log.
import type { KObject } from '../apiserver/types.js';

export interface LogLine {
  /** virtual epoch ms the line was written */
  time: number;
  text: string;
}

/**
 * The lines a container has written by virtual time `now`: what its image prints when it starts
 * (and what its command echoes). `previous` reads the last terminated instance (`logs -p`).
 * Returns undefined when that container instance has no log (not started yet: kubectl's
 * "container ... is waiting to start" case is for the caller to word).
 */
export function containerLogs(_pod: KObject, _container: string, _now: number, _opts: { previous?: boolean } = {}): LogLine[] | undefined {
  return undefined;
}
