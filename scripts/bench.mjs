// npm run bench: start-up and scaling figures for minikctl, each measured in this run against the
// same machine's bare `node -e 0`, so the ratios mean something on any machine.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'minikctl');
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

function once(cmd, args, env) {
  const t0 = process.hrtime.bigint();
  const r = TIME
    ? spawnSync(TIME, ['-f', '%M', cmd, ...args], { env, encoding: 'utf8', maxBuffer: 1 << 30 })
    : spawnSync(cmd, args, { env, encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  const rssKb = TIME ? Number(r.stderr.trim().split('\n').pop()) : NaN;
  return { ms, rssMb: rssKb / 1024 };
}

/** args may be a function of the run number, so that every write run really changes something */
function measure(cmd, args, env, runs) {
  const argv = (i) => (typeof args === 'function' ? args(i) : args);
  once(cmd, argv(-1), env); // warm the file cache
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(once(cmd, argv(i), env));
  samples.sort((a, b) => a.ms - b.ms);
  const median = samples[Math.floor(samples.length / 2)];
  return { ms: median.ms, rssMb: Math.max(...samples.map((s) => s.rssMb)) };
}

const fmt = (n) => n.toFixed(1).padStart(8);

function podList(n) {
  const items = [];
  for (let i = 0; i < n; i++) {
    items.push({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `bench-${i}`, labels: { app: 'bench' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } });
  }
  return { apiVersion: 'v1', kind: 'List', items };
}

function cluster(n) {
  const home = mkdtempSync(join(tmpdir(), 'minikctl-bench-'));
  // instant: the pods' scheduling and start-up happen during create, not during the measured reads
  const env = { ...process.env, MINIKCTL_HOME: home, MINIKCTL_TIME: 'instant' };
  const file = join(home, 'pods.json');
  writeFileSync(file, JSON.stringify(podList(n)));
  const t0 = Date.now();
  const r = spawnSync(bin, ['create', '-f', file], { env, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`creating ${n} pods failed: ${r.stderr}`);
  return { home, env, createMs: Date.now() - t0 };
}

const env0 = { ...process.env };
const baseline = measure(process.execPath, ['-e', '0'], env0, 15);
console.log(`baseline: node -e 0                       ${fmt(baseline.ms)} ms`);
// bin/minikctl starts Node without NODE_EXTRA_CA_CERTS (it makes no TLS connections), so its fair
// baseline is a Node start without the CA bundle too; both ratios are printed.
const envNoCa = { ...process.env };
delete envNoCa.NODE_EXTRA_CA_CERTS;
const bare = process.env.NODE_EXTRA_CA_CERTS ? measure(process.execPath, ['-e', '0'], envNoCa, 15) : baseline;
if (bare !== baseline) console.log(`baseline: node -e 0, no NODE_EXTRA_CA_CERTS ${fmt(bare.ms)} ms`);
const ratios = (ms) => `${(ms / baseline.ms).toFixed(2)}x node${bare !== baseline ? `, ${(ms / bare.ms).toFixed(2)}x bare node` : ''}`;

const small = cluster(100);
const version = measure(bin, ['version', '--client'], small.env, 15);
console.log(`minikctl version --client                 ${fmt(version.ms)} ms   ${ratios(version.ms)} (target <= 1.3x)`);
const get100 = measure(bin, ['get', 'pods'], small.env, 15);
console.log(`minikctl get pods (100 pods)              ${fmt(get100.ms)} ms   ${ratios(get100.ms)} (target <= 2x)`);
rmSync(small.home, { recursive: true, force: true });

console.log('\npods      get pods -A (ms)   label pod (ms)   peak RSS (MB)   create all (s)');
for (const n of [100, 1000, 10000]) {
  const c = cluster(n);
  const runs = n >= 10000 ? 3 : 7;
  const get = measure(bin, ['get', 'pods', '-A'], c.env, runs);
  const label = measure(bin, (i) => ['label', 'pod', `bench-${Math.floor(n / 2)}`, `round=${i + 1}`, '--overwrite'], c.env, runs);
  const target = n >= 10000 ? 1000 : n >= 1000 ? 150 : undefined;
  const mark = (ms) => (target ? (ms <= target ? ' ok ' : ' SLOW') : '     ');
  console.log(`${String(n).padEnd(8)}${fmt(get.ms)}${mark(get.ms)}      ${fmt(label.ms)}${mark(label.ms)}   ${fmt(Math.max(get.rssMb, label.rssMb))}        ${(c.createMs / 1000).toFixed(1)}`);
  rmSync(c.home, { recursive: true, force: true });
}
console.log('\ntargets: get pods -A and label under 150 ms at 1,000 pods, under 1 s at 10,000 pods');

// ---- the network ----
// A Service in front of every pod of the cluster: the endpoint controllers' slices, every node's
// kube-proxy rules, and a request from one pod along the whole path (DNS, kube-proxy, the answer).
console.log('\npods      expose (s)   exec curl svc (ms)   iptables-save (ms)   rules (lines)');
for (const n of [100, 1000]) {
  const c = cluster(n);
  const t0 = Date.now();
  const svc = spawnSync(bin, ['create', 'service', 'clusterip', 'bench', '--tcp=80:80'], { env: c.env, encoding: 'utf8' });
  if (svc.status !== 0) throw new Error(`create service failed: ${svc.stderr}`);
  const exposeS = (Date.now() - t0) / 1000;
  const curl = measure(bin, ['exec', 'bench-0', '--', 'curl', '-s', 'bench'], c.env, 5);
  const proxyPod = spawnSync(bin, ['get', 'pods', '-n', 'kube-system', '-l', 'k8s-app=kube-proxy', '-o', 'name'], { env: c.env, encoding: 'utf8' }).stdout.split('\n')[1].replace('pod/', '');
  const save = measure(bin, ['exec', '-n', 'kube-system', proxyPod, '--', 'iptables-save'], c.env, 5);
  const lines = spawnSync(bin, ['exec', '-n', 'kube-system', proxyPod, '--', 'iptables-save'], { env: c.env, encoding: 'utf8', maxBuffer: 1 << 30 }).stdout.split('\n').length;
  console.log(`${String(n).padEnd(8)}${exposeS.toFixed(1).padStart(9)}   ${fmt(curl.ms)}             ${fmt(save.ms)}             ${String(lines).padStart(7)}`);
  rmSync(c.home, { recursive: true, force: true });
}

// ---- the control plane ----
// Settling: a Deployment of N replicas on M worker nodes in instant mode, through the CLI (so the
// figure includes reading and saving the state): the deployment and replicaset controllers, the
// scheduler and every kubelet run until all N pods are Running.
function deploymentManifest(replicas) {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'bench' },
    spec: {
      replicas, selector: { matchLabels: { app: 'bench' } },
      template: { metadata: { labels: { app: 'bench' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] } },
    },
  };
}

console.log('\nreplicas  nodes   settle (s)   running   state file (MB)   peak RSS (MB)');
for (const [replicas, nodes] of [[1000, 100], [10000, 1000]]) {
  const home = mkdtempSync(join(tmpdir(), 'minikctl-bench-'));
  const env = { ...process.env, MINIKCTL_HOME: home };
  const create = spawnSync(bin, ['cluster', 'create', 'bench', '--nodes', String(nodes), '--time', 'instant'], { env, encoding: 'utf8' });
  if (create.status !== 0) {
    console.log(`${String(replicas).padEnd(10)}${String(nodes).padEnd(8)}cluster create failed: ${create.stderr.trim()}`);
    continue;
  }
  const file = join(home, 'deploy.json');
  writeFileSync(file, JSON.stringify(deploymentManifest(replicas)));
  const r = once(bin, ['apply', '-f', file], env);
  const pods = spawnSync(bin, ['get', 'pods', '--no-headers', '--field-selector=status.phase=Running'], { env, encoding: 'utf8', maxBuffer: 1 << 30 });
  const running = pods.stdout.split('\n').filter(Boolean).length;
  const { statSync } = await import('node:fs');
  const size = statSync(join(home, 'clusters', 'bench', 'state.json')).size / 1e6;
  console.log(`${String(replicas).padEnd(10)}${String(nodes).padEnd(8)}${(r.ms / 1000).toFixed(1).padStart(9)}   ${String(running).padStart(7)}   ${size.toFixed(1).padStart(15)}   ${fmt(r.rssMb)}`);
  rmSync(home, { recursive: true, force: true });
}

// The scheduler alone, in process: pods placed per second through the whole framework (filters,
// scores, binding through the apiserver). src/scheduler/bench.ts is bundled on the fly.
{
  const { build } = await import('esbuild');
  const out = join(mkdtempSync(join(tmpdir(), 'minikctl-bench-')), 'sched.mjs');
  await build({ entryPoints: [join(root, 'src', 'scheduler', 'bench.ts')], bundle: true, platform: 'node', format: 'esm', outfile: out, logLevel: 'error',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } });
  const { schedulingBench } = await import(out);
  for (const [p, n] of [[1000, 100], [5000, 1000]]) {
    const { podsPerSecond } = await schedulingBench(p, n);
    console.log(`scheduler: ${p} pods on ${n} nodes        ${podsPerSecond.toFixed(0).padStart(8)} pods/s`);
  }
}
