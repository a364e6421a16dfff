import type { Database } from 'better-sqlite3';
import type { CoreEvent } from '../../shared/contract/index.ts';
import type { KeyVault } from './identity/key-vault.ts';

/** What every core service is given: the store, the clock, where secrets live, and a way to tell the UI. */
export interface CoreContext {
  db: Database;
  dataDir: string;
  host: 'electron' | 'web';
  now: () => Date;
  keyVault: KeyVault;
  emit: (event: CoreEvent) => void;
}
