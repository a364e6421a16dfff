import type { Role } from '../domain/index.ts';
import type { Method } from './api.ts';

/**
 * Which roles may call the privileged methods; a method not listed is open to every set-up
 * user. Building and signing bundles and changing which org keys are trusted are the admin's
 * (DESIGN.md: admins package, sign and distribute); the reviewers' views of other people's work
 * are for reviewers and admins. Reading the trust store stays open: every user may need to
 * compare a fingerprint with the admin's. Importing a bundle stays open too: its signature,
 * not the importer's role, is what makes it acceptable (including a rotation it carries).
 *
 * The renderer uses the same table to decide what to show, so the UI and the core cannot drift.
 */
export const METHOD_ROLES: { readonly [M in Method]?: readonly Role[] } = {
  'admin.validateSource': ['admin'],
  'admin.buildBundle': ['admin'],
  'admin.publishBundle': ['admin'],
  'admin.deriveBundle': ['admin'],
  'export.run': ['reviewer', 'admin'],
  'assumptions.markCandidate': ['reviewer', 'admin'],
  'assumptions.unmarkCandidate': ['reviewer', 'admin'],
  'trust.add': ['admin'],
  'trust.remove': ['admin'],
  'trust.rotate': ['admin'],
  'reviews.escalations': ['reviewer', 'admin'],
  'insight.dashboard': ['reviewer', 'admin'],
  'insight.tasks': ['reviewer', 'admin'],
  'reviews.flagged': ['reviewer', 'admin'],
  'reviews.work': ['reviewer', 'admin'],
  'sync.pullReviews': ['reviewer', 'admin'],
  'reviews.queue': ['reviewer', 'admin'],
  'reviews.annotators': ['reviewer', 'admin'],
  'reviews.task': ['reviewer', 'admin'],
  'reviews.bulkAcceptPreview': ['reviewer', 'admin'],
  'reviews.bulkAccept': ['reviewer', 'admin'],
  'reviews.importBatchFiles': ['reviewer', 'admin'],
  'reviews.pull': ['reviewer', 'admin'],
  'adjudications.saveDraft': ['reviewer', 'admin'],
  'adjudications.submit': ['reviewer', 'admin'],
  'adjudications.discardDraft': ['reviewer', 'admin'],
  'sync.importBatches': ['reviewer', 'admin'],
  'sync.importBatchData': ['reviewer', 'admin'],
};

/** Whether a user in `role` may call `method`. */
export function roleMayCall(role: Role, method: Method): boolean {
  const allowed = METHOD_ROLES[method];
  return allowed === undefined || allowed.includes(role);
}
