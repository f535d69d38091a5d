// What every verb shares: global flags, the cluster session, kubectl-style error reporting.
import type { Command } from 'commander';
import { ApiError } from '../apiserver/errors.js';
import type { Client } from '../client/client.js';
import type { GlobalOptions, Session } from '../cluster/session.js';
import { CliError } from './errors.js';

export interface Cli {
  program: Command;
  globals(): GlobalOptions;
  /** runs fn with a client on the current cluster; write=true locks the cluster and saves changes */
  withClient<T>(write: boolean, fn: (client: Client, session: Session) => Promise<T>): Promise<T>;
  out(s: string): void;
  err(s: string): void;
}

export function makeCli(program: Command): Cli {
  let active: Command | null = null;
  program.hook('preAction', (_this, actionCommand) => {
    active = actionCommand;
  });
  return {
    program,
    globals() {
      // Global values come from the root and from each command's copy of the global options
      // (see shareGlobalOptions), never from a verb's own flag that happens to share a name.
      const o: Record<string, any> = { ...program.opts() };
      for (let c: Command | null = active; c && c !== program; c = c.parent) {
        const opts = c.opts();
        for (const opt of c.options) {
          const key = opt.attributeName();
          if ((opt as any).global && opts[key] !== undefined && o[key] === undefined) o[key] = opts[key];
        }
      }
      return { namespace: o.namespace, context: o.context, cluster: o.cluster, user: o.user, as: o.as, asGroup: o.asGroup, verbosity: o.v === undefined ? undefined : Number(String(o.v).replace(/^=/, '')), trace: !!o.trace };
    },
    async withClient(write, fn) {
      // The cluster (storage, apiserver) loads only for verbs that talk to it.
      const [{ withCluster }, { Client }] = await Promise.all([import('../cluster/session.js'), import('../client/client.js')]);
      return withCluster(this.globals(), write, (s) => fn(new Client(s.api, s.identity), s));
    },
    out(s) {
      process.stdout.write(s);
    },
    err(s) {
      process.stderr.write(s);
    },
  };
}

/** The text kubectl prints for an error returned by the server (cmdutil.CheckErr). */
export function formatApiError(e: ApiError): string {
  const s = e.status;
  if (s.reason === 'Invalid') {
    if (!s.details) return `The request is invalid${s.message ? `: ${s.message}` : ''}`;
    const causes = s.details.causes ?? [];
    let head = 'The request is invalid';
    if (s.details.kind || s.details.name) head = `The ${s.details.kind ?? ''} "${s.details.name ?? ''}" is invalid`;
    else if (s.message && causes.length === 0) head += `: ${s.message}`;
    if (causes.length === 0) return head;
    // statusCausesToAggrError: "field: message", repeated ones dropped.
    const lines = [...new Set(causes.map((c) => `${c.field ?? ''}: ${c.message}`))];
    if (lines.length === 1) return `${head}: ${lines[0]}`;
    return `${head}: \n${lines.map((l) => `* ${l}`).join('\n')}`;
  }
  if (s.reason === 'Unauthorized') return `error: You must be logged in to the server (${s.message})`;
  if (s.reason) return `Error from server (${s.reason}): ${s.message}`;
  return `Error from server: ${s.message}`;
}

/** Ends the process the way kubectl does for an error. */
export function reportError(e: unknown): number {
  if (e instanceof ApiError) {
    process.stderr.write(`${formatApiError(e)}\n`);
    return 1;
  }
  if (e instanceof CliError) {
    if (e.message) process.stderr.write(e.message.endsWith('\n') ? e.message : `${e.message}\n`);
    return e.exitCode;
  }
  const msg = e instanceof Error ? e.stack ?? e.message : String(e);
  process.stderr.write(`error: ${msg}\n`);
  return 1;
}

/** One klog error line: `E1123 10:41:32.533968   16210 file:line] message`. */
export function klogError(where: string, text: string, now = new Date()): string {
  const p2 = (n: number) => String(n).padStart(2, '0');
  const micros = String(now.getMilliseconds() * 1000).padStart(6, '0');
  const stamp = `${p2(now.getMonth() + 1)}${p2(now.getDate())} ${p2(now.getHours())}:${p2(now.getMinutes())}:${p2(now.getSeconds())}.${micros}`;
  return `E${stamp} ${String(process.pid).padStart(7)} ${where}] ${text}\n`;
}
