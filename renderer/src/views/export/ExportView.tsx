import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { roleMayCall, type JobProgress, type Response } from '../../../../shared/contract/index.ts';
import { call, errorMessage } from '../../api/client.ts';
import { newJobId, useJobProgress } from '../../api/useJobProgress.ts';
import { useIdentity } from '../../state/identity.ts';

type Summary = Response<'export.run'>;
type Derived = Response<'admin.deriveBundle'>;
type Bundles = Response<'bundles.list'>;

const FORMATS = [
  ['sft', 'SFT messages (TRL)'],
  ['dpo', 'DPO prompt / chosen / rejected (TRL)'],
  ['chat-preference', 'Chat preference (input / preferred / non-preferred)'],
  ['chat-sft', 'Chat SFT messages'],
  ['kto', 'KTO prompt / completion / label (TRL)'],
  ['prm', 'PRM stepwise labels (TRL)'],
  ['full', 'Full records with provenance'],
] as const;
type Format = (typeof FORMATS)[number][0];

const POLICIES = [
  ['adjudicated', 'Adjudicated only'],
  ['unanimous', 'Adjudicated, else unanimous'],
  ['majority', 'Adjudicated, else majority'],
  ['all', 'Adjudicated, else every answer'],
] as const;
const PAIRINGS = [
  ['all-pairs', 'All pairs'],
  ['adjacent', 'Adjacent ranks'],
  ['best-vs-rest', 'Best against the rest'],
] as const;

/** Why tasks or answers were left out, in words (docs/exports.md lists the codes). */
const REASONS: Record<string, string> = {
  bundle: 'another bundle',
  kind: 'another task kind',
  gold: 'calibration (gold) item',
  escalated: 'open escalation',
  agreement: 'agreement below the minimum',
  not_adjudicated: 'not adjudicated',
  too_few_answers: 'fewer than two answers',
  no_agreement: 'annotators disagree',
  no_majority: 'no majority',
  no_work: 'no submitted work',
  tie: 'tie',
  both_unacceptable: 'both unacceptable',
  cannot_judge: 'cannot judge',
  no_correction: 'no correction written',
  unchanged: 'draft left unchanged',
  unlabelled_steps: 'steps not labelled',
  no_error: 'no error step',
  kind_not_applicable: 'format does not apply to the task kind',
  trajectories_not_requested: 'trajectory rows not requested',
};
const reason = (r: string) => REASONS[r] ?? r.replace(/_/g, ' ');

