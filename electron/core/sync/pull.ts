import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import { BundleListing, SyncErrorBody } from '../../../shared/sync/wire.ts';
import { sha256Hex } from '../../../shared/node/hash.ts';
import type { PrivateJwk } from '../../../shared/node/keys.ts';
import { signRequest } from '../../../shared/node/request-signature.ts';
import { networkMessage, type FetchFn } from './http.ts';

export interface SignedGetDeps {
  serverUrl: string;
  deviceId: string;
  key: PrivateJwk;
  fetch: FetchFn;
  now: () => Date;
}

export interface PullDeps {
  serverUrl: string;
  deviceId: string;
  key: PrivateJwk;
  fetch: FetchFn;
  now: () => Date;
  /** Installed bundle versions by id. */
  installed: () => Promise<Map<string, number>>;
  /** Imports a downloaded bundle file with the workstation's own verification (trusted keys, rollback). */
  importFile: (path: string) => Promise<unknown>;
  tmpDir: string;
}

export interface PullResult {
  imported: { bundleId: string; version: number }[];
  failed: { bundleId: string; version: number; message: string }[];
}

export async function signedGet(d: SignedGetDeps, path: string): Promise<{ status: number; body: Buffer }> {
  let res;
  try {
    res = await d.fetch(`${d.serverUrl}${path}`, { method: 'GET', headers: signRequest(d.key, d.deviceId, 'GET', path, d.now()), signal: AbortSignal.timeout(120_000) });
  } catch (e) {
    throw new Error(networkMessage(d.serverUrl, e));
  }
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
}

/**
 * Parses a server's JSON reply with its wire schema: a reply of another shape (a proxy's page,
 * an older or foreign server) is refused in words, never cast and used.
 */
export function parseReply<T>(schema: z.ZodType<T>, body: Buffer, what: string): T {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw new Error(`The server's answer to ${what} is not JSON; is this a Casebook sync server?`);
  }
  const r = schema.safeParse(json);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new Error(`The server's answer to ${what} is not what this workstation expects (${i ? `${i.path.join('.') || '(root)'}: ${i.message}` : 'unknown shape'}).`);
  }
  return r.data;
}

export function serverMessage(body: Buffer, status: number): string {
  try {
    const parsed = SyncErrorBody.safeParse(JSON.parse(body.toString('utf8')));
    if (parsed.success) return parsed.data.error.message;
  } catch {
    // not JSON: fall through
  }
  return `HTTP ${status}`;
}

/**
 * Pull: asks the server which bundle versions it holds, downloads those newer than what is
 * installed, and imports each through the normal bundle import, which verifies the signature
 * against this workstation's trusted keys. The server is a mailbox, not a source of trust.
 */
export async function pullBundles(d: PullDeps): Promise<PullResult> {
  const list = await signedGet(d, '/v1/device/bundles');
  if (list.status !== 200) throw new Error(`The server refused to list bundles: ${serverMessage(list.body, list.status)}`);
  const offered = parseReply(BundleListing.array(), list.body, 'the bundle list');
  const installed = await d.installed();
  const result: PullResult = { imported: [], failed: [] };
  for (const b of offered) {
    if ((installed.get(b.bundleId) ?? 0) >= b.version) continue;
    const got = await signedGet(d, `/v1/device/bundles/${encodeURIComponent(b.bundleId)}/${b.version}`);
    if (got.status !== 200) {
      result.failed.push({ bundleId: b.bundleId, version: b.version, message: serverMessage(got.body, got.status) });
      continue;
    }
    if (sha256Hex(got.body) !== b.sha256) {
      result.failed.push({ bundleId: b.bundleId, version: b.version, message: 'the download does not match the hash the server listed' });
      continue;
    }
    const path = join(d.tmpDir, `pull-${sha256Hex(got.body).slice(0, 16)}.cbundle`);
    await writeFile(path, got.body, { mode: 0o600 });
    try {
      await d.importFile(path);
      result.imported.push({ bundleId: b.bundleId, version: b.version });
    } catch (e) {
      result.failed.push({ bundleId: b.bundleId, version: b.version, message: (e as Error).message });
    } finally {
      await rm(path, { force: true });
    }
  }
  return result;
}
