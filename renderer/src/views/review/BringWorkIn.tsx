import { useRef, useState, type DragEvent } from 'react';
import type { Response } from '../../../../shared/contract/index.ts';
import { call, errorMessage } from '../../api/client.ts';
import { newJobId, useJobProgress } from '../../api/useJobProgress.ts';
import { encodeFiles, type EncodedFile } from './batchFiles.ts';

type ImportResult = Response<'sync.importBatchData'>['results'][number];
type Pulled = Response<'reviews.pull'>;

/** A request stays well under the web host's 16 MiB cap (base64 adds a third). */
const CALL_BYTES = 8 * 1024 * 1024;

function chunks(files: EncodedFile[]): EncodedFile[][] {
  const out: EncodedFile[][] = [];
  let cur: EncodedFile[] = [];
  let size = 0;
  for (const f of files) {
    if (cur.length > 0 && size + f.data.length > CALL_BYTES) {
      out.push(cur);
      cur = [];
      size = 0;
    }
    cur.push(f);
    size += f.data.length;
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

/**
 * For reviewers: other annotators' signed work, brought onto this workstation either from the
 * sync server or as batch files carried by hand. Every batch is verified here; a refused file is
 * named with the reason and nothing from it is kept.
 */
export function BringWorkIn({ onArrived }: { onArrived: () => void }) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState<null | 'pull' | 'import'>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const job = useJobProgress(jobId);
  const [files, setFiles] = useState<{ done: number; total: number } | null>(null);
  const [results, setResults] = useState<ImportResult[] | null>(null);
  const [pulled, setPulled] = useState<Pulled | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);

  const importFiles = async (list: readonly File[]): Promise<void> => {
    if (list.length === 0 || busy) return;
    setBusy('import');
    setError(null);
    setPulled(null);
    setResults(null);
    const all: ImportResult[] = [];
    try {
      const encoded = await encodeFiles(list);
      all.push(...encoded.refused);
      setFiles({ done: 0, total: list.length });
      for (const part of chunks(encoded.files)) {
        const id = newJobId();
        setJobId(id);
        const r = await call('sync.importBatchData', { files: part.map((f) => ({ name: f.name, data: f.data })), jobId: id });
        all.push(...r.results);
        setFiles((f) => (f ? { ...f, done: f.done + part.length } : f));
      }
      if (all.some((r) => r.ok && !r.duplicate)) onArrived();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setResults(all);
      setBusy(null);
      setJobId(null);
      if (inputRef.current) inputRef.current.value = '';
    }
  };

  const pull = async (): Promise<void> => {
    if (busy) return;
    setBusy('pull');
    setError(null);
    setResults(null);
    setPulled(null);
    try {
      const id = newJobId();
      setJobId(id);
      const r = await call('reviews.pull', { jobId: id });
      setPulled(r);
      if (r.received > 0) onArrived();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
      setJobId(null);
    }
  };

  const onDrop = (e: DragEvent<HTMLDivElement>): void => {
    e.preventDefault();
    setDragging(false);
    void importFiles([...e.dataTransfer.files]);
  };

  const refused = results?.filter((r) => !r.ok) ?? [];
  const kept = results?.filter((r) => r.ok) ?? [];
  const fresh = kept.filter((r) => !r.duplicate).length;
  const pct = job?.total ? Math.round((job.done / job.total) * 100) : busy === 'import' && files && files.total > 0 ? Math.round((files.done / files.total) * 100) : null;

  return (
    <section className="panel bring-in" aria-labelledby="bring-in-title">
      <h2 className="section-title" id="bring-in-title">
        Bring work in
      </h2>
      <p className="muted small">Other annotators’ signed batches, from the sync server or as batch files (.cbatch) carried by hand. Each is verified here before anything is kept.</p>
      <div className="bring-in-row">
        <button type="button" className="btn" onClick={() => void pull()} disabled={busy !== null}>
          {busy === 'pull' ? 'Pulling…' : 'Pull from the server'}
        </button>
        <div
          className={`drop-zone${dragging ? ' is-dragging' : ''}`}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
        >
          <button type="button" className="btn btn-primary" onClick={() => inputRef.current?.click()} disabled={busy !== null}>
            {busy === 'import' ? 'Importing…' : 'Import batch files…'}
          </button>
          <span className="muted small">or drop them here</span>
          <input
            ref={inputRef}
            type="file"
            multiple
            accept=".cbatch"
            className="sr-only"
            tabIndex={-1}
            aria-label="Batch files to import"
            onChange={(e) => void importFiles([...(e.currentTarget.files ?? [])])}
          />
        </div>
      </div>
      {busy !== null ? (
        <div className="bring-in-progress">
          <div
            className="progress"
            role="progressbar"
            aria-label={busy === 'pull' ? 'Fetching from the server' : 'Importing batch files'}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={pct ?? 0}
            aria-valuetext={busy === 'pull' ? (job?.total ? `${job.done} of ${job.total} batches` : 'Fetching') : files ? `${files.done} of ${files.total} files verified` : 'Reading the files'}
          >
            <span className="progress-submitted" style={{ width: `${pct ?? 5}%` }} />
          </div>
          <span className="muted small">{job?.label ?? 'Reading the files…'}</span>
        </div>
      ) : null}
      <div role="status" aria-live="polite" className="bring-in-result">
        {pulled ? (
          <p className="small">
            {pulled.received} new batch{pulled.received === 1 ? '' : 'es'} from {pulled.devices} other device{pulled.devices === 1 ? '' : 's'}.
          </p>
        ) : null}
        {results && results.length > 0 ? (
          <p className="small">
            {fresh} of {results.length} file{results.length === 1 ? '' : 's'} imported
            {kept.length > fresh ? `, ${kept.length - fresh} already here` : ''}
            {refused.length > 0 ? `, ${refused.length} refused` : ''}.
          </p>
        ) : null}
      </div>
      {error ? (
        <div className="alert alert-error" role="alert">
          <strong>Could not bring the work in.</strong> {error}
        </div>
      ) : null}
      {refused.length > 0 || (pulled && pulled.failed.length > 0) ? (
        <div className="alert alert-error" role="alert">
          <strong>Refused, and nothing from it kept:</strong>
          <ul className="issues">
            {refused.map((r) => (
              <li key={r.file}>
                <span className="mono">{r.file}</span>: {r.message ?? 'not accepted'}
              </li>
            ))}
            {pulled?.failed.map((f) => (
              <li key={`${f.deviceId}/${f.seq}`}>
                Batch {f.seq} of device <span className="mono">{f.deviceId}</span>: {f.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
