import { useRef, useState } from 'react';
import type { Assumption, Escalation, Scope } from '../../../../../shared/domain/index.ts';
import { isFinal, useTask } from '../../../state/task.ts';
import { useScopeHint } from '../../../state/scopeHint.ts';
import { useShortcuts } from '../../../keyboard/manager.ts';
import { hint } from '../../../keyboard/registry.ts';
import { ShortcutKbd } from '../../../components/Kbd.tsx';
import { deferFocus, focusedElement } from '../../../keyboard/focus.ts';
import { NoteForm, blankAssumption, blankEscalation, type NoteDraft } from './NoteForm.tsx';
import { describeScope, spanFromSelection, type SpanScope } from './scope.ts';

const NONE: never[] = [];

/** The focusable text region holding the selection (selecting text by mouse leaves focus on <body>). */
function selectionRegion(): HTMLElement | null {
  const node = window.getSelection()?.anchorNode ?? null;
  const el = node instanceof HTMLElement ? node : (node?.parentElement ?? null);
  return el?.closest<HTMLElement>('[tabindex]') ?? null;
}

/**
 * Assumptions (what the annotator took for granted to judge the task) and escalations (what a
 * reviewer must look at) for any task kind. Edits go through the task store, so they autosave
 * with the answer and are checked by the core on submit.
 */
