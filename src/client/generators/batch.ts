// Job and CronJob generators (batch/v1).
import { GeneratorError, type GeneratorSpec, meta, oneName, requireFlag, splitDash, stringFlag } from './types.js';

function container(name: string, image: string, command: string[]): Record<string, unknown> {
  const c: Record<string, unknown> = { name, image };
  if (command.length > 0) c.command = command;
  c.resources = {};
  return c;
}

export const jobGenerator: GeneratorSpec = {
  name: 'job',
  aliases: [],
  usage: 'NAME --image=image [--from=cronjob/name] -- [COMMAND] [args...]',
  description: 'Create a job with the specified name',
  flags: [
    { flags: '--image <image>', description: 'Image name to run.' },
    { flags: '--from <resource>', description: "The name of the resource to create a Job from (only cronjob is supported)." },
  ],
  /** With --from=cronjob/NAME the CLI fetches the CronJob and passes it as opts.fromObject. */
  generate(args, opts, env) {
    const [names, command] = splitDash(args, opts);
    const name = oneName(names, 'create job');
    const image = stringFlag(opts.image);
    const from = stringFlag(opts.from);
    if ((image === '') === (from === '')) throw new GeneratorError('error: either --image or --from must be specified');
    if (from !== '' && command.length > 0) throw new GeneratorError('error: cannot specify --from and command');
    if (from !== '') {
      const [res, src] = from.split('/', 2);
      if (!['cronjob', 'cronjobs', 'cj', 'cronjob.batch', 'cronjobs.batch'].includes(res.toLowerCase()) || !src) {
        throw new GeneratorError(`error: from must be an existing cronjob: unknown object type ${res}`);
      }
      const cj = opts.fromObject;
      if (!cj) throw new GeneratorError(`error: cronjobs.batch "${src}" not found`);
      return jobFromCronJob(name, cj, env.namespace);
    }
    return {
      kind: 'Job',
      apiVersion: 'batch/v1',
      metadata: meta(name, env),
      spec: {
        template: { metadata: { creationTimestamp: null }, spec: { containers: [container(name, image, command)], restartPolicy: 'Never' } },
      },
      status: {},
    };
  },
};

/** kubectl create job --from=cronjob/x: the job template, owned by the CronJob, marked manual. */
export function jobFromCronJob(name: string, cj: any, namespace?: string): unknown {
  const tmpl = cj?.spec?.jobTemplate ?? {};
  const annotations: Record<string, string> = { 'cronjob.kubernetes.io/instantiate': 'manual', ...(tmpl.metadata?.annotations ?? {}) };
  const sorted = Object.fromEntries(Object.entries(annotations).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const m: Record<string, unknown> = { name };
  const ns = namespace ?? cj?.metadata?.namespace;
  if (ns) m.namespace = ns;
  m.creationTimestamp = null;
  if (tmpl.metadata?.labels) m.labels = tmpl.metadata.labels;
  m.annotations = sorted;
  m.ownerReferences = [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cj?.metadata?.name, uid: cj?.metadata?.uid ?? '', controller: true }];
  return { kind: 'Job', apiVersion: 'batch/v1', metadata: m, spec: tmpl.spec ?? {}, status: {} };
}

export const cronJobGenerator: GeneratorSpec = {
  name: 'cronjob',
  aliases: ['cj'],
  usage: 'NAME --image=image --schedule=\'0/5 * * * ?\' -- [COMMAND] [args...]',
  description: 'Create a cron job with the specified name',
  flags: [
    { flags: '--image <image>', description: 'Image name to run.', required: true },
    { flags: '--schedule <schedule>', description: 'A schedule in the Cron format the job should be run with.', required: true },
    { flags: '--restart <policy>', description: 'job\'s restart policy. supported values: OnFailure, Never' },
  ],
  generate(args, opts, env) {
    requireFlag(opts.image, 'image');
    requireFlag(opts.schedule, 'schedule');
    const [names, command] = splitDash(args, opts);
    const name = oneName(names, 'create cronjob');
    const restart = stringFlag(opts.restart, 'OnFailure') || 'OnFailure';
    if (restart !== 'OnFailure' && restart !== 'Never') throw new GeneratorError(`error: restart policy ${restart} is not supported, expected one of OnFailure, Never`);
    return {
      kind: 'CronJob',
      apiVersion: 'batch/v1',
      metadata: meta(name, env),
      spec: {
        schedule: stringFlag(opts.schedule),
        jobTemplate: {
          metadata: { name, creationTimestamp: null },
          spec: {
            template: {
              metadata: { creationTimestamp: null },
              spec: { containers: [container(name, stringFlag(opts.image), command)], restartPolicy: restart },
            },
          },
        },
      },
      status: {},
    };
  },
};
