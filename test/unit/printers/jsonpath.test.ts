import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsonpath, jsonpathAsJson, JsonPathParseError, JsonPathExecError, relaxedJsonPath } from '../../../src/printers/jsonpath.js';

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', labels: { app: 'web', tier: 'fe' }, annotations: { note: '<b>&c' } },
  spec: {
    containers: [
      { name: 'a', image: 'nginx', ports: [{ containerPort: 80 }] },
      { name: 'b', image: 'busybox' },
    ],
  },
  status: { conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'False' }], score: 1.5 },
};
const allow = { allowMissingKeys: true };
const strict = { allowMissingKeys: false };

describe('jsonpath output', () => {
  it.each([
    ['{.metadata.name}', 'web'],
    ['{.spec.containers[*].name}', 'a b'],
    ['{.spec.containers[*].name} {.metadata.labels}{"\\n"}', 'a b {"app":"web","tier":"fe"}\n'],
    ['{range .spec.containers[*]}{.name}{"\\t"}{.image}{"\\n"}{end}', 'a\tnginx\nb\tbusybox\n'],
    ['{.status.conditions[?(@.type=="Ready")].status}', 'False'],
    ["{.spec.containers[?(@.name=='a')].image}", 'nginx'],
    ['{.spec.containers[?(@.name!="b")].image}', 'nginx'],
    ['{.spec.containers[?(@.ports)].name}', 'a'],
    ['{.spec.containers[?(@.ports[0].containerPort==80)].name}', 'a'],
    ['{.spec.containers[?(@.name>"a")].name}', 'b'],
    ['{..image}', 'nginx busybox'],
    ['{$.kind}|{.spec.containers[-1:].name}|{.spec.containers[0:1].name}', 'Pod|b|a'],
    ['{.spec.containers[-1].name}{.spec.containers[:1].name}{.spec.containers[1:].name}', 'bab'],
    ['{.spec.containers[0]}', '{"image":"nginx","name":"a","ports":[{"containerPort":80}]}'],
    ['{.metadata.annotations}', '{"note":"\\u003cb\\u003e\\u0026c"}'],
    ['{.metadata.labels.*}', 'web fe'],
    ["{.metadata.labels['app']}", 'web'],
    ['{.spec.foo}', ''],
    ['.metadata.name', '.metadata.name'],
    ['{true}{1.5}{"x"}{@.kind}', 'true1.5xPod'],
    ['{ .metadata.name }', 'web'],
    ['{range .spec.containers[*]}{.name}', 'ab'],
    ['{range .nothing[*]}{.name}{end}after', 'after'],
    ['{.spec.containers[*]..containerPort}', '80'],
    ['{.status.score}', '1.5'],
    ['{.spec.containers[0,1].name}', 'a b'],
  ])('%s', (tpl, want) => {
    expect(jsonpath(tpl, pod, allow)).toBe(want);
  });

  it('prints null for a null field', () => {
    expect(jsonpath('[{.metadata.creationTimestamp}]', { metadata: { creationTimestamp: null } }, allow)).toBe('[null]');
  });

  it('jsonpath-as-json prints one indented array per block', () => {
    expect(jsonpathAsJson('{.spec.containers[*].name}', pod, allow)).toBe('[\n    "a",\n    "b"\n]\n');
    expect(jsonpathAsJson('{.metadata.name}{.kind}', pod, allow)).toBe('[\n    "web"\n]\n[\n    "Pod"\n]\n');
    expect(jsonpathAsJson('{.nothing}', pod, allow)).toBe('[]\n');
    expect(jsonpathAsJson('{.spec.containers[0].ports}', pod, allow)).toBe(
      '[\n    [\n        {\n            "containerPort": 80\n        }\n    ]\n]\n',
    );
  });
});

