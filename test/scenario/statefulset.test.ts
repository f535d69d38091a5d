// The docs' StatefulSet (application/web/web.yaml) through the real CLI in instant time: the
// headless Service and the StatefulSet are applied, web-0 and web-1 run, each with a claim bound
// to a volume kind's local-path provisioner made on the pod's node; scaling down keeps web-1's
// claim; rollout status reports the StatefulSet done.
import { describe, expect, it } from 'vitest';
import { freshHome, runner } from './helpers.js';

const WEB = '/work/shared/corpus/k8s-website-examples/application/web/web.yaml';

describe('statefulset web (docs application/web/web.yaml)', () => {
  const home = freshHome();
  const { raw: cli, ok } = runner(home, { MINIKCTL_TIME: 'instant' });

  it('runs web-0 and web-1 with bound claims and provisioned volumes', () => {
    expect(ok('apply', '-f', WEB)).toBe('service/nginx created\nstatefulset.apps/web created\n');
    expect(ok('rollout', 'status', 'sts/web')).toMatch(/partitioned roll out complete: 2 new pods have been updated\.\.\.\n$/);

    const pods = ok('get', 'pods', '-o', 'wide');
    expect(pods.split('\n')[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE/);
    expect(pods).toMatch(/^web-0\s+1\/1\s+Running\s+0\s/m);
    expect(pods).toMatch(/^web-1\s+1\/1\s+Running\s+0\s/m);

    const out = ok('get', 'pods,pvc,pv', '-o', 'custom-columns=KIND:.kind,NAME:.metadata.name,PHASE:.status.phase,VOLUME:.spec.volumeName,NODE:.spec.nodeName');
    const rows = out.trim().split('\n').slice(1).map((l) => l.trim().split(/\s+/));
    const pvcs = rows.filter((r) => r[0] === 'PersistentVolumeClaim');
    expect(pvcs.map((r) => [r[1], r[2]])).toEqual([['www-web-0', 'Bound'], ['www-web-1', 'Bound']]);
    const pvs = rows.filter((r) => r[0] === 'PersistentVolume');
    expect(pvs).toHaveLength(2);
    for (const r of pvs) expect(r[1]).toMatch(/^pvc-[0-9a-f-]{36}$/);
    expect(new Set(pvcs.map((r) => r[3]))).toEqual(new Set(pvs.map((r) => r[1])));

    // The table kubectl prints for the claims and volumes.
    const pvcTable = ok('get', 'pvc');
    expect(pvcTable.split('\n')[0]).toMatch(/^NAME\s+STATUS\s+VOLUME\s+CAPACITY\s+ACCESS MODES\s+STORAGECLASS\s+VOLUMEATTRIBUTESCLASS\s+AGE$/);
    expect(pvcTable).toMatch(/^www-web-0\s+Bound\s+pvc-[0-9a-f-]{36}\s+1Gi\s+RWO\s+/m);
    const pvTable = ok('get', 'pv');
    expect(pvTable).toMatch(/^pvc-[0-9a-f-]{36}\s+1Gi\s+RWO\s+Delete\s+Bound\s+default\/www-web-0\s+standard\s+<unset>\s+\d+s$/m);

    const sc = ok('get', 'storageclass');
    expect(sc).toMatch(/^standard \(default\)\s+rancher\.io\/local-path\s+Delete\s+WaitForFirstConsumer\s+false\s+/m);

    const events = ok('get', 'events', '--field-selector', 'involvedObject.kind=StatefulSet', '-o', 'custom-columns=REASON:.reason,MESSAGE:.message', '--no-headers');
    expect(events).toContain('create Claim www-web-0 Pod web-0 in StatefulSet web success');
    expect(events).toContain('create Pod web-1 in StatefulSet web successful');
  });

  it('scales down from web-1 and keeps its claim', () => {
    expect(ok('scale', 'sts/web', '--replicas=1')).toBe('statefulset.apps/web scaled\n');
    const names = ok('get', 'pods', '-o', 'name');
    expect(names).toBe('pod/web-0\n');
    expect(ok('get', 'pvc', '-o', 'name')).toBe('persistentvolumeclaim/www-web-0\npersistentvolumeclaim/www-web-1\n');
    expect(ok('get', 'sts', 'web', '-o', 'jsonpath={.status.replicas} {.status.readyReplicas}')).toBe('1 1');
  });
});
