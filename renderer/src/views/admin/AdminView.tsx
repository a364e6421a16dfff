import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { count } from '../../../../shared/text/plural.ts';
import type { JobProgress, Response } from '../../../../shared/contract/index.ts';
import { ApiError, call, errorMessage } from '../../api/client.ts';
import { newJobId, useJobProgress } from '../../api/useJobProgress.ts';
import { KindBadge } from '../../components/Badges.tsx';
import { Markdown } from '../../components/Markdown.tsx';
import { TrustSignerOffer } from './TrustSignerOffer.tsx';
import { signerUntrusted } from './trustSigner.ts';

type Validation = Response<'admin.validateSource'>;
type Build = Response<'admin.buildBundle'>;
type Imported = Response<'bundles.importFile'>;
type PreviewTask = Validation['preview'][number];
type TasksFrom = 'folder' | 'jsonl' | 'csv';

/** A failure shown in the alert region, naming the field it concerns when there is one. */
interface Failure {
  field: string | null;
  message: string;
  issues: Array<{ path: string; message: string }>;
}

function failure(field: string | null, e: unknown): Failure {
  // A refused request's issues are located by contract field ids (`outFile`), which mean nothing to
  // a person: its message already says what to fix. Problems in the source keep their file and line.
  const issues = e instanceof ApiError && e.code !== 'invalid_request' ? (e.issues ?? []) : [];
  return { field, message: errorMessage(e).split('\n')[0] ?? '', issues };
}

