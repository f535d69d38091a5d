// root-ca-cert-publisher: every active namespace gets the cluster CA as ConfigMap kube-root-ca.crt,
// which pods' service-account volumes mount.
import type { Component } from './component.js';

const CA = `-----BEGIN CERTIFICATE-----
MIIDBTCCAe2gAwIBAgIIMiNpa2N0bC1jYTANBgkqhkiG9w0BAQsFADAVMRMwEQYD
VQQDEwprdWJlcm5ldGVzMB4XDTI2MDEwMTAwMDAwMFoXDTM2MDEwMTAwMDAwMFow
FTETMBEGA1UEAxMKa3ViZXJuZXRlczCCASIwDQYJKoZIhvcNAQEBBQADggEPADCC
AQoCggEBAMINIKCTLSIMULATEDCLUSTERCANOTAREALKEY0000000000000000000
-----END CERTIFICATE-----
`;

export const rootCaPublisher: Component = {
  name: 'root-ca-cert-publisher',
  watches: ['namespaces', 'configmaps'],
  async reconcile(c) {
    let changed = false;
    for (const ns of await c.list('namespaces')) {
      if (ns.status?.phase !== 'Active') continue;
      const name = ns.metadata!.name!;
      if (await c.get('configmaps', name, 'kube-root-ca.crt')) continue;
      const made = await c.write({
        verb: 'create', resource: 'configmaps', namespace: name,
        body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt', annotations: { 'kubernetes.io/description': 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.' } }, data: { 'ca.crt': CA } },
      });
      changed ||= !!made;
    }
    return changed;
  },
};
