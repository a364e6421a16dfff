import type { Migration } from './types.ts';
import { m001Initial } from './001-initial.ts';
import { m002BundleVersions } from './002-bundle-versions.ts';
import { m003Outbox } from './003-outbox.ts';
import { m004WorkReadModel } from './004-work-read-model.ts';

/** In order; a migration's version is its position. Never edit one that has shipped: add the next. */
export const MIGRATIONS: readonly Migration[] = [m001Initial, m002BundleVersions, m003Outbox, m004WorkReadModel];
export const SCHEMA_VERSION = MIGRATIONS.length;
export type { Migration };
