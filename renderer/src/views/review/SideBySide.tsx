import { useState } from 'react';
import type { BundleDetail, ReviewTaskView, ReviewWork } from '../../../../shared/contract/index.ts';
import { criteriaFor, STRENGTH_LABELS } from '../../../../shared/domain/index.ts';
import { Markdown } from '../../components/Markdown.tsx';
import { WorkDiff } from './WorkDiff.tsx';

/** Who did this work, as the screen may show it (the pseudonym while names are hidden). */
export const who = (w: ReviewWork): string => w.annotatorName ?? w.pseudonym;

const text = (v: unknown): string => (v === null || v === undefined ? '—' : typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v));
/** Marks a cell whose value is not the same for every annotator. */
const differs = (values: readonly string[]): boolean => new Set(values).size > 1;

interface Props {
  review: ReviewTaskView;
  bundle: BundleDetail;
  /** The annotator column in focus (1-9 picks one). */
  chosen: number;
}

/** Every annotator's answer on the task, side by side, where they part highlighted. */
export function SideBySide({ review, bundle, chosen }: Props) {
  if (review.task.kind === 'compare') return <CompareTable review={review} bundle={bundle} chosen={chosen} />;
  if (review.task.kind === 'exemplar') return <ExemplarDiffs review={review} chosen={chosen} />;
  return <TrajectoryMatrix review={review} chosen={chosen} />;
}

function responseName(review: ReviewTaskView, id: string): string {
  if (review.task.kind !== 'compare') return id;
  const i = review.task.responses.findIndex((r) => r.id === id);
  return i >= 0 ? `Response ${i + 1}` : ({ tie: 'Tie', both_unacceptable: 'Both unacceptable', cannot_judge: 'Cannot judge' } as Record<string, string>)[id] ?? id;
}