/** Reviewers and admins: export accepted work as training data, and (admins) derive the next bundle from failures. */
export function ExportView() {
  const identity = useIdentity((s) => s.identity);
  const [bundles, setBundles] = useState<Bundles>([]);
  const [formats, setFormats] = useState<Set<Format>>(new Set(['dpo', 'sft', 'full']));
  const [policy, setPolicy] = useState<(typeof POLICIES)[number][0]>('adjudicated');
  const [pairing, setPairing] = useState<(typeof PAIRINGS)[number][0]>('all-pairs');
  const [bundleId, setBundleId] = useState('');
  const [minAgreement, setMinAgreement] = useState('');
  const [flags, setFlags] = useState({ conversational: false, fromTrajectories: false, includeGold: false, includeEscalated: false, currentModelOnly: false, parquet: false });
  const [outDir, setOutDir] = useState('');
  const [busy, setBusy] = useState(false);
  const [summary, setSummary] = useState<Summary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const errorRef = useRef<HTMLDivElement>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const job = useJobProgress(jobId);
  const ids = { out: useId(), bundle: useId(), policy: useId(), pairing: useId(), min: useId() };

  useEffect(() => {
    void call('bundles.list', {}).then(setBundles, () => setBundles([]));
  }, []);
  useEffect(() => {
    if (error) errorRef.current?.focus();
  }, [error]);

  async function run(e: FormEvent): Promise<void> {
    e.preventDefault();
    if (formats.size === 0) return setError('Formats: choose at least one format.');
    if (!outDir.trim()) return setError('Export folder: this field is required.');
    const min = minAgreement.trim() === '' ? undefined : Number(minAgreement);
    if (min !== undefined && (!Number.isFinite(min) || min < -1 || min > 1)) return setError('Minimum agreement: a number between -1 and 1.');
    setBusy(true);
    setError(null);
    setSummary(null);
    const id = newJobId();
    setJobId(id);
    try {
      setSummary(
        await call('export.run', {
          formats: FORMATS.map(([f]) => f).filter((f) => formats.has(f)),
          policy,
          pairing,
          ...flags,
          ...(bundleId ? { bundles: [bundleId] } : {}),
          ...(min !== undefined ? { minAgreement: min } : {}),
          outDir: outDir.trim(),
          jobId: id,
        }),
      );
    } catch (err) {
      setError(`Export: ${errorMessage(err).split('\n')[0] ?? ''}`);
    } finally {
      setBusy(false);
      setJobId(null);
    }
  }

  const flag = (k: keyof typeof flags, label: string, hint: string) => (
    <label className="admin-radio" title={hint}>
      <input type="checkbox" checked={flags[k]} onChange={(e) => setFlags({ ...flags, [k]: e.target.checked })} /> {label}
    </label>
  );

  return (
    <main className="page admin-page" id="main" tabIndex={-1}>
      <div className="page-header">
        <div>
          <h1 className="page-title">Export training data</h1>
          <p className="muted small">Everything this workstation holds — your work and work received from others — in the shapes training tools load, with a signed manifest and a dataset card.</p>
        </div>
      </div>

      <div ref={errorRef} tabIndex={-1} role="alert" className={error ? 'alert alert-error' : undefined}>
        {error}
      </div>

      <section className="panel admin-section" aria-labelledby="export-what-h">
        <h2 id="export-what-h" className="panel-title">What to export</h2>
        <form onSubmit={(e) => void run(e)} className="admin-form">
          <fieldset className="admin-fieldset">
            <legend className="field-label">Formats</legend>
            <div className="admin-radios">
              {FORMATS.map(([f, label]) => (
                <label key={f} className="admin-radio">
                  <input
                    type="checkbox"
                    name="export-format"
                    value={f}
                    checked={formats.has(f)}
                    onChange={(e) => {
                      const next = new Set(formats);
                      if (e.target.checked) next.add(f);
                      else next.delete(f);
                      setFormats(next);
                    }}
                  />{' '}
                  {label}
                </label>
              ))}
            </div>
          </fieldset>
          <div className="field">
            <label className="field-label" htmlFor={ids.policy}>
              Which answer a task gives
            </label>
            <select id={ids.policy} className="input" value={policy} onChange={(e) => setPolicy(e.target.value as typeof policy)}>
              {POLICIES.map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label className="field-label" htmlFor={ids.pairing}>
              Rankings become pairs
            </label>
            <select id={ids.pairing} className="input" value={pairing} onChange={(e) => setPairing(e.target.value as typeof pairing)}>
              {PAIRINGS.map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label className="field-label" htmlFor={ids.bundle}>
              Bundle
            </label>
            <select id={ids.bundle} className="input" value={bundleId} onChange={(e) => setBundleId(e.target.value)}>
              <option value="">All bundles</option>
              {bundles.map((b) => (
                <option key={b.id} value={b.id}>
                  {b.title}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label className="field-label" htmlFor={ids.min}>
              Minimum agreement (optional)
            </label>
            <input id={ids.min} className="input" inputMode="decimal" value={minAgreement} onChange={(e) => setMinAgreement(e.target.value)} placeholder="e.g. 0.6" autoComplete="off" />
          </div>
          <fieldset className="admin-fieldset">
            <legend className="field-label">Options</legend>
            <div className="admin-radios">
              {flag('conversational', 'DPO and KTO as message lists', "TRL's conversational form")}
              {flag('fromTrajectories', 'Rows from corrected trajectory steps', 'SFT and preference rows from steps an annotator corrected')}
              {flag('includeGold', 'Include calibration (gold) items', 'Left out by default')}
              {flag('includeEscalated', 'Include tasks with open escalations', 'Left out by default')}
              {flag('currentModelOnly', "Only the bundle's current model", 'Leave out rows on responses from older model versions')}
              {flag('parquet', 'Parquet beside JSONL', 'What dataset hubs store')}
            </div>
          </fieldset>
          <div className="field">
            <label className="field-label" htmlFor={ids.out}>
              Export folder
            </label>
            <input id={ids.out} className="input mono" value={outDir} onChange={(e) => setOutDir(e.target.value)} placeholder="/path/to/new-export-folder" spellCheck={false} autoComplete="off" aria-describedby={`${ids.out}-hint`} />
            <div id={`${ids.out}-hint`} className="muted small">
              A new folder on this workstation; an existing one is never touched.
            </div>
          </div>
          <div className="admin-actions">
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {busy ? 'Exporting…' : 'Export'}
            </button>
          </div>
        </form>
        {busy ? <JobBar job={job} /> : null}
      </section>

      {summary ? <ExportSummary s={summary} /> : null}
      {identity && roleMayCall(identity.role, 'admin.deriveBundle') ? <DeriveSection bundles={bundles} /> : null}
    </main>
  );
}

function JobBar({ job }: { job: JobProgress | null }) {
  const pct = job?.total ? Math.min(100, Math.round((job.done / job.total) * 100)) : null;
  const text = job ? `${job.label}${pct !== null ? ` — ${pct}% (${job.done} of ${job.total} tasks read)` : job.done > 0 ? ` — ${job.done} tasks read` : '…'}` : 'Exporting…';
  return (
    <div className="admin-job">
      <div className="small">{text}</div>
      <div className="progress" role="progressbar" aria-label="Export progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct ?? undefined} aria-valuetext={text}>
        <span className={`progress-submitted${pct === null ? ' progress-indeterminate' : ''}`} style={{ width: pct !== null ? `${pct}%` : '40%' }} />
      </div>
    </div>
  );
}

function ExportSummary({ s }: { s: Summary }) {
  const excluded = Object.entries(s.units.excluded).sort((a, b) => b[1] - a[1]);
  // Per format: one pair can be a row in several formats, and not every format is preference data.
  const staleParts = s.datasets.filter((d) => d.staleRows > 0).map((d) => `${d.staleRows} ${d.format} row${d.staleRows === 1 ? '' : 's'}`);
  const stale = s.datasets.reduce((n, d) => n + d.staleRows, 0);
  const staleVerb = staleParts.length === 1 && stale === 1 ? 'is' : 'are';
  const models = s.bundles.filter((b) => b.currentModel).map((b) => `${b.id}: ${b.currentModel}`);
  return (
    <section className="panel admin-section" aria-labelledby="export-summary-h" role="status">
      <h2 id="export-summary-h" className="panel-title">Exported</h2>
      <dl className="admin-facts">
        <dt>Folder</dt>
        <dd className="mono">{s.dir}</dd>
        <dt>Tasks</dt>
        <dd>
          {s.units.seen} read, {s.units.selected} with a chosen answer
        </dd>
        <dt>Sources</dt>
        <dd>
          {s.sources.records} records from {s.sources.batches} signed batches{s.sources.unsealedRecords > 0 ? `; ${s.sources.unsealedRecords} not sealed into a batch yet` : ''}
        </dd>
        <dt>Signed by</dt>
        <dd className="mono small">{s.signerKeyId}</dd>
      </dl>
      {stale > 0 ? (
        <p className="alert alert-warning">
          {staleParts.join(' and ')} {staleVerb} on responses from a model older than the bundle’s current one{models.length > 0 ? ` (${models.join('; ')})` : ''}. “Only the bundle’s current model” leaves them out.
        </p>
      ) : null}
      <h3 className="field-label export-subhead">Rows per format</h3>
      <table className="admin-table">
        <thead>
          <tr>
            <th scope="col">Format</th>
            <th scope="col">Rows</th>
            <th scope="col">Older model</th>
            <th scope="col">No rows because</th>
          </tr>
        </thead>
        <tbody>
          {s.datasets.map((d) => (
            <tr key={d.format}>
              <th scope="row" className="mono">
                {d.file}
              </th>
              <td>{d.rows}</td>
              <td>{d.staleRows > 0 ? `${d.staleRows} flagged` : '—'}</td>
              <td>{Object.entries(d.noRows).map(([r, n]) => `${n} ${reason(r)}`).join(', ') || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3 className="field-label export-subhead">Tasks left out</h3>
      {excluded.length === 0 ? (
        <p className="muted small">None: every task read gave an answer.</p>
      ) : (
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">Why</th>
              <th scope="col">Tasks</th>
            </tr>
          </thead>
          <tbody>
            {excluded.map(([r, n]) => (
              <tr key={r}>
                <th scope="row">{reason(r)}</th>
                <td>{n}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Admins: the next version's source from documented failures and guideline candidates. */
function DeriveSection({ bundles }: { bundles: Bundles }) {
  const [bundleId, setBundleId] = useState('');
  const [outDir, setOutDir] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Derived | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ids = { bundle: useId(), out: useId() };
  async function derive(e: FormEvent): Promise<void> {
    e.preventDefault();
    const id = bundleId || bundles[0]?.id;
    if (!id) return setError('Bundle: install a bundle first.');
    if (!outDir.trim()) return setError('Source folder: this field is required.');
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      setDone(await call('admin.deriveBundle', { bundleId: id, outDir: outDir.trim(), jobId: newJobId() }));
    } catch (err) {
      setError(errorMessage(err).split('\n')[0] ?? '');
    } finally {
      setBusy(false);
    }
  }
  return (
    <section className="panel admin-section" aria-labelledby="derive-h">
      <h2 id="derive-h" className="panel-title">Next bundle from failures</h2>
      <p className="muted small">Steps judged wrong or unsafe, “both unacceptable” comparisons and low-scored drafts become exemplar tasks for experts to write; guideline candidates become a draft guidelines section.</p>
      <form onSubmit={(e) => void derive(e)} className="admin-form">
        <div className="field">
          <label className="field-label" htmlFor={ids.bundle}>
            Bundle
          </label>
          <select id={ids.bundle} className="input" value={bundleId} onChange={(e) => setBundleId(e.target.value)}>
            {bundles.map((b) => (
              <option key={b.id} value={b.id}>
                {b.title}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label className="field-label" htmlFor={ids.out}>
            Source folder for the next version
          </label>
          <input id={ids.out} className="input mono" value={outDir} onChange={(e) => setOutDir(e.target.value)} placeholder="/path/to/next-version-source" spellCheck={false} autoComplete="off" />
        </div>
        <div className="admin-actions">
          <button type="submit" className="btn" disabled={busy}>
            {busy ? 'Deriving…' : 'Derive next version'}
          </button>
        </div>
      </form>
      <div role="status">
        {error ? <p className="alert alert-error">{error}</p> : null}
        {done ? (
          <p>
            Version {done.version} written to <span className="mono">{done.dir}</span>: {done.derived} exemplar tasks from failures, {done.candidates} guideline candidates. Edit it, then build and sign it under “Build bundle”.
          </p>
        ) : null}
      </div>
    </section>
  );
}
