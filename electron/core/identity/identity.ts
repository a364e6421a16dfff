import { randomUUID } from 'node:crypto';
import { ApiError, type IdentityView } from '../../../shared/contract/index.ts';
import type { Role } from '../../../shared/domain/index.ts';
import { fingerprint, generateKeyPair, keyId, PublicJwk, toPublic } from '../../../shared/node/keys.ts';
import type { CoreContext } from '../context.ts';

interface IdentityRow {
  user_id: string;
  display_name: string;
  role: Role;
  device_id: string;
  device_public_jwk: string;
  created_at: string;
}

/** "an admin", "a reviewer": for messages that name a role. */
export const article = (role: string): string => (/^[aeiou]/.test(role) ? 'an' : 'a');

export function deviceIdFor(pub: PublicJwk): string {
  return `dev_${keyId(pub).slice(0, 22)}`;
}

export function getIdentity(ctx: CoreContext): IdentityView | null {
  const row = ctx.db.prepare('SELECT * FROM identity WHERE id = 1').get() as IdentityRow | undefined;
  if (!row) return null;
  const pub = PublicJwk.parse(JSON.parse(row.device_public_jwk));
  return {
    userId: row.user_id,
    displayName: row.display_name,
    role: row.role,
    deviceId: row.device_id,
    devicePublicKey: pub,
    deviceFingerprint: fingerprint(pub),
    createdAt: row.created_at,
  };
}

export function requireIdentity(ctx: CoreContext): IdentityView {
  const id = getIdentity(ctx);
  if (!id) throw new ApiError('not_set_up', 'Set up this workstation first: who are you, and in which role?');
  return id;
}

/**
 * First-run setup. The device key is stored before the identity row is written, so a crash
 * in between leaves no identity pointing at a missing key. Renaming is allowed later; the
 * device key is made once and kept.
 */
export async function setupIdentity(ctx: CoreContext, displayName: string, role: Role): Promise<IdentityView> {
  const existing = getIdentity(ctx);
  if (existing) {
    if (existing.displayName === displayName && existing.role === role) return existing;
    // Enrolled: name and role are the server's word (the admin's token), not a local choice.
    const server = ctx.db.prepare('SELECT server_url FROM sync_enrolment WHERE id = 1').pluck().get() as string | undefined;
    if (server !== undefined) {
      throw new ApiError(
        'forbidden',
        `This workstation is enrolled with ${server} for ${existing.displayName} as ${article(existing.role)} ${existing.role}; your name and role come from your admin's enrolment token and cannot be changed here.`,
      );
    }
    ctx.db.prepare('UPDATE identity SET display_name = ?, role = ? WHERE id = 1').run(displayName, role);
    return getIdentity(ctx)!;
  }
  let key = await ctx.keyVault.load();
  if (!key) {
    key = generateKeyPair().privateJwk;
    await ctx.keyVault.store(key);
  }
  const pub = toPublic(key);
  ctx.db
    .prepare('INSERT INTO identity (id, user_id, display_name, role, device_id, device_public_jwk, created_at) VALUES (1, ?, ?, ?, ?, ?, ?)')
    .run(randomUUID(), displayName, role, deviceIdFor(pub), JSON.stringify(pub), ctx.now().toISOString());
  return getIdentity(ctx)!;
}
