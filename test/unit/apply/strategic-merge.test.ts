import { describe, expect, it } from 'vitest';
import {
  createThreeWayMergePatch,
  createTwoWayMergePatch,
  modifiedConfiguration,
  strategicMergePatch,
  StrategicMergeError,
  LAST_APPLIED_ANNOTATION,
} from '../../../src/client/apply/strategic-merge.js';

const POD = 'v1/Pod';
const DEPLOY = 'apps/v1/Deployment';

function pod(spec: Record<string, unknown>, metadata: Record<string, unknown> = { name: 'p' }) {
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec };
}

describe('strategicMergePatch (applying)', () => {
  const cases: { name: string; original: any; patch: any; gvk?: string; want: any }[] = [
    {
      name: 'containers merge by name, untouched containers stay',
      original: pod({ containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] }),
      patch: { spec: { containers: [{ name: 'b', image: 'z' }] } },
      want: pod({ containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'z' }] }),
    },
    {
      name: 'new container without $setElementOrder goes first, as the apiserver orders it',
      original: pod({ containers: [{ name: 'a', image: 'x' }] }),
      patch: { spec: { containers: [{ name: 'c', image: 'q' }] } },
      want: pod({ containers: [{ name: 'c', image: 'q' }, { name: 'a', image: 'x' }] }),
    },
    {
      name: 'ports merge by containerPort',
      original: pod({ containers: [{ name: 'a', ports: [{ containerPort: 80, name: 'http' }, { containerPort: 443 }] }] }),
      patch: { spec: { containers: [{ name: 'a', ports: [{ containerPort: 80, name: 'web' }] }] } },
      want: pod({ containers: [{ name: 'a', ports: [{ containerPort: 80, name: 'web' }, { containerPort: 443 }] }] }),
    },
    {
      name: 'env merges by name and $patch: delete removes one variable',
      original: pod({ containers: [{ name: 'a', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] }] }),
      patch: { spec: { containers: [{ name: 'a', env: [{ name: 'A', $patch: 'delete' }, { name: 'C', value: '3' }] }] } },
      want: pod({ containers: [{ name: 'a', env: [{ name: 'C', value: '3' }, { name: 'B', value: '2' }] }] }),
    },
    {
      name: 'tolerations have no merge strategy: replaced whole',
      original: pod({ tolerations: [{ key: 'a', operator: 'Exists' }] }),
      patch: { spec: { tolerations: [{ key: 'b', operator: 'Exists' }] } },
      want: pod({ tolerations: [{ key: 'b', operator: 'Exists' }] }),
    },
    {
      name: 'args are replaced, not merged',
      original: pod({ containers: [{ name: 'a', args: ['--x', '--y'] }] }),
      patch: { spec: { containers: [{ name: 'a', args: ['--z'] }] } },
      want: pod({ containers: [{ name: 'a', args: ['--z'] }] }),
    },
    {
      name: 'null deletes a key; a null for a missing key is dropped',
      original: pod({ nodeName: 'n1' }, { name: 'p', labels: { a: '1', b: '2' } }),
      patch: { metadata: { labels: { a: null, zz: null } }, spec: { nodeName: null } },
      want: pod({}, { name: 'p', labels: { b: '2' } }),
    },
    {
      name: '$patch: replace on a map replaces it',
      original: pod({}, { name: 'p', labels: { a: '1', b: '2' } }),
      patch: { metadata: { labels: { $patch: 'replace', c: '3' } } },
      want: pod({}, { name: 'p', labels: { c: '3' } }),
    },
    {
      name: '$patch: delete on a map empties it',
      original: pod({ securityContext: { runAsUser: 1 } }),
      patch: { spec: { securityContext: { $patch: 'delete' } } },
      want: pod({ securityContext: {} }),
    },
    {
      name: '$patch: replace inside a merge list replaces the list',
      original: pod({ containers: [{ name: 'a' }, { name: 'b' }] }),
      patch: { spec: { containers: [{ name: 'c' }, { $patch: 'replace' }] } },
      want: pod({ containers: [{ name: 'c' }] }),
    },
    {
      name: 'finalizers (merge, primitive) are a set union',
      original: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', finalizers: ['a', 'b'] } },
      patch: { metadata: { finalizers: ['b', 'c'] } },
      want: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', finalizers: ['a', 'b', 'c'] } },
    },
    {
      name: '$deleteFromPrimitiveList removes values',
      original: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', finalizers: ['a', 'b', 'c'] } },
      patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['b'] } },
      want: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', finalizers: ['a', 'c'] } },
    },
    {
      // s stood before b on the server, so it stays in front of b (the apiserver's interleaving)
      name: '$setElementOrder reorders and keeps server-only items in place',
      original: pod({ containers: [{ name: 'a' }, { name: 's' }, { name: 'b' }] }),
      patch: { spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }] } },
      want: pod({ containers: [{ name: 's' }, { name: 'b' }, { name: 'a' }] }),
    },
    {
      name: '$retainKeys clears keys not listed (deployment strategy)',
      original: { apiVersion: 'apps/v1', kind: 'Deployment', spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } },
      patch: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
      gvk: DEPLOY,
      want: { apiVersion: 'apps/v1', kind: 'Deployment', spec: { strategy: { type: 'Recreate' } } },
    },
    {
      name: 'unknown kinds merge maps and replace lists (JSON-merge-like)',
      original: { apiVersion: 'example.com/v1', kind: 'Widget', spec: { items: [1, 2], a: { b: 1 } } },
      patch: { spec: { items: [3], a: { c: 2 } } },
      gvk: 'example.com/v1/Widget',
      want: { apiVersion: 'example.com/v1', kind: 'Widget', spec: { items: [3], a: { b: 1, c: 2 } } },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const before = JSON.stringify(c.original);
      expect(strategicMergePatch(c.original, c.patch, c.gvk ?? POD)).toEqual(c.want);
      expect(JSON.stringify(c.original)).toBe(before); // inputs untouched
    });
  }

  it('no directive or null reaches a newly added value', () => {
    const out = strategicMergePatch(pod({}), { spec: { containers: [{ name: 'a', env: [{ name: 'X', value: null }] }] }, metadata: { labels: { a: null, b: 'x' } } }, POD);
    expect(out.metadata.labels).toEqual({ b: 'x' });
    expect(out.spec.containers).toEqual([{ name: 'a', env: [{ name: 'X' }] }]);
  });

  it('rejects unknown directives and $patch: merge inside lists with the apiserver wording', () => {
    expect(() => strategicMergePatch(pod({}), { spec: { $patch: 'bogus' } }, POD)).toThrow(/unknown patch type: bogus/);
    expect(() => strategicMergePatch(pod({ containers: [{ name: 'a' }] }), { spec: { containers: [{ $patch: 'merge' }] } }, POD)).toThrow(
      'merging lists cannot yet be specified in the patch',
    );
    expect(() => strategicMergePatch(pod({ containers: [{ name: 'a' }] }), { spec: { containers: [{ image: 'x' }] } }, POD)).toThrow(StrategicMergeError);
  });
});

