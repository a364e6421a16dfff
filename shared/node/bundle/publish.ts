import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { MANIFEST_PAYLOAD_TYPE, Manifest } from '../../domain/index.ts';
import { SyncErrorBody } from '../../sync/wire.ts';
import { Envelope } from '../dsse.ts';
import { sha256Hex } from '../hash.ts';
import { SafeZip, ZipRefusal } from '../zip.ts';
import { MANIFEST_ENTRY, MAX_MANIFEST_BYTES } from './layout.ts';
import { BundleRefusal, openBundle } from './open.ts';
import type { TrustedKey } from './trust.ts';
import { ProblemsError } from './problems.ts';
import { withCode } from './refusal.ts';

/** Why a bundle was not published, in words an admin can act on (never a status code alone). */
export class PublishError extends Error {
  override name = 'PublishError';
  constructor(
    message: string,
    readonly reason: 'not_a_bundle' | 'expired' | 'bad_address' | 'unreachable' | 'unauthorized' | 'conflict' | 'too_large' | 'refused' | 'server_failed',
  ) {
    super(message);
  }
}

/** The fetch this needs; the global one by default, injectable for tests. */
export type PublishFetch = (url: string, init: { method: 'PUT'; headers: Record<string, string>; body: Uint8Array; signal: AbortSignal }) => Promise<{ status: number; text(): Promise<string> }>;

export interface PublishOptions {
  file: string;
  serverUrl: string;
  adminToken: string;
  /** When given, the bundle's signature and every hash are checked against these keys first. */
  trusted?: readonly TrustedKey[];
  fetch?: PublishFetch;
  timeoutMs?: number;
  now?: Date;
}

export interface PublishResult {
  bundleId: string;
  version: number;
  /** `stored`: the server now distributes it; `exists`: it already had these exact bytes. */
  status: 'stored' | 'exists';
  size: number;
  sha256: string;
}

