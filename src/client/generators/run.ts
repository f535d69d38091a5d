// `kubectl run`: a single Pod. Pod/Container keys follow the Go struct order.
import { GeneratorError, type GeneratorSpec, arrayFlag, boolFlag, intFlag, meta, parseLabels, requireFlag, splitDash, stringFlag } from './types.js';

export const runGenerator: GeneratorSpec = {
  name: 'run',
  aliases: [],
  usage: 'NAME --image=image [--env="key=value"] [--port=port] [--dry-run=server|client] [--overrides=inline-json] [--command] -- [COMMAND] [args...]',
  description: 'Run a particular image on the cluster',
  flags: [
    { flags: '--image <image>', description: 'The image for the container to run.', required: true },
    { flags: '--port <port>', description: 'The port that this container exposes.' },
    { flags: '--env <key=value>', description: 'Environment variables to set in the container.', repeatable: true },
    { flags: '-l, --labels <labels>', description: 'Comma separated labels to apply to the pod. Will override previous values.' },
    { flags: '--restart <policy>', description: 'The restart policy for this Pod.  Legal values [Always, OnFailure, Never].', default: 'Always' },
    { flags: '--command [bool]', description: 'If true and extra arguments are present, use them as the \'command\' field in the container, rather than the \'args\' field which is the default.', default: false },
    { flags: '--image-pull-policy <policy>', description: "The image pull policy for the container.  If left empty, this value will not be specified by the client and defaulted by the server." },
    { flags: '--privileged [bool]', description: 'If true, run the container in privileged mode.', default: false },
  ],
  generate(args, opts, env) {
    requireFlag(opts.image, 'image');
    const [names, rest] = splitDash(args, opts);
    // kubectl run takes NAME then args; everything after NAME is container args.
    if (names.length === 0) throw new GeneratorError('error: NAME is required for run', 'run');
    const name = names[0];
    const extra = names.slice(1).concat(rest);
    const restart = stringFlag(opts.restart, 'Always') || 'Always';
    if (!['Always', 'OnFailure', 'Never'].includes(restart)) throw new GeneratorError(`error: invalid restart policy: ${restart}`, 'run');
    const useCommand = boolFlag(opts.command, 'command', 'run');
    const labels = opts.labels ? parseLabels(stringFlag(opts.labels)) : { run: name };
    const c: Record<string, unknown> = { name, image: stringFlag(opts.image) };
    if (extra.length > 0) c[useCommand ? 'command' : 'args'] = extra;
    const port = intFlag(opts.port, 'port', -1);
    if (opts.port !== undefined && port >= 0) c.ports = [{ containerPort: port }];
    const envVars = arrayFlag(opts.env).map((kv) => {
      const i = kv.indexOf('=');
      if (i <= 0) throw new GeneratorError(`error: invalid env: ${kv}`);
      return { name: kv.slice(0, i), value: kv.slice(i + 1) };
    });
    if (envVars.length > 0) c.env = envVars;
    c.resources = {};
    const pull = stringFlag(opts.imagePullPolicy);
    if (pull) c.imagePullPolicy = pull;
    if (boolFlag(opts.privileged, 'privileged', 'run')) c.securityContext = { privileged: true };
    // -i keeps the container's stdin open (closed after the first attach unless --leave-stdin-open);
    // -t gives it a terminal: the fields come last, in the Container struct's order
    const stdin = boolFlag(opts.stdin, 'stdin', 'run');
    if (stdin) c.stdin = true;
    if (stdin && !boolFlag(opts.leaveStdinOpen, 'leave-stdin-open', 'run')) c.stdinOnce = true;
    if (boolFlag(opts.tty, 'tty', 'run')) c.tty = true;
    return {
      kind: 'Pod',
      apiVersion: 'v1',
      metadata: meta(name, env, { labels }),
      spec: { containers: [c], restartPolicy: restart, dnsPolicy: 'ClusterFirst' },
      status: {},
    };
  },
};
