import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import type { Step, StepLabel } from '../../../../../shared/domain/index.ts';
import type { BundleDetail } from '../../../../../shared/contract/index.ts';
import { StepRow, type FocusRequest, type RowActions } from './StepRow.tsx';
import { Minimap } from './Minimap.tsx';
import type { StepNotes } from './notesPerStep.ts';

interface Props {
  steps: readonly Step[];
  labels: ReadonlyMap<string, StepLabel>;
  current: number;
  firstErrorIndex: number;
  unfolded: ReadonlySet<string>;
  locked: boolean;
  errorTypes: BundleDetail['taxonomy']['errorTypes'];
  focus: FocusRequest | null;
  actions: RowActions;
  /** Bumped whenever the current step must be scrolled into view (keyboard moves, jumps). */
  revealSeq: number;
  scrollRef: RefObject<HTMLDivElement | null>;
  /** Makes a step current and scrolls to it (the minimap's jumps). */
  onJump: (index: number) => void;
  /** Assumptions and escalations about each step (by step id). */
  notesByStep: ReadonlyMap<string, StepNotes>;
}

/**
 * A first guess at a row's height so the scrollbar is close before rows are measured. Called for
 * every step when a task opens, so it only counts characters and line breaks: no JSON parsing.
 */
function estimate(step: Step | undefined): number {
  if (!step) return 120;
  const text = step.type === 'tool_call' ? '' : step.content;
  let lines = 1;
  for (let i = 0; i < text.length; i += 1) if (text.charCodeAt(i) === 10) lines += 1;
  const wrapped = Math.max(lines, Math.ceil(text.length / 90));
  // Tool JSON is shown indented, one field a line, and folded beyond ten lines.
  const shown = step.type === 'tool_call' ? 6 : step.type === 'tool_result' ? Math.min(10, 2 + Math.ceil(text.length / 60)) : Math.min(wrapped, 12);
  return 92 + shown * 21;
}

/**
 * The run, virtualised: only the rows in view (plus a few either side, plus the current step so
 * focus never lands on a removed node) are in the DOM, and each is measured as it renders since
 * messages, JSON and open editors make heights vary.
 */
export function Timeline({ steps, labels, current, firstErrorIndex, unfolded, locked, errorTypes, focus, actions, revealSeq, scrollRef, notesByStep, onJump }: Props) {
  const [viewport, setViewport] = useState({ top: 0, bottom: 1 });
  const currentRef = useRef(current);
  currentRef.current = current;

  // Depends on `current` so the virtualizer recomputes its rows when the current step changes.
  const rangeExtractor = useCallback(
    (range: Range): number[] => {
      const list = defaultRangeExtractor(range);
      if (current >= 0 && current < range.count && !list.includes(current)) {
        list.push(current);
        list.sort((a, b) => a - b);
      }
      return list;
    },
    [current],
  );

  // The virtualizer returns a mutable instance; the React Compiler skips this component, which is fine.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: steps.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => estimate(steps[i]),
    getItemKey: (i) => steps[i]?.id ?? i,
    overscan: 4,
    rangeExtractor,
  });

  // Keyboard moves bring the current step into view before it takes focus.
  // A step taller than the view is aligned by its top, so its number and type stay visible.
  useLayoutEffect(() => {
    if (revealSeq === 0) return;
    const i = currentRef.current;
    const size = virtualizer.measurementsCache[i]?.size ?? 0;
    const view = scrollRef.current?.clientHeight ?? 0;
    virtualizer.scrollToIndex(i, { align: size > view ? 'start' : 'auto' });
  }, [revealSeq, virtualizer, scrollRef]);

  const updateViewport = useCallback(() => {
    const el = scrollRef.current;
    if (!el || el.scrollHeight === 0) return;
    setViewport({ top: el.scrollTop / el.scrollHeight, bottom: Math.min(1, (el.scrollTop + el.clientHeight) / el.scrollHeight) });
  }, [scrollRef]);

  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    updateViewport();
    el.addEventListener('scroll', updateViewport, { passive: true });
    return () => el.removeEventListener('scroll', updateViewport);
  }, [scrollRef, updateViewport]);

  const callStep = useMemo(() => {
    const m = new Map<string, number>();
    steps.forEach((s, i) => {
      if (s.type === 'tool_call' && s.callId) m.set(s.callId, i + 1);
    });
    return m;
  }, [steps]);
  const items = virtualizer.getVirtualItems();

  return (
    <div className="timeline-wrap">
      <Minimap steps={steps} labels={labels} current={current} firstErrorIndex={firstErrorIndex} viewport={viewport} onJump={onJump} />
      <div ref={scrollRef} className="timeline-scroll" data-testid="timeline-scroll">
        <div role="feed" aria-label={`Steps of the run (${steps.length})`} aria-busy="false" className="timeline-feed" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const step = steps[item.index];
            if (!step) return null;
            return (
              <div key={item.key} data-index={item.index} ref={virtualizer.measureElement} className="timeline-item" style={{ transform: `translateY(${item.start}px)` }}>
                <StepRow
                  step={step}
                  index={item.index}
                  total={steps.length}
                  label={labels.get(step.id)}
                  current={item.index === current}
                  isFirstError={item.index === firstErrorIndex}
                  unfolded={unfolded.has(step.id)}
                  locked={locked}
                  errorTypes={errorTypes}
                  callStepNo={step.type === 'tool_result' && step.callId ? (callStep.get(step.callId) ?? null) : null}
                  focus={item.index === current ? focus : null}
                  notes={notesByStep.get(step.id) ?? null}
                  actions={actions}
                />
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
