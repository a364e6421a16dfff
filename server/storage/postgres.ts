import pg from 'pg';
import { GENESIS_HASH } from '../../shared/domain/index.ts';
import type { BundleListing, ProgressRow } from '../../shared/sync/wire.ts';
import { pendingMigrations, SERVER_MIGRATIONS, type ServerMigration } from './migrations/index.ts';
import { withBodies } from './record-bodies.ts';
import { decideBatch } from '../../shared/sync/chain.ts';
import { conflictEvidence, MAX_CONFLICTS_PER_DEVICE } from './conflicts.ts';
import { conflictReason, Refusal, toConflict, toDevice, type ConflictDbRow, type DeviceRow } from './rows.ts';
import { planEnrolment, type TokenRow } from './enrolment.ts';
import type { AcceptInput, AcceptOutcome, ConflictRow, DeviceRecord, EnrolOutcome, NewDevice, StoredBatch, SyncStorage, TokenBinding } from './types.ts';

/**
 * PostgreSQL behind the same interface, for organisations that run several server processes.
 * acceptBatch locks the device row (SELECT … FOR UPDATE) for the whole transaction, so two
 * processes can never both accept the same seq; the (device_id, seq) primary key is the backstop.
 */
export class PostgresStorage implements SyncStorage {
  readonly kind = 'postgres' as const;
  private readonly pool: pg.Pool;

  constructor(url: string) {
    this.pool = new pg.Pool({ connectionString: url, max: 8 });
    // An idle client losing its connection must not crash the server.
    this.pool.on('error', () => undefined);
  }

