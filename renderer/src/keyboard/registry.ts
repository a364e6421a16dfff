/**
 * Every keyboard shortcut in the app, in one place. The key handlers and the `?` overlay both
 * read this list, so what the overlay documents is exactly what the keys do.
 *
 * Key syntax: `Mod` is Ctrl (or ⌘ on macOS), modifiers are joined with `+`, and a space
 * separates the keys of a sequence (`g b`).
 */
export type Scope = 'global' | 'bundles' | 'queue' | 'compare' | 'exemplar' | 'task' | 'trajectory' | 'review';

export interface Shortcut {
  readonly id: string;
  readonly keys: readonly string[];
  readonly description: string;
  readonly scope: Scope;
  /** Fires even while focus is in a text field (only submit and leave-field do). */
  readonly inTextField?: boolean;
  /** How the overlay shows a family of keys (e.g. `1 … 8`); defaults to listing `keys`. */
  readonly display?: string;
  /** Stands aside when focus is on a button, link or form control that handles the key itself. */
  readonly yieldToControls?: boolean;
}

export const SCOPE_LABELS: Record<Scope, string> = {
  global: 'Anywhere',
  bundles: 'Bundles',
  queue: 'Queue',
  task: 'Any task',
  compare: 'Compare task',
  trajectory: 'Trajectory task',
  review: 'Escalations and assumption search',
  exemplar: 'Exemplar task',
};

const RESPONSE_LETTERS = 'ABCDEFGH';
export const responseLetter = (index: number): string => RESPONSE_LETTERS[index] ?? String(index + 1);

