import type { DiffStats } from '../../../../../shared/text/word-diff.ts';

/**
 * Words added, removed and changed, as numbers and as a small proportional bar, so the size of
 * a correction is visible at a glance.
 */
export function DiffFigure({ stats }: { stats: DiffStats }) {
  const total = stats.wordsAdded + stats.wordsRemoved + stats.wordsChanged;
  const pct = (n: number): string => `${total === 0 ? 0 : (n / total) * 100}%`;
  const text = `${stats.wordsAdded} words added, ${stats.wordsRemoved} removed, ${stats.wordsChanged} changed`;
  return (
    <div className="diff-figure" role="status" aria-live="polite" title={text}>
      {/* Each figure carries its word: "+29 −10 ~34" alone left people guessing what ~ meant. */}
      <span className="diff-word" aria-hidden="true">
        Words
      </span>
      <span className="diff-item" aria-hidden="true">
        <span className="diff-num diff-add">+{stats.wordsAdded}</span> <span className="diff-word">added</span>
      </span>
      <span className="diff-item" aria-hidden="true">
        <span className="diff-num diff-del">−{stats.wordsRemoved}</span> <span className="diff-word">removed</span>
      </span>
      <span className="diff-item" aria-hidden="true">
        <span className="diff-num diff-chg">~{stats.wordsChanged}</span> <span className="diff-word">changed</span>
      </span>

      <span className="diff-bar" aria-hidden="true">
        <span className="diff-bar-add" style={{ width: pct(stats.wordsAdded) }} />
        <span className="diff-bar-del" style={{ width: pct(stats.wordsRemoved) }} />
        <span className="diff-bar-chg" style={{ width: pct(stats.wordsChanged) }} />
      </span>
      <span className="sr-only">{text}</span>
    </div>
  );
}
