// ValidateService rules with the apiserver's messages (defaulted first, as the apiserver does).
import { describe, expect, it } from 'vitest';
import { check } from '../validation/helpers.js';

const svc = (over: (s: any) => void = () => {}) => {
  const s: any = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } };
  over(s);
  return s;
};

describe('ValidateService', () => {
  it.each([
    ['duplicate (protocol, port) pairs, printed as Go prints the key', svc((s) => { s.spec.ports = [{ name: 'a', port: 80 }, { name: 'b', port: 80, targetPort: 81 }]; }),
      'spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}'],
    ['a named targetPort must be an IANA_SVC_NAME', svc((s) => { s.spec.ports = [{ port: 80, targetPort: 'HTTP_PORT' }]; }),
      'spec.ports[0].targetPort: Invalid value: "HTTP_PORT": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)'],
    ['duplicate node ports', svc((s) => { s.spec.type = 'NodePort'; s.spec.ports = [{ name: 'a', port: 80, nodePort: 30080 }, { name: 'b', port: 81, nodePort: 30080 }]; }),
      'spec.ports[1].nodePort: Duplicate value: 30080'],
    ['ClientIP affinity timeout', svc((s) => { s.spec.sessionAffinity = 'ClientIP'; s.spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 0 } }; }),
      'spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400'],
    ['externalIPs may not be loopback', svc((s) => { s.spec.externalIPs = ['127.0.0.1']; }),
      'spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)'],
    ['source ranges only on LoadBalancer (the field name has a capital L)', svc((s) => { s.spec.loadBalancerSourceRanges = ['10.0.0.0/8']; }),
      "spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'"],
    ['healthCheckNodePort only for LoadBalancer Local', svc((s) => { s.spec.healthCheckNodePort = 30999; }),
      "spec.healthCheckNodePort: Invalid value: 30999: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"],
    ['externalTrafficPolicy only for externally-accessible services', svc((s) => { s.spec.externalTrafficPolicy = 'Local'; }),
      'spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services'],
    ['allocateLoadBalancerNodePorts only on LoadBalancer', svc((s) => { s.spec.allocateLoadBalancerNodePorts = false; }),
      "spec.allocateLoadBalancerNodePorts: Forbidden: may only be used when `type` is 'LoadBalancer'"],
    ['LoadBalancer may not be headless', svc((s) => { s.spec.type = 'LoadBalancer'; s.spec.clusterIP = 'None'; }),
      "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for LoadBalancer services"],
    ['internalTrafficPolicy values', svc((s) => { s.spec.internalTrafficPolicy = 'Node'; }),
      'spec.internalTrafficPolicy: Unsupported value: "Node": supported values: "Cluster", "Local"'],
  ])('%s', (_n, obj, want) => {
    expect(check(obj)).toContain(want);
  });

  it('a ClusterIP Service with externalIPs is externally accessible: its traffic policy defaults to Cluster', () => {
    const s = svc((x) => { x.spec.externalIPs = ['192.0.2.10']; });
    expect(check(s)).toEqual([]);
    expect(s.spec.externalTrafficPolicy).toBe('Cluster');
  });

  it('ClientIP affinity gets the 3-hour default timeout; None drops a config', () => {
    const s = svc((x) => { x.spec.sessionAffinity = 'ClientIP'; });
    expect(check(s)).toEqual([]);
    expect(s.spec.sessionAffinityConfig).toEqual({ clientIP: { timeoutSeconds: 10800 } });
    const n = svc((x) => { x.spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 5 } }; });
    expect(check(n)).toEqual([]);
    expect(n.spec.sessionAffinityConfig).toBeUndefined();
  });
});
