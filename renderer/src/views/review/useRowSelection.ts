import { useEffect, useRef, useState } from 'react';
import { useShortcuts } from '../../keyboard/manager.ts';

/**
 * j/k (and arrows) move a highlighted row in a listbox and Enter opens it, the same way the task
 * queue works; the list element keeps focus and points at the row with aria-activedescendant.
 */
export function useRowSelection<T>(rows: readonly T[], onOpen: (row: T) => void, idOf: (row: T, index: number) => string) {
  const [selected, setSelected] = useState(0);
  const listRef = useRef<HTMLDivElement>(null);
  const index = rows.length === 0 ? -1 : Math.min(selected, rows.length - 1);

  useEffect(() => {
    const row = index >= 0 ? rows[index] : undefined;
    if (row !== undefined) document.getElementById(idOf(row, index))?.scrollIntoView({ block: 'nearest' });
  }, [index, rows, idOf]);

  const move = (delta: number): void => {
    if (rows.length === 0) return;
    setSelected(Math.max(0, Math.min(rows.length - 1, index + delta)));
    if (document.activeElement !== listRef.current) listRef.current?.focus();
  };

  useShortcuts({
    'review.down': () => move(1),
    'review.up': () => move(-1),
    'review.open': () => {
      const row = index >= 0 ? rows[index] : undefined;
      if (row === undefined) return false;
      onOpen(row);
    },
  });

  const activeId = index >= 0 && rows[index] !== undefined ? idOf(rows[index], index) : undefined;
  return { index, setSelected, listRef, activeId };
}
