import type { Manifest, Task, TaskKind } from '../../domain/index.ts';
import { fingerprint } from '../keys.ts';
import { openBundle } from './open.ts';
import type { TrustedKey } from './trust.ts';

export interface BundleInspection {
  manifest: Manifest;
  signer: { keyId: string; fingerprint: string; label: string };
  counts: Record<TaskKind, number>;
  goldCount: number;
  assignment: { perTask: number; annotators: string[] | null } | null;
  /** The first task, in full (gold included: this is the admin's view). */
  sample: Task | null;
}

/**
 * Everything an admin wants to know about a bundle file, read with the same checks as an
 * import (signature first, then every hash) but without touching any workstation.
 */
export async function inspectBundle(path: string, trusted: readonly TrustedKey[], now = new Date()): Promise<BundleInspection> {
  const b = await openBundle(path, trusted, { now });
  try {
    const counts: Record<TaskKind, number> = { compare: 0, exemplar: 0, trajectory: 0 };
    let goldCount = 0;
    let sample: Task | null = null;
    for await (const { task } of b.tasks()) {
      counts[task.kind]++;
      if (task.gold) goldCount++;
      sample ??= task;
    }
    const a = b.settings.assignment;
    return {
      manifest: b.manifest,
      signer: { keyId: b.signerKeyId, fingerprint: fingerprint(b.signer.jwk), label: b.signer.label },
      counts,
      goldCount,
      assignment: a ? { perTask: a.perTask, annotators: a.annotators ?? null } : null,
      sample,
    };
  } finally {
    b.close();
  }
}
