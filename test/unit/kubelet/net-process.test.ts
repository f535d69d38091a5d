// A container's own command on the network (src/kubelet/net/container.ts): a finite wget is run
// at its start and its exit and lines are kept by the kubelet; a request loop's lines are computed
// when read; any other container is left to the process model.
import { describe, expect, it } from 'vitest';
import { newSim, type Sim } from '../controlplane/harness.js';
import type { KObject } from '../../../src/apiserver/types.js';
import { containerLogs } from '../../../src/kubelet/logs.js';
import { loadNetWorld } from '../../../src/kubelet/net/world.js';
import { usesNetwork } from '../../../src/kubelet/net/container.js';

function pod(name: string, image: string, command?: string[], labels: Record<string, string> = { run: name }, restartPolicy = 'Never', port?: number): KObject {
  const c = { name, image, ...(command ? { command } : {}), ...(port ? { ports: [{ containerPort: port }] } : {}) };
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec: { restartPolicy, containers: [c] } };
}

function service(name: string, selector: Record<string, string>, targetPort = 8000): KObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector, ports: [{ port: 80, targetPort, protocol: 'TCP' }] } };
}

const status = (sim: Sim, name: string) => sim.get('pods', 'default', name)?.status;
const terminated = (sim: Sim, name: string) => status(sim, name)?.containerStatuses?.[0]?.state?.terminated;
const logText = (sim: Sim, name: string) => {
  const p = sim.get('pods', 'default', name)!;
  return (containerLogs(p, name, sim.clock.now(), { services: sim.list('services'), world: loadNetWorld(sim.api) }) ?? []).map((l) => l.text);
};

/** three app pods behind my-svc, Running */
async function withBackends(sim: Sim): Promise<string[]> {
  const names = ['app-a', 'app-b', 'app-c'];
  for (const n of names) await sim.create('pods', 'default', pod(n, 'your-image:latest', undefined, { app: 'web' }, 'Always', 8000));
  await sim.create('services', 'default', service('my-svc', { app: 'web' }));
  await sim.settle();
  for (const n of names) expect(status(sim, n)?.phase).toBe('Running');
  return names;
}

describe('a container whose command reaches the network', () => {
  it('wget -qO- my-svc ends Completed, with the answer in its log (and the same on a second read)', async () => {
    const sim = await newSim();
    const names = await withBackends(sim);
    await sim.create('pods', 'default', pod('t', 'busybox', ['wget', '-qO-', 'my-svc']));
    await sim.settle();
    expect(status(sim, 't')?.phase).toBe('Succeeded');
    expect(terminated(sim, 't')).toMatchObject({ exitCode: 0, reason: 'Completed' });
    const lines = logText(sim, 't');
    expect(lines).toHaveLength(1);
    const m = /^Hello from (\S+) \(your-image:latest\) on port 8000$/.exec(lines[0]);
    expect(m, lines[0]).not.toBeNull();
    expect(names).toContain(m![1]);
    // decided once: later reads give the same answer, even once the pod that answered is gone
    await sim.call({ verb: 'delete', resource: 'pods', namespace: 'default', name: m![1], body: { gracePeriodSeconds: 0 } });
    await sim.run(60_000);
    expect(sim.get('pods', 'default', m![1])).toBeUndefined();
    expect(logText(sim, 't')).toEqual(lines);
  });

  it('a name that does not resolve: Error, exit 1, busybox\'s message in the log', async () => {
    const sim = await newSim();
    await sim.create('pods', 'default', pod('bad', 'busybox', ['wget', '-qO-', '-T', '2', 'nosuch']));
    await sim.settle();
    expect(status(sim, 'bad')?.phase).toBe('Failed');
    expect(terminated(sim, 'bad')).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(logText(sim, 'bad')).toContain("wget: bad address 'nosuch'");
  });

  it('a Service without endpoints: Connection refused, Error', async () => {
    const sim = await newSim();
    await sim.create('services', 'default', service('empty', { app: 'nobody' }));
    await sim.settle();
    await sim.create('pods', 'default', pod('c', 'busybox', ['wget', '-qO-', '-T', '2', 'empty']));
    await sim.settle();
    expect(terminated(sim, 'c')).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(logText(sim, 'c').join('\n')).toMatch(/Connection refused/);
  });

  it('a request loop logs answers from more than one pod, the same text when read twice, and keeps running', async () => {
    const sim = await newSim();
    const names = await withBackends(sim);
    await sim.create('pods', 'default', pod('loop', 'busybox', ['sh', '-c', 'while true; do wget -qO- my-svc; sleep 1; done']));
    await sim.settle();
    await sim.run(20_000);
    expect(status(sim, 'loop')?.phase).toBe('Running');
    const lines = logText(sim, 'loop');
    expect(lines.length).toBeGreaterThanOrEqual(15);
    const who = new Set(lines.map((l) => /^Hello from (\S+) /.exec(l)?.[1]));
    expect([...who].every((w) => w && names.includes(w))).toBe(true);
    expect(who.size).toBeGreaterThan(1);
    expect(logText(sim, 'loop')).toEqual(lines);
  });

  it('a container that does not name a network program is left as it was', async () => {
    const sim = await newSim();
    const spec = ['sh', '-c', 'echo hello; sleep 2; exit 3'];
    expect(usesNetwork({ image: 'busybox', command: spec })).toBe(false);
    await sim.create('pods', 'default', pod('e', 'busybox', spec));
    await sim.settle();
    expect(terminated(sim, 'e')).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(logText(sim, 'e')).toEqual(['hello']);
    const st = sim.store.meta.components?.[`kubelet/${sim.get('pods', 'default', 'e')!.spec!.nodeName}`];
    expect(Object.values<any>(st.pods).flatMap((r) => r.cs).find((c: any) => c.name === 'e')?.net).toBeUndefined();
  });
});
