import type { Adjudication, Annotation } from '../domain/index.ts';

/**
 * Which adjudication decides a task, and whether it still does. Pure, shared by the
 * workstation's read model, its review index and the server's export.
 */

/** Revision order; two reviewers who decided the same revision offline are ordered by time, then id. */
export function byRevision(a: Pick<Adjudication, 'revision' | 'createdAt' | 'id'>, b: Pick<Adjudication, 'revision' | 'createdAt' | 'id'>): number {
  return a.revision - b.revision || a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
}

/** The latest decision on the task's current content, or null. One on other content never decides. */
export function latestAdjudication<T extends Pick<Adjudication, 'revision' | 'createdAt' | 'id' | 'taskHash'>>(all: readonly T[], taskHash: string): T | null {
  let best: T | null = null;
  for (const a of all) if (a.taskHash === taskHash && (best === null || byRevision(a, best) > 0)) best = a;
  return best;
}

/**
 * A decision is stale once the work it decided is no longer all the work: an annotator
 * submitted after it (new work or a revision) on the same content.
 */
export function isStale(adjudication: Pick<Adjudication, 'basedOn'>, latest: readonly Pick<Annotation, 'id'>[]): boolean {
  const based = new Set(adjudication.basedOn);
  return latest.some((a) => !based.has(a.id));
}

/** The escalations still open: raised on the latest revisions and not resolved by the decision in force. */
export function openEscalations(latest: readonly Pick<Annotation, 'id' | 'content'>[], decision: Pick<Adjudication, 'resolvesEscalations'> | null): { open: number; resolved: number } {
  const resolved = new Set((decision?.resolvesEscalations ?? []).map((r) => `${r.annotationId}\u0000${r.escalationId}`));
  let open = 0;
  let done = 0;
  for (const a of latest) {
    for (const e of a.content.escalations) {
      if (resolved.has(`${a.id}\u0000${e.id}`)) done++;
      else open++;
    }
  }
  return { open, resolved: done };
}
