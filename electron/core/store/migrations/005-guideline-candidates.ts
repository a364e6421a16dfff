import type { Migration } from './types.ts';

/**
 * Guideline candidates: assumptions an admin or reviewer marked, from the assumption search,
 * as something the guidelines should settle. `casebook bundle derive` (and the admin screen)
 * adds them to the next version's guidelines as a draft section. One row per assumption of an
 * annotation (an assumption's id is unique only inside its annotation); the text and category
 * are copied when marked, so the candidate stays as it was read even if the annotator revises.
 */
export const m005GuidelineCandidates: Migration = {
  version: 5,
  name: 'guideline candidates marked from the assumption search',
  up: (db) => {
    db.exec(`
      CREATE TABLE guideline_candidates (
        bundle_id TEXT NOT NULL,
        annotation_id TEXT NOT NULL,
        assumption_id TEXT NOT NULL,
        task_id TEXT NOT NULL,
        category TEXT NOT NULL,
        text TEXT NOT NULL CHECK (length(text) > 0),
        marked_by TEXT NOT NULL,
        marked_at TEXT NOT NULL,
        PRIMARY KEY (bundle_id, annotation_id, assumption_id)
      ) STRICT;
    `);
  },
};
