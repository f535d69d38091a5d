// Issue 3's "Done when", driven through the real CLI: seed 003 phases 1-3 from the seed's own
// manifest, self-healing, scaling, a rolling update with undo, an unschedulable pod that schedules
// once a node is labelled, and determinism. Every scenario runs in both time modes:
//   instant — each command sees the settled cluster;
//   manual  — the virtual clock moves only on `cluster advance`, so the states in between
//             (ContainerCreating, Terminating, a half-done rollout) can be asserted.
// All of these need the whole pipeline (deployment + replicaset controllers, scheduler, kubelets).
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshHome, run, runner, type RunResult } from './helpers.js';

type Mode = 'instant' | 'manual';
const MODES: Mode[] = ['instant', 'manual'];
const FIXTURES = join(__dirname, '..', '..', 'fixtures');
const SEED_MANIFEST = join(FIXTURES, 'my-app-deployment.yaml');
const SEEDS = '/work/shared/seeds';

// k8s.io/apimachinery/pkg/util/rand: the alphabet of generated name suffixes and template hashes.
const ALNUM = '[bcdfghjklmnpqrstvwxz2456789]';

interface Cli {
  home: string;
  mode: Mode;
  /** runs a command, expects success and an empty stderr, returns stdout */
  ok(...args: string[]): string;
  raw(...args: string[]): RunResult;
  json(...args: string[]): any;
  /** manual: moves the clock on so that all pending work completes; instant: nothing to do */
  settle(by?: string): void;
}

function cli(mode: Mode, home = freshHome()): Cli {
  const { raw, ok } = runner(home, { MINIKCTL_TIME: mode });
  return {
    home, mode, raw, ok,
    json: (...args) => JSON.parse(ok(...args, '-o', 'json')),
    settle(by = '10s') {
      if (mode === 'manual') expect(ok('cluster', 'advance', by)).toMatch(new RegExp(`^cluster "\\S+" advanced by ${by}`));
    },
  };
}

// --- small readers -------------------------------------------------------------------------

const ipToInt = (ip: string) => ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  const start = ipToInt(base);
  const x = ipToInt(ip);
  return x > start && x < start + size - 1; // the network and broadcast addresses are not pod IPs
}

/** nodes, ReplicaSets and pods in one request (each CLI run costs a process start) */
function world(c: Cli, app = 'my-app') {
  const items = c.json('get', 'nodes,rs,pods').items as any[];
  const nodes = items.filter((o) => o.kind === 'Node');
  const workers = nodes
    .filter((n) => !('node-role.kubernetes.io/control-plane' in (n.metadata.labels ?? {})))
    .map((n) => n.metadata.name as string)
    .sort();
  return {
    workers,
    cidr: new Map<string, string>(nodes.map((n) => [n.metadata.name, n.spec.podCIDR])),
    sets: items.filter((o) => o.kind === 'ReplicaSet').sort((a, b) => a.metadata.name.localeCompare(b.metadata.name)),
    pods: items.filter((o) => o.kind === 'Pod' && o.metadata.labels?.app === app),
  };
}

const podsOf = (c: Cli, app = 'my-app') => world(c, app).pods;
const setsOf = (c: Cli) => world(c).sets;
/** all events in the namespace, in the order the apiserver lists them */
const eventsOf = (c: Cli) => c.json('get', 'events').items as any[];
const messages = (events: any[], reason: string) => events.filter((e) => e.reason === reason).map((e) => e.message as string);
/** the rows of a table (header dropped), split on runs of spaces */
const rows = (table: string) => table.trimEnd().split('\n').slice(1).map((l) => l.trim().split(/\s+/));

