import { describe, expect, it } from 'vitest';
import {
  errorBody, formatInvalid, invalidStatus, renderGoValue, statusCauses, validateObject,
} from '../../../src/apiserver/validation/semantic/index.js';
import type { FieldError } from '../../../src/apiserver/validation/semantic/index.js';
import { applyDefaults } from '../../../src/apiserver/admission/defaults/index.js';
import { deployment } from './helpers.js';

describe('Go value rendering in error bodies', () => {
  it.each([
    ['a string is %q-quoted', 'Foo', undefined, '"Foo"'],
    ['quotes and newlines are escaped', 'a"b\nc', undefined, '"a\\"b\\nc"'],
    ['a number is plain', -1, undefined, '-1'],
    ['a boolean is plain', true, undefined, 'true'],
    ['null and missing print null', null, undefined, 'null'],
    ['a string map is %#v with sorted keys', { z: '1', app: 'two' }, undefined, 'map[string]string{"app":"two", "z":"1"}'],
    ['a missing map typed as a map is nil', undefined, 'map[string]string', 'map[string]string(nil)'],
    ['a string slice', ['10.0.0.1'], undefined, '[]string{"10.0.0.1"}'],
    ['a label selector', { matchLabels: { app: 'b' } }, 'LabelSelector',
      'v1.LabelSelector{MatchLabels:map[string]string{"app":"b"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}'],
    ['a selector with expressions', { matchExpressions: [{ key: 'k', operator: 'In', values: ['a'] }] }, 'LabelSelector',
      'v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"k", Operator:"In", Values:[]string{"a"}}}}'],
  ] as const)('%s', (_n, value, goType, want) => {
    expect(renderGoValue(value, goType as any)).toBe(want);
  });
});

describe('error bodies by type', () => {
  const cases: [FieldError, string][] = [
    [{ type: 'Required', field: 'spec.x', value: '', detail: '' }, 'Required value'],
    [{ type: 'Required', field: 'spec.x', value: '', detail: 'must be set' }, 'Required value: must be set'],
    [{ type: 'Invalid', field: 'spec.x', value: 3, detail: 'too big' }, 'Invalid value: 3: too big'],
    [{ type: 'Duplicate', field: 'spec.x', value: 'a' }, 'Duplicate value: "a"'],
    [{ type: 'NotSupported', field: 'spec.x', value: 'Never', detail: 'supported values: "Always"' }, 'Unsupported value: "Never": supported values: "Always"'],
    [{ type: 'Forbidden', field: 'spec.x', value: '', detail: 'nope' }, 'Forbidden: nope'],
    [{ type: 'TooLong', field: 'data', value: 'xxx', detail: 'must have at most 1048576 bytes' }, 'Too long: must have at most 1048576 bytes'],
    [{ type: 'TooMany', field: 'spec.x', value: 3, detail: 'must have at most 2 items' }, 'Too many: 3: must have at most 2 items'],
    [{ type: 'NotFound', field: 'spec.x', value: 'data' }, 'Not found: "data"'],
  ];
  it.each(cases)('%j', (e, want) => expect(errorBody(e)).toBe(want));
});

describe('the apiserver Invalid message', () => {
  it('names the group-qualified kind and the object, as apierrors.NewInvalid does', () => {
    const d = deployment((x) => { x.metadata.name = 'x'; x.spec.template.metadata.labels = { app: 'two' }; });
    applyDefaults('Deployment', 'apps/v1', d);
    const errs = validateObject('Deployment', 'apps/v1', d);
    expect(formatInvalid('Deployment', 'x', errs)).toBe(
      'Deployment.apps "x" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"two"}: `selector` does not match template `labels`');
  });

  it('joins several errors as [a, b] and drops repeated messages', () => {
    const errs: FieldError[] = [
      { type: 'Required', field: 'spec.a', value: '' },
      { type: 'Required', field: 'spec.a', value: '' },
      { type: 'Invalid', field: 'spec.b', value: -1, detail: 'must be greater than or equal to 0' },
    ];
    expect(formatInvalid('Pod', 'p', errs)).toBe('Pod "p" is invalid: [spec.a: Required value, spec.b: Invalid value: -1: must be greater than or equal to 0]');
  });

  it('core kinds carry no group; other groups do', () => {
    const e: FieldError[] = [{ type: 'Required', field: 'spec.schedule', value: '' }];
    expect(formatInvalid('CronJob', 'c', e)).toBe('CronJob.batch "c" is invalid: spec.schedule: Required value');
    expect(formatInvalid('Service', 's', e)).toMatch(/^Service "s" is invalid: /);
    expect(formatInvalid('Role', 'r', e)).toMatch(/^Role\.rbac\.authorization\.k8s\.io "r" is invalid: /);
  });

  it('builds the Status with one cause per error', () => {
    const errs: FieldError[] = [{ type: 'NotSupported', field: 'spec.template.spec.restartPolicy', value: 'Never', detail: 'supported values: "Always"' }];
    expect(statusCauses(errs)).toEqual([{ reason: 'FieldValueNotSupported', message: 'Unsupported value: "Never": supported values: "Always"', field: 'spec.template.spec.restartPolicy' }]);
    const st = invalidStatus('Deployment', 'x', errs);
    expect(st.code).toBe(422);
    expect(st.reason).toBe('Invalid');
    expect(st.details).toMatchObject({ name: 'x', group: 'apps', kind: 'Deployment' });
  });
});
