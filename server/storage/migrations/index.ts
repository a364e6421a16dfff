import { s001Initial } from './001-initial.ts';
import { s002TokenBinding } from './002-token-binding.ts';
import { s003ConflictEvidence } from './003-conflict-evidence.ts';
import { s004RecordsByTask } from './004-records-by-task.ts';
import type { ServerMigration } from './types.ts';

/** In order; a migration's version is its position. Never edit one that has shipped: add the next. */
export const SERVER_MIGRATIONS: readonly ServerMigration[] = [s001Initial, s002TokenBinding, s003ConflictEvidence, s004RecordsByTask];
export type { ServerMigration };

export class NewerServerDatabaseError extends Error {
  override name = 'NewerServerDatabaseError';
}

/**
 * The migrations a database at `current` still needs, in order. A database written by a newer
 * server is refused untouched: this server cannot know what that schema means.
 */
export function pendingMigrations(current: number, migrations: readonly ServerMigration[], where: string): readonly ServerMigration[] {
  const latest = migrations.length;
  if (current > latest) {
    throw new NewerServerDatabaseError(`${where} has server schema ${current}; this server knows up to ${latest}. Update Casebook on this server; nothing was changed.`);
  }
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`server migration ${m.name} is numbered ${m.version}, expected ${i + 1}`);
  });
  return migrations.slice(current);
}
