import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildClusterConfig, parseClusterFile, podCidrAt, validateClusterDocument } from '../../../src/cluster/cluster-file.js';
import { defaultClusterConfig } from '../../../src/cluster/config.js';
import { formatGoDuration, parseGoDuration } from '../../../src/cli/commands/cluster.js';

const FIXTURES = join(__dirname, '..', '..', '..', 'fixtures');

describe('cluster.yaml', () => {
  it('with nothing in it gives the default cluster', () => {
    const { input } = parseClusterFile('kind: Cluster\n', 'cluster.yaml');
    expect(buildClusterConfig('dev', input)).toEqual(defaultClusterConfig('dev'));
  });

  it('reads nodes, subnets, time and seed, with kind-style names for nodes left unnamed', () => {
    const { input, name } = parseClusterFile(`
kind: Cluster
name: lab
nodes:
- role: control-plane
- role: worker
  cpu: "8"
  memory: 16Gi
  zone: zone-x
  labels: {disktype: ssd, tier: 1}
  taints: [{key: dedicated, value: gpu, effect: NoSchedule}]
- role: worker
  name: big
podSubnet: 10.200.0.0/16
time: {mode: instant, speed: 2}
seed: 42
`, 'cluster.yaml');
    expect(name).toBe('lab');
    const c = buildClusterConfig('lab', input);
    expect(c.nodes.map((n) => [n.name, n.role, n.cpu, n.memory, n.zone, n.podCIDR, n.ip])).toEqual([
      ['lab-control-plane', 'control-plane', '4', '8Gi', 'local-a', '10.200.0.0/24', '172.18.0.2'],
      ['lab-worker', 'worker', '8', '16Gi', 'zone-x', '10.200.1.0/24', '172.18.0.3'],
      ['big', 'worker', '4', '8Gi', 'local-b', '10.200.2.0/24', '172.18.0.4'],
    ]);
    expect(c.nodes[0].taints).toEqual([{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
    expect(c.nodes[1].labels).toEqual({ disktype: 'ssd', tier: '1' });
    expect(c.nodes[1].taints).toEqual([{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]);
    expect(c.time).toEqual({ mode: 'instant', speed: 2 });
    expect(c.seed).toBe(42);
  });

  it('loads a kind config as is', () => {
    const { input } = parseClusterFile(`
kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
networking:
  podSubnet: 10.240.0.0/16
nodes:
- role: control-plane
  image: kindest/node:v1.32.0
- role: worker
`, 'kind.yaml');
    const c = buildClusterConfig('kind', input);
    expect(c.nodes.map((n) => n.name)).toEqual(['kind-control-plane', 'kind-worker']);
    expect(c.podSubnet).toBe('10.240.0.0/16');
  });

  it('reports every error with its field path', () => {
    const r = validateClusterDocument({
      kind: 'Cluster',
      nodes: [{ role: 'master' }, { role: 'worker', cpu: 'lots', pods: 0, taints: [{ key: 'a', effect: 'Sometimes' }] }, { role: 'worker', bogus: 1 }],
      podSubnet: '10.244.0.0',
      time: { mode: 'fast' },
    });
    expect(r.errors).toEqual([
      'podSubnet: Invalid value: "10.244.0.0": must be a valid IPv4 CIDR (e.g. 10.244.0.0/16)',
      'nodes[0].role: Unsupported value: "master": supported values: "control-plane", "worker"',
      'nodes[1].cpu: Invalid value: "lots": quantities must match the regular expression \'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$\'',
      'nodes[1].pods: Invalid value: 0: must be between 1 and 10000, inclusive',
      'nodes[1].taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
      'unknown field "nodes[2].bogus"',
      'time.mode: Unsupported value: "fast": supported values: "realtime", "instant", "manual"',
    ]);
  });

  it('needs kind: Cluster and a control-plane node', () => {
    expect(validateClusterDocument({ nodes: [{ role: 'worker' }] }).errors).toEqual([
      'kind: Required value',
      'nodes: Invalid value: "1 worker(s)": a cluster needs at least one control-plane node',
    ]);
    expect(validateClusterDocument('hello').errors).toEqual(['Invalid value: "hello": the file must hold a mapping with kind: Cluster']);
  });

  it('refuses overlapping subnets, a pod subnet too small for the nodes, duplicate names', () => {
    expect(validateClusterDocument({ kind: 'Cluster', podSubnet: '10.96.0.0/16', serviceSubnet: '10.96.0.0/12' }).errors).toEqual([
      'serviceSubnet: Invalid value: "10.96.0.0/12": must not overlap podSubnet (10.96.0.0/16)',
    ]);
    expect(validateClusterDocument({ kind: 'Cluster', podSubnet: '10.1.0.0/24', nodes: [{ role: 'control-plane' }, { role: 'worker' }] }).errors).toEqual([
      'podSubnet: Invalid value: "10.1.0.0/24": has room for 1 node(s) (one /24 each), not 2',
    ]);
    expect(validateClusterDocument({ kind: 'Cluster', nodes: [{ role: 'control-plane', name: 'a' }, { role: 'worker', name: 'a' }] }).errors).toEqual([
      'nodes[1].name: Duplicate value: "a"',
    ]);
  });

  it('names the file and the line of a YAML syntax error', () => {
    expect(() => parseClusterFile('kind: Cluster\nnodes: [\n', 'bad.yaml')).toThrow(/^error: error parsing bad\.yaml: .*\(line \d+, column \d+\)$/);
  });

  it('fixtures/cluster-*.yaml are valid', () => {
    for (const f of ['cluster-example.yaml', 'cluster-small.yaml']) {
      const { input } = parseClusterFile(readFileSync(join(FIXTURES, f), 'utf8'), f);
      expect(buildClusterConfig('x', input).nodes.length).toBeGreaterThan(0);
    }
  });

  it('hands out /24s of any pod subnet in order', () => {
    expect(podCidrAt('10.244.0.0/16', 3)).toBe('10.244.3.0/24');
    expect(podCidrAt('10.0.0.0/8', 256)).toBe('10.1.0.0/24');
  });
});

describe('Go durations', () => {
  it('parses what time.ParseDuration parses', () => {
    expect(parseGoDuration('30s')).toBe(30_000);
    expect(parseGoDuration('5m')).toBe(300_000);
    expect(parseGoDuration('1h30m')).toBe(5_400_000);
    expect(parseGoDuration('1.5s')).toBe(1500);
    expect(parseGoDuration('250ms')).toBe(250);
    expect(parseGoDuration('0')).toBe(0);
    expect(() => parseGoDuration('5')).toThrow('time: missing unit in duration "5"');
    expect(() => parseGoDuration('5d')).toThrow('time: unknown unit "d" in duration "5d"');
    expect(() => parseGoDuration('abc')).toThrow('time: invalid duration "abc"');
  });

  it('prints what Duration.String prints', () => {
    expect(formatGoDuration(5_400_000)).toBe('1h30m0s');
    expect(formatGoDuration(300_000)).toBe('5m0s');
    expect(formatGoDuration(30_000)).toBe('30s');
    expect(formatGoDuration(1500)).toBe('1.5s');
    expect(formatGoDuration(250)).toBe('250ms');
    expect(formatGoDuration(0)).toBe('0s');
  });
});
