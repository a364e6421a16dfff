import { useEffect, useMemo, useRef, useState } from 'react';
import { roleMayCall } from '../../../../shared/contract/index.ts';
import type { Drill, InsightFilter, InsightReport } from '../../../../shared/insight/index.ts';
import { call } from '../../api/client.ts';
import { useQuery } from '../../api/useQuery.ts';
import { useIdentity } from '../../state/identity.ts';
import { useRouter } from '../../state/router.ts';
import { Loading } from '../../components/Spinner.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { AgreementChart, DriftChart, GoldChart, PairHeatMap, PositionChart, preloadCharts } from './lazy-charts.tsx';
import { figureText, pct } from './format.ts';
import { DrillPanel } from './DrillPanel.tsx';

/**
 * For reviewers and admins: where the experts agree and where they do not, per criterion, per
 * person and over time, with the exact figures (insight.dashboard). Flags come first as plain
 * sentences; each chart is followed by a table of the same figures; a figure or flag opens the
 * tasks behind it.
 */
export function DashboardView() {
  const identity = useIdentity((s) => s.identity);
  const reloadKey = useRouter((s) => s.reloadKey);
  const allowed = identity !== null && roleMayCall(identity.role, 'insight.dashboard');
  const [filter, setFilter] = useState<InsightFilter>({});
  const [drill, setDrill] = useState<{ drill: Drill; title: string } | null>(null);
  const [driftField, setDriftField] = useState('compare.preference');
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  // The charts' chunk is fetched while the figures are computed, not after they arrive.
  useEffect(() => void preloadCharts().catch(() => undefined), []);

  const { result, error } = useQuery(allowed ? () => call('insight.dashboard', { filter }) : null, [allowed, filter, reloadKey]);
  // The unfiltered report names every bundle, version, field and annotator the filters offer:
  // kept from the first (unfiltered) answer, so choosing a filter does not compute it twice.
  const [options, setOptions] = useState<InsightReport | null>(null);
  // Adjusting state to a new answer during render (React's pattern for derived state), not in an effect.
  if (result && result !== options && Object.keys(result.filter).length === 0) setOptions(result);

  if (!allowed) {
    return (
      <main className="page page-wide" id="main" tabIndex={-1}>
        <h1 className="page-title" ref={headingRef} tabIndex={-1}>
          Agreement dashboard
        </h1>
        <div className="panel empty">
          <h2 className="section-title">For reviewers and admins</h2>
        </div>
      </main>
    );
  }
  return (
    <main className="page page-wide" id="main" tabIndex={-1}>
      <div className="page-header">
        <div>
          <h1 className="page-title" ref={headingRef} tabIndex={-1}>
            Agreement dashboard
          </h1>
          <p className="muted">How consistent the experts are, per criterion, per person and over time. Intervals are 95% bootstrap intervals{result ? ` (${result.replicates} replicates, seed ${result.seed})` : ''}.</p>
        </div>
        {result ? (
          <p className="muted small" role="status">
            {result.tasks} tasks, {result.annotations} annotations, {result.coders.length} annotators
          </p>
        ) : null}
      </div>
      <Filters report={options ?? result} filter={filter} onChange={setFilter} />
      {error ? <LoadError error={error} what="the agreement figures" /> : null}
      {!result && !error ? <Loading label="Computing agreement…" /> : null}
      {result ? <Report report={result} onDrill={(d, title) => setDrill({ drill: d, title })} driftField={driftField} onDriftField={setDriftField} /> : null}
      {drill ? <DrillPanel filter={filter} drill={drill.drill} title={drill.title} onClose={() => setDrill(null)} /> : null}
    </main>
  );
}

