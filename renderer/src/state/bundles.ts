import { create } from 'zustand';
import type { BundleDetail, BundleSummary } from '../../../shared/contract/index.ts';
import { call } from '../api/client.ts';

interface BundlesState {
  list: BundleSummary[] | null;
  listError: unknown;
  details: Record<string, BundleDetail>;
  loadList: () => Promise<void>;
  /** Rubric, guidelines and taxonomy rarely change: fetched once per bundle version. */
  detail: (bundleId: string) => Promise<BundleDetail>;
  invalidate: () => void;
}

export const useBundles = create<BundlesState>((set, get) => ({
  list: null,
  listError: null,
  details: {},
  loadList: async () => {
    try {
      const list = await call('bundles.list', {});
      set({ list, listError: null });
    } catch (listError) {
      set({ listError });
    }
  },
  detail: async (bundleId) => {
    const cached = get().details[bundleId];
    const summary = get().list?.find((b) => b.id === bundleId);
    if (cached && (!summary || summary.version === cached.version)) return cached;
    const detail = await call('bundles.get', { bundleId });
    set((s) => ({ details: { ...s.details, [bundleId]: detail } }));
    return detail;
  },
  invalidate: () => set({ details: {} }),
}));
