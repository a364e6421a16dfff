import { describe, expect, it } from 'vitest';
import { s001Initial } from '../../../server/storage/migrations/001-initial.ts';
import { s002TokenBinding } from '../../../server/storage/migrations/002-token-binding.ts';
import { s003ConflictEvidence } from '../../../server/storage/migrations/003-conflict-evidence.ts';
import { BACKENDS, serverDbPerTest } from '../../support/server-db.ts';

describe.each(BACKENDS)('server migration 003: conflicts keep a bounded prefix and the size (%s)', (kind) => {
  const fresh = serverDbPerTest(kind);

  it('cuts conflicts kept whole by a version-2 server down to 4 KiB, remembering their size', async () => {
    const db = await fresh();
    await db.migrate([s001Initial, s002TokenBinding]);
    // A 10,000-byte envelope kept whole, as servers of version 2 did.
    const whole = kind === 'sqlite' ? 'zeroblob(10000)' : "decode(repeat('00', 10000), 'hex')";
    await db.exec(`INSERT INTO conflicts (device_id, seq, reason, existing_hash, offered_hash, envelope, at) VALUES ('d', 1, 'same seq, different bytes', 'e', 'o', ${whole}, 'then')`);
    await db.reopen();
    await db.migrate([s001Initial, s002TokenBinding, s003ConflictEvidence]);
    expect(await db.version()).toBe(3);
    expect(await db.columns('conflicts')).toEqual(['id', 'device_id', 'seq', 'reason', 'existing_hash', 'offered_hash', 'envelope_prefix', 'at', 'envelope_size']);
    const len = kind === 'sqlite' ? 'length' : 'octet_length';
    expect(await db.rows(`SELECT ${len}(envelope_prefix) AS kept, envelope_size AS size FROM conflicts`)).toEqual([{ kept: 4096, size: 10000 }]);
    expect(await db.storage.listConflicts('d')).toEqual([expect.objectContaining({ seq: 1, offeredSize: 10000 })]);
  });
});
