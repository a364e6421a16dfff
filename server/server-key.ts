import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPair, PrivateJwk } from '../shared/node/keys.ts';
import { writeFileDurably } from '../shared/node/durable-file.ts';

/** The server's Ed25519 key signs receipts; it lives as a 0600 file in the data directory. */
export function loadOrCreateServerKey(dataDir: string): PrivateJwk {
  const path = join(dataDir, 'server-key.jwk');
  if (existsSync(path)) return PrivateJwk.parse(JSON.parse(readFileSync(path, 'utf8')));
  const { privateJwk } = generateKeyPair();
  // On disk for good before anything (a receipt, the admin token's commit) depends on it.
  writeFileDurably(path, JSON.stringify(privateJwk) + '\n', 0o600);
  return privateJwk;
}
