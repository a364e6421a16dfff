import { ApiError } from '../../../shared/contract/index.ts';
import type { ExportFormat, ExportOptionsInput, ExportUnit } from '../../../shared/export/index.ts';
import { ExportError, exportDataset, type ExportResult } from '../../../shared/node/export/index.ts';
import type { CoreContext } from '../context.ts';
import { workUnitRuns } from '../work/turns.ts';

export interface WorkstationExport {
  formats: readonly ExportFormat[];
  options: ExportOptionsInput;
  parquet: boolean;
  outDir: string;
  generator?: string;
}

/** Units read per turn of the single writer: other calls get theirs in between. */
const UNITS_PER_TURN = 200;

/** The read model's units one at a time, read in turns of the single writer (work/turns.ts). */
export async function* workUnits(ctx: CoreContext, bundleId: string | undefined): AsyncGenerator<ExportUnit> {
  for await (const run of workUnitRuns(ctx, bundleId, UNITS_PER_TURN)) yield* run;
}

/**
 * Everything this workstation holds (local and received work), exported into a new folder and
 * signed with this workstation's device key. Progress is reported in tasks read.
 */
export async function runWorkstationExport(ctx: CoreContext, req: WorkstationExport, onProgress?: (units: number, rows: number) => void): Promise<ExportResult> {
  const key = await ctx.keyVault.load();
  if (!key) throw new ApiError('not_set_up', 'This workstation has no device key yet: set up your identity before exporting (the export is signed with it)');
  const bundles = req.options.filters?.bundles;
  try {
    return await exportDataset(
      workUnits(ctx, bundles?.length === 1 ? bundles[0] : undefined),
      {
        formats: req.formats,
        options: req.options,
        parquet: req.parquet,
        key,
        generator: req.generator ?? 'casebook workstation',
        title: 'Casebook export',
        now: ctx.now,
        progressEvery: 100,
        ...(onProgress ? { onProgress: (p: { units: number; rows: number }) => onProgress(p.units, p.rows) } : {}),
      },
      req.outDir,
    );
  } catch (e) {
    if (e instanceof ExportError) throw new ApiError('invalid_request', e.message);
    throw e;
  }
}
