import { useEffect, useMemo, useRef, useState } from 'react';
import type { CompareAnswer, Escalation, ScoreValue, Strength } from '../../../../shared/domain/index.ts';
import type { BundleDetail, TaskView } from '../../../../shared/contract/index.ts';
import { isFinal, useTask } from '../../state/task.ts';
import { useShortcuts } from '../../keyboard/manager.ts';
import { digitOf, hint, responseLetter } from '../../keyboard/registry.ts';
import { Markdown } from '../../components/Markdown.tsx';
import { Kbd, ShortcutKbd } from '../../components/Kbd.tsx';
import { focusRadioGroup } from '../../components/RadioGroup.tsx';
import { Conversation } from './Conversation.tsx';
import { PreferencePanel } from './PreferencePanel.tsx';
import { ScoreControl } from './ScoreControl.tsx';
import { History } from './History.tsx';
import { CannotJudge } from './CannotJudge.tsx';
import { SubmitArea, SubmittedBox } from './SubmitArea.tsx';
import { RubricGuide } from './RubricGuide.tsx';
import { TaskSideSlot } from './notes/TaskSideSlot.tsx';
import { CANNOT_JUDGE_ESCALATION_ID, compareCriteria, isResponseChoice, missingForCompare, scoreOf } from './compareRules.ts';

const NO_ESCALATIONS: Escalation[] = [];

/** Up to three responses sit side by side; four go two by two; more go three to a row. */
const columnsFor = (n: number): number => (n <= 3 ? n : n === 4 ? 2 : 3);

interface Props {
  view: TaskView;
  bundle: BundleDetail;
  answer: CompareAnswer;
  onNextTodo: () => void;
  /** Set when the next-todo lookup found nothing left. */
  nextNote: string | null;
}

