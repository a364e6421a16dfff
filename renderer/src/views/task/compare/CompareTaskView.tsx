import { useEffect, useMemo, useRef, useState } from 'react';
import type { Assumption, CompareAnswer, Escalation, Highlight, ScoreValue, Strength } from '../../../../../shared/domain/index.ts';
import { HighlightPanel } from '../../../components/highlights/HighlightPanel.tsx';
import { selectionSpan, type SpanDraft } from '../../../components/highlights/selection.ts';
import type { MarkRange } from '../../../components/highlights/marks.ts';
import type { BundleDetail, TaskView } from '../../../../../shared/contract/index.ts';
import { isFinal, useSubmitState, useTask, type SubmitProblem } from '../../../state/task.ts';
import { useShortcuts } from '../../../keyboard/manager.ts';
import { digitOf, hint, responseLetter } from '../../../keyboard/registry.ts';
import { Markdown } from '../../../components/Markdown.tsx';
import { Kbd, ShortcutKbd } from '../../../components/Kbd.tsx';
import { TextField } from '../../../components/Field.tsx';
import { focusRadioGroup, radioFocusTarget } from '../../../components/RadioGroup.tsx';
import { deferFocus, focusedElement } from '../../../keyboard/focus.ts';
import { ContextPanel } from '../common/ContextPanel.tsx';
import { PreferencePanel } from './PreferencePanel.tsx';
import { ScoreControl } from '../common/ScoreControl.tsx';
import { History } from '../common/History.tsx';
import { CannotJudge } from './CannotJudge.tsx';
import { SubmitBar, useInvalidIds } from '../common/SubmitBar.tsx';
import { RubricGuide } from '../common/RubricGuide.tsx';
import { TaskSideSlot } from '../notes/TaskSideSlot.tsx';
import { CANNOT_JUDGE_ESCALATION_ID, compareCriteria, isResponseChoice, missingForCompare, rankingMissing, scoreOf } from './compareRules.ts';
import { GuidelinesPanel, type GuidelinesHandle } from '../../../components/guidelines/GuidelinesPanel.tsx';
import { RankingPanel, focusRankRow, focusedRankId } from './RankingPanel.tsx';
import { effectiveRanking, moveDown, moveUp, toggleTie, type Ranking } from './ranking.ts';
import { useComparePrefs } from './prefs.ts';
import { makeScrollSync } from './syncScroll.ts';
import { CompareToolbar } from './CompareToolbar.tsx';

const NO_ESCALATIONS: Escalation[] = [];
const NO_HIGHLIGHTS: Highlight[] = [];
const NO_ASSUMPTIONS: Assumption[] = [];
const NO_MARKS: MarkRange[] = [];

type HighlightDraft = { span: SpanDraft | null; target: string; seq: number };

/** Up to four responses sit side by side (so every heading and score stays in view); more go three to a row. */
const columnsFor = (n: number): number => (n <= 4 ? n : 3);

interface Props {
  view: TaskView;
  bundle: BundleDetail;
  answer: CompareAnswer;
  onNextTodo: () => void;
  /** Set when the next-todo lookup found nothing left. */
  nextNote: string | null;
}

/**
 * A compare task: context, blinded responses side by side, and the judgment panel.
 *
 * The view stays mounted when the next task opens (TaskScreen does not key it), so React only
 * updates what differs. Whatever belongs to one task is reset explicitly: local state is tagged
 * with the task id, and the parts that hold their own state or scroll position (context, response
 * text, rationale field, side panels) are keyed by the task id (with a prefix: siblings need
 * distinct keys).
 */