export const SHORTCUTS = [
  { id: 'help', keys: ['?'], description: 'Show keyboard shortcuts', scope: 'global' },
  { id: 'goBundles', keys: ['g b'], description: 'Go to bundles', scope: 'global' },
  { id: 'leaveField', keys: ['Escape'], description: 'Leave the text field (focus stays on its section)', scope: 'global', inTextField: true },

  { id: 'bundles.down', keys: ['j', 'ArrowDown'], description: 'Select next bundle', scope: 'bundles' },
  { id: 'bundles.up', keys: ['k', 'ArrowUp'], description: 'Select previous bundle', scope: 'bundles' },
  { id: 'bundles.open', keys: ['Enter'], description: 'Open the selected bundle’s queue', scope: 'bundles', yieldToControls: true },

  { id: 'queue.down', keys: ['j', 'ArrowDown'], description: 'Select next task', scope: 'queue' },
  { id: 'queue.up', keys: ['k', 'ArrowUp'], description: 'Select previous task', scope: 'queue' },
  { id: 'queue.open', keys: ['Enter'], description: 'Open the selected task', scope: 'queue', yieldToControls: true },
  {
    id: 'queue.filter',
    keys: ['1', '2', '3', '4', '5'],
    display: '1 … 5',
    description: 'Filter: All, To do, Draft, Submitted, Escalated',
    scope: 'queue',
  },
  { id: 'queue.back', keys: ['Escape'], description: 'Back to bundles', scope: 'queue' },

  { id: 'task.prev', keys: ['['], description: 'Previous task', scope: 'task' },
  { id: 'task.next', keys: [']'], description: 'Next task', scope: 'task' },
  { id: 'task.nextTodo', keys: ['n'], description: 'Next task still to do', scope: 'task' },
  // Not Escape: Escape is how an expert leaves a field (often twice in a row); leaving the task on
  // the second press threw them out mid-judgement.
  { id: 'task.back', keys: ['g q'], description: 'Back to the queue', scope: 'task' },

  {
    id: 'compare.pick',
    keys: ['1', '2', '3', '4', '5', '6', '7', '8'],
    display: '1 … 8',
    description: 'Prefer Response A, B, C … (1 = A, 2 = B, …)',
    scope: 'compare',
  },
  { id: 'compare.tie', keys: ['t'], description: 'Tie', scope: 'compare' },
  { id: 'compare.unacceptable', keys: ['x'], description: 'Both (all) unacceptable', scope: 'compare' },
  { id: 'compare.cannotJudge', keys: ['c'], description: 'Cannot judge', scope: 'compare' },
  {
    id: 'compare.strength',
    keys: ['Shift+1', 'Shift+2', 'Shift+3'],
    display: 'Shift+1 … 3',
    description: 'Strength: slightly / clearly / much better',
    scope: 'compare',
  },
  { id: 'compare.scores', keys: ['s'], description: 'Jump to the first missing score (then Tab and arrow keys)', scope: 'compare' },
  { id: 'compare.rationale', keys: ['r'], description: 'Write the rationale', scope: 'compare' },
  { id: 'compare.submit', keys: ['Mod+Enter'], description: 'Submit', scope: 'compare', inTextField: true },
  { id: 'compare.revise', keys: ['e'], description: 'Revise a submitted annotation', scope: 'compare' },

  // Assumptions and escalations belong to every task kind. Shifted letters keep clear of the
  // single-key shortcuts of the kind views (compare uses e, 1–8 and Shift+1–3).
  { id: 'task.addAssumption', keys: ['Shift+A'], description: 'Add an assumption (on the current step or highlighted text, if any)', scope: 'task' },
  { id: 'task.addEscalation', keys: ['Shift+E'], description: 'Add an escalation for a reviewer', scope: 'task' },

  { id: 'trajectory.next', keys: ['j'], description: 'Next step', scope: 'trajectory' },
  { id: 'trajectory.prev', keys: ['k'], description: 'Previous step', scope: 'trajectory' },
  {
    id: 'trajectory.verdict',
    keys: ['1', '2', '3', '4'],
    display: '1 … 4',
    description: 'Verdict of the current step: 1 good (moves on), 2 error, 3 unnecessary, 4 unsafe',
    scope: 'trajectory',
  },
  { id: 'trajectory.clear', keys: ['0'], description: 'Clear the verdict of the current step', scope: 'trajectory' },
  { id: 'trajectory.unlabelled', keys: ['u'], description: 'Jump to the first step without a verdict', scope: 'trajectory' },
  { id: 'trajectory.firstError', keys: ['f'], description: 'Mark the current step as the first error (again to unmark)', scope: 'trajectory' },
  { id: 'trajectory.acceptFirstError', keys: ['Shift+F'], description: 'Accept the proposed first error (earliest step marked error)', scope: 'trajectory' },
  { id: 'trajectory.errorTypes', keys: ['y'], description: 'Go to the error types of the current step (Space toggles)', scope: 'trajectory' },
  { id: 'trajectory.note', keys: ['m'], description: 'Write a note on the current step', scope: 'trajectory' },
  { id: 'trajectory.correct', keys: ['w'], description: 'Write the corrected step (what the agent should have done)', scope: 'trajectory' },
  { id: 'trajectory.fold', keys: ['o'], description: 'Unfold or fold the current step’s arguments and long output', scope: 'trajectory' },
  {
    id: 'trajectory.outcome',
    keys: ['Shift+1', 'Shift+2', 'Shift+3'],
    display: 'Shift+1 … 3',
    description: 'Outcome of the run: success / partial / failure',
    scope: 'trajectory',
  },
  { id: 'trajectory.scores', keys: ['s'], description: 'Jump to the rubric scores of the run', scope: 'trajectory' },
  { id: 'trajectory.rationale', keys: ['r'], description: 'Write the rationale', scope: 'trajectory' },
  { id: 'trajectory.submit', keys: ['Mod+Enter'], description: 'Submit', scope: 'trajectory', inTextField: true },
  { id: 'trajectory.revise', keys: ['e'], description: 'Revise a submitted annotation', scope: 'trajectory' },

  { id: 'review.down', keys: ['j', 'ArrowDown'], description: 'Select next row', scope: 'review' },
  { id: 'review.up', keys: ['k', 'ArrowUp'], description: 'Select previous row', scope: 'review' },
  { id: 'review.open', keys: ['Enter'], description: 'Open the selected task', scope: 'review', yieldToControls: true },
  { id: 'review.search', keys: ['/'], description: 'Search assumptions', scope: 'review' },
  { id: 'goEscalations', keys: ['g e'], description: 'Go to the escalation queue (reviewers)', scope: 'global' },
  { id: 'compare.rank', keys: ['g r'], description: 'Go to the ranking (then Alt+↑/↓ moves, = ties with the one above)', scope: 'compare' },
  { id: 'compare.rankUp', keys: ['Alt+ArrowUp'], description: 'Ranking: move the focused response up', scope: 'compare' },
  { id: 'compare.rankDown', keys: ['Alt+ArrowDown'], description: 'Ranking: move the focused response down', scope: 'compare' },
  { id: 'compare.rankTie', keys: ['='], description: 'Ranking: tie the focused response with the one above (again to untie)', scope: 'compare' },
  { id: 'compare.layout', keys: ['l'], description: 'Switch between grid and tabs (4 or more responses)', scope: 'compare' },
  { id: 'compare.syncScroll', keys: ['Shift+L'], description: 'Link scrolling: turn synchronised scrolling on or off', scope: 'compare' },
  { id: 'compare.highlight', keys: ['h'], description: 'Highlight the selected text (note, error type, assumption); without a selection, type the quote', scope: 'compare' },
  { id: 'compare.guidelines', keys: ['g g'], description: 'Open the guidelines at the current criterion', scope: 'compare' },

  { id: 'exemplar.editor', keys: ['w'], description: 'Write: focus the corrected response', scope: 'exemplar' },
  { id: 'exemplar.preview', keys: ['p'], description: 'Switch between the diff and a rendered preview', scope: 'exemplar' },
  { id: 'exemplar.undo', keys: ['Mod+z'], description: 'Undo an edit of the correction (in the editor too)', scope: 'exemplar' },
  { id: 'exemplar.redo', keys: ['Mod+Shift+z', 'Mod+y'], description: 'Redo an edit of the correction (in the editor too)', scope: 'exemplar' },
  { id: 'exemplar.note', keys: ['m'], description: 'Write a note on what was wrong', scope: 'exemplar' },
  { id: 'exemplar.errors', keys: ['y'], description: 'Go to the error types (Space toggles)', scope: 'exemplar' },
  { id: 'exemplar.scores', keys: ['s'], description: 'Go to the draft scores (optional)', scope: 'exemplar' },
  { id: 'exemplar.confirm', keys: ['Shift+U'], description: 'Confirm the draft needs no change (only when unchanged)', scope: 'exemplar' },
  { id: 'exemplar.guidelines', keys: ['g g'], description: 'Open the guidelines (writing exemplars)', scope: 'exemplar' },
  { id: 'exemplar.submit', keys: ['Mod+Enter'], description: 'Submit', scope: 'exemplar', inTextField: true },
  { id: 'exemplar.revise', keys: ['e'], description: 'Revise a submitted annotation', scope: 'exemplar' },
] as const satisfies readonly Shortcut[];

