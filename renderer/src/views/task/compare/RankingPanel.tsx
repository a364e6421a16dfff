import { useState, type DragEvent, type KeyboardEvent, type RefObject } from 'react';
import { ShortcutKbd } from '../../../components/Kbd.tsx';
import { deferFocus } from '../../../keyboard/focus.ts';
import { hint, responseLetter } from '../../../keyboard/registry.ts';
import { effectiveRanking, moveBefore, moveDown, moveUp, ranks, toggleTie, type Ranking } from './ranking.ts';

interface Props {
  ranking: Ranking | null;
  displayOrder: readonly string[];
  disabled: boolean;
  invalid: boolean;
  onChange: (ranking: Ranking) => void;
  listRef: RefObject<HTMLOListElement | null>;
}

/** The id of the ranking row that has focus, if any (the rank shortcuts act on it). */
export function focusedRankId(): string | null {
  return document.activeElement instanceof HTMLElement ? (document.activeElement.closest<HTMLElement>('[data-rank-id]')?.dataset.rankId ?? null) : null;
}

/**
 * Puts focus back on a response's row after it moved (the row element is re-rendered elsewhere),
 * unless the expert has already gone on (`r` and a sentence typed straight after `=`).
 */
export function focusRankRow(list: HTMLOListElement | null, id: string): void {
  deferFocus(() => list?.querySelector<HTMLElement>(`[data-rank-id="${CSS.escape(id)}"]`));
}

/**
 * Full ranking with ties for N > 2: drag a row, or from the keyboard focus a row (↑/↓ between
 * rows), Alt+↑/↓ to move it, = to tie it with the row above (again to untie).
 */
export function RankingPanel({ ranking, displayOrder, disabled, invalid, onChange, listRef }: Props) {
  const groups = effectiveRanking(ranking, displayOrder);
  const rankOf = ranks(groups);
  const label = (id: string): string => `Response ${responseLetter(displayOrder.indexOf(id))}`;
  const [dragging, setDragging] = useState<string | null>(null);
  const rows = groups.flatMap((g, gi) => g.map((id, k) => ({ id, gi, tiedAbove: k > 0, tied: g.length > 1 })));

  const apply = (next: Ranking, id: string): void => {
    if (disabled) return;
    onChange(next);
    focusRankRow(listRef.current, id);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLLIElement>, index: number): void => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const to = e.key === 'ArrowDown' ? index + 1 : e.key === 'ArrowUp' ? index - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? rows.length - 1 : null;
    if (to === null || to < 0 || to >= rows.length) return;
    e.preventDefault();
    listRef.current?.querySelectorAll<HTMLElement>('[data-rank-id]')[to]?.focus();
  };
  const onDrop = (e: DragEvent<HTMLLIElement>, targetId: string): void => {
    e.preventDefault();
    const id = e.dataTransfer.getData('text/x-casebook-response') || dragging;
    setDragging(null);
    if (id) apply(moveBefore(groups, id, targetId), id);
  };

  return (
    <div className={`field ranking${invalid ? ' is-invalid' : ''}`}>
      <div className="field-label" id="ranking-label">
        Ranking, best first
        <span className="required" aria-hidden="true" title="Required">
          *
        </span>
        <span className="field-label-key" title={hint('compare.rank')} aria-hidden="true">
          <ShortcutKbd id="compare.rank" />
        </span>
      </div>
      {ranking === null ? <div className="field-hint">Not ranked yet: shown in display order. Move or tie any response to start.</div> : null}
      <ol className="rank-list" ref={listRef} aria-labelledby="ranking-label" aria-describedby="ranking-help" aria-invalid={invalid || undefined}>
        {rows.map((row, i) => {
          const name = label(row.id);
          const place = rankOf.get(row.id) ?? 0;
          return (
            <li
              key={row.id}
              data-rank-id={row.id}
              tabIndex={i === 0 ? 0 : -1}
              className={`rank-row${row.tiedAbove ? ' is-tied-above' : ''}${dragging === row.id ? ' is-dragging' : ''}`}
              aria-label={`${name}: rank ${place}${row.tied ? ', tied' : ''}`}
              draggable={!disabled}
              onKeyDown={(e) => onKeyDown(e, i)}
              onDragStart={(e) => {
                e.dataTransfer.setData('text/x-casebook-response', row.id);
                e.dataTransfer.effectAllowed = 'move';
                setDragging(row.id);
              }}
              onDragEnd={() => setDragging(null)}
              onDragOver={(e) => e.preventDefault()}
              onDrop={(e) => onDrop(e, row.id)}
            >
              <span className="rank-place" aria-hidden="true">
                {row.tiedAbove ? '=' : place}
              </span>
              <span className="rank-grip" aria-hidden="true">
                ⋮⋮
              </span>
              <span className="rank-name">{name}</span>
              {row.tied ? <span className="badge">tie</span> : null}
              <span className="rank-actions">
                <button type="button" className="btn btn-ghost btn-icon" tabIndex={-1} disabled={disabled} onClick={() => apply(moveUp(groups, row.id), row.id)} title={hint('compare.rankUp', `Move ${name} up`)} aria-label={`Move ${name} up`}>
                  ↑
                </button>
                <button type="button" className="btn btn-ghost btn-icon" tabIndex={-1} disabled={disabled} onClick={() => apply(moveDown(groups, row.id), row.id)} title={hint('compare.rankDown', `Move ${name} down`)} aria-label={`Move ${name} down`}>
                  ↓
                </button>
                <button
                  type="button"
                  className="btn btn-ghost btn-icon"
                  tabIndex={-1}
                  disabled={disabled || (row.gi === 0 && !row.tied)}
                  onClick={() => apply(toggleTie(groups, row.id), row.id)}
                  title={hint('compare.rankTie', row.tied ? `Untie ${name}` : `Tie ${name} with the one above`)}
                  aria-label={row.tied ? `Untie ${name}` : `Tie ${name} with the one above`}
                >
                  =
                </button>
              </span>
            </li>
          );
        })}
      </ol>
      <div id="ranking-help" className="field-hint">
        ↑/↓ choose a row · <ShortcutKbd id="compare.rankUp" />/<ShortcutKbd id="compare.rankDown" /> move it · <ShortcutKbd id="compare.rankTie" /> tie with the one above · or drag
      </div>
    </div>
  );
}
