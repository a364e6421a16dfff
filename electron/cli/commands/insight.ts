/**
 * `casebook agreement --data DIR [--bundle ID] [--json]` (a workstation, through its read model
 * of all work) and `casebook server agreement --data DIR [--database-url URL] --trust KEY
 * [--json]` (everything the server holds): the same figures from the same code (shared/insight).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { collectFactsAsync, insightFromFacts, insightLines, type InsightOptions, type InsightReport } from '../../../shared/insight/index.ts';
import { iterateServerUnitRuns, ServerBundleError, type ServerUnitReport } from '../../../server/work/units.ts';
import { workstationInsight } from '../../core/insight/insight.ts';
import { CliError } from '../errors.ts';
import type { Io } from '../io.ts';
import { readTrustFile } from '../keyfile.ts';
import { openWorkstation } from '../workstation.ts';
import { withServerStorage, type ServerArgs } from './server.ts';

export const INSIGHT_USAGE = 'usage: casebook agreement --data DIR [--bundle ID] [--seed N] [--bootstrap N] [--json]';
export const SERVER_INSIGHT_USAGE = 'usage: casebook server agreement --data DIR [--database-url URL] --trust ORGKEY.jwk[,…] [--bundle ID] [--seed N] [--bootstrap N] [--json]';

export interface InsightArgs {
  readonly bundle?: string | undefined;
  readonly seed?: string | undefined;
  readonly bootstrap?: string | undefined;
  readonly passphraseFile?: string | undefined;
  readonly json: boolean;
}

function whole(flag: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > max) throw new CliError(`${flag}: "${raw}" is not a whole number from 0 to ${max}`, 2);
  return Number(raw);
}

function optionsOf(a: InsightArgs): InsightOptions {
  return {
    seed: whole('--seed', a.seed, 1, 0xffffffff),
    ...(a.bootstrap !== undefined ? { replicates: whole('--bootstrap', a.bootstrap, 500, 100_000) } : {}),
    filter: a.bundle ? { bundleId: a.bundle } : {},
  };
}

function print(io: Io, r: InsightReport, json: boolean): void {
  if (json) io.out(JSON.stringify(r, null, 2));
  else for (const line of insightLines(r)) io.out(line);
}

export async function agreementOnData(io: Io, dataDir: string, a: InsightArgs): Promise<void> {
  const opts = optionsOf(a);
  const dir = resolve(dataDir);
  if (!existsSync(join(dir, 'casebook.sqlite'))) throw new CliError(`${dir}: no Casebook data here (casebook.sqlite is missing)`);
  const core = await openWorkstation(io, dir, { passphraseFile: a.passphraseFile });
  try {
    print(io, await workstationInsight(core.ctx, opts), a.json);
  } finally {
    await core.close();
  }
}

export async function serverAgreement(io: Io, srv: ServerArgs, a: InsightArgs & { trust?: string | undefined }): Promise<void> {
  const opts = optionsOf(a);
  if (!a.trust) throw new CliError(`--trust is required: the org key the published bundles were signed with (the server reads their tasks only through it)\n  ${SERVER_INSIGHT_USAGE}`, 2);
  const trusted = await Promise.all(a.trust.split(',').filter(Boolean).map((f) => readTrustFile(f)));
  await withServerStorage(srv, SERVER_INSIGHT_USAGE, async (s) => {
    const report: ServerUnitReport = { bundlesRead: [], orphanRecords: 0, brokenRecords: 0 };
    let facts;
    try {
      facts = await collectFactsAsync(iterateServerUnitRuns(s, { trusted, report, ...(a.bundle ? { bundles: [a.bundle] } : {}) }), opts);
    } catch (e) {
      if (e instanceof ServerBundleError) throw new CliError(e.message);
      throw e;
    }
    print(io, insightFromFacts(facts, opts), a.json);
    if (report.orphanRecords > 0) io.err(`${report.orphanRecords} accepted annotations are about task contents no published bundle holds; they are not in these figures`);
    if (report.brokenRecords > 0) io.err(`${report.brokenRecords} accepted records break the submission rules; they are not in these figures`);
  });
}