/** Admins only: validate a bundle source, preview it, sign it and (optionally) import it here. */
export function AdminView() {
  const [sourceDir, setSourceDir] = useState('');
  const [from, setFrom] = useState<TasksFrom>('folder');
  const [tasksFile, setTasksFile] = useState('');
  const [mappingFile, setMappingFile] = useState('');
  const [keyFile, setKeyFile] = useState('');
  const [outFile, setOutFile] = useState('');
  const [busy, setBusy] = useState<null | 'validate' | 'build' | 'import'>(null);
  const [validation, setValidation] = useState<Validation | null>(null);
  const [built, setBuilt] = useState<Build | null>(null);
  const [imported, setImported] = useState<Imported | null>(null);
  /** The import was refused because the key that signed the bundle is not trusted here. */
  const [untrusted, setUntrusted] = useState(false);
  const [error, setError] = useState<Failure | null>(null);
  const errorRef = useRef<HTMLDivElement>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const job = useJobProgress(jobId);

  useEffect(() => {
    if (error) errorRef.current?.focus();
  }, [error]);

  const source = () => ({
    sourceDir: sourceDir.trim(),
    tasks: from === 'folder' ? ({ from: 'folder' } as const) : { from, file: tasksFile.trim(), mappingFile: mappingFile.trim() },
  });

  const missing = (checks: Array<[string, string]>): boolean => {
    const empty = checks.find(([, v]) => !v.trim());
    if (!empty) return false;
    setError({ field: empty[0], message: 'This field is required.', issues: [] });
    return true;
  };
  const sourceChecks = (): Array<[string, string]> => [
    ['Source folder', sourceDir],
    ...(from === 'folder' ? [] : ([[`Tasks file (${from.toUpperCase()})`, tasksFile], ['Mapping file', mappingFile]] as Array<[string, string]>)),
  ];

  async function validate(e?: FormEvent): Promise<void> {
    e?.preventDefault();
    if (missing(sourceChecks())) return;
    setBusy('validate');
    setError(null);
    setBuilt(null);
    setImported(null);
    try {
      setValidation(await call('admin.validateSource', { ...source(), previewCount: 10 }));
    } catch (err) {
      setValidation(null);
      setError(failure('Source', err));
    } finally {
      setBusy(null);
    }
  }

  async function build(e: FormEvent): Promise<void> {
    e.preventDefault();
    if (missing([...sourceChecks(), ['Signing key file', keyFile], ['Save bundle as', outFile]])) return;
    if (!outFile.trim().endsWith('.cbundle')) {
      setError({ field: 'Save bundle as', message: 'The bundle file name must end in .cbundle.', issues: [] });
      return;
    }
    setBusy('build');
    setError(null);
    setUntrusted(false);
    setBuilt(null);
    setImported(null);
    const id = newJobId();
    setJobId(id);
    try {
      setBuilt(await call('admin.buildBundle', { ...source(), keyFile: keyFile.trim(), outFile: outFile.trim(), jobId: id }));
    } catch (err) {
      setError(failure(/key/i.test(errorMessage(err)) ? 'Signing key file' : 'Sign and save', err));
    } finally {
      setBusy(null);
      setJobId(null);
    }
  }

  async function importHere(): Promise<void> {
    if (!built) return;
    setBusy('import');
    setError(null);
    const id = newJobId();
    setJobId(id);
    setUntrusted(false);
    try {
      setImported(await call('bundles.importFile', { path: built.file, jobId: id }));
    } catch (err) {
      // A refusal may be the signer being unknown here: then offer to trust it, not a dead end.
      const refused = err instanceof ApiError && err.code === 'refused';
      const offer = refused && signerUntrusted(built.signer.keyId, await call('trust.list', {}).catch(() => []));
      setUntrusted(offer);
      if (!offer) setError(failure('Import into this workstation', err));
    } finally {
      setBusy(null);
      setJobId(null);
    }
  }

  const ready = validation !== null && validation.problems.length === 0 && validation.bundle !== null;

  return (
    <main className="page admin-page" id="main" tabIndex={-1}>
      <div className="page-header">
        <div>
          <h1 className="page-title">Build bundle</h1>
          <p className="muted small">Validate a bundle source, preview it as annotators will see it, then sign it with your organisation’s key.</p>
        </div>
      </div>

      <div ref={errorRef} tabIndex={-1} role="alert" className={error ? 'alert alert-error' : undefined}>
        {error ? (
          <>
            <strong>{error.field ? `${error.field}: ` : ''}</strong>
            {error.message}
            {error.issues.length > 0 ? (
              <ul className="issues">
                {error.issues.map((i, n) => (
                  <li key={n}>
                    <span className="mono">{i.path}</span> — {i.message}
                  </li>
                ))}
              </ul>
            ) : null}
          </>
        ) : null}
      </div>

      <section className="panel admin-section" aria-labelledby="admin-source-h">
        <h2 id="admin-source-h" className="panel-title">1. Source</h2>
        <p className="muted small">
          Paths are on this workstation (the folder or file as the core sees it); there is no file picker in the browser.
        </p>
        <form onSubmit={(e) => void validate(e)} className="admin-form">
          <PathField label="Source folder" hint="Folder with bundle.json, guidelines.md, rubric.json and taxonomy.json" value={sourceDir} onChange={setSourceDir} placeholder="/path/to/bundle-source" invalid={error?.field === 'Source folder'} />
          <fieldset className="admin-fieldset">
            <legend className="field-label">Tasks come from</legend>
            <div className="admin-radios">
              {(
                [
                  ['folder', 'Its own tasks.jsonl'],
                  ['jsonl', 'A JSONL file with a mapping'],
                  ['csv', 'A CSV file with a mapping'],
                ] as const
              ).map(([k, label]) => (
                <label key={k} className="admin-radio">
                  <input type="radio" name="admin-tasks-from" value={k} checked={from === k} onChange={() => setFrom(k)} /> {label}
                </label>
              ))}
            </div>
          </fieldset>
          {from !== 'folder' ? (
            <>
              <PathField label={`Tasks file (${from.toUpperCase()})`} value={tasksFile} onChange={setTasksFile} placeholder={`/path/to/tasks.${from}`} invalid={error?.field?.startsWith('Tasks file') ?? false} />
              <PathField label="Mapping file" hint="JSON describing how columns or keys map onto task fields" value={mappingFile} onChange={setMappingFile} placeholder="/path/to/mapping.json" invalid={error?.field === 'Mapping file'} />
            </>
          ) : null}
          <div className="admin-actions">
            <button type="submit" className="btn btn-primary" disabled={busy !== null}>
              {busy === 'validate' ? 'Validating…' : 'Validate'}
            </button>
          </div>
        </form>
      </section>

      {validation ? <ValidationReport v={validation} /> : null}

      {ready ? (
        <section className="panel admin-section" aria-labelledby="admin-sign-h">
          <h2 id="admin-sign-h" className="panel-title">3. Sign and save</h2>
          <form onSubmit={(e) => void build(e)} className="admin-form">
            <PathField label="Signing key file" hint="The organisation’s private key (JWK), as made by `casebook keys new`" value={keyFile} onChange={setKeyFile} placeholder="/path/to/org.private.jwk" invalid={error?.field === 'Signing key file'} />
            <PathField label="Save bundle as" hint="A path ending in .cbundle" value={outFile} onChange={setOutFile} placeholder="/path/to/bundle.cbundle" invalid={error?.field === 'Save bundle as'} />
            <div className="admin-actions">
              <button type="submit" className="btn btn-primary" disabled={busy !== null}>
                {busy === 'build' ? 'Signing…' : 'Sign and save'}
              </button>
            </div>
          </form>
          {busy === 'build' || busy === 'import' ? <JobBar job={job} label={busy === 'build' ? 'Building the bundle' : 'Importing the bundle'} /> : null}
          {built ? (
            <div className="admin-result" role="status">
              <h3 className="admin-subtitle">Bundle written</h3>
              <dl className="admin-facts">
                <dt>File</dt>
                <dd className="mono">{built.file}</dd>
                <dt>Bundle</dt>
                <dd>
                  <span className="mono">{built.bundleId}</span> · version {built.version}
                </dd>
                <dt>Tasks</dt>
                <dd>
                  {built.taskCount} ({Object.entries(built.kinds).map(([k, n]) => `${n} ${k}`).join(', ')})
                </dd>
                <dt>Expires</dt>
                <dd>{new Date(built.expiresAt).toLocaleString()}</dd>
              </dl>
              <div className="admin-actions">
                <button type="button" className="btn" onClick={() => void importHere()} disabled={busy !== null}>
                  {busy === 'import' ? 'Importing…' : 'Import into this workstation'}
                </button>
              </div>
              {untrusted && !imported ? <TrustSignerOffer built={built} keyFile={keyFile.trim()} busy={busy !== null} onTrusted={() => void importHere()} /> : null}
              {imported ? (
                <p className="admin-imported">
                  {imported.outcome === 'unchanged' ? 'Already installed' : imported.outcome === 'updated' ? 'Updated' : 'Imported'}:{' '}
                  <span className="mono">{imported.bundleId}</span> version {imported.version}, {count(imported.taskCount, 'task')}.
                </p>
              ) : null}
            </div>
          ) : null}
        </section>
      ) : null}
    </main>
  );
}

