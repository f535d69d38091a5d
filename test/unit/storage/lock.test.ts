// The cluster lock: exclusive while its holder lives, taken over once the holder is gone.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { FileLock } from '../../../src/storage/lock.js';

const dir = () => mkdtempSync(join(tmpdir(), 'minikctl-lock-'));

function deadPid(): number {
  // A process that has exited: its PID is free (and very unlikely to be reused within the test).
  return spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' }).stdout.trim() as unknown as number;
}

describe('FileLock', () => {
  it('writes its holder PID and removes the file on release', () => {
    const p = join(dir(), 'state.json.lock');
    const l = new FileLock(p);
    l.acquire();
    expect(readFileSync(p, 'utf8')).toBe(String(process.pid));
    l.release();
    expect(existsSync(p)).toBe(false);
  });

  it('takes over a lock whose holder has exited, however recent', () => {
    const p = join(dir(), 'state.json.lock');
    writeFileSync(p, String(deadPid()));
    const l = new FileLock(p);
    l.acquire(2000);
    expect(readFileSync(p, 'utf8')).toBe(String(process.pid));
    l.release();
  });

  it('waits for a live holder and gives up with a message naming the file and the holder', () => {
    const p = join(dir(), 'state.json.lock');
    writeFileSync(p, '1'); // PID 1 is always alive
    const l = new FileLock(p);
    expect(() => l.acquire(150)).toThrow(`error: timed out waiting for the cluster lock ${p} held by process 1`);
    expect(readFileSync(p, 'utf8')).toBe('1');
  });
});
