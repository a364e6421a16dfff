import { create } from 'zustand';
import type { QueueItem, QueueStatus, StatusCounts } from '../../../shared/contract/index.ts';
import { call } from '../api/client.ts';

export const PAGE_SIZE = 100;

interface QueueState {
  bundleId: string | null;
  status: QueueStatus;
  items: QueueItem[];
  total: number;
  counts: StatusCounts | null;
  loading: boolean;
  error: unknown;
  /** The highlighted task; kept when coming back from a task so the list resumes there. */
  selectedTaskId: string | null;
  load: (bundleId: string, status?: QueueStatus) => Promise<void>;
  loadMore: () => Promise<void>;
  select: (taskId: string | null) => void;
}

let requestSeq = 0;

export const useQueue = create<QueueState>((set, get) => ({
  bundleId: null,
  status: 'all',
  items: [],
  total: 0,
  counts: null,
  loading: false,
  error: null,
  selectedTaskId: null,
  load: async (bundleId, status) => {
    const sameBundle = get().bundleId === bundleId;
    const nextStatus = status ?? (sameBundle ? get().status : 'all');
    const seq = ++requestSeq;
    set({
      bundleId,
      status: nextStatus,
      loading: true,
      error: null,
      // A selection made elsewhere (the task last opened) survives; it is dropped below if not listed.
      ...(sameBundle ? {} : { items: [], counts: null, total: 0 }),
    });
    try {
      const page = await call('queue.list', { bundleId, status: nextStatus, offset: 0, limit: PAGE_SIZE });
      if (seq !== requestSeq) return;
      const selected = get().selectedTaskId;
      const keep = selected !== null && page.items.some((i) => i.taskId === selected);
      set({
        items: page.items,
        total: page.total,
        counts: page.counts,
        loading: false,
        selectedTaskId: keep ? selected : (page.items[0]?.taskId ?? null),
      });
    } catch (error) {
      if (seq !== requestSeq) return;
      set({ loading: false, error });
    }
  },
  loadMore: async () => {
    const { bundleId, status, items } = get();
    if (!bundleId) return;
    const seq = ++requestSeq;
    set({ loading: true });
    try {
      const page = await call('queue.list', { bundleId, status, offset: items.length, limit: PAGE_SIZE });
      if (seq !== requestSeq) return;
      set({ items: [...items, ...page.items], total: page.total, counts: page.counts, loading: false });
    } catch (error) {
      if (seq !== requestSeq) return;
      set({ loading: false, error });
    }
  },
  select: (selectedTaskId) => set({ selectedTaskId }),
}));
