import { resolve } from 'node:path';
import { Core, type CoreOptions } from '../core/core.ts';
import type { Io } from './io.ts';
import { cliProtection, type ProtectionChoice } from './protection.ts';

/**
 * Opens a workstation's core the way every command does: with the passphrase from the
 * environment, a file or the terminal (cliProtection). Store problems (damage, a wrong
 * passphrase, a newer schema) are StoreErrors, which `run` prints as one line.
 */
export async function openWorkstation(io: Io, dataDir: string, opts: Omit<CoreOptions, 'dataDir' | 'host' | 'protection'> & ProtectionChoice = {}): Promise<Core> {
  const dir = resolve(dataDir);
  const { passphraseFile, offerToEncrypt, ...core } = opts;
  const protection = await cliProtection(io, dir, { passphraseFile, offerToEncrypt });
  return Core.open({ ...core, dataDir: dir, host: 'web', protection });
}
