import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ScoreValue, StepVerdict, TrajectoryAnswer } from '../../../../../shared/domain/index.ts';
import type { BundleDetail, TaskView } from '../../../../../shared/contract/index.ts';
import { isFinal, useSubmitState, useTask, useTaskStore } from '../../../state/task.ts';
import { useScopeHint } from '../../../state/scopeHint.ts';
import { useShortcuts } from '../../../keyboard/manager.ts';
import { digitOf } from '../../../keyboard/registry.ts';
import { focusRadioGroup } from '../../../components/RadioGroup.tsx';
import { Markdown } from '../../../components/Markdown.tsx';
import { ShortcutKbd } from '../../../components/Kbd.tsx';
import { History } from '../common/History.tsx';
import { RubricGuide } from '../common/RubricGuide.tsx';
import { SubmitBar, useInvalidIds } from '../common/SubmitBar.tsx';
import { TaskSideSlot } from '../notes/TaskSideSlot.tsx';
import { Timeline } from './Timeline.tsx';
import { RunPanel } from './RunPanel.tsx';
import { GoalPanel } from './GoalPanel.tsx';
import { rowId, type FocusField, type FocusRequest, type RowActions } from './StepRow.tsx';
import { notesPerStep } from './notesPerStep.ts';
import {
  OUTCOMES,
  VERDICT_LABEL,
  firstUnlabelled,
  labelsById,
  missingForTrajectory,
  progressOf,
  proposedFirstError,
  setVerdict,
  trajectoryCriteria,
  withLabel,
} from './trajectoryRules.ts';

interface Props {
  view: TaskView;
  bundle: BundleDetail;
  answer: TrajectoryAnswer;
  onNextTodo: () => void;
  nextNote: string | null;
}

/**
 * A trajectory task: the run as a virtualised timeline labelled step by step from the keyboard,
 * and the run as a whole (first error, outcome, scores, rationale) beside it.
 */
