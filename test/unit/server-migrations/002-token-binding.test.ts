import { describe, expect, it } from 'vitest';
import { s001Initial } from '../../../server/storage/migrations/001-initial.ts';
import { s002TokenBinding } from '../../../server/storage/migrations/002-token-binding.ts';
import { sha256Hex } from '../../../shared/node/hash.ts';
import { generateKeyPair, keyId } from '../../../shared/node/keys.ts';
import { BACKENDS, serverDbPerTest } from '../../support/server-db.ts';

describe.each(BACKENDS)('server migration 002: enrolment tokens bound to a user, name and role (%s)', (kind) => {
  const fresh = serverDbPerTest(kind);

  it('upgrades a version-1 database: devices keep their user and role, a token issued before names no one and is refused', async () => {
    const db = await fresh();
    await db.migrate([s001Initial]);
    await db.exec("INSERT INTO devices (device_id, key_id, public_jwk, user_id, display_name, role, enrolled_at, last_hash) VALUES ('dev_old', 'k', '{}', 'u1', 'Old', 'reviewer', 'then', 'h')");
    await db.exec(`INSERT INTO enrol_tokens (token_hash, label, created_at, expires_at) VALUES ('${sha256Hex('cbenrol_old_token_0000')}', 'old', '2026-01-01T00:00:00Z', '2999-01-01T00:00:00Z')`);
    await db.reopen();
    await db.migrate([s001Initial, s002TokenBinding]);
    expect(await db.version()).toBe(2);
    expect(await db.columns('enrol_tokens')).toEqual(['token_hash', 'label', 'created_at', 'expires_at', 'used_at', 'used_by', 'user_id', 'display_name', 'role']);
    expect(await db.rows('SELECT device_id, user_id, role FROM devices')).toEqual([{ device_id: 'dev_old', user_id: 'u1', role: 'reviewer' }]);

    const pub = generateKeyPair().publicJwk;
    const outcome = await db.storage.enrol(sha256Hex('cbenrol_old_token_0000'), { deviceId: 'dev_new', keyId: keyId(pub), publicJwk: pub }, {}, new Date().toISOString());
    expect(outcome).toEqual({ kind: 'token_invalid', reason: expect.stringContaining('names no user and role (it was issued by an older server)') });
    await expect(
      db.exec("INSERT INTO enrol_tokens (token_hash, label, created_at, expires_at, user_id, display_name, role) VALUES ('t2', '', 'now', 'later', 'u', 'U', 'superuser')"),
    ).rejects.toThrow(/CHECK|check constraint/i);
  });
});
