import { randomBytes, timingSafeEqual } from 'node:crypto';
import { sha256Hex } from '../shared/node/hash.ts';
import type { SyncStorage, TokenBinding } from './storage/types.ts';

const ADMIN_KEY = 'admin_token_sha256';

/** Secrets are random, shown once, and stored only as hashes. */
export function newSecret(prefix: string): string {
  return `${prefix}_${randomBytes(24).toString('base64url')}`;
}

/** Creates the admin token if there is none. Returns it only when it was created now. */
export async function ensureAdminToken(storage: SyncStorage): Promise<string | null> {
  if (await storage.getMeta(ADMIN_KEY)) return null;
  const token = newSecret('cbadm');
  const inForce = await storage.initMeta(ADMIN_KEY, sha256Hex(token));
  return inForce === sha256Hex(token) ? token : null;
}

export async function isAdmin(storage: SyncStorage, authorization: string | undefined): Promise<boolean> {
  const m = /^Bearer (\S+)$/.exec(authorization ?? '');
  const stored = await storage.getMeta(ADMIN_KEY);
  if (!m || !stored) return false;
  return timingSafeEqual(Buffer.from(sha256Hex(m[1]!), 'hex'), Buffer.from(stored, 'hex'));
}

/** A one-time token that enrols one device for this user, under this name, in this role. */
export async function createEnrolToken(
  storage: SyncStorage,
  binding: TokenBinding,
  label: string,
  now: Date,
  ttlHours = 24 * 7,
): Promise<{ token: string; expiresAt: string } & TokenBinding> {
  const token = newSecret('cbenrol');
  const expiresAt = new Date(now.getTime() + ttlHours * 3600_000).toISOString();
  await storage.createEnrolToken(sha256Hex(token), binding, label, now.toISOString(), expiresAt);
  return { token, expiresAt, ...binding };
}
