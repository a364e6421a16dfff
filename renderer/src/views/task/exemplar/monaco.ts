/**
 * The Monaco editor, loaded from the local package only (never a CDN) and only when an exemplar
 * task opens: the dynamic import keeps ~3 MB of editor out of the compare view's bundle.
 * Only the core editor, its standard contributions (find, undo, folding…) and Markdown
 * colouring are pulled in; the language services of JSON/TS/CSS/HTML are not needed here.
 */
import * as monaco from 'monaco-editor/esm/vs/editor/editor.api';
import 'monaco-editor/esm/vs/editor/editor.all.js';
import 'monaco-editor/esm/vs/basic-languages/markdown/markdown.contribution.js';
import EditorWorker from 'monaco-editor/esm/vs/editor/editor.worker?worker';

// The diff computation runs in this worker (served from 'self', as worker-src requires).
window.MonacoEnvironment = { getWorker: () => new EditorWorker() };

export { monaco };
export type Monaco = typeof monaco;
