import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../shared/export/sha256.ts';

const node = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

describe('the pure SHA-256 behind row ids', () => {
  it('matches the FIPS 180-4 test vectors', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  });

  it('agrees with node:crypto on any text, including lengths around the 55/56/64-byte padding edges and non-ASCII', () => {
    for (const n of [54, 55, 56, 57, 63, 64, 65, 119, 120, 128]) expect(sha256Hex('x'.repeat(n)), String(n)).toBe(node('x'.repeat(n)));
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (s) => sha256Hex(s) === node(s)), { numRuns: 300 });
  });
});
