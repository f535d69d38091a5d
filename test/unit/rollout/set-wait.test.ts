// The pure parts of set image/env/resources, wait --for and the Go flag parsers.
import { describe, expect, it } from 'vitest';
import { setImages, parseEnv, setEnv, listEnv, parseResourceList, setResources, containerMatches } from '../../../src/client/set/mutate.js';
import { asTyped, podSpecOf, noPodSpecError } from '../../../src/client/set/podspec.js';
import { parseCondition, checkObject } from '../../../src/client/rollout/wait-condition.js';
import { parseDuration, parseGoDuration, parseGoInt } from '../../../src/client/rollout/flags.js';

const deploy = () => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
  spec: { template: { spec: { initContainers: [{ name: 'init', image: 'busybox' }], containers: [{ name: 'nginx', image: 'nginx', env: [{ name: 'A', value: '1' }] }, { name: 'side', image: 'envoy' }] } } },
});

describe('set image', () => {
  it('sets by name, "*" sets every container, unknown names are errors', () => {
    const d = deploy();
    expect(setImages(d, { nginx: 'nginx:1.26', nope: 'x' })).toEqual(['error: unable to find container named "nope"']);
    expect(d.spec.template.spec.containers.map((c) => c.image)).toEqual(['nginx:1.26', 'envoy']);
    setImages(d, { '*': 'all' });
    expect([...d.spec.template.spec.initContainers, ...d.spec.template.spec.containers].map((c) => c.image)).toEqual(['all', 'all', 'all']);
    expect(setImages({ apiVersion: 'v1', kind: 'Service', metadata: {} }, { a: 'b' })).toBeUndefined();
    expect(noPodSpecError({ apiVersion: 'v1', kind: 'Service' })).toBe('the object is not a pod or does not have a pod template: *v1.Service');
    expect(podSpecOf({ kind: 'CronJob', spec: { jobTemplate: { spec: { template: { spec: { containers: [] } } } } } })).toEqual({ containers: [] });
  });
});

describe('set env', () => {
  it('parses KEY=VALUE and KEY-, and refuses what kubectl refuses', () => {
    expect(parseEnv(['A=1', 'B=x=y', 'C-'])).toEqual({ set: [{ name: 'A', value: '1' }, { name: 'B', value: 'x=y' }], remove: ['C'] });
    expect(() => parseEnv(['A=1', 'A-'])).toThrow('can not both modify and remove an environment variable in the same command');
    expect(() => parseEnv(['1A=x'])).toThrow('"1A" is not a valid key name');
    expect(() => parseEnv(['junk'])).toThrow('unknown environment variable: junk');
  });

  it('replaces in place, appends, removes, and warns when -c matches nothing', () => {
    const d = deploy();
    expect(setEnv(d, { set: [{ name: 'B', value: '2' }, { name: 'A', value: 'one' }], remove: [] }, 'ngi*')).toEqual({});
    expect(d.spec.template.spec.containers[0].env).toEqual([{ name: 'A', value: 'one' }, { name: 'B', value: '2' }]);
    setEnv(d, { set: [], remove: ['A', 'B'] }, 'nginx');
    expect('env' in d.spec.template.spec.containers[0]).toBe(false);
    expect(setEnv(d, { set: [{ name: 'X', value: '1' }], remove: [] }, 'nope')).toEqual({ warning: 'Warning: Deployment/web does not have any containers matching "nope"\n' });
    expect(containerMatches('s?de', 'side')).toBe(true);
  });

  it('lists env as kubectl does, references included', () => {
    const d: any = deploy();
    d.spec.template.spec.containers[0].env.push({ name: 'S', valueFrom: { secretKeyRef: { name: 'sec', key: 'k' } } }, { name: 'P', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } });
    expect(listEnv(d, 'nginx')).toBe('# Deployment web, container nginx\nA=1\n# S from secret sec, key k\n# P from field path metadata.name\n');
  });
});

