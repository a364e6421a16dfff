/**
 * What the server keeps of a refused conflicting batch: enough to show what happened (both
 * hashes, the offered size, the start of the envelope, which names the device, seq and the
 * first record), never the whole batch, and at most MAX_CONFLICTS_PER_DEVICE rows per device.
 * Past the cap the batch is still refused; only the first conflicts are kept, so a flood cannot
 * push the earliest evidence out.
 */
export const CONFLICT_PREFIX_BYTES = 4096;
export const MAX_CONFLICTS_PER_DEVICE = 100;

export function conflictEvidence(envelope: Buffer): { prefix: Buffer; size: number } {
  return { prefix: envelope.subarray(0, CONFLICT_PREFIX_BYTES), size: envelope.length };
}
