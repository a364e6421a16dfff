import { useEffect, useImperativeHandle, useRef, useState, type KeyboardEvent, type Ref } from 'react';
import type { editor as MonacoEditor } from 'monaco-editor/esm/vs/editor/editor.api';
import { loadMonaco } from './loadMonaco.ts';
import type { Monaco } from './monaco.ts';

/** Monaco focuses itself when a command runs; a toolbar button or shortcut should not move focus. */
function keepFocus(run: () => void): void {
  const before = document.activeElement;
  run();
  if (before instanceof HTMLElement && document.activeElement !== before) before.focus({ preventScroll: true });
}

/**
 * The diff editor's originalAriaLabel/modifiedAriaLabel options do not reach the inner
 * textareas (they end up with aria-label=""), and updating the diff editor's options resets
 * them; so each side is labelled directly, after every options update.
 */
function labelSides(diff: MonacoEditor.IStandaloneDiffEditor): void {
  diff.getOriginalEditor().updateOptions({ ariaLabel: 'Model draft (read-only)' });
  diff.getModifiedEditor().updateOptions({ ariaLabel: 'Corrected response (editable)' });
}

/** What the exemplar view may ask of the editor. */
export interface DiffEditorHandle {
  /** Into the correction, to type. */
  focus: () => void;
  /** The editor's frame: in reach, but keys are shortcuts again (Enter or `w` goes in). */
  focusFrame: () => void;
  undo: () => void;
  redo: () => void;
}

interface Props {
  /** The model's draft (left, read-only). */
  original: string;
  /** The annotator's correction (right, editable). */
  value: string;
  readOnly: boolean;
  onChange: (value: string) => void;
  /** Ctrl/⌘+Enter inside the editor (Monaco would otherwise insert a line). */
  onSubmit: () => void;
  /** Called once the editor exists (for focusing it when a task opens). */
  onReady?: () => void;
  handleRef?: Ref<DiffEditorHandle>;
}

/**
 * Monaco's diff editor: the draft on the left, the correction on the right. The editor keeps its
 * own undo history for as long as this component lives (the whole time the task is open, even
 * while the preview is shown), so undo/redo work across preview switches.
 */
