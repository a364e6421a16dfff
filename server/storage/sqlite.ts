import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { GENESIS_HASH } from '../../shared/domain/index.ts';
import type { BundleListing, ProgressRow } from '../../shared/sync/wire.ts';
import { pendingMigrations, SERVER_MIGRATIONS, type ServerMigration } from './migrations/index.ts';
import { withBodies } from './record-bodies.ts';
import { decideBatch } from '../../shared/sync/chain.ts';
import { conflictEvidence, MAX_CONFLICTS_PER_DEVICE } from './conflicts.ts';
import { conflictReason, Refusal, toConflict, toDevice, type ConflictDbRow, type DeviceRow } from './rows.ts';
import { planEnrolment, type TokenRow } from './enrolment.ts';
import type { AcceptInput, AcceptOutcome, ConflictRow, DeviceRecord, EnrolOutcome, NewDevice, StoredBatch, SyncStorage, TokenBinding } from './types.ts';

/** The embedded default: one SQLite file in the server's data directory, WAL + synchronous=FULL. */
export class SqliteStorage implements SyncStorage {
  readonly kind = 'sqlite' as const;
  readonly db: Database;

  constructor(private readonly path: string) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    this.db = new BetterSqlite3(path);
    this.db.pragma('journal_mode = WAL');
    // A receipt promises durability: the commit must reach the disk before we answer.
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
  }

  async migrate(migrations: readonly ServerMigration[] = SERVER_MIGRATIONS): Promise<void> {
    const version = () => this.db.pragma('user_version', { simple: true }) as number;
    for (const m of pendingMigrations(version(), migrations, this.path)) {
      this.db
        .transaction(() => {
          // Another process may have applied it meanwhile: the version decides, under the write lock.
          if (version() >= m.version) return;
          this.db.exec(m.sqlite);
          this.db.pragma(`user_version = ${m.version}`);
        })
        .immediate();
    }
  }

  async close(): Promise<void> {
    this.db.close();
  }

  async getMeta(key: string): Promise<string | null> {
    const r = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return r?.value ?? null;
  }

  async initMeta(key: string, value: string): Promise<string> {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING').run(key, value);
    return (await this.getMeta(key))!;
  }

  async createEnrolToken(tokenHash: string, b: TokenBinding, label: string, createdAt: string, expiresAt: string): Promise<void> {
    this.db
      .prepare('INSERT INTO enrol_tokens (token_hash, label, created_at, expires_at, user_id, display_name, role) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(tokenHash, label, createdAt, expiresAt, b.userId, b.displayName, b.role);
  }

  async enrol(tokenHash: string, d: NewDevice, claims: Partial<TokenBinding>, now: string): Promise<EnrolOutcome> {
    return this.db
      .transaction((): EnrolOutcome => {
        const t = this.db.prepare('SELECT expires_at, used_at, user_id, display_name, role FROM enrol_tokens WHERE token_hash = ?').get(tokenHash) as TokenRow | undefined;
        const existing = this.db.prepare('SELECT * FROM devices WHERE device_id = ? OR key_id = ?').get(d.deviceId, d.keyId) as DeviceRow | undefined;
        const plan = planEnrolment(t, existing, d, claims, now);
        if (plan.kind === 'refuse') return plan.outcome;
        const { binding: b } = plan;
        this.db.prepare('UPDATE enrol_tokens SET used_at = ?, used_by = ? WHERE token_hash = ?').run(now, d.deviceId, tokenHash);
        if (plan.kind === 'rebind') {
          this.db.prepare('UPDATE devices SET display_name = ?, role = ? WHERE device_id = ?').run(b.displayName, b.role, d.deviceId);
          return { kind: 'enrolled', lastSeq: plan.lastSeq, binding: b };
        }
        this.db
          .prepare(
            `INSERT INTO devices (device_id, key_id, public_jwk, user_id, display_name, role, enrolled_at, last_hash)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(d.deviceId, d.keyId, JSON.stringify(d.publicJwk), b.userId, b.displayName, b.role, now, GENESIS_HASH);
        return { kind: 'enrolled', lastSeq: 0, binding: b };
      })
      .immediate();
  }

  async findDeviceByKeyId(keyId: string): Promise<DeviceRecord | null> {
    const r = this.db.prepare('SELECT * FROM devices WHERE key_id = ?').get(keyId) as DeviceRow | undefined;
    return r ? toDevice(r) : null;
  }

  async findDevice(deviceId: string): Promise<DeviceRecord | null> {
    const r = this.db.prepare('SELECT * FROM devices WHERE device_id = ?').get(deviceId) as DeviceRow | undefined;
    return r ? toDevice(r) : null;
  }

  async listDevices(): Promise<DeviceRecord[]> {
    return (this.db.prepare('SELECT * FROM devices ORDER BY enrolled_at, device_id').all() as DeviceRow[]).map(toDevice);
  }

  async revokeDevice(deviceId: string, now: string): Promise<boolean> {
    return this.db.prepare('UPDATE devices SET revoked_at = ? WHERE device_id = ? AND revoked_at IS NULL').run(now, deviceId).changes === 1;
  }

  async acceptBatch(input: AcceptInput): Promise<AcceptOutcome> {
    const db = this.db;
    const recordConflict = (reason: string, existingHash: string | null) => {
      const kept = db.prepare('SELECT COUNT(*) FROM conflicts WHERE device_id = ?').pluck().get(input.deviceId) as number;
      if (kept >= MAX_CONFLICTS_PER_DEVICE) return;
      const { prefix, size } = conflictEvidence(input.envelope);
      db.prepare('INSERT INTO conflicts (device_id, seq, reason, existing_hash, offered_hash, envelope_prefix, envelope_size, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
        input.deviceId,
        input.seq,
        reason,
        existingHash,
        input.hash,
        prefix,
        size,
        input.now,
      );
    };
    const insertRecord = db.prepare(
      `INSERT INTO records (id, kind, device_id, seq, author_id, author_name, bundle_id, bundle_version, task_id, position, accepted_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    );
    try {
      return db
        .transaction((): AcceptOutcome => {
          const dev = db.prepare('SELECT key_id, revoked_at, last_seq, last_hash FROM devices WHERE device_id = ?').get(input.deviceId) as
            | Pick<DeviceRow, 'key_id' | 'revoked_at' | 'last_seq' | 'last_hash'>
            | undefined;
          // Checked again inside the transaction: a revocation that lands mid-request wins.
          if (!dev || dev.revoked_at || dev.key_id !== input.keyId) return { kind: 'revoked' };
          const held = db.prepare('SELECT hash, receipt FROM batches WHERE device_id = ? AND seq = ?').get(input.deviceId, input.seq) as
            | { hash: string; receipt: Buffer }
            | undefined;
          const decision = decideBatch({ lastSeq: dev.last_seq, lastHash: dev.last_hash }, held?.hash ?? null, input);
          if (decision.kind === 'duplicate') return { kind: 'duplicate', receipt: held!.receipt };
          if (decision.kind !== 'accept') {
            const reason = conflictReason(decision);
            if (reason) recordConflict(reason, decision.kind === 'conflict' ? decision.existingHash : dev.last_hash);
            return decision;
          }
          const receipt = input.receipt(input.now);
          db.prepare('INSERT INTO batches (device_id, seq, hash, envelope, receipt, record_count, accepted_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
            input.deviceId,
            input.seq,
            input.hash,
            input.envelope,
            receipt,
            input.records.length,
            input.now,
          );
          for (const r of input.records) {
            const res = insertRecord.run(r.id, r.kind, input.deviceId, input.seq, r.authorId, r.authorName, r.bundleId, r.bundleVersion, r.taskId, r.position, input.now);
            if (res.changes === 0) throw new Refusal({ kind: 'record_clash', recordId: r.id });
          }
          db.prepare('UPDATE devices SET last_seq = ?, last_hash = ? WHERE device_id = ?').run(input.seq, input.hash, input.deviceId);
          return { kind: 'accepted', receipt };
        })
        .immediate();
    } catch (e) {
      if (!(e instanceof Refusal)) throw e;
      if (e.outcome.kind === 'record_clash') recordConflict(`record ${e.outcome.recordId} was already accepted in another batch`, null);
      return e.outcome;
    }
  }

  async listConflicts(deviceId?: string): Promise<ConflictRow[]> {
    const rows = this.db
      .prepare(`SELECT device_id, seq, reason, existing_hash, offered_hash, envelope_size, at FROM conflicts ${deviceId ? 'WHERE device_id = ?' : ''} ORDER BY id`)
      .all(...(deviceId ? [deviceId] : [])) as ConflictDbRow[];
    return rows.map(toConflict);
  }

  async listBatches(f: { deviceId?: string; afterSeq?: number; limit: number }): Promise<StoredBatch[]> {
    const where = f.deviceId ? 'WHERE device_id = ? AND seq > ?' : '';
    const args = f.deviceId ? [f.deviceId, f.afterSeq ?? 0] : [];
    const rows = this.db
      .prepare(`SELECT device_id, seq, hash, envelope, accepted_at FROM batches ${where} ORDER BY device_id, seq LIMIT ?`)
      .all(...args, f.limit) as { device_id: string; seq: number; hash: string; envelope: Buffer; accepted_at: string }[];
    return rows.map((r) => ({ deviceId: r.device_id, seq: r.seq, hash: r.hash, envelope: r.envelope, acceptedAt: r.accepted_at }));
  }

  async listDecisionBatchesFor(f: { deviceId: string; afterSeq: number; limit: number; authorId: string }): Promise<StoredBatch[]> {
    const rows = this.db
      .prepare(
        `SELECT b.device_id, b.seq, b.hash, b.envelope, b.accepted_at FROM batches b
         WHERE b.device_id = @device AND b.seq > @after
           AND b.seq IN (SELECT d.seq FROM records a JOIN records d ON d.bundle_id = a.bundle_id AND d.task_id = a.task_id AND d.kind = 'adjudication'
                         WHERE a.author_id = @author AND a.kind = 'annotation' AND d.device_id = @device AND d.seq > @after)
         ORDER BY b.seq LIMIT @limit`,
      )
      .all({ device: f.deviceId, after: f.afterSeq, author: f.authorId, limit: f.limit }) as { device_id: string; seq: number; hash: string; envelope: Buffer; accepted_at: string }[];
    return rows.map((r) => ({ deviceId: r.device_id, seq: r.seq, hash: r.hash, envelope: r.envelope, acceptedAt: r.accepted_at }));
  }

  async countRecords(): Promise<{ total: number; distinct: number }> {
    return this.db.prepare('SELECT COUNT(*) AS total, COUNT(DISTINCT id) AS "distinct" FROM records').get() as { total: number; distinct: number };
  }

  async progress(): Promise<ProgressRow[]> {
    const rows = this.db
      .prepare(
        `SELECT author_id, MAX(author_name) AS author_name, bundle_id, SUM(kind = 'annotation') AS annotations,
                SUM(kind = 'adjudication') AS adjudications, MAX(accepted_at) AS last_accepted_at
         FROM records GROUP BY author_id, bundle_id ORDER BY bundle_id, author_name`,
      )
      .all() as { author_id: string; author_name: string; bundle_id: string; annotations: number; adjudications: number; last_accepted_at: string | null }[];
    return rows.map((r) => ({
      annotatorId: r.author_id,
      annotatorName: r.author_name,
      bundleId: r.bundle_id,
      annotations: r.annotations,
      adjudications: r.adjudications,
      lastAcceptedAt: r.last_accepted_at,
    }));
  }

  async exportRecords(after: number, limit: number) {
    const rows = this.db
      .prepare('SELECT cursor, kind, device_id AS deviceId, seq, position, accepted_at AS acceptedAt FROM records WHERE cursor > ? ORDER BY cursor LIMIT ?')
      .all(after, limit) as { cursor: number; kind: string; deviceId: string; seq: number; position: number; acceptedAt: string }[];
    const envelope = this.db.prepare('SELECT envelope FROM batches WHERE device_id = ? AND seq = ?').pluck();
    return withBodies(rows, async (deviceId, seq) => envelope.get(deviceId, seq) as Buffer);
  }

  async putBundle(bundleId: string, version: number, sha256: string, bytes: Buffer, now: string): Promise<'stored' | 'exists' | 'refused'> {
    return this.db
      .transaction(() => {
        const max = this.db.prepare('SELECT MAX(version) AS v FROM bundles WHERE bundle_id = ?').get(bundleId) as { v: number | null };
        if (max.v !== null && version < max.v) return 'refused' as const;
        const same = this.db.prepare('SELECT sha256 FROM bundles WHERE bundle_id = ? AND version = ?').get(bundleId, version) as { sha256: string } | undefined;
        if (same) return same.sha256 === sha256 ? ('exists' as const) : ('refused' as const);
        this.db.prepare('INSERT INTO bundles (bundle_id, version, sha256, bytes, uploaded_at) VALUES (?, ?, ?, ?, ?)').run(bundleId, version, sha256, bytes, now);
        return 'stored' as const;
      })
      .immediate();
  }

  async listBundles(): Promise<BundleListing[]> {
    const rows = this.db.prepare('SELECT bundle_id, version, sha256, LENGTH(bytes) AS size, uploaded_at FROM bundles ORDER BY bundle_id, version').all() as {
      bundle_id: string;
      version: number;
      sha256: string;
      size: number;
      uploaded_at: string;
    }[];
    return rows.map((r) => ({ bundleId: r.bundle_id, version: r.version, sha256: r.sha256, size: r.size, uploadedAt: r.uploaded_at }));
  }

  async getBundle(bundleId: string, version: number): Promise<Buffer | null> {
    const r = this.db.prepare('SELECT bytes FROM bundles WHERE bundle_id = ? AND version = ?').get(bundleId, version) as { bytes: Buffer } | undefined;
    return r?.bytes ?? null;
  }
}
