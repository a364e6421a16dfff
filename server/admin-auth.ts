import { randomBytes, timingSafeEqual } from 'node:crypto';
import { sha256Hex } from '../shared/node/hash.ts';
import type { SyncStorage } from './storage/types.ts';

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

export async function createEnrolToken(storage: SyncStorage, label: string, now: Date, ttlHours = 24 * 7): Promise<{ token: string; expiresAt: string }> {
  const token = newSecret('cbenrol');
  const expiresAt = new Date(now.getTime() + ttlHours * 3600_000).toISOString();
  await storage.createEnrolToken(sha256Hex(token), label, now.toISOString(), expiresAt);
  return { token, expiresAt };
}
