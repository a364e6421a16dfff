import type { Database } from 'better-sqlite3';
import type { Migration } from './types.ts';

/**
 * All work, queryable, and the reviewers' workspace.
 *
 * - received_records gains the record's body (its JSON exactly as it was verified inside its
 *   signed batch, on receipt: never verified again) and the columns the read model keys on
 *   (revision, supersedes, task hash), plus `issues`: the submission rules' complaints when a
 *   verified record breaks them (kept, since the batch is the device's signed chain, but left
 *   out of review and export). Rows received before are filled from their batch envelopes.
 * - adjudications: this workstation's submitted decisions (immutable, like annotations);
 *   received ones live in received_records with their bodies.
 * - adjudication_drafts: a reviewer's unfinished decision per task.
 * - review_index / review_criteria / review_authors: per task, how much its annotators disagree
 *   and what the queue filters on, kept in step with every write (electron/core/review/index.ts),
 *   so the first page of a 100k-task queue is one index range scan.
 */
export const m004WorkReadModel: Migration = {
  version: 4,
  name: 'work read model: received bodies, adjudications, review index',
  up: (db) => {
    db.exec(`
      ALTER TABLE received_records ADD COLUMN body TEXT;
      ALTER TABLE received_records ADD COLUMN revision INTEGER;
      ALTER TABLE received_records ADD COLUMN supersedes TEXT;
      ALTER TABLE received_records ADD COLUMN task_hash TEXT;
      ALTER TABLE received_records ADD COLUMN issues TEXT;
      CREATE INDEX received_records_by_author ON received_records (bundle_id, author_id, task_id);

      CREATE TABLE adjudications (
        id TEXT PRIMARY KEY,
        bundle_id TEXT NOT NULL,
        task_id TEXT NOT NULL,
        reviewer_id TEXT NOT NULL,
        revision INTEGER NOT NULL CHECK (revision >= 1),
        supersedes TEXT,
        task_hash TEXT NOT NULL,
        bundle_version INTEGER NOT NULL,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX adjudications_by_task ON adjudications (bundle_id, task_id, revision);
      CREATE TRIGGER adjudications_immutable BEFORE UPDATE ON adjudications
        BEGIN SELECT RAISE(ABORT, 'submitted adjudications are immutable'); END;
      CREATE TRIGGER adjudications_undeletable BEFORE DELETE ON adjudications
        BEGIN SELECT RAISE(ABORT, 'submitted adjudications cannot be deleted'); END;

      CREATE TABLE adjudication_drafts (
        bundle_id TEXT NOT NULL,
        task_id TEXT NOT NULL,
        reviewer_id TEXT NOT NULL,
        body TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (bundle_id, task_id, reviewer_id)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE review_index (
        bundle_id TEXT NOT NULL,
        task_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        kind TEXT NOT NULL,
        -- Annotators whose latest submitted revision is on the task's current content.
        annotators INTEGER NOT NULL,
        score REAL NOT NULL,
        parts TEXT NOT NULL,
        unanimous INTEGER NOT NULL CHECK (unanimous IN (0, 1)),
        gold INTEGER NOT NULL CHECK (gold IN (0, 1)),
        escalations INTEGER NOT NULL,
        open_escalations INTEGER NOT NULL,
        -- The adjudication in force: none, current, or stale (work arrived or was revised after it).
        adjudication TEXT NOT NULL CHECK (adjudication IN ('none', 'current', 'stale')),
        adjudication_id TEXT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (bundle_id, task_id)
      ) STRICT, WITHOUT ROWID;
      -- The queue: tasks with two or more annotators, most disagreement first, then bundle order.
      -- It covers the filtered columns, so a page and its (capped) total never read the table's rows.
      CREATE INDEX review_queue ON review_index (bundle_id, score DESC, position, adjudication, open_escalations, escalations, gold, kind, unanimous) WHERE annotators >= 2;
      -- The same queue holding only tasks with an unresolved escalation (about 1 in 100): on
      -- review_queue that filter walks ~100 entries per match, and its count every entry.
      CREATE INDEX review_queue_open ON review_index (bundle_id, score DESC, position, adjudication, escalations, gold, kind, unanimous) WHERE annotators >= 2 AND open_escalations > 0;
      CREATE TABLE review_criteria (
        bundle_id TEXT NOT NULL,
        criterion_id TEXT NOT NULL,
        task_id TEXT NOT NULL,
        spread REAL NOT NULL,
        PRIMARY KEY (bundle_id, criterion_id, task_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX review_criteria_by_task ON review_criteria (bundle_id, task_id);
      CREATE TABLE review_authors (
        bundle_id TEXT NOT NULL,
        author_id TEXT NOT NULL,
        task_id TEXT NOT NULL,
        PRIMARY KEY (bundle_id, author_id, task_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX review_authors_by_task ON review_authors (bundle_id, task_id);
    `);
    backfillBodies(db);
    // The review index is filled by the core on open (electron/core/review/index.ts,
    // rebuildReviewIndexIfEmpty): its rules may change in later versions, and a shipped migration
    // must not change with them.
  },
};

/** The payload of a batch envelope this store already verified on receipt. */
function payloadOf(envelope: Buffer): { records?: { type?: string; record?: Record<string, unknown> }[] } | null {
  try {
    const env = JSON.parse(envelope.toString('utf8')) as { payload?: unknown };
    if (typeof env.payload !== 'string') return null;
    return JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8')) as { records?: { type?: string; record?: Record<string, unknown> }[] };
  } catch {
    return null;
  }
}

function backfillBodies(db: Database): void {
  const batches = db.prepare('SELECT device_id, seq, envelope FROM received_batches ORDER BY device_id, seq').iterate() as IterableIterator<{ device_id: string; seq: number; envelope: Buffer }>;
  const rows = db.prepare('SELECT id, position FROM received_records WHERE device_id = ? AND seq = ?');
  const set = db.prepare('UPDATE received_records SET body = ?, revision = ?, supersedes = ?, task_hash = ? WHERE id = ?');
  const updates: [string, number | null, string | null, string | null, string][] = [];
  for (const b of batches) {
    const payload = payloadOf(b.envelope);
    for (const r of rows.all(b.device_id, b.seq) as { id: string; position: number }[]) {
      const rec = payload?.records?.[r.position]?.record;
      if (!rec || rec['id'] !== r.id) continue;
      const num = (k: string) => (typeof rec[k] === 'number' ? (rec[k] as number) : null);
      const str = (k: string) => (typeof rec[k] === 'string' ? (rec[k] as string) : null);
      updates.push([JSON.stringify(rec), num('revision'), str('supersedes'), str('taskHash'), r.id]);
    }
  }
  for (const u of updates) set.run(...u);
}
