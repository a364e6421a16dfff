import { existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keyId, generateKeyPair, toPublic } from '../../../shared/node/keys.ts';
import { loadReceiptKey, RECEIPT_KEY_META, ReceiptKeyMismatch } from '../../../server/server-key.ts';
import { openStorage } from '../../../server/start.ts';
import type { SyncStorage } from '../../../server/storage/types.ts';
import { tempDir } from './helpers.ts';

describe('the receipt key: a file in the data directory, its id in the database', () => {
  let tmp: ReturnType<typeof tempDir>;
  let storage: SyncStorage;
  beforeEach(async () => {
    tmp = tempDir('cb-rkey-');
    storage = await openStorage(`${tmp.dir}/a`);
  });
  afterEach(async () => {
    await storage.close();
    tmp.cleanup();
  });

  it('the first start makes the key (0600) and records its id; later starts with the same file agree', async () => {
    const key = await loadReceiptKey(storage, `${tmp.dir}/a`);
    expect(statSync(`${tmp.dir}/a/server-key.jwk`).mode & 0o777).toBe(0o600);
    expect(await storage.getMeta(RECEIPT_KEY_META)).toBe(keyId(toPublic(key)));
    expect(await loadReceiptKey(storage, `${tmp.dir}/a`)).toEqual(key);
  });

  it('a database from before records the key already in the data directory', async () => {
    const existing = generateKeyPair().privateJwk;
    writeFileSync(`${tmp.dir}/a/server-key.jwk`, JSON.stringify(existing), { mode: 0o600 });
    expect(await storage.getMeta(RECEIPT_KEY_META)).toBeNull();
    expect(await loadReceiptKey(storage, `${tmp.dir}/a`)).toEqual(existing);
    expect(await storage.getMeta(RECEIPT_KEY_META)).toBe(keyId(toPublic(existing)));
  });

  it('refuses a data directory whose key is another, or that has none while the database names one; nothing is changed', async () => {
    const first = await loadReceiptKey(storage, `${tmp.dir}/a`);
    writeFileSync(`${tmp.dir}/a/server-key.jwk`, JSON.stringify(generateKeyPair().privateJwk), { mode: 0o600 });
    await expect(loadReceiptKey(storage, `${tmp.dir}/a`)).rejects.toThrow(ReceiptKeyMismatch);
    rmSync(`${tmp.dir}/a/server-key.jwk`);
    await expect(loadReceiptKey(storage, `${tmp.dir}/a`)).rejects.toThrow(/server-key\.jwk is missing, but this database's receipts are signed by another server's key/);
    expect(existsSync(`${tmp.dir}/a/server-key.jwk`)).toBe(false);
    expect(await storage.getMeta(RECEIPT_KEY_META)).toBe(keyId(toPublic(first)));
  });
});