function Filters({ report, filter, onChange }: { report: InsightReport | null; filter: InsightFilter; onChange: (f: InsightFilter) => void }) {
  const set = (patch: Partial<InsightFilter>) => {
    const next: Record<string, unknown> = { ...filter, ...patch };
    for (const k of Object.keys(next)) if (next[k] === undefined || next[k] === '') delete next[k];
    onChange(next as InsightFilter);
  };
  const versions = report?.bundles.find((b) => b.id === filter.bundleId)?.versions ?? [];
  return (
    <div className="review-filters" role="group" aria-label="Filters">
      <label className="field-inline">
        <span className="field-label">Bundle</span>
        <select className="input" value={filter.bundleId ?? ''} onChange={(e) => set({ bundleId: e.target.value || undefined, version: undefined })}>
          <option value="">All bundles</option>
          {(report?.bundles ?? []).map((b) => (
            <option key={b.id} value={b.id}>
              {b.id}
            </option>
          ))}
        </select>
      </label>
      <label className="field-inline">
        <span className="field-label">Version</span>
        <select className="input" value={filter.version ?? ''} disabled={versions.length === 0} onChange={(e) => set({ version: e.target.value ? Number(e.target.value) : undefined })}>
          <option value="">All versions</option>
          {versions.map((v) => (
            <option key={v} value={v}>
              v{v}
            </option>
          ))}
        </select>
      </label>
      <label className="field-inline">
        <span className="field-label">Criterion</span>
        <select className="input" value={filter.field ?? ''} onChange={(e) => set({ field: e.target.value || undefined })}>
          <option value="">All</option>
          {(report?.fields ?? []).map((f) => (
            <option key={f.field} value={f.field}>
              {f.label}
            </option>
          ))}
        </select>
      </label>
      <label className="field-inline">
        <span className="field-label">Annotator</span>
        <select className="input" value={filter.coder ?? ''} onChange={(e) => set({ coder: e.target.value || undefined })}>
          <option value="">Everyone</option>
          {(report?.coders ?? []).map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

function Section({ title, id, wide = false, children }: { title: string; id: string; wide?: boolean; children: React.ReactNode }) {
  return (
    <section className={`panel dash-section${wide ? ' dash-wide' : ''}`} aria-labelledby={id}>
      <h2 className="section-title" id={id}>
        {title}
      </h2>
      {children}
    </section>
  );
}

function Report({ report, onDrill, driftField, onDriftField }: { report: InsightReport; onDrill: (d: Drill, title: string) => void; driftField: string; onDriftField: (f: string) => void }) {
  const names = useMemo(() => new Map(report.coders.map((c) => [c.id, c.name])), [report]);
  const name = (id: string) => names.get(id) ?? id;
  const gold = report.calibration.flatMap((c) => c.gold.filter((g) => g.field === 'compare.preference' || report.calibration.every((x) => !x.gold.some((y) => y.field === 'compare.preference'))).map((g) => ({ coder: c.coder, g })));
  const driftFields = [...new Set(report.drift.map((d) => d.field))];
  const drift = report.drift.filter((d) => d.field === (driftFields.includes(driftField) ? driftField : driftFields[0]));
  const heatField = report.pairs.some((p) => p.field === 'compare.preference') ? 'compare.preference' : report.pairs[0]?.field;
  const heat = report.pairs.filter((p) => p.field === heatField);
  const fieldLabel = (id: string) => report.fields.find((f) => f.field === id)?.label ?? id;
  const button = (d: Drill, title: string, label = 'Show tasks') => (
    <button type="button" className="btn btn-small btn-ghost" onClick={() => onDrill(d, title)}>
      {label}
    </button>
  );

  return (
    <div className="dash-grid">
      <Section title={`Flags (${report.flags.length})`} id="dash-flags">
        {report.flags.length === 0 ? <p className="muted">Nothing flagged: every figure with enough tasks is above its threshold.</p> : null}
        <ul className="dash-flags">
          {report.flags.map((f) => (
            <li key={f.id}>
              <span>{f.sentence}</span> {button(f.drill, f.sentence)}
            </li>
          ))}
        </ul>
      </Section>

      <Section title="Agreement per criterion" id="dash-agreement" wide>
        <AgreementChart fields={report.fields} onPick={(field) => onDrill({ field, show: 'disagreement' }, `Disagreements on ${fieldLabel(field)}`)} />
        <table className="review-table dash-table">
          <caption className="sr-only">Agreement per criterion, with 95% intervals</caption>
          <thead>
            <tr>
              <th scope="col">Criterion</th>
              <th scope="col">Level</th>
              <th scope="col">Figure</th>
              <th scope="col">Value [95% interval]</th>
              <th scope="col">Percent agreement</th>
              <th scope="col">Tasks</th>
              <th scope="col">Tasks behind it</th>
            </tr>
          </thead>
          <tbody>
            {report.fields.map((f) => (
              <tr key={f.field}>
                <th scope="row">{f.label}</th>
                <td>{f.level}</td>
                <td>{f.headline === 'alpha' ? 'α' : f.headline === 'ac1' ? 'AC1' : 'exact'}</td>
                <td className="dash-num">
                  {figureText(f.value)}
                  {f.within1 ? ` (±1 step: ${figureText(f.within1)})` : ''}
                </td>
                <td className="dash-num">{figureText(f.percent, pct)}</td>
                <td>{f.tasks}</td>
                <td>{button({ field: f.field, show: 'disagreement' }, `Disagreements on ${f.label}`, 'Disagreements')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>

      <Section title="Annotators against gold" id="dash-gold">
        <GoldChart rows={gold.filter(({ g }) => g.value.defined).map(({ coder, g }) => ({ name: name(coder), value: g.value.defined ? g.value.value : 0 }))} />
        <table className="review-table dash-table">
          <caption className="sr-only">Accuracy against gold items, and against adjudicated answers</caption>
          <thead>
            <tr>
              <th scope="col">Annotator</th>
              <th scope="col">Gold</th>
              <th scope="col">Adjudicated</th>
              <th scope="col">Median active time</th>
              <th scope="col">Missed gold</th>
            </tr>
          </thead>
          <tbody>
            {report.calibration.map((c) => {
              const time = report.activeTime.find((t) => t.coder === c.coder);
              return (
                <tr key={c.coder}>
                  <th scope="row">{name(c.coder)}</th>
                  <td>{c.gold.map((g) => `${g.label}: ${g.matches}/${g.units} (${figureText(g.value, pct)})`).join('; ') || '—'}</td>
                  <td>{c.adjudicated.map((g) => `${g.label}: ${g.matches}/${g.units}`).join('; ') || '—'}</td>
                  <td>{time ? `${Math.round(time.medianMs / 1000)} s over ${time.items}` : '—'}</td>
                  <td>{c.gold.length ? button({ coder: c.coder, show: 'gold' }, `Gold items ${name(c.coder)} missed`, 'Missed') : '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </Section>

      <Section title={`Annotator pairs${heatField ? ` — ${fieldLabel(heatField)}` : ''}`} id="dash-pairs">
        <PairHeatMap pairs={heat} name={name} />
        <table className="review-table dash-table">
          <caption className="sr-only">Agreement of each annotator pair</caption>
          <thead>
            <tr>
              <th scope="col">Pair</th>
              <th scope="col">Criterion</th>
              <th scope="col">Value [95% interval]</th>
              <th scope="col">Units</th>
              <th scope="col">Tasks behind it</th>
            </tr>
          </thead>
          <tbody>
            {report.pairs.map((p) => (
              <tr key={`${p.field}/${p.a}/${p.b}`}>
                <th scope="row">
                  {name(p.a)} × {name(p.b)}
                </th>
                <td>{fieldLabel(p.field)}</td>
                <td className="dash-num">{figureText(p.value)}</td>
                <td>{p.units}</td>
                <td>{button({ field: p.field, pair: [p.a, p.b], show: 'disagreement' }, `${name(p.a)} and ${name(p.b)} disagree on ${fieldLabel(p.field)}`, 'Disagreements')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>

      <Section title="Drift over time" id="dash-drift">
        <label className="field-inline">
          <span className="field-label">Criterion</span>
          <select className="input" value={drift[0]?.field ?? ''} onChange={(e) => onDriftField(e.target.value)}>
            {driftFields.map((f) => (
              <option key={f} value={f}>
                {fieldLabel(f)}
              </option>
            ))}
          </select>
        </label>
        <DriftChart drift={drift} name={name} />
        <table className="review-table dash-table">
          <caption className="sr-only">Agreement with the others and with gold, per period</caption>
          <thead>
            <tr>
              <th scope="col">Annotator</th>
              <th scope="col">Period</th>
              <th scope="col">With the others</th>
              <th scope="col">With gold</th>
            </tr>
          </thead>
          <tbody>
            {drift.flatMap((d) =>
              d.points.map((p) => (
                <tr key={`${d.coder}/${p.period}`}>
                  <th scope="row">{name(d.coder)}</th>
                  <td>{p.period}</td>
                  <td>{p.withOthers.n ? `${figureText(p.withOthers, pct)} of ${p.withOthers.n}` : '—'}</td>
                  <td>{p.withGold.n ? `${figureText(p.withGold, pct)} of ${p.withGold.n}` : '—'}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      </Section>

      <Section title="Position bias" id="dash-position">
        <PositionChart bias={[...report.positionBias, ...report.judges.flatMap((j) => (j.positionBias ? [j.positionBias] : []))]} name={(id) => (names.has(id) ? name(id) : `judge ${id}`)} />
        <table className="review-table dash-table">
          <caption className="sr-only">How often each annotator and judge preferred the response shown first</caption>
          <thead>
            <tr>
              <th scope="col">Who</th>
              <th scope="col">Chose the first shown</th>
              <th scope="col">Chance</th>
              <th scope="col">p-value</th>
              <th scope="col">Longest chosen</th>
              <th scope="col">Tasks behind it</th>
            </tr>
          </thead>
          <tbody>
            {report.positionBias.map((b) => {
              const len = report.lengthBias.find((l) => l.coder === b.coder);
              return (
                <tr key={b.coder}>
                  <th scope="row">{name(b.coder)}</th>
                  <td>
                    {b.hits} of {b.trials} ({b.value.defined ? pct(b.value.value) : '—'})
                  </td>
                  <td>{b.expectedRate !== null ? pct(b.expectedRate) : '—'}</td>
                  <td>{b.pValue !== null ? (b.pValue < 0.001 ? '< 0.001' : b.pValue.toFixed(3)) : '—'}</td>
                  <td>{len ? `${len.hits} of ${len.trials}` : '—'}</td>
                  <td>{button({ coder: b.coder, show: 'position' }, `${name(b.coder)}'s choices of the first shown`, 'First-shown choices')}</td>
                </tr>
              );
            })}
            {report.judges.flatMap((j) =>
              j.positionBias
                ? [
                    <tr key={`judge/${j.model}`}>
                      <th scope="row">Judge {j.model}</th>
                      <td>
                        {j.positionBias.hits} of {j.positionBias.trials}
                      </td>
                      <td>{j.positionBias.expectedRate !== null ? pct(j.positionBias.expectedRate) : '—'}</td>
                      <td>{j.positionBias.pValue !== null ? (j.positionBias.pValue < 0.001 ? '< 0.001' : j.positionBias.pValue.toFixed(3)) : '—'}</td>
                      <td>—</td>
                      <td>{button({ judge: j.model, show: 'position' }, `Judge ${j.model}'s choices of the first shown`, 'First-shown choices')}</td>
                    </tr>,
                  ]
                : [],
            )}
          </tbody>
        </table>
      </Section>

      <Section title="Leniency, judges, model versions, failure modes" id="dash-more">
        <table className="review-table dash-table">
          <caption>Leniency: mean score minus the others’ mean on the same units</caption>
          <thead>
            <tr>
              <th scope="col">Annotator</th>
              <th scope="col">Criterion</th>
              <th scope="col">Points [95% interval]</th>
              <th scope="col">Units</th>
            </tr>
          </thead>
          <tbody>
            {report.leniency.map((l) => (
              <tr key={`${l.field}/${l.coder}`}>
                <th scope="row">{name(l.coder)}</th>
                <td>{l.label}</td>
                <td className="dash-num">{figureText(l.value)}</td>
                <td>{l.units}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <table className="review-table dash-table">
          <caption>Model judges against the experts (α with each expert; experts among themselves)</caption>
          <thead>
            <tr>
              <th scope="col">Judge</th>
              <th scope="col">Criterion</th>
              <th scope="col">With experts</th>
              <th scope="col">Experts alone</th>
              <th scope="col">Tasks behind it</th>
            </tr>
          </thead>
          <tbody>
            {report.judges.flatMap((j) =>
              j.fields.map((f) => (
                <tr key={`${j.model}/${f.field}`}>
                  <th scope="row">{j.model}</th>
                  <td>{f.label}</td>
                  <td>{f.withExperts.map((e) => `${name(e.coder)} ${figureText(e)}`).join('; ')}</td>
                  <td>{figureText(f.expertsAlone)}</td>
                  <td>{button({ judge: j.model, field: f.field, show: 'disagreement' }, `Judge ${j.model} differs from experts on ${f.label}`, 'Disagreements')}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
        <table className="review-table dash-table">
          <caption>Failure modes per bundle version</caption>
          <thead>
            <tr>
              <th scope="col">Bundle</th>
              <th scope="col">Error type</th>
              <th scope="col">Steps</th>
              <th scope="col">Exemplars</th>
              <th scope="col">Highlights</th>
              <th scope="col">Total</th>
            </tr>
          </thead>
          <tbody>
            {report.failureModes.map((f) => (
              <tr key={`${f.bundleId}/${f.version}/${f.errorType}`}>
                <th scope="row">
                  {f.bundleId} v{f.version}
                </th>
                <td>{f.label}</td>
                <td>{f.steps}</td>
                <td>{f.exemplars}</td>
                <td>{f.highlights}</td>
                <td>{f.total}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {report.olderModel.length ? (
          <table className="review-table dash-table">
            <caption>Preference judgements on responses from an older model version than the bundle’s current one</caption>
            <thead>
              <tr>
                <th scope="col">Bundle</th>
                <th scope="col">Current model</th>
                <th scope="col">On older responses</th>
                <th scope="col">Tasks behind it</th>
              </tr>
            </thead>
            <tbody>
              {report.olderModel.map((m) => (
                <tr key={m.bundleId}>
                  <th scope="row">{m.bundleId}</th>
                  <td>{m.currentModel}</td>
                  <td>
                    {m.older} of {m.judgements} ({pct(m.older / m.judgements)}), {m.tasks} {m.tasks === 1 ? 'task' : 'tasks'}
                  </td>
                  <td>{m.older ? button({ bundleId: m.bundleId, show: 'older-model' }, `Preferences on older model versions in ${m.bundleId}`, 'Older-model tasks') : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {report.dawidSkene.length ? (
          <table className="review-table dash-table">
            <caption>Dawid–Skene reliability estimates (advisory: they never decide an answer)</caption>
            <thead>
              <tr>
                <th scope="col">Criterion</th>
                <th scope="col">Estimated accuracy</th>
              </tr>
            </thead>
            <tbody>
              {report.dawidSkene.map((d) => (
                <tr key={d.field}>
                  <th scope="row">{d.label}</th>
                  <td>{d.defined ? d.coders.map((c) => `${name(c.coder)} ${pct(c.accuracy)}`).join('; ') : d.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </Section>
    </div>
  );
}
