import { describe, expect, it } from 'vitest';
import { defaultPrefix, shellQuote, signerUntrusted, trustCliCommand } from '../../../renderer/src/views/admin/trustSigner.ts';

describe('trusting the key that signed a bundle, from the admin screen', () => {
  it('offers the organisation part of the bundle id as the prefix', () => {
    expect(defaultPrefix('acme.dosing')).toBe('acme.');
    expect(defaultPrefix('sample.clinical-triage')).toBe('sample.');
    expect(defaultPrefix('solo')).toBe('solo');
  });

  it('names the CLI equivalent, quoted so it can be pasted', () => {
    expect(trustCliCommand({ keyFile: '/keys/org.private.jwk', dataDir: '/home/ada/.data/web', label: 'Acme signing key', prefix: 'acme.' })).toBe(
      "npm run -s casebook -- trust add /keys/org.private.jwk --data /home/ada/.data/web --label 'Acme signing key' --prefix acme.",
    );
    expect(trustCliCommand({ keyFile: 'k.jwk', dataDir: 'd', label: 'x', prefix: null })).toBe('npm run -s casebook -- trust add k.jwk --data d --label x');
  });

  it('quotes hostile paths safely', () => {
    expect(shellQuote("it's; rm -rf ~")).toBe(`'it'\\''s; rm -rf ~'`);
    expect(shellQuote('$(whoami)')).toBe(`'$(whoami)'`);
    expect(shellQuote('')).toBe(`''`);
  });

  it('only offers when the signer is not already trusted', () => {
    expect(signerUntrusted('k1', [{ keyId: 'k2' }])).toBe(true);
    expect(signerUntrusted('k1', [{ keyId: 'k1' }])).toBe(false);
  });
});
