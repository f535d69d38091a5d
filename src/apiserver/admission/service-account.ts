// ServiceAccount admission: a pod runs as its namespace's "default" ServiceAccount unless it names
// one, the account must exist, and its API token is mounted as a projected volume.
import type { AdmissionContext } from './index.js';
import type { KObject } from '../types.js';
import { forbidden } from '../errors.js';

export function serviceAccountAdmission(ctx: AdmissionContext, pod: KObject): void {
  // A kubelet's mirror of a static pod runs with no ServiceAccount: the plugin leaves it alone.
  if (pod.metadata?.annotations?.['kubernetes.io/config.mirror'] !== undefined) return;
  const spec = (pod.spec ??= {});
  const name = spec.serviceAccountName || spec.serviceAccount || 'default';
  spec.serviceAccountName = name;
  spec.serviceAccount = name;
  const ns = pod.metadata!.namespace!;
  if (!ctx.store.get('serviceaccounts', ns, name)) {
    throw forbidden(
      `pods "${pod.metadata?.name ?? ''}" is forbidden: error looking up service account ${ns}/${name}: serviceaccount "${name}" not found`,
      ctx.resource,
      pod.metadata?.name,
    );
  }
  if (spec.automountServiceAccountToken === false) return;
  const volName = `kube-api-access-${ctx.rng.string(5)}`;
  spec.volumes = [
    ...(spec.volumes ?? []),
    {
      name: volName,
      projected: {
        defaultMode: 420,
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          {
            downwardAPI: {
              items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
            },
          },
        ],
      },
    },
  ];
  const mount = { name: volName, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' };
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    if ((c.volumeMounts ?? []).some((m: any) => m.mountPath === mount.mountPath)) continue;
    c.volumeMounts = [...(c.volumeMounts ?? []), { ...mount }];
  }
}
