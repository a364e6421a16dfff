import { ApiError, type LockView, type Method } from '../../../shared/contract/index.ts';
import type { KeyVault } from '../vault/key-vault.ts';
import { keychainProtector, passphraseProtector } from '../vault/protectors.ts';
import type { StoreProtection } from '../store/open-store.ts';

/** What a locked workstation still answers: how to unlock, and the unlock itself. */
const OPEN_WHEN_LOCKED: ReadonlySet<Method> = new Set<Method>(['app.info', 'app.lock', 'app.unlock']);

export const DEFAULT_IDLE_MINUTES = 15;

/**
 * The workstation lock. Locked, the core answers every other method with `locked`; the UI shows
 * its lock screen. Unlocking takes what protects the store: the passphrase, or (OS keychain) the
 * OS session, proven by the keychain opening the vault again. A locked app still holds the store
 * key in the core's memory and still syncs in the background: the lock keeps a person at an
 * unattended laptop out of the work, not a process that can read this one's memory.
 */
export class WorkstationLock {
  private locked = false;

  constructor(
    private readonly vault: KeyVault,
    private readonly protection: StoreProtection,
    readonly idleMinutes: number | null,
    private readonly onLocked: () => void,
  ) {}

  view(): LockView {
    const unlockWith = this.protection.kind === 'passphrase' ? 'passphrase' : this.protection.kind === 'os-keychain' ? 'os-session' : 'nothing';
    return { locked: this.locked, unlockWith, idleMinutes: this.idleMinutes };
  }

  lock(): LockView {
    if (!this.locked) {
      this.locked = true;
      this.onLocked();
    }
    return this.view();
  }

  async unlock(passphrase: string | undefined): Promise<LockView> {
    if (!this.locked) return this.view();
    if (this.protection.kind === 'passphrase') {
      if (!passphrase) throw new ApiError('invalid_request', 'Type your passphrase to unlock Casebook.');
      if (!(await this.vault.opensWith(passphraseProtector(passphrase)))) throw new ApiError('refused', 'That passphrase is wrong; Casebook stays locked.');
    } else if (this.protection.kind === 'os-keychain') {
      if (!(await this.vault.opensWith(keychainProtector(this.protection.keychain)))) throw new ApiError('refused', 'The OS keychain did not open; unlock your computer session, then try again.');
    }
    this.locked = false;
    return this.view();
  }

  /** Refuses a call while locked; runs before the handler, like the role check. */
  guard(method: Method): void {
    if (this.locked && !OPEN_WHEN_LOCKED.has(method)) throw new ApiError('locked', 'Casebook is locked: unlock it to go on.');
  }
}
