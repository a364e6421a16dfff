import { useEffect, useImperativeHandle, useRef, type ReactNode, type Ref, type RefObject } from 'react';
import type { BundleDetail, TaskStatus, TaskView } from '../../../../../shared/contract/index.ts';
import { isFinal, useSubmitState, useTask, type SubmitProblem } from '../../../state/task.ts';
import { useShortcuts } from '../../../keyboard/manager.ts';
import { hint, type ShortcutId } from '../../../keyboard/registry.ts';
import { ShortcutKbd } from '../../../components/Kbd.tsx';
import { deferFocus } from '../../../keyboard/focus.ts';
import { describePath, type Missing } from '../compare/compareRules.ts';

/** The task kinds with an editing view; each has submit and revise shortcuts of its own in the registry. */
export type SubmitScope = 'compare' | 'exemplar' | 'trajectory';

// Spelled out rather than built as `${scope}.submit` so the registry's ids stay checked by the compiler.
const KEYS = {
  compare: { submit: 'compare.submit', revise: 'compare.revise' },
  exemplar: { submit: 'exemplar.submit', revise: 'exemplar.revise' },
  trajectory: { submit: 'trajectory.submit', revise: 'trajectory.revise' },
} as const satisfies Record<SubmitScope, { submit: ShortcutId; revise: ShortcutId }>;

/** Lets a view submit from a key it catches itself (Monaco keeps Ctrl+Enter from the shortcut manager). */
export interface SubmitBarHandle {
  submit: () => void;
}

interface SubmitBarProps {
  scope: SubmitScope;
  view: TaskView;
  bundle: BundleDetail;
  /** What the view's own rules say is still missing: the live checklist above the Submit button. */
  missing: readonly Missing[];
  /** The scrolling side panel, taken back to its top after a submit so the focused Next button is in view. */
  sideRef: RefObject<HTMLElement | null>;
  /** A refusal the workspace can tell before asking the core (compare's ranking for N > 2); null to go ahead. */
  check?: () => SubmitProblem | null;
  /** Puts focus on the view's first control once a revision has opened as a draft. */
  onRevised: () => void;
  onNextTodo: () => void;
  /** Set when the next-todo lookup found nothing left. */
  nextNote: string | null;
  handleRef?: Ref<SubmitBarHandle>;
  /** The view's own fields: below the submitted box, above the checklist and Submit button. */
  children: ReactNode;
}

/**
 * The submit lifecycle of an editing task view, the same for every kind: the submitted box with
 * Next and Revise, the checklist, the core's refusal and the Submit button, the submit and revise
 * shortcuts, and where focus goes after each step. It renders a fragment around the view's fields
 * so the side panel's sibling rules (`.judge-section + .judge-section`) keep applying.
 */
export function SubmitBar({ scope, view, bundle, missing, sideRef, check, onRevised, onNextTodo, nextNote, handleRef, children }: SubmitBarProps) {
  const { status, submitting, problem, problemSeq, announcement } = useSubmitState();
  const alertRef = useRef<HTMLDivElement>(null);
  const nextRef = useRef<HTMLButtonElement>(null);
  const keys = KEYS[scope];

  // Every refusal (the workspace's or the core's) is announced by moving focus to it.
  useEffect(() => {
    if (problemSeq > 0) alertRef.current?.focus();
  }, [problemSeq]);

  const submit = async (): Promise<void> => {
    const s = useTask.getState();
    if (isFinal(s.status) || s.submitting) return;
    const refusal = check?.() ?? null;
    if (refusal) {
      s.refuse(refusal);
      return;
    }
    const ok = await s.submit();
    // After React has swapped the checklist for the submitted box: the way on is Next task.
    if (ok)
      deferFocus(() => {
        sideRef.current?.scrollTo({ top: 0 });
        return nextRef.current;
      }, { preventScroll: true });
  };
  const revise = async (): Promise<void> => {
    await useTask.getState().revise();
    // After React has unlocked the fields of the new draft.
    window.setTimeout(onRevised, 0);
  };

  useImperativeHandle(handleRef, () => ({ submit: () => void submit() }));
  useShortcuts({
    [keys.submit]: () => void submit(),
    [keys.revise]: () => {
      if (!isFinal(useTask.getState().status)) return false;
      void revise();
    },
  });

  return (
    <SubmitBarView
      scope={scope}
      status={status}
      submitting={submitting}
      problem={problem}
      announcement={announcement}
      revision={view.annotation?.revision ?? null}
      missing={missing}
      describe={(path) => describePath(path, bundle, view.displayOrder)}
      nextNote={nextNote}
      alertRef={alertRef}
      nextRef={nextRef}
      onSubmit={() => void submit()}
      onRevise={() => void revise()}
      onNextTodo={onNextTodo}
    >
      {children}
    </SubmitBarView>
  );
}

