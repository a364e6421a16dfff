import { create } from 'zustand';
import type { EscalationItem } from '../../../shared/contract/index.ts';

/** The escalation a reviewer opened a task from, so the task screen can show what it is about. */
export const useReviewContext = create<{ item: EscalationItem | null; set: (item: EscalationItem | null) => void }>((set) => ({
  item: null,
  set: (item) => set({ item }),
}));
