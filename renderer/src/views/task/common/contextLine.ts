import type { Message } from '../../../../../shared/domain/index.ts';

/**
 * The context collapsed to one line: the expert's question (the last user message), as plain
 * text, so "what was asked" stays in view while the responses take the screen.
 */
export function contextLine(messages: readonly Message[]): string {
  const asked = [...messages].reverse().find((m) => m.role === 'user') ?? messages[messages.length - 1];
  if (!asked) return '';
  return asked.content
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`>#|~]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const KEY = 'casebook.context.collapsed';

/** The expert's own choice (collapsed or not), remembered on this workstation; null until they make one. */
export function loadCollapsed(): boolean | null {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'true' ? true : v === 'false' ? false : null;
  } catch {
    return null;
  }
}

export function saveCollapsed(collapsed: boolean): void {
  try {
    localStorage.setItem(KEY, String(collapsed));
  } catch {
    // Storage may be unavailable: the choice then lasts for this task only.
  }
}

/** Short screens (the 1280×720 compact layout) start collapsed, as do four or more responses. */
export function defaultCollapsed(viewportHeight: number, responses: number): boolean {
  return viewportHeight <= 760 || responses >= 4;
}