/** applies the seed's deployment; in manual mode asserts the not-yet-running state first */
function applySeed(c: Cli): void {
  expect(c.ok('apply', '-f', SEED_MANIFEST)).toBe('deployment.apps/my-app created\n');
  if (c.mode === 'manual') {
    // Phases 1-2 are done at once (controllers and scheduler need no time), phase 3 is not.
    const pods = podsOf(c);
    expect(pods).toHaveLength(3);
    for (const p of pods) {
      expect(p.spec.nodeName).toBeTruthy();
      expect(p.status.phase).toBe('Pending');
      expect(p.status.podIP).toBeUndefined();
    }
    const wide = c.ok('get', 'pods', '-o', 'wide');
    expect(wide.split('\n')[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/);
    for (const r of rows(wide)) expect(r.slice(1, 6)).toEqual(['0/1', 'ContainerCreating', '0', '0s', '<none>']);
    expect(c.ok('get', 'deploy', 'my-app')).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nmy-app\s+0\/3\s+3\s+0\s+0s\n$/);
    c.settle();
  }
}

/** the settled seed-003 state: one RS, three Running pods on three different workers */
function expectSettledSeed(c: Cli, replicas = 3) {
  const { sets, pods, workers, cidr } = world(c);
  expect(sets).toHaveLength(1);
  const rs = sets[0];
  const hash = rs.metadata.labels['pod-template-hash'];
  expect(hash).toMatch(new RegExp(`^${ALNUM}{1,10}$`));
  expect(rs.metadata.name).toBe(`my-app-${hash}`);
  expect(rs.metadata.ownerReferences).toMatchObject([{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'my-app', controller: true, blockOwnerDeletion: true }]);
  expect(rs.metadata.annotations['deployment.kubernetes.io/revision']).toBe('1');
  expect(rs.status).toMatchObject({ replicas, readyReplicas: replicas, availableReplicas: replicas });

  expect(pods).toHaveLength(replicas);
  for (const p of pods) {
    expect(p.metadata.name).toMatch(new RegExp(`^${rs.metadata.name}-${ALNUM}{5}$`));
    expect(p.metadata.ownerReferences).toMatchObject([{ kind: 'ReplicaSet', name: rs.metadata.name, uid: rs.metadata.uid, controller: true }]);
    expect(p.metadata.labels).toEqual({ app: 'my-app', 'pod-template-hash': hash });
    expect(p.status.phase).toBe('Running');
    expect(workers).toContain(p.spec.nodeName);
    expect(inCidr(p.status.podIP, cidr.get(p.spec.nodeName)!), `${p.status.podIP} in ${cidr.get(p.spec.nodeName)}`).toBe(true);
    expect(p.status.podIPs).toEqual([{ ip: p.status.podIP }]);
    expect(p.status.conditions.find((x: any) => x.type === 'Ready').status).toBe('True');
  }
  return { rs: rs.metadata.name as string, hash: hash as string, pods, workers, cidr };
}

// --- 1. seed 003 phases 1-3 ------------------------------------------------------------------

describe.skipIf(!existsSync(SEEDS))('seed 003 manifest', () => {
  it('fixtures/my-app-deployment.yaml is the seed document\'s own manifest', () => {
    const seed = readdirSync(SEEDS).find((f) => f.startsWith('003_'))!;
    const text = readFileSync(join(SEEDS, seed), 'utf8');
    const block = /\*\*`my-app-deployment\.yaml`\*\*\s*```yaml\n([\s\S]*?)```/.exec(text)![1];
    expect(readFileSync(SEED_MANIFEST, 'utf8').trim()).toBe(block.trim());
  });
});

