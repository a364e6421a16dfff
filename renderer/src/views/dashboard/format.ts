import type { Figure } from '../../../../shared/agreement/index.ts';

/** How the dashboard writes a figure: in its own module so the tables need not load the charts. */
export const fmt = (x: number, digits = 2): string => {
  const s = x.toFixed(digits);
  return s === `-${(0).toFixed(digits)}` ? (0).toFixed(digits) : s;
};
export const pct = (x: number): string => `${Math.round(x * 100)}%`;
export const figureText = (f: Figure, format: (x: number) => string = fmt): string => (f.defined ? (f.ci ? `${format(f.value)} [${format(f.ci.lower)}, ${format(f.ci.upper)}]` : format(f.value)) : '—');
