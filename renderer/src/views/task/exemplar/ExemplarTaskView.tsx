import { useEffect, useMemo, useRef, useState } from 'react';
import type { ExemplarAnswer, ScoreValue } from '../../../../../shared/domain/index.ts';
import { criteriaFor } from '../../../../../shared/domain/index.ts';
import type { BundleDetail, TaskView } from '../../../../../shared/contract/index.ts';
import { diffStats } from '../../../../../shared/text/word-diff.ts';
import { isFinal, useSubmitState, useTask } from '../../../state/task.ts';
import { useShortcuts } from '../../../keyboard/manager.ts';
import { hint } from '../../../keyboard/registry.ts';
import { Markdown } from '../../../components/Markdown.tsx';
import { Kbd, ShortcutKbd } from '../../../components/Kbd.tsx';
import { TextField } from '../../../components/Field.tsx';
import { focusRadioGroup } from '../../../components/RadioGroup.tsx';
import { deferFocus } from '../../../keyboard/focus.ts';
import { GuidelinesPanel, type GuidelinesHandle } from '../../../components/guidelines/GuidelinesPanel.tsx';
import { ContextPanel } from '../common/ContextPanel.tsx';
import { ScoreControl } from '../common/ScoreControl.tsx';
import { History } from '../common/History.tsx';
import { SubmitBar, useInvalidIds, type SubmitBarHandle } from '../common/SubmitBar.tsx';
import { RubricGuide } from '../common/RubricGuide.tsx';
import { DiffEditor, type DiffEditorHandle } from './DiffEditor.tsx';
import { DiffFigure } from './DiffFigure.tsx';
import { isUnchanged, missingForExemplar } from './exemplarRules.ts';

interface Props {
  view: TaskView;
  bundle: BundleDetail;
  answer: ExemplarAnswer;
  onNextTodo: () => void;
  nextNote: string | null;
}

/** Word-diff statistics are recomputed at most this often while typing (the core recomputes on save). */
const STATS_DEBOUNCE_MS = 150;

