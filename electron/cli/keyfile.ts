import { readFile } from 'node:fs/promises';
import { fingerprint, LabelledPrivateJwk, LabelledPublicJwk, toPublic, type PrivateJwk, type PublicJwk } from '../../shared/node/keys.ts';
import type { TrustedKey } from '../../shared/node/bundle/trust.ts';
import { CliError } from './errors.ts';

async function readJson(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new CliError(`${path}: cannot read the ${what} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CliError(`${path}: the ${what} is not valid JSON (${(e as Error).message})`);
  }
}

export async function readPrivateKey(path: string): Promise<PrivateJwk> {
  const r = LabelledPrivateJwk.safeParse(await readJson(path, 'private key'));
  if (!r.success) throw new CliError(`${path}: not an Ed25519 private JWK (${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')})`);
  const { label: _label, ...jwk } = r.data;
  return jwk;
}

/** Accepts a public JWK, or a private one from which the public half is taken. */
export async function readPublicKey(path: string): Promise<{ jwk: PublicJwk; label: string | undefined }> {
  const raw = await readJson(path, 'public key');
  const r = LabelledPublicJwk.passthrough().safeParse(raw);
  if (!r.success) throw new CliError(`${path}: not an Ed25519 public JWK (${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')})`);
  return { jwk: toPublic(r.data), label: r.data.label };
}

/**
 * A key file given with --trust, as the signer it names: the label is --label, else the key
 * file's own `label`, else its fingerprint. Never the file path, which says nothing about who
 * signed and is recorded with every imported version.
 */
export async function readTrustFile(path: string, label?: string): Promise<TrustedKey> {
  const { jwk, label: fileLabel } = await readPublicKey(path);
  const name = label?.trim() || fileLabel?.trim() || `key ${fingerprint(jwk)}`;
  return { jwk, label: name, bundlePrefix: null };
}
