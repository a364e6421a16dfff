import type { TaskView } from '../../../shared/contract/index.ts';
import { call } from '../api/client.ts';

/**
 * Next-task prefetch. While the annotator works on a task, the id of the task after it (bundle
 * order) and that task's view are fetched in the background, so "next task" can show it in the
 * same frame as the keypress instead of after two API round trips and a loading screen.
 *
 * Staleness: a prefetched view is at most TTL_MS old, is used once (taken out of the cache), is
 * dropped as soon as this window writes to that task (forgetTask), and the task store checks it
 * against a fresh tasks.open right after showing it (see task.ts, revalidate).
 */
const TTL_MS = 30_000;
/** Only a handful of tasks are ever prefetched at once; a bound keeps a long session from growing it. */
const MAX_ENTRIES = 8;

interface Pending<T> {
  value: Promise<T>;
  at: number;
}

const views = new Map<string, Pending<TaskView | null>>();
/** "Next in bundle order" per task; the order only changes with the bundle version. */
const nextIds = new Map<string, Pending<string | null>>();

const taskKey = (bundleId: string, taskId: string): string => `${bundleId}\u0000${taskId}`;
const nextKey = (bundleId: string, version: number, taskId: string): string => `${bundleId}\u0000${version}\u0000${taskId}`;

function remember<T>(map: Map<string, Pending<T>>, key: string, value: Promise<T>): Pending<T> {
  const entry = { value, at: Date.now() };
  map.delete(key);
  map.set(key, entry);
  // Maps iterate in insertion order: the first key is the oldest.
  while (map.size > MAX_ENTRIES) map.delete(map.keys().next().value as string);
  return entry;
}

const fresh = <T>(entry: Pending<T> | undefined): entry is Pending<T> => entry !== undefined && Date.now() - entry.at <= TTL_MS;

/** The task after `taskId` in bundle order (wrapping), or null when it is the only task. */
export function nextInOrder(bundleId: string, version: number, taskId: string): Promise<string | null> {
  const key = nextKey(bundleId, version, taskId);
  const known = nextIds.get(key);
  if (fresh(known)) return known.value;
  const value = call('tasks.next', { bundleId, afterTaskId: taskId, status: 'all' }).then(
    (r) => (r.taskId === taskId ? null : r.taskId),
    (error: unknown) => {
      nextIds.delete(key);
      throw error;
    },
  );
  return remember(nextIds, key, value).value;
}

/** Starts fetching the task after `taskId` (its id, then its view); failures are silent. */
export function prefetchNext(bundleId: string, version: number, taskId: string): void {
  nextInOrder(bundleId, version, taskId).then(
    (next) => {
      if (!next) return;
      // The id after that one too (no view): when `next` is shown, its own prefetch is then one
      // round trip, not two, and is more likely done before the annotator moves on again.
      nextInOrder(bundleId, version, next).catch(() => undefined);
      if (fresh(views.get(taskKey(bundleId, next)))) return;
      const value = call('tasks.open', { bundleId, taskId: next }).catch(() => null);
      remember(views, taskKey(bundleId, next), value);
    },
    () => undefined,
  );
}

/**
 * The prefetched view of a task, waiting for it if its fetch is still under way; null when there
 * is none or it is too old. Taking it removes it: a view is shown from the cache at most once.
 */
export async function takePrefetched(bundleId: string, taskId: string): Promise<TaskView | null> {
  const key = taskKey(bundleId, taskId);
  const entry = views.get(key);
  views.delete(key);
  if (!fresh(entry)) return null;
  const view = await entry.value;
  return view && view.bundleId === bundleId && view.task.id === taskId ? view : null;
}

/** This window is about to change the task: a view fetched before that must not be shown. */
export function forgetTask(bundleId: string, taskId: string): void {
  views.delete(taskKey(bundleId, taskId));
}
