// minikctl trace [TYPE/NAME]: what the cluster did, step by step, after the fact. Reads the trace
// log kept beside the cluster's state (every command that changed the cluster appends to it).
// Without an object: the last such command's steps. With one: every step that concerned the
// object and what it caused (a Deployment's ReplicaSets and Pods), command by command.
import type { Cli } from '../cli.js';
import { CliError } from '../errors.js';
import { qualifiedName, resolveResource } from '../../apiserver/resources.js';
import { rfc3339 } from '../../cluster/clock.js';
import { clusterStatePath, loadConfig } from '../../cluster/home.js';
import { resolveIdentity } from '../../cluster/session.js';
import { CATCH_UP, readTraceLog, type TraceCommand } from '../../trace/log.js';
import { formatSteps } from '../../trace/narrate.js';
import { selectFor, type Target } from '../../trace/select.js';

export function register(cli: Cli): void {
  cli.program
    .command('trace')
    .description('Show what the cluster did for an object, step by step: the API requests with the apiserver\'s stages, and what the controllers, the scheduler and the kubelets did in response.')
    .usage('[TYPE/NAME | TYPE NAME] [options]')
    .argument('[args...]')
    .option('--per-kind <n>', 'How many steps of one kind to show before folding the rest into one line.', '5')
    .option('--max-steps <n>', 'The most numbered steps to print per command.', '300')
    .action(async (args: string[], opts: any) => run(cli, args, opts));
}

function parseTarget(args: string[]): { word: string; name: string } | undefined {
  if (args.length === 0) return undefined;
  if (args.length === 1) {
    const seg = args[0].split('/');
    if (seg.length !== 2 || !seg[0] || !seg[1]) {
      if (seg.length > 2) throw new CliError('error: arguments in resource/name form may not have more than one slash');
      throw new CliError(`error: you must specify the object as TYPE/NAME or TYPE NAME (e.g. minikctl trace deploy/my-app), not "${args[0]}"`);
    }
    return { word: seg[0], name: seg[1] };
  }
  if (args.length === 2 && !args[0].includes('/')) return { word: args[0], name: args[1] };
  throw new CliError('error: minikctl trace takes one object: TYPE/NAME or TYPE NAME');
}

function number(v: unknown, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`error: ${flag} must be a positive whole number, not "${v}"`);
  return n;
}

function section(c: TraceCommand, perKind: number, maxSteps: number): string {
  const head = (c.cmd === CATCH_UP ? c.cmd : `minikctl ${c.cmd}`.trimEnd()) + `   (at ${rfc3339(c.at)})`;
  const lines = formatSteps(c.records, { perKind, maxSteps });
  const note = c.dropped ? [`  (${c.dropped} records of this command were not kept in the log)`] : [];
  return [head, ...lines, ...note].join('\n') + '\n';
}

async function run(cli: Cli, args: string[], opts: any): Promise<void> {
  const target = parseTarget(args);
  const perKind = number(opts.perKind, '--per-kind');
  const maxSteps = number(opts.maxSteps, '--max-steps');
  const ri = target ? resolveResource(target.word) : undefined;
  if (target && !ri) throw new CliError(`error: the server doesn't have a resource type "${target.word}"`);
  const g = cli.globals();
  const identity = resolveIdentity(loadConfig(), g);
  const statePath = clusterStatePath(identity.clusterName);
  const log = readTraceLog(statePath);
  if (log.length === 0) {
    throw new CliError(`error: nothing has been traced on cluster "${identity.clusterName}" yet: the trace is recorded by commands that change the cluster (e.g. minikctl apply -f my-app.yaml)`);
  }
  if (!target) {
    // A catch-up is not a command the user ran: the last command is the last one they did run.
    const last = [...log].reverse().find((c) => c.cmd !== CATCH_UP) ?? log[log.length - 1];
    cli.out(`The steps of the last command that changed the cluster (virtual cluster time from its first step):\n\n${section(last, perKind, maxSteps)}`);
    return;
  }
  if (!ri) return;
  const t: Target = { kind: ri.kind, name: target.name, namespace: ri.namespaced ? identity.namespace : undefined };
  const found = selectFor(log, t);
  const what = `${qualifiedName(ri)} "${target.name}"${t.namespace ? ` in namespace "${t.namespace}"` : ''}`;
  if (found.length === 0) {
    throw new CliError(`error: no trace recorded for ${what}: the log keeps what commands that changed the cluster set off (the oldest are dropped as it grows)`);
  }
  const family = ri.kind === 'Deployment' ? ' with its ReplicaSets and Pods' : ['ReplicaSet', 'DaemonSet', 'StatefulSet', 'Job', 'ReplicationController'].includes(ri.kind) ? ' with its Pods' : '';
  let out = `The steps concerning ${what}${family}, command by command (virtual cluster time from each command's first step shown):\n`;
  for (const c of found) out += `\n${section(c, perKind, maxSteps)}`;
  cli.out(out);
}
