import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { EXPORT_MANIFEST_FILE, EXPORT_MANIFEST_PAYLOAD_TYPE, ExportManifest } from '../../export/manifest.ts';
import { SignatureError, signEnvelope, verifyEnvelope, type Envelope } from '../dsse.ts';
import { sha256Hex } from '../hash.ts';
import type { PrivateJwk, PublicJwk } from '../keys.ts';
import { createHash } from 'node:crypto';

const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

/** Signs the manifest's exact JSON bytes as a DSSE envelope. */
export function signManifest(manifest: ExportManifest, key: PrivateJwk): Envelope {
  return signEnvelope(EXPORT_MANIFEST_PAYLOAD_TYPE, Buffer.from(JSON.stringify(manifest), 'utf8'), key);
}

/** Why an export folder is not what its signed manifest says, in words that name the file. */
export class ExportVerifyError extends Error {
  override name = 'ExportVerifyError';
}

async function fileSha256(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

export interface VerifiedExport {
  manifest: ExportManifest;
  signer: PublicJwk;
  /** SHA-256 of the signed manifest payload: names this exact export. */
  manifestSha256: string;
}

/**
 * Checks an export folder against its signed manifest: the signature first (before the
 * payload is parsed), then that the folder holds exactly the listed files, each with the
 * signed size and SHA-256. Any difference, down to one flipped byte, is refused.
 */
export async function verifyExport(dir: string, trusted: readonly PublicJwk[]): Promise<VerifiedExport> {
  const manifestPath = join(dir, EXPORT_MANIFEST_FILE);
  let bytes: Buffer;
  try {
    if ((await stat(manifestPath)).size > MAX_MANIFEST_BYTES) throw new ExportVerifyError(`${EXPORT_MANIFEST_FILE}: larger than ${MAX_MANIFEST_BYTES} bytes`);
    bytes = await readFile(manifestPath);
  } catch (e) {
    if (e instanceof ExportVerifyError) throw e;
    throw new ExportVerifyError(`${EXPORT_MANIFEST_FILE}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); an export without its signed manifest cannot be verified`);
  }
  let verified;
  try {
    verified = verifyEnvelope(bytes, EXPORT_MANIFEST_PAYLOAD_TYPE, trusted);
  } catch (e) {
    if (e instanceof SignatureError) throw new ExportVerifyError(`${EXPORT_MANIFEST_FILE}: ${e.message}`);
    throw e;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(verified.payload.toString('utf8'));
  } catch {
    throw new ExportVerifyError(`${EXPORT_MANIFEST_FILE}: the signed payload is not JSON`);
  }
  const parsed = ExportManifest.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new ExportVerifyError(`${EXPORT_MANIFEST_FILE}: ${i.path.join('.') || '(root)'}: ${i.message}`);
  }
  const manifest = parsed.data;
  const listed = new Set<string>();
  for (const f of manifest.files) {
    // Names only: a manifest must not point outside its folder.
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(f.path) || listed.has(f.path) || f.path === EXPORT_MANIFEST_FILE) throw new ExportVerifyError(`${EXPORT_MANIFEST_FILE}: unusable file name "${f.path}"`);
    listed.add(f.path);
  }
  for (const name of await readdir(dir)) {
    if (name !== EXPORT_MANIFEST_FILE && !listed.has(name)) throw new ExportVerifyError(`${name}: not listed in the signed manifest`);
  }
  for (const f of manifest.files) {
    const path = join(dir, f.path);
    let size: number;
    try {
      const st = await stat(path);
      if (!st.isFile()) throw new ExportVerifyError(`${f.path}: not a file`);
      size = st.size;
    } catch (e) {
      if (e instanceof ExportVerifyError) throw e;
      throw new ExportVerifyError(`${f.path}: missing (the signed manifest lists it)`);
    }
    if (size !== f.size) throw new ExportVerifyError(`${f.path}: ${size} bytes, but the signed manifest says ${f.size}`);
    if ((await fileSha256(path)) !== f.sha256) throw new ExportVerifyError(`${f.path}: content differs from the signed manifest (SHA-256 mismatch): the file was altered`);
  }
  return { manifest, signer: verified.signer, manifestSha256: sha256Hex(verified.payload) };
}

export { fileSha256 };
