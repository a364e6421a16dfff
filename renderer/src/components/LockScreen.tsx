import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { LockView } from '../../../shared/contract/index.ts';
import { client, errorMessage } from '../api/client.ts';
import { annotatorTask } from '../state/task.ts';
import './LockScreen.css';

/** Input that counts as someone at the keyboard. */
const ACTIVITY = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;
const CHECK_MS = 15_000;

const ABOUT: Record<LockView['unlockWith'], string> = {
  passphrase: 'Type this workstation’s passphrase to go on.',
  'os-session': 'Your work is protected by your computer’s keychain: unlocking takes your signed-in computer session.',
  nothing: 'This workstation’s store is not encrypted, so there is nothing to type: the lock only hides the screen.',
};

/**
 * The workstation lock. Locks after the idle time the core gives (saving the open draft first),
 * or whenever the core says it locked (the OS screen lock, another window); while locked the work
 * is hidden and inert, and only the unlock form is reachable.
 */
export function LockScreen({ children }: { children: ReactNode }) {
  const [lock, setLock] = useState<LockView | null>(null);
  const lastActive = useRef(0);

  useEffect(() => {
    let live = true;
    client.call('app.info', {}).then(
      (info) => live && setLock(info.lock),
      // The connection banner reports an unreachable core.
      () => undefined,
    );
    const off = client.subscribe((e) => {
      if (e.type === 'app.locked') setLock((l) => (l ? { ...l, locked: true } : l));
    });
    return () => {
      live = false;
      off();
    };
  }, []);

  const idleMinutes = lock?.idleMinutes ?? null;
  const locked = lock?.locked ?? false;
  useEffect(() => {
    if (idleMinutes === null || locked) return;
    const touch = () => (lastActive.current = Date.now());
    touch();
    for (const e of ACTIVITY) window.addEventListener(e, touch, { passive: true, capture: true });
    const timer = window.setInterval(() => {
      if (Date.now() - lastActive.current < idleMinutes * 60_000) return;
      void (async () => {
        await annotatorTask.getState().flush();
        setLock(await client.call('app.lock', {}));
      })();
    }, CHECK_MS);
    return () => {
      window.clearInterval(timer);
      for (const e of ACTIVITY) window.removeEventListener(e, touch, { capture: true });
    };
  }, [idleMinutes, locked]);

  return (
    <>
      <div className="lock-guarded" hidden={locked} inert={locked}>
        {children}
      </div>
      {lock?.locked ? <UnlockForm lock={lock} onUnlocked={(l) => setLock(l)} /> : null}
    </>
  );
}

function UnlockForm({ lock, onUnlocked }: { lock: LockView; onUnlocked: (l: LockView) => void }) {
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const first = useRef<HTMLInputElement & HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), []);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const l = await client.call('app.unlock', lock.unlockWith === 'passphrase' ? { passphrase } : {});
      setPassphrase('');
      onUnlocked(l);
      // A save the lock refused goes through now.
      void annotatorTask.getState().flush();
    } catch (err) {
      setError(errorMessage(err));
      first.current?.focus();
    } finally {
      setBusy(false);
    }
  }

  return (
    // Keys typed here are for this form only: the app's shortcuts (listening on window) never see them.
    <div className="lock-screen" role="dialog" aria-modal="true" aria-labelledby="lock-title" aria-describedby="lock-about" onKeyDown={(e) => e.stopPropagation()}>
      <main className="lock-card panel">
        <h1 id="lock-title" className="page-title">
          Casebook is locked
        </h1>
        <p id="lock-about" className="muted">
          {ABOUT[lock.unlockWith]}
        </p>
        <form onSubmit={(e) => void onSubmit(e)} noValidate>
          {lock.unlockWith === 'passphrase' ? (
            <div className="field">
              <label htmlFor="lock-passphrase" className="field-label">
                Passphrase
              </label>
              <input
                ref={first}
                id="lock-passphrase"
                className={`input${error ? ' is-invalid' : ''}`}
                type="password"
                autoComplete="current-password"
                value={passphrase}
                onChange={(e) => setPassphrase(e.target.value)}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? 'lock-error' : undefined}
              />
            </div>
          ) : null}
          {error ? (
            <div id="lock-error" className="alert alert-error" role="alert">
              {error}
            </div>
          ) : null}
          <button ref={lock.unlockWith === 'passphrase' ? undefined : first} type="submit" className="btn btn-primary btn-large" disabled={busy}>
            {busy ? 'Unlocking…' : 'Unlock'}
          </button>
        </form>
      </main>
    </div>
  );
}
