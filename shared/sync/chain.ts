/**
 * The batch-chain rule (DESIGN.md, sync guarantees 1–3), decided in one place for every
 * receiver: the server's two storages and a reviewer's workstation. A device's batches form a
 * chain: seq rises by exactly one and each batch names the hash of the one before. Pure: the
 * caller reads the head and any batch held at the offered seq inside its transaction, then
 * acts on the decision in that same transaction.
 */

/** The last batch accepted from a device: seq 0 and GENESIS_HASH before the first. */
export interface ChainHead {
  lastSeq: number;
  lastHash: string;
}

/** What a verified batch says about its place in the chain; hash is SHA-256 of its exact bytes. */
export interface ChainLink {
  seq: number;
  prevHash: string;
  hash: string;
}

export type ChainDecision =
  /** seq = last + 1 and prevHash = the last hash: apply it. */
  | { kind: 'accept' }
  /** The identical batch is already held: answer as the first time, change nothing. */
  | { kind: 'duplicate' }
  /** Other bytes for a seq already held: refuse, and keep evidence. */
  | { kind: 'conflict'; existingHash: string }
  /** Not the next seq: refuse, naming the seq to send next. */
  | { kind: 'gap'; expectedSeq: number }
  /** The next seq, but chained on another batch than the last one held. */
  | { kind: 'chain_mismatch'; expectedPrevHash: string };

/**
 * @param heldHash the hash of the batch already held at `offered.seq` for this device, or null.
 */
export function decideBatch(head: ChainHead, heldHash: string | null, offered: ChainLink): ChainDecision {
  if (heldHash !== null) return heldHash === offered.hash ? { kind: 'duplicate' } : { kind: 'conflict', existingHash: heldHash };
  const expectedSeq = head.lastSeq + 1;
  if (offered.seq !== expectedSeq) return { kind: 'gap', expectedSeq };
  if (offered.prevHash !== head.lastHash) return { kind: 'chain_mismatch', expectedPrevHash: head.lastHash };
  return { kind: 'accept' };
}
