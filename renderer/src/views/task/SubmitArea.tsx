import type { RefObject } from 'react';
import type { BundleDetail } from '../../../../shared/contract/index.ts';
import type { SubmitProblem } from '../../state/task.ts';
import { ShortcutKbd } from '../../components/Kbd.tsx';
import { hint } from '../../keyboard/registry.ts';
import { describePath, type Missing } from './compareRules.ts';

interface SubmitAreaProps {
  missing: readonly Missing[];
  problem: SubmitProblem | null;
  alertRef: RefObject<HTMLDivElement | null>;
  submitting: boolean;
  bundle: BundleDetail;
  displayOrder: readonly string[];
  onSubmit: () => void;
}

/** What is still missing (checked here), the core's refusal (the authority), and the Submit button. */
export function SubmitArea({ missing, problem, alertRef, submitting, bundle, displayOrder, onSubmit }: SubmitAreaProps) {
  return (
    <section className="judge-section submit-area" aria-label="Submit">
      {problem ? null : missing.length > 0 ? (
        <div className="needed">
          <div className="needed-title">
            Still needed <span className="tab-count">{missing.length}</span>
          </div>
          <ul>
            {missing.slice(0, 8).map((m) => (
              <li key={m.id}>{m.message}</li>
            ))}
            {missing.length > 8 ? <li className="muted">and {missing.length - 8} more</li> : null}
          </ul>
        </div>
      ) : (
        <div className="ready">Everything required is filled in.</div>
      )}
      {problem ? (
        <div ref={alertRef} tabIndex={-1} className="alert alert-error" role="alert">
          {problem.code === 'validation_failed' ? (
            <strong>{problem.message}</strong>
          ) : (
            <>
              <strong>Could not submit.</strong> {problem.message}
            </>
          )}
          {problem.issues.length > 0 ? (
            <ul className="issues">
              {problem.issues.map((issue, n) => (
                <li key={n}>
                  {issue.message} <span className="issue-path">({describePath(issue.path, bundle, displayOrder)})</span>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <button type="button" className="btn btn-primary btn-block" onClick={onSubmit} disabled={submitting} title={hint('compare.submit', 'Submit')}>
        {submitting ? 'Submitting…' : 'Submit'} <ShortcutKbd id="compare.submit" />
      </button>
    </section>
  );
}

interface SubmittedBoxProps {
  escalated: boolean;
  revision: number | null;
  nextRef: RefObject<HTMLButtonElement | null>;
  nextNote: string | null;
  onNext: () => void;
  onRevise: () => void;
}

/** Shown once the annotation is submitted: its revision, and the ways on (next task, revise). */
export function SubmittedBox({ escalated, revision, nextRef, nextNote, onNext, onRevise }: SubmittedBoxProps) {
  return (
    <div className="submitted-box">
      <h2 className="submitted-title">
        <span className="status-dot status-dot-submitted" aria-hidden="true" />
        {escalated ? 'Submitted and escalated' : 'Submitted'} (revision {revision ?? '?'})
      </h2>
      <p className="muted small">Submitted work is read-only. Revising opens a new draft revision; the submitted one is kept.</p>
      <div className="row gap">
        <button ref={nextRef} type="button" className="btn btn-primary" onClick={onNext} title={hint('task.nextTodo', 'Next task to do')}>
          Next task <ShortcutKbd id="task.nextTodo" />
        </button>
        <button type="button" className="btn" onClick={onRevise} title={hint('compare.revise', 'Revise')}>
          Revise <ShortcutKbd id="compare.revise" />
        </button>
      </div>
      {nextNote ? (
        <p className="note small" role="status">
          {nextNote}
        </p>
      ) : null}
    </div>
  );
}
