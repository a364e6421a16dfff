/**
 * The report as lines of text for `casebook agreement --data` and `casebook server agreement`:
 * flags first (what to look at), then the figures. Numbers as the dashboard shows them.
 */
import type { Figure } from '../agreement/index.ts';
import { withInterval } from './flags.ts';
import type { InsightReport } from './report.ts';

const fig = (f: Figure) => (f.defined ? withInterval(f) : `— (${f.message})`);
const pct = (x: number) => `${Math.round(x * 100)}%`;

export function insightLines(r: InsightReport): string[] {
  const name = new Map(r.coders.map((c) => [c.id, c.name]));
  const who = (id: string) => name.get(id) ?? id;
  const out: string[] = [];
  out.push(`${r.tasks} tasks, ${r.annotations} annotations by ${r.coders.length} annotators; bundles ${r.bundles.map((b) => `${b.id} (v${b.versions.join(', v')})`).join('; ') || 'none'}`);
  out.push(`95% bootstrap intervals, ${r.replicates} replicates, seed ${r.seed}`);
  out.push('');
  out.push(r.flags.length ? 'Flags:' : 'Flags: none');
  for (const f of r.flags) out.push(`  ! ${f.sentence}`);
  out.push('');
  out.push('Agreement:');
  for (const f of r.fields) {
    const extra = f.ac1 && f.headline !== 'ac1' ? `  AC1 ${fig(f.ac1)}` : f.headline === 'ac1' ? `  α ${fig(f.alpha)}` : '';
    const within = f.within1 ? `  within ±1 step ${fig(f.within1)}` : '';
    out.push(`  ${f.label} [${f.level}]: ${f.headline === 'alpha' ? 'α' : f.headline === 'ac1' ? 'AC1' : 'exact'} ${fig(f.value)}${within}${extra}  percent ${fig(f.percent)}  (${f.tasks} tasks, ${f.coders} annotators)`);
  }
  if (r.ranking.overall.defined) out.push(`  Rankings: mean tau-b ${fig(r.ranking.overall)} over ${r.ranking.overall.units} task×pair rankings`);
  for (const g of r.groups.filter((x) => x.version !== null)) {
    out.push(`  ${g.bundleId} v${g.version} (${g.tasks} tasks): ${g.fields.map((f) => `${f.label} ${f.value.defined ? f.value.value.toFixed(2) : '—'}`).join('; ')}`);
  }
  out.push('');
  out.push('Annotator pairs:');
  for (const p of r.pairs) out.push(`  ${who(p.a)} × ${who(p.b)} on ${p.field}: ${fig(p.value)} (${p.units} units)`);
  out.push('');
  out.push('Calibration:');
  for (const c of r.calibration) {
    const part = (xs: typeof c.gold) => xs.map((a) => `${a.label} ${a.matches}/${a.units}${a.value.defined ? ` ${pct(a.value.value)}` : ''}`).join('; ') || '—';
    out.push(`  ${who(c.coder)}: gold ${part(c.gold)} | adjudicated ${part(c.adjudicated)}`);
  }
  out.push('');
  out.push('Bias:');
  for (const b of r.positionBias) out.push(`  ${who(b.coder)} chose the first shown in ${b.hits}/${b.trials}${b.expectedRate !== null ? ` (chance ${pct(b.expectedRate)})` : ''}${b.pValue !== null ? `, p = ${b.pValue.toPrecision(2)}` : ''}`);
  for (const b of r.lengthBias) out.push(`  ${who(b.coder)} chose the longest in ${b.hits}/${b.trials}${b.pValue !== null ? `, p = ${b.pValue.toPrecision(2)}` : ''}`);
  for (const l of r.leniency) out.push(`  ${who(l.coder)} leniency on ${l.label}: ${fig(l.value)} points (${l.units} units)`);
  out.push('');
  out.push('Active time (median per item):');
  for (const t of r.activeTime) out.push(`  ${who(t.coder)}: ${(t.medianMs / 1000).toFixed(0)} s over ${t.items} items`);
  if (r.dawidSkene.length) {
    out.push('');
    out.push('Dawid–Skene reliability (advisory, never decides):');
    for (const d of r.dawidSkene) out.push(`  ${d.label}: ${d.defined ? d.coders.map((c) => `${who(c.coder)} ${c.accuracy.toFixed(2)}`).join(', ') : d.message}`);
  }
  if (r.judges.length) {
    out.push('');
    out.push('Model judges:');
    for (const j of r.judges) {
      for (const f of j.fields) out.push(`  ${j.model} on ${f.label}: ${f.withExperts.map((e) => `α with ${who(e.coder)} ${fig(e)}`).join('; ')}; experts alone ${fig(f.expertsAlone)}`);
      if (j.positionBias) out.push(`  ${j.model} chose the first shown in ${j.positionBias.hits}/${j.positionBias.trials}`);
    }
  }
  if (r.failureModes.length) {
    out.push('');
    out.push('Failure modes:');
    for (const f of r.failureModes) out.push(`  ${f.bundleId} v${f.version} ${f.label}: ${f.total} (steps ${f.steps}, exemplars ${f.exemplars}, highlights ${f.highlights})`);
  }
  return out;
}
