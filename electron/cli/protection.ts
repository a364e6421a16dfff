import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import type { StoreProtection } from '../core/store/open-store.ts';
import { STORE_FILE } from '../core/store/open-store.ts';
import { fileKind } from '../core/store/sqlite-driver.ts';
import { VAULT_FILE } from '../core/vault/key-vault.ts';
import { writeFileDurably } from '../../shared/node/durable-file.ts';
import { CliError } from './errors.ts';
import type { Io } from './io.ts';
import { askSecret, canPrompt } from './prompt.ts';

export interface ProtectionChoice {
  /** A file holding the passphrase (`--passphrase-file`); made with a random one if missing. */
  passphraseFile?: string | undefined;
  /** Ask for a passphrase to encrypt a plain store (the browser host: "the app"). */
  offerToEncrypt?: boolean;
}

const MIN_PASSPHRASE = 8;
const VaultKind = z.object({ protector: z.object({ kind: z.string() }) });

/** What protects the data in `dataDir` now: the vault says, or the store file for a pre-vault store. */
function currentProtection(dataDir: string): 'new' | 'plain' | 'passphrase' | 'os-keychain' {
  const vault = join(dataDir, VAULT_FILE);
  if (existsSync(vault)) {
    let kind: string | undefined;
    try {
      kind = VaultKind.safeParse(JSON.parse(readFileSync(vault, 'utf8'))).data?.protector.kind;
    } catch {
      // An unreadable vault is reported, with what to do, when the core opens it.
    }
    if (kind === 'passphrase' || kind === 'os-keychain') return kind;
  }
  const store = fileKind(join(dataDir, STORE_FILE));
  if (store === 'encrypted') return 'passphrase';
  return store === 'plain' ? 'plain' : 'new';
}

/**
 * How the command line and the browser host get the passphrase, in order: CASEBOOK_PASSPHRASE;
 * `--passphrase-file`; typed at the terminal. A new workstation is encrypted unless
 * CASEBOOK_PLAIN_STORE=1 says otherwise (tests, throwaway data); an existing plain store stays
 * plain until a passphrase is given, and is then encrypted in place.
 */
export async function cliProtection(io: Io, dataDir: string, choice: ProtectionChoice = {}): Promise<StoreProtection> {
  const env = process.env.CASEBOOK_PASSPHRASE;
  if (env) return { kind: 'passphrase', passphrase: env };
  const state = currentProtection(dataDir);
  if (state === 'os-keychain') {
    throw new CliError(`${dataDir}: this is the desktop app's data, protected by its OS keychain; the command line cannot open it. Use the Casebook app.`);
  }
  if (choice.passphraseFile) return { kind: 'passphrase', passphrase: passphraseFromFile(io, resolve(choice.passphraseFile), state) };
  if (state === 'passphrase') {
    if (!canPrompt()) throw new CliError(`${dataDir} is encrypted: set CASEBOOK_PASSPHRASE, or run the command in a terminal to type the passphrase.`);
    return { kind: 'passphrase', passphrase: await askSecret(`Passphrase for ${dataDir}: `) };
  }
  if (state === 'plain' && (!choice.offerToEncrypt || process.env.CASEBOOK_PLAIN_STORE === '1')) {
    if (process.env.CASEBOOK_PLAIN_STORE !== '1') io.err(`casebook: note: ${dataDir} is not encrypted; give a passphrase (CASEBOOK_PASSPHRASE) once to encrypt it.`);
    return { kind: 'none' };
  }
  if (state === 'new' && process.env.CASEBOOK_PLAIN_STORE === '1') {
    io.err(`casebook: warning: CASEBOOK_PLAIN_STORE=1: ${dataDir} is made without encryption.`);
    return { kind: 'none' };
  }
  if (!canPrompt()) {
    if (state === 'plain') return { kind: 'none' };
    throw new CliError(
      `${dataDir} will be a new workstation, and its store is encrypted: set CASEBOOK_PASSPHRASE, pass --passphrase-file FILE, or run the command in a terminal to choose a passphrase.`,
    );
  }
  return { kind: 'passphrase', passphrase: await chooseNew(state === 'plain' ? `${dataDir} is not encrypted. Choose a passphrase to encrypt it` : `Choose a passphrase for ${dataDir}`) };
}

async function chooseNew(question: string): Promise<string> {
  for (;;) {
    const first = await askSecret(`${question} (at least ${MIN_PASSPHRASE} characters): `);
    if (first.length < MIN_PASSPHRASE) {
      process.stderr.write(`That is shorter than ${MIN_PASSPHRASE} characters.\n`);
      continue;
    }
    if ((await askSecret('Type it again: ')) === first) return first;
    process.stderr.write('The two did not match.\n');
  }
}

/**
 * `--passphrase-file`: for development data (`npm run web`) and services. Made with a random
 * passphrase when missing for a new store. The host says plainly what that protects: nothing,
 * against anyone who can read the folder the file sits in.
 */
function passphraseFromFile(io: Io, file: string, state: ReturnType<typeof currentProtection>): string {
  if (!existsSync(file)) {
    if (state !== 'new' && state !== 'plain') throw new CliError(`${file}: no such passphrase file, and the store it should open is already encrypted.`);
    writeFileDurably(file, randomBytes(24).toString('base64url') + '\n', 0o600);
    io.err(`casebook: made a random passphrase in ${file}.`);
  }
  const text = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  if (text.length === 0) throw new CliError(`${file}: the passphrase file is empty`);
  io.err(`casebook: warning: the store's passphrase is read from ${file}; anyone who can read that file can read the store. Fine for development data, not for real work.`);
  return text;
}
