import { create } from 'zustand';
import type { QueueItem, QueueStatus, StatusCounts } from '../../../shared/contract/index.ts';
import { call } from '../api/client.ts';

/** Tasks fetched per queue.list call; pages are loaded as the list scrolls to them. */
export const PAGE_SIZE = 100;

interface QueueState {
  bundleId: string | null;
  status: QueueStatus;
  /** Loaded pages by page number (offset / PAGE_SIZE); the list holds `total` rows in all. */
  pages: Record<number, QueueItem[]>;
  total: number;
  counts: StatusCounts | null;
  /** The first page is on its way (nothing to show yet). */
  loading: boolean;
  error: unknown;
  /** The highlighted row, by position in the filtered list. */
  selectedIndex: number;
  /** The highlighted task; kept when coming back from a task so the list resumes there. */
  selectedTaskId: string | null;
  load: (bundleId: string, status?: QueueStatus) => Promise<void>;
  /** Fetches the pages covering rows [from, to] that are not loaded or on their way. */
  ensureRange: (from: number, to: number) => void;
  /** Highlights a task by id (e.g. the task just opened). */
  select: (taskId: string | null) => void;
  /** Highlights the row at a position, fetching its page if needed. */
  selectIndex: (index: number) => void;
}

/** Bumped by every load(): answers for an older list (other bundle or filter) are dropped. */
let generation = 0;
const pending = new Set<number>();

export function itemAt(pages: Record<number, QueueItem[]>, index: number): QueueItem | undefined {
  return pages[Math.floor(index / PAGE_SIZE)]?.[index % PAGE_SIZE];
}

export const useQueue = create<QueueState>((set, get) => {
  async function fetchPage(page: number, gen: number): Promise<void> {
    const { bundleId, status } = get();
    if (!bundleId) return;
    pending.add(page);
    try {
      const res = await call('queue.list', { bundleId, status, offset: page * PAGE_SIZE, limit: PAGE_SIZE });
      if (gen !== generation) return;
      const s = get();
      const pages = { ...s.pages, [page]: res.items };
      const selected = itemAt(pages, s.selectedIndex);
      set({ pages, total: res.total, counts: res.counts, error: null, ...(s.selectedTaskId === null && selected ? { selectedTaskId: selected.taskId } : {}) });
    } catch (error) {
      if (gen === generation) set({ error });
    } finally {
      if (gen === generation) pending.delete(page);
    }
  }

  return {
    bundleId: null,
    status: 'all',
    pages: {},
    total: 0,
    counts: null,
    loading: false,
    error: null,
    selectedIndex: 0,
    selectedTaskId: null,
    load: async (bundleId, status) => {
      const prev = get();
      const sameBundle = prev.bundleId === bundleId;
      const nextStatus = status ?? (sameBundle ? prev.status : 'all');
      const sameList = sameBundle && nextStatus === prev.status;
      const gen = ++generation;
      pending.clear();
      set({
        bundleId,
        status: nextStatus,
        loading: true,
        error: null,
        // A selection made elsewhere (the task last opened) survives; it is dropped below if not listed there.
        ...(sameBundle ? {} : { pages: {}, counts: null, total: 0 }),
      });
      // Where the selection was in this same list: fetch that page too, so coming back resumes there.
      const wasAt = sameList && prev.selectedTaskId !== null && itemAt(prev.pages, prev.selectedIndex)?.taskId === prev.selectedTaskId ? prev.selectedIndex : -1;
      const want = [...new Set([0, wasAt < 0 ? 0 : Math.floor(wasAt / PAGE_SIZE)])];
      pending.add(0);
      try {
        const results = await Promise.all(want.map((p) => call('queue.list', { bundleId, status: nextStatus, offset: p * PAGE_SIZE, limit: PAGE_SIZE })));
        if (gen !== generation) return;
        const pages: Record<number, QueueItem[]> = {};
        want.forEach((p, i) => {
          pages[p] = results[i]?.items ?? [];
        });
        const last = results[results.length - 1] ?? results[0];
        const selected = get().selectedTaskId;
        let index = -1;
        if (selected !== null) {
          for (const [p, items] of Object.entries(pages)) {
            const i = items.findIndex((it) => it.taskId === selected);
            if (i >= 0) index = Number(p) * PAGE_SIZE + i;
          }
        }
        set({
          pages,
          total: last?.total ?? 0,
          counts: last?.counts ?? null,
          loading: false,
          selectedIndex: index >= 0 ? index : 0,
          selectedTaskId: index >= 0 ? selected : (pages[0]?.[0]?.taskId ?? null),
        });
      } catch (error) {
        if (gen !== generation) return;
        set({ loading: false, error });
      } finally {
        if (gen === generation) pending.clear();
      }
    },
    ensureRange: (from, to) => {
      const { total, pages, loading } = get();
      if (loading || total === 0) return;
      const last = Math.min(total - 1, to);
      for (let p = Math.floor(Math.max(0, from) / PAGE_SIZE); p <= Math.floor(last / PAGE_SIZE); p += 1) {
        if (!pages[p] && !pending.has(p)) void fetchPage(p, generation);
      }
    },
    select: (selectedTaskId) => set({ selectedTaskId }),
    selectIndex: (index) => {
      const { total, pages } = get();
      if (total === 0) return;
      const i = Math.max(0, Math.min(total - 1, index));
      set({ selectedIndex: i, selectedTaskId: itemAt(pages, i)?.taskId ?? null });
      get().ensureRange(i, i);
    },
  };
});
