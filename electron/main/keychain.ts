import type { FromCore, ToCore } from '../core-host/protocol.ts';

/** The part of Electron's safeStorage the shell uses (a fake in tests). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(sealed: Buffer): string;
  getSelectedStorageBackend?(): string;
}

/**
 * Why the OS keychain cannot protect the store here, or null when it can. On Linux without a
 * secret service (GNOME Keyring, KWallet) Chromium falls back to `basic_text`: a password
 * hard-coded in Chromium, which protects nothing. Casebook refuses to start on it rather than
 * pretend the data is encrypted.
 */
export function keychainProblem(s: SafeStorageLike, platform: NodeJS.Platform): string | null {
  if (!s.isEncryptionAvailable()) {
    return 'The OS keychain is not available, so Casebook cannot protect its data on this computer. Unlock or set up your keychain and start Casebook again.';
  }
  if (platform === 'linux') {
    const backend = s.getSelectedStorageBackend?.() ?? 'unknown';
    if (backend === 'basic_text' || backend === 'unknown') {
      return `No desktop keyring is running (Electron reports the "${backend}" backend, a password built into the browser engine), so Casebook could not keep its key secret. Install and unlock GNOME Keyring or KWallet, then start Casebook again. Until then, \`casebook web\` runs the same app with a passphrase.`;
    }
  }
  return null;
}

export function keychainBackend(s: SafeStorageLike, platform: NodeJS.Platform): string {
  return platform === 'linux' ? (s.getSelectedStorageBackend?.() ?? 'unknown') : platform;
}

export interface KeychainAnswers {
  answer(request: Extract<FromCore, { type: 'keychain.encrypt' | 'keychain.decrypt' }>): Promise<Extract<ToCore, { type: 'keychain.reply' }>>;
}

/** Answers the core's vault with safeStorage; refuses to seal when the keychain is unavailable. */
export function safeStorageAnswers(s: SafeStorageLike, platform: NodeJS.Platform): KeychainAnswers {
  return {
    answer: async (req) => {
      try {
        if (req.type === 'keychain.encrypt') {
          const problem = keychainProblem(s, platform);
          if (problem) throw new Error(problem);
          return { type: 'keychain.reply', id: req.id, value: s.encryptString(req.plain).toString('base64'), error: null };
        }
        return { type: 'keychain.reply', id: req.id, value: s.decryptString(Buffer.from(req.sealed, 'base64')), error: null };
      } catch (e) {
        return { type: 'keychain.reply', id: req.id, value: null, error: (e as Error).message };
      }
    },
  };
}
