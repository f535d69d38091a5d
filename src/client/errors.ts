// How kubectl reports the errors a multi-object command collected (cmdutil.CheckErr on an aggregate).
import { ApiError } from '../apiserver/errors.js';
import { formatApiError } from '../cli/cli.js';

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
