/**
 * A numbered, forward-only change of the server's schema, written once per dialect side by side
 * so the two storages cannot drift apart. Each runs in its own transaction on both backends
 * (PostgreSQL DDL is transactional; SQLite's is too).
 */
export interface ServerMigration {
  version: number;
  name: string;
  sqlite: string;
  postgres: string;
}
