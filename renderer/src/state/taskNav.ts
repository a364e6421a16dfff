import type { QueueStatus } from '../../../shared/contract/index.ts';
import { call } from '../api/client.ts';
import { navigate } from './router.ts';
import { nextInOrder, takePrefetched } from './prefetch.ts';
import { annotatorTask } from './task.ts';

/** The task after this one (wrapping) with the given status, or null when none is left. */
export async function nextTaskId(bundleId: string, afterTaskId: string, status: QueueStatus): Promise<string | null> {
  // Bundle order is fixed per bundle version, so "next of any status" is answered from the
  // prefetch when the shown task is the one asked about.
  const view = annotatorTask.getState().view;
  if (status === 'all' && view?.bundleId === bundleId && view.task.id === afterTaskId) return nextInOrder(bundleId, view.bundleVersion, afterTaskId);
  const { taskId } = await call('tasks.next', { bundleId, afterTaskId, status });
  return taskId === afterTaskId && status === 'all' ? null : taskId;
}

/** The task before this one in bundle order (wrapping to the last), or null when it is the only one. */
export async function previousTaskId(bundleId: string, taskId: string): Promise<string | null> {
  const { taskId: prev } = await call('tasks.next', { bundleId, afterTaskId: taskId, status: 'all', direction: 'backward' });
  return prev === taskId ? null : prev;
}

/**
 * Opens a task from the task screen. A prefetched view is put in the task store in the same tick
 * as the route change (after the leave guards flushed the current task), so React renders the
 * new task in one pass, without a loading screen in between.
 */
export async function openTask(bundleId: string, taskId: string): Promise<void> {
  const view = await takePrefetched(bundleId, taskId);
  return navigate({ name: 'task', bundleId, taskId }, view ? { prepare: () => void annotatorTask.getState().show(view) } : undefined);
}