export type ShortcutId = (typeof SHORTCUTS)[number]['id'];

const byId = new Map<string, Shortcut>(SHORTCUTS.map((s) => [s.id, s]));

export function shortcut(id: ShortcutId): Shortcut {
  const s = byId.get(id);
  if (!s) throw new Error(`unknown shortcut ${id}`);
  return s;
}

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** Human form of one key combination, e.g. `Ctrl+Enter` or `⌘Enter`. */
export function formatKeys(keys: string): string {
  return keys
    .split(' ')
    .map((combo) =>
      combo
        .split('+')
        .map((part) => {
          if (part === 'Mod') return isMac ? '⌘' : 'Ctrl';
          if (part === 'ArrowDown') return '↓';
          if (part === 'ArrowUp') return '↑';
          if (part === 'Escape') return 'Esc';
          return part;
        })
        .join(isMac ? '' : '+'),
    )
    .join(' then ');
}

/** The text for a control's tooltip, e.g. `Submit (Ctrl+Enter)`; `key` picks one key of a family. */
export function hint(id: ShortcutId, label?: string, key?: string): string {
  const s = shortcut(id);
  const keys = key !== undefined ? formatKeys(key) : s.display ?? s.keys.map(formatKeys).join(' or ');
  return `${label ?? s.description} (${keys})`;
}

/** Which member of a key family an event matched: 1 for `1`/`Shift+1`, etc. (digits only). */
export function digitOf(event: { code: string; key: string }): number | null {
  const m = /^(?:Digit|Numpad)([0-9])$/.exec(event.code) ?? /^([0-9])$/.exec(event.key);
  return m?.[1] ? Number(m[1]) : null;
}

