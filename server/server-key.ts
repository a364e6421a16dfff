import { existsSync, readFileSync, rmSync } from 'node:fs';
import { writeFileDurably } from '../shared/node/durable-file.ts';
import { join } from 'node:path';
import { fingerprintOfKeyId, generateKeyPair, keyId, PrivateJwk, toPublic } from '../shared/node/keys.ts';
import type { SyncStorage } from './storage/types.ts';

/** The id of the key that signs this database's receipts: every server process on it must hold that key. */
export const RECEIPT_KEY_META = 'receipt_key_id';
export const SERVER_KEY_FILE = 'server-key.jwk';

/** A server that cannot sign receipts its database's workstations will accept: it must not start. */
export class ReceiptKeyMismatch extends Error {
  override name = 'ReceiptKeyMismatch';
}

function readKey(path: string): PrivateJwk | null {
  return existsSync(path) ? PrivateJwk.parse(JSON.parse(readFileSync(path, 'utf8'))) : null;
}

/**
 * A 0600 file, flushed before it is renamed into place and the directory flushed after, so a
 * crash leaves the old file or the new one, and the database never names a key not on disk.
 */
function writeKey(path: string, key: PrivateJwk): void {
  writeFileDurably(path, JSON.stringify(key) + '\n', 0o600);
}

/**
 * The key that signs receipts. The private key is a 0600 file in the data directory; its id is
 * recorded in the database by the first server that starts on it. A workstation pins the
 * server's public key at enrolment and accepts only receipts it verifies, so every process on
 * one database (several behind a load balancer on one PostgreSQL) must sign with that same key:
 * a process whose data directory holds another key, or none while the database already names
 * one, refuses to start, saying which key to copy where.
 */
export async function loadReceiptKey(storage: SyncStorage, dataDir: string): Promise<PrivateJwk> {
  const path = join(dataDir, SERVER_KEY_FILE);
  const inForce = await storage.getMeta(RECEIPT_KEY_META);
  let key = readKey(path);
  const copyHint = (id: string) =>
    `copy ${SERVER_KEY_FILE} from the data directory of a server already running on this database (key ${fingerprintOfKeyId(id)}) into ${dataDir}, mode 0600, and start again`;
  if (!key) {
    if (inForce) throw new ReceiptKeyMismatch(`${path} is missing, but this database's receipts are signed by another server's key: ${copyHint(inForce)}.`);
    key = generateKeyPair().privateJwk;
    writeKey(path, key);
    const won = await storage.initMeta(RECEIPT_KEY_META, keyId(toPublic(key)));
    if (won !== keyId(toPublic(key))) {
      // Another process started on this database first with its own new key: this one is not it.
      rmSync(path, { force: true });
      throw new ReceiptKeyMismatch(`another server started on this database at the same time with its own receipt key: ${copyHint(won)}.`);
    }
    return key;
  }
  const id = keyId(toPublic(key));
  const recorded = await storage.initMeta(RECEIPT_KEY_META, id);
  if (recorded !== id) {
    throw new ReceiptKeyMismatch(
      `${path} is key ${fingerprintOfKeyId(id)}, but this database's receipts are signed by key ${fingerprintOfKeyId(recorded)}: workstations would refuse this server's receipts. Every server process on one database signs with the same key: ${copyHint(recorded)}.`,
    );
  }
  return key;
}
