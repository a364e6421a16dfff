import { describe, expect, it } from 'vitest';
import { s001Initial } from '../../../server/storage/migrations/001-initial.ts';
import { BACKENDS, serverDbPerTest } from '../../support/server-db.ts';

describe.each(BACKENDS)('server migration 001: the schema servers had before migrations were numbered (%s)', (kind) => {
  const fresh = serverDbPerTest(kind);

  it('makes an empty database version 1 with every table, and running it again changes nothing', async () => {
    const db = await fresh();
    expect(await db.version()).toBe(0);
    await db.migrate([s001Initial]);
    expect(await db.version()).toBe(1);
    expect(await db.tables()).toEqual(['batches', 'bundles', 'conflicts', 'devices', 'enrol_tokens', 'meta', 'records']);
    expect(await db.columns('conflicts')).toEqual(['id', 'device_id', 'seq', 'reason', 'existing_hash', 'offered_hash', 'envelope', 'at']);
    await db.exec("INSERT INTO meta (key, value) VALUES ('k', 'v')");
    await db.reopen();
    await db.migrate([s001Initial]);
    expect(await db.rows('SELECT key, value FROM meta ORDER BY key')).toEqual([
      ...(kind === 'postgres' ? [{ key: 'k', value: 'v' }, { key: 'schema_version', value: '1' }] : [{ key: 'k', value: 'v' }]),
    ]);
  });

  it('enforces its keys: one batch per (device, seq), records only for a stored batch', async () => {
    const db = await fresh();
    await db.migrate([s001Initial]);
    await db.exec("INSERT INTO devices (device_id, key_id, public_jwk, user_id, display_name, role, enrolled_at, last_hash) VALUES ('d', 'k', '{}', 'u', 'U', 'annotator', 'now', 'h')");
    const blob = kind === 'sqlite' ? "x'00'" : "'\\x00'::bytea";
    await db.exec(`INSERT INTO batches (device_id, seq, hash, envelope, receipt, record_count, accepted_at) VALUES ('d', 1, 'h', ${blob}, ${blob}, 1, 'now')`);
    await expect(db.exec(`INSERT INTO batches (device_id, seq, hash, envelope, receipt, record_count, accepted_at) VALUES ('d', 1, 'h2', ${blob}, ${blob}, 1, 'now')`)).rejects.toThrow(/UNIQUE|duplicate key/i);
    await expect(
      db.exec("INSERT INTO records (id, kind, device_id, seq, author_id, author_name, bundle_id, bundle_version, task_id, position, accepted_at) VALUES ('r', 'annotation', 'd', 2, 'u', 'U', 'b', 1, 't', 0, 'now')"),
    ).rejects.toThrow(/FOREIGN KEY|foreign key/i);
  });
});
