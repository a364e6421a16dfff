import { create } from 'zustand';

/**
 * What the open workspace is pointing at, so the assumptions and escalations panel can propose
 * a scope ("this step") without knowing how each task kind lays itself out, and so the panel
 * can ask the workspace to show a step it lists.
 */
interface ScopeHintState {
  /** The trajectory step the annotator is on, if any. */
  stepId: string | null;
  /** A step the panel asked the workspace to bring into view; the workspace clears it. */
  showStep: { stepId: string; seq: number } | null;
  setStep: (stepId: string | null) => void;
  requestStep: (stepId: string) => void;
}

let seq = 0;

export const useScopeHint = create<ScopeHintState>((set) => ({
  stepId: null,
  showStep: null,
  setStep: (stepId) => set({ stepId }),
  requestStep: (stepId) => set({ showStep: { stepId, seq: ++seq } }),
}));
