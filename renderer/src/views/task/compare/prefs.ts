import { create } from 'zustand';

/** How the annotator likes to see many responses; remembered on this workstation between tasks. */
export type Layout = 'grid' | 'tabs';

interface ComparePrefs {
  layout: Layout;
  syncScroll: boolean;
  setLayout: (layout: Layout) => void;
  toggleLayout: () => void;
  toggleSyncScroll: () => void;
}

const KEY = 'casebook.compare.prefs';

function load(): { layout: Layout; syncScroll: boolean } {
  try {
    const raw = JSON.parse(localStorage.getItem(KEY) ?? '{}') as { layout?: unknown; syncScroll?: unknown };
    return { layout: raw.layout === 'tabs' ? 'tabs' : 'grid', syncScroll: raw.syncScroll !== false };
  } catch {
    return { layout: 'grid', syncScroll: true };
  }
}

function save(p: { layout: Layout; syncScroll: boolean }): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(p));
  } catch {
    // Storage may be unavailable; the preference then lasts for the session only.
  }
}

export const useComparePrefs = create<ComparePrefs>((set, get) => ({
  ...load(),
  setLayout: (layout) => {
    set({ layout });
    save({ layout, syncScroll: get().syncScroll });
  },
  toggleLayout: () => get().setLayout(get().layout === 'grid' ? 'tabs' : 'grid'),
  toggleSyncScroll: () => {
    const syncScroll = !get().syncScroll;
    set({ syncScroll });
    save({ layout: get().layout, syncScroll });
  },
}));
