import type { Database } from 'better-sqlite3';
import { keyId, PublicJwk } from '../../../shared/node/keys.ts';
import type { TrustedKey } from '../../../shared/node/bundle/index.ts';

interface Row {
  key_id: string;
  label: string;
  jwk: string;
  bundle_prefix: string | null;
}

/** The org keys this workstation accepts bundles from. */
export function listTrustedKeys(db: Database): TrustedKey[] {
  return (db.prepare('SELECT key_id, label, jwk, bundle_prefix FROM trusted_keys ORDER BY added_at').all() as Row[]).map((r) => ({
    jwk: PublicJwk.parse(JSON.parse(r.jwk)),
    label: r.label,
    bundlePrefix: r.bundle_prefix,
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
