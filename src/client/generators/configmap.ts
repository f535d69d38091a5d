import { contentHash } from './hash.js';
import { collectSources, isUtf8, sortedRecord } from './sources.js';
import { type GeneratorSpec, boolFlag, meta, oneName } from './types.js';

const CMD = 'create configmap';

export const configMapGenerator: GeneratorSpec = {
  name: 'configmap',
  aliases: ['cm'],
  usage: 'NAME [--from-file=[key=]source] [--from-literal=key1=value1]',
  description: 'Create a config map from a local file, directory or literal value',
  flags: [
    { flags: '--from-file <[key=]source>', description: 'Key file can be specified using its file path, in which case file basename will be used as configmap key, or optionally with a key and file path, in which case the given key will be used.  Specifying a directory will iterate each named file in the directory whose basename is a valid configmap key.', repeatable: true },
    { flags: '--from-literal <key=value>', description: 'Specify a key and literal value to insert in configmap (i.e. mykey=somevalue)', repeatable: true },
    { flags: '--from-env-file <file>', description: 'Specify the path to a file to read lines of key=val pairs to create a configmap.', repeatable: true },
    { flags: '--append-hash [bool]', description: 'Append a hash of the configmap to its name.', default: false },
  ],
  generate(args, opts, env) {
    let name = oneName(args, CMD);
    const entries = collectSources('ConfigMap', name, opts, env);
    // Text goes to data, anything that is not UTF-8 to binaryData (base64 in JSON).
    const text = entries.filter((e) => isUtf8(e.value)).map((e) => [e.key, e.value.toString('utf8')] as [string, string]);
    const bin = entries.filter((e) => !isUtf8(e.value)).map((e) => [e.key, e.value.toString('base64')] as [string, string]);
    const data = text.length > 0 ? sortedRecord(text) : undefined;
    const binaryData = bin.length > 0 ? sortedRecord(bin) : undefined;
    if (boolFlag(opts.appendHash, 'append-hash', CMD)) {
      const h: Record<string, unknown> = {};
      if (binaryData) h.binaryData = binaryData;
      h.data = data ?? null;
      h.kind = 'ConfigMap';
      h.name = name;
      name = `${name}-${contentHash(h)}`;
    }
    const cm: Record<string, unknown> = { kind: 'ConfigMap', apiVersion: 'v1', metadata: meta(name, env) };
    if (data) cm.data = data;
    if (binaryData) cm.binaryData = binaryData;
    return cm;
  },
};
