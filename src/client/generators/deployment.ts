import { GeneratorError, type GeneratorSpec, intFlag, meta, oneName, randomString, requireFlag, sliceFlag, splitDash, type GeneratorEnv } from './types.js';

const CMD = 'create deployment';

// kubectl names each container after its image's last path segment, minus tag and digest;
// names with '.' or '_' are made DNS-safe and get a random 5-char suffix.
export function containerNameFromImage(image: string, env: GeneratorEnv): string {
  let name = image.split('/').pop()!;
  if (name.includes(':')) name = name.split(':')[0];
  if (name.includes('@')) name = name.split('@')[0];
  if (/[_.]/.test(name)) name = `${name.replace(/[_.]/g, '-')}-${randomString(env, 5)}`;
  return name;
}

export const deploymentGenerator: GeneratorSpec = {
  name: 'deployment',
  aliases: ['deploy'],
  usage: 'NAME --image=image -- [COMMAND] [args...]',
  description: 'Create a deployment with the specified name',
  flags: [
    { flags: '--image <image>', description: 'Image names to run. A deployment can have multiple images set for multi-container pod.', repeatable: true, required: true },
    { flags: '--port <port>', description: 'The containerPort that this deployment exposes.', default: '-1' },
    { flags: '-r, --replicas <replicas>', description: 'Number of replicas to create. Default is 1.', default: '1' },
  ],
  generate(args, opts, env) {
    return buildDeployment(args, opts, env, sliceFlag(opts.image));
  },
};

function buildDeployment(args: string[], opts: Record<string, any>, env: GeneratorEnv, images: string[]): unknown {
  const [names, command] = splitDash(args, opts);
  requireFlag(opts.image, 'image');
  const name = oneName(names, CMD);
  if (images.length > 1 && command.length > 0) throw new GeneratorError('error: cannot specify multiple --image options and command');
  const replicas = intFlag(opts.replicas, 'replicas', 1);
  const port = intFlag(opts.port, 'port', -1);
  const labels = { app: name };
  const containers = images.map((image, i) => {
    const c: Record<string, unknown> = { name: containerNameFromImage(image, env), image };
    if (command.length > 0) c.command = command;
    if (i === 0 && port >= 0) c.ports = [{ containerPort: port }];
    c.resources = {};
    return c;
  });
  return {
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    metadata: meta(name, env, { labels }),
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: { metadata: { creationTimestamp: null, labels }, spec: { containers } },
      strategy: {},
    },
    status: {},
  };
}
