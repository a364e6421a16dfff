import type { ServerMigration } from './types.ts';

/**
 * A refused conflicting batch was kept whole, so a device (or whoever holds its key) could grow
 * the store without limit. Now a conflict keeps the offered batch's hash, its size and a bounded
 * prefix (server/storage/conflicts.ts); rows kept before are cut down to the same prefix.
 */
export const s003ConflictEvidence: ServerMigration = {
  version: 3,
  name: 'conflicts keep a bounded prefix and the size of the refused batch',
  sqlite: `
    ALTER TABLE conflicts RENAME COLUMN envelope TO envelope_prefix;
    ALTER TABLE conflicts ADD COLUMN envelope_size INTEGER;
    UPDATE conflicts SET envelope_size = length(envelope_prefix), envelope_prefix = substr(envelope_prefix, 1, 4096);
    CREATE INDEX conflicts_by_device ON conflicts (device_id);
  `,
  postgres: `
    ALTER TABLE conflicts RENAME COLUMN envelope TO envelope_prefix;
    ALTER TABLE conflicts ADD COLUMN envelope_size INTEGER;
    UPDATE conflicts SET envelope_size = octet_length(envelope_prefix), envelope_prefix = substring(envelope_prefix from 1 for 4096);
    CREATE INDEX conflicts_by_device ON conflicts (device_id);
  `,
};