describe.each(MODES)('control plane, %s time', (mode) => {
  it('seed 003 phases 1-3: a ReplicaSet, three pods on three different workers, Running with IPs, in kubectl\'s words', () => {
    const c = cli(mode);
    applySeed(c);
    const { rs, pods, workers, cidr } = expectSettledSeed(c);
    expect(new Set(pods.map((p) => p.spec.nodeName)).size).toBe(3);
    expect(workers).toHaveLength(3);

    expect(c.ok('get', 'deploy', 'my-app')).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nmy-app\s+3\/3\s+3\s+3\s+\d+s\n$/);
    expect(c.ok('get', 'rs')).toMatch(new RegExp(`^NAME\\s+DESIRED\\s+CURRENT\\s+READY\\s+AGE\\n${rs}\\s+3\\s+3\\s+3\\s+\\d+s\\n$`));
    const wide = rows(c.ok('get', 'pods', '-o', 'wide'));
    expect(wide).toHaveLength(3);
    for (const r of wide) {
      const p = pods.find((x) => x.metadata.name === r[0])!;
      expect(r[1]).toBe('1/1');
      expect(r[2]).toBe('Running');
      expect(r[5]).toBe(p.status.podIP);
      expect(r[6]).toBe(p.spec.nodeName);
      expect(inCidr(r[5], cidr.get(r[6])!)).toBe(true);
    }

    // minikctl events: kubectl events' columns, the objects as Kind/name.
    const events = c.ok('events');
    expect(events.split('\n')[0]).toMatch(/^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/);
    const line = (type: string, reason: string, obj: string, msg: string) =>
      expect(events).toMatch(new RegExp(`\\n\\S+\\s+${type}\\s+${reason}\\s+${esc(obj)}\\s+${esc(msg)}\\n`));
    line('Normal', 'ScalingReplicaSet', 'Deployment/my-app', `Scaled up replica set ${rs} from 0 to 3`);
    for (const p of pods) {
      const name = p.metadata.name;
      line('Normal', 'SuccessfulCreate', `ReplicaSet/${rs}`, `Created pod: ${name}`);
      line('Normal', 'Scheduled', `Pod/${name}`, `Successfully assigned default/${name} to ${p.spec.nodeName}`);
      line('Normal', 'Pulling', `Pod/${name}`, 'Pulling image "your-image:latest"');
      line('Normal', 'Created', `Pod/${name}`, 'Created container my-app-container');
      line('Normal', 'Started', `Pod/${name}`, 'Started container my-app-container');
    }
    // The first pull on each node really pulls (nothing is cached): the kubelet's full sentence.
    expect(events.match(/Successfully pulled image "your-image:latest" in \d+(\.\d+)?m?s \(\d+(\.\d+)?m?s including waiting\)\. Image size: \d+ bytes\.\n/g)).toHaveLength(3);
    expect(events).not.toMatch(/Warning/);

    // get events: lower-case kind/name, and per pod the order the components wrote them in.
    const getEvents = c.ok('get', 'events');
    expect(getEvents.split('\n')[0]).toMatch(/^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/);
    expect(getEvents).toContain(`deployment/my-app`);
    const all = eventsOf(c);
    for (const p of pods) {
      const evs = all.filter((e) => e.involvedObject.name === p.metadata.name);
      expect(evs.map((e) => e.reason)).toEqual(['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started']);
      const sched = evs[0];
      expect(sched).toMatchObject({ reportingComponent: 'default-scheduler', action: 'Binding', type: 'Normal' });
      for (const e of evs.slice(1)) expect(e).toMatchObject({ source: { component: 'kubelet', host: p.spec.nodeName }, count: 1 });
      // virtual times never go backwards (kubelet timestamps are whole seconds, the scheduler's are micro)
      const secs = evs.map((e) => Math.floor(Date.parse(e.lastTimestamp ?? e.eventTime) / 1000));
      expect([...secs].sort((a, b) => a - b)).toEqual(secs);
    }

    const dd = c.ok('describe', 'deploy', 'my-app');
    expect(dd).toMatch(/\nReplicas:\s+3 desired \| 3 updated \| 3 total \| 3 available \| 0 unavailable\n/);
    expect(dd).toMatch(/\nStrategyType:\s+RollingUpdate\n/);
    expect(dd).toMatch(/\n  Available\s+True\s+MinimumReplicasAvailable\n  Progressing\s+True\s+NewReplicaSetAvailable\n/);
    expect(dd).toMatch(new RegExp(`\\nNewReplicaSet:\\s+${rs} \\(3/3 replicas created\\)\\n`));
    expect(dd).toMatch(new RegExp(`\\n  Normal  ScalingReplicaSet  \\S+\\s+deployment-controller  Scaled up replica set ${rs} from 0 to 3\\n$`));

    const p = pods[0];
    const dp = c.ok('describe', 'pod', p.metadata.name);
    expect(dp).toMatch(new RegExp(`\\nNode:\\s+${p.spec.nodeName}/\\d+\\.\\d+\\.\\d+\\.\\d+\\n`));
    expect(dp).toMatch(/\nStatus:\s+Running\n/);
    expect(dp).toMatch(new RegExp(`\\nIP:\\s+${esc(p.status.podIP)}\\n`));
    expect(dp).toMatch(new RegExp(`\\nControlled By:\\s+ReplicaSet/${rs}\\n`));
    expect(dp).toMatch(/\n    State:\s+Running\n/);
    expect(dp).toMatch(/\n    Container ID:\s+containerd:\/\/[0-9a-f]{64}\n/);
    expect(dp).toMatch(new RegExp(`  Normal  Scheduled  .*default-scheduler  Successfully assigned default/${p.metadata.name} to ${p.spec.nodeName}\\n`));
    for (const m of ['Pulling image "your-image:latest"', 'Successfully pulled image "your-image:latest" in ', 'Created container my-app-container', 'Started container my-app-container']) {
      expect(dp).toMatch(new RegExp(`  Normal  \\w+\\s+\\S+\\s+kubelet\\s+${esc(m)}`));
    }
  });

  it('self-healing: a deleted pod is replaced by a new one, back to 3 replicas', () => {
    const c = cli(mode);
    applySeed(c);
    const { rs, pods } = expectSettledSeed(c);
    const victim = pods[0].metadata.name;
    expect(c.ok('delete', 'pod', victim)).toBe(`pod "${victim}" deleted\n`);
    if (mode === 'manual') {
      // The replacement exists at once; the victim is still going away, its replacement starting.
      const table = rows(c.ok('get', 'pods'));
      expect(table).toHaveLength(4);
      expect(table.find((r) => r[0] === victim)?.[2]).toBe('Terminating');
      expect(table.filter((r) => r[2] === 'ContainerCreating')).toHaveLength(1);
      c.settle('40s'); // past the 30s grace period
    }
    const after = expectSettledSeed(c);
    const names = after.pods.map((p) => p.metadata.name);
    expect(names).not.toContain(victim);
    const fresh = names.filter((n) => !pods.some((p) => p.metadata.name === n));
    expect(fresh).toHaveLength(1);
    expect(c.ok('get', 'deploy', 'my-app')).toMatch(/\nmy-app\s+3\/3\s+3\s+3\s+/);
    const events = eventsOf(c);
    expect(messages(events, 'SuccessfulCreate')).toContain(`Created pod: ${fresh[0]}`);
    expect(events.filter((e) => e.reason === 'Killing').map((e) => [e.involvedObject.name, e.message])).toEqual([[victim, 'Stopping container my-app-container']]);
    expect(rs).toBe(after.rs);
  });

  it('scale up to 5 and down to 2: pod counts and ScalingReplicaSet events', () => {
    const c = cli(mode);
    applySeed(c);
    const { rs } = expectSettledSeed(c);
    expect(c.ok('scale', 'deploy/my-app', '--replicas=5')).toBe('deployment.apps/my-app scaled\n');
    if (mode === 'manual') {
      const table = rows(c.ok('get', 'pods'));
      expect(table.map((r) => r[2]).sort()).toEqual(['ContainerCreating', 'ContainerCreating', 'Running', 'Running', 'Running']);
      expect(c.ok('get', 'deploy', 'my-app')).toMatch(/\nmy-app\s+3\/5\s+5\s+3\s+/);
      c.settle();
    }
    expect(c.ok('get', 'deploy', 'my-app')).toMatch(/\nmy-app\s+5\/5\s+5\s+5\s+/);
    const five = podsOf(c);
    expect(five).toHaveLength(5);
    expect(five.every((p) => p.status.phase === 'Running')).toBe(true);
    // 5 pods over 3 workers: the spreading scores leave no worker with more than 2.
    const perNode = countBy(five.map((p) => p.spec.nodeName));
    expect(Math.max(...perNode.values())).toBeLessThanOrEqual(2);

    expect(c.ok('scale', 'deploy/my-app', '--replicas=2')).toBe('deployment.apps/my-app scaled\n');
    if (mode === 'manual') {
      const table = rows(c.ok('get', 'pods'));
      expect(table.filter((r) => r[2] === 'Terminating')).toHaveLength(3);
      expect(table.filter((r) => r[2] === 'Running')).toHaveLength(2);
      c.settle('40s');
    }
    const two = podsOf(c);
    expect(two).toHaveLength(2);
    expect(two.every((p) => p.status.phase === 'Running' && !p.metadata.deletionTimestamp)).toBe(true);
    expect(c.ok('get', 'deploy', 'my-app')).toMatch(/\nmy-app\s+2\/2\s+2\s+2\s+/);
    expect(rows(c.ok('get', 'rs'))).toEqual([[rs, '2', '2', '2', expect.stringMatching(/^\d+s$/)]]);

    const events = eventsOf(c);
    expect(messages(events, 'ScalingReplicaSet')).toEqual([
      `Scaled up replica set ${rs} from 0 to 3`,
      `Scaled up replica set ${rs} from 3 to 5`,
      `Scaled down replica set ${rs} from 5 to 2`,
    ]);
    const deleted = messages(events, 'SuccessfulDelete');
    expect(deleted).toHaveLength(3);
    for (const m of deleted) expect(m).toMatch(new RegExp(`^Deleted pod: ${rs}-${ALNUM}{5}$`));
  });

  it('rolling update with set image, rollout status/history, then rollout undo', () => {
    const c = cli(mode);
    applySeed(c);
    const { rs: first, hash: firstHash } = expectSettledSeed(c);
    expect(c.ok('set', 'image', 'deploy/my-app', 'my-app-container=nginx:1.26')).toBe('deployment.apps/my-app image updated\n');

    const rollThrough = (stepwise: boolean) => {
      if (mode === 'instant') {
        expect(c.ok('rollout', 'status', 'deploy/my-app')).toBe('deployment "my-app" successfully rolled out\n');
        return;
      }
      expect(c.ok('rollout', 'status', 'deploy/my-app', '--watch=false')).toBe('Waiting for deployment "my-app" rollout to finish: 1 out of 3 new replicas have been updated...\n');
      if (stepwise) {
        // 25% surge of 3 rounds up to 1, 25% unavailable rounds down to 0: never more than 4 pods
        // wanted, never fewer than 3 available, and it takes more than one step.
        let steps = 0;
        for (; steps < 8; steps++) {
          const { sets } = world(c);
          expect(sets.reduce((n, s) => n + s.spec.replicas, 0)).toBeLessThanOrEqual(4);
          expect(sets.reduce((n, s) => n + (s.status.availableReplicas ?? 0), 0)).toBeGreaterThanOrEqual(3);
          if (sets.every((s) => s.spec.replicas === 0 || (s.status.availableReplicas === 3 && s.spec.replicas === 3))) break;
          c.settle('4s');
        }
        expect(steps).toBeGreaterThan(1);
      } else {
        c.settle('40s');
      }
      expect(c.ok('rollout', 'status', 'deploy/my-app', '--watch=false')).toBe('deployment "my-app" successfully rolled out\n');
    };
    rollThrough(true);
    // The last old pod was told to stop when the rollout finished: nginx exits on SIGTERM within
    // a second, and only then does its kubelet remove it.
    if (mode !== 'instant') c.settle('1s');

    let sets = setsOf(c);
    expect(sets).toHaveLength(2);
    const second = sets.find((s) => s.metadata.name !== first)!;
    const secondHash = second.metadata.labels['pod-template-hash'];
    expect(second.metadata.name).toBe(`my-app-${secondHash}`);
    expect(secondHash).not.toBe(firstHash);
    expect(second.spec.template.spec.containers[0].image).toBe('nginx:1.26');
    expect(second.metadata.annotations['deployment.kubernetes.io/revision']).toBe('2');
    expect(sets.find((s) => s.metadata.name === first).spec.replicas).toBe(0);
    let pods = podsOf(c);
    expect(pods).toHaveLength(3);
    for (const p of pods) {
      expect(p.metadata.labels['pod-template-hash']).toBe(secondHash);
      expect(p.metadata.ownerReferences[0].name).toBe(second.metadata.name);
      expect(p.spec.containers[0].image).toBe('nginx:1.26');
      expect(p.status.phase).toBe('Running');
    }
    expect(c.ok('rollout', 'history', 'deploy/my-app')).toBe('deployment.apps/my-app \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n');
    expect(c.ok('rollout', 'history', 'deploy/my-app', '--revision=2')).toMatch(/^deployment\.apps\/my-app with revision #2\nPod Template:\n[\s\S]*\n    Image:\tnginx:1\.26\n/);
    const scaling = messages(eventsOf(c), 'ScalingReplicaSet');
    expect(scaling).toContain(`Scaled up replica set ${second.metadata.name} from 0 to 1`);
    expect(scaling).toContain(`Scaled down replica set ${first} from 1 to 0`);

    expect(c.ok('rollout', 'undo', 'deploy/my-app')).toBe('deployment.apps/my-app rolled back\n');
    rollThrough(false);
    sets = setsOf(c);
    expect(sets).toHaveLength(2);
    const back = sets.find((s) => s.metadata.name === first)!;
    expect(back.spec.replicas).toBe(3);
    expect(back.metadata.annotations['deployment.kubernetes.io/revision']).toBe('3');
    expect(sets.find((s) => s.metadata.name === second.metadata.name).spec.replicas).toBe(0);
    const d = c.json('get', 'deploy', 'my-app');
    expect(d.spec.template.spec.containers[0].image).toBe('your-image:latest');
    expect(d.metadata.annotations['deployment.kubernetes.io/revision']).toBe('3');
    expect(d.status).toMatchObject({ replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 });
    pods = podsOf(c);
    expect(pods).toHaveLength(3);
    for (const p of pods) {
      expect(p.metadata.labels['pod-template-hash']).toBe(firstHash);
      expect(p.spec.containers[0].image).toBe('your-image:latest');
      expect(p.status.phase).toBe('Running');
    }
    expect(c.ok('rollout', 'history', 'deploy/my-app')).toBe('deployment.apps/my-app \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n');
    expect(c.ok('describe', 'deploy', 'my-app')).toMatch(new RegExp(`\\nOldReplicaSets:\\s+${second.metadata.name} \\(0/0 replicas created\\)\\nNewReplicaSet:\\s+${first} \\(3/3 replicas created\\)\\n`));
  });

  it('a pod no node fits: kube-scheduler\'s FailedScheduling word for word, Pending, then scheduled once a worker is labelled', () => {
    const c = cli(mode);
    const file = join(c.home, 'fast.yaml');
    writeFileSync(file, SSD_DEPLOYMENT);
    expect(c.ok('apply', '-f', file)).toBe('deployment.apps/fast created\n');
    c.settle(); // nothing to wait for: it stays unschedulable however long we wait
    const before = world(c, 'fast');
    const [pod] = before.pods;
    const name = pod.metadata.name;
    expect(pod.status.phase).toBe('Pending');
    expect(pod.spec.nodeName).toBeUndefined();
    // 1.32's FitError: filter reasons sorted as "<count> <reason>", then the PostFilter's
    // preemption message (both plugins' rejections are UnschedulableAndUnresolvable).
    const msg = "0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.";
    expect(pod.status.conditions).toEqual([
      expect.objectContaining({ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: msg }),
    ]);
    expect(rows(c.ok('get', 'pods', '-o', 'wide'))).toEqual([[name, '0/1', 'Pending', '0', expect.stringMatching(/^\d+s$/), '<none>', '<none>', '<none>', '<none>']]);
    const failed = c.json('get', 'events', '--field-selector', 'reason=FailedScheduling').items as any[];
    expect(failed.map((e) => [e.type, e.involvedObject.name, e.message, e.reportingComponent])).toEqual([['Warning', name, msg, 'default-scheduler']]);
    const dp = c.ok('describe', 'pod', name);
    expect(dp).toMatch(/\nConditions:\n  Type           Status\n  PodScheduled   False \n/);
    expect(dp).toMatch(/\nNode-Selectors:\s+disktype=ssd\n/);
    expect(dp).toContain(`  Warning  FailedScheduling  `);
    expect(dp).toMatch(new RegExp(`default-scheduler  ${esc(msg)}\\n$`));
    expect(c.ok('get', 'deploy', 'fast')).toMatch(/\nfast\s+0\/1\s+1\s+0\s+/);

    const { workers, cidr } = before;
    const target = workers[1];
    expect(c.ok('label', 'node', target, 'disktype=ssd')).toBe(`node/${target} labeled\n`);
    if (mode === 'manual') {
      // The label is a cluster change: the scheduler retries at once; the kubelet needs time.
      const [bound] = podsOf(c, 'fast');
      expect(bound.spec.nodeName).toBe(target);
      expect(rows(c.ok('get', 'pods'))[0].slice(1, 3)).toEqual(['0/1', 'ContainerCreating']);
      c.settle();
    }
    const [running] = podsOf(c, 'fast');
    expect(running.metadata.name).toBe(name);
    expect(running.spec.nodeName).toBe(target);
    expect(running.status.phase).toBe('Running');
    expect(inCidr(running.status.podIP, cidr.get(target)!)).toBe(true);
    expect(running.status.conditions.find((x: any) => x.type === 'PodScheduled')).toMatchObject({ status: 'True' });
    expect(c.ok('get', 'deploy', 'fast')).toMatch(/\nfast\s+1\/1\s+1\s+1\s+/);
    const evs = eventsOf(c).filter((e) => e.involvedObject.name === name);
    expect(evs.map((e) => e.reason)).toEqual(['FailedScheduling', 'Scheduled', 'Pulling', 'Pulled', 'Created', 'Started']);
    expect(evs[1].message).toBe(`Successfully assigned default/${name} to ${target}`);
  });

  it('a pod asking for more cpu than any worker has: Insufficient cpu, No preemption victims', () => {
    const c = cli(mode);
    const file = join(c.home, 'big.yaml');
    writeFileSync(file, BIG_POD);
    expect(c.ok('apply', '-f', file)).toBe('pod/big created\n');
    c.settle();
    expect(rows(c.ok('get', 'pod', 'big'))[0].slice(0, 3)).toEqual(['big', '0/1', 'Pending']);
    expect(messages(eventsOf(c), 'FailedScheduling')).toEqual([
      '0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu. ' +
        'preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.',
    ]);
  });
});

