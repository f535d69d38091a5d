import { contentHash } from './hash.js';
import { collectSources, sortedRecord } from './sources.js';
import { GeneratorError, type GeneratorEnv, type GeneratorSpec, boolFlag, meta, oneName, sliceFlag, stringFlag } from './types.js';

const APPEND_HASH = { flags: '--append-hash [bool]', description: 'Append a hash of the secret to its name.', default: false };

// Build the Secret in Go struct order (data before type) and apply --append-hash.
function secretObject(name: string, data: Record<string, string> | undefined, type: string, opts: Record<string, any>, env: GeneratorEnv, cmd: string): unknown {
  if (boolFlag(opts.appendHash, 'append-hash', cmd)) {
    name = `${name}-${contentHash({ data: data ?? null, kind: 'Secret', name, type })}`;
  }
  const s: Record<string, unknown> = { kind: 'Secret', apiVersion: 'v1', metadata: meta(name, env) };
  if (data) s.data = data;
  if (type) s.type = type;
  return s;
}

export const secretGenericGenerator: GeneratorSpec = {
  name: 'secret generic',
  aliases: [],
  usage: 'NAME [--type=string] [--from-file=[key=]source] [--from-literal=key1=value1]',
  description: 'Create a secret from a local file, directory, or literal value',
  flags: [
    { flags: '--from-file <[key=]source>', description: 'Key files can be specified using their file path, in which case a default name will be given to them, or optionally with a name and file path, in which case the given name will be used.  Specifying a directory will iterate each named file in the directory that is a valid secret key.', repeatable: true },
    { flags: '--from-literal <key=value>', description: 'Specify a key and literal value to insert in secret (i.e. mykey=somevalue)', repeatable: true },
    { flags: '--from-env-file <file>', description: 'Specify the path to a file to read lines of key=val pairs to create a secret.', repeatable: true },
    { flags: '--type <type>', description: 'The type of secret to create' },
    APPEND_HASH,
  ],
  generate(args, opts, env) {
    const cmd = 'create secret generic';
    const name = oneName(args, cmd);
    const entries = collectSources('Secret', name, opts, env);
    const data = entries.length > 0 ? sortedRecord(entries.map((e) => [e.key, e.value.toString('base64')])) : undefined;
    return secretObject(name, data, stringFlag(opts.type), opts, env, cmd);
  },
};

export const secretDockerRegistryGenerator: GeneratorSpec = {
  name: 'secret docker-registry',
  aliases: [],
  usage: 'NAME --docker-username=user --docker-password=password --docker-email=email [--docker-server=string] [--from-file=[key=]source]',
  description: 'Create a secret for use with a Docker registry',
  flags: [
    { flags: '--docker-username <user>', description: 'Username for Docker registry authentication' },
    { flags: '--docker-password <password>', description: 'Password for Docker registry authentication' },
    { flags: '--docker-email <email>', description: 'Email for Docker registry' },
    { flags: '--docker-server <server>', description: 'Server location for Docker registry', default: 'https://index.docker.io/v1/' },
    { flags: '--from-file <[key=]source>', description: 'Key files can be specified using their file path, in which case a default name of .dockerconfigjson will be given to them, or optionally with a name and file path, in which case the given name will be used. Specifying a directory will iterate each named file in the directory that is a valid secret key. For this command, the key should always be .dockerconfigjson.', repeatable: true },
    APPEND_HASH,
  ],
  generate(args, opts, env) {
    const cmd = 'create secret docker-registry';
    const name = oneName(args, cmd);
    const files = sliceFlag(opts.fromFile);
    const user = stringFlag(opts.dockerUsername);
    const password = stringFlag(opts.dockerPassword);
    const server = stringFlag(opts.dockerServer, 'https://index.docker.io/v1/');
    const email = stringFlag(opts.dockerEmail);
    if (files.length === 0 && (user === '' || password === '' || server === '')) {
      throw new GeneratorError('error: either --from-file or the combination of --docker-username, --docker-password and --docker-server is required');
    }
    let data: Record<string, string>;
    if (files.length > 0) {
      // A bare path is stored under .dockerconfigjson, as kubectl does for this command.
      const named = files.map((f) => (f.includes('=') ? f : `.dockerconfigjson=${f}`));
      const entries = collectSources('Secret', name, { fromFile: named }, env);
      data = sortedRecord(entries.map((e) => [e.key, e.value.toString('base64')]));
    } else {
      const entry: Record<string, string> = { username: user, password };
      if (email) entry.email = email;
      entry.auth = Buffer.from(`${user}:${password}`).toString('base64');
      const cfg = JSON.stringify({ auths: { [server]: entry } }).replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
      data = { '.dockerconfigjson': Buffer.from(cfg).toString('base64') };
    }
    return secretObject(name, data, 'kubernetes.io/dockerconfigjson', opts, env, cmd);
  },
};

export const secretTlsGenerator: GeneratorSpec = {
  name: 'secret tls',
  aliases: [],
  usage: 'NAME --cert=path/to/cert/file --key=path/to/key/file',
  description: 'Create a TLS secret',
  flags: [
    { flags: '--cert <path>', description: 'Path to PEM encoded public key certificate.' },
    { flags: '--key <path>', description: 'Path to private key associated with given certificate.' },
    APPEND_HASH,
  ],
  generate(args, opts, env) {
    const cmd = 'create secret tls';
    const name = oneName(args, cmd);
    const certPath = stringFlag(opts.cert);
    const keyPath = stringFlag(opts.key);
    if (certPath === '' || keyPath === '') throw new GeneratorError('error: key and cert must be specified');
    const read = (p: string): Buffer => {
      try {
        return env.readFile(p);
      } catch {
        throw new GeneratorError(`error: open ${p}: no such file or directory`);
      }
    };
    const cert = read(certPath);
    const key = read(keyPath);
    // kubectl checks the pair with tls.X509KeyPair; we can only check both are PEM.
    if (!/-----BEGIN CERTIFICATE-----/.test(cert.toString('latin1'))) throw new GeneratorError('error: tls: failed to find any PEM data in certificate input');
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key.toString('latin1'))) throw new GeneratorError('error: tls: failed to find any PEM data in key input');
    const data = { 'tls.crt': cert.toString('base64'), 'tls.key': key.toString('base64') };
    return secretObject(name, data, 'kubernetes.io/tls', opts, env, cmd);
  },
};
