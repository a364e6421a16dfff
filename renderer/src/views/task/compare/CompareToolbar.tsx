import { ShortcutKbd } from '../../../components/Kbd.tsx';
import { hint } from '../../../keyboard/registry.ts';
import { useComparePrefs, type Layout } from './prefs.ts';

/** Layout (grid or tabs, from four responses on) and synchronised scrolling. */
interface Props {
  count: number;
  layout: Layout;
  syncScroll: boolean;
  /** Starts a highlight from the current selection; null when the task is read-only. */
  onHighlight: (() => void) | null;
}

export function CompareToolbar({ count, layout, syncScroll, onHighlight }: Props) {
  const { setLayout, toggleSyncScroll } = useComparePrefs.getState();
  return (
    <div className="compare-toolbar" role="toolbar" aria-label="Response view">
      <span className="muted small">
        {count} responses{count <= 3 ? ', side by side' : ''}
      </span>
      {count >= 4 ? (
        <div className="seg-buttons" role="group" aria-label="Layout">
          {(['grid', 'tabs'] as const).map((l) => (
            <button key={l} type="button" className={`btn btn-small${layout === l ? ' is-active' : ''}`} aria-pressed={layout === l} onClick={() => setLayout(l)} title={hint('compare.layout', l === 'grid' ? 'Grid' : 'Tabs')}>
              {l === 'grid' ? 'Grid' : 'Tabs'}
            </button>
          ))}
          <ShortcutKbd id="compare.layout" />
        </div>
      ) : null}
      {onHighlight ? (
        // mousedown would clear the text selection the highlight is made from.
        <button type="button" className="btn btn-small" onMouseDown={(e) => e.preventDefault()} onClick={onHighlight} title={hint('compare.highlight', 'Highlight the selected text')}>
          Highlight <ShortcutKbd id="compare.highlight" />
        </button>
      ) : null}
      <button type="button" className={`btn btn-small${syncScroll ? ' is-active' : ''}`} aria-pressed={syncScroll} onClick={toggleSyncScroll} title={hint('compare.syncScroll', 'Synchronised scrolling')}>
        Sync scrolling {syncScroll ? 'on' : 'off'} <ShortcutKbd id="compare.syncScroll" />
      </button>
    </div>
  );
}
