import { existsSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPair, PrivateJwk } from '../shared/node/keys.ts';

/** The server's Ed25519 key signs receipts; it lives as a 0600 file in the data directory. */
export function loadOrCreateServerKey(dataDir: string): PrivateJwk {
  const path = join(dataDir, 'server-key.jwk');
  if (existsSync(path)) return PrivateJwk.parse(JSON.parse(readFileSync(path, 'utf8')));
  const { privateJwk } = generateKeyPair();
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify(privateJwk) + '\n', { mode: 0o600 });
  renameSync(tmp, path);
  return privateJwk;
}
