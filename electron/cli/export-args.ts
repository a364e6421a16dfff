import { TaskKind } from '../../shared/domain/index.ts';
import { ExportFormat, ExportOptions, Pairing, Policy, type ExportOptionsInput } from '../../shared/export/index.ts';
import { CliError } from './errors.ts';

/** The command-line switches of `casebook export` and `casebook server export --format`. */
export interface ExportArgs {
  format?: string | undefined;
  policy?: string | undefined;
  pairing?: string | undefined;
  conversational?: boolean | undefined;
  fromTrajectories?: boolean | undefined;
  bundle?: string | undefined;
  version?: string | undefined;
  kind?: string | undefined;
  minAgreement?: string | undefined;
  includeGold?: boolean | undefined;
  includeEscalated?: boolean | undefined;
  currentModelOnly?: boolean | undefined;
  parquet?: boolean | undefined;
}

export interface ParsedExportArgs {
  formats: ExportFormat[];
  options: ExportOptionsInput;
  parquet: boolean;
}

/** A comma-separated list (`--format sft,dpo`, `--bundle a,b`), empty parts ignored. */
const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new CliError(`${flag}: "${value}" is not one of ${allowed.join(', ')}`, 2);
  return value as T;
}

/** Turns the switches into export options, refusing anything unknown in words that name the switch. */
export function parseExportArgs(a: ExportArgs): ParsedExportArgs {
  if (!a.format) throw new CliError(`--format is required: one or more of ${ExportFormat.options.join(', ')} (comma-separated), or "all"`, 2);
  const formats = a.format === 'all' ? [...ExportFormat.options] : [...new Set(list(a.format).map((f) => oneOf('--format', f, ExportFormat.options)))];
  if (formats.length === 0) throw new CliError('--format names no format', 2);
  const filters: NonNullable<ExportOptionsInput['filters']> = {
    includeGold: a.includeGold ?? false,
    includeEscalated: a.includeEscalated ?? false,
    currentModelOnly: a.currentModelOnly ?? false,
  };
  if (a.bundle) filters.bundles = list(a.bundle);
  if (a.version) {
    filters.versions = list(a.version).map((v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new CliError(`--version: "${v}" is not a bundle version (a whole number from 1)`, 2);
      return n;
    });
  }
  if (a.kind) filters.kinds = list(a.kind).map((k) => oneOf('--kind', k, TaskKind.options));
  if (a.minAgreement !== undefined) {
    const x = Number(a.minAgreement);
    if (a.minAgreement.trim() === '' || !Number.isFinite(x) || x < -1 || x > 1) throw new CliError(`--min-agreement: "${a.minAgreement}" is not a number between -1 and 1`, 2);
    filters.minAgreement = x;
  }
  const options: ExportOptionsInput = {
    policy: a.policy ? oneOf('--policy', a.policy, Policy.options) : 'adjudicated',
    pairing: a.pairing ? oneOf('--pairing', a.pairing, Pairing.options) : 'all-pairs',
    conversational: a.conversational ?? false,
    fromTrajectories: a.fromTrajectories ?? false,
    filters,
  };
  const checked = ExportOptions.safeParse(options);
  if (!checked.success) {
    const i = checked.error.issues[0]!;
    throw new CliError(`export options: ${i.path.join('.') || '(root)'}: ${i.message}`, 2);
  }
  return { formats, options, parquet: a.parquet ?? false };
}

/** The lines a finished export prints: where it is, rows per format, and what was left out and why. */
export function exportReport(dir: string, m: { datasets: { format: string; rows: number; staleRows: number; modelDropped: number; noRows: Record<string, number> }[]; units: { seen: number; selected: number; excluded: Record<string, number> }; sources: { batches: unknown[]; unsealedRecords: number } }): string[] {
  const lines = [`export written to ${dir}`, `tasks: ${m.units.seen} seen, ${m.units.selected} selected`];
  const excluded = Object.entries(m.units.excluded);
  if (excluded.length > 0) lines.push(`left out: ${excluded.map(([r, n]) => `${n} ${r}`).join(', ')}`);
  for (const d of m.datasets) {
    const extra = [
      d.staleRows > 0 ? `${d.staleRows} on responses older than the bundle's current model` : null,
      d.modelDropped > 0 ? `${d.modelDropped} dropped by --current-model-only` : null,
      ...Object.entries(d.noRows).map(([r, n]) => `${n} ${r}`),
    ].filter(Boolean);
    lines.push(`${d.format}: ${d.rows} rows${extra.length > 0 ? ` (${extra.join('; ')})` : ''}`);
  }
  lines.push(`sources: ${m.sources.batches.length} signed batches${m.sources.unsealedRecords > 0 ? `, ${m.sources.unsealedRecords} records not sealed into a batch yet` : ''}`);
  return lines;
}
