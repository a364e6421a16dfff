import { create } from 'zustand';

/**
 * Active time on the open task: counted only while the window has focus and the user acted
 * (key, pointer, wheel, input) within the last minute. The accumulated milliseconds ride along
 * with the next save or submit as `activeMsDelta`, then the accumulator starts again.
 */
const IDLE_AFTER_MS = 60_000;
const TICK_MS = 1_000;
/** The contract caps one delta at ten minutes. */
export const MAX_DELTA_MS = 10 * 60 * 1000;

interface ActiveTimeState {
  pendingMs: number;
}

export const useActiveTime = create<ActiveTimeState>(() => ({ pendingMs: 0 }));

let lastActivity = 0;
let lastTick = 0;
let timer: number | null = null;

const markActive = (): void => {
  lastActivity = Date.now();
};

const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'input'] as const;

function tick(): void {
  const now = Date.now();
  const elapsed = Math.min(now - lastTick, TICK_MS * 5);
  lastTick = now;
  if (document.hasFocus() && document.visibilityState === 'visible' && now - lastActivity <= IDLE_AFTER_MS) {
    useActiveTime.setState((s) => ({ pendingMs: s.pendingMs + elapsed }));
  }
}

/** Starts counting for a freshly opened task (the previous task's time must be taken first). */
export function startActiveTime(): void {
  useActiveTime.setState({ pendingMs: 0 });
  lastActivity = Date.now();
  lastTick = Date.now();
  if (timer !== null) return;
  for (const e of ACTIVITY_EVENTS) window.addEventListener(e, markActive, { passive: true, capture: true });
  timer = window.setInterval(tick, TICK_MS);
}

export function stopActiveTime(): void {
  if (timer !== null) window.clearInterval(timer);
  timer = null;
  for (const e of ACTIVITY_EVENTS) window.removeEventListener(e, markActive, { capture: true });
}

/** Takes the accumulated time (at most the contract's cap) to send with a save or submit. */
export function takeActiveMs(): number {
  const pending = useActiveTime.getState().pendingMs;
  const taken = Math.min(Math.floor(pending), MAX_DELTA_MS);
  useActiveTime.setState({ pendingMs: pending - taken });
  return taken;
}

/** Puts time back when the call that carried it failed. */
export function giveBackActiveMs(ms: number): void {
  if (ms > 0) useActiveTime.setState((s) => ({ pendingMs: s.pendingMs + ms }));
}

export function formatDuration(ms: number): string {
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}
