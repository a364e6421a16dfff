import type { ReactNode } from 'react';
import { useStore } from 'zustand';
import { TaskStoreProvider, type TaskStore } from '../../state/task.ts';
import { CompareTaskView } from './compare/CompareTaskView.tsx';
import { ExemplarTaskView } from './exemplar/ExemplarTaskView.tsx';
import { TrajectoryTaskView } from './trajectory/TrajectoryTaskView.tsx';
import { TaskSideSlotHost } from './notes/TaskSideSlot.tsx';

interface Props {
  store: TaskStore;
  /** Where "Next task" goes from a submitted task (nowhere, for work shown read-only). */
  onNextTodo?: () => void;
  nextNote?: string | null;
  /** Shown when the store's content does not fit its task's kind. */
  fallback?: ReactNode;
}

const nowhere = (): void => undefined;

/**
 * The real view for a task's kind, on the given task store: the annotator's own task, someone
 * else's answer read-only (viewOnlyTaskStore), or a reviewer's draft. One set of views for all.
 */
export function TaskKindView({ store, onNextTodo = nowhere, nextNote = null, fallback = null }: Props) {
  const view = useStore(store, (s) => s.view);
  const bundle = useStore(store, (s) => s.bundle);
  const content = useStore(store, (s) => s.content);
  if (!view || !bundle || !content) return <>{fallback}</>;
  let body: ReactNode = fallback;
  if (view.task.kind === 'compare' && content.answer.kind === 'compare')
    body = <CompareTaskView view={view} bundle={bundle} answer={content.answer} onNextTodo={onNextTodo} nextNote={nextNote} />;
  else if (view.task.kind === 'trajectory' && content.answer.kind === 'trajectory')
    body = <TrajectoryTaskView key={view.task.id} view={view} bundle={bundle} answer={content.answer} onNextTodo={onNextTodo} nextNote={nextNote} />;
  else if (view.task.kind === 'exemplar' && content.answer.kind === 'exemplar')
    body = <ExemplarTaskView key={view.task.id} view={view} bundle={bundle} answer={content.answer} onNextTodo={onNextTodo} nextNote={nextNote} />;
  return (
    <TaskStoreProvider store={store}>
      <TaskSideSlotHost>{body}</TaskSideSlotHost>
    </TaskStoreProvider>
  );
}
