import { describe, expect, it } from 'vitest';
import { applyJsonPatch, jsonPatchFailureStatus, JsonPatchError, parseJsonPatch } from '../../../src/client/apply/json-patch.js';
import { createJsonMergePatch, jsonMergePatch } from '../../../src/client/apply/json-merge.js';

const doc = { metadata: { name: 'web', labels: { 'app.kubernetes.io/name': 'web' } }, spec: { replicas: 1, ports: [{ port: 80 }] } };

describe('applyJsonPatch (RFC 6902)', () => {
  it('add / replace / remove / move / copy / test', () => {
    const out = applyJsonPatch(doc, [
      { op: 'add', path: '/spec/ports/-', value: { port: 443 } },
      { op: 'add', path: '/spec/ports/0', value: { port: 8080 } },
      { op: 'replace', path: '/spec/replicas', value: 3 },
      { op: 'test', path: '/spec/replicas', value: 3 },
      { op: 'copy', from: '/metadata/name', path: '/spec/serviceName' },
      { op: 'move', from: '/spec/serviceName', path: '/metadata/generateName' },
      { op: 'remove', path: '/spec/ports/1' },
    ]);
    expect(out).toEqual({
      metadata: { name: 'web', generateName: 'web', labels: { 'app.kubernetes.io/name': 'web' } },
      spec: { replicas: 3, ports: [{ port: 8080 }, { port: 443 }] },
    });
    expect(doc.spec.replicas).toBe(1); // input untouched
  });

  it('unescapes ~1 and ~0 in pointers', () => {
    const out = applyJsonPatch(doc, [{ op: 'replace', path: '/metadata/labels/app.kubernetes.io~1name', value: 'api' }, { op: 'add', path: '/metadata/labels/a~0b', value: 'x' }]);
    expect(out.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'api', 'a~b': 'x' });
  });

  const failures: [string, any, string][] = [
    ['replace of a missing key', { op: 'replace', path: '/spec/foo', value: 1 }, 'replace operation does not apply: doc is missing key: /spec/foo: missing value'],
    ['replace under a missing parent', { op: 'replace', path: '/status/x', value: 1 }, 'replace operation does not apply: doc is missing path: /status/x: missing value'],
    ['add under a missing parent', { op: 'add', path: '/spec/volumes/-', value: {} }, 'add operation does not apply: doc is missing path: "/spec/volumes/-": missing value'],
    ['remove of a missing key', { op: 'remove', path: '/spec/foo' }, "error in remove for path: '/spec/foo': unable to remove nonexistent key: foo: missing value"],
    ['index out of range', { op: 'remove', path: '/spec/ports/5' }, "error in remove for path: '/spec/ports/5': Unable to access invalid index: 5: invalid index referenced"],
    ['failed test', { op: 'test', path: '/spec/replicas', value: 2 }, 'testing value /spec/replicas failed: test failed'],
    ['unknown op', { op: 'frobnicate', path: '/spec' }, 'Unexpected kind: frobnicate'],
  ];
  for (const [name, op, message] of failures) {
    it(`fails like the apiserver's json-patch: ${name}`, () => {
      expect(() => applyJsonPatch(doc, [op])).toThrow(message);
    });
  }

  it('a failed operation becomes the apiserver 422 the CLI prints as "The request is invalid"', () => {
    let err: unknown;
    try {
      applyJsonPatch(doc, [{ op: 'replace', path: '/spec/foo', value: 1 }]);
    } catch (e) {
      err = e;
    }
    const status = jsonPatchFailureStatus(err as JsonPatchError);
    expect(status).toMatchObject({ code: 422, reason: 'Invalid', message: 'the server rejected our request due to an error in our request' });
  });

  it('a patch that is not a list is a 400', () => {
    expect(() => parseJsonPatch('{"op":"add"}')).toThrow('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  });
});

describe('JSON merge patch (RFC 7386)', () => {
  it('merges maps, replaces lists, deletes nulls', () => {
    expect(jsonMergePatch({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3], e: null }, d: null, f: { g: null, h: 1 } })).toEqual({ a: { b: 1, c: [3] }, f: { h: 1 } });
  });
  it('a non-object patch replaces the document (RFC 7386 §2)', () => {
    expect(jsonMergePatch({ a: 1 }, [1])).toEqual([1]);
  });
  it('createJsonMergePatch emits only differences', () => {
    expect(createJsonMergePatch({ a: 1, b: { c: 1, d: 2 }, l: [1] }, { a: 1, b: { c: 2 }, l: [1], n: 'x' })).toEqual({ b: { c: 2, d: null }, n: 'x' });
    expect(createJsonMergePatch({ a: 1 }, { a: 1 })).toEqual({});
  });
});