describe('createThreeWayMergePatch (kubectl apply)', () => {
  const base = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web', tier: 'fe' } },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } },
    },
  };

  it('removes what was in last-applied but not in the new config, and keeps replicas set by kubectl scale', () => {
    const lastApplied = base;
    const config = structuredClone(base);
    delete (config.metadata.labels as any).tier;
    const live: any = structuredClone(base);
    live.spec.replicas = 5; // kubectl scale
    live.spec.template.spec.containers[0].imagePullPolicy = 'IfNotPresent'; // defaulted
    const patch = createThreeWayMergePatch(lastApplied, config, live, DEPLOY);
    expect(patch).toEqual({ metadata: { labels: { tier: null } } });
    const result = strategicMergePatch(live, patch, DEPLOY);
    expect(result.spec.replicas).toBe(5);
    expect(result.metadata.labels).toEqual({ app: 'web' });
    expect(result.spec.template.spec.containers[0]).toEqual({ name: 'nginx', image: 'nginx:1.25', imagePullPolicy: 'IfNotPresent' });
  });

  it('a field dropped from the config that last-applied had is deleted even if live changed it', () => {
    const lastApplied: any = structuredClone(base);
    lastApplied.spec.replicas = 2;
    const live: any = structuredClone(lastApplied);
    live.spec.replicas = 5;
    const patch = createThreeWayMergePatch(lastApplied, base, live, DEPLOY);
    expect(patch).toEqual({ spec: { replicas: null } });
  });

  it('returns {} when nothing changes', () => {
    const live: any = structuredClone(base);
    live.status = { replicas: 1 };
    expect(createThreeWayMergePatch(base, base, live, DEPLOY)).toEqual({});
  });

  it('changing an image sends the container by merge key with $setElementOrder', () => {
    const config: any = structuredClone(base);
    config.spec.template.spec.containers[0].image = 'nginx:1.26';
    const patch = createThreeWayMergePatch(base, config, base, DEPLOY);
    expect(patch).toEqual({
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'nginx' }],
            containers: [{ name: 'nginx', image: 'nginx:1.26' }],
          },
        },
      },
    });
  });

  it('removing a container sends a delete directive, adding one keeps the configured order', () => {
    const withTwo: any = structuredClone(base);
    withTwo.spec.template.spec.containers.push({ name: 'sidecar', image: 'busybox' });
    const swapped: any = structuredClone(base);
    swapped.spec.template.spec.containers = [{ name: 'log', image: 'fluent' }, { name: 'nginx', image: 'nginx:1.25' }];
    const patch = createThreeWayMergePatch(withTwo, swapped, withTwo, DEPLOY);
    expect(patch.spec.template.spec['$setElementOrder/containers']).toEqual([{ name: 'log' }, { name: 'nginx' }]);
    expect(patch.spec.template.spec.containers).toContainEqual({ name: 'sidecar', $patch: 'delete' });
    const result = strategicMergePatch(withTwo, patch, DEPLOY);
    expect(result.spec.template.spec.containers).toEqual(swapped.spec.template.spec.containers);
  });

  it('reordering only sends $setElementOrder', () => {
    const two: any = pod({ containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] });
    const swapped: any = pod({ containers: [{ name: 'b', image: 'y' }, { name: 'a', image: 'x' }] });
    const patch = createThreeWayMergePatch(two, swapped, two, POD);
    expect(patch).toEqual({ spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }] } });
    expect(strategicMergePatch(two, patch, POD)).toEqual(swapped);
  });

  it('env var removed from the config is deleted by name; one added by someone else survives', () => {
    const last: any = pod({ containers: [{ name: 'a', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] }] });
    const config: any = pod({ containers: [{ name: 'a', env: [{ name: 'A', value: '1' }] }] });
    const live: any = pod({ containers: [{ name: 'a', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }, { name: 'INJECTED', value: 'x' }] }] });
    const patch = createThreeWayMergePatch(last, config, live, POD);
    const result = strategicMergePatch(live, patch, POD);
    expect(result.spec.containers[0].env).toEqual([{ name: 'A', value: '1' }, { name: 'INJECTED', value: 'x' }]);
  });

  it('tolerations (atomic) and args (replace) are sent whole', () => {
    const last: any = pod({ tolerations: [{ key: 'a', operator: 'Exists' }], containers: [{ name: 'c', args: ['-v'] }] });
    const config: any = pod({ tolerations: [{ key: 'b', operator: 'Exists' }], containers: [{ name: 'c', args: ['-v', '-q'] }] });
    const live: any = structuredClone(last);
    live.spec.tolerations.push({ key: 'node.kubernetes.io/not-ready', operator: 'Exists' });
    const patch = createThreeWayMergePatch(last, config, live, POD);
    expect(patch.spec.tolerations).toEqual([{ key: 'b', operator: 'Exists' }]);
    expect(patch.spec.containers).toEqual([{ name: 'c', args: ['-v', '-q'] }]);
    const result = strategicMergePatch(live, patch, POD);
    expect(result.spec.tolerations).toEqual([{ key: 'b', operator: 'Exists' }]);
  });

  it('volumes switch source through $retainKeys', () => {
    const last: any = pod({ volumes: [{ name: 'v', emptyDir: {} }] });
    const config: any = pod({ volumes: [{ name: 'v', configMap: { name: 'cm' } }] });
    const patch = createThreeWayMergePatch(last, config, last, POD);
    expect(patch.spec.volumes[0].$retainKeys).toEqual(['configMap', 'name']);
    expect(strategicMergePatch(last, patch, POD).spec.volumes).toEqual([{ name: 'v', configMap: { name: 'cm' } }]);
  });

  it('finalizers dropped from the config use $deleteFromPrimitiveList; others survive', () => {
    const cm = (f: string[]) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', finalizers: f } });
    const patch = createThreeWayMergePatch(cm(['x', 'y']), cm(['x']), cm(['x', 'y', 'z']), 'v1/ConfigMap');
    expect(patch).toEqual({ metadata: { '$deleteFromPrimitiveList/finalizers': ['y'], '$setElementOrder/finalizers': ['x'] } });
    expect(strategicMergePatch(cm(['x', 'y', 'z']), patch, 'v1/ConfigMap').metadata.finalizers).toEqual(['x', 'z']);
  });

  it('createTwoWayMergePatch gives null for removed keys', () => {
    expect(createTwoWayMergePatch({ metadata: { labels: { a: '1' } } }, { metadata: { labels: {} } }, POD)).toEqual({ metadata: { labels: { a: null } } });
  });
});

describe('modifiedConfiguration', () => {
  it('stores the config as sorted JSON with a trailing newline in the last-applied annotation', () => {
    const out = modifiedConfiguration({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'c' }, data: { b: '2', a: '1' } });
    expect(out.metadata.annotations[LAST_APPLIED_ANNOTATION]).toBe(
      '{"apiVersion":"v1","data":{"a":"1","b":"2"},"kind":"ConfigMap","metadata":{"name":"c"}}\n',
    );
  });
});
