import type { TaskView } from '../../../../../shared/contract/index.ts';
import type { Scope } from '../../../../../shared/domain/index.ts';
import { responseLetter } from '../../../keyboard/registry.ts';
import { stepText } from '../trajectory/trajectoryRules.ts';

export type PublicTask = TaskView['task'];

/**
 * Span scopes name a target text and UTF-16 offsets into it, as shipped in the bundle:
 *   `response:<id>`  a compare response's content
 *   `context:<n>`    the n-th (0-based) context message's content
 *   `draft`          an exemplar's model draft
 *   `goal`           a trajectory's goal
 *   `step:<id>`      a trajectory step's content; for a tool call, the JSON
 *                    `{"tool","arguments"}` indented by two spaces (what the timeline shows)
 */
export function spanTargets(task: PublicTask): Array<{ target: string; text: string }> {
  const out: Array<{ target: string; text: string }> = [];
  const context = task.kind === 'trajectory' ? (task.context ?? []) : task.context;
  context.forEach((m, i) => out.push({ target: `context:${i}`, text: m.content }));
  if (task.kind === 'compare') task.responses.forEach((r) => out.push({ target: `response:${r.id}`, text: r.content }));
  if (task.kind === 'exemplar') out.push({ target: 'draft', text: task.draft });
  if (task.kind === 'trajectory') {
    out.push({ target: 'goal', text: task.goal });
    task.steps.forEach((s) => out.push({ target: `step:${s.id}`, text: stepText(s) }));
  }
  return out;
}

export type SpanScope = Extract<Scope, { type: 'span' }>;

/**
 * The highlighted text as a span scope, or null. The rendered text (Markdown, folded JSON) is
 * not the source, so the quote is looked up in the source texts: first in the target whose
 * element holds the selection (`data-span-target`), then in any target of the task.
 */
export function spanFromSelection(task: PublicTask): SpanScope | null {
  const sel = typeof window === 'undefined' ? null : window.getSelection();
  if (!sel || sel.isCollapsed || sel.rangeCount === 0) return null;
  const quote = sel.toString().trim();
  if (quote.length === 0 || quote.length > 2000) return null;
  const node = sel.anchorNode;
  const el = node instanceof Element ? node : (node?.parentElement ?? null);
  const hinted = el?.closest('[data-span-target]')?.getAttribute('data-span-target') ?? null;
  // Without a hint, what the model produced is the likelier thing to have been highlighted than the prompt.
  const rank = (t: { target: string }): number => (t.target === hinted ? 0 : t.target === 'goal' || t.target.startsWith('context:') ? 2 : 1);
  const ordered = spanTargets(task).sort((a, b) => rank(a) - rank(b));
  for (const t of ordered) {
    const start = t.text.indexOf(quote);
    if (start >= 0) return { type: 'span', target: t.target, start, end: start + quote.length, quote };
  }
  return null;
}

const shorten = (s: string, n = 60): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** A scope in words: "Whole task", "Step 7", "Response B", "“quoted text” in step 7". */
export function describeScope(scope: Scope, task: PublicTask, displayOrder: readonly string[]): string {
  switch (scope.type) {
    case 'task':
      return 'Whole task';
    case 'response': {
      const i = displayOrder.indexOf(scope.responseId);
      return i >= 0 ? `Response ${responseLetter(i)}` : `Response ${scope.responseId}`;
    }
    case 'step':
      return stepName(task, scope.stepId);
    case 'span':
      return `“${shorten(scope.quote)}” in ${targetName(scope.target, task, displayOrder)}`;
  }
}

function stepName(task: PublicTask, stepId: string): string {
  const i = task.kind === 'trajectory' ? task.steps.findIndex((s) => s.id === stepId) : -1;
  return i >= 0 ? `Step ${i + 1}` : `Step ${stepId}`;
}

function targetName(target: string, task: PublicTask, displayOrder: readonly string[]): string {
  const [kind, ...rest] = target.split(':');
  const id = rest.join(':');
  if (kind === 'response') return describeScope({ type: 'response', responseId: id }, task, displayOrder);
  if (kind === 'step') return stepName(task, id).toLowerCase();
  if (kind === 'context') return `context message ${Number(id) + 1}`;
  if (kind === 'draft') return 'the draft';
  if (kind === 'goal') return 'the goal';
  return target;
}

/** A fresh id for an assumption or escalation; unique within the annotation is all that is needed. */
export function newId(prefix: string): string {
  const rnd = typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  return `${prefix}-${rnd}`;
}
