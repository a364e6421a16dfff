import type { ExportSummaryView } from '../../../shared/contract/index.ts';
import type { ExportManifest } from '../../../shared/export/index.ts';
import { keyId, toPublic } from '../../../shared/node/keys.ts';
import type { CoreContext } from '../context.ts';
import { runWorkstationExport } from '../export/run-export.ts';
import { requireIdentity } from '../identity/identity.ts';
import { startJob } from '../jobs/start-job.ts';
import type { HandlerMap, MethodsOf } from './types.ts';

/** The manifest in the words of the Export screen's summary. */
export function summaryView(dir: string, m: ExportManifest, signerKeyId: string): ExportSummaryView {
  return {
    dir,
    createdAt: m.createdAt,
    signerKeyId,
    units: m.units,
    datasets: m.datasets.map((d) => ({ format: d.format, rows: d.rows, staleRows: d.staleRows, modelDropped: d.modelDropped, noRows: d.noRows, file: d.data })),
    bundles: m.bundles.map((b) => ({ id: b.id, versions: b.versions, currentModel: b.currentModel ? `${b.currentModel.name ? `${b.currentModel.name} ` : ''}${b.currentModel.version}` : null })),
    sources: { batches: m.sources.batches.length, records: m.sources.records, unsealedRecords: m.sources.unsealedRecords },
  };
}

export function exportHandlers(ctx: CoreContext): HandlerMap<MethodsOf<'export'>> {
  return {
    'export.run': async (req) => {
      await ctx.exclusive(() => requireIdentity(ctx));
      const { jobId, formats, policy, pairing, conversational, fromTrajectories, parquet, outDir, bundles, versions, kinds, minAgreement, includeGold, includeEscalated, currentModelOnly } = req;
      // The read model yields only tasks with work, and finds out which as it goes: no total up front.
      const total = null;
      return startJob(ctx, { jobId, label: `Exporting ${formats.join(', ')}`, failure: 'the export failed', minIntervalMs: 100 }, async (progress) => {
        const filters = {
          includeGold,
          includeEscalated,
          currentModelOnly,
          ...(bundles ? { bundles } : {}),
          ...(versions ? { versions } : {}),
          ...(kinds ? { kinds } : {}),
          ...(minAgreement !== undefined ? { minAgreement } : {}),
        };
        const r = await runWorkstationExport(ctx, { formats, options: { policy, pairing, conversational, fromTrajectories, filters }, parquet, outDir, generator: 'casebook app' }, (units) => progress(units, total));
        const key = (await ctx.keyVault.load())!;
        return { result: summaryView(r.dir, r.manifest, keyId(toPublic(key))), done: r.manifest.units.seen, total };
      });
    },
  };
}
