import { describe, expect, it } from 'vitest';
import { pae, signEnvelope, verifyEnvelope, SignatureError } from '../../shared/node/dsse.ts';
import { fingerprint, generateKeyPair, keyId } from '../../shared/node/keys.ts';

const TYPE = 'application/vnd.casebook.test+json';

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
    expect(() => verifyEnvelope(JSON.stringify(env), TYPE, [trusted.publicJwk])).toThrow(/no signature verifies/);
  });

  it('accepts a valid signature whose keyid hint is wrong: the hint decides nothing', () => {
    const { privateJwk, publicJwk } = generateKeyPair();
    const env = signEnvelope(TYPE, Buffer.from('x'), privateJwk);
    env.signatures[0]!.keyid = 'bogus';
    expect(verifyEnvelope(JSON.stringify(env), TYPE, [publicJwk]).payload.toString()).toBe('x');
  });

  it('binds the payload type: the same bytes under another type do not verify', () => {
    const { privateJwk, publicJwk } = generateKeyPair();
    const env = signEnvelope(TYPE, Buffer.from('x'), privateJwk);
    expect(() => verifyEnvelope(JSON.stringify({ ...env, payloadType: 'other' }), 'other', [publicJwk])).toThrow(SignatureError);
    expect(() => verifyEnvelope(JSON.stringify(env), 'other', [publicJwk])).toThrow(/unexpected payload type/);
  });

  it('refuses malformed envelopes with a reason', () => {
    const { publicJwk } = generateKeyPair();
    expect(() => verifyEnvelope('not json', TYPE, [publicJwk])).toThrow(/not valid JSON/);
    expect(() => verifyEnvelope(JSON.stringify({ payloadType: TYPE, payload: 'eA==', signatures: [] }), TYPE, [publicJwk])).toThrow(/no signature/);
  });

  it('gives a fingerprint people can read aloud', () => {
    const { publicJwk } = generateKeyPair();
    expect(fingerprint(publicJwk)).toMatch(/^([0-9a-f]{4} ){9}[0-9a-f]{4}$/);
  });
});
