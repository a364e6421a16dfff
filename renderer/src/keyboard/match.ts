/** Matching a keyboard event against one combination of the registry's key syntax. */

export interface KeyLike {
  key: string;
  code: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

/** Keys whose character already implies Shift on common layouts; Shift is not checked for them. */
const SHIFTED_SYMBOLS = new Set(['?', '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '{', '}', '|', ':', '"', '<', '>', '~', '+', '_']);

export function matchCombo(event: KeyLike, combo: string): boolean {
  const parts = combo.split('+');
  const key = parts[parts.length - 1] ?? '';
  const mods = new Set(parts.slice(0, -1));
  const wantMod = mods.has('Mod');
  const wantShift = mods.has('Shift');
  const wantAlt = mods.has('Alt');
  const hasMod = event.ctrlKey || event.metaKey;
  if (wantMod !== hasMod) return false;
  if (wantAlt !== event.altKey) return false;
  if (SHIFTED_SYMBOLS.has(key)) return event.key === key;
  if (wantShift !== event.shiftKey) return false;
  if (/^[0-9]$/.test(key)) return event.code === `Digit${key}` || event.code === `Numpad${key}` || (!wantShift && event.key === key);
  if (key.length === 1) return event.key.toLowerCase() === key.toLowerCase();
  return event.key === key;
}

export function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !['radio', 'checkbox', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(target.type);
  }
  return false;
}

/** Focus is on something that reacts to Enter/Space/arrows itself. */
export function isInteractive(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.closest('button, a[href], input, select, textarea, [role="tab"], [role="radio"], summary') !== null;
}
