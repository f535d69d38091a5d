// The docs' examples on a simulated cluster: the "Declare Network Policy" task (access: "true")
// and the corpus' default-deny-ingress, stored through the real apiserver (defaulting and
// validation), with pods the kubelets started and addressed.
import { describe, it, expect } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import yaml from 'js-yaml';
import { newSim, type Sim } from '../controlplane/harness.js';
import { checkTraffic } from '../../../src/kubelet/cni/policy.js';
import type { NetWorld } from '../../../src/kubelet/net/types.js';
import type { KObject } from '../../../src/apiserver/types.js';

// service/networking/nginx-policy.yaml, as the task page shows it
const NGINX_POLICY = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: access-nginx
spec:
  podSelector:
    matchLabels:
      app: nginx
  ingress:
  - from:
    - podSelector:
        matchLabels:
          access: "true"
`;
const CORPUS_DENY = '/work/shared/corpus/k8s-website-examples/service/networking/network-policy-default-deny-ingress.yaml';

function worldOf(sim: Sim): NetWorld {
  return {
    now: sim.clock.now(),
    config: sim.config,
    pods: sim.list('pods'),
    services: sim.list('services'),
    endpointSlices: sim.list('endpointslices'),
    networkPolicies: sim.list('networkpolicies'),
    namespaces: sim.list('namespaces'),
    nodes: sim.list('nodes'),
    components: {},
  };
}

const busybox = (name: string, labels: Record<string, string>): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels },
  spec: { containers: [{ name, image: 'busybox', command: ['sleep', '3600'] }] },
});

async function cluster(): Promise<{ sim: Sim; nginx: () => KObject; pod: (n: string) => KObject }> {
  const sim = await newSim();
  await sim.create('deployments', 'default', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'nginx', labels: { app: 'nginx' } },
    spec: { replicas: 1, selector: { matchLabels: { app: 'nginx' } }, template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } } },
  });
  // kubectl run busybox: label run=busybox; with --labels="access=true" only that label
  await sim.create('pods', 'default', busybox('busybox', { run: 'busybox' }));
  await sim.create('pods', 'default', busybox('busybox-access', { access: 'true' }));
  await sim.run(60_000);
  const nginx = () => sim.list('pods', 'default').find((p) => p.metadata?.labels?.app === 'nginx')!;
  const pod = (n: string) => sim.get('pods', 'default', n)!;
  return { sim, nginx, pod };
}

describe('Declare Network Policy (docs task)', () => {
  it('before the policy every pod reaches nginx; after it only access=true pods do', async () => {
    const { sim, nginx, pod } = await cluster();
    const target = nginx();
    expect(target.status?.podIP).toMatch(/^10\.244\./);
    const to = { ip: target.status!.podIP, pod: target };
    const from = (n: string) => ({ ip: pod(n).status!.podIP, pod: pod(n) });
    expect(checkTraffic(worldOf(sim), from('busybox'), to, 80, 'TCP').allowed).toBe(true);

    const created = await sim.create('networkpolicies', 'default', yaml.load(NGINX_POLICY) as KObject);
    // the apiserver's defaulting: Ingress only (no egress rules)
    expect(created.spec.policyTypes).toEqual(['Ingress']);

    const w = worldOf(sim);
    expect(checkTraffic(w, from('busybox'), to, 80, 'TCP')).toMatchObject({
      allowed: false,
      direction: 'ingress',
      policy: 'default/access-nginx',
      reason: `no policy selecting default/${target.metadata!.name} allows ingress from default/busybox on TCP 80`,
    });
    expect(checkTraffic(w, from('busybox-access'), to, 80, 'TCP')).toMatchObject({ allowed: true, reason: 'allowed by default/access-nginx' });
    // the policy does not isolate the busybox pods themselves
    expect(checkTraffic(w, { ip: to.ip, pod: target }, from('busybox'), 8080, 'TCP').allowed).toBe(true);
  });

  it.skipIf(!existsSync(CORPUS_DENY))('the corpus default-deny-ingress isolates every pod of the namespace', async () => {
    const { sim, nginx, pod } = await cluster();
    await sim.create('networkpolicies', 'default', yaml.load(readFileSync(CORPUS_DENY, 'utf8')) as KObject);
    const w = worldOf(sim);
    const target = nginx();
    const v = checkTraffic(w, { ip: pod('busybox-access').status!.podIP, pod: pod('busybox-access') }, { ip: target.status!.podIP, pod: target }, 80, 'TCP');
    expect(v).toMatchObject({ allowed: false, direction: 'ingress', policy: 'default/default-deny-ingress' });
    // kubelet probes come from the pod's own node
    const node = sim.config.nodes.find((n) => n.name === target.spec!.nodeName)!;
    expect(checkTraffic(w, { ip: node.ip }, { ip: target.status!.podIP, pod: target }, 80, 'TCP').allowed).toBe(true);
  });

  it('the apiserver rejects an invalid policy with the real message', async () => {
    const sim = await newSim();
    const res = await sim.call({
      verb: 'create',
      resource: 'networkpolicies',
      namespace: 'default',
      body: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'bad' }, spec: { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/16', except: ['10.1.0.0/24'] } }] }] } },
    });
    expect(res.code).toBe(422);
    expect(res.body.message).toBe('NetworkPolicy.networking.k8s.io "bad" is invalid: spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "10.1.0.0/24": must be a strict subset of `cidr`');
  });
});
