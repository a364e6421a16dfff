/**
 * Bundle assignment: bundle.json may name the annotators (`assignment.annotators`) and how many
 * of them each task needs (`assignment.perTask`). A workstation's annotator is matched to a
 * name by their display name as entered at setup, compared after Unicode NFKC normalisation,
 * trimming, collapsing inner white space and ignoring case ("  Dr  Ada LOVELACE" = "dr ada lovelace").
 */
export function annotatorKey(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * Which annotators (indexes into the named list) a task at `position` (0-based, bundle order)
 * goes to: `perTask` consecutive names starting at position × perTask, wrapping round. Every
 * task gets `perTask` distinct annotators (when perTask ≤ names) and the load is balanced to
 * within one task.
 */
export function assigneesOf(position: number, perTask: number, count: number): number[] {
  const k = Math.min(perTask, count);
  return Array.from({ length: k }, (_, j) => (position * k + j) % count);
}
