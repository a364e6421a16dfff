import { Suspense, lazy, type ComponentProps } from 'react';

/**
 * The charts, loaded on demand: recharts is most of the dashboard's weight, and the flags and
 * tables (the figures themselves) need none of it. The screen paints its figures first; each
 * chart takes its place when the chunk has arrived, in a slot of the chart's height so nothing
 * below it moves.
 */
let loading: Promise<typeof import('./charts.tsx')> | null = null;

/** Starts fetching the charts' chunk (once): called when the screen opens, beside its data call. */
export function preloadCharts(): Promise<typeof import('./charts.tsx')> {
  loading ??= import('./charts.tsx');
  return loading;
}

const AgreementChartLazy = lazy(() => preloadCharts().then((m) => ({ default: m.AgreementChart })));
const GoldChartLazy = lazy(() => preloadCharts().then((m) => ({ default: m.GoldChart })));
const PairHeatMapLazy = lazy(() => preloadCharts().then((m) => ({ default: m.PairHeatMap })));
const DriftChartLazy = lazy(() => preloadCharts().then((m) => ({ default: m.DriftChart })));
const PositionChartLazy = lazy(() => preloadCharts().then((m) => ({ default: m.PositionChart })));

function Slot({ children }: { children: React.ReactNode }) {
  return <Suspense fallback={<div className="dash-chart-slot" aria-hidden="true" />}>{children}</Suspense>;
}

export const AgreementChart = (p: ComponentProps<typeof AgreementChartLazy>) => (
  <Slot>
    <AgreementChartLazy {...p} />
  </Slot>
);
export const GoldChart = (p: ComponentProps<typeof GoldChartLazy>) => (
  <Slot>
    <GoldChartLazy {...p} />
  </Slot>
);
export const PairHeatMap = (p: ComponentProps<typeof PairHeatMapLazy>) => (
  <Slot>
    <PairHeatMapLazy {...p} />
  </Slot>
);
export const DriftChart = (p: ComponentProps<typeof DriftChartLazy>) => (
  <Slot>
    <DriftChartLazy {...p} />
  </Slot>
);
export const PositionChart = (p: ComponentProps<typeof PositionChartLazy>) => (
  <Slot>
    <PositionChartLazy {...p} />
  </Slot>
);
