import { describe, expect, it } from 'vitest';
import { SHORTCUTS, type Scope, type Shortcut } from '../../../renderer/src/keyboard/registry.ts';

const all = SHORTCUTS as readonly Shortcut[];

/**
 * What each key that several screens bind means, in one word the descriptions must carry. A key
 * shared by two screens with two meanings (`t` was "tie" on compare and "error types" on a
 * trajectory) fails here; a new shared key needs its meaning added.
 */
const MEANING: Record<string, RegExp> = {
  j: /next/i,
  k: /previous/i,
  ArrowDown: /next/i,
  ArrowUp: /previous/i,
  Enter: /open/i,
  Escape: /leave|back/i,
  s: /score/i,
  r: /rationale/i,
  e: /revise/i,
  w: /write/i,
  m: /note/i,
  y: /error types/i,
  'g g': /guidelines/i,
  'Mod+Enter': /submit/i,
  // Digits choose the n-th of the screen's main choice (filter, response, verdict).
  ...Object.fromEntries(['1', '2', '3', '4', '5'].map((d) => [d, /filter|prefer|verdict/i])),
  ...Object.fromEntries(['Shift+1', 'Shift+2', 'Shift+3'].map((d) => [d, /strength|outcome/i])),
};

/** Screens that are never on show together; the task kinds each add to "Any task". */
const SCREENS: Scope[][] = [['bundles'], ['queue'], ['review'], ['task', 'compare'], ['task', 'exemplar'], ['task', 'trajectory']];

describe('the shortcut registry', () => {
  it('gives a key the same meaning on every screen that binds it', () => {
    const scopesOf = new Map<string, Set<Scope>>();
    for (const s of all) for (const k of s.keys) scopesOf.set(k, (scopesOf.get(k) ?? new Set()).add(s.scope));
    const shared = [...scopesOf].filter(([, scopes]) => scopes.size > 1).map(([k]) => k);
    expect(shared.filter((k) => !(k in MEANING))).toEqual([]);
    for (const k of shared) {
      const wrong = all.filter((s) => s.keys.includes(k) && !MEANING[k]?.test(s.description)).map((s) => `${k}: ${s.id} “${s.description}”`);
      expect(wrong).toEqual([]);
    }
  });

  it('binds no key twice on one screen', () => {
    for (const screen of SCREENS) {
      const scopes = new Set<Scope>(['global', ...screen]);
      const seen = new Map<string, string>();
      for (const s of all.filter((x) => scopes.has(x.scope))) {
        for (const k of s.keys) {
          // Escape in a text field (leave it) and Escape on a list screen (go back) never meet.
          if (k === 'Escape' && (s.id === 'leaveField' || seen.get(k) === 'leaveField')) continue;
          expect(seen.get(k), `${k} on ${screen.join('+')}`).toBeUndefined();
          seen.set(k, s.id);
        }
      }
    }
  });

  it('never leaves a task on Escape', () => {
    expect(all.filter((s) => (s.scope === 'task' || s.scope === 'compare' || s.scope === 'exemplar' || s.scope === 'trajectory') && s.keys.includes('Escape'))).toEqual([]);
  });
});
