// An exclusive lock over a cluster's whole read-modify-write, held in a file beside the state file.
// The file names its holder's PID: a lock whose holder is gone is stale whatever its age, and a lock
// whose holder lives is honoured however old it is (a long `rollout status` may hold it for minutes).
import { openSync, writeSync, closeSync, readFileSync, unlinkSync } from 'node:fs';
import { CliError } from '../cli/errors.js';

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleepMs(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e: any) {
    return e.code === 'EPERM';
  }
}

export class FileLock {
  private held = false;
  private readonly onExit = () => this.release();

  constructor(readonly path: string) {}

  acquire(timeoutMs = 120_000): void {
    const deadline = Date.now() + timeoutMs;
    let wait = 2;
    for (;;) {
      try {
        const fd = openSync(this.path, 'wx');
        writeSync(fd, String(process.pid));
        closeSync(fd);
        this.held = true;
        process.once('exit', this.onExit);
        return;
      } catch (e: any) {
        if (e.code !== 'EEXIST') throw e;
      }
      let holder = NaN;
      try {
        holder = Number.parseInt(readFileSync(this.path, 'utf8'), 10);
      } catch {
        continue; // released between our open and our read
      }
      // A holder that has written nothing yet is mid-acquire: treat it as alive.
      if (!Number.isNaN(holder) && !alive(holder)) {
        this.removeIfHeldBy(holder);
        continue;
      }
      if (Date.now() > deadline) {
        throw new CliError(
          `error: timed out waiting for the cluster lock ${this.path} held by process ${holder}; ` +
            `if no minikctl command is running, delete that file and try again`,
        );
      }
      sleepMs(wait);
      wait = Math.min(wait * 2, 50);
    }
  }

  private removeIfHeldBy(pid: number): void {
    try {
      if (Number.parseInt(readFileSync(this.path, 'utf8'), 10) === pid) unlinkSync(this.path);
    } catch {
      /* already gone */
    }
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    process.removeListener('exit', this.onExit);
    this.removeIfHeldBy(process.pid);
  }
}