function CompareTable({ review, bundle, chosen }: Props) {
  if (review.task.kind !== 'compare') return null;
  const task = review.task;
  const criteria = criteriaFor(bundle.rubric, 'compare');
  const work = review.work;
  const answers = work.map((w) => (w.content.answer.kind === 'compare' ? w.content.answer : null));
  const rows: { label: string; values: string[] }[] = [
    { label: 'Preference', values: answers.map((a) => (a?.preference ? responseName(review, a.preference.choice) : '—')) },
    { label: 'Strength', values: answers.map((a) => (a?.preference?.strength ? `${a.preference.strength} · ${STRENGTH_LABELS[a.preference.strength]}` : '—')) },
    ...(task.responses.length > 2
      ? [{ label: 'Ranking', values: answers.map((a) => (a?.ranking ? a.ranking.map((g) => g.map((id) => responseName(review, id)).join(' = ')).join(' > ') : '—')) }]
      : []),
    ...task.responses.flatMap((r, ri) => criteria.map((c) => ({ label: `Response ${ri + 1} · ${c.label}`, values: answers.map((a) => text(a?.scores[r.id]?.[c.id])) }))),
  ];
  return (
    <div className="sbs">
      <div className="sbs-responses" style={{ gridTemplateColumns: `repeat(${Math.min(task.responses.length, 3)}, minmax(0, 1fr))` }}>
        {task.responses.map((r, i) => (
          <section key={r.id} className="sbs-response" aria-label={`Response ${i + 1}`}>
            <h3 className="sbs-response-title">Response {i + 1}</h3>
            <div className="sbs-response-body">
              <Markdown text={r.content} />
            </div>
          </section>
        ))}
      </div>
      <table className="sbs-table">
        <caption className="sr-only">Each annotator’s judgement; cells where they differ are marked</caption>
        <thead>
          <tr>
            <th scope="col">Judgement</th>
            {work.map((w, i) => (
              <th scope="col" key={w.annotationId} className={i === chosen ? 'is-chosen' : undefined}>
                <span className="kbd-hint">{i + 1}</span> {who(w)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const d = differs(row.values);
            return (
              <tr key={row.label} className={d ? 'is-diff' : undefined}>
                <th scope="row">
                  {row.label}
                  {d ? <span className="sr-only"> (annotators differ)</span> : null}
                </th>
                {row.values.map((v, i) => (
                  <td key={i} className={i === chosen ? 'is-chosen' : undefined}>
                    {v}
                  </td>
                ))}
              </tr>
            );
          })}
          <tr>
            <th scope="row">Rationale</th>
            {answers.map((a, i) => (
              <td key={i} className={`sbs-prose${i === chosen ? ' is-chosen' : ''}`}>
                {a?.rationale || '—'}
              </td>
            ))}
          </tr>
          <tr>
            <th scope="row">Highlights</th>
            {work.map((w, i) => (
              <td key={i} className={`sbs-prose${i === chosen ? ' is-chosen' : ''}`}>
                {w.content.highlights.length === 0
                  ? '—'
                  : w.content.highlights.map((h) => (
                      <p key={h.id}>
                        <q>{h.quote}</q> ({responseName(review, h.target)}){h.note ? ` — ${h.note}` : ''}
                      </p>
                    ))}
              </td>
            ))}
          </tr>
        </tbody>
      </table>
    </div>
  );
}

function ExemplarDiffs({ review, chosen }: Omit<Props, 'bundle'>) {
  const draft = review.task.kind === 'exemplar' ? review.task.draft : '';
  const texts = review.work.map((w) => (w.content.answer.kind === 'exemplar' ? w.content.answer.corrected : ''));
  const [left, setLeft] = useState(0);
  const [right, setRight] = useState(Math.min(1, review.work.length - 1));
  const options = [{ value: -1, label: 'Model draft' }, ...review.work.map((w, i) => ({ value: i, label: `${who(w)}’s correction` }))];
  const textOf = (i: number): string => (i < 0 ? draft : (texts[i] ?? ''));
  const labelOf = (i: number): string => options.find((o) => o.value === i)?.label ?? '';
  return (
    <div className="sbs">
      <div className="review-filters" role="group" aria-label="Which corrections to compare">
        {[
          ['Left', left, setLeft],
          ['Right', right, setRight],
        ].map(([label, value, set]) => (
          <label className="field-inline" key={label as string}>
            <span className="field-label">{label as string}</span>
            <select className="input" value={value as number} onChange={(e) => (set as (n: number) => void)(Number(e.target.value))}>
              {options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </label>
        ))}
      </div>
      <WorkDiff original={textOf(left)} modified={textOf(right)} originalLabel={labelOf(left)} modifiedLabel={labelOf(right)} />
      <h3 className="sbs-subtitle">Each against the draft</h3>
      <table className="sbs-table">
        <caption className="sr-only">Each annotator’s correction, scores and note</caption>
        <thead>
          <tr>
            <th scope="col">Annotator</th>
            <th scope="col">Changed words (+ − ~)</th>
            <th scope="col">Draft scores</th>
            <th scope="col">Error types</th>
            <th scope="col">Note</th>
          </tr>
        </thead>
        <tbody>
          {review.work.map((w, i) => {
            const a = w.content.answer.kind === 'exemplar' ? w.content.answer : null;
            return (
              <tr key={w.annotationId} className={i === chosen ? 'is-chosen' : undefined}>
                <th scope="row">
                  <span className="kbd-hint">{i + 1}</span> {who(w)}
                </th>
                <td className="tabular">{a?.diffStats ? `+${a.diffStats.wordsAdded} −${a.diffStats.wordsRemoved} ~${a.diffStats.wordsChanged}` : a?.confirmedUnchanged ? 'unchanged (confirmed)' : '—'}</td>
                <td>{a ? Object.entries(a.draftScores).map(([k, v]) => `${k} ${text(v)}`).join(', ') || '—' : '—'}</td>
                <td>{a?.errorTypes.join(', ') || '—'}</td>
                <td className="sbs-prose">{a?.note || '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

const VERDICT: Record<string, string> = { good: 'Good', error: 'Error', unnecessary: 'Unnecessary', unsafe: 'Unsafe' };

function TrajectoryMatrix({ review, chosen }: Omit<Props, 'bundle'>) {
  if (review.task.kind !== 'trajectory') return null;
  const answers = review.work.map((w) => (w.content.answer.kind === 'trajectory' ? w.content.answer : null));
  return (
    <div className="sbs">
      <p className="muted small">{review.task.goal}</p>
      <table className="sbs-table sbs-matrix">
        <caption className="sr-only">Step verdicts by annotator; ★ marks each annotator’s first error; rows where they differ are marked</caption>
        <thead>
          <tr>
            <th scope="col">Step</th>
            {review.work.map((w, i) => (
              <th scope="col" key={w.annotationId} className={i === chosen ? 'is-chosen' : undefined}>
                <span className="kbd-hint">{i + 1}</span> {who(w)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {review.task.steps.map((s, si) => {
            const labels = answers.map((a) => a?.steps.find((l) => l.stepId === s.id) ?? null);
            const first = answers.map((a) => a?.firstErrorStepId === s.id);
            const d = differs(labels.map((l) => l?.verdict ?? '')) || differs(first.map(String));
            return (
              <tr key={s.id} className={d ? 'is-diff' : undefined}>
                <th scope="row" className="sbs-step">
                  <span className="tabular">{si + 1}</span> <span className="muted small">{s.type === 'tool_call' ? `call ${s.tool}` : s.type.replace('_', ' ')}</span>
                  <span className="sbs-step-text">{s.type === 'tool_call' ? JSON.stringify(s.arguments) : s.content}</span>
                  {d ? <span className="sr-only"> (annotators differ)</span> : null}
                </th>
                {labels.map((l, i) => (
                  <td key={i} className={i === chosen ? 'is-chosen' : undefined}>
                    <span className={`verdict verdict-${l?.verdict ?? 'none'}`}>{l?.verdict ? VERDICT[l.verdict] : '—'}</span>
                    {first[i] ? (
                      <span className="first-error" title="First error">
                        {' '}
                        ★ first error
                      </span>
                    ) : null}
                    {l?.note ? <span className="sbs-note">{l.note}</span> : null}
                    {l?.corrected ? <span className="sbs-note">Corrected: {l.corrected}</span> : null}
                  </td>
                ))}
              </tr>
            );
          })}
          <tr>
            <th scope="row">Outcome</th>
            {answers.map((a, i) => (
              <td key={i} className={i === chosen ? 'is-chosen' : undefined}>
                {a?.outcome ?? '—'}
              </td>
            ))}
          </tr>
          <tr>
            <th scope="row">Rationale</th>
            {answers.map((a, i) => (
              <td key={i} className={`sbs-prose${i === chosen ? ' is-chosen' : ''}`}>
                {a?.rationale || '—'}
              </td>
            ))}
          </tr>
        </tbody>
      </table>
    </div>
  );
}
