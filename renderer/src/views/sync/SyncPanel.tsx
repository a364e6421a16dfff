import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { ApiError, type Client, type SyncStatus } from '../../../../shared/contract/index.ts';
import { count } from '../../../../shared/text/plural.ts';
import './SyncPanel.css';

export interface SyncPanelProps {
  client: Client;
  /** How often to refresh the online state while the panel is open. */
  refreshMs?: number;
  /** After enrolling: the workstation's name and role are now the enrolment token's. */
  onEnrolled?: () => void;
}

function plainError(e: unknown): { message: string; fields: Record<string, string> } {
  if (e instanceof ApiError) {
    const fields: Record<string, string> = {};
    for (const i of e.issues ?? []) fields[i.path] = i.message;
    return { message: e.message, fields };
  }
  return { message: e instanceof Error ? e.message : String(e), fields: {} };
}

function when(iso: string | null): string {
  if (!iso) return 'never';
  const d = new Date(iso);
  const mins = Math.round((Date.now() - d.getTime()) / 60_000);
  const rel = mins < 1 ? 'just now' : mins < 60 ? `${mins} min ago` : mins < 48 * 60 ? `${Math.round(mins / 60)} h ago` : `${Math.round(mins / 1440)} days ago`;
  return `${rel} (${d.toLocaleString()})`;
}

function Connection({ s }: { s: SyncStatus }) {
  const state = s.running ? 'syncing' : s.online === null ? 'unknown' : s.online ? 'online' : 'offline';
  const label = { syncing: 'Syncing…', unknown: 'Not checked yet', online: 'Server reachable', offline: 'Offline — work is kept on this computer' }[state];
  return (
    <p className={`sync-connection sync-connection--${state}`}>
      <span className="sync-dot" aria-hidden="true" />
      {label}
    </p>
  );
}

function EnrolForm({ client, onDone }: { client: Client; onDone: (s: SyncStatus) => void }) {
  const [serverUrl, setServerUrl] = useState('');
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; fields: Record<string, string> } | null>(null);
  const urlId = useId();
  const tokenId = useId();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onDone(await client.call('sync.enrol', { serverUrl, token }));
    } catch (err) {
      setError(plainError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="sync-enrol" onSubmit={(e) => void submit(e)} aria-describedby={`${urlId}-help`}>
      <p id={`${urlId}-help`}>
        This workstation is not connected to your organisation&apos;s server yet. Ask your admin for the server address and a one-time enrolment token.
      </p>
      <label className="field-label" htmlFor={urlId}>Server address</label>
      <input className="input"
        id={urlId}
        type="url"
        placeholder="https://casebook.example.org"
        value={serverUrl}
        onChange={(e) => setServerUrl(e.target.value)}
        aria-invalid={Boolean(error?.fields.serverUrl)}
        aria-errormessage={`${urlId}-err`}
        required
      />
      {error?.fields.serverUrl && (
        <p id={`${urlId}-err`} className="sync-field-error">
          {error.fields.serverUrl}
        </p>
      )}
      <label className="field-label" htmlFor={tokenId}>Enrolment token</label>
      <input className="input"
        id={tokenId}
        value={token}
        onChange={(e) => setToken(e.target.value)}
        autoComplete="off"
        spellCheck={false}
        aria-invalid={Boolean(error?.fields.token)}
        aria-errormessage={`${tokenId}-err`}
        required
      />
      {error?.fields.token && (
        <p id={`${tokenId}-err`} className="sync-field-error">
          {error.fields.token}
        </p>
      )}
      {error && (
        <p role="alert" className="sync-error">
          {error.message}
        </p>
      )}
      <button type="submit" className="btn btn-primary" disabled={busy} aria-busy={busy}>
        {busy ? 'Enrolling…' : 'Enrol this workstation'}
      </button>
    </form>
  );
}

/**
 * Sync at a glance: reachability, what is waiting, when it last worked, what went wrong in
 * plain words, a "Sync now" button, progress for big pushes, refused batches with the server's
 * reason (retried only when the person asks), and export to batch files for a USB stick.
 */
