import type { Database } from 'better-sqlite3';
import type { CarriedRotation } from '../../../shared/node/bundle/index.ts';
import { applyRotation } from './trust-store.ts';

/**
 * Runs an import's final step and, when the bundle's signer was trusted through the rotation
 * statement it carries, applies that rotation in the same transaction: the bundle and the new
 * key arrive together or not at all. applyRotation verifies the statement again against the
 * store as it is now, so an old key removed while the import ran still refuses it.
 */
export function withCarriedRotation<T>(db: Database, rotation: CarriedRotation | null, now: Date, step: () => T): T {
  if (!rotation) return step();
  return db
    .transaction(() => {
      const result = step();
      applyRotation(db, rotation.statement, now);
      return result;
    })
    .immediate();
}
