import { useEffect, useRef } from 'react';
import { loadMonaco } from '../task/exemplar/loadMonaco.ts';

/** A read-only Monaco diff of two texts (two annotators' corrections, or one against the draft). */
export function WorkDiff({ original, modified, originalLabel, modifiedLabel }: { original: string; modified: string; originalLabel: string; modifiedLabel: string }) {
  const hostRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let disposed = false;
    let cleanup: (() => void) | null = null;
    void loadMonaco().then((monaco) => {
      const host = hostRef.current;
      if (disposed || !host) return;
      const a = monaco.editor.createModel(original, 'markdown');
      const b = monaco.editor.createModel(modified, 'markdown');
      const diff = monaco.editor.createDiffEditor(host, {
        automaticLayout: true,
        renderSideBySide: true,
        useInlineViewWhenSpaceIsLimited: false,
        readOnly: true,
        originalEditable: false,
        wordWrap: 'on',
        diffWordWrap: 'on',
        minimap: { enabled: false },
        lineNumbers: 'off',
        glyphMargin: false,
        folding: false,
        scrollBeyondLastLine: false,
        renderOverviewRuler: false,
        fontSize: 14,
        lineHeight: 22,
        tabFocusMode: true,
        ignoreTrimWhitespace: false,
        originalAriaLabel: `${originalLabel} (read-only)`,
        modifiedAriaLabel: `${modifiedLabel} (read-only)`,
        renderLineHighlight: 'none',
        // Prose: en-dashes and curly quotes are not suspicious characters here.
        unicodeHighlight: { ambiguousCharacters: false, invisibleCharacters: false, nonBasicASCII: false },
      });
      diff.setModel({ original: a, modified: b });
      // The diff editor's own aria labels do not reach its text areas; each side names itself.
      diff.getOriginalEditor().updateOptions({ ariaLabel: `${originalLabel} (read-only)` });
      diff.getModifiedEditor().updateOptions({ ariaLabel: `${modifiedLabel} (read-only)` });
      cleanup = () => {
        diff.dispose();
        a.dispose();
        b.dispose();
      };
    });
    return () => {
      disposed = true;
      cleanup?.();
    };
  }, [original, modified, originalLabel, modifiedLabel]);
  return (
    <div className="work-diff">
      <div className="work-diff-labels muted small" aria-hidden="true">
        <span>{originalLabel}</span>
        <span>{modifiedLabel}</span>
      </div>
      <div className="work-diff-host" ref={hostRef} />
    </div>
  );
}
