// Service allocation through the real apiserver: ClusterIPs and node ports, requested values,
// refusals with the apiserver's exact messages, type changes and release on delete.
import { describe, expect, it } from 'vitest';
import { newSim, type Sim } from '../controlplane/harness.js';
import { ipToInt } from '../../../src/apiserver/registry/service-alloc.js';

const svc = (name: string, spec: any = {}, extra: any = {}) => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name, ...extra }, spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }], ...spec },
});
const create = (sim: Sim, body: any) => sim.call({ verb: 'create', resource: 'services', namespace: 'default', body });
const patch = (sim: Sim, name: string, body: any) => sim.call({ verb: 'patch', resource: 'services', namespace: 'default', name, body, patchType: 'merge' });
const BASE = ipToInt('10.96.0.0');

describe('ClusterIP allocation', () => {
  it('allocates dynamically from the upper band of 10.96.0.0/12, the same way for the same seed', async () => {
    const a = await newSim();
    const b = await newSim();
    const ipA = (await create(a, svc('web'))).body.spec.clusterIP;
    const ipB = (await create(b, svc('web'))).body.spec.clusterIP;
    expect(ipA).toBe(ipB);
    const n = ipToInt(ipA) - BASE;
    // offset = min(max(16, 2^20/16), 256): the first 256 addresses after the network are kept for static requests
    expect(n).toBeGreaterThan(256);
    expect(n).toBeLessThan(2 ** 20 - 1);
    const second = (await create(a, svc('api'))).body.spec;
    expect(second.clusterIP).not.toBe(ipA);
    expect(second.clusterIPs).toEqual([second.clusterIP]);
  });

  it('writes the fields a real apiserver writes', async () => {
    const sim = await newSim();
    const s = (await create(sim, svc('web'))).body;
    expect(s.spec).toMatchObject({
      type: 'ClusterIP', sessionAffinity: 'None', internalTrafficPolicy: 'Cluster', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack',
      ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }],
    });
    expect(s.spec.externalTrafficPolicy).toBeUndefined();
    expect(s.status).toEqual({ loadBalancer: {} });
  });

  it('honours a requested IP and refuses a taken or out-of-range one with the real messages', async () => {
    const sim = await newSim();
    const ok = await create(sim, svc('a', { clusterIP: '10.96.0.50' }));
    expect(ok.body.spec.clusterIPs).toEqual(['10.96.0.50']);
    const taken = await create(sim, svc('b', { clusterIP: '10.96.0.50' }));
    expect(taken.code).toBe(422);
    expect(taken.body.message).toBe('Service "b" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.50"}: failed to allocate IP 10.96.0.50: provided IP is already allocated');
    const kubeDns = await create(sim, svc('c', { clusterIP: '10.96.0.10' }));
    expect(kubeDns.body.details.causes[0].message).toContain('provided IP is already allocated');
    const out = await create(sim, svc('d', { clusterIP: '10.0.0.1' }));
    expect(out.body.message).toBe('Service "d" is invalid: spec.clusterIPs: Invalid value: []string{"10.0.0.1"}: failed to allocate IP 10.0.0.1: the provided IP (10.0.0.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12');
    const bad = await create(sim, svc('e', { clusterIP: '10.96.0.300' }));
    expect(bad.body.message).toBe('Service "e" is invalid: spec.clusterIPs[0]: Invalid value: "10.96.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)');
    const mismatch = await create(sim, svc('f', { clusterIP: '10.96.0.60', clusterIPs: ['10.96.0.61'] }));
    expect(mismatch.body.message).toBe('Service "f" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.61"}: first value must match `clusterIP`');
  });

  it('releases the IP and node ports when the Service is deleted', async () => {
    const sim = await newSim();
    await create(sim, svc('a', { type: 'NodePort', clusterIP: '10.96.0.70', ports: [{ port: 80, nodePort: 30070 }] }));
    expect((await create(sim, svc('b', { clusterIP: '10.96.0.70' }))).code).toBe(422);
    await sim.call({ verb: 'delete', resource: 'services', namespace: 'default', name: 'a' });
    const again = await create(sim, svc('b', { type: 'NodePort', clusterIP: '10.96.0.70', ports: [{ port: 80, nodePort: 30070 }] }));
    expect(again.code).toBe(201);
  });

  it('headless Services get no IP; a selectorless one is RequireDualStack as on a real cluster', async () => {
    const sim = await newSim();
    const h = (await create(sim, svc('h', { clusterIP: 'None' }))).body.spec;
    expect(h).toMatchObject({ clusterIP: 'None', clusterIPs: ['None'], ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'] });
    const bare = (await create(sim, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'bare' }, spec: { clusterIP: 'None', ports: [{ port: 80 }] } })).body.spec;
    expect(bare).toMatchObject({ clusterIPs: ['None'], ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv4', 'IPv6'] });
    const np = await create(sim, svc('np', { type: 'NodePort', clusterIP: 'None' }));
    expect(np.body.message).toBe('Service "np" is invalid: spec.clusterIPs[0]: Invalid value: "None": may not be set to \'None\' for NodePort services');
  });

  it('ExternalName: no cluster IP, externalName required and a DNS subdomain, clusterIP must be empty', async () => {
    const sim = await newSim();
    const ok = (await create(sim, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db' }, spec: { type: 'ExternalName', externalName: 'db.example.com' } })).body.spec;
    expect(ok.clusterIP).toBeUndefined();
    expect(ok.clusterIPs).toBeUndefined();
    expect(ok.ipFamilies).toBeUndefined();
    const missing = await create(sim, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' }, spec: { type: 'ExternalName' } });
    expect(missing.body.message).toBe('Service "x" is invalid: spec.externalName: Required value');
    const badName = await create(sim, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'y' }, spec: { type: 'ExternalName', externalName: 'Bad_Name' } });
    expect(badName.body.details.causes[0]).toMatchObject({ field: 'spec.externalName', message: expect.stringMatching(/^Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/) });
    const withIP = await create(sim, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'z' }, spec: { type: 'ExternalName', externalName: 'a.b', clusterIP: '10.96.0.80' } });
    expect(withIP.body.message).toBe('Service "z" is invalid: spec.clusterIPs: Forbidden: may not be set for ExternalName services');
  });
});

