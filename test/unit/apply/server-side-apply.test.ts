import { describe, expect, it } from 'vitest';
import { apply, conflictStatus, fromFieldsV1, toFieldsV1, updateManagedFields } from '../../../src/client/apply/server-side-apply.js';

const NOW = '2025-01-02T03:04:05Z';

function deployment(replicas?: number, image = 'nginx:1.25', extraLabels: Record<string, string> = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web', ...extraLabels } },
    spec: {
      ...(replicas === undefined ? {} : { replicas }),
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image }] } },
    },
  };
}

describe('server-side apply', () => {
  it('records the applied fields in fieldsV1 format, as the apiserver does for kubectl apply --server-side', () => {
    const { object, conflicts } = apply(undefined, deployment(2), 'kubectl', false, { now: NOW });
    expect(conflicts).toEqual([]);
    expect(object.metadata.managedFields).toEqual([
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        time: NOW,
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:replicas': {},
            'f:selector': {},
            'f:template': {
              'f:metadata': { 'f:labels': { 'f:app': {} } },
              'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
            },
          },
        },
      },
    ]);
    expect(object.spec.replicas).toBe(2);
  });

  it('an ordinary write records an Update manager that owns the labels map itself', () => {
    const created = updateManagedFields(undefined, deployment(1), 'kubectl-client-side-apply', 'Update', { now: NOW });
    const entry = created.metadata.managedFields[0];
    expect(entry).toMatchObject({ manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'apps/v1', time: NOW });
    expect(entry.fieldsV1['f:metadata']).toEqual({ 'f:labels': { '.': {}, 'f:app': {} } });
    expect(entry.fieldsV1['f:spec']['f:replicas']).toEqual({});
  });

  it('changing a field another manager owns is a conflict worded like the apiserver', () => {
    const live = updateManagedFields(undefined, deployment(1), 'kubectl-client-side-apply', 'Update', { now: NOW });
    const { object, conflicts } = apply(live, deployment(3), 'kubectl', false, { now: NOW });
    expect(conflicts).toEqual([
      { manager: '"kubectl-client-side-apply" using apps/v1', field: '.spec.replicas', message: 'conflict with "kubectl-client-side-apply" using apps/v1' },
    ]);
    expect(object).toEqual(live);
    const status = conflictStatus(conflicts);
    expect(status.message).toBe('Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
    expect(status).toMatchObject({ code: 409, reason: 'Conflict', details: { causes: [{ reason: 'FieldManagerConflict', field: '.spec.replicas' }] } });
  });

  it('several conflicts are grouped by manager, one per line', () => {
    const live = updateManagedFields(undefined, deployment(1), 'kubectl-client-side-apply', 'Update', { now: NOW });
    const { conflicts } = apply(live, deployment(3, 'nginx:1.26'), 'kubectl', false, { now: NOW });
    expect(conflictStatus(conflicts).message).toBe(
      'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n' +
        '- .spec.replicas\n' +
        '- .spec.template.spec.containers[name="nginx"].image',
    );
  });

  it('applying the same value is no conflict: both managers own it', () => {
    const live = updateManagedFields(undefined, deployment(1), 'kubectl-client-side-apply', 'Update', { now: NOW });
    const { object, conflicts } = apply(live, deployment(1), 'kubectl', false, { now: NOW });
    expect(conflicts).toEqual([]);
    const owners = object.metadata.managedFields.filter((e: any) => e.fieldsV1['f:spec']?.['f:replicas']).map((e: any) => e.manager);
    expect(owners).toEqual(['kubectl-client-side-apply', 'kubectl']);
  });

  it('--force-conflicts takes the field over', () => {
    const live = updateManagedFields(undefined, deployment(1), 'kubectl-client-side-apply', 'Update', { now: NOW });
    const { object, conflicts } = apply(live, deployment(3), 'kubectl', true, { now: NOW });
    expect(conflicts).toEqual([]);
    expect(object.spec.replicas).toBe(3);
    const old = object.metadata.managedFields.find((e: any) => e.manager === 'kubectl-client-side-apply');
    expect(old.fieldsV1['f:spec']['f:replicas']).toBeUndefined();
    expect(old.fieldsV1['f:spec']['f:selector']).toEqual({});
  });

  it('kubectl scale after apply takes replicas; re-applying replicas conflicts with the scaler', () => {
    const applied = apply(undefined, deployment(2), 'kubectl', false, { now: NOW }).object;
    const scaled = structuredClone(applied);
    scaled.spec.replicas = 5;
    const afterScale = updateManagedFields(applied, scaled, 'kubectl-scale', 'Update', { now: NOW });
    const applier = afterScale.metadata.managedFields.find((e: any) => e.manager === 'kubectl');
    expect(applier.fieldsV1['f:spec']['f:replicas']).toBeUndefined();
    expect(apply(afterScale, deployment(2), 'kubectl', false, { now: NOW }).conflicts).toEqual([
      { manager: '"kubectl-scale" using apps/v1', field: '.spec.replicas', message: 'conflict with "kubectl-scale" using apps/v1' },
    ]);
    // Leaving replicas out of the config keeps the scaled value.
    const { object, conflicts } = apply(afterScale, deployment(undefined), 'kubectl', false, { now: NOW });
    expect(conflicts).toEqual([]);
    expect(object.spec.replicas).toBe(5);
  });

  it('a field the applier set before and no longer sets is removed, unless someone else owns it', () => {
    const first = apply(undefined, deployment(2, 'nginx:1.25', { tier: 'fe' }), 'kubectl', false, { now: NOW }).object;
    const second = apply(first, deployment(2), 'kubectl', false, { now: NOW }).object;
    expect(second.metadata.labels).toEqual({ app: 'web' });

    // Another writer changes tier (so owns it) and adds team: dropping tier from the config keeps it.
    const edited = structuredClone(first);
    edited.metadata.labels = { app: 'web', tier: 'be', team: 'x' };
    const shared = updateManagedFields(first, edited, 'other', 'Update', { now: NOW });
    const third = apply(shared, deployment(2), 'kubectl', false, { now: NOW }).object;
    expect(third.metadata.labels).toEqual({ app: 'web', tier: 'be', team: 'x' });
  });

  it('containers merge by name: a container added by someone else survives an apply', () => {
    const first = apply(undefined, deployment(1), 'kubectl', false, { now: NOW }).object;
    const injected = structuredClone(first);
    injected.spec.template.spec.containers.push({ name: 'sidecar', image: 'envoy' });
    const live = updateManagedFields(first, injected, 'injector', 'Update', { now: NOW });
    const { object } = apply(live, deployment(1, 'nginx:1.26'), 'kubectl', false, { now: NOW });
    expect(object.spec.template.spec.containers).toEqual([
      { name: 'nginx', image: 'nginx:1.26' },
      { name: 'sidecar', image: 'envoy' },
    ]);
  });

  it('fieldsV1 round-trips with "." markers', () => {
    const fields = { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } }, 'f:spec': { 'f:finalizers': { 'v:"x"': {} } } };
    expect(toFieldsV1(fromFieldsV1(fields))).toEqual(fields);
  });
});
