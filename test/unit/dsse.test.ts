import { describe, expect, it } from 'vitest';
import { BATCH_PAYLOAD_TYPE, ENROL_PAYLOAD_TYPE, MANIFEST_PAYLOAD_TYPE, RECEIPT_PAYLOAD_TYPE, ROTATION_PAYLOAD_TYPE } from '../../shared/domain/index.ts';
import { maxSignaturesFor, pae, signEnvelope, verifyEnvelope, SignatureError } from '../../shared/node/dsse.ts';
import { fingerprint, generateKeyPair, keyId } from '../../shared/node/keys.ts';

const TYPE = 'application/vnd.casebook.test+json';

/** The refusal code and message of a verification that must fail. */
function refusal(verify: () => unknown): { code: string | null; message: string } {
  try {
    verify();
  } catch (e) {
    if (e instanceof SignatureError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('verified, but should have been refused');
}

describe('DSSE over Ed25519', () => {
  it('encodes PAE exactly as the DSSE spec does', () => {
    // Spec example: PAE("http://example.com/HelloWorld", "hello world")
    expect(pae('http://example.com/HelloWorld', Buffer.from('hello world')).toString()).toBe('DSSEv1 29 http://example.com/HelloWorld 11 hello world');
  });

  it('verifies a signed payload and returns the exact bytes and the signer', () => {
    const { privateJwk, publicJwk } = generateKeyPair();
    const env = signEnvelope(TYPE, Buffer.from('{"a":1}'), privateJwk);
    const v = verifyEnvelope(JSON.stringify(env), TYPE, [publicJwk]);
    expect(v.payload.toString()).toBe('{"a":1}');
    expect(keyId(v.signer)).toBe(keyId(publicJwk));
  });

  it('refuses a payload altered after signing', () => {
    const { privateJwk, publicJwk } = generateKeyPair();
    const env = signEnvelope(TYPE, Buffer.from('{"dose":"500mg"}'), privateJwk);
    const tampered = { ...env, payload: Buffer.from('{"dose":"900mg"}').toString('base64') };
    expect(() => verifyEnvelope(JSON.stringify(tampered), TYPE, [publicJwk])).toThrow(SignatureError);
  });

  it('refuses a signature by an untrusted key even when its keyid names a trusted one', () => {
    const trusted = generateKeyPair();
    const attacker = generateKeyPair();
    const env = signEnvelope(TYPE, Buffer.from('x'), attacker.privateJwk);
    env.signatures[0]!.keyid = keyId(trusted.publicJwk);
    expect(refusal(() => verifyEnvelope(JSON.stringify(env), TYPE, [trusted.publicJwk]))).toEqual({ code: 'signature_invalid', message: expect.stringMatching(/^no signature verifies/) });
  });

  it('signs with keyid = the RFC 7638 thumbprint of the signing key', () => {
    const { privateJwk, publicJwk } = generateKeyPair();
    expect(signEnvelope(TYPE, Buffer.from('x'), privateJwk).signatures).toEqual([{ keyid: keyId(publicJwk), sig: expect.any(String) }]);
  });

  it('refuses a valid signature whose keyid names no trusted key: the keyid selects, it is never tried against every key', () => {
    const { privateJwk, publicJwk } = generateKeyPair();
    const env = signEnvelope(TYPE, Buffer.from('x'), privateJwk);
    env.signatures[0]!.keyid = 'bogus';
    expect(refusal(() => verifyEnvelope(JSON.stringify(env), TYPE, [publicJwk]))).toEqual({ code: 'no_trusted_keyid', message: expect.stringMatching(/^no signature verifies under a trusted key: no signature names a trusted key/) });
    // Naming another trusted key is no better: the signature is tried only against the key it names.
    const other = generateKeyPair().publicJwk;
    env.signatures[0]!.keyid = keyId(other);
    expect(refusal(() => verifyEnvelope(JSON.stringify(env), TYPE, [other, publicJwk]))).toEqual({ code: 'signature_invalid', message: expect.any(String) });
  });

  it('skips a signature without a keyid, and accepts the envelope when another signature verifies under the trusted key it names', () => {
    const a = generateKeyPair();
    const b = generateKeyPair();
    const byA = signEnvelope(ROTATION_PAYLOAD_TYPE, Buffer.from('x'), a.privateJwk);
    const byB = signEnvelope(ROTATION_PAYLOAD_TYPE, Buffer.from('x'), b.privateJwk);
    const { keyid: _k, ...anonymous } = byA.signatures[0]!;
    expect(refusal(() => verifyEnvelope(JSON.stringify({ ...byA, signatures: [anonymous] }), ROTATION_PAYLOAD_TYPE, [a.publicJwk]))).toMatchObject({ code: 'no_trusted_keyid' });
    const both = { ...byA, signatures: [anonymous, ...byB.signatures] };
    expect(keyId(verifyEnvelope(JSON.stringify(both), ROTATION_PAYLOAD_TYPE, [a.publicJwk, b.publicJwk, b.publicJwk]).signer)).toBe(keyId(b.publicJwk));
  });

  it('refuses more signatures than the type allows before verifying any: one for a batch, an enrolment proof or a receipt, four for a manifest', () => {
    const { privateJwk, publicJwk } = generateKeyPair();
    expect([BATCH_PAYLOAD_TYPE, ENROL_PAYLOAD_TYPE, RECEIPT_PAYLOAD_TYPE, MANIFEST_PAYLOAD_TYPE, ROTATION_PAYLOAD_TYPE, TYPE].map(maxSignaturesFor)).toEqual([1, 1, 1, 4, 4, 1]);
    const batch = signEnvelope(BATCH_PAYLOAD_TYPE, Buffer.from('x'), privateJwk);
    const twice = { ...batch, signatures: [batch.signatures[0]!, batch.signatures[0]!] };
    expect(refusal(() => verifyEnvelope(JSON.stringify(twice), BATCH_PAYLOAD_TYPE, [publicJwk]))).toEqual({ code: 'too_many_signatures', message: expect.stringContaining('carries 2 signatures; application/vnd.casebook.batch+json allows at most 1') });
    const manifest = signEnvelope(MANIFEST_PAYLOAD_TYPE, Buffer.from('x'), privateJwk);
    const four = { ...manifest, signatures: Array.from({ length: 4 }, () => manifest.signatures[0]!) };
    expect(verifyEnvelope(JSON.stringify(four), MANIFEST_PAYLOAD_TYPE, [publicJwk]).payload.toString()).toBe('x');
    // 8,000 signatures naming the trusted key are refused by counting, in a few milliseconds.
    const flood = { ...manifest, signatures: Array.from({ length: 8000 }, () => ({ keyid: keyId(publicJwk), sig: 'A'.repeat(86) + '==' })) };
    const t0 = performance.now();
    expect(refusal(() => verifyEnvelope(JSON.stringify(flood), MANIFEST_PAYLOAD_TYPE, [publicJwk]))).toMatchObject({ code: 'too_many_signatures' });
    expect(performance.now() - t0).toBeLessThan(200);
  });

  it('binds the payload type: the same bytes under another type do not verify', () => {
    const { privateJwk, publicJwk } = generateKeyPair();
    const env = signEnvelope(TYPE, Buffer.from('x'), privateJwk);
    expect(() => verifyEnvelope(JSON.stringify({ ...env, payloadType: 'other' }), 'other', [publicJwk])).toThrow(SignatureError);
    expect(() => verifyEnvelope(JSON.stringify(env), 'other', [publicJwk])).toThrow(/unexpected payload type/);
  });

  it('refuses malformed envelopes with a reason', () => {
    const { publicJwk } = generateKeyPair();
    expect(refusal(() => verifyEnvelope('not json', TYPE, [publicJwk]))).toEqual({ code: 'envelope_malformed', message: expect.stringContaining('not valid JSON') });
    expect(refusal(() => verifyEnvelope(JSON.stringify({ payloadType: TYPE, payload: 'eA==', signatures: [] }), TYPE, [publicJwk]))).toEqual({ code: 'envelope_malformed', message: expect.stringContaining('no signature') });
    expect(refusal(() => verifyEnvelope(JSON.stringify({ payloadType: 'other', payload: 'eA==', signatures: [{ sig: 'x' }] }), TYPE, [publicJwk]))).toMatchObject({ code: 'payload_type_mismatch' });
  });

  it('gives a fingerprint people can read aloud', () => {
    const { publicJwk } = generateKeyPair();
    expect(fingerprint(publicJwk)).toMatch(/^([0-9a-f]{4} ){9}[0-9a-f]{4}$/);
  });
});
