import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, rmdirSync, statSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createHash } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import yazl from 'yazl';
import { z } from 'zod';
import { fsyncDir, fsyncFile, writeFileDurably } from '../../../shared/node/durable-file.ts';
import { SafeZip } from '../../../shared/node/zip.ts';
import { KeyVault, VAULT_FILE } from '../vault/key-vault.ts';
import { NewerDatabaseError, StoreError, StoreKeyError } from './errors.ts';
import { SCHEMA_VERSION } from './migrations/index.ts';
import { protectorFor, STORE_FILE, type StoreProtection } from './open-store.ts';
import { fileKind, openConnection } from './sqlite-driver.ts';

export const BACKUP_FORMAT = 'casebook-backup/1';
const HEADER_ENTRY = 'casebook-backup.json';
const MAX_STORE_BYTES = 64 * 1024 ** 3;

const BackupHeader = z.object({
  format: z.literal(BACKUP_FORMAT),
  appVersion: z.string(),
  schemaVersion: z.number().int().min(0),
  createdAt: z.string(),
  storeBytes: z.number().int().min(0),
  storeSha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type BackupHeader = z.infer<typeof BackupHeader>;

const sha256File = async (path: string): Promise<string> => {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
};

/**
 * `casebook backup`: a consistent copy of the store taken while the app may be writing to it
 * (VACUUM INTO reads one snapshot through a read-only connection of its own; SQLite's
 * page-by-page backup API cannot copy between keyed and unkeyed connections of this driver),
 * still encrypted with the store key, beside the vault that holds that key sealed by the
 * passphrase. One file; nothing in it is readable without the passphrase.
 */
export async function backupStore(dataDir: string, protection: StoreProtection, outFile: string, appVersion: string, now: Date = new Date()): Promise<BackupHeader> {
  const path = join(dataDir, STORE_FILE);
  const kind = fileKind(path);
  if (kind === 'missing') throw new StoreError(`${dataDir}: no Casebook data here (${STORE_FILE} is missing)`, path);
  if (kind !== 'encrypted') throw new StoreError(`${path} is not encrypted, and backups are: open it once with a passphrase (CASEBOOK_PASSPHRASE) to encrypt it, then back it up.`, path);
  const key = await KeyVault.readSecret(dataDir, protectorFor(protection), 'store-key');
  if (key === null) throw new StoreKeyError(`${join(dataDir, VAULT_FILE)} holds no key for ${path}. Restore the data folder from a backup.`, path);
  const vaultBytes = readFileSync(join(dataDir, VAULT_FILE));

  const work = `${outFile}.partial-store`;
  const partial = `${outFile}.partial`;
  rmSync(work, { force: true });
  try {
    const db = openConnection(path, { key, readonly: true, fileMustExist: true });
    let schemaVersion: number;
    try {
      schemaVersion = db.pragma('user_version', { simple: true }) as number;
      db.prepare('VACUUM INTO ?').run(work);
    } finally {
      db.close();
    }
    const check = openConnection(work, { key, readonly: true, fileMustExist: true });
    try {
      const integrity = check.pragma('integrity_check', { simple: true });
      if (integrity !== 'ok') throw new StoreError(`the copy of ${path} failed its check (${String(integrity)}); no backup was written. Run \`casebook doctor\`.`, path);
    } finally {
      check.close();
    }
    const header: BackupHeader = { format: BACKUP_FORMAT, appVersion, schemaVersion, createdAt: now.toISOString(), storeBytes: statSync(work).size, storeSha256: await sha256File(work) };
    const zip = new yazl.ZipFile();
    zip.addBuffer(Buffer.from(JSON.stringify(header, null, 2) + '\n'), HEADER_ENTRY, { mtime: now, mode: 0o100600 });
    zip.addBuffer(vaultBytes, VAULT_FILE, { mtime: now, mode: 0o100600 });
    // Encrypted pages do not compress.
    zip.addFile(work, STORE_FILE, { mtime: now, mode: 0o100600, compress: false });
    zip.end();
    await pipeline(zip.outputStream, createWriteStream(partial, { mode: 0o600 }));
    fsyncFile(partial);
    renameSync(partial, outFile);
    fsyncDir(dirname(outFile));
    return header;
  } finally {
    rmSync(work, { force: true });
    rmSync(partial, { force: true });
  }
}

/**
 * `casebook restore`: a backup into a data folder that holds no workstation. Everything is
 * checked in a staging folder first (the header, the store's hash, that the passphrase opens
 * the vault and the vault's key opens the store, that no newer app wrote it); the staging folder
 * then becomes the data folder in one rename. A backup from an older app opens and migrates
 * forward as any older store does.
 */
export async function restoreStore(file: string, dataDir: string, protection: StoreProtection): Promise<BackupHeader> {
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    throw new StoreError(`${dataDir} is not empty; restore into a new folder (nothing was changed).`, dataDir);
  }
  let zip: SafeZip;
  try {
    zip = await SafeZip.open(file, { maxEntries: 3, maxEntryBytes: MAX_STORE_BYTES, maxTotalBytes: MAX_STORE_BYTES + 2 * 1024 * 1024 });
  } catch (e) {
    throw new StoreError(`${file}: not a Casebook backup (${(e as Error).message})`, file);
  }
  const staging = join(dirname(dataDir), `.${basename(dataDir)}.restoring`);
  rmSync(staging, { recursive: true, force: true });
  try {
    let header: BackupHeader;
    try {
      const parsed = BackupHeader.safeParse(JSON.parse((await zip.read(HEADER_ENTRY, 64 * 1024)).toString('utf8')));
      if (!parsed.success) throw new Error(`${HEADER_ENTRY}: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
      header = parsed.data;
    } catch (e) {
      throw new StoreError(`${file}: not a Casebook backup (${(e as Error).message})`, file);
    }
    const newer = (v: number) =>
      new NewerDatabaseError(`${file} was made by a newer Casebook (schema ${v}; this app knows up to ${SCHEMA_VERSION}). Update Casebook first; nothing was restored.`, file);
    if (header.schemaVersion > SCHEMA_VERSION) throw newer(header.schemaVersion);

    mkdirSync(staging, { mode: 0o700 });
    writeFileDurably(join(staging, VAULT_FILE), await zip.read(VAULT_FILE, 1024 * 1024), 0o600);
    const store = join(staging, STORE_FILE);
    await pipeline(await zip.stream(STORE_FILE, header.storeBytes), createWriteStream(store, { mode: 0o600 }));
    fsyncFile(store);
    if ((await sha256File(store)) !== header.storeSha256) throw new StoreError(`${file}: the store inside does not match its recorded SHA-256; the backup is damaged. Nothing was restored.`, file);

    const key = await KeyVault.readSecret(staging, protectorFor(protection), 'store-key').catch((e: unknown) => {
      throw e instanceof StoreKeyError ? new StoreKeyError(`${file}: that passphrase does not open this backup. Nothing was restored.`, file) : e;
    });
    if (key === null) throw new StoreKeyError(`${file}: its vault holds no store key. Nothing was restored.`, file);
    const db = openConnection(store, { key, readonly: true, fileMustExist: true });
    try {
      // The header is a claim; the store's own schema version decides.
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version > SCHEMA_VERSION) throw newer(version);
      const integrity = db.pragma('integrity_check', { simple: true });
      if (integrity !== 'ok') throw new StoreError(`${file}: the store inside fails its integrity check (${String(integrity)}). Nothing was restored.`, file);
    } finally {
      db.close();
    }
    fsyncDir(staging);
    if (existsSync(dataDir)) rmdirSync(dataDir);
    renameSync(staging, dataDir);
    fsyncDir(dirname(dataDir));
    return header;
  } finally {
    zip.close();
    rmSync(staging, { recursive: true, force: true });
  }
}