/** An exemplar task: the model draft against the annotator's correction, with a note, error types and optional scores. */
export function ExemplarTaskView({ view, bundle, answer, onNextTodo, nextNote }: Props) {
  const { status, submitting, problem } = useSubmitState();
  const { editExemplar } = useTask.getState();

  const task = view.task.kind === 'exemplar' ? view.task : null;
  const draft = task?.draft ?? '';
  const criteria = useMemo(() => criteriaFor(bundle.rubric, 'exemplar'), [bundle]);
  const submitted = isFinal(status);
  const locked = submitted || submitting;
  const [preview, setPreview] = useState(false);
  const editorRef = useRef<DiffEditorHandle>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const sideRef = useRef<HTMLElement>(null);
  const submitRef = useRef<SubmitBarHandle>(null);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const errorsRef = useRef<HTMLFieldSetElement>(null);
  const confirmRef = useRef<HTMLInputElement>(null);
  const guidelinesRef = useRef<GuidelinesHandle>(null);

  const unchanged = isUnchanged(answer, draft);
  const missing = missingForExemplar(answer, draft);
  const missingIds = useInvalidIds(missing);
  const confirmInvalid = missingIds.has('confirm') || problem?.issues.some((i) => i.path === 'answer.confirmedUnchanged') === true;

  // The same word diff the core stores, so the live figure and the saved one always agree.
  const [stats, setStats] = useState(() => diffStats(draft, answer.corrected));
  useEffect(() => {
    const t = window.setTimeout(() => setStats(diffStats(draft, answer.corrected)), STATS_DEBOUNCE_MS);
    return () => window.clearTimeout(t);
  }, [draft, answer.corrected]);

  // Focus on open: the editor's frame (a draft) or the title (submitted work), never inside the
  // editor, where the screen's single-key shortcuts (w, p, m…) would type into the correction.
  // Set on mount (the frame exists before Monaco has loaded); `w` or Enter goes into the editor.
  useEffect(() => {
    if (isFinal(useTask.getState().status)) document.querySelector<HTMLElement>('.task-title')?.focus({ preventScroll: true });
    else editorRef.current?.focusFrame();
  }, []);

  const setCorrected = (corrected: string): void =>
    // Confirming "unchanged" only means something while the text is the draft.
    editExemplar((a) => (a.corrected === corrected ? a : { ...a, corrected, confirmedUnchanged: corrected.trim() === draft.trim() ? a.confirmedUnchanged : false }));
  const setConfirmed = (confirmedUnchanged: boolean): void => editExemplar((a) => ({ ...a, confirmedUnchanged }));
  const setNote = (note: string): void => editExemplar((a) => ({ ...a, note }));
  const toggleError = (id: string, on: boolean): void =>
    editExemplar((a) => ({ ...a, errorTypes: on ? [...a.errorTypes.filter((e) => e !== id), id] : a.errorTypes.filter((e) => e !== id) }));
  const setScore = (criterionId: string, value: ScoreValue): void => editExemplar((a) => ({ ...a, draftScores: { ...a.draftScores, [criterionId]: value } }));
  const clearScore = (criterionId: string): void =>
    editExemplar((a) => {
      const { [criterionId]: _gone, ...rest } = a.draftScores;
      return { ...a, draftScores: rest };
    });

  const focusFrame = (): void => editorRef.current?.focusFrame();
  const showEditor = (): void => {
    setPreview(false);
    deferFocus(() => {
      editorRef.current?.focus();
      return null;
    });
  };

  useShortcuts({
    'exemplar.editor': showEditor,
    'exemplar.preview': () => setPreview((p) => !p),
    'exemplar.undo': () => editorRef.current?.undo(),
    'exemplar.redo': () => editorRef.current?.redo(),
    'exemplar.note': () => noteRef.current?.focus(),
    'exemplar.errors': () => errorsRef.current?.querySelector<HTMLInputElement>('input')?.focus(),
    'exemplar.scores': () => focusRadioGroup(rootRef.current?.querySelector('.draft-scores [role="radiogroup"]') ?? null),
    'exemplar.confirm': () => {
      if (!unchanged || locked) return false;
      setConfirmed(!answer.confirmedUnchanged);
      confirmRef.current?.focus();
    },
    'exemplar.guidelines': () => guidelinesRef.current?.openAt('exemplar'),
  });

  if (!task) return null;
  const errorTypes = bundle.taxonomy.errorTypes;

  return (
    <div className="compare exemplar" ref={rootRef}>
      <div className="compare-main">
        <ContextPanel messages={task.context} />

        <section className="panel exemplar-editor-panel" aria-labelledby="correction-title">
          <div className="exemplar-toolbar">
            <h2 id="correction-title" className="section-title">
              {preview ? 'Preview of the correction' : 'Model draft → your correction'}
            </h2>
            <DiffFigure stats={stats} />
            <div className="exemplar-actions" role="toolbar" aria-label="Editor">
              <button type="button" className="btn btn-small" onClick={() => editorRef.current?.undo()} disabled={locked || preview} title={hint('exemplar.undo', 'Undo')}>
                Undo <ShortcutKbd id="exemplar.undo" />
              </button>
              <button type="button" className="btn btn-small" onClick={() => editorRef.current?.redo()} disabled={locked || preview} title={hint('exemplar.redo', 'Redo')}>
                Redo <ShortcutKbd id="exemplar.redo" />
              </button>
              <button
                type="button"
                className={`btn btn-small${preview ? ' btn-primary' : ''}`}
                aria-pressed={preview}
                onClick={() => setPreview((p) => !p)}
                title={hint('exemplar.preview', 'Rendered preview')}
              >
                Preview <ShortcutKbd id="exemplar.preview" />
              </button>
            </div>
          </div>
          {/* The editor stays mounted under the preview so its undo history survives the switch. */}
          <div className={preview ? 'is-hidden' : 'exemplar-diff'}>
            <div className="exemplar-sides muted small" aria-hidden="true">
              <span>Model draft (read-only)</span>
              <span>
                Your correction · <ShortcutKbd id="exemplar.editor" /> to edit · <Kbd keys="Escape" /> to leave
              </span>
            </div>
            {/* A fresh editor per task: its models, undo history and draft side belong to one task. */}
            <DiffEditor
              key={view.task.id}
              original={draft}
              value={answer.corrected}
              readOnly={locked}
              onChange={setCorrected}
              onSubmit={() => submitRef.current?.submit()}
              handleRef={editorRef}
            />
          </div>
          {preview ? (
            <div className="exemplar-preview" tabIndex={0} role="region" aria-label="Rendered preview of the correction">
              <Markdown text={answer.corrected} />
            </div>
          ) : null}
        </section>
      </div>

      <aside className="judge" aria-label="Your correction" ref={sideRef}>
        <div className="judge-inner">
          <SubmitBar
            scope="exemplar"
            view={view}
            bundle={bundle}
            missing={missing}
            sideRef={sideRef}
            onRevised={focusFrame}
            onNextTodo={onNextTodo}
            nextNote={nextNote}
            handleRef={submitRef}
          >
            {unchanged ? (
              <div className={`judge-section confirm-unchanged${confirmInvalid ? ' is-invalid' : ''}`}>
                <p className="small">
                  <strong>The correction is still identical to the draft.</strong> Edit it, or confirm that the draft needs no change.
                </p>
                <label className="check" title={hint('exemplar.confirm', 'Confirm the draft needs no change')}>
                  <input
                    ref={confirmRef}
                    type="checkbox"
                    checked={answer.confirmedUnchanged}
                    disabled={locked}
                    aria-invalid={confirmInvalid || undefined}
                    onChange={(e) => setConfirmed(e.target.checked)}
                  />
                  The draft needs no change <ShortcutKbd id="exemplar.confirm" />
                </label>
              </div>
            ) : null}

            <div className="judge-section">
              <TextField
                inputRef={noteRef}
                id="exemplar-note"
                label="What was wrong"
                aside="(short)"
                shortcut="exemplar.note"
                rows={3}
                value={answer.note}
                readOnly={locked}
                onChange={setNote}
                placeholder="e.g. Wrong renal dose adjustment; no safety-netting."
                title={hint('exemplar.note', 'What was wrong')}
              />
            </div>

            {errorTypes.length > 0 ? (
              <fieldset className="judge-section error-types" ref={errorsRef} disabled={locked}>
                <legend className="side-title">
                  Error types <ShortcutKbd id="exemplar.errors" />
                </legend>
                <div className="check-grid">
                  {errorTypes.map((et) => (
                    <label key={et.id} className="check" title={et.description}>
                      <input type="checkbox" checked={answer.errorTypes.includes(et.id)} onChange={(e) => toggleError(et.id, e.target.checked)} />
                      {et.label}
                    </label>
                  ))}
                </div>
              </fieldset>
            ) : null}

            {criteria.length > 0 ? (
              <section className="judge-section draft-scores" aria-labelledby="draft-scores-title">
                <h2 id="draft-scores-title" className="side-title">
                  Scores for the draft <span className="muted small">(optional)</span> <ShortcutKbd id="exemplar.scores" />
                </h2>
                {criteria.map((c) => (
                  <div key={c.id} className="draft-score">
                    <ScoreControl
                      criterion={{ ...c, required: false }}
                      responseLabel="the model draft"
                      name={`draft-score:${c.id}`}
                      value={answer.draftScores[c.id]}
                      onChange={(v) => setScore(c.id, v)}
                      disabled={locked}
                      invalid={false}
                    />
                    {answer.draftScores[c.id] !== undefined && !locked ? (
                      <button type="button" className="btn btn-ghost btn-small" onClick={() => clearScore(c.id)} aria-label={`Clear the score for ${c.label}`}>
                        Clear
                      </button>
                    ) : null}
                  </div>
                ))}
              </section>
            ) : null}
          </SubmitBar>

          <History history={view.history} />
          <RubricGuide criteria={criteria} />
          <GuidelinesPanel guidelines={bundle.guidelines} handleRef={guidelinesRef} shortcut="exemplar.guidelines" />
        </div>
      </aside>
    </div>
  );
}
