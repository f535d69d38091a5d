// The resource builder the deploy verbs share (rollout, scale, set, wait): TYPE NAME, TYPE/NAME,
// -f files, -l selectors and --all, resolved to objects on the server (or, with --local, to the
// objects in the files), with kubectl's errors.
import type { Client } from '../client.js';
import type { ResourceInfo } from '../../apiserver/resources.js';
import type { KObject } from '../../apiserver/types.js';
import { ApiError } from '../../apiserver/errors.js';
import { CliError } from '../../cli/errors.js';
import { parseTargets, type Target } from '../../cli/args.js';
import { readManifests } from '../manifests.js';
import { listError } from '../errors.js';
import { formatApiError } from '../../cli/cli.js';

export const NO_RESOURCES =
  "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'";

export interface Selection {
  /** objects from -f files (their names and namespaces; the content too, for --local) */
  files: { ri: ResourceInfo; object: KObject; source: string }[];
  targets: Target[];
  selector?: string;
  all?: boolean;
  allNamespaces?: boolean;
}

export interface Item {
  ri: ResourceInfo;
  name: string;
  namespace?: string;
  /** the object as found (server) or as read (--local) */
  object: KObject;
}

export interface SelectOptions {
  filename?: string[];
  recursive?: boolean;
  selector?: string;
  all?: boolean;
  allNamespaces?: boolean;
}

/** Reads the arguments and files; throws kubectl's errors for what cannot name anything. */
export function select(args: string[], opts: SelectOptions, verb: string): Selection {
  const files: Selection['files'] = [];
  if (opts.filename?.length) {
    const { infos, errors } = readManifests(opts.filename, !!opts.recursive);
    if (errors.length) throw new CliError(errors.join('\n'));
    for (const i of infos) files.push({ ri: i.resource, object: i.object, source: i.source });
  }
  const targets = args.length ? parseTargets(args, verb) : [];
  if (files.length === 0 && targets.length === 0) throw new CliError(NO_RESOURCES);
  for (const t of targets) {
    if (t.names.length === 0 && !opts.all && !opts.selector) {
      throw new CliError('error: resource(s) were provided, but no name was specified');
    }
  }
  return { files, targets, selector: opts.selector, all: opts.all, allNamespaces: opts.allNamespaces };
}

/** The objects of a --local run: only files count, and naming resources is an error. */
export function localItems(sel: Selection): Item[] {
  if (sel.targets.length > 0 || sel.files.length === 0) {
    throw new CliError("error: you must specify resources by --filename when --local is set.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'");
  }
  return sel.files.map((f) => ({ ri: f.ri, name: f.object.metadata?.name ?? '', namespace: f.object.metadata?.namespace, object: f.object }));
}

/**
 * Fetches the selected objects. Objects that cannot be fetched are reported through onError (kubectl's
 * ContinueOnError builder) unless `stopOnError`.
 */
export async function fetchItems(client: Client, sel: Selection, onError: (e: unknown) => void): Promise<Item[]> {
  const items: Item[] = [];
  const get = async (ri: ResourceInfo, name: string, namespace?: string) => {
    const ns = ri.namespaced ? namespace ?? client.namespace : undefined;
    try {
      items.push({ ri, name, namespace: ns, object: await client.get(ri, name, ns) });
    } catch (e) {
      onError(e);
    }
  };
  for (const f of sel.files) await get(f.ri, f.object.metadata?.name ?? '', f.object.metadata?.namespace);
  for (const t of sel.targets) {
    if (t.names.length) {
      for (const n of t.names) await get(t.resource, n);
      continue;
    }
    try {
      const list = await client.list(t.resource, { allNamespaces: !!sel.allNamespaces, labelSelector: sel.selector });
      for (const o of list.items as KObject[]) items.push({ ri: t.resource, name: o.metadata!.name!, namespace: o.metadata?.namespace, object: o });
    } catch (e) {
      onError(listError(e, t.resource, sel.selector));
    }
  }
  return items;
}

/** How an error reads in kubectl's aggregate: a Status as "Error from server (...)", the rest as is. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    const s = e.status;
    return `${s.reason ? `Error from server (${s.reason}): ` : 'Error from server: '}${s.message}`;
  }
  if (e instanceof CliError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

/**
 * cmdutil.CheckErr on an aggregate: one error is printed with "error: " (unless it has it or is a
 * server Status); several are printed one per line as they are.
 */
export function reportErrors(errors: unknown[], err: (s: string) => void): boolean {
  if (errors.length === 0) return false;
  if (errors.length === 1) {
    const e = errors[0];
    if (e instanceof ApiError) {
      err(`${formatApiError(e)}\n`);
      process.exitCode = 1;
      return true;
    }
    let text = errorText(e).replace(/\n$/, '');
    if (!(e instanceof ApiError) && !text.startsWith('error: ')) text = `error: ${text}`;
    err(`${text}\n`);
  } else {
    err(errors.map((e) => `${errorText(e)}\n`).join(''));
  }
  process.exitCode = 1;
  return true;
}
