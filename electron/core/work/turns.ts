import type { ExportUnit } from '../../../shared/export/unit.ts';
import type { CoreContext } from '../context.ts';
import { iterateWorkUnits } from './units.ts';

/**
 * The read model's units (units.ts), a run at a time, each run read in one turn of the single
 * writer: a long export or agreement never holds the store, and the UI stays responsive. Readers
 * that go through every unit take the runs whole (an await per unit would cost more than the
 * unit's figures); the others take them one unit at a time.
 */
export async function* workUnitRuns(ctx: CoreContext, bundleId: string | undefined, perTurn: number): AsyncGenerator<ExportUnit[]> {
  const it = await ctx.exclusive(() => iterateWorkUnits(ctx.db, bundleId ? { bundleId } : {}));
  for (;;) {
    const run = await ctx.exclusive(() => {
      const out: ExportUnit[] = [];
      for (let r = it.next(); !r.done; r = it.next()) {
        out.push(r.value);
        if (out.length >= perTurn) break;
      }
      return out;
    });
    if (run.length === 0) return;
    yield run;
  }
}
