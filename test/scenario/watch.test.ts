// get --watch follows what other commands do to the cluster, row by row, as kubectl's watch does.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { run, freshHome, BIN } from './helpers.js';

function watchFor(home: string, args: string[]): Promise<string> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, MINIKCTL_HOME: home, TZ: 'UTC' } });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('exit', () => resolve(out));
  });
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('get --watch', () => {
  it('prints the listing, then a row per added, changed and deleted object', async () => {
    const home = freshHome();
    run(['run', 'web', '--image=nginx'], { home });
    const watching = watchFor(home, ['get', 'pods', '-w', '--request-timeout=4s']);
    await settle(1200);
    run(['run', 'other', '--image=nginx'], { home });
    run(['label', 'pod', 'web', 'tier=front'], { home });
    run(['delete', 'pod', 'web'], { home });
    const lines = (await watching).trimEnd().split('\n').map((l) => l.split(/\s+/).slice(0, 3).join(' '));
    expect(lines).toEqual([
      'NAME READY STATUS',
      'web 0/1 Pending',
      'other 0/1 Pending',
      'web 0/1 Pending',
      'web 0/1 Pending',
    ]);
  });

  it('names each event with --output-watch-events and ends at --request-timeout', async () => {
    const home = freshHome();
    run(['create', 'configmap', 'a'], { home });
    const watching = watchFor(home, ['get', 'cm', 'a', '-w', '--output-watch-events', '--request-timeout=3s']);
    await settle(1200);
    run(['label', 'cm', 'a', 'x=1'], { home });
    run(['create', 'configmap', 'b'], { home });
    const lines = (await watching).trimEnd().split('\n').map((l) => l.split(/\s+/).slice(0, 2).join(' '));
    expect(lines).toEqual(['EVENT NAME', 'ADDED a', 'MODIFIED a']);
  });
});
