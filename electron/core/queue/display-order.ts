import { createHash } from 'node:crypto';

/**
 * The order an annotator sees a task's responses in: shuffled per annotator and task so
 * position bias averages out across annotators, yet the same every time this annotator
 * reopens the task (a seeded Fisher-Yates driven by SHA-256 of who and what).
 */
export function displayOrder(responseIds: readonly string[], annotatorId: string, bundleId: string, taskId: string): string[] {
  const out = [...responseIds];
  let pool = createHash('sha256').update(`${annotatorId}\u0000${bundleId}\u0000${taskId}`).digest();
  let offset = 0;
  const nextUint32 = () => {
    if (offset + 4 > pool.length) {
      pool = createHash('sha256').update(pool).digest();
      offset = 0;
    }
    const v = pool.readUInt32BE(offset);
    offset += 4;
    return v;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = nextUint32() % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
