import type { ServerMigration } from './types.ts';

/**
 * Roles are bound, not claimed (DESIGN.md): an enrolment token names the user it enrols, their
 * display name and their role. Tokens issued before have none and are refused at enrolment
 * (the admin issues a new one); devices already enrolled keep the user and role they have.
 */
export const s002TokenBinding: ServerMigration = {
  version: 2,
  name: 'enrolment tokens bound to a user, name and role',
  sqlite: `
    ALTER TABLE enrol_tokens ADD COLUMN user_id TEXT;
    ALTER TABLE enrol_tokens ADD COLUMN display_name TEXT;
    ALTER TABLE enrol_tokens ADD COLUMN role TEXT CHECK (role IN ('annotator', 'reviewer', 'admin'));
  `,
  postgres: `
    ALTER TABLE enrol_tokens ADD COLUMN user_id TEXT;
    ALTER TABLE enrol_tokens ADD COLUMN display_name TEXT;
    ALTER TABLE enrol_tokens ADD COLUMN role TEXT CHECK (role IN ('annotator', 'reviewer', 'admin'));
  `,
};
