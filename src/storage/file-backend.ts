// The JSON-file backend: lowdb reads and writes the whole state synchronously (a command has
// nothing else to do meanwhile) as compact JSON (smaller and faster than indented), under a PID
// lock that spans the command's read-modify-write. lowdb's sync writer goes through a temp file
// and a rename, so a reader never sees half a file; the lock makes its fixed temp name safe.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { LowSync } from 'lowdb';
import { DataFileSync } from 'lowdb/node';
import { CliError } from '../cli/errors.js';
import { FileLock } from './lock.js';
import { Store, type StateData } from './store.js';

export interface OpenOptions {
  write: boolean;
  /** makes the first state of a cluster that has no file yet */
  bootstrap: () => StateData;
}

export class FileBackend {
  private readonly lock: FileLock;
  private readonly db: LowSync<StateData | null>;

  constructor(readonly path: string) {
    this.lock = new FileLock(`${path}.lock`);
    this.db = new LowSync<StateData | null>(new DataFileSync<StateData | null>(path, { parse: JSON.parse, stringify: (d) => JSON.stringify(d) }), null);
  }

  exists(): boolean {
    return existsSync(this.path);
  }

  /**
   * Opens the store. Writers hold the lock until close(); readers take a consistent snapshot
   * without it. A missing file is bootstrapped (under the lock); an unreadable one stops the
   * command and is left exactly as it was.
   */
  async open(opts: OpenOptions): Promise<Store> {
    mkdirSync(dirname(this.path), { recursive: true });
    const needsBootstrap = !this.exists();
    if (opts.write || needsBootstrap) this.lock.acquire();
    try {
      this.read();
    } catch (e) {
      this.lock.release();
      throw e;
    }
    if (this.db.data === null) {
      this.db.data = opts.bootstrap();
      const store = new Store(this.db.data);
      store.touchMeta(true);
      return store;
    }
    return new Store(this.db.data);
  }

  private read(): void {
    try {
      this.db.read();
    } catch (e: any) {
      const why = e instanceof SyntaxError ? `it is not valid JSON (${e.message})` : `${e.code ?? ''} ${e.message}`.trim();
      throw new CliError(
        `error: cannot read the cluster state file ${this.path}: ${why}.\n` +
          `minikctl has not changed it. Move it aside to start this cluster afresh, or restore a good copy.`,
      );
    }
    const d = this.db.data as any;
    if (d !== null && (typeof d !== 'object' || d.format !== 'minikctl/v1' || typeof d.objects !== 'object')) {
      throw new CliError(
        `error: the cluster state file ${this.path} is not a minikctl state file (format "minikctl/v1" expected).\n` +
          `minikctl has not changed it. Move it aside to start this cluster afresh, or restore a good copy.`,
      );
    }
  }

  /** Saves if anything changed, then lets go of the lock. */
  async close(store: Store | undefined, save: boolean): Promise<void> {
    try {
      if (save && store?.changed) this.db.write();
    } finally {
      this.lock.release();
    }
  }
}