describe('node ports', () => {
  it('allocates from 30000-32767, from the upper band first, and honours a requested one', async () => {
    const sim = await newSim();
    const s = (await create(sim, svc('web', { type: 'NodePort', ports: [{ port: 80, name: 'http' }, { port: 443, name: 'https', nodePort: 30443 }] }))).body.spec;
    // port offset = min(max(16, 2768/32), 128) = 86: 30000-30085 are kept for requests
    expect(s.ports[0].nodePort).toBeGreaterThanOrEqual(30086);
    expect(s.ports[0].nodePort).toBeLessThanOrEqual(32767);
    expect(s.ports[1].nodePort).toBe(30443);
    expect(s.externalTrafficPolicy).toBe('Cluster');
    const taken = await create(sim, svc('b', { type: 'NodePort', ports: [{ port: 80, nodePort: 30443 }] }));
    expect(taken.body.message).toBe('Service "b" is invalid: spec.ports[0].nodePort: Invalid value: 30443: provided port is already allocated');
    const out = await create(sim, svc('c', { type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] }));
    expect(out.body.message).toBe('Service "c" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767');
  });

  it('TCP and UDP on the same port share one node port', async () => {
    const sim = await newSim();
    const s = (await create(sim, svc('dns', { type: 'NodePort', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }] }))).body.spec;
    expect(s.ports[0].nodePort).toBe(s.ports[1].nodePort);
  });

  it('LoadBalancer: node ports unless allocateLoadBalancerNodePorts is false; a health-check port for Local', async () => {
    const sim = await newSim();
    const lb = (await create(sim, svc('lb', { type: 'LoadBalancer' }))).body.spec;
    expect(lb.ports[0].nodePort).toBeGreaterThan(0);
    expect(lb.allocateLoadBalancerNodePorts).toBe(true);
    expect(lb.healthCheckNodePort).toBeUndefined();
    const none = (await create(sim, svc('lb2', { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false }))).body.spec;
    expect(none.ports[0].nodePort).toBeUndefined();
    const local = (await create(sim, svc('lb3', { type: 'LoadBalancer', externalTrafficPolicy: 'Local' }))).body.spec;
    expect(local.healthCheckNodePort).toBeGreaterThanOrEqual(30086);
    expect(local.healthCheckNodePort).not.toBe(local.ports[0].nodePort);
  });
});