function PathField({ label, hint, value, onChange, placeholder, invalid }: { label: string; hint?: string; value: string; onChange: (v: string) => void; placeholder: string; invalid: boolean }) {
  const id = useId();
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        className="input mono"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder={placeholder}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={invalid || undefined}
        aria-describedby={hint ? `${id}-hint` : undefined}
      />
      {hint ? (
        <div id={`${id}-hint`} className="muted small">
          {hint}
        </div>
      ) : null}
    </div>
  );
}

function JobBar({ job, label }: { job: JobProgress | null; label: string }) {
  const pct = job?.total ? Math.min(100, Math.round((job.done / job.total) * 100)) : null;
  const text = job ? `${job.label}${pct !== null ? ` — ${pct}%` : job.done > 0 ? ` — ${count(job.done, 'task')}` : '…'}` : `${label}…`;
  return (
    <div className="admin-job">
      <div className="small">{text}</div>
      <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct ?? undefined} aria-valuetext={text}>
        <span className={`progress-submitted${pct === null ? ' progress-indeterminate' : ''}`} style={{ width: pct !== null ? `${pct}%` : '40%' }} />
      </div>
    </div>
  );
}

function ValidationReport({ v }: { v: Validation }) {
  const ok = v.problems.length === 0 && v.bundle !== null;
  return (
    <section className="panel admin-section" aria-labelledby="admin-report-h">
      <h2 id="admin-report-h" className="panel-title">2. {ok ? 'Ready to sign' : `${v.problems.length}${v.truncated ? '+' : ''} problem${v.problems.length === 1 ? '' : 's'} found`}</h2>
      {ok && v.bundle ? (
        <dl className="admin-facts">
          <dt>Bundle</dt>
          <dd>
            <span className="mono">{v.bundle.id}</span> · version {v.bundle.version}
          </dd>
          <dt>Title</dt>
          <dd>{v.bundle.title}</dd>
          <dt>Tasks</dt>
          <dd>
            {v.taskCount} (
            {Object.entries(v.taskCounts)
              .map(([k, n]) => `${n} ${k}`)
              .join(', ')}
            )
          </dd>
          <dt>Gold</dt>
          <dd>
            {v.goldCount} {v.goldCount === 1 ? 'task' : 'tasks'} with gold answers (removed from what annotators see)
          </dd>
        </dl>
      ) : (
        <>
          <p className="muted small">Fix these in the source and validate again. Nothing has been written.</p>
          <div className="admin-table-wrap">
            <table className="admin-table">
              <caption className="sr-only">Problems in the bundle source</caption>
              <thead>
                <tr>
                  <th scope="col">File</th>
                  <th scope="col">Line</th>
                  <th scope="col">Field</th>
                  <th scope="col">Problem</th>
                </tr>
              </thead>
              <tbody>
                {v.problems.map((p, i) => (
                  <tr key={i}>
                    <td className="mono">{p.file}</td>
                    <td className="mono">{p.line ?? ''}</td>
                    <td className="mono">{p.field ?? ''}</td>
                    <td>{p.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {v.truncated ? <p className="small">Only the first {v.problems.length} problems are listed; there are more.</p> : null}
        </>
      )}
      {v.preview.length > 0 ? (
        <>
          <h3 className="admin-subtitle">Preview: the first {count(v.preview.length, 'task')} as annotators will see them</h3>
          <ul className="admin-preview">
            {v.preview.map((t) => (
              <li key={t.id}>
                <PreviewItem task={t} />
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

function PreviewItem({ task }: { task: PreviewTask }) {
  return (
    <details className="admin-preview-item">
      <summary>
        <KindBadge kind={task.kind} /> <span className="admin-preview-title">{task.title ?? task.id}</span> <span className="mono muted small">{task.id}</span>
      </summary>
      <div className="admin-preview-body">
        {task.kind === 'trajectory' ? (
          <Block label="Goal" text={task.goal} />
        ) : null}
        {(task.context ?? []).map((m, i) => (
          <Block key={`c${i}`} label={`Context · ${m.role}`} text={m.content} />
        ))}
        {task.kind === 'compare' ? task.responses.map((r, i) => <Block key={r.id} label={`Response ${String.fromCharCode(65 + i)}`} text={r.content} />) : null}
        {task.kind === 'exemplar' ? <Block label="Draft" text={task.draft} /> : null}
        {task.kind === 'trajectory'
          ? task.steps.map((s, i) => (
              <Block
                key={s.id}
                label={`Step ${i + 1} · ${s.type === 'message' ? s.role : s.type === 'tool_call' ? `call ${s.tool}` : s.type === 'tool_result' ? `result${s.tool ? ` ${s.tool}` : ''}` : 'thought'}`}
                text={s.type === 'tool_call' ? '```json\n' + JSON.stringify(s.arguments, null, 2) + '\n```' : s.content}
              />
            ))
          : null}
      </div>
    </details>
  );
}

function Block({ label, text }: { label: string; text: string }) {
  return (
    <div className="admin-block">
      <div className="admin-block-label">{label}</div>
      <Markdown text={text} />
    </div>
  );
}
