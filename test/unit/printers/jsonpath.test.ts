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

// A wider sweep: the same object and templates through kubectl and through ours, in both
// --allow-missing-template-keys modes, comparing stdout, exit code and the first stderr line.
describe.skipIf(!hasKubectl)('jsonpath sweep against real kubectl (needs kubectl)', () => {
  const obj = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', labels: { app: 'web', 'app.kubernetes.io/name': 'x' }, annotations: { 'a/b': 'c' } },
    spec: {
      containers: [
        { name: 'a', image: 'nginx', ports: [{ containerPort: 80, name: 'http' }, { containerPort: 443 }], env: [{ name: 'X', value: '1' }] },
        { name: 'b', image: 'busybox', args: ['-c', 'sleep 1'] },
        { name: 'c', image: 'redis' },
      ],
    },
    status: {
      conditions: [{ type: 'Ready', status: 'True' }, { type: 'PodScheduled', status: 'True' }],
      containerStatuses: [{ name: 'a', restartCount: 2, ready: true }, { name: 'b', restartCount: 0, ready: false }],
      score: 2.5,
      flag: true,
      empty: [],
      nothing: null,
    },
  };
  const dir = mkdtempSync(join(tmpdir(), 'jp-sweep-'));
  const file = join(dir, 'obj.json');
  writeFileSync(file, JSON.stringify(obj));
  const data = { ...obj, metadata: { ...obj.metadata, labels: { ...obj.metadata.labels, z: 'z' } } };
  // (map wildcards over several keys are left out: Go walks maps in random order there)
  const templates = [
    '{.spec.containers[1:3].name}', '{.spec.containers[::2].name}', '{.spec.containers[-2:].name}', '{.spec.containers[0:0].name}',
    '{.spec.containers[2:1].name}', '{.spec.containers[0:3:0].name}', '{.spec.containers[*].ports[*].containerPort}',
    '{.spec.containers[*].ports[?(@.name=="http")].containerPort}',
    '{range .spec.containers[*]}{.name}:{range .ports[*]}{.containerPort},{end};{end}',
    '{.status.containerStatuses[?(@.ready==true)].name}', '{.status.containerStatuses[?(@.restartCount>0)].name}',
    '{.metadata.labels.app\\.kubernetes\\.io/name}', "{.metadata.annotations['a/b']}", '{.metadata.annotations.a/b}',
    '{.status.score}{.status.flag}{.status.empty}{.status.nothing}', '{.status.empty[*]}', '{..containerPort}',
    '{..ports[0].containerPort}', '{.spec.containers[?(@.args)].args[1]}', '{.spec.containers[0].env[0]}',
    '{.status.conditions[?(@.type!="Ready")].type}', '{"a"} {"b"}', 'name: {.metadata.name}\n', '{.spec.containers[*]["name"]}',
    "{.spec.containers[*]['name']}", '{.spec.containers[0,2].name}', '{.spec.containers[0].name,.spec.containers[1].name}',
    '{.spec.containers[3].name}', '{.metadata.name}{range .spec.containers[*]}[{.name}]{end}{.kind}',
    '{.status.conditions[?(@.status=="True")]}', '{.spec.containers[?(@.name=="zz")].image}', '{.spec.*}',
    '{.status.containerStatuses[*].ready}', '{$}', '{@}', '{.}', '{.spec.containers[0].ports[-1:].containerPort}',
    '{.spec.containers.name}', '{.kind.length}', '{range .status.conditions[*]}{@.type}{"="}{@.status}{"\\n"}{end}',
    '{.spec.containers[?(@.image=~"n")].name}',
  ];
  const cases = templates.flatMap((t) => [
    [t, true],
    [t, false],
  ]) as [string, boolean][];
  it.each(cases)('%s (allow missing keys: %s)', (tpl, allowMissingKeys) => {
    const r = spawnSync(
      'kubectl',
      ['label', '--local', '-f', file, 'z=z', `--allow-missing-template-keys=${allowMissingKeys}`, '-o', `jsonpath=${tpl}`],
      { encoding: 'utf8' },
    );
    let out = '';
    let err = '';
    try {
      out = jsonpath(tpl, data, { allowMissingKeys });
    } catch (e) {
      err = (e as Error).message;
    }
    expect(out).toBe(r.stdout);
    expect(err === '' ? 0 : 1).toBe(r.status);
    // `label` prints parse errors without kubectl get's "error: " prefix, so compare from there on
    expect(err.split('\n')[0].replace(/^error: /, '')).toBe(r.stderr.split('\n')[0].replace(/^error: /, ''));
  });
});
