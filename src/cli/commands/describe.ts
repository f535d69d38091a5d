// minikctl describe: kubectl's per-kind descriptions, with the related objects and events.
import type { Cli } from '../cli.js';
import { formatApiError } from '../cli.js';
import { CliError } from '../errors.js';
import { parseTargets, targetsFromFiles, type Target } from '../args.js';
import { ApiError } from '../../apiserver/errors.js';
import { listError } from '../../client/errors.js';
import { resourceFor } from '../../apiserver/apiserver.js';
import type { KObject } from '../../apiserver/types.js';
import type { Client } from '../../client/client.js';
import { noResourcesMessage } from '../../printers/table/index.js';

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function register(cli: Cli): void {
  cli.program
    .command('describe')
    .description('Show details of a specific resource or group of resources')
    .usage('(-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME) [flags] [options]')
    .argument('[args...]')
    .option('-f, --filename <file>', 'Filename, directory, or URL to files containing the resource to describe', collect)
    .option('-R, --recursive', 'Process the directory used in -f, --filename recursively.')
    .option('-l, --selector <selector>', 'Selector (label query) to filter on')
    .option('-A, --all-namespaces', 'If present, list the requested object(s) across all namespaces.')
    .option('--show-events [bool]', 'If true, display events related to the described object.', 'true')
    .action(async (args: string[], opts: any) => run(cli, args, opts));
}

async function run(cli: Cli, args: string[], opts: any): Promise<void> {
  let targets: Target[];
  if (opts.filename?.length) {
    const r = targetsFromFiles(opts.filename, !!opts.recursive);
    for (const e of r.errors) cli.err(`${e}\n`);
    targets = r.targets;
  } else {
    targets = parseTargets(args, 'describe');
  }
  if (targets.length === 0) {
    throw new CliError('error: You must specify the type of resource to describe. Use "minikctl api-resources" for a complete list of supported resources.');
  }
  const { describe, joinDescriptions } = await import('../../printers/describe/index.js');
  const showEvents = String(opts.showEvents) !== 'false';
  await cli.withClient(false, async (client) => {
    const outputs: string[] = [];
    const errors: string[] = [];
    const ns = opts.allNamespaces ? undefined : client.namespace;
    const lookup = makeLookup(client, showEvents);
    for (const t of targets) {
      let objs: KObject[] = [];
      if (t.names.length === 0) {
        try {
          objs = (await client.list(t.resource, { allNamespaces: !!opts.allNamespaces, labelSelector: opts.selector })).items;
        } catch (e) {
          throw listError(e, t.resource, opts.selector);
        }
        if (objs.length === 0) {
          cli.err(`${noResourcesMessage(t.resource.namespaced && !opts.allNamespaces ? ns : undefined)}\n`);
          continue;
        }
      } else {
        for (const name of t.names) {
          try {
            objs.push(await client.get(t.resource, name, ns));
          } catch (e) {
            if (!(e instanceof ApiError && e.code === 404)) throw e;
            // kubectl falls back to every object whose name starts with the given prefix.
            const all = (await client.list(t.resource, { namespace: ns })).items.filter((o: KObject) => o.metadata!.name!.startsWith(name));
            if (all.length === 0) errors.push(formatApiError(e));
            objs.push(...all);
          }
        }
      }
      for (const o of objs) outputs.push(describe(t.resource.kind, o, lookup));
    }
    if (outputs.length) cli.out(joinDescriptions(outputs));
    if (errors.length) {
      cli.err(errors.map((e) => `${e}\n`).join(''));
      process.exitCode = 1;
    }
  });
}

function makeLookup(client: Client, showEvents: boolean) {
  const store = client.api.store;
  // Describers look at many related objects; read them straight from the snapshot this command holds.
  let events: KObject[] | undefined;
  return {
    now: client.api.clock.now(),
    list(resource: string, namespace?: string, labelSelector?: string): KObject[] {
      const ri = resourceFor(resource);
      let items = store.list(ri.group ? `${ri.group}/${ri.name}` : ri.name, ri.namespaced ? namespace : undefined);
      if (labelSelector) {
        const sel = parseSel(labelSelector);
        items = items.filter((o) => matchSel(sel, o.metadata?.labels));
      }
      return items;
    },
    events(obj: KObject): KObject[] | null {
      // null tells the describers to leave out the Events section, as kubectl does for --show-events=false.
      if (!showEvents) return null;
      events ??= store.list('events');
      const uid = obj.metadata?.uid;
      return events.filter((e) => e.involvedObject?.uid === uid);
    },
    showEvents,
  };
}

import { parseLabelSelector as parseSel, matches as matchSel } from '../../apiserver/selectors.js';
