import type { BundleSettings, Manifest, Rubric, TaskKind, Taxonomy } from '../../../shared/domain/index.ts';
import type { CarriedRotation, Problem, TrustedKey } from '../../../shared/node/bundle/index.ts';
import type { ZipLimits } from '../../../shared/node/zip.ts';
import type { BundleRefusalCode } from '../../../shared/node/bundle/refusal.ts';

/** Messages between the core and the import reader thread. */

export interface StartMessage {
  type: 'start';
  path: string;
  trusted: TrustedKey[];
  nowIso: string;
  limits?: ZipLimits;
  /** Body slots shared with the core, so task text never needs a fresh allocation per batch. */
  ring: SharedArrayBuffer;
  slotBytes: number;
}

/** Sent once the signature, manifest and small files are verified: the core decides whether to go on. */
export interface HeaderMessage {
  type: 'header';
  manifest: Manifest;
  manifestSha256: string;
  signerKeyId: string;
  signerLabel: string;
  /** The rotation statement that made the signer trusted, to be applied with the import. */
  rotation: CarriedRotation | null;
  settings: BundleSettings;
  guidelines: string;
  rubric: Rubric;
  taxonomy: Taxonomy;
}

/**
 * A run of validated tasks. The task lines travel as bytes in a slot of the shared ring
 * (a batch larger than a slot gets its own transferred buffer): cloning 200 MB of strings
 * between threads would cost more than inserting them, and reusing fixed slots keeps memory flat.
 */
export interface BatchMessage {
  type: 'batch';
  first: number;
  ids: string[];
  kinds: TaskKind[];
  titles: (string | null)[];
  /** Ring slot holding the bodies, or null when `bodies` carries them. */
  slot: number | null;
  bodies: Uint8Array | null;
  /** ends[i] is where task i's line ends in `bodies`; it starts where task i-1 ended. */
  ends: Uint32Array;
}

export interface DoneMessage {
  type: 'done';
  count: number;
}

export type FailureMessage =
  | { type: 'failed'; kind: 'refusal'; code: BundleRefusalCode; message: string }
  | { type: 'failed'; kind: 'problems'; problems: Problem[] }
  | { type: 'failed'; kind: 'internal'; message: string };

export type ReaderMessage = HeaderMessage | BatchMessage | DoneMessage | FailureMessage;

/** From the core: `go` after the header, and one `ack` per batch consumed (flow control). */
export type CoreMessage = StartMessage | { type: 'go' } | { type: 'ack'; slot: number | null };