// --- explicit cluster create --time ----------------------------------------------------------

describe('cluster create --time', () => {
  it('--time manual: Scheduled → Pulling → Pulled → Created → Started only as the clock is advanced', () => {
    const home = freshHome();
    const m = (...args: string[]) => run(args, { home }); // no MINIKCTL_TIME: the cluster's own mode
    expect(m('cluster', 'create', 'x', '--time', 'manual').code).toBe(0);
    expect(m('apply', '-f', SEED_MANIFEST).stdout).toBe('deployment.apps/my-app created\n');
    const reasons = (pod: string) =>
      JSON.parse(m('get', 'events', '--field-selector', `involvedObject.name=${pod}`, '-o', 'json').stdout).items.map((e: any) => e.reason);
    const pods = JSON.parse(m('get', 'pods', '-o', 'json').stdout).items as any[];
    expect(pods.map((p) => p.spec.nodeName).sort()).toEqual(['x-worker', 'x-worker2', 'x-worker3']);
    const pod = pods[0].metadata.name;
    const order = ['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started'];
    let seen = reasons(pod);
    expect(seen[0]).toBe('Scheduled');
    expect(seen).not.toContain('Started');
    // A second at a time: what has happened is always a prefix of the order.
    for (let i = 0; i < 10 && seen.length < order.length; i++) {
      expect(m('cluster', 'advance', '1s').code).toBe(0);
      const now = reasons(pod);
      expect(now).toEqual(order.slice(0, now.length));
      expect(now.length).toBeGreaterThanOrEqual(seen.length);
      seen = now;
    }
    expect(seen).toEqual(order);
    expect(m('get', 'pod', pod).stdout).toMatch(/\s1\/1\s+Running\s/);
  });

  it('--time instant: apply then get sees the settled cluster at once', () => {
    const home = freshHome();
    const m = (...args: string[]) => run(args, { home });
    expect(m('cluster', 'create', 'ci', '--time', 'instant').code).toBe(0);
    m('apply', '-f', SEED_MANIFEST);
    const table = m('get', 'pods', '-o', 'wide').stdout;
    expect(rows(table).map((r) => [r[2], r[6]]).sort()).toEqual([['Running', 'ci-worker'], ['Running', 'ci-worker2'], ['Running', 'ci-worker3']]);
  });
});

