import type { Database } from 'better-sqlite3';
import type { Adjudication, Annotation } from '../../../shared/domain/index.ts';
import type { BatchRef, UnitAnnotation } from '../../../shared/export/unit.ts';
import { byRevision } from '../../../shared/review/decision.ts';

/**
 * The stored bodies of all work on one task, local and received alike. Bodies are read with
 * JSON.parse and not validated again: local ones were validated when written, received ones
 * when their signed batch was verified on receipt (migration 004); validating 300k records on
 * every read would cost seconds for nothing.
 */

export type WorkAdjudication = Adjudication & { batch: BatchRef | null; origin: 'local' | 'received' };
export type WorkAnnotation = UnitAnnotation & { origin: 'local' | 'received' };

interface LocalRow {
  body: string;
  device_id: string | null;
  seq: number | null;
  hash: string | null;
}

interface ReceivedRow {
  body: string;
  device_id: string;
  seq: number;
  hash: string;
}

const ref = (r: { device_id: string | null; seq: number | null; hash: string | null }): BatchRef | null =>
  r.device_id !== null && r.seq !== null && r.hash !== null ? { deviceId: r.device_id, seq: r.seq, hash: r.hash } : null;

/** The signed batch a local record went out in: the outbox id falls in the batch's id range. */
const LOCAL_BATCH = `LEFT JOIN outbox o ON o.record_id = x.id
  LEFT JOIN sync_batches sb ON o.id BETWEEN sb.first_outbox_id AND sb.last_outbox_id AND sb.hash IS NOT NULL`;

export interface WorkStatements {
  localAnnotations: (bundleId: string, taskId: string) => LocalRow[];
  receivedAnnotations: (bundleId: string, taskId: string) => ReceivedRow[];
  localAdjudications: (bundleId: string, taskId: string) => LocalRow[];
  receivedAdjudications: (bundleId: string, taskId: string) => ReceivedRow[];
}

const cache = new WeakMap<Database, WorkStatements>();

/** Prepared once per connection: the read model runs these for every task of a 100k-task bundle. */
export function workStatements(db: Database): WorkStatements {
  const hit = cache.get(db);
  if (hit) return hit;
  const la = db.prepare(`SELECT x.body, sb.device_id, sb.seq, sb.hash FROM annotations x ${LOCAL_BATCH} WHERE x.bundle_id = ? AND x.task_id = ? AND x.status = 'submitted' ORDER BY x.annotator_id, x.revision`);
  const ra = db.prepare(
    `SELECT rr.body, rr.device_id, rr.seq, b.hash FROM received_records rr JOIN received_batches b ON b.device_id = rr.device_id AND b.seq = rr.seq
     WHERE rr.bundle_id = ? AND rr.task_id = ? AND rr.kind = 'annotation' AND rr.body IS NOT NULL AND rr.issues IS NULL ORDER BY rr.author_id, rr.revision`,
  );
  const ld = db.prepare(`SELECT x.body, sb.device_id, sb.seq, sb.hash FROM adjudications x ${LOCAL_BATCH} WHERE x.bundle_id = ? AND x.task_id = ? ORDER BY x.revision`);
  const rd = db.prepare(
    `SELECT rr.body, rr.device_id, rr.seq, b.hash FROM received_records rr JOIN received_batches b ON b.device_id = rr.device_id AND b.seq = rr.seq
     WHERE rr.bundle_id = ? AND rr.task_id = ? AND rr.kind = 'adjudication' AND rr.body IS NOT NULL AND rr.issues IS NULL ORDER BY rr.revision`,
  );
  const s: WorkStatements = {
    localAnnotations: (b, t) => la.all(b, t) as LocalRow[],
    receivedAnnotations: (b, t) => ra.all(b, t) as ReceivedRow[],
    localAdjudications: (b, t) => ld.all(b, t) as LocalRow[],
    receivedAdjudications: (b, t) => rd.all(b, t) as ReceivedRow[],
  };
  cache.set(db, s);
  return s;
}

/** Every submitted annotation revision on the task, local and received, each once (by id). */
export function taskAnnotations(db: Database, bundleId: string, taskId: string): WorkAnnotation[] {
  const s = workStatements(db);
  const out = new Map<string, WorkAnnotation>();
  for (const r of s.localAnnotations(bundleId, taskId)) {
    const a = JSON.parse(r.body) as Annotation;
    out.set(a.id, { ...a, batch: ref(r), origin: 'local' });
  }
  for (const r of s.receivedAnnotations(bundleId, taskId)) {
    const a = JSON.parse(r.body) as Annotation;
    if (!out.has(a.id)) out.set(a.id, { ...a, batch: ref(r), origin: 'received' });
  }
  return [...out.values()];
}

/** Every adjudication of the task, local and received, each once, oldest revision first. */
export function taskAdjudications(db: Database, bundleId: string, taskId: string): WorkAdjudication[] {
  const s = workStatements(db);
  const out = new Map<string, WorkAdjudication>();
  for (const r of s.localAdjudications(bundleId, taskId)) {
    const a = JSON.parse(r.body) as Adjudication;
    out.set(a.id, { ...a, batch: ref(r), origin: 'local' });
  }
  for (const r of s.receivedAdjudications(bundleId, taskId)) {
    const a = JSON.parse(r.body) as Adjudication;
    if (!out.has(a.id)) out.set(a.id, { ...a, batch: ref(r), origin: 'received' });
  }
  return [...out.values()].sort(byRevision);
}

/** Each annotator's latest submitted revision (highest revision; a received copy and a local one are the same id). */
export function latestByAuthor<T extends Annotation>(all: readonly T[]): T[] {
  const best = new Map<string, T>();
  for (const a of all) {
    const cur = best.get(a.annotatorId);
    if (!cur || a.revision > cur.revision || (a.revision === cur.revision && (a.submittedAt ?? '') > (cur.submittedAt ?? ''))) best.set(a.annotatorId, a);
  }
  return [...best.values()].sort((x, y) => x.annotatorName.localeCompare(y.annotatorName) || x.annotatorId.localeCompare(y.annotatorId));
}