describe('updates', () => {
  it('the cluster IP is immutable', async () => {
    const sim = await newSim();
    await create(sim, svc('a', { clusterIP: '10.96.0.90' }));
    const r = await patch(sim, 'a', { spec: { clusterIP: '10.96.0.91', clusterIPs: ['10.96.0.91'] } });
    expect(r.code).toBe(422);
    expect(r.body.message).toBe('Service "a" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.96.0.91"}: may not change once set');
  });

  it('a resubmitted manifest without the allocated values keeps them', async () => {
    const sim = await newSim();
    const made = (await create(sim, svc('a', { type: 'NodePort' }))).body;
    const put = await sim.call({ verb: 'update', resource: 'services', namespace: 'default', name: 'a', body: svc('a', { type: 'NodePort' }) });
    expect(put.code).toBe(200);
    expect(put.body.spec.clusterIP).toBe(made.spec.clusterIP);
    expect(put.body.spec.ports[0].nodePort).toBe(made.spec.ports[0].nodePort);
  });

  it('ClusterIP → NodePort allocates node ports; NodePort → ClusterIP drops them and frees them', async () => {
    const sim = await newSim();
    await create(sim, svc('a'));
    const np = (await patch(sim, 'a', { spec: { type: 'NodePort' } })).body.spec;
    const port = np.ports[0].nodePort;
    expect(port).toBeGreaterThanOrEqual(30000);
    expect(np.externalTrafficPolicy).toBe('Cluster');
    const back = (await patch(sim, 'a', { spec: { type: 'ClusterIP' } })).body.spec;
    expect(back.ports[0].nodePort).toBeUndefined();
    expect(back.externalTrafficPolicy).toBeUndefined();
    expect((await create(sim, svc('b', { type: 'NodePort', ports: [{ port: 80, nodePort: port }] }))).code).toBe(201);
  });

  it('→ ExternalName releases the cluster IP; ExternalName → ClusterIP allocates one', async () => {
    const sim = await newSim();
    await create(sim, svc('a', { clusterIP: '10.96.0.95' }));
    const en = (await patch(sim, 'a', { spec: { type: 'ExternalName', externalName: 'example.com' } })).body.spec;
    expect(en.clusterIP).toBeUndefined();
    expect(en.clusterIPs).toBeUndefined();
    expect(en.ipFamilies).toBeUndefined();
    expect((await create(sim, svc('b', { clusterIP: '10.96.0.95' }))).code).toBe(201);
    const back = await patch(sim, 'a', { spec: { type: 'ClusterIP', externalName: null } });
    expect(back.code).toBe(200);
    expect(back.body.spec.clusterIP).toMatch(/^10\.(9[6-9]|10\d|11[01])\./);
    expect(back.body.spec.clusterIP).not.toBe('10.96.0.95');
  });

  it('LoadBalancer → ClusterIP clears the load-balancer status', async () => {
    const sim = await newSim();
    const made = (await create(sim, svc('lb', { type: 'LoadBalancer' }))).body;
    made.status = { loadBalancer: { ingress: [{ ip: '172.18.255.200', ipMode: 'VIP' }] } };
    expect((await sim.call({ verb: 'update', resource: 'services', namespace: 'default', name: 'lb', subresource: 'status', body: made })).code).toBe(200);
    const r = (await patch(sim, 'lb', { spec: { type: 'ClusterIP' } })).body;
    expect(r.status).toEqual({ loadBalancer: {} });
    expect(r.spec.allocateLoadBalancerNodePorts).toBeUndefined();
  });
});
