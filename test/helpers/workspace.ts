import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBundle } from '../../shared/node/bundle/index.ts';
import type { TrustedKey } from '../../shared/node/bundle/index.ts';
import { generateKeyPair, type PrivateJwk } from '../../shared/node/keys.ts';
import { Core } from '../../electron/core/core.ts';
import type { Envelope, Method, Request, Response } from '../../shared/contract/index.ts';

export const MINIMAL_SRC = fileURLToPath(new URL('../fixtures/bundle-src/minimal', import.meta.url));

/** A temporary folder removed after the test. */
export function tempDir(prefix = 'cb-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface OrgKey {
  privateJwk: PrivateJwk;
  trusted: TrustedKey;
}

export function orgKey(label = 'Test org', bundlePrefix: string | null = null): OrgKey {
  const { privateJwk, publicJwk } = generateKeyPair();
  return { privateJwk, trusted: { jwk: publicJwk, label, bundlePrefix } };
}

export async function buildMinimal(dir: string, key: OrgKey, name = 'minimal.cbundle', src = MINIMAL_SRC): Promise<string> {
  const out = join(dir, name);
  await buildBundle({ sourceDir: src, key: key.privateJwk, outFile: out });
  return out;
}

/** Calls the core through the same dispatcher the hosts use, and unwraps or throws. */
export async function call<M extends Method>(core: Core, method: M, req: Request<M>): Promise<Response<M>> {
  const env: Envelope = await core.call(method, req);
  if (!env.ok) throw Object.assign(new Error(`${env.error.code}: ${env.error.message}`), { body: env.error });
  return env.result as Response<M>;
}

export async function callError(core: Core, method: Method, req: unknown): Promise<Extract<Envelope, { ok: false }>['error']> {
  const env = await core.call(method, req);
  if (env.ok) throw new Error(`${method} unexpectedly succeeded`);
  return env.error;
}

/** A core with the minimal bundle imported and an annotator set up. */
export async function coreWithMinimal(dir: string): Promise<{ core: Core; key: OrgKey }> {
  const key = orgKey();
  const file = await buildMinimal(dir, key);
  const core = await Core.open({ dataDir: join(dir, 'data'), host: 'web' });
  await core.importBundle(file, { trusted: [key.trusted] });
  await call(core, 'identity.setup', { displayName: 'Dr Ada Example', role: 'annotator' });
  return { core, key };
}
