import { useEffect, useRef, type MouseEvent } from 'react';
import type { Step, StepLabel } from '../../../../../shared/domain/index.ts';

const COLORS = {
  good: '#2f9e66',
  error: '#d6453a',
  unnecessary: '#d99a1e',
  unsafe: '#8a3ffc',
  none: '#d5d9de',
  tool_error: '#f0a8a2',
} as const;

interface Props {
  steps: readonly Step[];
  labels: ReadonlyMap<string, StepLabel>;
  current: number;
  firstErrorIndex: number;
  /** Visible part of the timeline as fractions of its height. */
  viewport: { top: number; bottom: number };
  onJump: (index: number) => void;
}

/**
 * The whole run at a glance: one band per step coloured by verdict, the first error and the
 * current step marked, and the visible window outlined. Drawn on a canvas so 2,000 steps cost
 * one DOM node. A pointer aid only: every jump it offers has a keyboard equivalent (j/k/u).
 */
export function Minimap({ steps, labels, current, firstErrorIndex, viewport, onJump }: Props) {
  const ref = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const dpr = window.devicePixelRatio || 1;
    const w = canvas.clientWidth;
    const h = canvas.clientHeight;
    if (w === 0 || h === 0) return;
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
    const g = canvas.getContext('2d');
    if (!g) return;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, w, h);
    const n = steps.length;
    const band = h / n;
    steps.forEach((s, i) => {
      const v = labels.get(s.id)?.verdict;
      g.fillStyle = v ? COLORS[v] : s.type === 'tool_result' && s.isError ? COLORS.tool_error : COLORS.none;
      const y = i * band;
      g.fillRect(3, y, w - 6, Math.max(band - (band > 3 ? 1 : 0), 1));
    });
    g.strokeStyle = 'rgba(59, 91, 219, 0.9)';
    g.lineWidth = 1.5;
    g.strokeRect(0.75, viewport.top * h + 0.75, w - 1.5, Math.max((viewport.bottom - viewport.top) * h - 1.5, 3));
    if (firstErrorIndex >= 0) {
      g.fillStyle = '#1a1d21';
      const y = firstErrorIndex * band + band / 2;
      g.beginPath();
      g.moveTo(0, y - 4);
      g.lineTo(5, y);
      g.lineTo(0, y + 4);
      g.fill();
    }
    g.fillStyle = '#3b5bdb';
    g.fillRect(0, current * band, w, Math.max(band, 2));
  }, [steps, labels, current, firstErrorIndex, viewport]);

  const onClick = (e: MouseEvent<HTMLCanvasElement>): void => {
    const rect = e.currentTarget.getBoundingClientRect();
    const i = Math.floor(((e.clientY - rect.top) / rect.height) * steps.length);
    onJump(Math.max(0, Math.min(steps.length - 1, i)));
  };

  return <canvas ref={ref} className="minimap" aria-hidden="true" title="Run overview: click to jump to a step" onClick={onClick} />;
}
