// minikctl api-resources: the discovery table, filtered and sorted the way kubectl's
// apiresources command does (by group, ties broken by resource name).
import type { Cli } from '../cli.js';
import { CliError } from '../errors.js';
import { RESOURCES, groupVersion, type ResourceInfo } from '../../apiserver/resources.js';
import { tabwrite } from '../../printers/table/tabwriter.js';

interface Opts {
  /** a bare --namespaced is true, as for any boolean flag of kubectl's */
  namespaced?: string | boolean;
  apiGroup?: string;
  output?: string;
  headers?: boolean;
  verbs?: string[];
  sortBy?: string;
  categories?: string[];
}

const collect = (v: string, prev: string[] = []) => [...prev, ...v.split(',').filter(Boolean)];
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function selectResources(o: Opts): ResourceInfo[] {
  let list = RESOURCES.filter((r) => r.verbs.length > 0);
  if (o.apiGroup !== undefined) list = list.filter((r) => r.group === o.apiGroup);
  if (o.namespaced !== undefined) {
    const want = o.namespaced === 'true';
    list = list.filter((r) => r.namespaced === want);
  }
  if (o.verbs?.length) list = list.filter((r) => o.verbs!.every((v) => r.verbs.includes(v)));
  if (o.categories?.length) list = list.filter((r) => o.categories!.every((c) => r.categories.includes(c)));
  const key = (r: ResourceInfo) => (o.sortBy === 'name' ? r.name : o.sortBy === 'kind' ? r.kind : r.group);
  // Array.prototype.sort is stable, like Go's sort.Stable.
  return [...list].sort((a, b) => cmp(key(a), key(b)) || cmp(a.name, b.name));
}

export function register(cli: Cli): void {
  cli.program
    .command('api-resources')
    .description('Print the supported API resources on the server.')
    .usage('[flags] [options]')
    .option('--namespaced [bool]', 'If false, non-namespaced resources will be returned, otherwise returning namespaced resources by default.')
    .option('--api-group <group>', 'Limit to resources in the specified API group.')
    .option('-o, --output <format>', 'Output format. One of: (wide, name).')
    .option('--no-headers', "When using the default or custom-column output format, don't print headers (default print headers).")
    .option('--verbs <verbs>', 'Limit to resources that support the specified verbs.', collect)
    .option('--categories <categories>', 'Limit to resources that belong to the specified categories.', collect)
    .option('--sort-by <field>', "If non-empty, sort list of resources using specified field. The field can be either 'name' or 'kind'.")
    .option('--cached', 'Use the cached list of resources if available.')
    .action(async (opts: Opts) => {
      if (opts.namespaced === true) opts.namespaced = 'true';
      if (opts.output !== undefined && opts.output !== 'wide' && opts.output !== 'name') {
        throw new CliError('error: --output wide or name is accepted');
      }
      if (opts.sortBy !== undefined && opts.sortBy !== 'name' && opts.sortBy !== 'kind') {
        throw new CliError('error: --sort-by accepts only name or kind');
      }
      if (opts.namespaced !== undefined && opts.namespaced !== 'true' && opts.namespaced !== 'false') {
        throw new CliError(`error: invalid argument "${opts.namespaced}" for "--namespaced" flag: strconv.ParseBool: parsing "${opts.namespaced}": invalid syntax`);
      }
      await cli.withClient(false, async () => undefined);
      const list = selectResources(opts);
      if (opts.output === 'name') {
        cli.out(list.map((r) => `${r.name}${r.group ? `.${r.group}` : ''}\n`).join(''));
        return;
      }
      const wide = opts.output === 'wide';
      const rows: string[][] = [];
      if (opts.headers !== false) rows.push(['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND', ...(wide ? ['VERBS', 'CATEGORIES'] : [])]);
      for (const r of list) {
        const row = [r.name, r.shortNames.join(','), groupVersion(r), String(r.namespaced), r.kind];
        if (wide) row.push(`[${r.verbs.join(' ')}]`, `[${r.categories.join(' ')}]`);
        rows.push(row);
      }
      cli.out(tabwrite(rows));
    });
}
