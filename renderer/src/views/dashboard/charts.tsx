import { Bar, BarChart, CartesianGrid, Cell, ErrorBar, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis, ZAxis } from 'recharts';
import type { BiasFigure, DriftFigures, FieldFigures, PairFigure } from '../../../../shared/insight/index.ts';
import { fmt, pct } from './format.ts';

/**
 * The dashboard's charts (recharts). Each is drawn for sighted users and hidden from assistive
 * technology (aria-hidden, and out of the tab order: no accessibility layer): the table beside it holds the same figures, and is what a screen
 * reader reads. Colours come from one palette readable in both themes.
 */

const PALETTE = ['#2563eb', '#d97706', '#059669', '#db2777', '#7c3aed', '#0891b2'];
const HEIGHT = 260;

function Frame({ children, onPick }: { children: React.ReactElement; onPick?: () => void }) {
  return (
    <div className="dash-chart" aria-hidden="true" onDoubleClick={onPick}>
      <ResponsiveContainer width="100%" height={HEIGHT}>
        {children}
      </ResponsiveContainer>
    </div>
  );
}

/** Agreement per field, with the bootstrap interval as error bars and Krippendorff's 0.667 line. */
export function AgreementChart({ fields, onPick }: { fields: readonly FieldFigures[]; onPick: (field: string) => void }) {
  const data = fields
    .filter((f) => f.value.defined)
    .map((f) => {
      const v = f.value.defined ? f.value.value : 0;
      const ci = f.value.defined && f.value.ci ? [v - f.value.ci.lower, f.value.ci.upper - v] : [0, 0];
      return { field: f.field, name: f.label.replace(/^Criterion /, ''), value: v, ci };
    });
  return (
    <Frame>
      <BarChart accessibilityLayer={false} data={data} margin={{ top: 8, right: 16, bottom: 48, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="name" interval={0} angle={-20} textAnchor="end" height={60} tick={{ fontSize: 11 }} />
        <YAxis domain={[-0.2, 1]} tick={{ fontSize: 11 }} />
        <Tooltip formatter={(v) => fmt(Number(v))} />
        <ReferenceLine y={0.667} stroke="#dc2626" strokeDasharray="4 4" />
        <Bar dataKey="value" isAnimationActive={false} onClick={(d: { payload?: { field?: string } }) => d.payload?.field && onPick(d.payload.field)} cursor="pointer">
          {data.map((d) => (
            <Cell key={d.field} fill={d.value < 0.667 ? '#dc2626' : PALETTE[0]} />
          ))}
          <ErrorBar dataKey="ci" width={6} stroke="#111827" />
        </Bar>
      </BarChart>
    </Frame>
  );
}

/** Accuracy against gold per annotator. */
export function GoldChart({ rows }: { rows: readonly { name: string; value: number }[] }) {
  return (
    <Frame>
      <BarChart accessibilityLayer={false} data={[...rows]} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="name" tick={{ fontSize: 11 }} />
        <YAxis domain={[0, 1]} tickFormatter={(v: number) => pct(v)} tick={{ fontSize: 11 }} />
        <Tooltip formatter={(v) => pct(Number(v))} />
        <ReferenceLine y={0.7} stroke="#dc2626" strokeDasharray="4 4" />
        <Bar dataKey="value" fill={PALETTE[2]} isAnimationActive={false} />
      </BarChart>
    </Frame>
  );
}

/** Annotator pairs as a heat map: one square per pair, darker = lower agreement. */
export function PairHeatMap({ pairs, name }: { pairs: readonly PairFigure[]; name: (id: string) => string }) {
  const coders = [...new Set(pairs.flatMap((p) => [p.a, p.b]))].sort((x, y) => name(x).localeCompare(name(y)));
  const index = new Map(coders.map((c, i) => [c, i]));
  const data = pairs.flatMap((p) => {
    const v = p.value.defined ? p.value.value : null;
    if (v === null) return [];
    const a = index.get(p.a)!;
    const b = index.get(p.b)!;
    return [
      { x: a, y: b, v },
      { x: b, y: a, v },
    ];
  });
  const colour = (v: number) => `hsl(${Math.round(Math.max(0, Math.min(1, v)) * 120)}, 70%, 45%)`;
  const tick = (i: number) => (coders[i] ? name(coders[i]) : '');
  return (
    <Frame>
      <ScatterChart accessibilityLayer={false} margin={{ top: 8, right: 16, bottom: 8, left: 16 }}>
        <XAxis type="number" dataKey="x" domain={[-0.5, coders.length - 0.5]} ticks={coders.map((_c, i) => i)} tickFormatter={tick} tick={{ fontSize: 11 }} />
        <YAxis type="number" dataKey="y" domain={[-0.5, coders.length - 0.5]} ticks={coders.map((_c, i) => i)} tickFormatter={tick} tick={{ fontSize: 11 }} reversed />
        <ZAxis type="number" dataKey="v" range={[900, 900]} />
        <Tooltip formatter={(v) => fmt(Number(v))} />
        <Scatter data={data} shape="square" isAnimationActive={false}>
          {data.map((d, i) => (
            <Cell key={i} fill={colour(d.v)} />
          ))}
        </Scatter>
      </ScatterChart>
    </Frame>
  );
}

/** Each annotator's agreement with the others over successive periods. */
export function DriftChart({ drift, name }: { drift: readonly DriftFigures[]; name: (id: string) => string }) {
  const periods = [...new Set(drift.flatMap((d) => d.points.map((p) => p.period)))].sort();
  const data = periods.map((period) => {
    const row: Record<string, number | string | null> = { period };
    for (const d of drift) {
      const p = d.points.find((x) => x.period === period);
      row[name(d.coder)] = p && p.withOthers.defined ? p.withOthers.value : null;
    }
    return row;
  });
  return (
    <Frame>
      <LineChart accessibilityLayer={false} data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="period" tick={{ fontSize: 11 }} />
        <YAxis domain={[0, 1]} tickFormatter={(v: number) => pct(v)} tick={{ fontSize: 11 }} />
        <Tooltip formatter={(v) => pct(Number(v))} />
        <Legend />
        {drift.map((d, i) => (
          <Line key={d.coder} dataKey={name(d.coder)} stroke={PALETTE[i % PALETTE.length]} isAnimationActive={false} connectNulls dot />
        ))}
      </LineChart>
    </Frame>
  );
}

/** How often each annotator (or judge) preferred the response shown first, against chance. */
export function PositionChart({ bias, name }: { bias: readonly BiasFigure[]; name: (id: string) => string }) {
  const data = bias.map((b) => ({ name: name(b.coder), value: b.value.defined ? b.value.value : 0, chance: b.expectedRate ?? 0.5 }));
  const chance = data[0]?.chance ?? 0.5;
  return (
    <Frame>
      <BarChart accessibilityLayer={false} data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="name" tick={{ fontSize: 11 }} />
        <YAxis domain={[0, 1]} tickFormatter={(v: number) => pct(v)} tick={{ fontSize: 11 }} />
        <Tooltip formatter={(v) => pct(Number(v))} />
        <ReferenceLine y={chance} stroke="#6b7280" strokeDasharray="4 4" />
        <Bar dataKey="value" fill={PALETTE[1]} isAnimationActive={false} />
      </BarChart>
    </Frame>
  );
}