export function DiffEditor({ original, value, readOnly, onChange, onSubmit, onReady, handleRef }: Props) {
  const hostRef = useRef<HTMLDivElement>(null);
  const wrapRef = useRef<HTMLDivElement>(null);
  const editorRef = useRef<MonacoEditor.IStandaloneDiffEditor | null>(null);
  const monacoRef = useRef<Monaco | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [ready, setReady] = useState(false);
  // Latest callbacks, so the editor's listeners (made once) never call stale closures.
  const cb = useRef({ onChange, onSubmit, onReady });
  cb.current = { onChange, onSubmit, onReady };
  // Set while we write the value ourselves, so that write is not echoed back as an edit.
  const applying = useRef(false);

  // Escape leaves the editor (so single-key shortcuts work again) unless Monaco has a widget of
  // its own open to dismiss; focus moves to the editor's frame rather than being lost. Caught on
  // the way down, before Monaco's own key handling sees it.
  const onKeyDownCapture = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (e.target === wrapRef.current) {
      // On the frame, Enter goes into the correction (as on any focused widget).
      if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey && !e.altKey && !e.shiftKey && editorRef.current) {
        e.preventDefault();
        editorRef.current.getModifiedEditor().focus();
      }
      return;
    }
    if (e.key !== 'Escape') return;
    if (wrapRef.current?.querySelector('.suggest-widget.visible, .find-widget.visible')) return;
    e.preventDefault();
    e.stopPropagation();
    wrapRef.current?.focus();
  };

  useImperativeHandle(handleRef, () => ({
    focus: () => editorRef.current?.getModifiedEditor().focus(),
    focusFrame: () => wrapRef.current?.focus({ preventScroll: true }),
    undo: () => keepFocus(() => editorRef.current?.getModifiedEditor().trigger('toolbar', 'undo', null)),
    redo: () => keepFocus(() => editorRef.current?.getModifiedEditor().trigger('toolbar', 'redo', null)),
  }));

  // Created once per mount (the task view remounts it per task).
  useEffect(() => {
    let disposed = false;
    let cleanup: (() => void) | null = null;
    loadMonaco()
      .then((monaco) => {
        const host = hostRef.current;
        if (disposed || !host) return;
        monacoRef.current = monaco;
        const originalModel = monaco.editor.createModel(original, 'markdown');
        const modifiedModel = monaco.editor.createModel(value, 'markdown');
        const diff = monaco.editor.createDiffEditor(host, {
          automaticLayout: true,
          renderSideBySide: true,
          // Always side by side: switching to the inline view while the preview hides the
          // editor (zero width) left the draft side wrapped at the wrong width on return.
          useInlineViewWhenSpaceIsLimited: false,
          originalEditable: false,
          readOnly,
          wordWrap: 'on',
          diffWordWrap: 'on',
          // This is prose, not code: an en dash in "6–12 weeks" or a curly quote is meant, and a
          // box round each one is noise. Invisible characters (zero-width spaces) stay marked:
          // in a corrected clinical text they are worth seeing.
          unicodeHighlight: { ambiguousCharacters: false, nonBasicASCII: false, invisibleCharacters: true },
          minimap: { enabled: false },
          lineNumbers: 'off',
          glyphMargin: false,
          folding: false,
          scrollBeyondLastLine: false,
          renderOverviewRuler: false,
          fontSize: 14,
          fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', 'Liberation Mono', monospace",
          lineHeight: 22,
          padding: { top: 8, bottom: 8 },
          // Tab moves focus on instead of inserting a tab: prose needs no tabs, and the keyboard
          // must never be trapped in the editor.
          tabFocusMode: true,
          ignoreTrimWhitespace: false,
          originalAriaLabel: 'Model draft (read-only)',
          modifiedAriaLabel: 'Corrected response (editable)',
          accessibilitySupport: 'auto',
          // Prose, not code: no pop-up word completions or parameter hints while writing.
          quickSuggestions: false,
          suggestOnTriggerCharacters: false,
          parameterHints: { enabled: false },
          renderLineHighlight: 'none',
        });
        diff.setModel({ original: originalModel, modified: modifiedModel });
        const modified = diff.getModifiedEditor();
        labelSides(diff);
        const sub = modified.onDidChangeModelContent(() => {
          if (!applying.current) cb.current.onChange(modified.getValue());
        });
        modified.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => cb.current.onSubmit());
        editorRef.current = diff;
        setReady(true);
        cb.current.onReady?.();
        cleanup = () => {
          sub.dispose();
          diff.dispose();
          originalModel.dispose();
          modifiedModel.dispose();
        };
      })
      .catch((e: unknown) => setFailed(e instanceof Error ? e.message : String(e)));
    return () => {
      disposed = true;
      cleanup?.();
      editorRef.current = null;
    };
    // Mount-only: later changes of the props are applied by the effects below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // A value from outside (revise, reload) replaces the text; the annotator's own edits are
  // already in the editor and are left alone (keeping the cursor and the undo history).
  useEffect(() => {
    const modified = editorRef.current?.getModifiedEditor();
    if (!modified || modified.getValue() === value) return;
    applying.current = true;
    try {
      modified.setValue(value);
    } finally {
      applying.current = false;
    }
  }, [value, ready]);

  useEffect(() => {
    const diff = editorRef.current;
    if (!diff) return;
    diff.updateOptions({ readOnly });
    diff.getModifiedEditor().updateOptions({ readOnly });
    labelSides(diff);
  }, [readOnly, ready]);

  return (
    <div
      className="diff-editor-wrap"
      ref={wrapRef}
      tabIndex={-1}
      role="group"
      aria-label="Model draft and your correction (Enter or w to edit the correction)"
      onKeyDownCapture={onKeyDownCapture}
    >
      {failed ? (
        <div className="alert alert-error" role="alert">
          The editor could not start: {failed}
        </div>
      ) : null}
      {!ready && !failed ? (
        <div className="diff-editor-loading muted" role="status">
          Loading the editor…
        </div>
      ) : null}
      <div className="diff-editor" ref={hostRef} data-ready={ready || undefined} />
    </div>
  );
}
