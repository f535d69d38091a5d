// The validators are generated one module per kind, so a write parses only the code of the kind it
// writes. These tests hold the split to its promise: every served kind is still checked, each module
// stands alone (a bundler chunk of its own), and a module carries only what its kind reaches.
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RESOURCES, groupVersion } from '../../../src/apiserver/resources.js';
import { hasSchema, validateSchema } from '../../../src/apiserver/validation/schema.js';
import { loaders } from '../../../src/apiserver/validation/generated/kinds/index.js';

const kindsDir = fileURLToPath(new URL('../../../src/apiserver/validation/generated/kinds/', import.meta.url));
const moduleText = (name: string) => readFileSync(kindsDir + name, 'utf8');

describe('one validator module per kind', () => {
  it('every served kind refuses an unknown field (none is left unvalidated)', async () => {
    for (const ri of RESOURCES) {
      const gv = groupVersion(ri);
      expect(await hasSchema(gv, ri.kind), `${gv} ${ri.kind}`).toBe(true);
      const errs = await validateSchema(gv, ri.kind, { apiVersion: gv, kind: ri.kind, metadata: { name: 'x' }, bogus: 1 });
      expect(errs.map((e) => e.message), `${gv} ${ri.kind}`).toEqual(['unknown field "bogus"']);
    }
    expect(Object.keys(loaders).length).toBe(RESOURCES.length);
  });

  it('each module is self-contained: no imports, so it loads as one chunk and nothing else', () => {
    const files = readdirSync(kindsDir).filter((f) => f.endsWith('.js') && f !== 'index.js');
    expect(files.length).toBe(RESOURCES.length);
    for (const f of files) {
      const text = moduleText(f);
      expect(text, f).not.toMatch(/\bimport\b|\brequire\(/);
      expect(text, f).toMatch(/export const validate = validate\d+;/);
    }
  });

  it('a kind carries only the definitions it reaches', () => {
    // Container fields live in PodSpec: in Pod's and Deployment's modules, not in ConfigMap's
    expect(moduleText('v1_Pod.js')).toContain('"imagePullPolicy"');
    expect(moduleText('apps_v1_Deployment.js')).toContain('"imagePullPolicy"');
    expect(moduleText('v1_ConfigMap.js')).not.toContain('"imagePullPolicy"');
    // and not Deployment's own strategy in Pod's
    expect(moduleText('v1_Pod.js')).not.toContain('"rollingUpdate"');
  });

  it('the loader map is literal import() calls, which the bundler can split', () => {
    const index = moduleText('index.js');
    for (const key of Object.keys(loaders)) {
      const file = key.replace(/[^A-Za-z0-9]/g, '_');
      expect(index).toContain(`${JSON.stringify(key)}: () => import('./${file}.js'),`);
    }
  });

  it('a kind without a schema is not checked and loads nothing', async () => {
    expect(await hasSchema('example.com/v1', 'Widget')).toBe(false);
    expect(await validateSchema('example.com/v1', 'Widget', { bogus: 1 })).toEqual([]);
  });
});
