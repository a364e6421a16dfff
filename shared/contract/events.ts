import { z } from 'zod';
import { JobProgress } from './views.ts';

/** Messages the core pushes to the UI without being asked. */
export const CoreEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('job.progress'), progress: JobProgress }),
  z.object({ type: z.literal('bundles.changed') }),
  /** Sync state changed (outbox, online, progress, errors): fetch sync.status again. */
  z.object({ type: z.literal('sync.changed') }),
  /** The workstation locked (idle, the OS screen lock, or app.lock): show the lock screen. */
  z.object({ type: z.literal('app.locked') }),
]);
export type CoreEvent = z.infer<typeof CoreEvent>;
