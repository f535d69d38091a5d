// Decoding (strict schema) and semantic validation, turned into the apiserver's Status errors.
import type { ResourceInfo } from '../resources.js';
import { groupVersion } from '../resources.js';
import type { KObject } from '../types.js';
import { badRequest, invalid } from '../errors.js';
import { validateObject, formatInvalid, toCauses } from './semantic/index.js';

/**
 * Strict decoding, as the apiserver does with fieldValidation=Strict (kubectl's default): unknown
 * fields and wrong types refuse the request. The precompiled validators load only for writes.
 */
export async function decode(ri: ResourceInfo, obj: KObject, fieldValidation: 'Strict' | 'Warn' | 'Ignore' = 'Strict'): Promise<string[]> {
  const { validateSchema, formatDecodeError } = await import('./schema.js');
  const errors = await validateSchema(groupVersion(ri), ri.kind, obj);
  if (errors.length === 0) return [];
  const typeErrors = errors.filter((e) => e.type === 'type');
  const unknown = errors.filter((e) => e.type === 'unknown');
  if (typeErrors.length > 0) throw badRequest(formatDecodeError(ri.kind, ri.version, typeErrors));
  if (unknown.length > 0 && fieldValidation === 'Strict') throw badRequest(formatDecodeError(ri.kind, ri.version, unknown));
  return unknown.map((e) => e.message);
}

export function validateSemantics(ri: ResourceInfo, obj: KObject, old: KObject | undefined): void {
  const errors = validateObject(ri.kind, groupVersion(ri), obj, old);
  if (errors.length === 0) return;
  const name = obj.metadata?.name ?? '';
  throw invalid(ri, ri.kind, name, formatInvalid(ri.kind, name, errors, ri.group), toCauses(errors));
}
