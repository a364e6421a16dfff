import type { Database } from 'better-sqlite3';

/**
 * Computed insight kept per store revision: the dashboard asks for the same report each time
 * a reviewer opens it, and computing it means reading every unit and bootstrapping every
 * figure (seconds on a few hundred tasks). The revision changes with every row written
 * through this connection (SQLite's total_changes) or committed by another one (data_version),
 * so work that arrives (received batches, submissions, adjudications, imports) invalidates
 * every entry without each writer having to say so.
 */
export function storeRevision(db: Database): string {
  const changes = (db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
  const version = db.pragma('data_version', { simple: true }) as number;
  return `${version}:${changes}`;
}

/** Entries kept: the unfiltered report and a few filters a reviewer moves between. */
const ENTRIES = 8;

export interface RevisionCache<T> {
  /** The value for this key at this revision: computed once, shared by concurrent callers. */
  get: (revision: string, key: string, compute: () => Promise<T>) => Promise<T>;
}

export function revisionCache<T>(entries = ENTRIES): RevisionCache<T> {
  let at = '';
  // Insertion order is recency order: a hit is moved to the end, the oldest dropped first.
  const map = new Map<string, Promise<T>>();
  return {
    get(revision, key, compute) {
      if (revision !== at) {
        map.clear();
        at = revision;
      }
      const hit = map.get(key);
      if (hit) {
        map.delete(key);
        map.set(key, hit);
        return hit;
      }
      const made = compute();
      map.set(key, made);
      // A failed computation is not kept: the next call tries again.
      made.catch(() => {
        if (map.get(key) === made) map.delete(key);
      });
      while (map.size > entries) map.delete(map.keys().next().value as string);
      return made;
    },
  };
}
