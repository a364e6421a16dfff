import type { Database } from 'better-sqlite3';
import type { CoreEvent } from '../../shared/contract/index.ts';
import type { KeyVault } from './vault/key-vault.ts';
import type { WorkstationLock } from './lock/lock.ts';
import type { ImportOptions, ImportResult } from './bundles/import.ts';

/** What every core service is given: the store, the clock, where secrets live, and a way to tell the UI. */
export interface CoreContext {
  db: Database;
  dataDir: string;
  /** The store file, named in messages about it. */
  storePath: string;
  encrypted: boolean;
  host: 'electron' | 'web';
  now: () => Date;
  keyVault: KeyVault;
  lock: WorkstationLock;
  emit: (event: CoreEvent) => void;
  /**
   * For long jobs that run outside the call queue: runs one short step on the queue, so no
   * other call interleaves with it, while other calls still get their turn between steps.
   */
  serial: <T>(step: () => T | Promise<T>) => Promise<T>;
  /** Imports a bundle file (one import at a time, in queued steps). */
  importBundle: (path: string, opts?: ImportOptions) => Promise<ImportResult>;
}
