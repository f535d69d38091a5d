// get --watch follows what other commands do to the cluster, row by row, as kubectl's watch does.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { run, freshHome, BIN } from './helpers.js';

/** Starts a watch; `listed` resolves once its first listing is out, `done` with all it printed. */
function watchFor(home: string, args: string[], firstLines: number): { listed: Promise<void>; done: Promise<string> } {
  let out = '';
  let markListed: () => void = () => {};
  const listed = new Promise<void>((r) => (markListed = r));
  const done = new Promise<string>((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, MINIKCTL_HOME: home, TZ: 'UTC', MINIKCTL_TIME: 'manual' } });
    p.stdout.on('data', (d) => {
      out += d;
      if (out.split('\n').length > firstLines) markListed();
    });
    p.on('exit', () => {
      markListed();
      resolve(out);
    });
  });
  return { listed, done };
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('get --watch', () => {
  it('prints the listing, then a row per added, changed and deleted object', async () => {
    // Manual time: the pods stay where the first command left them unless a command moves them.
    const home = freshHome();
    const env = { MINIKCTL_TIME: 'manual' };
    run(['run', 'web', '--image=nginx'], { home, env });
    const watching = watchFor(home, ['get', 'pods', '-w', '--request-timeout=6s'], 2);
    await watching.listed;
    await settle(300);
    // The watch follows the state file; changes closer together than its poll could arrive as one.
    run(['run', 'other', '--image=nginx'], { home, env });
    await settle(400);
    run(['label', 'pod', 'web', 'tier=front'], { home, env });
    await settle(400);
    run(['delete', 'pod', 'web'], { home, env });
    const lines = (await watching.done).trimEnd().split('\n').map((l) => l.split(/\s+/).slice(0, 3).join(' '));
    expect(lines).toEqual([
      'NAME READY STATUS',
      'web 0/1 ContainerCreating',
      'other 0/1 ContainerCreating',
      'web 0/1 ContainerCreating',
      // a pod on a node is deleted gracefully: its kubelet has yet to stop it
      'web 0/1 Terminating',
    ]);
  });

  it('names each event with --output-watch-events and ends at --request-timeout', async () => {
    const home = freshHome();
    run(['create', 'configmap', 'a'], { home });
    const watching = watchFor(home, ['get', 'cm', 'a', '-w', '--output-watch-events', '--request-timeout=5s'], 2);
    await watching.listed;
    await settle(300);
    run(['label', 'cm', 'a', 'x=1'], { home });
    await settle(400);
    run(['create', 'configmap', 'b'], { home });
    const lines = (await watching.done).trimEnd().split('\n').map((l) => l.split(/\s+/).slice(0, 2).join(' '));
    expect(lines).toEqual(['EVENT NAME', 'ADDED a', 'MODIFIED a']);
  });
});