describe('set resources', () => {
  it('parses and canonicalises quantities, and merges into the selected containers', () => {
    expect(parseResourceList('cpu=0.5,memory=1024Mi')).toEqual({ cpu: '500m', memory: '1Gi' });
    expect(() => parseResourceList('cpu')).toThrow('Invalid argument syntax cpu, expected <resource>=<value>');
    expect(() => parseResourceList('cpu=abc')).toThrow("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    const d: any = deploy();
    d.spec.template.spec.containers[0].resources = { limits: { memory: '1Gi' } };
    expect(setResources(d, { cpu: '200m' }, {}, 'nginx')).toEqual([]);
    expect(d.spec.template.spec.containers[0].resources).toEqual({ limits: { memory: '1Gi', cpu: '200m' } });
    expect(setResources(d, { cpu: '1' }, {}, 'nope')).toEqual(['error: unable to find container named nope']);
  });
});

describe('typed form of a manifest (what --local prints)', () => {
  it('adds the fields Go structs always encode', () => {
    const t: any = asTyped({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { template: { spec: { containers: [{ name: 'c' }] } } } });
    expect(t.metadata.creationTimestamp).toBeNull();
    expect(t.spec.strategy).toEqual({});
    expect(t.spec.template.metadata).toEqual({ creationTimestamp: null });
    expect(t.spec.template.spec.containers[0].resources).toEqual({});
    expect(t.status).toEqual({});
    expect((asTyped({ kind: 'StatefulSet', spec: {} }) as any).status).toEqual({ replicas: 0, availableReplicas: 0 });
  });
});

describe('wait --for', () => {
  it('parses the four forms and rejects others with kubectl\'s errors', () => {
    expect(parseCondition('Delete')).toEqual({ type: 'delete' });
    expect(parseCondition('create')).toEqual({ type: 'create' });
    expect(parseCondition('condition=Available')).toEqual({ type: 'condition', name: 'Available', value: 'true' });
    expect(parseCondition('condition=Ready=false')).toEqual({ type: 'condition', name: 'Ready', value: 'false' });
    expect(parseCondition("jsonpath={.status.phase}=Running")).toEqual({ type: 'jsonpath', path: '{.status.phase}', value: 'Running' });
    expect(parseCondition('jsonpath={.status.conditions[?(@.type=="Ready")].status}=True')).toEqual({ type: 'jsonpath', path: '{.status.conditions[?(@.type=="Ready")].status}', value: 'True' });
    expect(() => parseCondition('foo')).toThrow('error: unrecognized condition: "foo"');
    expect(() => parseCondition('jsonpath=')).toThrow('error: jsonpath expression cannot be empty');
    expect(() => parseCondition('jsonpath={.a}=')).toThrow('jsonpath wait has to have a value after equal sign');
  });

  it('checks conditions case-insensitively, ignoring stale generations', () => {
    const d = (status: any, generation = 1) => ({ metadata: { generation }, status });
    const available = parseCondition('condition=available');
    expect(checkObject(available, d({ observedGeneration: 1, conditions: [{ type: 'Available', status: 'True' }] }))).toBe(true);
    expect(checkObject(available, d({ observedGeneration: 1, conditions: [{ type: 'Available', status: 'False' }] }))).toBe(false);
    expect(checkObject(available, d({ observedGeneration: 1, conditions: [{ type: 'Available', status: 'True' }] }, 2))).toBe(false);
    const phase = parseCondition('jsonpath={.status.phase}=Running');
    expect(checkObject(phase, d({ phase: 'Running' }))).toBe(true);
    expect(checkObject(phase, d({ phase: 'Pending' }))).toBe(false);
    expect(checkObject(parseCondition('jsonpath={.status.replicas}=2'), d({ replicas: 2 }))).toBe(true);
    expect(checkObject(parseCondition('jsonpath={.status}'), d({}))).toBe(true);
    expect(() => checkObject(parseCondition('jsonpath={.status}=x'), d({ a: 1 }))).toThrow('jsonpath leads to a nested object or list which is not supported');
  });
});

describe('Go flag values', () => {
  it('parses durations and integers like Go, with pflag\'s errors', () => {
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration('0')).toBe(0);
    expect(parseDuration('-1s')).toBe(-1000);
    expect(parseDuration('10')).toBeUndefined();
    expect(() => parseGoDuration('10', '--timeout', 'wait')).toThrow('Error: invalid argument "10" for "--timeout" flag: time: missing unit in duration "10"');
    expect(() => parseGoInt('x', '--replicas', 'scale')).toThrow('Error: invalid argument "x" for "--replicas" flag: strconv.ParseInt: parsing "x": invalid syntax');
    expect(parseGoInt('-1', '--replicas', 'scale')).toBe(-1);
  });
});