/**
 * The missing fields to mark invalid: none until a submit has been refused, so a task just opened
 * is not covered in red; from then on they follow the live checklist.
 */
export function useInvalidIds(missing: readonly Missing[]): ReadonlySet<string> {
  const attempted = useTask((s) => s.submitProblemSeq > 0);
  return new Set(attempted ? missing.map((m) => m.id) : []);
}

export interface SubmitBarViewProps {
  scope: SubmitScope;
  status: TaskStatus;
  submitting: boolean;
  problem: SubmitProblem | null;
  /** Said by the polite live region ("Submitted revision 2."). */
  announcement: string;
  revision: number | null;
  missing: readonly Missing[];
  /** Names an issue's path for people ("Response A › Accuracy"). */
  describe: (path: string) => string;
  nextNote: string | null;
  alertRef?: RefObject<HTMLDivElement | null>;
  nextRef?: RefObject<HTMLButtonElement | null>;
  onSubmit: () => void;
  onRevise: () => void;
  onNextTodo: () => void;
  children?: ReactNode;
}

/** What the submit bar shows for a given state; no store, no effects (rendered directly by the unit tests). */
export function SubmitBarView(props: SubmitBarViewProps) {
  const { scope, status, submitting, problem, announcement, revision, missing, describe, nextNote, alertRef, nextRef, onSubmit, onRevise, onNextTodo, children } = props;
  const keys = KEYS[scope];
  const submitted = isFinal(status);
  return (
    <>
      {submitted ? (
        <div className="submitted-box">
          <h2 className="submitted-title">
            <span className="status-dot status-dot-submitted" aria-hidden="true" />
            {status === 'escalated' ? 'Submitted and escalated' : 'Submitted'} (revision {revision ?? '?'})
          </h2>
          <p className="muted small">Submitted work is read-only. Revising opens a new draft revision; the submitted one is kept.</p>
          <div className="row gap">
            <button ref={nextRef} type="button" className="btn btn-primary" onClick={onNextTodo} title={hint('task.nextTodo', 'Next task to do')}>
              Next task <ShortcutKbd id="task.nextTodo" />
            </button>
            <button type="button" className="btn" onClick={onRevise} title={hint(keys.revise, 'Revise')}>
              Revise <ShortcutKbd id={keys.revise} />
            </button>
          </div>
          {nextNote ? (
            <p className="note small" role="status">
              {nextNote}
            </p>
          ) : null}
        </div>
      ) : null}

      {children}

      {submitted ? null : (
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
          {problem ? <Refusal problem={problem} describe={describe} alertRef={alertRef} /> : null}
          {/* Only an in-flight submit disables the button: a refusal names what is missing, which a disabled button cannot. */}
          <button type="button" className="btn btn-primary btn-block" onClick={onSubmit} disabled={submitting} title={hint(keys.submit, 'Submit')}>
            {submitting ? 'Submitting…' : 'Submit'} <ShortcutKbd id={keys.submit} />
          </button>
        </section>
      )}

      <div className="sr-only" role="status" aria-live="polite">
        {announcement}
      </div>
    </>
  );
}

/** The refusal (the workspace's or the core's, which is the authority), focusable so it can be announced. */
function Refusal({ problem, describe, alertRef }: { problem: SubmitProblem; describe: (path: string) => string; alertRef: RefObject<HTMLDivElement | null> | undefined }) {
  return (
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
              {issue.message} <span className="issue-path">({describe(issue.path)})</span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
