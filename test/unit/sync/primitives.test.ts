import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../../shared/node/keys.ts';
import { MAX_SKEW_MS, signRequest, verifyRequest, SIGNATURE_HEADER, TIME_HEADER } from '../../../shared/node/request-signature.ts';
import { RateLimiter } from '../../../server/rate-limit.ts';
import { migrate } from '../../../electron/core/store/database.ts';
import { MIGRATIONS } from '../../../electron/core/store/migrations/index.ts';
import { enqueue } from '../../../electron/core/sync/outbox.ts';
import { sealNext, sealedPayload, signAndStore, signSealed } from '../../../electron/core/sync/seal.ts';
import { fakeAnnotation } from '../../integration/sync/helpers.ts';
import { sha256Hex } from '../../../shared/node/hash.ts';
import type { Adjudication } from '../../../shared/domain/index.ts';

describe('device request signatures', () => {
  const { privateJwk, publicJwk } = generateKeyPair();
  const now = new Date('2026-11-21T06:00:00Z');
  const h = signRequest(privateJwk, 'dev_1', 'GET', '/v1/device/bundles', now);
  it('verify for the same method, path and a time within the allowed skew', () => {
    expect(verifyRequest(publicJwk, 'GET', '/v1/device/bundles', h[TIME_HEADER]!, h[SIGNATURE_HEADER]!, new Date(now.getTime() + MAX_SKEW_MS - 1))).toBeNull();
  });
  it('refuse another path, another method, a stale time, another key, a non-canonical signature', () => {
    expect(verifyRequest(publicJwk, 'GET', '/v1/admin/bundles', h[TIME_HEADER]!, h[SIGNATURE_HEADER]!, now)).toMatch(/does not verify/);
    expect(verifyRequest(publicJwk, 'POST', '/v1/device/bundles', h[TIME_HEADER]!, h[SIGNATURE_HEADER]!, now)).toMatch(/does not verify/);
    expect(verifyRequest(publicJwk, 'GET', '/v1/device/bundles', h[TIME_HEADER]!, h[SIGNATURE_HEADER]!, new Date(now.getTime() + MAX_SKEW_MS + 1))).toMatch(/too old/);
    expect(verifyRequest(generateKeyPair().publicJwk, 'GET', '/v1/device/bundles', h[TIME_HEADER]!, h[SIGNATURE_HEADER]!, now)).toMatch(/does not verify/);
    expect(verifyRequest(publicJwk, 'GET', '/v1/device/bundles', 'yesterday', h[SIGNATURE_HEADER]!, now)).toMatch(/must be UTC as YYYY-MM-DDTHH:MM:SS\.sssZ/);
    // One spelling of the time only: the same instant without milliseconds, or with an offset, is refused.
    expect(verifyRequest(publicJwk, 'GET', '/v1/device/bundles', '2026-11-21T06:00:00Z', h[SIGNATURE_HEADER]!, now)).toMatch(/must be UTC/);
    expect(verifyRequest(publicJwk, 'GET', '/v1/device/bundles', '2026-11-21T07:00:00.000+01:00', h[SIGNATURE_HEADER]!, now)).toMatch(/must be UTC/);
    expect(verifyRequest(publicJwk, 'GET', '/v1/device/bundles', '2026-13-45T99:00:00.000Z', h[SIGNATURE_HEADER]!, now)).toMatch(/not a timestamp/);
    expect(verifyRequest(publicJwk, 'GET', '/v1/device/bundles', h[TIME_HEADER]!, h[SIGNATURE_HEADER]!.replace(/=*$/, ''), now)).toMatch(/malformed/);
  });
});

describe('rate limiter', () => {
  it('allows the burst, then one request per refill interval, and says how long to wait', () => {
    const r = new RateLimiter(2, 3);
    expect([r.take('a', 0), r.take('a', 0), r.take('a', 0)]).toEqual([0, 0, 0]);
    expect(r.take('a', 0)).toBe(1);
    expect(r.take('b', 0)).toBe(0);
    expect(r.take('a', 600)).toBe(0);
  });
});

describe('sealing', () => {
  function store() {
    const db = new BetterSqlite3(':memory:');
    migrate(db, MIGRATIONS);
    return db;
  }
  const who = { userId: '6f1c4f8e-6a8b-4d0a-9a39-4b3f9b2d8e11', displayName: 'A', deviceId: 'dev_a' };

  it('takes the oldest records, at most the batch size, chains on the signed predecessor, and rebuilds the exact sealed bytes', () => {
    const db = store();
    const key = generateKeyPair().privateJwk;
    for (let i = 0; i < 7; i++) enqueue(db, { type: 'annotation', record: fakeAnnotation(who, i) }, '2026-01-01T00:00:00Z');
    const first = sealNext(db, who.deviceId, 5, '2026-01-02T00:00:00Z')!;
    expect(first.seq).toBe(1);
    expect(JSON.parse(first.payload.toString()).records).toHaveLength(5);
    expect(sealedPayload(db, 1).equals(first.payload)).toBe(true);
    // The next batch's prevHash is the hash of this one's envelope, so it cannot be sealed before signing.
    expect(() => sealNext(db, who.deviceId, 5, '2026-01-02T00:00:00Z')).toThrow(/sign it before sealing the next/);
    signAndStore(db, 1, first.payload, key);
    const second = sealNext(db, who.deviceId, 5, '2026-01-02T00:00:01Z')!;
    const envelope1 = db.prepare('SELECT envelope FROM sync_batch_files WHERE seq = 1').pluck().get() as Buffer;
    expect(JSON.parse(second.payload.toString())).toMatchObject({ seq: 2, prevHash: sha256Hex(envelope1) });
    expect(JSON.parse(second.payload.toString()).records).toHaveLength(2);
    // A crash between sealing and signing: signing later from the store gives what would have been signed.
    expect(signSealed(db, key)).toBe(1);
    const envelope2 = db.prepare('SELECT envelope FROM sync_batch_files WHERE seq = 2').pluck().get() as Buffer;
    expect(Buffer.from(JSON.parse(envelope2.toString()).payload, 'base64').equals(second.payload)).toBe(true);
    expect(sealNext(db, who.deviceId, 5, '2026-01-03T00:00:00Z')).toBeNull();
  });
  it('seals each adjudication in a batch of its own, so the server can serve an author one decision without another', () => {
    const db = store();
    const key = generateKeyPair().privateJwk;
    // Only the id matters to the outbox; the body is spliced into the batch as it is.
    const decision = (n: number) => ({ id: `00000000-0000-4000-8000-00000000000${n}` }) as unknown as Adjudication;
    const at = '2026-01-01T00:00:00Z';
    enqueue(db, { type: 'annotation', record: fakeAnnotation(who, 0) }, at);
    enqueue(db, { type: 'annotation', record: fakeAnnotation(who, 1) }, at);
    enqueue(db, { type: 'adjudication', record: decision(1) }, at);
    enqueue(db, { type: 'adjudication', record: decision(2) }, at);
    enqueue(db, { type: 'annotation', record: fakeAnnotation(who, 2) }, at);
    const kinds: string[][] = [];
    for (let b = sealNext(db, who.deviceId, 500, at); b; b = sealNext(db, who.deviceId, 500, at)) {
      kinds.push((JSON.parse(b.payload.toString()) as { records: { type: string }[] }).records.map((r) => r.type));
      signAndStore(db, b.seq, b.payload, key);
    }
    expect(kinds).toEqual([['annotation', 'annotation'], ['adjudication'], ['adjudication'], ['annotation']]);
  });
});
