// LimitRanger: defaults from LimitRanges and the min/max/ratio refusals, worded as the plugin words them.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { create, ctxFor, limitRange, newStore, pod, refusal } from './helpers.js';
import { limitRangerMutate, limitRangerValidate } from '../../../src/apiserver/admission/limit-ranger.js';

const EXAMPLES = '/work/shared/corpus/k8s-website-examples/admin/resource/';
const example = (f: string) => yaml.load(readFileSync(EXAMPLES + f, 'utf8')) as any;

describe.skipIf(!existsSync(EXAMPLES))('LimitRanger on the docs examples (needs the shared corpus)', () => {
  it('memory-defaults: a pod without resources gets the default request and limit', () => {
    const store = newStore();
    create(store, example('memory-defaults.yaml'));
    const p = create(store, example('memory-defaults-pod.yaml'));
    expect(p.spec.containers[0].resources).toEqual({ limits: { memory: '512Mi' }, requests: { memory: '256Mi' } });
    expect(p.metadata!.annotations!['kubernetes.io/limit-ranger']).toBe(
      'LimitRanger plugin set: memory request for container default-mem-demo-ctr; memory limit for container default-mem-demo-ctr',
    );
  });

  it('cpu-constraints: a limit above max is refused', () => {
    const store = newStore();
    create(store, example('cpu-constraints.yaml'));
    expect(refusal(() => create(store, example('cpu-constraints-pod-2.yaml')))).toBe(
      'pods "constraints-cpu-demo-2" is forbidden: maximum cpu usage per Container is 800m, but limit is 1500m',
    );
    expect(store.get('pods', 'default', 'constraints-cpu-demo-2')).toBeUndefined();
  });
});

describe('LimitRanger defaults', () => {
  it('sets cpu and memory request and limit and says so in one annotation', () => {
    const store = newStore();
    create(store, limitRange('lr', [{ type: 'Container', default: { cpu: '1', memory: '512Mi' }, defaultRequest: { cpu: '0.5', memory: '256Mi' } }]));
    const p = create(store, pod('web', [{ name: 'nginx' }]));
    expect(p.spec.containers[0].resources).toEqual({ limits: { cpu: '1', memory: '512Mi' }, requests: { cpu: '500m', memory: '256Mi' } });
    expect(p.metadata!.annotations!['kubernetes.io/limit-ranger']).toBe(
      'LimitRanger plugin set: cpu, memory request for container nginx; cpu, memory limit for container nginx',
    );
  });

  it('keeps what the container sets and names only what it filled, init containers included', () => {
    const store = newStore();
    create(store, limitRange('lr', [{ type: 'Container', default: { cpu: '1', memory: '512Mi' }, defaultRequest: { cpu: '100m', memory: '256Mi' } }]));
    const p = create(
      store,
      pod('web', [{ name: 'app', limits: { memory: '1Gi' } }], { initContainers: [{ name: 'init', image: 'busybox' }] }),
    );
    // The request came from the limit (pod defaulting), before LimitRanger saw the pod.
    expect(p.spec.containers[0].resources).toEqual({ limits: { memory: '1Gi', cpu: '1' }, requests: { memory: '1Gi', cpu: '100m' } });
    expect(p.metadata!.annotations!['kubernetes.io/limit-ranger']).toBe(
      'LimitRanger plugin set: cpu request for container app; cpu limit for container app; ' +
        'cpu, memory request for init container init; cpu, memory limit for init container init',
    );
  });

  it('defaults from max and min when the range gives no defaults', () => {
    const store = newStore();
    create(store, limitRange('lr', [{ type: 'Container', max: { cpu: '800m' }, min: { cpu: '200m' } }]));
    const p = create(store, pod('web', [{ name: 'c' }]));
    expect(p.spec.containers[0].resources).toEqual({ limits: { cpu: '800m' }, requests: { cpu: '800m' } });
  });

  it('adds nothing, not even an annotation, without LimitRanges or outside their namespace', () => {
    const store = newStore(['default', 'other']);
    create(store, limitRange('lr', [{ type: 'Container', default: { cpu: '1' } }]), 'other');
    const p = create(store, pod('web', [{ name: 'c' }]));
    expect(p.spec.containers[0].resources?.limits).toBeUndefined();
    expect(p.spec.containers[0].resources?.requests).toBeUndefined();
    expect(p.metadata!.annotations).toBeUndefined();
  });

  it('only defaults pods on create', () => {
    const store = newStore();
    create(store, limitRange('lr', [{ type: 'Container', default: { cpu: '1' } }]));
    const p = pod('web', [{ name: 'c' }]);
    p.metadata!.namespace = 'default';
    limitRangerMutate(ctxFor(store, p, { operation: 'UPDATE' }), p);
    expect(p.spec.containers[0].resources).toBeUndefined();
  });
});

