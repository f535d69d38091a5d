// -o for every verb that prints objects: yaml, json, name, jsonpath, jsonpath-as-json,
// custom-columns. Tables are the get printer's business.
import { CliError } from './errors.js';
import { toYaml, asList } from '../printers/yaml.js';
import { toJson } from '../printers/json.js';
import { jsonpath, jsonpathAsJson } from '../printers/jsonpath.js';
import { customColumns } from '../printers/custom-columns.js';
import { readFileSync } from 'node:fs';
import { resolveResource, type ResourceInfo } from '../apiserver/resources.js';
import type { KObject } from '../apiserver/types.js';

export const OUTPUT_FORMATS = ['json', 'yaml', 'name', 'go-template', 'go-template-file', 'template', 'templatefile', 'jsonpath', 'jsonpath-as-json', 'jsonpath-file', 'custom-columns', 'custom-columns-file', 'wide'];

export function isObjectFormat(o: string | undefined): boolean {
  return !!o && o !== 'wide';
}

export function checkOutputFormat(o: string | undefined, allowed = OUTPUT_FORMATS): void {
  if (!o) return;
  const base = o.split('=')[0];
  if (!allowed.includes(base)) {
    throw new CliError(`error: unable to match a printer suitable for the output format "${o}", allowed formats are: ${allowed.filter((f) => f !== 'wide').join(',')}`);
  }
}

export function nameOf(obj: KObject, ri?: ResourceInfo): string {
  const r = ri ?? resolveResource(String(obj.kind ?? ''));
  const kind = r ? `${r.kind.toLowerCase()}${r.group ? `.${r.group}` : ''}` : String(obj.kind ?? '').toLowerCase();
  return `${kind}/${obj.metadata?.name ?? ''}`;
}

/**
 * Prints objects in an object format. `single` says the user asked for exactly one object by
 * name, in which case kubectl prints it bare rather than wrapped in a List.
 */
export function formatObjects(objs: KObject[], output: string, single: boolean, opts: { noHeaders?: boolean } = {}): string {
  const eq = output.indexOf('=');
  const fmt = eq < 0 ? output : output.slice(0, eq);
  const arg = eq < 0 ? '' : output.slice(eq + 1);
  const data = single && objs.length === 1 ? objs[0] : asList(objs);
  switch (fmt) {
    case 'yaml':
      return toYaml(data);
    case 'json':
      return toJson(data);
    case 'name':
      return objs.map((o) => `${nameOf(o)}\n`).join('');
    case 'jsonpath':
    case 'jsonpath-file': {
      const tpl = fmt === 'jsonpath-file' ? readFileSync(arg, 'utf8') : arg;
      if (!tpl) throw new CliError('error: template format specified but no template given');
      return jsonpath(tpl, data, { allowMissingKeys: true });
    }
    case 'jsonpath-as-json':
      return jsonpathAsJson(arg, data, { allowMissingKeys: true });
    case 'custom-columns':
    case 'custom-columns-file': {
      const spec = fmt === 'custom-columns-file' ? readFileSync(arg, 'utf8') : arg;
      return customColumns(spec, objs, { noHeaders: !!opts.noHeaders, fromFile: fmt === 'custom-columns-file' });
    }
    default:
      throw new CliError(`error: output format "${fmt}" is not supported by minikctl`);
  }
}