export function SyncPanel({ client, refreshMs = 15_000, onEnrolled }: SyncPanelProps) {
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [exportDir, setExportDir] = useState('');
  const [exported, setExported] = useState<string | null>(null);
  const [pulled, setPulled] = useState<string | null>(null);
  const [pulling, setPulling] = useState(false);
  const exportId = useId();

  const refresh = useCallback(async () => {
    try {
      setStatus(await client.call('sync.status', {}));
      setError(null);
    } catch (e) {
      setError(plainError(e).message);
    }
  }, [client]);

  useEffect(() => {
    let live = true;
    const load = () =>
      client.call('sync.status', {}).then(
        (s) => {
          if (!live) return;
          setStatus(s);
          setError(null);
        },
        (e: unknown) => live && setError(plainError(e).message),
      );
    void load();
    const off = client.subscribe((e) => {
      if (e.type === 'sync.changed' || (e.type === 'job.progress' && e.progress.jobId === 'sync')) void load();
    });
    const timer = setInterval(() => void load(), refreshMs);
    return () => {
      live = false;
      off();
      clearInterval(timer);
    };
  }, [client, refreshMs]);

  const act = async (fn: () => Promise<SyncStatus>) => {
    try {
      setStatus(await fn());
      setError(null);
    } catch (e) {
      setError(plainError(e).message);
    }
  };

  const doExport = async (e: FormEvent) => {
    e.preventDefault();
    setExported(null);
    try {
      const { files } = await client.call('sync.exportBatches', { outDir: exportDir });
      setExported(files.length === 0 ? 'Nothing to export yet.' : `${files.length} signed batch file${files.length === 1 ? '' : 's'} written to ${exportDir}.`);
      await refresh();
    } catch (err) {
      setError(plainError(err).message);
    }
  };

  const doPull = async () => {
    setPulling(true);
    setPulled(null);
    try {
      const r = await client.call('sync.pull', {});
      const got = r.imported.map((b) => `${b.bundleId} v${b.version}`).join(', ');
      const bad = r.failed.map((f) => `${f.bundleId} v${f.version}: ${f.message}`).join('; ');
      setPulled([got ? `New: ${got}.` : 'No new bundle versions.', bad ? `Not imported: ${bad}.` : ''].join(' ').trim());
    } catch (e) {
      setError(plainError(e).message);
    } finally {
      setPulling(false);
    }
  };

  if (!status) {
    return (
      <main className="page sync-panel" id="main" tabIndex={-1} aria-labelledby="sync-title" aria-busy="true">
        <h1 id="sync-title" className="page-title">Sync</h1>
        {error ? <p role="alert" className="sync-error">{error}</p> : <p>Loading…</p>}
      </main>
    );
  }

  const waiting = status.outbox.unsent;
  return (
    // A screen of its own: the page's main landmark and its one h1, as every other screen has.
    <main className="page sync-panel" id="main" tabIndex={-1} aria-labelledby="sync-title">
      <div className="page-header">
        <h1 id="sync-title" className="page-title">Sync</h1>
        <p className="muted">Your submitted work leaves this computer as signed, hash-chained batches: by network when the server is reachable, or as files by hand.</p>
      </div>
      {!status.enrolled ? (
        <EnrolForm
          client={client}
          onDone={(s) => {
            setStatus(s);
            onEnrolled?.();
          }}
        />
      ) : (
        <>
          <Connection s={status} />
          <dl className="sync-facts">
            <dt>Server</dt>
            <dd>{status.serverUrl}</dd>
            <dt>Waiting to send</dt>
            <dd>{waiting === 0 ? 'Nothing — all your submitted work has reached the server' : `${waiting} submitted record${waiting === 1 ? '' : 's'}`}</dd>
            <dt>Acknowledged by the server</dt>
            <dd>{count(status.outbox.sentBatches, 'batch')}</dd>
            <dt>Last successful sync</dt>
            <dd>{when(status.lastSuccessAt)}</dd>
          </dl>
          {(error ?? status.lastError) && (
            <p role="alert" className="sync-error">
              {error ?? status.lastError}
            </p>
          )}
          {status.progress && status.progress.total > 0 && (
            <div className="sync-progress">
              <progress value={status.progress.done} max={status.progress.total} aria-label="Sending your work" />
              <span aria-live="polite">
                {status.progress.done} of {status.progress.total} sent
              </span>
            </div>
          )}
          <button type="button" className="btn btn-primary" onClick={() => void act(() => client.call('sync.now', {}))} disabled={status.running} aria-busy={status.running}>
            {status.running ? 'Syncing…' : 'Sync now'}
          </button>
          <button type="button" className="btn" onClick={() => void doPull()} disabled={pulling} aria-busy={pulling}>
            {pulling ? 'Checking…' : 'Check for new bundles'}
          </button>
          {pulled && <p aria-live="polite">{pulled}</p>}
          {status.refused.length > 0 && (
            <div className="sync-refused" role="region" aria-labelledby="sync-refused-title">
              <h2 id="sync-refused-title">The server refused {status.refused.length === 1 ? 'a batch' : 'some batches'}</h2>
              <p>Nothing is sent after a refused batch until the cause is fixed. Your work stays on this computer.</p>
              <ul>
                {status.refused.map((r) => (
                  <li key={r.seq}>
                    Batch {r.seq}: {r.reason}
                  </li>
                ))}
              </ul>
              <button type="button" className="btn" onClick={() => void act(() => client.call('sync.retryRefused', {}))}>
                Try the refused batch again
              </button>
            </div>
          )}
        </>
      )}
      <form className="sync-export" onSubmit={(e) => void doExport(e)}>
        <h2>No network? Carry your work by hand</h2>
        <label className="field-label" htmlFor={exportId}>Folder to write signed batch files to (for example a USB stick)</label>
        <input className="input" id={exportId} value={exportDir} onChange={(e) => setExportDir(e.target.value)} required />
        <button type="submit" className="btn">Export batch files</button>
        {exported && <p aria-live="polite">{exported}</p>}
      </form>
    </main>
  );
}
