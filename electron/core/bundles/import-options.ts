import type { TrustedKey } from '../../../shared/node/bundle/index.ts';
import type { ZipLimits } from '../../../shared/node/zip.ts';
import type { VersionChanges } from './import-writer.ts';

/** What an import is asked and what it answers; here, apart from import.ts, so that CoreContext can name them without an import circle. */
export interface ImportResult {
  bundleId: string;
  version: number;
  taskCount: number;
  outcome: 'imported' | 'updated' | 'unchanged';
  changes: VersionChanges | null;
}

export interface ImportOptions {
  onProgress?: (done: number, total: number) => void;
  /** Defaults to the workstation's trust store. */
  trusted?: readonly TrustedKey[];
  sample?: boolean;
  limits?: ZipLimits;
}