describe('LimitRanger bounds', () => {
  const lr = limitRange('lr', [
    { type: 'Container', max: { cpu: '800m', memory: '1Gi' }, min: { cpu: '200m', memory: '500Mi' } },
  ]);

  it('lists every violation in brackets', () => {
    const store = newStore();
    create(store, lr);
    const msg = refusal(() => create(store, pod('x', [{ name: 'c', requests: { cpu: '500m', memory: '100Mi' }, limits: { cpu: '1500m', memory: '800Mi' } }])));
    expect(msg).toBe(
      'pods "x" is forbidden: [minimum memory usage per Container is 500Mi, but request is 100Mi, maximum cpu usage per Container is 800m, but limit is 1500m]',
    );
  });

  it('refuses a request below min and a limit above max', () => {
    const store = newStore();
    create(store, limitRange('lr', [{ type: 'Container', min: { cpu: '200m' }, max: { cpu: '800m' } }]));
    expect(refusal(() => create(store, pod('low', [{ name: 'c', requests: { cpu: '100m' }, limits: { cpu: '800m' } }])))).toBe(
      'pods "low" is forbidden: minimum cpu usage per Container is 200m, but request is 100m',
    );
    expect(refusal(() => create(store, pod('ok', [{ name: 'c', requests: { cpu: '200m' }, limits: { cpu: '800m' } }])))).toBeUndefined();
  });

  it('enforces maxLimitRequestRatio with Go %f', () => {
    const store = newStore();
    create(store, limitRange('lr', [{ type: 'Container', maxLimitRequestRatio: { memory: '2' } }]));
    expect(refusal(() => create(store, pod('r', [{ name: 'c', requests: { memory: '100Mi' }, limits: { memory: '300Mi' } }])))).toBe(
      'pods "r" is forbidden: memory max limit to request ratio per Container is 2, but provided ratio is 3.000000',
    );
    expect(refusal(() => create(store, pod('r2', [{ name: 'c', requests: { memory: '100Mi' }, limits: { memory: '200Mi' } }])))).toBeUndefined();
  });

  it('checks Pod-type ranges against the sum of the containers', () => {
    const store = newStore();
    create(store, limitRange('lr', [{ type: 'Pod', max: { cpu: '1' } }]));
    const two = pod('p', [
      { name: 'a', limits: { cpu: '600m' } },
      { name: 'b', limits: { cpu: '600m' } },
    ]);
    expect(refusal(() => create(store, two))).toBe('pods "p" is forbidden: maximum cpu usage per Pod is 1, but limit is 1200m');
  });

  it('checks PersistentVolumeClaim requests', () => {
    const store = newStore();
    create(store, limitRange('lr', [{ type: 'PersistentVolumeClaim', max: { storage: '2Gi' }, min: { storage: '1Gi' } }]));
    const pvc = (name: string, storage: string) => ({
      apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } } },
    });
    expect(refusal(() => create(store, pvc('big', '5Gi')))).toBe(
      'persistentvolumeclaims "big" is forbidden: maximum storage usage per PersistentVolumeClaim is 2Gi, but request is 5Gi',
    );
    expect(refusal(() => create(store, pvc('small', '500Mi')))).toBe(
      'persistentvolumeclaims "small" is forbidden: minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi',
    );
    expect(refusal(() => create(store, pvc('fine', '1Gi')))).toBeUndefined();
  });

  it('gives a 403 Forbidden status with details', () => {
    const store = newStore();
    create(store, limitRange('lr', [{ type: 'Container', max: { cpu: '1' } }]));
    const p = pod('x', [{ name: 'c', limits: { cpu: '2' } }]);
    p.metadata!.namespace = 'default';
    try {
      limitRangerValidate(ctxFor(store, p), p);
      expect.unreachable();
    } catch (e: any) {
      expect(e.status).toMatchObject({ code: 403, reason: 'Forbidden', details: { name: 'x', kind: 'pods' } });
    }
  });
});
