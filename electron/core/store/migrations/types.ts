import type { Database } from 'better-sqlite3';

/** A numbered, forward-only schema change. Each runs in its own transaction. */
export interface Migration {
  version: number;
  name: string;
  up: (db: Database) => void;
}
