import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { BuildResultView } from '../../../../shared/contract/index.ts';
import { call, errorMessage } from '../../api/client.ts';
import { defaultPrefix, trustCliCommand } from './trustSigner.ts';

interface Props {
  built: BuildResultView;
  /** The key file the admin signed with: the CLI equivalent names it. */
  keyFile: string;
  /** Trusts the key; the caller then retries the import. */
  onTrusted: () => void;
  busy: boolean;
}

/**
 * The way forward from "no signature verifies under a trusted key" when the admin signed the
 * bundle themselves: the signer's fingerprint, a prefix to limit what the key may sign, and
 * the same step as a CLI command.
 */
export function TrustSignerOffer({ built, keyFile, onTrusted, busy }: Props) {
  const id = useId();
  const [label, setLabel] = useState(`${defaultPrefix(built.bundleId).replace(/\.$/, '')} signing key`);
  const [limit, setLimit] = useState(true);
  const [prefix, setPrefix] = useState(defaultPrefix(built.bundleId));
  const [dataDir, setDataDir] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    headingRef.current?.focus();
    let live = true;
    call('app.info', {}).then(
      (info) => live && setDataDir(info.dataDir),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);

  const prefixOk = !limit || (prefix.trim() !== '' && built.bundleId.startsWith(prefix.trim()));

  async function trust(e: FormEvent): Promise<void> {
    e.preventDefault();
    if (!label.trim()) return setError('Give the key a label, e.g. your organisation’s name.');
    if (!prefixOk) return setError(`The prefix must be the start of this bundle’s id (${built.bundleId}), or this bundle would still be refused.`);
    setSaving(true);
    setError(null);
    try {
      await call('trust.add', { jwk: built.signer.jwk, label: label.trim(), bundlePrefix: limit ? prefix.trim() : null });
      onTrusted();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  }

  return (
    <section className="trust-offer" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`} ref={headingRef} tabIndex={-1} className="admin-subtitle">
        This workstation does not trust the key that signed this bundle
      </h3>
      <p className="small">
        Bundles are imported only when signed by a trusted key. You signed this one with <span className="mono">{keyFile}</span>; if
        that is your organisation’s key, trust it here. Annotators’ workstations need the same step once.
      </p>
      <dl className="admin-facts">
        <dt>Fingerprint</dt>
        <dd className="mono trust-fingerprint">{built.signer.fingerprint}</dd>
      </dl>
      <form className="admin-form" onSubmit={(e) => void trust(e)} noValidate>
        <div className="field">
          <label className="field-label" htmlFor={`${id}-label`}>
            Label
          </label>
          <input id={`${id}-label`} className="input" value={label} onChange={(e) => setLabel(e.target.value)} maxLength={200} />
        </div>
        <fieldset className="admin-fieldset">
          <legend className="field-label">Bundles this key may sign</legend>
          <div className="admin-radios">
            <label className="admin-radio">
              <input type="radio" name={`${id}-scope`} checked={limit} onChange={() => setLimit(true)} /> Only ids starting with
            </label>
            <input
              className="input mono trust-prefix"
              aria-label="Bundle id prefix"
              value={prefix}
              onChange={(e) => setPrefix(e.target.value)}
              disabled={!limit}
              aria-invalid={!prefixOk || undefined}
              spellCheck={false}
            />
            <label className="admin-radio">
              <input type="radio" name={`${id}-scope`} checked={!limit} onChange={() => setLimit(false)} /> Any bundle
            </label>
          </div>
        </fieldset>
        {error ? (
          <div className="field-error" role="alert">
            {error}
          </div>
        ) : null}
        <div className="admin-actions">
          <button type="submit" className="btn btn-primary" disabled={busy || saving}>
            {saving ? 'Trusting…' : 'Trust this key and import'}
          </button>
        </div>
      </form>
      <p className="small muted">The same from the command line, in the project folder:</p>
      <pre className="trust-cli mono small">
        {trustCliCommand({ keyFile, dataDir: dataDir ?? 'DATA_DIR', label: label.trim() || 'LABEL', prefix: limit ? prefix.trim() || null : null })}
      </pre>
    </section>
  );
}
