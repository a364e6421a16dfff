import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { Role } from '../../../../shared/domain/index.ts';
import type { Issue } from '../../../../shared/contract/index.ts';
import { ApiError, call, errorMessage } from '../../api/client.ts';
import { useIdentity } from '../../state/identity.ts';
import { RadioGroup } from '../../components/RadioGroup.tsx';

const ROLES: Array<{ key: Role; label: string; about: string }> = [
  { key: 'annotator', label: 'Annotator', about: 'Works through task queues' },
  { key: 'reviewer', label: 'Reviewer', about: 'Also adjudicates others’ work' },
  { key: 'admin', label: 'Admin', about: 'Packages and distributes bundles' },
];

/** First start: who is using this workstation. Creates the user and the device key pair. */
export function SetupView() {
  const setIdentity = useIdentity((s) => s.set);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('annotator');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; issues: Issue[] } | null>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  const errorRef = useRef<HTMLDivElement>(null);

  useEffect(() => nameRef.current?.focus(), []);
  useEffect(() => {
    if (error) errorRef.current?.focus();
  }, [error]);

  async function onSubmit(event: FormEvent): Promise<void> {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const identity = await call('identity.setup', { displayName: name, role });
      setIdentity(identity);
    } catch (e) {
      setError({ message: errorMessage(e), issues: e instanceof ApiError ? (e.issues ?? []) : [] });
    } finally {
      setBusy(false);
    }
  }

  const nameIssue = error?.issues.find((i) => i.path === 'displayName');

  return (
    <main className="setup" id="main">
      <div className="setup-card panel">
        <div className="setup-brand" aria-hidden="true">
          <span className="brand-mark brand-mark-lg" />
        </div>
        <h1 className="page-title">Set up this workstation</h1>
        <p className="muted">
          Every annotation you make is signed with a key created on this device and carries your name and role. The private key
          never leaves this machine.
        </p>
        <form onSubmit={(e) => void onSubmit(e)} noValidate>
          <div className="field">
            <label htmlFor="setup-name" className="field-label">
              Display name
            </label>
            <input
              ref={nameRef}
              id="setup-name"
              className={`input${nameIssue ? ' is-invalid' : ''}`}
              value={name}
              onChange={(e) => setName(e.target.value)}
              autoComplete="name"
              placeholder="e.g. Dr. Amara Okafor"
              aria-invalid={nameIssue ? true : undefined}
              aria-describedby={nameIssue ? 'setup-name-error' : undefined}
              maxLength={120}
            />
            {nameIssue ? (
              <div id="setup-name-error" className="field-error">
                {nameIssue.message}
              </div>
            ) : null}
          </div>
          <RadioGroup
            name="setup-role"
            label="Role"
            options={ROLES.map((r) => ({
              key: r.key,
              label: (
                <span className="role-option">
                  <span className="role-option-title">{r.label}</span>
                  <span className="role-option-about">{r.about}</span>
                </span>
              ),
              ariaLabel: r.label,
            }))}
            value={role}
            onChange={(k) => setRole(k as Role)}
            className="role-field"
          />
          {error ? (
            <div ref={errorRef} tabIndex={-1} className="alert alert-error" role="alert">
              {/* The message says what to fix; the name's own problem also sits beside its field. Never a field id. */}
              <strong>Could not create the identity.</strong> {error.message}
            </div>
          ) : null}
          <div className="setup-actions">
            <button type="submit" className="btn btn-primary btn-large" disabled={busy}>
              {busy ? 'Creating…' : 'Create identity'}
            </button>
          </div>
        </form>
      </div>
    </main>
  );
}
