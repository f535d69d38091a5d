// --dry-run: none, client or server (a bare --dry-run means client, with kubectl's deprecation note).
import { CliError } from './errors.js';

export type DryRun = 'none' | 'client' | 'server';

export function parseDryRun(v: string | boolean | undefined): DryRun {
  if (v === undefined || v === false) return 'none';
  if (v === true || v === 'true' || v === 'client') {
    if (v === true || v === 'true') process.stderr.write(klogWarning('helpers.go:702', '--dry-run is deprecated and can be replaced with --dry-run=client.'));
    return 'client';
  }
  if (v === 'server') return 'server';
  if (v === 'none' || v === 'false') return 'none';
  throw new CliError(`error: Invalid dry-run value (${v}). Must be "none", "server", or "client".`);
}

export function dryRunSuffix(d: DryRun): string {
  return d === 'client' ? ' (dry run)' : d === 'server' ? ' (server dry run)' : '';
}

/** A klog warning line as kubectl writes it: W<MMDD> <hh:mm:ss.micro> <pid> <file:line>] <message> */
export function klogWarning(where: string, message: string): string {
  const d = new Date();
  const p2 = (n: number) => String(n).padStart(2, '0');
  const micro = String(d.getMilliseconds() * 1000).padStart(6, '0');
  return `W${p2(d.getMonth() + 1)}${p2(d.getDate())} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${micro} ${String(process.pid).padStart(7)} ${where}] ${message}\n`;
}
