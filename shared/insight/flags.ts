/**
 * Flags: the figures a reviewer must look at, each as one plain sentence with the exact numbers
 * ("Criterion 'Safety': α = 0.41 [0.30, 0.52] over 212 tasks — below 0.667") and the drill-down
 * to the tasks behind it. Thresholds are conventions, named here once.
 */
import type { Figure } from '../agreement/index.ts';
import type { BiasFigure, Flag, InsightReport } from './report.ts';

/** Krippendorff's lowest tentatively acceptable alpha (Content Analysis, 2004, §11.4.4). */
export const ALPHA_FLOOR = 0.667;
/** Fewest tasks before a low figure is flagged: below this the interval says more than the value. */
export const MIN_TASKS = 10;
/** A bias is flagged below this p-value and when the rate exceeds chance by this much. */
export const BIAS_P = 0.01;
export const BIAS_MARGIN = 0.1;
/** Leniency flagged when its interval excludes 0 and it is at least this many scale points. */
export const LENIENCY_POINTS = 0.5;
/** Gold accuracy floor, and the fewest gold items it is judged on. */
export const GOLD_FLOOR = 0.7;
export const MIN_GOLD = 5;
/** Drift: a drop of this much from the earlier periods to the latest, each period with enough answers. */
export const DRIFT_DROP = 0.15;
/** z of the drift test (one-sided p < 0.01). */
export const DRIFT_Z = 2.326;
export const MIN_PERIOD = 20;

