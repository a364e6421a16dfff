import { existsSync } from 'node:fs';
import { writeFileDurably } from '../../../shared/node/durable-file.ts';
import { fingerprint, generateKeyPair, keyId } from '../../../shared/node/keys.ts';
import { CliError } from '../errors.ts';
import type { Io } from '../io.ts';

/** keys new --out FILE: writes the private JWK (0600), prints the public JWK. */
export async function keysNew(io: Io, out: string | undefined): Promise<void> {
  if (!out) throw new CliError('keys new: --out FILE is required (where to write the private key)', 2);
  if (existsSync(out)) throw new CliError(`${out}: already exists; refusing to overwrite a key`);
  const { privateJwk, publicJwk } = generateKeyPair();
  writeFileDurably(out, JSON.stringify(privateJwk, null, 2) + '\n', 0o600);
  io.out(JSON.stringify(publicJwk));
  io.err(`private key written to ${out} (mode 0600); key id ${keyId(publicJwk)}; fingerprint ${fingerprint(publicJwk)}`);
}