export function TrajectoryTaskView({ view, bundle, answer, onNextTodo, nextNote }: Props) {
  const taskStore = useTaskStore();
  const { status, submitting } = useSubmitState();
  const escalationCount = useTask((s) => s.content?.escalations.length ?? 0);
  const assumptions = useTask((s) => s.content?.assumptions);
  const escalations = useTask((s) => s.content?.escalations);
  const { editContent } = taskStore.getState();

  const task = view.task.kind === 'trajectory' ? view.task : null;
  const steps = useMemo(() => task?.steps ?? [], [task]);
  const submitted = isFinal(status);
  const locked = submitted || submitting;

  const [current, setCurrent] = useState(() => Math.max(0, firstUnlabelled(answer, steps)));
  const [revealSeq, setRevealSeq] = useState(0);
  const [focus, setFocus] = useState<FocusRequest | null>(null);
  const [unfolded, setUnfolded] = useState<ReadonlySet<string>>(() => new Set());
  // Said politely after keyboard labelling, since the focus moves on before the change is seen.
  const [said, setSaid] = useState('');
  const scrollRef = useRef<HTMLDivElement>(null);
  const rationaleRef = useRef<HTMLTextAreaElement>(null);
  const scoresRef = useRef<HTMLDivElement>(null);
  const sideRef = useRef<HTMLElement>(null);

  const labels = useMemo(() => labelsById(answer), [answer]);
  const progress = useMemo(() => progressOf(answer, steps), [answer, steps]);
  const proposal = useMemo(() => proposedFirstError(answer, steps), [answer, steps]);
  const firstErrorIndex = answer.firstErrorStepId ? steps.findIndex((s) => s.id === answer.firstErrorStepId) : -1;
  const missing = missingForTrajectory(answer, steps, bundle);
  const notesByStep = useMemo(() => notesPerStep(assumptions ?? [], escalations ?? []), [assumptions, escalations]);
  const missingIds = useInvalidIds(missing);

  // Refs let the memoised row callbacks stay stable while reading the latest state.
  const stepsRef = useRef(steps);
  const currentRef = useRef(current);
  // Updated on commit (not during render, which may be thrown away), before any event can read them.
  useLayoutEffect(() => {
    stepsRef.current = steps;
    currentRef.current = current;
  });

  const editAnswer = (update: (a: TrajectoryAnswer) => TrajectoryAnswer): void =>
    editContent((c) => (c.answer.kind === 'trajectory' ? { ...c, answer: update(c.answer) } : c));

  const seq = useRef(0);
  /** Makes step `i` current, scrolls it into view and puts focus on it (or one of its fields). */
  const goTo = (i: number, field: FocusField = 'row'): void => {
    const n = stepsRef.current.length;
    if (n === 0) return;
    const next = Math.max(0, Math.min(n - 1, i));
    const step = stepsRef.current[next];
    if (!step) return;
    setCurrent(next);
    setRevealSeq((x) => x + 1);
    seq.current += 1;
    setFocus({ stepId: step.id, field, seq: seq.current });
  };
  const goToRef = useRef(goTo);
  useLayoutEffect(() => {
    goToRef.current = goTo;
  });

  const actions = useMemo<RowActions>(() => {
    const edit = (update: (a: TrajectoryAnswer) => TrajectoryAnswer): void =>
      taskStore.getState().editContent((c) => (c.answer.kind === 'trajectory' ? { ...c, answer: update(c.answer) } : c));
    const label = (stepId: string, f: Parameters<typeof withLabel>[3]): void => edit((a) => withLabel(a, stepsRef.current, stepId, f));
    return {
      select: (index) => {
        if (index !== currentRef.current) {
          setCurrent(index);
          const s = stepsRef.current[index];
          if (s) {
            seq.current += 1;
            // Clicking a row selects it; focus follows only if it is not already inside the row.
            if (!document.getElementById(rowId(index))?.contains(document.activeElement)) setFocus({ stepId: s.id, field: 'row', seq: seq.current });
          }
        }
      },
      verdict: (stepId, verdict) => label(stepId, (l) => setVerdict(l, verdict)),
      toggleErrorType: (stepId, t) =>
        label(stepId, (l) => ({ ...l, errorTypes: l.errorTypes.includes(t) ? l.errorTypes.filter((x) => x !== t) : [...l.errorTypes, t] })),
      note: (stepId, note) => label(stepId, (l) => ({ ...l, note })),
      corrected: (stepId, corrected) => label(stepId, (l) => ({ ...l, corrected })),
      // Opening, restarting or removing the correction moves focus (typing in it does not).
      setCorrection: (stepId, corrected) => {
        label(stepId, (l) => ({ ...l, corrected }));
        const i = stepsRef.current.findIndex((s) => s.id === stepId);
        if (i >= 0) goToRef.current(i, corrected === null ? 'row' : 'corrected');
      },
      fold: (stepId) =>
        setUnfolded((u) => {
          const next = new Set(u);
          if (!next.delete(stepId)) next.add(stepId);
          return next;
        }),
      firstError: (stepId) => edit((a) => ({ ...a, firstErrorStepId: a.firstErrorStepId === stepId ? null : stepId })),
    };
  }, [taskStore]);

  // The assumptions panel proposes "this step"; it can also ask for a step to be shown.
  const currentStepId = steps[current]?.id ?? null;
  useEffect(() => {
    useScopeHint.getState().setStep(currentStepId);
  }, [currentStepId]);
  useEffect(() => () => useScopeHint.getState().setStep(null), []);
  const showStep = useScopeHint((s) => s.showStep);
  useEffect(() => {
    if (!showStep) return;
    const i = stepsRef.current.findIndex((s) => s.id === showStep.stepId);
    if (i >= 0) goToRef.current(i);
  }, [showStep]);

  // On open: focus the first step still to label (or the title, for submitted work).
  useEffect(() => {
    if (isFinal(taskStore.getState().status)) {
      document.querySelector<HTMLElement>('.task-title')?.focus({ preventScroll: true });
      return;
    }
    goToRef.current(currentRef.current);
  }, [view.task.id, taskStore]);

  const current$ = steps[current];
  const labelOf = (id: string | undefined) => (id ? labels.get(id) : undefined);

  const focusCurrentStep = (): void => goToRef.current(currentRef.current);

  useShortcuts({
    'trajectory.next': () => goTo(current + 1),
    'trajectory.prev': () => goTo(current - 1),
    'trajectory.verdict': (e) => {
      const d = digitOf(e);
      const verdicts: StepVerdict[] = ['good', 'error', 'unnecessary', 'unsafe'];
      const v = d ? verdicts[d - 1] : undefined;
      if (!v || !current$ || locked) return false;
      actions.verdict(current$.id, v);
      setSaid(`Step ${current + 1} marked ${VERDICT_LABEL[v].toLowerCase()}. ${progress.labelled + (labelOf(current$.id)?.verdict ? 0 : 1)} of ${steps.length} labelled.`);
      // Good steps are the common case: move on. Faults stay so error types and a note can follow.
      if (v === 'good' && current < steps.length - 1) goTo(current + 1);
      else goTo(current);
    },
    'trajectory.clear': () => {
      if (!current$ || locked) return false;
      editAnswer((a) => withLabel(a, steps, current$.id, (l) => setVerdict(l, null)));
    },
    'trajectory.unlabelled': () => {
      const i = firstUnlabelled(answer, steps);
      if (i < 0) return false;
      goTo(i);
    },
    'trajectory.firstError': () => {
      if (!current$ || locked) return false;
      actions.firstError(current$.id);
      setSaid(answer.firstErrorStepId === current$.id ? 'First error cleared.' : `Step ${current + 1} marked as the first error.`);
    },
    'trajectory.acceptFirstError': () => {
      if (!proposal || locked) return false;
      editAnswer((a) => ({ ...a, firstErrorStepId: proposal }));
    },
    'trajectory.errorTypes': () => {
      const v = labelOf(current$?.id)?.verdict;
      if (locked || !v || v === 'good') return false;
      goTo(current, 'errorTypes');
    },
    'trajectory.note': () => {
      if (locked) return false;
      goTo(current, 'note');
    },
    'trajectory.correct': () => {
      if (!current$ || locked) return false;
      if (labelOf(current$.id)?.corrected == null) actions.setCorrection(current$.id, '');
      else goTo(current, 'corrected');
    },
    'trajectory.fold': () => {
      if (!current$) return false;
      actions.fold(current$.id);
    },
    'trajectory.outcome': (e) => {
      const d = digitOf(e);
      const o = d ? OUTCOMES[d - 1] : undefined;
      if (!o || locked) return false;
      editAnswer((a) => ({ ...a, outcome: o }));
      setSaid(`Outcome: ${o}.`);
    },
    'trajectory.scores': () => {
      const first = trajectoryCriteria(bundle).find((c) => answer.scores[c.id] === undefined) ?? trajectoryCriteria(bundle)[0];
      const group = first ? scoresRef.current?.querySelector(`input[name="${CSS.escape(`score:${first.id}`)}"]`)?.closest('[role="radiogroup"]') : null;
      return focusRadioGroup(group ?? null);
    },
    'trajectory.rationale': () => rationaleRef.current?.focus(),
  });

  if (!task) return null;

  return (
    <div className="traj">
      <div className="traj-main">
        <GoalPanel task={task} />
        <div className="traj-keys muted small" aria-hidden="true">
          <ShortcutKbd id="trajectory.next" /> <ShortcutKbd id="trajectory.prev" /> steps · <kbd className="kbd">1</kbd>…<kbd className="kbd">4</kbd> good,
          error, unnecessary, unsafe · <ShortcutKbd id="trajectory.unlabelled" /> first unlabelled · <ShortcutKbd id="trajectory.firstError" /> first error ·{' '}
          <ShortcutKbd id="trajectory.correct" /> correct · <ShortcutKbd id="task.addAssumption" /> assumption · <kbd className="kbd">?</kbd> all keys
        </div>
        <Timeline
          steps={steps}
          labels={labels}
          current={current}
          firstErrorIndex={firstErrorIndex}
          unfolded={unfolded}
          locked={locked}
          errorTypes={bundle.taxonomy.errorTypes}
          focus={focus}
          actions={actions}
          revealSeq={revealSeq}
          scrollRef={scrollRef}
          notesByStep={notesByStep}
          onJump={(i) => goTo(i)}
        />
      </div>

      <aside className="judge traj-side" aria-label="Your judgment" ref={sideRef}>
        <div className="judge-inner">
          <SubmitBar
            scope="trajectory"
            view={view}
            bundle={bundle}
            missing={escalationCount > 0 && bundle.allowEscalationWithoutAnswer ? [] : missing}
            sideRef={sideRef}
            onRevised={focusCurrentStep}
            onNextTodo={onNextTodo}
            nextNote={nextNote}
          >
            <RunPanel
              answer={answer}
              steps={steps}
              bundle={bundle}
              progress={progress}
              proposal={proposal}
              locked={locked}
              missingIds={missingIds}
              rationaleRef={rationaleRef}
              scoresRef={scoresRef}
              onGoTo={(id) => goTo(steps.findIndex((s) => s.id === id))}
              onFirstUnlabelled={() => goTo(Math.max(0, firstUnlabelled(answer, steps)))}
              onFirstError={(id) => editAnswer((a) => ({ ...a, firstErrorStepId: id }))}
              onOutcome={(o) => editAnswer((a) => ({ ...a, outcome: o }))}
              onScore={(cid, v: ScoreValue) => editAnswer((a) => ({ ...a, scores: { ...a.scores, [cid]: v } }))}
              onRationale={(r) => editAnswer((a) => ({ ...a, rationale: r }))}
            />
          </SubmitBar>
          <div className="sr-only" role="status" aria-live="polite">
            {said}
          </div>
          <div className="judge-section">
            <TaskSideSlot />
          </div>
          <History history={view.history} />
          <RubricGuide criteria={trajectoryCriteria(bundle)} />
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
