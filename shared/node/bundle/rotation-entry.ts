import { createHash } from 'node:crypto';
import { MANIFEST_PAYLOAD_TYPE, type Manifest } from '../../domain/index.ts';
import { SignatureError, verifyEnvelope, type VerifiedEnvelope } from '../dsse.ts';
import { keyId } from '../keys.ts';
import { verifyRotation } from '../rotation.ts';
import type { SafeZip } from '../zip.ts';
import { MANIFEST_ENTRY, MAX_ROTATION_BYTES, ROTATION_ENTRY } from './layout.ts';
import type { TrustedKey } from './trust.ts';
import type { BundleRefusalCode } from './refusal.ts';

/** A bundle refusal raised here; open.ts turns it into its own BundleRefusal. */
export class RotationRefusal extends Error {
  override name = 'RotationRefusal';
  constructor(
    readonly code: BundleRefusalCode,
    message: string,
  ) {
    super(message);
  }
}

/** A rotation statement a bundle carried and that this import relied on to trust its signer. */
export interface CarriedRotation {
  /** The statement exactly as stored in the bundle (the trust store keeps it as evidence). */
  statement: string;
  oldKeyId: string;
  newKeyId: string;
  newLabel: string;
}

export interface RotatedSigner {
  verified: VerifiedEnvelope;
  signer: TrustedKey;
  rotation: CarriedRotation;
}

/**
 * The second chance for a manifest no trusted key signed: if the bundle carries a rotation
 * statement, it must verify against a currently trusted (old) key and be co-signed by the new
 * key, and the manifest must be signed by exactly that new key. The new key inherits the old
 * key's bundle-id scope. Anything else is refused with the reason.
 */
export async function signerByRotation(zip: SafeZip, envelopeBytes: Buffer, trusted: readonly TrustedKey[], why: SignatureError): Promise<RotatedSigner> {
  if (!zip.has(ROTATION_ENTRY)) throw new RotationRefusal(why.code ?? 'signature_invalid', `${MANIFEST_ENTRY}: ${why.message} (unknown signer or altered manifest)`);
  const bytes = await zip.read(ROTATION_ENTRY, MAX_ROTATION_BYTES);
  let rotated;
  try {
    rotated = verifyRotation(bytes, trusted.map((t) => t.jwk));
  } catch (e) {
    if (e instanceof SignatureError) {
      throw new RotationRefusal('rotation_refused', `${ROTATION_ENTRY}: the bundle's signer is not trusted here and its key rotation statement is refused: ${e.message}`);
    }
    throw e;
  }
  const { statement } = rotated;
  let verified;
  try {
    verified = verifyEnvelope(envelopeBytes, MANIFEST_PAYLOAD_TYPE, [statement.newKey]);
  } catch (e) {
    if (e instanceof SignatureError) {
      throw new RotationRefusal('rotation_refused', `${MANIFEST_ENTRY}: not signed by the new key that ${ROTATION_ENTRY} introduces (${e.message})`);
    }
    throw e;
  }
  const old = trusted.find((t) => keyId(t.jwk) === statement.oldKeyId)!;
  return {
    verified,
    signer: { jwk: statement.newKey, label: statement.newLabel, bundlePrefix: old.bundlePrefix },
    rotation: { statement: bytes.toString('utf8'), oldKeyId: statement.oldKeyId, newKeyId: keyId(statement.newKey), newLabel: statement.newLabel },
  };
}

/**
 * A listed rotation statement is covered by the manifest signature like every other file:
 * its bytes must match the manifest's hash, whether or not this import needed it.
 */
export async function checkRotationEntry(zip: SafeZip, manifest: Manifest): Promise<void> {
  const entry = manifest.files.find((f) => f.path === ROTATION_ENTRY);
  if (!entry) return;
  const bytes = await zip.read(ROTATION_ENTRY, Math.min(entry.size, MAX_ROTATION_BYTES));
  if (bytes.length !== entry.size || createHash('sha256').update(bytes).digest('hex') !== entry.sha256) {
    throw new RotationRefusal('hash_mismatch', `${ROTATION_ENTRY}: content does not match the manifest hash (altered after signing)`);
  }
}
