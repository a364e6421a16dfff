import { create } from 'zustand';

/** Where the user is. Setup is not a route: it shows whenever the workstation has no identity. */
export type Route =
  | { name: 'bundles' }
  | { name: 'queue'; bundleId: string }
  | { name: 'task'; bundleId: string; taskId: string }
  | { name: 'escalations' }
  | { name: 'flagged' }
  | { name: 'sync' }
  | { name: 'admin' }
  | { name: 'export' }
  | { name: 'assumptions'; bundleId: string }
  | { name: 'review' }
  /** One annotator's submitted work on a task, read-only (the reviewer's view of it). */
  | { name: 'work'; bundleId: string; taskId: string; annotatorId: string }
  | { name: 'adjudicate'; bundleId: string; taskId: string }
  | { name: 'dashboard' };

export function routeToHash(route: Route): string {
  switch (route.name) {
    case 'bundles':
      return '#/';
    case 'queue':
      return `#/b/${encodeURIComponent(route.bundleId)}`;
    case 'task':
      return `#/b/${encodeURIComponent(route.bundleId)}/t/${encodeURIComponent(route.taskId)}`;
    case 'escalations':
      return '#/escalations';
    case 'flagged':
      return '#/flagged';
    case 'sync':
      return '#/sync';
    case 'admin':
      return '#/admin';
    case 'export':
      return '#/export';
    case 'assumptions':
      return `#/b/${encodeURIComponent(route.bundleId)}/assumptions`;
    case 'review':
      return '#/review';
    case 'work':
      return `#/b/${encodeURIComponent(route.bundleId)}/t/${encodeURIComponent(route.taskId)}/by/${encodeURIComponent(route.annotatorId)}`;
    case 'adjudicate':
      return `#/b/${encodeURIComponent(route.bundleId)}/t/${encodeURIComponent(route.taskId)}/adjudicate`;
    case 'dashboard':
      return '#/dashboard';
  }
}

export function hashToRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(safeDecode);
  if (parts[0] === 'escalations') return { name: 'escalations' };
  if (parts[0] === 'flagged') return { name: 'flagged' };
  if (parts[0] === 'sync') return { name: 'sync' };
  if (parts[0] === 'admin') return { name: 'admin' };
  if (parts[0] === 'review') return { name: 'review' };
  if (parts[0] === 'export') return { name: 'export' };
  if (parts[0] === 'dashboard') return { name: 'dashboard' };
  if (parts[0] === 'b' && parts[1]) {
    if (parts[2] === 'assumptions') return { name: 'assumptions', bundleId: parts[1] };
    if (parts[2] === 't' && parts[3] && parts[4] === 'by' && parts[5]) return { name: 'work', bundleId: parts[1], taskId: parts[3], annotatorId: parts[5] };
    if (parts[2] === 't' && parts[3] && parts[4] === 'adjudicate') return { name: 'adjudicate', bundleId: parts[1], taskId: parts[3] };
    if (parts[2] === 't' && parts[3]) return { name: 'task', bundleId: parts[1], taskId: parts[3] };
    return { name: 'queue', bundleId: parts[1] };
  }
  return { name: 'bundles' };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

type LeaveGuard = () => Promise<void>;
const leaveGuards = new Set<LeaveGuard>();

/** Work that must finish before the screen changes (e.g. the last autosave). */
export function addLeaveGuard(guard: LeaveGuard): () => void {
  leaveGuards.add(guard);
  return () => leaveGuards.delete(guard);
}

async function runLeaveGuards(): Promise<void> {
  await Promise.allSettled([...leaveGuards].map((g) => g()));
}

interface NavigateOptions {
  replace?: boolean;
  /**
   * Runs after the leave guards and right before the route changes, in the same tick, so store
   * updates it makes render together with the new route (e.g. an already fetched task).
   */
  prepare?: () => void;
}

interface RouterState {
  route: Route;
  /** Bumped by "Retry" so the current screen loads again. */
  reloadKey: number;
  navigate: (route: Route, options?: NavigateOptions) => Promise<void>;
  reload: () => void;
}

export const useRouter = create<RouterState>((set) => ({
  route: { name: 'bundles' },
  reloadKey: 0,
  navigate: async (route, options) => {
    await runLeaveGuards();
    options?.prepare?.();
    const hash = routeToHash(route);
    if (window.location.hash !== hash) {
      if (options?.replace) window.history.replaceState(null, '', hash);
      else window.history.pushState(null, '', hash);
    }
    set({ route });
  },
  reload: () => set((s) => ({ reloadKey: s.reloadKey + 1 })),
}));

/** Reads the route from the address bar (after the token was taken out) and follows back/forward. */
export function startRouter(): void {
  useRouter.setState({ route: hashToRoute(window.location.hash) });
  window.addEventListener('popstate', () => {
    void runLeaveGuards().then(() => useRouter.setState({ route: hashToRoute(window.location.hash) }));
  });
}

export const navigate = (route: Route, options?: NavigateOptions): Promise<void> => useRouter.getState().navigate(route, options);