// --- 6. determinism ----------------------------------------------------------------------------

describe('determinism', () => {
  // AGE is left out: a fresh cluster's clock starts at the wall clock, and creationTimestamp keeps
  // whole seconds, so an age can differ by one second between two runs (as on a real cluster).
  const noAge = (t: string) => rows(t).map((r) => [r[0], r[1], r[2], r[3], r[5], r[6], r[7], r[8]]);
  const script = (c: Cli) => {
    expect(c.ok('apply', '-f', SEED_MANIFEST)).toBe('deployment.apps/my-app created\n');
    c.settle();
    c.ok('delete', 'pod', podsOf(c)[0].metadata.name);
    c.ok('scale', 'deploy/my-app', '--replicas=5');
    c.settle('40s');
    return c.ok('get', 'pods', '-o', 'wide');
  };

  it.each(MODES)('%s time: the same commands on two fresh homes give the same pods: names, IPs, nodes', (mode) => {
    const a = script(cli(mode));
    const b = script(cli(mode));
    expect(a.split('\n')[0]).toBe(b.split('\n')[0]);
    expect(noAge(a)).toHaveLength(5);
    expect(noAge(a)).toEqual(noAge(b));
    for (const r of noAge(a)) expect(r[2]).toBe('Running');
  });
});

// --- fixtures ----------------------------------------------------------------------------------

const SSD_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: fast
spec:
  replicas: 1
  selector:
    matchLabels:
      app: fast
  template:
    metadata:
      labels:
        app: fast
    spec:
      nodeSelector:
        disktype: ssd
      containers:
      - name: web
        image: nginx:1.25
`;

const BIG_POD = `apiVersion: v1
kind: Pod
metadata:
  name: big
spec:
  containers:
  - name: web
    image: nginx:1.25
    resources:
      requests:
        cpu: "10"
`;

function esc(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function countBy(xs: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}
