// NetworkPolicy validation: the apiserver's (v1.32) messages, as kubectl shows them.
import { describe, it, expect } from 'vitest';
import { validateObject, aggregate } from '../../../src/apiserver/validation/semantic/index.js';
import { defaultNetworkPolicy } from '../../../src/apiserver/admission/defaults/other.js';

function check(spec: any): string {
  const np = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'default' }, spec };
  defaultNetworkPolicy(np);
  const errs = validateObject('NetworkPolicy', 'networking.k8s.io/v1', np);
  return errs.length ? aggregate(errs) : '';
}

describe('NetworkPolicy validation', () => {
  it('accepts the documentation\'s full example', () => {
    expect(check({
      podSelector: { matchLabels: { role: 'db' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{
        from: [
          { ipBlock: { cidr: '172.17.0.0/16', except: ['172.17.1.0/24'] } },
          { namespaceSelector: { matchLabels: { project: 'myproject' } } },
          { podSelector: { matchLabels: { role: 'frontend' } } },
        ],
        ports: [{ protocol: 'TCP', port: 6379 }],
      }],
      egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/24' } }], ports: [{ protocol: 'TCP', port: 5978 }] }],
    })).toBe('');
  });

  it('endPort rules', () => {
    expect(check({ egress: [{ ports: [{ port: 32000, endPort: 32768 }] }] })).toBe('');
    // v1.32 names the port as the bad value
    expect(check({ egress: [{ ports: [{ port: 32000, endPort: 100 }] }] })).toBe('spec.egress[0].ports[0].endPort: Invalid value: 32000: must be greater than or equal to `port`');
    expect(check({ egress: [{ ports: [{ port: 'http', endPort: 100 }] }] })).toBe('spec.egress[0].ports[0].endPort: Invalid value: 100: may not be specified when `port` is non-numeric');
    expect(check({ ingress: [{ ports: [{ endPort: 100 }] }] })).toBe('spec.ingress[0].ports[0].endPort: Invalid value: 100: may not be specified when `port` is not specified');
    expect(check({ ingress: [{ ports: [{ port: 80, endPort: 70000 }] }] })).toBe('spec.ingress[0].ports[0].endPort: Invalid value: 70000: must be between 1 and 65535, inclusive');
  });

  it('ports: numbers, names, protocols', () => {
    expect(check({ ingress: [{ ports: [{ port: 0 }] }] })).toBe('spec.ingress[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive');
    expect(check({ ingress: [{ ports: [{ port: 'Http_Port' }] }] })).toMatch(/^spec\.ingress\[0\]\.ports\[0\]\.port: Invalid value: "Http_Port": must contain only alpha-numeric characters/);
    expect(check({ ingress: [{ ports: [{ protocol: 'ICMP', port: 1 }] }] })).toBe('spec.ingress[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"');
  });

  it('ipBlock: cidr required and valid, except a strict subset', () => {
    expect(check({ ingress: [{ from: [{ ipBlock: { cidr: '' } }] }] })).toBe('spec.ingress[0].from[0].ipBlock.cidr: Required value');
    expect(check({ ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0' } }] }] })).toBe('spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "10.0.0.0": not a valid CIDR');
    expect(check({ ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/16', except: ['10.0.0.0/16'] } }] }] }))
      .toBe('spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "10.0.0.0/16": must be a strict subset of `cidr`');
    expect(check({ egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/16', except: ['10.1.0.0/24', '10.0.5.0/24'] } }] }] }))
      .toBe('spec.egress[0].to[0].ipBlock.except[0]: Invalid value: "10.1.0.0/24": must be a strict subset of `cidr`');
    // an address with host bits is accepted (sloppy parsing), as is IPv6
    expect(check({ ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.1/16', except: ['10.0.1.0/24'] } }, { ipBlock: { cidr: 'fd00::/8', except: ['fd00:1::/32'] } }] }] })).toBe('');
  });

  it('peers: at least one selector, ipBlock alone', () => {
    expect(check({ ingress: [{ from: [{}] }] })).toBe('spec.ingress[0].from[0]: Required value: must specify a peer');
    expect(check({ ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }] }] })).toBe('spec.ingress[0].from[0]: Forbidden: may not specify both ipBlock and another peer');
    expect(check({ ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'a', operator: 'In' }] } }] }] }))
      .toBe("spec.ingress[0].from[0].podSelector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'");
    expect(check({ podSelector: { matchLabels: { role: 'bad value' } } })).toMatch(/^spec\.podSelector\.matchLabels: Invalid value: "bad value": /);
  });

  it('policyTypes', () => {
    expect(check({ policyTypes: ['Ingress', 'Sideways'] })).toBe('spec.policyTypes[1]: Unsupported value: "Sideways": supported values: "Ingress", "Egress"');
    expect(check({ policyTypes: ['Ingress', 'Egress', 'Ingress'] })).toBe('spec.policyTypes: Invalid value: []networking.PolicyType{"Ingress", "Egress", "Ingress"}: may not specify more than two policyTypes');
  });

  it('several errors come in the apiserver\'s order', () => {
    expect(check({ ingress: [{ ports: [{ port: 0 }], from: [{}] }], egress: [{ to: [{ ipBlock: { cidr: 'x' } }] }] })).toBe(
      '[spec.ingress[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive, spec.ingress[0].from[0]: Required value: must specify a peer, spec.egress[0].to[0].ipBlock.cidr: Invalid value: "x": not a valid CIDR]',
    );
  });
});
