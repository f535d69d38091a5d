// minikctl diff: the live objects against what applying the files would make of them, computed by
// a server-side dry run of the apply and shown by `diff -u -N` (or $KUBECTL_EXTERNAL_DIFF).
import { mkdirSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { Cli } from '../cli.js';
import { CliError } from '../errors.js';
import { readManifests } from '../../client/manifests.js';
import { ApiError } from '../../apiserver/errors.js';
import { toYaml } from '../../printers/yaml.js';
import { applyClientSide, fieldValidation, namespaceFor } from './apply.js';
import { formatApiError } from '../cli.js';

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function register(cli: Cli): void {
  cli.program
    .command('diff')
    .description('Diff the live version against a would-be applied version')
    .usage('-f FILENAME [flags] [options]')
    .option('-f, --filename <file>', 'Filename, directory, or URL to files contains the configuration to diff', collect)
    .option('-R, --recursive', 'Process the directory used in -f, --filename recursively.')
    .option('--server-side', 'If true, apply runs in the server instead of the client.')
    .action(async (opts: any) => run(cli, opts));
}

function fileName(obj: any, ri: any): string {
  const gv = ri.group ? `${ri.group}.${ri.version}` : ri.version;
  return [gv, ri.kind, obj.metadata?.namespace, obj.metadata?.name].filter(Boolean).join('.');
}

function clean(obj: any): any {
  if (!obj) return obj;
  const o = JSON.parse(JSON.stringify(obj));
  delete o.metadata?.managedFields;
  if (o.metadata) delete o.metadata.generation;
  if (o.kind === 'Secret' && o.data) for (const k of Object.keys(o.data)) o.data[k] = '***';
  return o;
}

async function run(cli: Cli, opts: any): Promise<void> {
  if (!opts.filename?.length) throw new CliError('error: must specify one of -f and -k', 2); // diff exits 2 on errors (1 = differences)
  const { infos, errors } = readManifests(opts.filename, !!opts.recursive);
  if (errors.length) throw new CliError(errors.join('\n'));
  const base = mkdtempSync(join(tmpdir(), 'minikctl-diff-'));
  const live = join(base, `LIVE-${process.pid}`);
  const merged = join(base, `MERGED-${process.pid}`);
  mkdirSync(live);
  mkdirSync(merged);
  const explicitNs = cli.globals().namespace;
  try {
    await cli.withClient(false, async (client) => {
      for (const info of infos) {
        const ns = namespaceFor(info, client, explicitNs);
        let current: any;
        try {
          current = await client.get(info.resource, info.object.metadata!.name!, ns);
        } catch (e) {
          if (!(e instanceof ApiError && e.code === 404)) throw e;
        }
        let after: any;
        try {
          after = (await applyClientSide(client, info, 'server', explicitNs, fieldValidation('strict'))).object;
        } catch (e) {
          if (e instanceof ApiError) throw new CliError(formatApiError(e), 2);
          throw e;
        }
        const name = fileName({ ...info.object, metadata: { ...info.object.metadata, namespace: ns } }, info.resource);
        if (current) writeFileSync(join(live, name), toYaml(clean(current)));
        writeFileSync(join(merged, name), toYaml(clean(after)));
      }
    });
    const external = process.env.KUBECTL_EXTERNAL_DIFF;
    const cmd = external ? external.split(' ') : ['diff', '-u', '-N'];
    const r = spawnSync(cmd[0], [...cmd.slice(1), live, merged], { encoding: 'utf8' });
    if (r.error) throw new CliError(`error: failed to run "${cmd[0]}": ${r.error.message}`, 2);
    cli.out(r.stdout);
    if (r.stderr) cli.err(r.stderr);
    process.exitCode = r.status === 0 ? 0 : r.status === 1 ? 1 : 2;
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}
