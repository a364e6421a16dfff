import { describe, expect, it } from 'vitest';
import { METHOD_ROLES, METHODS, roleMayCall } from '../../shared/contract/index.ts';
import { SignatureError, signEnvelope } from '../../shared/node/dsse.ts';
import { fingerprint, fingerprintOfKeyId, keyId } from '../../shared/node/keys.ts';
import { readRotationForSigner, ROTATION_PAYLOAD_TYPE, signRotation, verifyRotation } from '../../shared/node/rotation.ts';
import { fixtureKey } from '../support/fixture-keys.ts';

const OLD = fixtureKey('unit-old');
const NEW = fixtureKey('unit-new');
const OTHER = fixtureKey('unit-other');
const AT = new Date('2026-05-01T00:00:00Z');
const statement = (onlyOld = false) => {
  const env = signRotation(OLD.privateJwk, NEW.privateJwk, 'Org 2027', AT);
  return JSON.stringify(onlyOld ? { ...env, signatures: env.signatures.slice(0, 1) } : env);
};

describe('reading a rotation statement on the admin side (before it goes into a bundle)', () => {
  it('accepts a statement that names the signing key and bears its signature', () => {
    expect(readRotationForSigner(statement(), NEW.publicJwk)).toMatchObject({ oldKeyId: keyId(OLD.publicJwk), newLabel: 'Org 2027' });
  });

  it.each([
    ['another signing key', () => readRotationForSigner(statement(), OTHER.publicJwk), /introduces a different key than the one signing this bundle/],
    ['no signature by the new key', () => readRotationForSigner(statement(true), NEW.publicJwk), /not signed by the new key/],
    ['not JSON', () => readRotationForSigner('{"payloadType":', NEW.publicJwk), /not valid JSON/],
    ['another payload type', () => readRotationForSigner(JSON.stringify(signEnvelope('application/x-other', Buffer.from('{}'), NEW.privateJwk)), NEW.publicJwk), /unexpected payload type/],
    ['a malformed statement', () => readRotationForSigner(JSON.stringify(signEnvelope(ROTATION_PAYLOAD_TYPE, Buffer.from('{"format":"x"}'), NEW.privateJwk)), NEW.publicJwk), /malformed/],
  ])('refuses %s', (_name, read, reason) => {
    expect(read).toThrow(SignatureError);
    expect(read).toThrow(reason);
  });

  it('a workstation still verifies the old key: the admin-side check is not a substitute', () => {
    expect(() => verifyRotation(statement(), [OTHER.publicJwk])).toThrow(/no signature verifies under a trusted key/);
    expect(verifyRotation(statement(), [OLD.publicJwk]).statement.newKey).toEqual(NEW.publicJwk);
  });

  it('the fingerprint of a rotated-out key can be shown from its key id alone', () => {
    expect(fingerprintOfKeyId(keyId(OLD.publicJwk))).toBe(fingerprint(OLD.publicJwk));
  });
});

describe('role table', () => {
  it('lists only real methods, each with at least one role, and admins may call everything', () => {
    for (const [method, roles] of Object.entries(METHOD_ROLES)) {
      expect(METHODS).toContain(method);
      expect(roles!.length).toBeGreaterThan(0);
    }
    for (const m of METHODS) expect(roleMayCall('admin', m), m).toBe(true);
  });

  it('keeps building, signing and trust changes to admins, and review views to reviewers and admins', () => {
    for (const m of ['admin.validateSource', 'admin.buildBundle', 'admin.publishBundle', 'trust.add', 'trust.remove', 'trust.rotate'] as const) {
      expect([roleMayCall('annotator', m), roleMayCall('reviewer', m)], m).toEqual([false, false]);
    }
    for (const m of ['reviews.escalations', 'reviews.flagged', 'sync.pullReviews', 'sync.importBatches'] as const) {
      expect([roleMayCall('annotator', m), roleMayCall('reviewer', m)], m).toEqual([false, true]);
    }
    for (const m of ['trust.list', 'bundles.importFile', 'annotations.submit', 'bundles.flagged'] as const) {
      expect([roleMayCall('annotator', m), roleMayCall('reviewer', m)], m).toEqual([true, true]);
    }
  });
});