/** The manifest a bundle file claims, read without trusting it: the server stores bytes; workstations verify them. */
async function claimedManifest(file: string): Promise<Manifest> {
  let zip: SafeZip;
  try {
    zip = await SafeZip.open(file);
  } catch (e) {
    if (e instanceof ZipRefusal) throw new PublishError(`${file}: not a bundle file (${e.message})`, 'not_a_bundle');
    throw new PublishError(`${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 'not_a_bundle');
  }
  try {
    if (!zip.has(MANIFEST_ENTRY)) throw new PublishError(`${file}: not a bundle file (it has no ${MANIFEST_ENTRY}: build it with \`casebook bundle build\`)`, 'not_a_bundle');
    const env = Envelope.safeParse(JSON.parse((await zip.read(MANIFEST_ENTRY, MAX_MANIFEST_BYTES)).toString('utf8')));
    if (!env.success || env.data.payloadType !== MANIFEST_PAYLOAD_TYPE) throw new PublishError(`${file}: ${MANIFEST_ENTRY} is not a signed bundle manifest`, 'not_a_bundle');
    const m = Manifest.safeParse(JSON.parse(Buffer.from(env.data.payload, 'base64').toString('utf8')));
    if (!m.success) throw new PublishError(`${file}: the bundle manifest is malformed (${m.error.issues[0]?.path.join('.') ?? ''}: ${m.error.issues[0]?.message ?? ''})`, 'not_a_bundle');
    return m.data;
  } catch (e) {
    if (e instanceof PublishError) throw e;
    throw new PublishError(`${file}: not a bundle file (${(e as Error).message})`, 'not_a_bundle');
  } finally {
    zip.close();
  }
}

async function verifyFully(file: string, trusted: readonly TrustedKey[], now: Date): Promise<void> {
  try {
    const b = await openBundle(file, trusted, { now });
    try {
      for await (const _ of b.taskRuns());
    } finally {
      b.close();
    }
  } catch (e) {
    if (e instanceof BundleRefusal || e instanceof ProblemsError) throw new PublishError(`${file}: refused before upload: ${withCode(e.message, e.code)}`, 'not_a_bundle');
    throw new PublishError(`${file}: refused before upload: ${(e as Error).message}`, 'not_a_bundle');
  }
}

function serverBase(serverUrl: string): string {
  let u: URL;
  try {
    u = new URL(serverUrl);
  } catch {
    throw new PublishError(`"${serverUrl}" is not a server address (expected e.g. http://127.0.0.1:4790)`, 'bad_address');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new PublishError(`"${serverUrl}" is not an http(s) address`, 'bad_address');
  return u.origin + u.pathname.replace(/\/+$/, '');
}

// A file's bytes live in a plain ArrayBuffer; the DOM typing of fetch wants that said.
const defaultFetch: PublishFetch = (url, init) => fetch(url, { ...init, body: new Uint8Array(init.body.buffer as ArrayBuffer, init.body.byteOffset, init.body.byteLength) });

/**
 * Uploads a built bundle to the sync server (`PUT /v1/admin/bundles/:id/:version`), so
 * workstations get it from "Check for new bundles". The file's own manifest names the id and
 * version; an expired bundle is refused here, since every workstation would refuse it. Each
 * refusal by the server comes back as a PublishError saying what to do.
 */
export async function publishBundle(o: PublishOptions): Promise<PublishResult> {
  const now = o.now ?? new Date();
  const base = serverBase(o.serverUrl);
  const token = o.adminToken.trim();
  if (token === '') throw new PublishError('no admin token given (the one `casebook server init` printed)', 'unauthorized');
  const size = (await stat(o.file).catch(() => null))?.size;
  if (size === undefined) throw new PublishError(`${o.file}: no such file`, 'not_a_bundle');
  const manifest = await claimedManifest(o.file);
  if (Date.parse(manifest.expiresAt) <= now.getTime()) throw new PublishError(`${o.file}: bundle ${manifest.bundleId} v${manifest.version} expired at ${manifest.expiresAt}; workstations would refuse it. Build it again`, 'expired');
  if (o.trusted) await verifyFully(o.file, o.trusted, now);
  const bytes = await readFile(o.file);
  const url = `${base}/v1/admin/bundles/${encodeURIComponent(manifest.bundleId)}/${manifest.version}`;
  const what = `bundle ${manifest.bundleId} v${manifest.version} (${basename(o.file)})`;
  let res: { status: number; text(): Promise<string> };
  try {
    res = await (o.fetch ?? defaultFetch)(url, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
      body: bytes,
      signal: AbortSignal.timeout(o.timeoutMs ?? 120_000),
    });
  } catch (e) {
    const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string; errors?: { code?: string }[] } };
    const code = err.cause?.code ?? err.cause?.errors?.[0]?.code;
    const why =
      err.name === 'TimeoutError' || err.name === 'AbortError'
        ? 'it did not answer in time'
        : code === 'ECONNREFUSED'
          ? 'nothing is listening there'
          : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
            ? 'the address could not be found'
            : code === 'ECONNRESET'
              ? 'the connection was cut'
              : (err.cause?.message ?? err.message ?? String(e));
    throw new PublishError(`cannot reach the sync server at ${base} (${why}); ${what} was not published`, 'unreachable');
  }
  const text = await res.text().catch(() => '');
  let serverMessage = '';
  try {
    const body = SyncErrorBody.safeParse(JSON.parse(text));
    if (body.success) serverMessage = body.data.error.message;
  } catch {
    // Not JSON: a proxy's page, say; the status says enough.
  }
  if (res.status === 200) {
    const status = (JSON.parse(text) as { status?: string }).status;
    if (status !== 'stored' && status !== 'exists') throw new PublishError(`the server answered ${what} with something unexpected`, 'server_failed');
    return { bundleId: manifest.bundleId, version: manifest.version, status, size: bytes.length, sha256: sha256Hex(bytes) };
  }
  if (res.status === 401) throw new PublishError(`the server at ${base} refused the admin token: use the token \`casebook server init\` printed for that server. ${what} was not published`, 'unauthorized');
  if (res.status === 409) {
    throw new PublishError(`the server already has version ${manifest.version} or later of bundle ${manifest.bundleId} with other content: raise "version" in bundle.json and build again (a published version never changes)`, 'conflict');
  }
  if (res.status === 413) throw new PublishError(`${what} is ${(bytes.length / 1024 / 1024).toFixed(1)} MB, more than the server at ${base} accepts; raise the server's request size limit`, 'too_large');
  if (res.status === 429) throw new PublishError(`the server at ${base} is limiting requests; try again in a moment. ${what} was not published`, 'refused');
  if (res.status >= 500) throw new PublishError(`the server at ${base} failed while storing ${what}${serverMessage ? ` (${serverMessage})` : ''}; nothing was published`, 'server_failed');
  throw new PublishError(`the server at ${base} refused ${what}: ${serverMessage || `HTTP ${res.status}`}`, 'refused');
}
