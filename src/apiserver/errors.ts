// metav1.Status builders with the reasons, codes and messages of the real apiserver.
import type { ResourceInfo } from './resources.js';
import { qualifiedName } from './resources.js';
import type { Status } from './types.js';

export class ApiError extends Error {
  constructor(readonly status: Status) {
    super(status.message);
  }
  get code(): number {
    return this.status.code;
  }
  get reason(): string {
    return this.status.reason;
  }
}

function status(code: number, reason: string, message: string, details?: Status['details']): ApiError {
  const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details) s.details = details;
  return new ApiError(s);
}

export function notFound(ri: ResourceInfo, name: string): ApiError {
  return status(404, 'NotFound', `${qualifiedName(ri)} "${name}" not found`, { name, group: ri.group, kind: ri.name });
}

export function alreadyExists(ri: ResourceInfo, name: string): ApiError {
  return status(409, 'AlreadyExists', `${qualifiedName(ri)} "${name}" already exists`, { name, group: ri.group, kind: ri.name });
}

export function conflict(ri: ResourceInfo, name: string, why: string): ApiError {
  return status(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedName(ri)} "${name}": ${why}`, {
    name,
    group: ri.group,
    kind: ri.name,
  });
}

export function staleConflict(ri: ResourceInfo, name: string): ApiError {
  return conflict(ri, name, 'the object has been modified; please apply your changes to the latest version and try again');
}

export interface Cause {
  reason: string;
  message: string;
  field: string;
}

/** 422: the message is the apiserver's; kubectl prints "The Kind "name" is invalid: ..." from details. */
export function invalid(ri: ResourceInfo, kind: string, name: string, message: string, causes: Cause[]): ApiError {
  return status(422, 'Invalid', message, { name, group: ri.group, kind, causes });
}

export function badRequest(message: string): ApiError {
  return status(400, 'BadRequest', message);
}

export function forbidden(message: string, ri?: ResourceInfo, name?: string): ApiError {
  return status(403, 'Forbidden', message, ri ? { name, group: ri.group, kind: ri.name } : undefined);
}

export function methodNotAllowed(message: string): ApiError {
  return status(405, 'MethodNotAllowed', message);
}

export function requestEntityTooLarge(message: string): ApiError {
  return status(413, 'RequestEntityTooLarge', message);
}

export function internalError(message: string): ApiError {
  return status(500, 'InternalError', `Internal error occurred: ${message}`);
}

export function tooManyRequests(message: string): ApiError {
  return status(429, 'TooManyRequests', message);
}
