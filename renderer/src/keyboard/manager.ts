import { useEffect, useLayoutEffect, useRef } from 'react';
import { SHORTCUTS, type Shortcut, type ShortcutId } from './registry.ts';
import { isInteractive, isTextField, matchCombo } from './match.ts';

/** A handler may return false to say "not mine this time", letting other shortcuts have the key. */
type Handler = (event: KeyboardEvent) => boolean | void;
type Handlers = Partial<Record<ShortcutId, Handler>>;

/** Handler sets registered by mounted screens; the most recently mounted wins on conflicts. */
const layers: Array<{ current: Handlers }> = [];
let suspended = 0;
let pending: { prefix: string; at: number } | null = null;
const SEQUENCE_MS = 1200;

/** While a modal dialog is open, screen shortcuts stand aside (the dialog handles its own keys). */
export function suspendShortcuts(): () => void {
  suspended += 1;
  return () => {
    suspended -= 1;
  };
}

function handlerFor(id: ShortcutId): Handler | undefined {
  for (let i = layers.length - 1; i >= 0; i -= 1) {
    const h = layers[i]?.current[id];
    if (h) return h;
  }
  return undefined;
}

function allowed(s: Shortcut, event: KeyboardEvent): boolean {
  if (isTextField(event.target) && !s.inTextField) return false;
  if (s.yieldToControls && isInteractive(event.target)) return false;
  return true;
}

function onKeyDown(event: KeyboardEvent): void {
  if (event.defaultPrevented || suspended > 0 || event.isComposing) return;
  if (['Shift', 'Control', 'Meta', 'Alt'].includes(event.key)) return;
  const now = Date.now();
  const prefix = pending && now - pending.at < SEQUENCE_MS ? pending.prefix : null;
  pending = null;

  // Second key of a sequence such as `g b`.
  if (prefix) {
    for (const s of SHORTCUTS as readonly Shortcut[]) {
      for (const keys of s.keys) {
        const [first, second, ...rest] = keys.split(' ');
        if (rest.length || !second || first !== prefix) continue;
        const h = handlerFor(s.id as ShortcutId);
        if (h && allowed(s, event) && matchCombo(event, second) && h(event) !== false) {
          event.preventDefault();
          return;
        }
      }
    }
  }

  for (const s of SHORTCUTS as readonly Shortcut[]) {
    for (const keys of s.keys) {
      if (keys.includes(' ')) continue;
      const h = handlerFor(s.id as ShortcutId);
      if (h && allowed(s, event) && matchCombo(event, keys) && h(event) !== false) {
        event.preventDefault();
        return;
      }
    }
  }

  // First key of a sequence: remember it briefly.
  if (isTextField(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
  for (const s of SHORTCUTS as readonly Shortcut[]) {
    for (const keys of s.keys) {
      const [first, second] = keys.split(' ');
      if (second && first && matchCombo(event, first) && handlerFor(s.id as ShortcutId)) {
        pending = { prefix: first, at: now };
        return;
      }
    }
  }
}

/** The shortcuts some mounted screen handles right now: what the current screen offers. */
export function boundShortcutIds(): ReadonlySet<ShortcutId> {
  const ids = new Set<ShortcutId>();
  for (const layer of layers) for (const id of Object.keys(layer.current)) ids.add(id as ShortcutId);
  return ids;
}

let installed = false;
function install(): void {
  if (installed) return;
  installed = true;
  window.addEventListener('keydown', onKeyDown);
}

/** Binds handlers to registry shortcuts while the calling component is mounted. */
export function useShortcuts(handlers: Handlers, enabled = true): void {
  const ref = useRef<Handlers>(handlers);
  useLayoutEffect(() => {
    ref.current = handlers;
  });
  useEffect(() => {
    if (!enabled) return;
    install();
    const layer = { get current() { return ref.current; } };
    layers.push(layer);
    return () => {
      const i = layers.indexOf(layer);
      if (i >= 0) layers.splice(i, 1);
    };
  }, [enabled]);
}
