/**
 * Focus moves the workspace makes on the expert's behalf. Two rules keep them from recording
 * what the expert did not mean:
 *
 * - A deferred move (made once React has rendered) never takes focus from where the expert has
 *   put it meanwhile: under load the browser runs input before timers, so a key typed after a
 *   ranking change could land before the move, and the move then pulled focus out of the
 *   rationale mid-sentence.
 * - Leaving a text field (Escape) puts focus on the field's container, never on <body>, so the
 *   expert stays where they were and Tab carries on from there.
 */

/** Whether focus is nowhere in particular: on the page itself, or on an element that went away. */
function focusIsLost(el: Element | null): boolean {
  return el === null || el === document.body || el === document.documentElement || !el.isConnected;
}

/**
 * Focuses `target()` after the current render, unless focus has meanwhile moved somewhere else
 * on purpose. Focus still where it was when the move was asked for, or lost (the focused element
 * was re-rendered away), counts as "not moved".
 */
export function deferFocus(target: () => HTMLElement | null | undefined, options?: FocusOptions): void {
  const before = document.activeElement;
  window.setTimeout(() => {
    const now = document.activeElement;
    if (now !== before && !focusIsLost(now)) return;
    target()?.focus(options);
  }, 0);
}

/** The element to put focus back on later: what has focus now, or null when focus is nowhere. */
export function focusedElement(): HTMLElement | null {
  const el = document.activeElement;
  return el instanceof HTMLElement && !focusIsLost(el) ? el : null;
}

/** Containers a field's focus steps out to, nearest first. */
const CONTAINERS = '.field, fieldset, form, [role="group"], [role="region"], section, aside, main';

/**
 * Moves focus from a text field to its container (made focusable by script only, tabindex -1),
 * so single-key shortcuts work again and Tab goes back into the field.
 */
export function leaveField(field: HTMLElement): void {
  const box = field.parentElement?.closest<HTMLElement>(CONTAINERS) ?? null;
  if (!box) {
    field.blur();
    return;
  }
  if (!box.hasAttribute('tabindex')) box.setAttribute('tabindex', '-1');
  box.focus({ preventScroll: true });
}
