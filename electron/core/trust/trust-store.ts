import type { Database } from 'better-sqlite3';
import { ApiError, type TrustedKeyView } from '../../../shared/contract/index.ts';
import { fingerprint, fingerprintOfKeyId, keyId, PublicJwk } from '../../../shared/node/keys.ts';
import type { TrustedKey } from '../../../shared/node/bundle/index.ts';
import { SignatureError } from '../../../shared/node/dsse.ts';
import { verifyRotation } from '../../../shared/node/rotation.ts';

interface Row {
  key_id: string;
  label: string;
  jwk: string;
  bundle_prefix: string | null;
  added_at: string;
}

/** A trusted key as the trust.* methods report it (the contract's view). */
export type TrustedKeyInfo = TrustedKeyView;

/** The org keys this workstation accepts bundles from. */
export function listTrustedKeys(db: Database): TrustedKey[] {
  return (db.prepare('SELECT key_id, label, jwk, bundle_prefix, added_at FROM trusted_keys ORDER BY added_at, key_id').all() as Row[]).map((r) => ({
    jwk: PublicJwk.parse(JSON.parse(r.jwk)),
    label: r.label,
    bundlePrefix: r.bundle_prefix,
  }));
}

export function describeTrustedKeys(db: Database): TrustedKeyInfo[] {
  const rows = db
    .prepare(
      `SELECT k.key_id, k.label, k.jwk, k.bundle_prefix, k.added_at, r.old_key_id AS endorsed_by
       FROM trusted_keys k LEFT JOIN key_rotations r ON r.new_key_id = k.key_id ORDER BY k.added_at, k.key_id`,
    )
    .all() as (Row & { endorsed_by: string | null })[];
  return rows.map((r) => ({
    keyId: r.key_id,
    fingerprint: fingerprint(PublicJwk.parse(JSON.parse(r.jwk))),
    label: r.label,
    bundlePrefix: r.bundle_prefix,
    addedAt: r.added_at,
    endorsedBy: r.endorsed_by,
    endorsedByFingerprint: r.endorsed_by === null ? null : fingerprintOfKeyId(r.endorsed_by),
  }));
}

export function addTrustedKey(db: Database, key: TrustedKey, now: Date): string {
  const id = keyId(key.jwk);
  db.prepare(
    `INSERT INTO trusted_keys (key_id, label, jwk, bundle_prefix, added_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (key_id) DO UPDATE SET label = excluded.label, bundle_prefix = excluded.bundle_prefix`,
  ).run(id, key.label, JSON.stringify(PublicJwk.parse(key.jwk)), key.bundlePrefix, now.toISOString());
  return id;
}

/** Finds a trusted key by key id or by fingerprint (spaces and case ignored), or says it is not trusted. */
export function findTrustedKey(db: Database, ref: string): TrustedKeyInfo {
  const norm = ref.replace(/\s+/g, '').toLowerCase();
  const found = describeTrustedKeys(db).find((k) => k.keyId === ref || k.fingerprint.replace(/\s+/g, '') === norm);
  if (!found) throw new ApiError('not_found', `no trusted key has the id or fingerprint "${ref}"`);
  return found;
}

/** Stops trusting a key. Bundles it signed stay installed; new ones it signs are refused. */
export function removeTrustedKey(db: Database, ref: string): TrustedKeyInfo {
  const key = findTrustedKey(db, ref);
  db.prepare('DELETE FROM trusted_keys WHERE key_id = ?').run(key.keyId);
  return key;
}

/**
 * Applies a key rotation statement (see shared/node/rotation.ts): the new key takes over the
 * old key's scope and the old key stops being trusted, in one transaction. Nothing changes
 * if the statement does not verify against a currently trusted key.
 */
export function applyRotation(db: Database, statementBytes: Uint8Array | string, now: Date): TrustedKeyInfo {
  const trusted = listTrustedKeys(db);
  let verified;
  try {
    verified = verifyRotation(statementBytes, trusted.map((t) => t.jwk));
  } catch (e) {
    if (e instanceof SignatureError) throw new ApiError('refused', `key rotation refused: ${e.message}; nothing was changed`);
    throw e;
  }
  const { statement } = verified;
  const old = trusted.find((t) => keyId(t.jwk) === statement.oldKeyId)!;
  const newId = keyId(statement.newKey);
  db.transaction(() => {
    addTrustedKey(db, { jwk: statement.newKey, label: statement.newLabel, bundlePrefix: old.bundlePrefix }, now);
    db.prepare('DELETE FROM trusted_keys WHERE key_id = ?').run(statement.oldKeyId);
    db.prepare(
      `INSERT INTO key_rotations (old_key_id, new_key_id, statement, applied_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (old_key_id, new_key_id) DO NOTHING`,
    ).run(statement.oldKeyId, newId, Buffer.from(statementBytes).toString('utf8'), now.toISOString());
  }).immediate();
  return findTrustedKey(db, newId);
}