export function CompareTaskView({ view, bundle, answer, onNextTodo, nextNote }: Props) {
  const { status, submitting } = useSubmitState();
  const escalations = useTask((s) => s.content?.escalations ?? NO_ESCALATIONS);
  const highlights = useTask((s) => s.content?.highlights ?? NO_HIGHLIGHTS);
  const assumptions = useTask((s) => s.content?.assumptions ?? NO_ASSUMPTIONS);
  // The highlight being drafted, for the task it was started on.
  const [hlState, setHlState] = useState<{ taskId: string; draft: HighlightDraft } | null>(null);
  // Dropped when another task opens (not kept for when this one opens again).
  if (hlState && hlState.taskId !== view.task.id) setHlState(null);
  const hlDraft = hlState?.taskId === view.task.id ? hlState.draft : null;
  const setHlDraft = (draft: HighlightDraft | null): void => setHlState(draft ? { taskId: view.task.id, draft } : null);
  const { editCompare, editContent } = useTask.getState();
  const layoutPref = useComparePrefs((s) => s.layout);
  const syncScroll = useComparePrefs((s) => s.syncScroll);

  const rootRef = useRef<HTMLDivElement>(null);
  const rationaleRef = useRef<HTMLTextAreaElement>(null);
  const judgeRef = useRef<HTMLElement>(null);
  const rankRef = useRef<HTMLOListElement>(null);
  const responsesRef = useRef<HTMLDivElement>(null);
  const guidelinesRef = useRef<GuidelinesHandle>(null);
  // Where the expert was when a highlight form opened: focus goes back there when it closes.
  const hlReturnRef = useRef<HTMLElement | null>(null);
  // Which response the tabs layout shows; reset to the first for every task.
  const [tab, setTab] = useState<{ taskId: string; id: string } | null>(null);
  if (tab && tab.taskId !== view.task.id) setTab(null);

  const task = view.task.kind === 'compare' ? view.task : null;
  const order = view.displayOrder;
  const responses = useMemo(
    () => order.map((id) => task?.responses.find((r) => r.id === id)).filter((r): r is NonNullable<typeof r> => r !== undefined),
    [order, task],
  );
  const criteria = useMemo(() => compareCriteria(bundle), [bundle]);
  const sources = useMemo(() => new Map(responses.map((r) => [r.id, r.content])), [responses]);
  // One stable array of marks per response, so unchanged responses do not re-render.
  const marksByTarget = useMemo(() => {
    const m = new Map<string, MarkRange[]>();
    for (const h of highlights) {
      const list = m.get(h.target) ?? [];
      list.push({ id: h.id, start: h.start, end: h.end, title: h.note || h.quote });
      m.set(h.target, list);
    }
    return m;
  }, [highlights]);
  const submitted = isFinal(status);
  const locked = submitted || submitting;
  const missing = missingForCompare(answer, bundle, order, escalations);
  const missingIds = useInvalidIds(missing);
  // Tabs only make sense beyond three responses; up to three always sit side by side.
  const layout = responses.length >= 4 ? layoutPref : 'grid';
  const activeTab = tab?.taskId === view.task.id && order.includes(tab.id) ? tab.id : (order[0] ?? '');
  const showTab = (id: string): void => setTab({ taskId: view.task.id, id });
  const onPaneScroll = useMemo(
    () => makeScrollSync(() => responsesRef.current, () => useComparePrefs.getState().syncScroll),
    [],
  );

  // Focus lands on the preference (the first control of the judgment panel, always in view) when
  // a task opens, without scrolling the context away; read-only tasks focus their title instead.
  useEffect(() => {
    const root = rootRef.current;
    if (!root) return;
    // The judgment panel is kept from the last task: start it at the top again.
    if (judgeRef.current) judgeRef.current.scrollTop = 0;
    if (isFinal(useTask.getState().status)) {
      document.querySelector<HTMLElement>('.task-title')?.focus({ preventScroll: true });
      return;
    }
    focusRadioGroup(root.querySelector('.judge [role="radiogroup"]:not([aria-disabled="true"])'), { preventScroll: true });
  }, [view.task.id]);

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
  const setRanking = (ranking: Ranking): void => editCompare((a) => ({ ...a, ranking }));
  const startHighlight = (): boolean | void => {
    if (locked) return false;
    const span = selectionSpan(sources);
    if (!hlDraft) hlReturnRef.current = focusedElement() ?? selectionRegion();
    if (span && layout === 'tabs') showTab(span.target);
    setHlDraft({ span, target: span?.target ?? (layout === 'tabs' ? activeTab : (order[0] ?? '')), seq: Date.now() });
  };
  const addHighlight = (h: Highlight, a: Assumption | null): void => {
    editContent((c) => ({ ...c, highlights: [...c.highlights, h], assumptions: a ? [...c.assumptions, a] : c.assumptions }));
    setHlDraft(null);
    window.getSelection()?.removeAllRanges();
    returnFromHighlight(h.target);
  };
  const closeHighlight = (): void => {
    setHlDraft(null);
    returnFromHighlight(hlDraft?.target ?? null);
  };
  /** Back where the expert was before `h` (never <body>): else the response the highlight is in. */
  const returnFromHighlight = (target: string | null): void => {
    const back = hlReturnRef.current;
    hlReturnRef.current = null;
    deferFocus(() => {
      if (back?.isConnected && !back.closest('.hl-form')) return back;
      const body = target ? rootRef.current?.querySelector<HTMLElement>(`.response-body[data-response-id="${CSS.escape(target)}"]`) : null;
      return body ?? rootRef.current?.querySelector<HTMLElement>('#hl-title')?.closest<HTMLElement>('section') ?? null;
    }, { preventScroll: true });
  };
  /** The response text holding the selection (text selected by mouse leaves focus on <body>). */
  const selectionRegion = (): HTMLElement | null => {
    const node = window.getSelection()?.anchorNode ?? null;
    const el = node instanceof HTMLElement ? node : (node?.parentElement ?? null);
    return el?.closest<HTMLElement>('.response-body') ?? null;
  };
  const removeHighlight = (id: string): void =>
    editContent((c) => {
      const gone = c.highlights.find((h) => h.id === id);
      return {
        ...c,
        highlights: c.highlights.filter((h) => h.id !== id),
        assumptions: gone?.assumptionId ? c.assumptions.filter((x) => x.id !== gone.assumptionId) : c.assumptions,
      };
    });
  const showHighlight = (h: Highlight): void => {
    if (layout === 'tabs') showTab(h.target);
    deferFocus(() => {
      const mark = rootRef.current?.querySelector<HTMLElement>(`mark[data-hl="${CSS.escape(h.id)}"]`);
      mark?.scrollIntoView({ block: 'center' });
      return mark?.closest<HTMLElement>('.response-body');
    }, { preventScroll: true });
  };
  const rankFocused = (op: (r: Ranking, id: string) => Ranking): boolean | void => {
    const id = focusedRankId();
    if (!id || locked) return false;
    setRanking(op(effectiveRanking(answer.ranking, order), id));
    focusRankRow(rankRef.current, id);
  };
  /** The criterion the annotator is on: the focused score, else the first missing one. */
  const currentCriterion = (): string | null => {
    const name = document.activeElement instanceof HTMLInputElement ? document.activeElement.name : '';
    const focused = /^score:[^:]+:(.+)$/.exec(name)?.[1];
    const id = focused ?? missing.find((m) => m.criterionId)?.criterionId ?? null;
    const c = criteria.find((x) => x.id === id);
    return c?.guidelineSection ?? c?.label ?? null;
  };

  // The core accepts a compare answer without a ranking; the workspace does not, for N > 2.
  const checkRanking = (): SubmitProblem | null => {
    const issues = rankingMissing(answer, order);
    if (issues.length === 0) return null;
    return { code: 'validation_failed', message: 'Not submitted: the ranking is incomplete.', issues: issues.map((m) => ({ path: 'answer.ranking', message: m.message })) };
  };
  const focusPreference = (): void => {
    focusRadioGroup(rootRef.current?.querySelector('.judge [role="radiogroup"]:not([aria-disabled="true"])') ?? null);
  };
  const focusScores = (): void => {
    const first = missing.find((m) => m.responseId && m.criterionId);
    const name = first ? `score:${first.responseId}:${first.criterionId}` : null;
    const target = (): HTMLInputElement | null =>
      radioFocusTarget(
        name
          ? rootRef.current?.querySelector(`input[name="${CSS.escape(name)}"]`)?.closest('[role="radiogroup"]')
          : rootRef.current?.querySelector('.response-panel:not([hidden]) .response-scores [role="radiogroup"]'),
      );
    // In the tabs layout the score may sit on a hidden tab: show that response, and focus once
    // React has rendered it. Otherwise focus now, so an arrow key typed right after `s` lands.
    if (layout === 'tabs' && first?.responseId && first.responseId !== activeTab) {
      showTab(first.responseId);
      deferFocus(target);
    } else target()?.focus();
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
    'compare.rank': () => {
      if (order.length <= 2) return false;
      const rows = rankRef.current?.querySelectorAll<HTMLElement>('[data-rank-id]');
      rows?.[0]?.focus();
    },
    'compare.rankUp': () => rankFocused(moveUp),
    'compare.rankDown': () => rankFocused(moveDown),
    'compare.rankTie': () => rankFocused(toggleTie),
    'compare.layout': () => {
      if (responses.length < 4) return false;
      useComparePrefs.getState().toggleLayout();
    },
    'compare.syncScroll': () => useComparePrefs.getState().toggleSyncScroll(),
    'compare.highlight': startHighlight,
    'compare.guidelines': () => guidelinesRef.current?.openAt(currentCriterion() ?? 'How to compare'),
  });

  if (!task) return null;
  const rationaleRequired = bundle.rationale === 'required';

  return (
    <div className="compare" ref={rootRef}>
      <div className="compare-main">
        <ContextPanel key={`context:${view.task.id}`} messages={task.context} responses={responses.length} />

        <CompareToolbar count={responses.length} layout={layout} syncScroll={syncScroll} onHighlight={locked ? null : () => void startHighlight()} />

        {layout === 'tabs' ? (
          <div className="response-tabs" role="tablist" aria-label="Responses">
            {responses.map((r, i) => {
              const selected = r.id === activeTab;
              const chosen = answer.preference?.choice === r.id;
              return (
                <button
                  key={r.id}
                  type="button"
                  role="tab"
                  id={`resp-tab-${i}`}
                  aria-selected={selected}
                  aria-controls={`resp-panel-${i}`}
                  tabIndex={selected ? 0 : -1}
                  className={`response-tab${chosen ? ' is-chosen' : ''}`}
                  onClick={() => showTab(r.id)}
                  onKeyDown={(e) => {
                    const d = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
                    if (!d) return;
                    e.preventDefault();
                    const next = responses[(i + d + responses.length) % responses.length];
                    if (next) {
                      showTab(next.id);
                      deferFocus(() => document.getElementById(`resp-tab-${responses.indexOf(next)}`));
                    }
                  }}
                >
                  Response {responseLetter(i)}
                  {chosen ? <span className="badge badge-accent">Preferred</span> : null}
                </button>
              );
            })}
          </div>
        ) : null}

        <div
          ref={responsesRef}
          className={`responses responses-${layout}`}
          style={layout === 'grid' ? { gridTemplateColumns: `repeat(${columnsFor(responses.length)}, minmax(${responses.length >= 4 ? 0 : 280}px, 1fr))` } : undefined}
        >
          {responses.map((r, i) => {
            const label = `Response ${responseLetter(i)}`;
            const chosen = answer.preference?.choice === r.id;
            const hidden = layout === 'tabs' && r.id !== activeTab;
            return (
              <section
                key={r.id}
                id={`resp-panel-${i}`}
                className={`response response-panel${chosen ? ' is-chosen' : ''}`}
                aria-labelledby={`resp-${i}-title`}
                hidden={hidden}
                {...(layout === 'tabs' ? { role: 'tabpanel' } : {})}
              >
                <div className="response-head">
                  <h2 id={`resp-${i}-title`} className="response-title">
                    {label}
                  </h2>
                  {chosen ? <span className="badge badge-accent">Preferred</span> : null}
                  <span className="response-key" title={hint('compare.pick', `Prefer ${label}`, String(i + 1))}>
                    <Kbd keys={String(i + 1)} />
                  </span>
                </div>
                <div
                  key={view.task.id}
                  className="response-body"
                  tabIndex={0}
                  role="region"
                  aria-label={`${label} text`}
                  data-response-id={r.id}
                  onScroll={(e) => onPaneScroll(e.currentTarget)}
                >
                  <Markdown text={r.content} marks={marksByTarget.get(r.id) ?? NO_MARKS} />
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
          <SubmitBar
            scope="compare"
            view={view}
            bundle={bundle}
            missing={missing}
            sideRef={judgeRef}
            check={checkRanking}
            onRevised={focusPreference}
            onNextTodo={onNextTodo}
            nextNote={nextNote}
          >
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

            {order.length > 2 ? (
              <section aria-label="Ranking" className="judge-section">
                <RankingPanel
                  ranking={answer.ranking}
                  displayOrder={order}
                  disabled={locked}
                  invalid={missingIds.has('ranking')}
                  onChange={setRanking}
                  listRef={rankRef}
                />
              </section>
            ) : null}

            <div className="judge-section">
              <TextField
                key={view.task.id}
                inputRef={rationaleRef}
                id="rationale"
                label="Rationale"
                need={rationaleRequired ? 'required' : 'optional'}
                shortcut="compare.rationale"
                value={answer.rationale}
                onChange={setRationale}
                readOnly={locked}
                invalid={missingIds.has('rationale')}
                placeholder="What decided it? Name the specific errors, omissions or strengths."
                rows={6}
                title={hint('compare.rationale', 'Rationale')}
                hint={
                  submitted ? null : (
                    <>
                      <Kbd keys="Escape" /> leaves the field · <ShortcutKbd id="compare.submit" /> submits
                    </>
                  )
                }
              />
            </div>

            <HighlightPanel
              key={`highlights:${view.task.id}`}
              targets={responses.map((r, i) => ({ id: r.id, label: `Response ${responseLetter(i)}`, text: r.content }))}
              highlights={highlights}
              assumptions={assumptions}
              taxonomy={bundle.taxonomy}
              draft={locked ? null : hlDraft}
              disabled={locked}
              onAdd={addHighlight}
              onRemove={removeHighlight}
              onClose={closeHighlight}
              onShow={showHighlight}
            />
          </SubmitBar>

          <div className="judge-section">
            <TaskSideSlot key={`notes:${view.task.id}`} />
          </div>

          <History history={view.history} />

          <RubricGuide key={`rubric:${view.task.id}`} criteria={criteria} />

          <GuidelinesPanel key={`guidelines:${view.task.id}`} guidelines={bundle.guidelines} handleRef={guidelinesRef} shortcut="compare.guidelines" />
        </div>
      </aside>
    </div>
  );
}
