import { createContext, createElement, useContext, type ReactNode } from 'react';
import { create, useStore, type StoreApi, type UseBoundStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { AnnotationContent, CompareAnswer, ExemplarAnswer } from '../../../shared/domain/index.ts';
import type { BundleDetail, Issue, TaskStatus, TaskView } from '../../../shared/contract/index.ts';
import { ApiError, call, errorMessage, TransportError } from '../api/client.ts';
import { useBundles } from './bundles.ts';
import { giveBackActiveMs, startActiveTime, takeActiveMs, useActiveTime } from './activeTime.ts';
import { forgetTask, prefetchNext } from './prefetch.ts';

/** Debounce of autosave after the last edit; the design requires a save within a second. */
export const AUTOSAVE_MS = 600;
const RETRY_MS = 3_000;
/** Time-only saves of an existing draft happen when leaving if at least this much accrued. */
const TIME_ONLY_MIN_MS = 2_000;

export type SaveState = 'idle' | 'pending' | 'saving' | 'saved' | 'error';

export interface SubmitProblem {
  code: string;
  message: string;
  issues: Issue[];
}

/**
 * Where a task store reads and writes its work. The annotator's store uses their own annotations
 * (tasks.open, annotations.*); a reviewer's draft decision writes elsewhere. A store without one
 * shows work that is not this user's to change (another annotator's answer), read-only.
 */
export interface TaskBackend {
  /** The annotator's own work: active time is counted and the next task prefetched. */
  readonly own: boolean;
  open: (bundleId: string, taskId: string) => Promise<TaskView>;
  saveDraft: (bundleId: string, taskId: string, content: AnnotationContent, activeMsDelta: number) => Promise<{ activeMs: number }>;
  submit: (bundleId: string, taskId: string, content: AnnotationContent, activeMsDelta: number) => Promise<{ activeMs: number; revision: number }>;
  revise: (bundleId: string, taskId: string) => Promise<{ revision: number }>;
}

/** `edit`: this user's work, editable until submitted; `view`: someone else's work, never editable. */
export type TaskMode = 'edit' | 'view';

export interface TaskState {
  mode: TaskMode;
  key: string | null;
  bundleId: string | null;
  taskId: string | null;
  loading: boolean;
  loadError: unknown;
  view: TaskView | null;
  bundle: BundleDetail | null;
  content: AnnotationContent | null;
  status: TaskStatus;
  save: SaveState;
  saveError: string | null;
  /** Active time the core has recorded for the shown revision. */
  savedActiveMs: number;
  submitting: boolean;
  submitProblem: SubmitProblem | null;
  /** Bumped on every refusal so the alert takes focus again. */
  submitProblemSeq: number;
  /** Short message for the polite live region ("Submitted revision 2"). */
  announcement: string;

  open: (bundleId: string, taskId: string) => Promise<void>;
  /**
   * Shows an already fetched view (a prefetched next task) synchronously, so the screen can swap
   * to it in one render; false when the bundle's details are not at hand (then use open).
   * Call after the previous task was flushed; open() for the same task then only re-checks it.
   */
  show: (view: TaskView) => boolean;
  editCompare: (update: (answer: CompareAnswer) => CompareAnswer) => void;
  editExemplar: (update: (answer: ExemplarAnswer) => ExemplarAnswer) => void;
  /** Edits the whole content (answer plus assumptions and escalations). */
  editContent: (update: (content: AnnotationContent) => AnnotationContent) => void;
  flush: () => Promise<void>;
  submit: () => Promise<boolean>;
  revise: () => Promise<void>;
  /** Refuses a submission the UI can already tell is incomplete (a rule the core leaves to the UI). */
  refuse: (problem: SubmitProblem) => void;
}

export const emptyCompareContent = (): AnnotationContent => ({
  answer: { kind: 'compare', preference: null, ranking: null, scores: {}, rationale: '' },
  assumptions: [],
  escalations: [],
  highlights: [],
});

export const emptyTrajectoryContent = (): AnnotationContent => ({
  answer: { kind: 'trajectory', steps: [], firstErrorStepId: null, outcome: null, scores: {}, rationale: '' },
  assumptions: [],
  escalations: [],
  highlights: [],
});

/** A new exemplar starts from the model's draft: the annotator corrects it rather than retyping it. */
export const emptyExemplarContent = (draft: string): AnnotationContent => ({
  answer: { kind: 'exemplar', corrected: draft, draftScores: {}, note: '', errorTypes: [], confirmedUnchanged: false, diffStats: null },
  assumptions: [],
  escalations: [],
  highlights: [],
});

function initialContent(view: TaskView): AnnotationContent | null {
  const c = view.annotation?.content;
  if (c && c.answer.kind === view.task.kind) return c;
  if (view.task.kind === 'trajectory') return emptyTrajectoryContent();
  if (view.task.kind === 'exemplar') return emptyExemplarContent(view.task.draft);
  return emptyCompareContent();
}

/** Submitted work (escalated is submitted with an escalation) is read-only until revised. */
export const isFinal = (status: TaskStatus): boolean => status === 'submitted' || status === 'escalated';

/** What a fresh tasks.open can change about a task shown from the prefetch cache. */
const viewSignature = (v: TaskView): string => JSON.stringify([v.bundleVersion, v.status, v.displayOrder, v.annotation, v.history]);

export type TaskStore = UseBoundStore<StoreApi<TaskState>>;

/** The annotator's own work, through the contract's annotation methods. */
export const annotationsBackend: TaskBackend = {
  own: true,
  open: (bundleId, taskId) => call('tasks.open', { bundleId, taskId }),
  saveDraft: (bundleId, taskId, content, activeMsDelta) => call('annotations.saveDraft', { bundleId, taskId, content, activeMsDelta }),
  submit: (bundleId, taskId, content, activeMsDelta) => call('annotations.submit', { bundleId, taskId, content, activeMsDelta }),
  revise: (bundleId, taskId) => call('annotations.revise', { bundleId, taskId }),
};

/**
 * One task's editing state: an instance per open task or answer, so the same views can show the
 * annotator's own work (editable) and someone else's (read-only) at once without sharing state.
 * Without a backend the store only shows what it was given (see viewOnlyTaskStore).
 */
export function createTaskStore(backend: TaskBackend | null): TaskStore {
  // Per store, not per module: two stores must never share a pending save.
  let timer: number | null = null;
  let inflight: Promise<void> | null = null;
  let dirty = false;
  /** The key of a task shown by show() whose view open() has not re-checked yet. */
  let unchecked: string | null = null;
  const own = backend?.own === true;
  const takeMs = (): number => (own ? takeActiveMs() : 0);
  const giveBackMs = (ms: number): void => {
    if (own) giveBackActiveMs(ms);
  };
  const startTime = (): void => {
    if (own) startActiveTime();
  };
  const forget = (bundleId: string, taskId: string): void => {
    if (own) forgetTask(bundleId, taskId);
  };
  function clearTimer(): void {
    if (timer !== null) window.clearTimeout(timer);
    timer = null;
  }

  return create<TaskState>((set, get) => {
    function schedule(ms: number): void {
      clearTimer();
      timer = window.setTimeout(() => {
        timer = null;
        void saveNow(false);
      }, ms);
    }

    /** Saves the current content as a draft; serialised so saves never overtake each other. */
    async function saveNow(timeOnly: boolean): Promise<void> {
      while (inflight) await inflight;
      const s = get();
      const { bundleId, taskId, content, key } = s;
      if (!backend || !bundleId || !taskId || !content || isFinal(s.status)) return;
      if (!dirty && !timeOnly) return;
      dirty = false;
      forget(bundleId, taskId);
      const delta = takeMs();
      set({ save: 'saving', saveError: null });
      inflight = (async () => {
        try {
          const annotation = await backend.saveDraft(bundleId, taskId, content, delta);
          if (get().key !== key) return;
          set({ save: dirty ? 'pending' : 'saved', status: 'draft', savedActiveMs: annotation.activeMs });
        } catch (error) {
          giveBackMs(delta);
          if (get().key !== key) return;
          dirty = true;
          set({ save: 'error', saveError: errorMessage(error) });
          if (error instanceof TransportError) schedule(RETRY_MS);
        } finally {
          inflight = null;
        }
      })();
      await inflight;
    }

    /**
     * A task shown from the prefetch cache, checked against a fresh tasks.open. Another window or
     * a sync may have changed it since it was fetched; the fresh view replaces it unless the
     * annotator has already started editing (their edits then save over it, as they would have
     * had they opened it a moment earlier).
     */
    async function revalidate(bundleId: string, taskId: string, key: string): Promise<void> {
      const shown = get().view;
      if (!backend) return;
      const view = await backend.open(bundleId, taskId);
      if (get().key !== key || !shown || get().view !== shown || dirty || get().save !== 'idle') return;
      if (viewSignature(view) === viewSignature(shown)) return;
      set({ view, status: view.status, content: initialContent(view), savedActiveMs: view.annotation?.activeMs ?? 0 });
    }

    async function refresh(bundleId: string, taskId: string, key: string): Promise<void> {
      if (!backend) return;
      const view = await backend.open(bundleId, taskId);
      if (get().key !== key) return;
      set({
        view,
        status: view.status,
        content: initialContent(view),
        savedActiveMs: view.annotation?.activeMs ?? 0,
      });
    }

    return {
      mode: backend ? 'edit' : 'view',
      key: null,
      bundleId: null,
      taskId: null,
      loading: false,
      loadError: null,
      view: null,
      bundle: null,
      content: null,
      status: 'todo',
      save: 'idle',
      saveError: null,
      savedActiveMs: 0,
      submitting: false,
      submitProblem: null,
      submitProblemSeq: 0,
      announcement: '',

      show: (view) => {
        const bundle = useBundles.getState().details[view.bundleId];
        if (!bundle || bundle.version !== view.bundleVersion) return false;
        const key = `${view.bundleId}\u0000${view.task.id}`;
        clearTimer();
        dirty = false;
        unchecked = key;
        set({
          key,
          bundleId: view.bundleId,
          taskId: view.task.id,
          loading: false,
          loadError: null,
          view,
          bundle,
          status: view.status,
          content: initialContent(view),
          savedActiveMs: view.annotation?.activeMs ?? 0,
          save: 'idle',
          saveError: null,
          submitProblem: null,
          submitting: false,
          announcement: '',
        });
        startTime();
        return true;
      },

      open: async (bundleId, taskId) => {
        const key = `${bundleId}\u0000${taskId}`;
        if (unchecked === key && get().key === key && get().view) {
          // Shown by show() in the same render as the route change: only re-check it.
          unchecked = null;
          if (own) prefetchNext(bundleId, get().view?.bundleVersion ?? 0, taskId);
          await revalidate(bundleId, taskId, key).catch(() => undefined);
          return;
        }
        unchecked = null;
        await get().flush();
        clearTimer();
        dirty = false;
        set({
          key,
          bundleId,
          taskId,
          loading: true,
          loadError: null,
          view: null,
          content: null,
          save: 'idle',
          saveError: null,
          submitProblem: null,
          // Missing fields turn red only after a refused submit of this task, not of an earlier one.
          submitProblemSeq: 0,
          submitting: false,
          announcement: '',
        });
        startTime();
        try {
          if (!backend) throw new Error('This work is shown read-only and cannot be opened for editing.');
          const [view, bundle] = await Promise.all([backend.open(bundleId, taskId), useBundles.getState().detail(bundleId)]);
          if (get().key !== key) return;
          set({
            view,
            bundle,
            loading: false,
            status: view.status,
            content: initialContent(view),
            savedActiveMs: view.annotation?.activeMs ?? 0,
          });
          if (own) prefetchNext(bundleId, view.bundleVersion, taskId);
        } catch (loadError) {
          if (get().key !== key) return;
          set({ loading: false, loadError });
        }
      },

      editCompare: (update) =>
        get().editContent((c) => (c.answer.kind === 'compare' ? { ...c, answer: update(c.answer) } : c)),

      editExemplar: (update) =>
        get().editContent((c) => (c.answer.kind === 'exemplar' ? { ...c, answer: update(c.answer) } : c)),

      editContent: (update) => {
        const s = get();
        if (!s.content || isFinal(s.status) || s.submitting) return;
        const content = update(s.content);
        if (content === s.content) return;
        dirty = true;
        // The core's refusal described the old content; the live checklist takes over from here.
        set({ content, save: 'pending', saveError: null, submitProblem: null });
        schedule(AUTOSAVE_MS);
      },

      flush: async () => {
        const hadTimer = timer !== null;
        clearTimer();
        if (dirty || hadTimer) {
          await saveNow(false);
          return;
        }
        const s = get();
        if (s.status === 'draft' && useActiveTime.getState().pendingMs >= TIME_ONLY_MIN_MS) await saveNow(true);
        else if (inflight) await inflight;
      },

      submit: async () => {
        const s = get();
        const { bundleId, taskId, content, key } = s;
        if (!backend || !bundleId || !taskId || !content || isFinal(s.status) || s.submitting) return false;
        clearTimer();
        while (inflight) await inflight;
        const delta = takeMs();
        forget(bundleId, taskId);
        set({ submitting: true });
        try {
          const annotation = await backend.submit(bundleId, taskId, content, delta);
          dirty = false;
          if (get().key !== key || !key) return false;
          set({
            submitting: false,
            submitProblem: null,
            status: content.escalations.length > 0 ? 'escalated' : 'submitted',
            save: 'idle',
            savedActiveMs: annotation.activeMs,
            announcement: `Submitted revision ${annotation.revision}.`,
          });
          await refresh(bundleId, taskId, key).catch(() => undefined);
          return true;
        } catch (error) {
          giveBackMs(delta);
          if (get().key !== key) return false;
          const problem: SubmitProblem =
            error instanceof ApiError
              ? { code: error.code, message: error.message, issues: error.issues ?? [] }
              : { code: 'transport', message: errorMessage(error), issues: [] };
          set((st) => ({ submitting: false, submitProblem: problem, submitProblemSeq: st.submitProblemSeq + 1 }));
          if (dirty) schedule(AUTOSAVE_MS);
          return false;
        }
      },

      refuse: (problem) => set((st) => ({ submitProblem: problem, submitProblemSeq: st.submitProblemSeq + 1 })),

      revise: async () => {
        const { bundleId, taskId, key, status } = get();
        if (!backend || !bundleId || !taskId || !key || !isFinal(status)) return;
        forget(bundleId, taskId);
        try {
          const annotation = await backend.revise(bundleId, taskId);
          if (get().key !== key) return;
          set({ announcement: `Revision ${annotation.revision} opened as a draft.`, submitProblem: null });
          await refresh(bundleId, taskId, key);
        } catch (error) {
          set((st) => ({
            submitProblem: { code: error instanceof ApiError ? error.code : 'transport', message: errorMessage(error), issues: [] },
            submitProblemSeq: st.submitProblemSeq + 1,
          }));
        }
      },
    };
  });
}

/** The annotator's own task: one store for the task screen, which moves from task to task. */
export const annotatorTask: TaskStore = createTaskStore(annotationsBackend);

/**
 * Someone else's work on a task, shown in the real task views and never editable: the views treat
 * it as submitted work, and the store has no backend to write to.
 */
export function viewOnlyTaskStore(view: TaskView, bundle: BundleDetail, content: AnnotationContent | null): TaskStore {
  const store = createTaskStore(null);
  store.setState({
    key: `${view.bundleId}\u0000${view.task.id}`,
    bundleId: view.bundleId,
    taskId: view.task.id,
    view,
    bundle,
    content: content ?? initialContent(view),
    status: isFinal(view.status) ? view.status : 'submitted',
    savedActiveMs: view.annotation?.activeMs ?? 0,
  });
  return store;
}

/** A store that edits the given content through its own backend (a reviewer's draft decision). */
export function editableTaskStore(backend: TaskBackend, view: TaskView, bundle: BundleDetail, content: AnnotationContent): TaskStore {
  const store = createTaskStore(backend);
  store.setState({
    key: `${view.bundleId}\u0000${view.task.id}`,
    bundleId: view.bundleId,
    taskId: view.task.id,
    view,
    bundle,
    content,
    status: 'draft',
  });
  return store;
}

const TaskStoreContext = createContext<TaskStore>(annotatorTask);

/** Gives the views under it one task store (the annotator's own, unless told otherwise). */
export function TaskStoreProvider({ store, children }: { store: TaskStore; children: ReactNode }) {
  return createElement(TaskStoreContext.Provider, { value: store }, children);
}

/** The task store of the views around this component, for reading state in event handlers. */
export function useTaskStore(): TaskStore {
  return useContext(TaskStoreContext);
}

/** A slice of the state of the task store around this component. */
export function useTask<T>(selector: (s: TaskState) => T): T {
  return useStore(useContext(TaskStoreContext), selector);
}

/** Last-chance saves when the page is hidden or closed. */
export function installPageFlush(): void {
  const flush = (): void => {
    void annotatorTask.getState().flush();
  };
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') flush();
  });
  window.addEventListener('pagehide', flush);
}

/** What every task view shows about saving and submitting, read as one shallow-compared slice. */
export function useSubmitState() {
  return useTask(
    useShallow((s) => ({
      status: s.status,
      submitting: s.submitting,
      problem: s.submitProblem,
      problemSeq: s.submitProblemSeq,
      announcement: s.announcement,
    })),
  );
}