  private async tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const out = await fn(c);
      await c.query('COMMIT');
      return out;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      c.release();
    }
  }

  /** One migration per transaction, each under an advisory lock: several processes may start at once. */
  async migrate(migrations: readonly ServerMigration[] = SERVER_MIGRATIONS): Promise<void> {
    for (;;) {
      const applied = await this.tx(async (c) => {
        await c.query('SELECT pg_advisory_xact_lock(7420001)');
        const next = pendingMigrations(await this.schemaVersion(c), migrations, 'this PostgreSQL database')[0];
        if (!next) return false;
        await c.query(next.postgres);
        await c.query("INSERT INTO meta (key, value) VALUES ('schema_version', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [String(next.version)]);
        return true;
      });
      if (!applied) return;
    }
  }

  /** 0 for an empty database; the version lives in meta (created by migration 1). */
  async schemaVersion(c: pg.PoolClient | pg.Pool = this.pool): Promise<number> {
    const exists = (await c.query<{ t: string | null }>("SELECT to_regclass('meta')::text AS t")).rows[0]!.t;
    if (!exists) return 0;
    const row = (await c.query<{ value: string }>("SELECT value FROM meta WHERE key = 'schema_version'")).rows[0];
    return row ? Number(row.value) : 0;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  async getMeta(key: string): Promise<string | null> {
    const r = await this.pool.query<{ value: string }>('SELECT value FROM meta WHERE key = $1', [key]);
    return r.rows[0]?.value ?? null;
  }

  async initMeta(key: string, value: string): Promise<string> {
    await this.pool.query('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, value]);
    return (await this.getMeta(key))!;
  }

  async createEnrolToken(tokenHash: string, b: TokenBinding, label: string, createdAt: string, expiresAt: string): Promise<void> {
    await this.pool.query('INSERT INTO enrol_tokens (token_hash, label, created_at, expires_at, user_id, display_name, role) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      tokenHash,
      label,
      createdAt,
      expiresAt,
      b.userId,
      b.displayName,
      b.role,
    ]);
  }

  async enrol(tokenHash: string, d: NewDevice, claims: Partial<TokenBinding>, now: string): Promise<EnrolOutcome> {
    return this.tx(async (c): Promise<EnrolOutcome> => {
      const t = (await c.query<TokenRow>('SELECT expires_at, used_at, user_id, display_name, role FROM enrol_tokens WHERE token_hash = $1 FOR UPDATE', [tokenHash])).rows[0];
      const existing = (await c.query<DeviceRow>('SELECT * FROM devices WHERE device_id = $1 OR key_id = $2 FOR UPDATE', [d.deviceId, d.keyId])).rows[0];
      const plan = planEnrolment(t, existing, d, claims, now);
      if (plan.kind === 'refuse') return plan.outcome;
      const { binding: b } = plan;
      await c.query('UPDATE enrol_tokens SET used_at = $1, used_by = $2 WHERE token_hash = $3', [now, d.deviceId, tokenHash]);
      if (plan.kind === 'rebind') {
        await c.query('UPDATE devices SET display_name = $1, role = $2 WHERE device_id = $3', [b.displayName, b.role, d.deviceId]);
        return { kind: 'enrolled', lastSeq: plan.lastSeq, binding: b };
      }
      await c.query(
        `INSERT INTO devices (device_id, key_id, public_jwk, user_id, display_name, role, enrolled_at, last_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [d.deviceId, d.keyId, JSON.stringify(d.publicJwk), b.userId, b.displayName, b.role, now, GENESIS_HASH],
      );
      return { kind: 'enrolled', lastSeq: 0, binding: b };
    });
  }

  async findDeviceByKeyId(keyId: string): Promise<DeviceRecord | null> {
    const r = (await this.pool.query<DeviceRow>('SELECT * FROM devices WHERE key_id = $1', [keyId])).rows[0];
    return r ? toDevice(r) : null;
  }

  async findDevice(deviceId: string): Promise<DeviceRecord | null> {
    const r = (await this.pool.query<DeviceRow>('SELECT * FROM devices WHERE device_id = $1', [deviceId])).rows[0];
    return r ? toDevice(r) : null;
  }

  async listDevices(): Promise<DeviceRecord[]> {
    return (await this.pool.query<DeviceRow>('SELECT * FROM devices ORDER BY enrolled_at, device_id')).rows.map(toDevice);
  }

  async revokeDevice(deviceId: string, now: string): Promise<boolean> {
    return ((await this.pool.query('UPDATE devices SET revoked_at = $1 WHERE device_id = $2 AND revoked_at IS NULL', [now, deviceId])).rowCount ?? 0) === 1;
  }

  /** Inside acceptBatch the device row is locked, so the per-device count and the insert cannot race. */
  private async recordConflict(c: pg.PoolClient | pg.Pool, input: AcceptInput, reason: string, existingHash: string | null): Promise<void> {
    const { prefix, size } = conflictEvidence(input.envelope);
    await c.query(
      `INSERT INTO conflicts (device_id, seq, reason, existing_hash, offered_hash, envelope_prefix, envelope_size, at)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8 WHERE (SELECT COUNT(*) FROM conflicts WHERE device_id = $1) < $9`,
      [input.deviceId, input.seq, reason, existingHash, input.hash, prefix, size, input.now, MAX_CONFLICTS_PER_DEVICE],
    );
  }

  async acceptBatch(input: AcceptInput): Promise<AcceptOutcome> {
    try {
      return await this.tx(async (c): Promise<AcceptOutcome> => {
        const dev = (
          await c.query<Pick<DeviceRow, 'key_id' | 'revoked_at' | 'last_seq' | 'last_hash'>>(
            'SELECT key_id, revoked_at, last_seq, last_hash FROM devices WHERE device_id = $1 FOR UPDATE',
            [input.deviceId],
          )
        ).rows[0];
        if (!dev || dev.revoked_at || dev.key_id !== input.keyId) return { kind: 'revoked' };
        const held = (await c.query<{ hash: string; receipt: Buffer }>('SELECT hash, receipt FROM batches WHERE device_id = $1 AND seq = $2', [input.deviceId, input.seq])).rows[0];
        const decision = decideBatch({ lastSeq: dev.last_seq, lastHash: dev.last_hash }, held?.hash ?? null, input);
        if (decision.kind === 'duplicate') return { kind: 'duplicate', receipt: held!.receipt };
        if (decision.kind !== 'accept') {
          const reason = conflictReason(decision);
          if (reason) await this.recordConflict(c, input, reason, decision.kind === 'conflict' ? decision.existingHash : dev.last_hash);
          return decision;
        }
        const receipt = input.receipt(input.now);
        await c.query('INSERT INTO batches (device_id, seq, hash, envelope, receipt, record_count, accepted_at) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
          input.deviceId,
          input.seq,
          input.hash,
          input.envelope,
          receipt,
          input.records.length,
          input.now,
        ]);
        // One multi-row statement per chunk: a batch of 500 would otherwise be 500 round trips.
        const cols = 11;
        for (let i = 0; i < input.records.length; i += 500) {
          const chunk = input.records.slice(i, i + 500);
          const values: unknown[] = [];
          const tuples = chunk.map((r, j) => {
            values.push(r.id, r.kind, input.deviceId, input.seq, r.authorId, r.authorName, r.bundleId, r.bundleVersion, r.taskId, r.position, input.now);
            return `(${Array.from({ length: cols }, (_, k) => `$${j * cols + k + 1}`).join(', ')})`;
          });
          const res = await c.query<{ id: string }>(
            `INSERT INTO records (id, kind, device_id, seq, author_id, author_name, bundle_id, bundle_version, task_id, position, accepted_at)
             VALUES ${tuples.join(', ')} ON CONFLICT (id) DO NOTHING RETURNING id`,
            values,
          );
          if (res.rows.length !== chunk.length) {
            const inserted = new Set(res.rows.map((r) => r.id));
            throw new Refusal({ kind: 'record_clash', recordId: chunk.find((r) => !inserted.has(r.id))!.id });
          }
        }
        await c.query('UPDATE devices SET last_seq = $1, last_hash = $2 WHERE device_id = $3', [input.seq, input.hash, input.deviceId]);
        return { kind: 'accepted', receipt };
      });
    } catch (e) {
      if (!(e instanceof Refusal)) throw e;
      if (e.outcome.kind === 'record_clash') await this.recordConflict(this.pool, input, `record ${e.outcome.recordId} was already accepted in another batch`, null);
      return e.outcome;
    }
  }

  async listConflicts(deviceId?: string): Promise<ConflictRow[]> {
    const r = await this.pool.query<ConflictDbRow>(
      `SELECT device_id, seq, reason, existing_hash, offered_hash, envelope_size, at FROM conflicts ${deviceId ? 'WHERE device_id = $1' : ''} ORDER BY id`,
      deviceId ? [deviceId] : [],
    );
    return r.rows.map(toConflict);
  }

  async listBatches(f: { deviceId?: string; afterSeq?: number; limit: number }): Promise<StoredBatch[]> {
    const r = f.deviceId
      ? await this.pool.query<{ device_id: string; seq: number; hash: string; envelope: Buffer; accepted_at: string }>(
          'SELECT device_id, seq, hash, envelope, accepted_at FROM batches WHERE device_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
          [f.deviceId, f.afterSeq ?? 0, f.limit],
        )
      : await this.pool.query<{ device_id: string; seq: number; hash: string; envelope: Buffer; accepted_at: string }>(
          'SELECT device_id, seq, hash, envelope, accepted_at FROM batches ORDER BY device_id, seq LIMIT $1',
          [f.limit],
        );
    return r.rows.map((x) => ({ deviceId: x.device_id, seq: x.seq, hash: x.hash, envelope: x.envelope, acceptedAt: x.accepted_at }));
  }

  async listDecisionBatchesFor(f: { deviceId: string; afterSeq: number; limit: number; authorId: string }): Promise<StoredBatch[]> {
    const r = await this.pool.query<{ device_id: string; seq: number; hash: string; envelope: Buffer; accepted_at: string }>(
      `SELECT b.device_id, b.seq, b.hash, b.envelope, b.accepted_at FROM batches b
       WHERE b.device_id = $1 AND b.seq > $2
         AND b.seq IN (SELECT d.seq FROM records a JOIN records d ON d.bundle_id = a.bundle_id AND d.task_id = a.task_id AND d.kind = 'adjudication'
                       WHERE a.author_id = $3 AND a.kind = 'annotation' AND d.device_id = $1 AND d.seq > $2)
       ORDER BY b.seq LIMIT $4`,
      [f.deviceId, f.afterSeq, f.authorId, f.limit],
    );
    return r.rows.map((x) => ({ deviceId: x.device_id, seq: x.seq, hash: x.hash, envelope: x.envelope, acceptedAt: x.accepted_at }));
  }

  async countRecords(): Promise<{ total: number; distinct: number }> {
    const r = await this.pool.query<{ total: string; distinct: string }>('SELECT COUNT(*) AS total, COUNT(DISTINCT id) AS "distinct" FROM records');
    return { total: Number(r.rows[0]!.total), distinct: Number(r.rows[0]!.distinct) };
  }

  async progress(): Promise<ProgressRow[]> {
    const r = await this.pool.query<{ author_id: string; author_name: string; bundle_id: string; annotations: string; adjudications: string; last_accepted_at: string | null }>(
      `SELECT author_id, MAX(author_name) AS author_name, bundle_id, COUNT(*) FILTER (WHERE kind = 'annotation') AS annotations,
              COUNT(*) FILTER (WHERE kind = 'adjudication') AS adjudications, MAX(accepted_at) AS last_accepted_at
       FROM records GROUP BY author_id, bundle_id ORDER BY bundle_id, 2`,
    );
    return r.rows.map((x) => ({
      annotatorId: x.author_id,
      annotatorName: x.author_name,
      bundleId: x.bundle_id,
      annotations: Number(x.annotations),
      adjudications: Number(x.adjudications),
      lastAcceptedAt: x.last_accepted_at,
    }));
  }

  async exportRecords(after: number, limit: number) {
    const r = await this.pool.query<{ cursor: string; kind: string; device_id: string; seq: number; position: number; accepted_at: string }>(
      'SELECT cursor, kind, device_id, seq, position, accepted_at FROM records WHERE cursor > $1 ORDER BY cursor LIMIT $2',
      [after, limit],
    );
    const rows = r.rows.map((x) => ({ cursor: Number(x.cursor), kind: x.kind, deviceId: x.device_id, seq: x.seq, position: x.position, acceptedAt: x.accepted_at }));
    return withBodies(rows, async (deviceId, seq) => (await this.pool.query<{ envelope: Buffer }>('SELECT envelope FROM batches WHERE device_id = $1 AND seq = $2', [deviceId, seq])).rows[0]!.envelope);
  }

  async putBundle(bundleId: string, version: number, sha256: string, bytes: Buffer, now: string): Promise<'stored' | 'exists' | 'refused'> {
    return this.tx(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [bundleId]);
      const max = (await c.query<{ v: number | null }>('SELECT MAX(version) AS v FROM bundles WHERE bundle_id = $1', [bundleId])).rows[0]!.v;
      if (max !== null && version < max) return 'refused' as const;
      const same = (await c.query<{ sha256: string }>('SELECT sha256 FROM bundles WHERE bundle_id = $1 AND version = $2', [bundleId, version])).rows[0];
      if (same) return same.sha256 === sha256 ? ('exists' as const) : ('refused' as const);
      await c.query('INSERT INTO bundles (bundle_id, version, sha256, bytes, uploaded_at) VALUES ($1, $2, $3, $4, $5)', [bundleId, version, sha256, bytes, now]);
      return 'stored' as const;
    });
  }

  async listBundles(): Promise<BundleListing[]> {
    const r = await this.pool.query<{ bundle_id: string; version: number; sha256: string; size: number; uploaded_at: string }>(
      'SELECT bundle_id, version, sha256, octet_length(bytes) AS size, uploaded_at FROM bundles ORDER BY bundle_id, version',
    );
    return r.rows.map((x) => ({ bundleId: x.bundle_id, version: x.version, sha256: x.sha256, size: x.size, uploadedAt: x.uploaded_at }));
  }

  async getBundle(bundleId: string, version: number): Promise<Buffer | null> {
    return (await this.pool.query<{ bytes: Buffer }>('SELECT bytes FROM bundles WHERE bundle_id = $1 AND version = $2', [bundleId, version])).rows[0]?.bytes ?? null;
  }

  /** For tests: drop everything so each run starts clean. */
  async resetForTests(): Promise<void> {
    await this.pool.query('DROP TABLE IF EXISTS records, conflicts, batches, devices, enrol_tokens, bundles, meta CASCADE');
  }
}
