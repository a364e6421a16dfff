import { useEffect, useRef, useState } from 'react';
import { annotatorTask as useTask } from '../../state/task.ts';
import { useQueue } from '../../state/queue.ts';
import { stopActiveTime } from '../../state/activeTime.ts';
import { addLeaveGuard, navigate, useRouter } from '../../state/router.ts';
import { useShortcuts } from '../../keyboard/manager.ts';
import { errorMessage } from '../../api/client.ts';
import { nextTaskId, openTask, previousTaskId } from '../../state/taskNav.ts';
import { Loading } from '../../components/Spinner.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { TaskHeader } from './common/TaskHeader.tsx';
import { CompareTaskView } from './compare/CompareTaskView.tsx';
import { ReadOnlyTaskView } from './common/ReadOnlyTaskView.tsx';
import { TrajectoryTaskView } from './trajectory/TrajectoryTaskView.tsx';
import { TaskSideSlotHost } from './notes/TaskSideSlot.tsx';
import { EscalationBanner } from '../review/EscalationBanner.tsx';
import { ExemplarTaskView } from './exemplar/ExemplarTaskView.tsx';
import { MineVsFinal } from './common/MineVsFinal.tsx';

/** Kinds with an editing view of their own, which manage focus and show save state and active time. */
const EDITABLE = new Set(['compare', 'exemplar', 'trajectory']);

/** Loads a task and shows the view for its kind, with task-to-task navigation. */
export function TaskScreen({ bundleId, taskId }: { bundleId: string; taskId: string }) {
  const reloadKey = useRouter((s) => s.reloadKey);
  const open = useTask((s) => s.open);
  const view = useTask((s) => s.view);
  const bundle = useTask((s) => s.bundle);
  const content = useTask((s) => s.content);
  const loadError = useTask((s) => s.loadError);
  const status = useTask((s) => s.status);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const mainRef = useRef<HTMLElement>(null);
  // A note from the last navigation attempt ("nothing left to do"), shown only on the task it was made on.
  const [note, setNote] = useState<{ taskId: string; text: string } | null>(null);
  const nextNote = note?.taskId === taskId ? note.text : null;
  const setNextNote = (text: string): void => setNote({ taskId, text });

  useEffect(() => {
    useQueue.getState().select(taskId);
    void open(bundleId, taskId);
    mainRef.current?.scrollTo({ top: 0 });
  }, [bundleId, taskId, open, reloadKey]);

  useEffect(() => {
    const remove = addLeaveGuard(() => useTask.getState().flush());
    return () => {
      remove();
      void useTask.getState().flush();
      stopActiveTime();
    };
  }, []);

  const current = view && view.bundleId === bundleId && view.task.id === taskId ? view : null;
  const kind = current?.task.kind;

  // Read-only views start with focus on the task title so screen readers hear where they are.
  useEffect(() => {
    if (kind && !EDITABLE.has(kind)) headingRef.current?.focus();
  }, [kind, current?.task.id]);

  const go = async (find: () => Promise<string | null>, none: string): Promise<void> => {
    try {
      const id = await find();
      if (id && id !== taskId) await openTask(bundleId, id);
      else setNextNote(none);
    } catch (e) {
      setNextNote(errorMessage(e));
    }
  };
  const onPrev = (): void => void go(() => previousTaskId(bundleId, taskId), 'This is the only task.');
  const onNext = (): void => void go(() => nextTaskId(bundleId, taskId, 'all'), 'This is the only task.');
  const onNextTodo = (): void => void go(() => nextTaskId(bundleId, taskId, 'todo'), 'Nothing left to do in this bundle. Well done.');
  const onBack = (): void => void navigate({ name: 'queue', bundleId });

  useShortcuts({
    'task.prev': onPrev,
    'task.next': onNext,
    'task.nextTodo': onNextTodo,
    'task.back': onBack,
  });

  let body;
  if (loadError) body = <LoadError error={loadError} what="this task" />;
  else if (!current || !bundle) body = <Loading label="Opening task…" />;
  // The compare view stays mounted from task to task (it resets its per-task parts itself), so
  // "next task" updates the panes in place instead of rebuilding the screen; the other views are
  // keyed by task and start afresh, as before.
  else if (current.task.kind === 'compare' && content?.answer.kind === 'compare')
    body = <CompareTaskView view={current} bundle={bundle} answer={content.answer} onNextTodo={onNextTodo} nextNote={nextNote} />;
  else if (current.task.kind === 'trajectory' && content?.answer.kind === 'trajectory')
    body = <TrajectoryTaskView key={current.task.id} view={current} bundle={bundle} answer={content.answer} onNextTodo={onNextTodo} nextNote={nextNote} />;
  else if (current.task.kind === 'exemplar' && content?.answer.kind === 'exemplar')
    body = <ExemplarTaskView key={current.task.id} view={current} bundle={bundle} answer={content.answer} onNextTodo={onNextTodo} nextNote={nextNote} />;
  else body = <ReadOnlyTaskView key={current.task.id} onPrev={onPrev} onNext={onNext} />;

  return (
    // data-task-id: which task the screen shows now (the compare view stays mounted across tasks).
    <main className="task-page" id="main" tabIndex={-1} ref={mainRef} data-task-id={current?.task.id}>
      {current ? (
        <TaskHeader
          view={current}
          status={status}
          revision={current.annotation?.revision ?? null}
          headingRef={headingRef}
          onPrev={onPrev}
          onNext={onNext}
          onBack={onBack}
          editable={EDITABLE.has(current.task.kind)}
        />
      ) : null}
      {nextNote && !(kind && EDITABLE.has(kind)) ? (
        <p className="note" role="status">
          {nextNote}
        </p>
      ) : null}
      <EscalationBanner bundleId={bundleId} taskId={taskId} />
      <MineVsFinal bundleId={bundleId} taskId={taskId} status={status} />
      <TaskSideSlotHost>{body}</TaskSideSlotHost>
    </main>
  );
}
