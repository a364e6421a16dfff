import type { Database } from 'better-sqlite3';
import type { Adjudication, Annotation } from '../../../shared/domain/index.ts';

export type OutboxRecord = { type: 'annotation'; record: Annotation } | { type: 'adjudication'; record: Adjudication };

/**
 * Puts submitted work in the outbox. Call it inside the transaction that submits the record,
 * so a record is submitted if and only if it is queued for sync. The body is stored as the
 * exact JSON that will go into the batch.
 */
export function enqueue(db: Database, item: OutboxRecord, at: string): void {
  db.prepare('INSERT INTO outbox (kind, record_id, body, enqueued_at) VALUES (?, ?, ?, ?)').run(item.type, item.record.id, JSON.stringify(item.record), at);
}

export interface OutboxCounts {
  /** Records not yet sealed into a batch. */
  unsealed: number;
  /** Records in batches the server has not yet acknowledged. */
  unsent: number;
  /** Batches waiting to be pushed (sealed or signed). */
  pendingBatches: number;
  sentBatches: number;
  refusedBatches: number;
  /** Records in refused batches (counted in unsent too). */
  refusedRecords: number;
}

export function outboxCounts(db: Database): OutboxCounts {
  const unsealed = (db.prepare('SELECT COUNT(*) AS n FROM outbox WHERE id > (SELECT COALESCE(MAX(last_outbox_id), 0) FROM sync_batches)').get() as { n: number }).n;
  const rows = db.prepare('SELECT state, COUNT(*) AS n, SUM(record_count) AS records FROM sync_batches GROUP BY state').all() as {
    state: string;
    n: number;
    records: number;
  }[];
  const by = (s: string) => rows.find((r) => r.state === s);
  return {
    unsealed,
    unsent: unsealed + (by('sealed')?.records ?? 0) + (by('signed')?.records ?? 0) + (by('refused')?.records ?? 0),
    pendingBatches: (by('sealed')?.n ?? 0) + (by('signed')?.n ?? 0),
    sentBatches: by('sent')?.n ?? 0,
    refusedBatches: by('refused')?.n ?? 0,
    refusedRecords: by('refused')?.records ?? 0,
  };
}
