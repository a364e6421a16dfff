import type { RefObject } from 'react';
import type { ScoreValue, Step, TrajectoryAnswer } from '../../../../../shared/domain/index.ts';
import type { BundleDetail } from '../../../../../shared/contract/index.ts';
import { RadioGroup } from '../../../components/RadioGroup.tsx';
import { Kbd, ShortcutKbd } from '../../../components/Kbd.tsx';
import { TextField } from '../../../components/Field.tsx';
import { hint } from '../../../keyboard/registry.ts';
import { ScoreControl } from '../common/ScoreControl.tsx';
import { OUTCOMES, OUTCOME_LABEL, VERDICTS, VERDICT_LABEL, stepSummary, trajectoryCriteria, type Outcome, type Progress } from './trajectoryRules.ts';

interface Props {
  answer: TrajectoryAnswer;
  steps: readonly Step[];
  bundle: BundleDetail;
  progress: Progress;
  proposal: string | null;
  locked: boolean;
  missingIds: ReadonlySet<string>;
  rationaleRef: RefObject<HTMLTextAreaElement | null>;
  scoresRef: RefObject<HTMLDivElement | null>;
  onGoTo: (stepId: string) => void;
  onFirstUnlabelled: () => void;
  onFirstError: (stepId: string | null) => void;
  onOutcome: (outcome: Outcome) => void;
  onScore: (criterionId: string, value: ScoreValue) => void;
  onRationale: (rationale: string) => void;
}

/** The run as a whole: progress of the step labels, the first error, outcome, scores and rationale. */
export function RunPanel(p: Props) {
  const { answer, steps, bundle, progress, proposal, locked, missingIds, rationaleRef, scoresRef } = p;
  const indexOf = (id: string | null): number => (id ? steps.findIndex((s) => s.id === id) : -1);
  const chosen = indexOf(answer.firstErrorStepId);
  const proposed = indexOf(proposal);
  const stepName = (i: number): string => {
    const s = steps[i];
    return s ? `Step ${i + 1} · ${stepSummary(s)}` : '';
  };
  const criteria = trajectoryCriteria(bundle);
  const rationaleRequired = bundle.rationale === 'required';
  const pct = progress.total > 0 ? (progress.labelled / progress.total) * 100 : 0;

  return (
    <>
      <section className="judge-section" aria-labelledby="traj-progress-title">
        <h2 id="traj-progress-title" className="side-title">
          Steps labelled
        </h2>
        <div
          className="progress step-progress"
          role="progressbar"
          aria-label="Steps labelled"
          aria-valuemin={0}
          aria-valuemax={progress.total}
          aria-valuenow={progress.labelled}
          aria-valuetext={`${progress.labelled} of ${progress.total} steps labelled`}
        >
          {VERDICTS.map((v) => (
            <span key={v} className={`progress-${v}`} style={{ width: `${(progress.counts[v] / Math.max(progress.total, 1)) * 100}%` }} />
          ))}
        </div>
        <div className="step-progress-text">
          <strong className="tabular">
            {progress.labelled} / {progress.total}
          </strong>
          <span className="muted small">{Math.round(pct)}%</span>
          {progress.labelled < progress.total && !locked ? (
            <button type="button" className="btn btn-ghost btn-small" onClick={p.onFirstUnlabelled} title={hint('trajectory.unlabelled')}>
              First unlabelled <ShortcutKbd id="trajectory.unlabelled" />
            </button>
          ) : null}
        </div>
        <ul className="verdict-counts" aria-label="Verdicts given">
          {VERDICTS.map((v) => (
            <li key={v}>
              <span className={`verdict-dot verdict-dot-${v}`} aria-hidden="true" />
              {VERDICT_LABEL[v]} <span className="tabular">{progress.counts[v]}</span>
            </li>
          ))}
        </ul>
      </section>

      <section className="judge-section" aria-labelledby="traj-first-error-title">
        <h2 id="traj-first-error-title" className="side-title">
          First error
        </h2>
        {chosen >= 0 ? (
          <div className="first-error-chosen">
            <button type="button" className="link-button" onClick={() => p.onGoTo(steps[chosen]?.id ?? '')}>
              {stepName(chosen)}
            </button>
            {!locked ? (
              <button type="button" className="btn btn-ghost btn-small" onClick={() => p.onFirstError(null)}>
                Clear
              </button>
            ) : null}
          </div>
        ) : (
          <p className="muted small">None marked. Press <Kbd keys="f" /> on the step where the run first went wrong.</p>
        )}
        {proposed >= 0 && proposed !== chosen && !locked ? (
          <div className="proposal">
            <span className="small">
              Proposed: <strong>{stepName(proposed)}</strong>, the earliest step marked error.
            </span>
            <button type="button" className="btn btn-small" onClick={() => p.onFirstError(proposal)} title={hint('trajectory.acceptFirstError')}>
              Use it <ShortcutKbd id="trajectory.acceptFirstError" />
            </button>
          </div>
        ) : null}
        {chosen >= 0 && proposed >= 0 && proposed < chosen ? (
          <p className="field-hint hint-warning">Step {proposed + 1} is marked error but comes before the first error you chose.</p>
        ) : null}
      </section>

      <section className="judge-section" aria-labelledby="traj-outcome-title">
        <h2 id="traj-outcome-title" className="side-title">
          The run
        </h2>
        <RadioGroup
          name="outcome"
          label={
            <>
              Outcome <span className="field-label-key" aria-hidden="true"><Kbd keys="Shift+1" /> … <Kbd keys="Shift+3" /></span>
            </>
          }
          ariaLabel="Outcome of the run"
          options={OUTCOMES.map((o, i) => ({ key: o, label: OUTCOME_LABEL[o], title: `${OUTCOME_LABEL[o]} (Shift+${i + 1})` }))}
          value={answer.outcome}
          onChange={(k) => p.onOutcome(k as Outcome)}
          disabled={locked}
          required
          invalid={missingIds.has('outcome')}
          className="outcome-field"
        />
        {criteria.length > 0 ? (
          <div className="run-scores" ref={scoresRef} role="group" aria-label="Rubric scores of the run">
            {criteria.map((c) => (
              <ScoreControl
                key={c.id}
                criterion={c}
                responseLabel="the run"
                name={`score:${c.id}`}
                value={answer.scores[c.id]}
                onChange={(v) => p.onScore(c.id, v)}
                disabled={locked}
                invalid={missingIds.has(`score:${c.id}`)}
              />
            ))}
          </div>
        ) : null}
        <TextField
          inputRef={rationaleRef}
          id="traj-rationale"
          label="Rationale"
          need={rationaleRequired ? 'required' : 'optional'}
          shortcut="trajectory.rationale"
          value={answer.rationale}
          onChange={p.onRationale}
          readOnly={locked}
          invalid={missingIds.has('rationale')}
          placeholder="Where did the run go wrong, what did it get right, and how much did it matter?"
          rows={5}
        />
      </section>
    </>
  );
}