export function AssumptionsEscalationsPanel() {
  const view = useTask((s) => s.view);
  const bundle = useTask((s) => s.bundle);
  const status = useTask((s) => s.status);
  const submitting = useTask((s) => s.submitting);
  const assumptions = useTask((s) => s.content?.assumptions ?? NONE) as Assumption[];
  const escalations = useTask((s) => s.content?.escalations ?? NONE) as Escalation[];
  const hasContent = useTask((s) => s.content !== null);
  const currentStepId = useScopeHint((s) => s.stepId);
  const requestStep = useScopeHint((s) => s.requestStep);
  const [draft, setDraft] = useState<NoteDraft | null>(null);
  const [span, setSpan] = useState<SpanScope | null>(null);
  const returnFocus = useRef<HTMLElement | null>(null);
  const addAssumptionRef = useRef<HTMLButtonElement>(null);

  const locked = isFinal(status) || submitting || !hasContent;
  const task = view?.task;
  const order = view?.displayOrder ?? NONE;

  /** Opens the form, proposing the narrowest scope in reach: highlighted text, then the current step. */
  const open = (kind: NoteDraft['kind']): boolean => {
    if (locked || !task) return false;
    // A form is already open: go back to it rather than throw away what was typed.
    if (draft) {
      document.querySelector<HTMLElement>('.note-form select, .note-form textarea')?.focus();
      return true;
    }
    returnFocus.current = focusedElement() ?? selectionRegion();
    const captured = spanFromSelection(task);
    setSpan(captured);
    const onStep = task.kind === 'trajectory' && currentStepId ? ({ type: 'step', stepId: currentStepId } as const) : null;
    // An escalation is usually about the whole task; an assumption usually about what is in front of you.
    const scope: Scope = kind === 'assumption' ? (captured ?? onStep ?? { type: 'task' }) : { type: 'task' };
    setDraft(kind === 'assumption' ? { kind, value: blankAssumption(scope), isNew: true } : { kind, value: blankEscalation(scope), isNew: true });
    return true;
  };

  const close = (): void => {
    setDraft(null);
    setSpan(null);
    const back = returnFocus.current;
    returnFocus.current = null;
    // Back where the expert was (never <body>): the control they pressed the key on, the text they
    // had highlighted, else this panel's first button.
    deferFocus(() => (back?.isConnected && !back.closest('.note-form') ? back : addAssumptionRef.current), { preventScroll: false });
  };

  const save = (d: NoteDraft): void => {
    useTask.getState().editContent((c) => {
      if (d.kind === 'assumption') {
        const list = d.isNew ? [...c.assumptions, d.value] : c.assumptions.map((a) => (a.id === d.value.id ? d.value : a));
        return { ...c, assumptions: list };
      }
      const list = d.isNew ? [...c.escalations, d.value] : c.escalations.map((e) => (e.id === d.value.id ? d.value : e));
      return { ...c, escalations: list };
    });
    close();
  };

  const remove = (kind: NoteDraft['kind'], id: string): void =>
    useTask.getState().editContent((c) =>
      kind === 'assumption' ? { ...c, assumptions: c.assumptions.filter((a) => a.id !== id) } : { ...c, escalations: c.escalations.filter((e) => e.id !== id) },
    );

  useShortcuts({
    'task.addAssumption': () => open('assumption'),
    'task.addEscalation': () => open('escalation'),
  });

  if (!task || !bundle) return null;
  const categoryLabel = (id: string): string => bundle.taxonomy.assumptionCategories.find((c) => c.id === id)?.label ?? id;
  const reasonLabel = (id: string): string => bundle.taxonomy.escalationReasons.find((r) => r.id === id)?.label ?? id;
  const scopeButton = (scope: Scope) =>
    scope.type === 'step' || (scope.type === 'span' && scope.target.startsWith('step:')) ? (
      <button
        type="button"
        className="link-button"
        onClick={() => requestStep(scope.type === 'step' ? scope.stepId : scope.target.slice('step:'.length))}
      >
        {describeScope(scope, task, order)}
      </button>
    ) : (
      <span>{describeScope(scope, task, order)}</span>
    );

  return (
    <section className="notes-panel" aria-labelledby="notes-title">
      <div className="notes-head">
        <h2 id="notes-title" className="side-title">
          Assumptions and escalations
        </h2>
      </div>
      {!locked ? (
        <div className="notes-actions">
          <button
            ref={addAssumptionRef}
            type="button"
            className="btn btn-small"
            // Keep any highlighted text selected: it becomes the proposed scope.
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => open('assumption')}
            title={hint('task.addAssumption', 'Add an assumption')}
            disabled={draft !== null}
          >
            Add assumption <ShortcutKbd id="task.addAssumption" />
          </button>
          <button
            type="button"
            className="btn btn-small"
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => open('escalation')}
            title={hint('task.addEscalation', 'Escalate to a reviewer')}
            disabled={draft !== null}
          >
            Escalate <ShortcutKbd id="task.addEscalation" />
          </button>
        </div>
      ) : null}

      {draft ? (
        <NoteForm
          key={draft.value.id}
          draft={draft}
          task={task}
          bundle={bundle}
          displayOrder={order}
          span={span}
          currentStepId={currentStepId}
          onSave={save}
          onCancel={close}
        />
      ) : null}

      <h3 className="notes-subtitle">
        Assumptions <span className="tab-count">{assumptions.length}</span>
      </h3>
      {assumptions.length === 0 ? (
        <p className="muted small">None recorded. Note what you had to take for granted to judge this task.</p>
      ) : (
        <ul className="notes-list" aria-label="Assumptions">
          {assumptions.map((a, i) => (
            <li key={a.id} className="note-item">
              <div className="note-item-top">
                <span className="chip">{categoryLabel(a.category)}</span>
                <span className="note-scope muted small">{scopeButton(a.scope)}</span>
              </div>
              <p className="note-text">{a.text}</p>
              {!locked && !draft ? (
                <div className="note-item-actions">
                  <button type="button" className="btn btn-ghost btn-small" aria-label={`Edit assumption ${i + 1}`} onClick={() => {
                    returnFocus.current = focusedElement();
                    setDraft({ kind: 'assumption', value: a, isNew: false });
                  }}>
                    Edit
                  </button>
                  <button type="button" className="btn btn-ghost btn-small" aria-label={`Remove assumption ${i + 1}`} onClick={() => remove('assumption', a.id)}>
                    Remove
                  </button>
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      )}

      <h3 className="notes-subtitle">
        Escalations <span className="tab-count">{escalations.length}</span>
      </h3>
      {escalations.length === 0 ? (
        <p className="muted small">
          None. Escalate what you cannot or should not decide; the task then goes to a reviewer
          {bundle.allowEscalationWithoutAnswer ? ' and may be submitted without a complete answer.' : '.'}
        </p>
      ) : (
        <>
          <ul className="notes-list" aria-label="Escalations">
            {escalations.map((e, i) => (
              <li key={e.id} className={`note-item severity-${e.severity}`}>
                <div className="note-item-top">
                  <span className={`severity-badge severity-badge-${e.severity}`}>{e.severity}</span>
                  <strong className="note-reason">{reasonLabel(e.reason)}</strong>
                  <span className="note-scope muted small">{scopeButton(e.scope)}</span>
                </div>
                {e.note ? <p className="note-text">{e.note}</p> : null}
                {!locked && !draft ? (
                  <div className="note-item-actions">
                    <button type="button" className="btn btn-ghost btn-small" aria-label={`Edit escalation ${i + 1}`} onClick={() => {
                      returnFocus.current = focusedElement();
                      setDraft({ kind: 'escalation', value: e, isNew: false });
                    }}>
                      Edit
                    </button>
                    <button type="button" className="btn btn-ghost btn-small" aria-label={`Remove escalation ${i + 1}`} onClick={() => remove('escalation', e.id)}>
                      Remove
                    </button>
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
          {!isFinal(status) ? (
            <p className="field-hint">
              On submit this task goes to the reviewers’ escalation queue
              {bundle.allowEscalationWithoutAnswer ? '; an incomplete answer is accepted.' : '; the answer must still be complete.'}
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}
