import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BundleListing, SyncErrorBody } from '../../../shared/domain/index.ts';
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
  const offered = BundleListing.array().parse(JSON.parse(list.body.toString('utf8')));
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
