import type { QueueStatus } from '../../../shared/contract/index.ts';
import { call } from '../api/client.ts';
import { navigate } from './router.ts';

/** The task after this one (wrapping) with the given status, or null when none is left. */
export async function nextTaskId(bundleId: string, afterTaskId: string, status: QueueStatus): Promise<string | null> {
  const { taskId } = await call('tasks.next', { bundleId, afterTaskId, status });
  return taskId === afterTaskId && status === 'all' ? null : taskId;
}

/** The task before this one in bundle order (wrapping to the last), or null when it is the only one. */
export async function previousTaskId(bundleId: string, taskId: string): Promise<string | null> {
  const { taskId: prev } = await call('tasks.next', { bundleId, afterTaskId: taskId, status: 'all', direction: 'backward' });
  return prev === taskId ? null : prev;
}

export function openTask(bundleId: string, taskId: string): Promise<void> {
  return navigate({ name: 'task', bundleId, taskId });
}