/** A compare task: context, blinded responses side by side, and the judgment panel. */
export function CompareTaskView({ view, bundle, answer, onNextTodo, nextNote }: Props) {
  const status = useTask((s) => s.status);
  const submitting = useTask((s) => s.submitting);
  const problem = useTask((s) => s.submitProblem);
  const problemSeq = useTask((s) => s.submitProblemSeq);
  const announcement = useTask((s) => s.announcement);
  const escalations = useTask((s) => s.content?.escalations ?? NO_ESCALATIONS);
  const { editCompare, editContent, submit, revise } = useTask.getState();

  const rootRef = useRef<HTMLDivElement>(null);
  const alertRef = useRef<HTMLDivElement>(null);
  const rationaleRef = useRef<HTMLTextAreaElement>(null);
  const nextRef = useRef<HTMLButtonElement>(null);
  const judgeRef = useRef<HTMLElement>(null);
  const [contextOpen, setContextOpen] = useState(false);

  const task = view.task.kind === 'compare' ? view.task : null;
  const order = view.displayOrder;
  const responses = useMemo(
    () => order.map((id) => task?.responses.find((r) => r.id === id)).filter((r): r is NonNullable<typeof r> => r !== undefined),
    [order, task],
  );
  const criteria = useMemo(() => compareCriteria(bundle), [bundle]);
  const submitted = isFinal(status);
  const locked = submitted || submitting;
  const missing = missingForCompare(answer, bundle, order, escalations);
  const attempted = problemSeq > 0;
  const missingIds = new Set(attempted ? missing.map((m) => m.id) : []);
  const revision = view.annotation?.revision ?? null;

  // Focus lands on the preference (the first control of the judgment panel, always in view) when
  // a task opens, without scrolling the context away; read-only tasks focus their title instead.
  useEffect(() => {
    const root = rootRef.current;
    if (!root) return;
    if (isFinal(useTask.getState().status)) {
      document.querySelector<HTMLElement>('.task-title')?.focus({ preventScroll: true });
      return;
    }
    focusRadioGroup(root.querySelector('.judge [role="radiogroup"]:not([aria-disabled="true"])'), { preventScroll: true });
  }, [view.task.id]);

  useEffect(() => {
    if (problemSeq > 0) alertRef.current?.focus();
  }, [problemSeq]);

  const setChoice = (choice: string): void =>
    editContent((c) => {
      if (c.answer.kind !== 'compare') return c;
      const a = c.answer;
      if (a.preference?.choice === choice) return c;
      const keep = a.preference && isResponseChoice(a.preference.choice, order) ? a.preference.strength : null;
      const answer = { ...a, preference: { choice, strength: isResponseChoice(choice, order) ? keep : null } };
      // The "Cannot judge" escalation only belongs with that verdict.
      const escalations = choice === 'cannot_judge' ? c.escalations : c.escalations.filter((e) => e.id !== CANNOT_JUDGE_ESCALATION_ID);
      return { ...c, answer, escalations };
    });
  const setCannotJudge = (escalation: Escalation | null): void =>
    editContent((c) => ({
      ...c,
      escalations: [...c.escalations.filter((e) => e.id !== CANNOT_JUDGE_ESCALATION_ID), ...(escalation ? [escalation] : [])],
    }));
  const setStrength = (strength: Strength): void =>
    editCompare((a) => (a.preference && isResponseChoice(a.preference.choice, order) ? { ...a, preference: { ...a.preference, strength } } : a));
  const setScore = (responseId: string, criterionId: string, value: ScoreValue): void =>
    editCompare((a) => ({ ...a, scores: { ...a.scores, [responseId]: { ...(a.scores[responseId] ?? {}), [criterionId]: value } } }));
  const setRationale = (rationale: string): void => editCompare((a) => ({ ...a, rationale }));

  const doSubmit = async (): Promise<void> => {
    const ok = await submit();
    if (ok)
      window.setTimeout(() => {
        nextRef.current?.focus({ preventScroll: true });
        judgeRef.current?.scrollTo({ top: 0 });
      }, 0);
  };
  const doRevise = async (): Promise<void> => {
    await revise();
    window.setTimeout(() => focusRadioGroup(rootRef.current?.querySelector('.judge [role="radiogroup"]:not([aria-disabled="true"])') ?? null), 0);
  };
  const focusScores = (): void => {
    const first = missing.find((m) => m.responseId && m.criterionId);
    const name = first ? `score:${first.responseId}:${first.criterionId}` : null;
    const group = name
      ? rootRef.current?.querySelector(`input[name="${CSS.escape(name)}"]`)?.closest('[role="radiogroup"]')
      : rootRef.current?.querySelector('.response-scores [role="radiogroup"]');
    focusRadioGroup(group ?? null);
  };

  useShortcuts({
    'compare.pick': (e) => {
      const d = digitOf(e);
      const id = d ? order[d - 1] : undefined;
      if (!id) return false;
      setChoice(id);
    },
    'compare.tie': () => setChoice('tie'),
    'compare.unacceptable': () => setChoice('both_unacceptable'),
    'compare.cannotJudge': () => setChoice('cannot_judge'),
    'compare.strength': (e) => {
      const d = digitOf(e);
      if (d === 1 || d === 2 || d === 3) setStrength(d);
    },
    'compare.scores': focusScores,
    'compare.rationale': () => rationaleRef.current?.focus(),
    'compare.submit': () => void doSubmit(),
    'compare.revise': () => {
      if (!submitted) return false;
      void doRevise();
    },
  });

  if (!task) return null;
  const rationaleRequired = bundle.rationale === 'required';

  return (
    <div className="compare" ref={rootRef}>
      <div className="compare-main">
        <section className="panel context-panel" aria-labelledby="context-title">
          <div className="context-head">
            <h2 id="context-title" className="section-title">
              Context
            </h2>
            <button type="button" className="btn btn-ghost btn-small" aria-expanded={contextOpen} onClick={() => setContextOpen((o) => !o)}>
              {contextOpen ? 'Show less' : 'Show all'}
            </button>
          </div>
          <div className={`context-scroll${contextOpen ? ' is-open' : ''}`} tabIndex={0} role="region" aria-label="Conversation context">
            <Conversation messages={task.context} />
          </div>
        </section>

        <div className="responses" style={{ gridTemplateColumns: `repeat(${columnsFor(responses.length)}, minmax(280px, 1fr))` }}>
          {responses.map((r, i) => {
            const label = `Response ${responseLetter(i)}`;
            const chosen = answer.preference?.choice === r.id;
            return (
              <section key={r.id} className={`response${chosen ? ' is-chosen' : ''}`} aria-labelledby={`resp-${i}-title`}>
                <div className="response-head">
                  <h2 id={`resp-${i}-title`} className="response-title">
                    {label}
                  </h2>
                  {chosen ? <span className="badge badge-accent">Preferred</span> : null}
                  <span className="response-key" title={hint('compare.pick', `Prefer ${label}`, String(i + 1))}>
                    <Kbd keys={String(i + 1)} />
                  </span>
                </div>
                <div className="response-body" tabIndex={0} role="region" aria-label={`${label} text`}>
                  <Markdown text={r.content} />
                </div>
                {criteria.length > 0 ? (
                  <div className="response-scores" role="group" aria-label={`Scores for ${label}`}>
                    {criteria.map((c) => (
                      <ScoreControl
                        key={c.id}
                        criterion={c}
                        responseLabel={label}
                        name={`score:${r.id}:${c.id}`}
                        value={scoreOf(answer, r.id, c.id)}
                        onChange={(v) => setScore(r.id, c.id, v)}
                        disabled={locked}
                        invalid={missingIds.has(`score:${r.id}:${c.id}`)}
                      />
                    ))}
                  </div>
                ) : null}
              </section>
            );
          })}
        </div>
      </div>

      <aside className="judge" aria-label="Your judgment" ref={judgeRef}>
        <div className="judge-inner">
          {submitted ? (
            <SubmittedBox
              escalated={status === 'escalated'}
              revision={revision}
              nextRef={nextRef}
              nextNote={nextNote}
              onNext={onNextTodo}
              onRevise={() => void doRevise()}
            />
          ) : null}

          <section aria-labelledby="pref-title" className="judge-section">
            <h2 id="pref-title" className="side-title">
              Preference
            </h2>
            <PreferencePanel
              answer={answer}
              displayOrder={order}
              disabled={locked}
              invalidChoice={missingIds.has('preference')}
              invalidStrength={missingIds.has('strength')}
              onChoice={setChoice}
              onStrength={setStrength}
            />
            {answer.preference?.choice === 'cannot_judge' && escalations.length > 0 && !escalations.some((e) => e.id === CANNOT_JUDGE_ESCALATION_ID) ? (
              // An escalation from the assumptions and escalations panel already says why.
              <p className="field-hint cannot-judge-covered">Your escalation in the panel below says why; this task will go to a reviewer’s queue.</p>
            ) : answer.preference?.choice === 'cannot_judge' ? (
              <CannotJudge
                bundle={bundle}
                escalation={escalations.find((e) => e.id === CANNOT_JUDGE_ESCALATION_ID)}
                disabled={locked}
                invalid={missingIds.has('escalation')}
                onChange={setCannotJudge}
              />
            ) : null}
          </section>

          <div className="judge-section">
            <div className="field">
              <div className="field-label">
                <label htmlFor="rationale">Rationale</label>
                {rationaleRequired ? (
                  <span className="required" aria-hidden="true" title="Required">
                    *
                  </span>
                ) : (
                  <span className="muted small"> (optional)</span>
                )}
                <span className="field-label-key" title={hint('compare.rationale')} aria-hidden="true">
                  <ShortcutKbd id="compare.rationale" />
                </span>
              </div>
              <textarea
                ref={rationaleRef}
                id="rationale"
                className={`input textarea${missingIds.has('rationale') ? ' is-invalid' : ''}`}
                value={answer.rationale}
                onChange={(e) => setRationale(e.target.value)}
                readOnly={locked}
                required={rationaleRequired}
                aria-required={rationaleRequired}
                aria-invalid={missingIds.has('rationale') || undefined}
                placeholder="What decided it? Name the specific errors, omissions or strengths."
                rows={6}
                title={hint('compare.rationale', 'Rationale')}
              />
              {!submitted ? (
                <div className="field-hint">
                  <Kbd keys="Escape" /> leaves the field · <ShortcutKbd id="compare.submit" /> submits
                </div>
              ) : null}
            </div>
          </div>

          {!submitted ? (
            <SubmitArea
              missing={missing}
              problem={problem}
              alertRef={alertRef}
              submitting={submitting}
              bundle={bundle}
              displayOrder={order}
              onSubmit={() => void doSubmit()}
            />
          ) : null}

          <div className="sr-only" role="status" aria-live="polite">
            {announcement}
          </div>

          <div className="judge-section">
            <TaskSideSlot />
          </div>

          <History history={view.history} />

          <RubricGuide criteria={criteria} />

          <details className="guidelines guidelines-side">
            <summary>Guidelines</summary>
            <div className="guidelines-body" tabIndex={0} role="region" aria-label="Guidelines text">
              <Markdown text={bundle.guidelines} />
            </div>
          </details>
        </div>
      </aside>
    </div>
  );
}
