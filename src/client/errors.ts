// How kubectl reports the errors a multi-object command collected (cmdutil.CheckErr on an aggregate).
import { ApiError } from '../apiserver/errors.js';
import { formatApiError } from '../cli/cli.js';
import type { ResourceInfo } from '../apiserver/resources.js';

export type CollectedError = ApiError | string;

/** AddSourceToErr: "error when creating "x.yaml": ..." inside the server's Status. */
export function withSource(verb: string, source: string, e: unknown): CollectedError {
  if (e instanceof ApiError) {
    if (e.status.reason === 'Invalid') return e;
    const s = { ...e.status, message: `error when ${verb} "${source}": ${e.status.message}` };
    return new ApiError(s);
  }
  return `error when ${verb} "${source}": ${e instanceof Error ? e.message : String(e)}`;
}

export function formatCollected(errors: CollectedError[]): string {
  if (errors.length === 1) {
    const e = errors[0];
    return `${typeof e === 'string' ? (e.startsWith('error: ') ? e : `error: ${e}`) : formatApiError(e)}\n`;
  }
  return errors
    .map((e) => {
      if (typeof e === 'string') return `${e.startsWith('error: ') ? e : e}\n`;
      const s = e.status;
      return `${s.reason ? `Error from server (${s.reason}): ` : 'Error from server: '}${s.message}\n`;
    })
    .join('');
}

/**
 * The resource builder rewrites a list's BadRequest/NotFound so the user sees what was listed with
 * which selectors (cli-runtime's Selector.Visit): `Unable to find "/v1, Resource=pods" that match ...`.
 */
export function listError(e: unknown, ri: ResourceInfo, labelSelector?: string, fieldSelector?: string): unknown {
  if (!(e instanceof ApiError) || (e.code !== 400 && e.code !== 404)) return e;
  const gvr = `${ri.group}/${ri.version}, Resource=${ri.name}`;
  const message = !labelSelector && !fieldSelector
    ? `Unable to list "${gvr}": ${e.status.message}`
    : `Unable to find "${gvr}" that match label selector "${labelSelector ?? ''}", field selector "${fieldSelector ?? ''}": ${e.status.message}`;
  return new ApiError({ ...e.status, message });
}
