// The conditions `wait --for` understands (kubectl cmd/wait): parsing and checking one object.
import type { KObject } from '../../apiserver/types.js';
import { CliError } from '../../cli/errors.js';
import { findJsonPathResults, relaxedJsonPath, goScalar } from '../../printers/jsonpath.js';

export type WaitCondition =
  | { type: 'delete' }
  | { type: 'create' }
  | { type: 'condition'; name: string; value: string }
  | { type: 'jsonpath'; path: string; value?: string };

/** splitJSONPathInput: splits on single '=', keeping '==' inside filter expressions. */
function splitOnEquals(input: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < input.length; i++) {
    if (input[i] === '=') {
      if (input[i + 1] === '=') {
        cur += '==';
        i++;
        continue;
      }
      out.push(cur);
      cur = '';
      continue;
    }
    cur += input[i];
  }
  out.push(cur);
  return out;
}

export function parseCondition(text: string): WaitCondition {
  const lower = text.toLowerCase();
  if (lower === 'delete') return { type: 'delete' };
  if (lower === 'create') return { type: 'create' };
  if (text.startsWith('condition=')) {
    const rest = text.slice('condition='.length);
    const eq = rest.indexOf('=');
    return eq < 0 ? { type: 'condition', name: rest, value: 'true' } : { type: 'condition', name: rest.slice(0, eq), value: rest.slice(eq + 1) };
  }
  if (text.startsWith('jsonpath=')) {
    const parts = splitOnEquals(text.slice('jsonpath='.length));
    if (parts.length < 1 || parts.length > 2) {
      throw new CliError("error: jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or --for=jsonpath='{.status.readyReplicas}'");
    }
    let path: string;
    try {
      path = relaxedJsonPath(parts[0]);
    } catch (e: any) {
      throw new CliError(`error: ${e.message}`);
    }
    if (parts.length === 2) {
      const value = parts[1].replace(/^['"]+|['"]+$/g, '');
      if (value === '') throw new CliError("error: jsonpath wait has to have a value after equal sign, like --for=jsonpath='{.status.readyReplicas}'=3");
      if (path === '') throw new CliError('error: jsonpath expression cannot be empty');
      return { type: 'jsonpath', path, value };
    }
    if (path === '') throw new CliError('error: jsonpath expression cannot be empty');
    return { type: 'jsonpath', path };
  }
  throw new CliError(`error: unrecognized condition: "${text}"`);
}

/** Unicode simple case folding, close enough: compare lower-cased. */
const fold = (s: string) => s.toLowerCase();

/** Whether obj meets the condition now (condition= and jsonpath= only). Throws kubectl's errors. */
export function checkObject(cond: WaitCondition, obj: KObject): boolean {
  if (cond.type === 'condition') {
    for (const c of obj.status?.conditions ?? []) {
      if (typeof c?.type !== 'string' || fold(c.type) !== fold(cond.name)) continue;
      if (typeof c.status !== 'string') continue;
      const generation = obj.metadata?.generation;
      if (typeof generation === 'number') {
        const observed = typeof c.observedGeneration === 'number' ? c.observedGeneration : obj.status?.observedGeneration;
        if (typeof observed === 'number' && observed < generation) return false;
      }
      return fold(c.status) === fold(cond.value);
    }
    return false;
  }
  if (cond.type === 'jsonpath') {
    const results = findJsonPathResults(cond.path, obj, true);
    if (results.length === 0 || results[0].length === 0) return false;
    if (results.length > 1) throw new Error('given jsonpath expression matches more than one list');
    if (results[0].length > 1) throw new Error('given jsonpath expression matches more than one value');
    if (cond.value === undefined) return true;
    const v = results[0][0];
    if (v !== null && typeof v === 'object') throw new Error('jsonpath leads to a nested object or list which is not supported');
    return goScalar(v).trim() === cond.value.trim();
  }
  return false;
}
