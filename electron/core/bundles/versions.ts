import type { BundleVersionView, FlaggedAnnotationView } from '../../../shared/contract/index.ts';
import type { CoreContext } from '../context.ts';
import { loadBundle } from './queries.ts';

interface VersionRow {
  version: number;
  manifest_sha256: string;
  signer_key_id: string;
  signer_label: string;
  task_count: number;
  added: number;
  changed: number;
  removed: number;
  flagged: number;
  created_at: string;
  imported_at: string;
}

/** The bundle's version history on this workstation, newest first. */
export function bundleVersions(ctx: CoreContext, bundleId: string): BundleVersionView[] {
  loadBundle(ctx, bundleId);
  const rows = ctx.db.prepare('SELECT * FROM bundle_versions WHERE bundle_id = ? ORDER BY version DESC').all(bundleId) as VersionRow[];
  return rows.map((r) => ({
    version: r.version,
    manifestSha256: r.manifest_sha256,
    signer: { keyId: r.signer_key_id, label: r.signer_label },
    taskCount: r.task_count,
    added: r.added,
    changed: r.changed,
    removed: r.removed,
    flagged: r.flagged,
    createdAt: r.created_at,
    importedAt: r.imported_at,
  }));
}

/** Annotations of this annotator kept across a content change and not yet looked at again. */
export function flaggedAnnotations(ctx: CoreContext, bundleId: string, annotatorId: string): FlaggedAnnotationView[] {
  loadBundle(ctx, bundleId);
  const rows = ctx.db
    .prepare(
      `SELECT r.task_id, r.from_version, r.to_version, r.flagged_at FROM annotation_reviews r JOIN tasks t ON t.bundle_id = r.bundle_id AND t.task_id = r.task_id
       WHERE r.bundle_id = ? AND r.annotator_id = ? AND r.resolved_at IS NULL ORDER BY t.position`,
    )
    .all(bundleId, annotatorId) as { task_id: string; from_version: number; to_version: number; flagged_at: string }[];
  return rows.map((r) => ({ taskId: r.task_id, fromVersion: r.from_version, toVersion: r.to_version, flaggedAt: r.flagged_at }));
}