describe('jsonpath errors', () => {
  it.each([
    ['{.x, ', "error parsing jsonpath {.x, , unrecognized character in action: U+002C ','"],
    ['{.metadata.name', 'error parsing jsonpath {.metadata.name, unclosed action'],
    ['{.spec.containers[x].name}', 'error parsing jsonpath {.spec.containers[x].name}, invalid array index x'],
    ['{.a[?(@.name=~"a")]}', "error parsing jsonpath {.a[?(@.name=~\"a\")]}, unrecognized character in action: U+007E '~'"],
    ['{"\\x"}', 'error parsing jsonpath {"\\x"}, unquote string "\\x" error invalid syntax'],
    ['{.a["name","image"]}', 'error parsing jsonpath {.a["name","image"]}, invalid array index "name"'],
  ])('parse error for %s', (tpl, msg) => {
    expect(() => jsonpath(tpl, pod, allow)).toThrow(JsonPathParseError);
    expect(() => jsonpath(tpl, pod, allow)).toThrow(`error: ${msg}`);
  });

  const reasonOf = (tpl: string, opts = allow): string => {
    try {
      jsonpath(tpl, pod, opts);
    } catch (e) {
      if (e instanceof JsonPathExecError) return e.reason;
      throw e;
    }
    return 'no error';
  };

  it.each([
    ['{.spec.containers[5].name}', 'array index out of bounds: index 5, length 2'],
    ['{.spec.containers[0:5:2].name}', 'array index out of bounds: index 4, length 2'],
    ['{.kind}{end}', 'not in range, nothing to end'],
    ['{.spec.containers[0]x}', 'unrecognized identifier x'],
    ['{.metadata.labels[*]}', 'map[string]interface {} is not array or slice'],
    ['{.spec.containers[?(@.ports[0].containerPort==80.0)].name}', 'incompatible types for comparison'],
    ['{.spec.containers[?(@.name==1)].name}', 'incompatible types for comparison'],
  ])('execution error for %s', (tpl, reason) => {
    expect(reasonOf(tpl)).toBe(reason);
  });

  it('missing keys are errors only without --allow-missing-template-keys', () => {
    expect(reasonOf('{.spec.foo}', strict)).toBe('foo is not found');
    expect(reasonOf('{.spec.containers[*].x}', strict)).toBe('x is not found');
    expect(reasonOf('{.spec.containers[*].ports}', strict)).toBe('no error');
  });

  it('formats the full kubectl message with the Go dump of the object', () => {
    expect(() => jsonpath('{.spec.foo}', { kind: 'Pod', spec: { n: 3, l: [true, null] } }, strict)).toThrow(
      'error: error executing jsonpath "{.spec.foo}": Error executing template: foo is not found. Printing more information for debugging the template:\n' +
        '\ttemplate was:\n\t\t{.spec.foo}\n\tobject given to jsonpath engine was:\n' +
        '\t\tmap[string]interface {}{"kind":"Pod", "spec":map[string]interface {}{"l":[]interface {}{true, interface {}(nil)}, "n":3}}\n\n\n',
    );
  });
});

describe('relaxedJsonPath', () => {
  it.each([
    ['.metadata.name', '{.metadata.name}'],
    ['metadata.name', '{.metadata.name}'],
    ['{.metadata.name}', '{.metadata.name}'],
    ['{metadata.name}', '{.metadata.name}'],
  ])('%s', (a, b) => expect(relaxedJsonPath(a)).toBe(b));
});

const hasKubectl = spawnSync('kubectl', ['version', '--client']).status === 0;
describe.skipIf(!hasKubectl)('jsonpath matches real kubectl (needs kubectl)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jp-'));
  const file = join(dir, 'pod.json');
  // `kubectl label --local` prints any object through the real jsonpath printer without a cluster;
  // it adds the label, so the expected object carries it too.
  writeFileSync(file, JSON.stringify(pod));
  const labelled = { ...pod, metadata: { ...pod.metadata, labels: { ...pod.metadata.labels, z: 'z' } } };
  const templates = [
    '{.metadata.labels}',
    '{range .status.conditions[*]}{.type}={.status}{"\\n"}{end}',
    // (not `{..name}`: Go walks map keys in random order there, so kubectl itself varies)
    '{..image}',
    '{.spec.containers[*].ports}',
    '{.status.conditions[?(@.status=="True")].type} {.spec.containers[1:2].image}',
    '{.metadata.annotations}',
  ];
  it.each(templates)('%s', (tpl) => {
    const r = spawnSync('kubectl', ['label', '--local', '-f', file, 'z=z', '-o', `jsonpath=${tpl}`], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(jsonpath(tpl, labelled, allow)).toBe(r.stdout);
  });
  it('jsonpath-as-json', () => {
    const tpl = '{.spec.containers[*].name}{.status}';
    const r = spawnSync('kubectl', ['label', '--local', '-f', file, 'z=z', '-o', `jsonpath-as-json=${tpl}`], { encoding: 'utf8' });
    expect(jsonpathAsJson(tpl, labelled, allow)).toBe(r.stdout);
  });
  it('execution error text', () => {
    const tpl = '{.spec.nope}';
    const r = spawnSync('kubectl', ['label', '--local', '-f', file, 'z=z', '--allow-missing-template-keys=false', '-o', `jsonpath=${tpl}`], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    let msg = '';
    try {
      jsonpath(tpl, labelled, strict);
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toBe(r.stderr);
  });
});
