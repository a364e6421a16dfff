import type { QueueStatus } from '../../../shared/contract/index.ts';
import { call } from '../api/client.ts';
import { navigate } from './router.ts';

/** The task after this one (wrapping) with the given status, or null when none is left. */
export async function nextTaskId(bundleId: string, afterTaskId: string, status: QueueStatus): Promise<string | null> {
  const { taskId } = await call('tasks.next', { bundleId, afterTaskId, status });
  return taskId === afterTaskId && status === 'all' ? null : taskId;
}

/** The task before this one in bundle order (wrapping to the last). */
export async function previousTaskId(bundleId: string, taskId: string, position: number): Promise<string | null> {
  const offset = Math.max(0, position - 3);
  const page = await call('queue.list', { bundleId, status: 'all', offset, limit: 6 });
  let items = page.items;
  let i = items.findIndex((t) => t.taskId === taskId);
  if (i < 0) {
    items = (await call('queue.list', { bundleId, status: 'all', offset: 0, limit: 500 })).items;
    i = items.findIndex((t) => t.taskId === taskId);
  }
  if (i > 0) return items[i - 1]?.taskId ?? null;
  if (i === 0 && offset === 0 && page.total > 1) {
    const last = await call('queue.list', { bundleId, status: 'all', offset: page.total - 1, limit: 1 });
    return last.items[0]?.taskId ?? null;
  }
  return null;
}

export function openTask(bundleId: string, taskId: string): Promise<void> {
  return navigate({ name: 'task', bundleId, taskId });
}
