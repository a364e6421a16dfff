import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// The prefetch talks to the core only through `call`; a fake one counts the round trips.
const calls: { method: string; input: Record<string, unknown> }[] = [];
vi.mock('../../../renderer/src/api/client.ts', () => ({
  call: (method: string, input: Record<string, unknown>) => {
    calls.push({ method, input });
    if (method === 'tasks.next') return Promise.resolve({ taskId: input.afterTaskId === 't9' ? 't9' : `${String(input.afterTaskId)}+1` });
    if (method === 'tasks.open') return Promise.resolve({ bundleId: input.bundleId, task: { id: input.taskId }, revision: calls.length });
    return Promise.reject(new Error(`unexpected ${method}`));
  },
}));

const { forgetTask, nextInOrder, prefetchNext, takePrefetched } = await import('../../../renderer/src/state/prefetch.ts');

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('next-task prefetch', () => {
  beforeEach(() => {
    calls.length = 0;
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fetches the next id once per task and bundle version, and null when the task is the only one', async () => {
    expect(await nextInOrder('b', 1, 't1')).toBe('t1+1');
    expect(await nextInOrder('b', 1, 't1')).toBe('t1+1');
    expect(calls.filter((c) => c.method === 'tasks.next')).toHaveLength(1);
    await nextInOrder('b', 2, 't1');
    expect(calls.filter((c) => c.method === 'tasks.next')).toHaveLength(2);
    expect(await nextInOrder('b', 1, 't9')).toBeNull();
  });

  it('hands out a prefetched view once', async () => {
    prefetchNext('b', 1, 't2');
    await settle();
    const view = await takePrefetched('b', 't2+1');
    expect(view?.task.id).toBe('t2+1');
    expect(await takePrefetched('b', 't2+1')).toBeNull();
    expect(await takePrefetched('b', 'other')).toBeNull();
  });

  it('drops a view when this window writes to that task, and views older than the time limit', async () => {
    prefetchNext('b', 1, 't3');
    await settle();
    forgetTask('b', 't3+1');
    expect(await takePrefetched('b', 't3+1')).toBeNull();

    vi.useFakeTimers({ toFake: ['Date'] });
    prefetchNext('b', 1, 't4');
    await vi.waitFor(() => expect(calls.some((c) => c.method === 'tasks.open' && c.input.taskId === 't4+1')).toBe(true));
    vi.setSystemTime(Date.now() + 60_000);
    expect(await takePrefetched('b', 't4+1')).toBeNull();
  });
});
