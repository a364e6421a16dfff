import type { ServerMigration } from './types.ts';

/**
 * An author is served only the reviewer batches deciding a task they annotated
 * (listDecisionBatchesFor): the query goes from the author's annotations (records_by_author) to
 * the decisions on the same tasks, which needs the records of a task found by index; without it
 * each of the author's tasks would scan every record the server holds. The SQLite schema never
 * had records_by_author (PostgreSQL's 001 made it), so the author's records get it here too.
 */
export const s004RecordsByTask: ServerMigration = {
  version: 4,
  name: 'records are found by task and by author',
  sqlite: `
    CREATE INDEX records_by_task ON records (bundle_id, task_id, kind);
    CREATE INDEX IF NOT EXISTS records_by_author ON records (author_id, bundle_id);
  `,
  postgres: `
    CREATE INDEX records_by_task ON records (bundle_id, task_id, kind);
    CREATE INDEX IF NOT EXISTS records_by_author ON records (author_id, bundle_id);
  `,
};