const two = (x: number) => {
  const s = x.toFixed(2);
  return s === '-0.00' ? '0.00' : s;
};
const pct = (x: number) => `${Math.round(x * 100)}%`;
const pText = (p: number | null) => (p === null ? '' : p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`);

/** "0.41 [0.30, 0.52]" (the interval when there is one). */
export function withInterval(f: Figure & { defined: true }, format: (x: number) => string = two): string {
  return f.ci ? `${format(f.value)} [${format(f.ci.lower)}, ${format(f.ci.upper)}]` : format(f.value);
}

const SYMBOL = { alpha: 'α', ac1: 'AC1', first_error: 'exact first-error agreement' } as const;

function biasSentence(who: string, b: BiasFigure, what: string, label: string): string | null {
  if (!b.value.defined || b.pValue === null || b.expectedRate === null) return null;
  if (!(b.pValue < BIAS_P && b.value.value > b.expectedRate + BIAS_MARGIN)) return null;
  const interval = b.wilson ? ` [${pct(b.wilson.lower)}, ${pct(b.wilson.upper)}]` : '';
  return `${who} preferred ${what} in ${b.hits} of ${b.trials} comparisons (${pct(b.value.value)}${interval}; chance ${pct(b.expectedRate)}, ${pText(b.pValue)}) — ${label}`;
}

export function flagsOf(r: Omit<InsightReport, 'flags'>): Flag[] {
  const flags: Flag[] = [];
  const name = new Map(r.coders.map((c) => [c.id, c.name]));
  const who = (id: string) => `Annotator '${name.get(id) ?? id}'`;

  for (const f of r.fields) {
    if (!f.value.defined || f.tasks < MIN_TASKS || f.value.value >= ALPHA_FLOOR) continue;
    flags.push({
      id: `field:${f.field}`,
      subject: 'field',
      sentence: `${f.label}: ${SYMBOL[f.headline]} = ${withInterval(f.value)} over ${f.tasks} tasks — below ${ALPHA_FLOOR}`,
      drill: { field: f.field, show: 'disagreement' },
    });
  }
  for (const b of r.positionBias) {
    const s = biasSentence(who(b.coder), b, 'the response shown first', 'position bias');
    if (s) flags.push({ id: `position:${b.coder}`, subject: 'coder', sentence: s, drill: { coder: b.coder, show: 'position' } });
  }
  for (const b of r.lengthBias) {
    const s = biasSentence(who(b.coder), b, 'the longest response', 'length bias');
    if (s) flags.push({ id: `length:${b.coder}`, subject: 'coder', sentence: s, drill: { coder: b.coder, show: 'work' } });
  }
  for (const l of r.leniency) {
    if (!l.value.defined || !l.value.ci || Math.abs(l.value.value) < LENIENCY_POINTS) continue;
    if (l.value.ci.lower <= 0 && l.value.ci.upper >= 0) continue;
    const up = l.value.value > 0;
    flags.push({
      id: `leniency:${l.field}:${l.coder}`,
      subject: 'coder',
      sentence: `${who(l.coder)} scores ${l.label} ${withInterval({ ...l.value, value: Math.abs(l.value.value), ci: up ? l.value.ci : { ...l.value.ci, lower: -l.value.ci.upper, upper: -l.value.ci.lower } })} points ${up ? 'above' : 'below'} the others over ${l.units} units — ${up ? 'lenient' : 'strict'}`,
      drill: { field: l.field, coder: l.coder, show: 'disagreement' },
    });
  }
  for (const c of r.calibration) {
    for (const g of c.gold) {
      if (!g.value.defined || g.units < MIN_GOLD || g.value.value >= GOLD_FLOOR) continue;
      flags.push({
        id: `gold:${g.field}:${c.coder}`,
        subject: 'coder',
        sentence: `${who(c.coder)} matches gold on ${g.matches} of ${g.units} gold items for ${g.label} (${pct(g.value.value)}) — below ${pct(GOLD_FLOOR)}`,
        drill: { field: g.field, coder: c.coder, show: 'gold' },
      });
    }
  }
  for (const d of r.drift) {
    for (const side of ['withOthers', 'withGold'] as const) {
      const pts = d.points.filter((p) => p[side].defined && p[side].n >= MIN_PERIOD);
      if (pts.length < 2) continue;
      // The latest period against all earlier ones pooled: "is this annotator drifting now?"
      const last = pts[pts.length - 1]!;
      const earlier = pts.slice(0, -1);
      const n1 = earlier.reduce((s, p) => s + p[side].n, 0);
      const hits1 = earlier.reduce((s, p) => s + (p[side].defined ? p[side].value * p[side].n : 0), 0);
      const b = last[side];
      if (!b.defined) continue;
      const p1 = hits1 / n1;
      const p2 = b.value;
      if (p1 - p2 < DRIFT_DROP) continue;
      // A drop inside the noise is not drift: two-proportion z-test, one-sided at DRIFT_Z.
      const pooled = (hits1 + p2 * b.n) / (n1 + b.n);
      const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / b.n));
      if (!(se > 0) || (p1 - p2) / se < DRIFT_Z) continue;
      const against = side === 'withOthers' ? 'agreement with the others' : 'agreement with gold';
      const before = earlier.length === 1 ? earlier[0]!.period : `${earlier[0]!.period}–${earlier[earlier.length - 1]!.period}`;
      flags.push({
        id: `drift:${side}:${d.field}:${d.coder}`,
        subject: 'coder',
        sentence: `${who(d.coder)}: ${against} on ${d.label} fell from ${pct(p1)} in ${before} (${n1} answers) to ${pct(p2)} in ${last.period} (${b.n} answers) — drifting`,
        drill: { field: d.field, coder: d.coder, show: side === 'withOthers' ? 'disagreement' : 'gold' },
      });
    }
  }
  for (const j of r.judges) {
    for (const f of j.fields) {
      const defined = f.withExperts.filter((e) => e.defined && e.units >= MIN_TASKS);
      if (defined.length === 0) continue;
      const mean = defined.reduce((s, e) => s + (e.defined ? e.value : 0), 0) / defined.length;
      if (mean >= ALPHA_FLOOR) continue;
      const experts = f.expertsAlone.defined ? `; experts among themselves ${two(f.expertsAlone.value)}` : '';
      flags.push({
        id: `judge:${j.model}:${f.field}`,
        subject: 'judge',
        sentence: `Judge '${j.model}' on ${f.label}: α with experts ${two(mean)} (mean over ${defined.length} expert${defined.length === 1 ? '' : 's'}${experts}) over ${f.units} units — below ${ALPHA_FLOOR}, experts needed`,
        drill: { field: f.field, judge: j.model, show: 'disagreement' },
      });
    }
    if (j.positionBias) {
      const s = biasSentence(`Judge '${j.model}'`, j.positionBias, 'the response shown first', 'position bias');
      if (s) flags.push({ id: `judge-position:${j.model}`, subject: 'judge', sentence: s, drill: { judge: j.model, show: 'position' } });
    }
  }
  for (const m of r.olderModel) {
    if (m.older === 0) continue;
    flags.push({
      id: `older-model:${m.bundleId}`,
      subject: 'bundle',
      sentence: `Bundle '${m.bundleId}': ${m.older} of ${m.judgements} preference judgements (${pct(m.older / m.judgements)}, ${m.tasks} task${m.tasks === 1 ? '' : 's'}) are on responses from a model older than the current ${m.currentModel} — stale for training on the current model`,
      drill: { bundleId: m.bundleId, show: 'older-model' },
    });
  }
  return flags;
}
