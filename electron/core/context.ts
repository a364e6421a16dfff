import type { Database } from 'better-sqlite3';
import type { CoreEvent } from '../../shared/contract/index.ts';
import type { KeyVault } from './identity/key-vault.ts';
import type { ImportOptions, ImportResult } from './bundles/import-options.ts';

/** What every core service is given: the store, the clock, where secrets live, and a way to tell the UI. */
export interface CoreContext {
  db: Database;
  dataDir: string;
  host: 'electron' | 'web';
  now: () => Date;
  keyVault: KeyVault;
  emit: (event: CoreEvent) => void;
  /**
   * The single writer (Core.exclusive): runs one step as a turn of the call queue, so no other
   * call interleaves with it. Jobs and network waits (lock `job`, `self`) take a turn per store
   * step, so other calls get theirs in between.
   */
  exclusive: <T>(step: () => T | Promise<T>) => Promise<T>;
  /** Imports a bundle file (one import at a time, in queued steps). */
  importBundle: (path: string, opts?: ImportOptions) => Promise<ImportResult>;
}
