import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { AdjudicationInput, BundleDetail, ReviewTaskView, TaskView } from '../../../../shared/contract/index.ts';
import type { AnnotationContent, Answer } from '../../../../shared/domain/index.ts';
import { call, errorMessage } from '../../api/client.ts';
import { useQuery } from '../../api/useQuery.ts';
import { useBundles } from '../../state/bundles.ts';
import { navigate, useRouter } from '../../state/router.ts';
import { editableTaskStore, emptyCompareContent, emptyExemplarContent, emptyTrajectoryContent, type TaskBackend, type TaskStore } from '../../state/task.ts';
import { isTextField } from '../../keyboard/match.ts';
import { KindBadge } from '../../components/Badges.tsx';
import { Kbd } from '../../components/Kbd.tsx';
import { Loading } from '../../components/Spinner.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { TaskKindView } from '../task/TaskKindView.tsx';
import { SideBySide, who } from './SideBySide.tsx';
import { NotesBeside } from './NotesBeside.tsx';
import { answerSummary } from './answerSummary.ts';
import { disagreementWords } from './disagreement.ts';
import { RemergeNotice } from './RemergeNotice.tsx';

type Mode = 'accept' | 'edit' | 'own' | 'remerge';
const escKey = (annotationId: string, escalationId: string): string => `${annotationId}/${escalationId}`;

const MODE_LABEL: Record<Mode, (name: string) => string> = {
  remerge: () => 'Start from the re-merge proposal',
  accept: (name) => `Accept ${name}’s answer`,
  edit: (name) => `Start from ${name}’s and edit`,
  own: () => 'Write your own',
};
const MODE_KEY: Record<Mode, string> = { remerge: 'm', accept: 'a', edit: 'e', own: 'o' };

function emptyFor(review: ReviewTaskView): AnnotationContent {
  if (review.task.kind === 'trajectory') return emptyTrajectoryContent();
  if (review.task.kind === 'exemplar') return emptyExemplarContent(review.task.draft);
  return emptyCompareContent();
}

/** The task as the editing views take it, for the reviewer's own draft decision. */
function draftView(review: ReviewTaskView, displayOrder: string[]): TaskView {
  return {
    bundleId: review.bundleId,
    bundleVersion: review.bundleVersion,
    task: review.task,
    position: 0,
    total: 0,
    status: 'draft',
    displayOrder: displayOrder.length > 0 ? displayOrder : review.task.kind === 'compare' ? review.task.responses.map((r) => r.id) : [],
    annotation: null,
    history: [],
  };
}

/**
 * Settling one task: every annotator's work side by side (names hidden until the decision, if
 * the reviewer wants), their assumptions and escalations beside it, and the decision: accept one
 * answer, start from one and edit it in the real task view, or write one's own; a rationale;
 * which escalations it resolves. A stale decision opens on its re-merge proposal instead: what was
 * decided stays, undecided fields are proposed again from the work now held, and the reviewer
 * edits that. Keyboard: 1–9 pick an annotator, a accept, e edit from theirs, o own answer, m the
 * re-merge proposal, b names hidden/shown, r rationale, Ctrl+Enter decide.
 */
export function AdjudicateScreen({ bundleId, taskId }: { bundleId: string; taskId: string }) {
  const reloadKey = useRouter((s) => s.reloadKey);
  const detailOf = useBundles((s) => s.detail);
  const [blind, setBlind] = useState(true);
  const [decided, setDecided] = useState(0);
  const { result, error } = useQuery(
    () => Promise.all([call('reviews.task', { bundleId, taskId, blind }), detailOf(bundleId)]),
    [bundleId, taskId, blind, decided, reloadKey, detailOf],
  );
  const headingRef = useRef<HTMLHeadingElement>(null);
  // The decision's keys work wherever focus is on this screen (the title has it first), except in fields.
  const keysRef = useRef<((e: KeyboardEvent<HTMLElement>) => void) | null>(null);
  useEffect(() => {
    headingRef.current?.focus({ preventScroll: true });
  }, [taskId]);

  // Columns in pseudonym order (Annotator A, B…), so 1 is A whatever order the work came in.
  const sorted = useMemo(() => (result ? { ...result[0], work: [...result[0].work].sort((a, b) => a.pseudonym.localeCompare(b.pseudonym)) } : null), [result]);
  let body;
  if (error) body = <LoadError error={error} what="this task’s work" />;
  else if (!result) body = <Loading label="Putting the work side by side…" />;
  else
    body = (
      <Decision
        key={`${result[0].taskHash}:${result[0].adjudication?.record.id ?? ''}`}
        review={sorted ?? result[0]}
        bundle={result[1]}
        blind={blind}
        onBlind={setBlind}
        keysRef={keysRef}
        onDecided={() => {
          // Names are shown again once the decision is made.
          setBlind(false);
          setDecided((n) => n + 1);
        }}
      />
    );

  const review = result?.[0];
  return (
    <main className="page page-wide adjudicate" id="main" tabIndex={-1} onKeyDown={(e) => keysRef.current?.(e)}>
      <div className="page-header">
        <div>
          <h1 className="page-title" ref={headingRef} tabIndex={-1}>
            {review ? (review.task.title ?? review.task.id) : 'Adjudicate'}
          </h1>
          {review ? (
            <p className="muted small">
              <KindBadge kind={review.task.kind} /> {review.work.length} annotators · {disagreementWords(review.disagreement)}
              {review.gold ? ' · gold item' : ''}
              {review.earlierWork > 0 ? ` · ${review.earlierWork} earlier answer${review.earlierWork === 1 ? '' : 's'} on older content not compared` : ''}
            </p>
          ) : null}
        </div>
        <button type="button" className="btn btn-small" onClick={() => void navigate({ name: 'review' })}>
          Back to the queue
        </button>
      </div>
      {body}
    </main>
  );
}

interface DecisionProps {
  review: ReviewTaskView;
  bundle: BundleDetail;
  blind: boolean;
  onBlind: (blind: boolean) => void;
  onDecided: () => void;
  keysRef: { current: ((e: KeyboardEvent<HTMLElement>) => void) | null };
}

function Decision({ review, bundle, blind, onBlind, onDecided, keysRef }: DecisionProps) {
  const draft = review.draft;
  const initialChosen = Math.max(0, draft?.source ? review.work.findIndex((w) => w.annotationId === draft.source) : 0);
  const [chosen, setChosen] = useState(initialChosen);
  const proposal = review.stale ? review.proposal : null;
  // A draft is the reviewer's work in progress and wins; without one, a stale decision starts
  // from its re-merge proposal, with the reason it was decided for.
  const startsFromProposal = !draft && proposal !== null;
  const [mode, setMode] = useState<Mode>(draft?.method === 'edited' ? 'edit' : draft?.method === 'own' ? 'own' : startsFromProposal ? 'remerge' : 'accept');
  const [rationale, setRationale] = useState(draft?.rationale ?? (startsFromProposal ? (review.adjudication?.record.rationale ?? '') : ''));
  const [resolves, setResolves] = useState<Set<string>>(() => new Set((draft?.resolvesEscalations ?? []).map((r) => escKey(r.annotationId, r.escalationId))));
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [announce, setAnnounce] = useState('');
  const rationaleRef = useRef<HTMLTextAreaElement>(null);
  const source = review.work[chosen] ?? null;
  // The proposal grows from the decision: still "edited from" its source while that is an
  // annotator's latest work, the reviewer's own answer otherwise (a revision replaced it).
  const decidedFrom = review.work.find((w) => w.annotationId === review.adjudication?.record.source) ?? null;

  // What the decision says besides its answer, read by the editing store's backend when it saves.
  const input = (answer: Answer | undefined, m: Mode): AdjudicationInput => ({
    bundleId: review.bundleId,
    taskId: review.task.id,
    method: m === 'accept' ? 'accepted' : m === 'edit' || (m === 'remerge' && decidedFrom) ? 'edited' : 'own',
    source: m === 'own' ? null : m === 'remerge' ? (decidedFrom?.annotationId ?? null) : (source?.annotationId ?? null),
    ...(answer ? { answer } : {}),
    rationale,
    resolvesEscalations: [...resolves].map((k) => {
      const [annotationId = '', escalationId = ''] = k.split('/');
      return { annotationId, escalationId };
    }),
  });
  const inputRef = useRef(input);
  useEffect(() => {
    inputRef.current = input;
  });

  const submit = async (answer: Answer | undefined): Promise<boolean> => {
    if (busy) return false;
    if (!rationale.trim()) {
      setProblem('Give the reason for this decision: it travels with it to the annotators.');
      rationaleRef.current?.focus();
      return false;
    }
    setBusy(true);
    setProblem(null);
    try {
      const r = await call('adjudications.submit', input(answer, mode));
      setAnnounce(`Decided (revision ${r.revision}).`);
      onDecided();
      return true;
    } catch (e) {
      setProblem(errorMessage(e));
      return false;
    } finally {
      setBusy(false);
    }
  };
  const submitRef = useRef(submit);
  useEffect(() => {
    submitRef.current = submit;
  });

  // The reviewer's own answer (or one started from an annotator's) is edited in the real view.
  const store = useMemo<TaskStore | null>(() => {
    if (mode === 'accept') return null;
    const backend: TaskBackend = {
      own: false,
      open: () => Promise.resolve(draftView(review, [])),
      saveDraft: async (_b, _t, content) => {
        await call('adjudications.saveDraft', inputRef.current(content.answer, mode));
        return { activeMs: 0 };
      },
      submit: async (_b, _t, content) => {
        const ok = await submitRef.current(content.answer);
        if (!ok) throw new Error('The decision was not recorded.');
        return { activeMs: 0, revision: 1 };
      },
      revise: () => Promise.reject(new Error('Decisions are revised by deciding again.')),
    };
    const base = mode === 'edit' && source ? source : null;
    const start: AnnotationContent = base
      ? { answer: base.content.answer, assumptions: [], escalations: [], highlights: [] }
      : mode === 'remerge' && proposal
        ? { answer: proposal.answer, assumptions: [], escalations: [], highlights: [] }
        : draft?.answer && draft.method === 'own'
          ? { answer: draft.answer, assumptions: [], escalations: [], highlights: [] }
          : emptyFor(review);
    const order = base?.displayOrder ?? (mode === 'remerge' ? decidedFrom?.displayOrder : undefined) ?? [];
    return editableTaskStore(backend, draftView(review, order), bundle, start);
    // A new store only when what it starts from changes (not on every keystroke of the rationale).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [mode, source?.annotationId, review, bundle]);

  const onKey = (e: KeyboardEvent<HTMLElement>): void => {
    if (e.ctrlKey && e.key === 'Enter') {
      e.preventDefault();
      if (mode === 'accept') void submit(undefined);
      else if (store) void store.getState().submit();
      return;
    }
    // While an answer is edited, its view owns the keyboard; in fields, keys type.
    if (mode !== 'accept' || e.ctrlKey || e.metaKey || e.altKey || isTextField(e.target) || (e.target instanceof HTMLElement && e.target.closest('select, .monaco-editor'))) return;
    const digit = /^[1-9]$/.test(e.key) ? Number(e.key) - 1 : -1;
    if (digit >= 0 && digit < review.work.length) setChosen(digit);
    else if (e.key === 'e') setMode('edit');
    else if (e.key === 'o') setMode('own');
    else if (e.key === 'm' && proposal) setMode('remerge');
    else if (e.key === 'a') setMode('accept');
    else if (e.key === 'b') onBlind(!blind);
    else if (e.key === 'r') rationaleRef.current?.focus();
    else return;
    e.preventDefault();
  };

  useEffect(() => {
    keysRef.current = onKey;
    return () => {
      keysRef.current = null;
    };
  });

  const decision = review.adjudication;
  return (
    <div className="adj">
      {review.stale ? (
        <div className="notice" role="note">
          <span>
            <strong>Stale decision.</strong> Work arrived or was revised after revision {decision?.record.revision ?? '?'} of the decision; it is back in the queue.
            {proposal ? ' Deciding again starts from the re-merge proposal below: what was decided stays, only undecided fields are proposed again.' : ''}
          </span>
        </div>
      ) : null}
      {decision ? (
        <div className={`decided-box${review.stale ? ' is-stale' : ''}`}>
          <strong>Decision in force</strong> (revision {decision.record.revision}, {decision.record.method}
          {decision.sourcePseudonym ? ` from ${decision.sourcePseudonym}` : ''}) by {decision.record.reviewerName}: {answerSummary(decision.record.answer)}. <span className="muted">“{decision.record.rationale}”</span>
        </div>
      ) : null}
      <div className="adj-toolbar" role="group" aria-label="Names">
        <label className="toggle">
          <input type="checkbox" checked={blind} onChange={(e) => onBlind(e.target.checked)} /> Hide names while deciding <Kbd keys="b" />
        </label>
        <span className="muted small">
          <Kbd keys="1" />–<Kbd keys={String(Math.min(9, review.work.length))} /> pick an annotator · <Kbd keys="a" /> accept · <Kbd keys="e" /> edit theirs · <Kbd keys="o" /> your own ·{proposal ? <> <Kbd keys="m" /> re-merge proposal ·</> : null} <Kbd keys="r" /> reason ·{' '}
          <Kbd keys="Ctrl+Enter" /> decide
        </span>
      </div>
      <div className="adj-grid">
        <div className="adj-work">
          <SideBySide review={review} bundle={bundle} chosen={chosen} />
        </div>
        <aside className="adj-side" aria-label="Assumptions and escalations">
          <NotesBeside review={review} bundle={bundle} resolves={resolves} onResolve={(k, on) => setResolves((s) => {
            const next = new Set(s);
            if (on) next.add(k);
            else next.delete(k);
            return next;
          })} />
        </aside>
      </div>
      <section className="panel adj-decide" aria-labelledby="adj-decide-title">
        <h2 className="section-title" id="adj-decide-title">
          Your decision
        </h2>
        <div className="adj-modes" role="radiogroup" aria-label="How you decide">
          {(proposal ? (['remerge', 'accept', 'edit', 'own'] as const) : (['accept', 'edit', 'own'] as const)).map((m) => (
            <label key={m} className={`adj-mode${mode === m ? ' is-on' : ''}`}>
              <input type="radio" name="adj-mode" checked={mode === m} onChange={() => setMode(m)} />
              {MODE_LABEL[m](source ? who(source) : '')} <Kbd keys={MODE_KEY[m]} />
            </label>
          ))}
        </div>
        {proposal ? <RemergeNotice proposal={proposal} bundle={bundle} task={review.task} active={mode === 'remerge'} /> : null}
        {mode === 'accept' && source ? <p className="small">Their answer: {answerSummary(source.content.answer)}</p> : null}
        <label className="field">
          <span className="field-label">
            Reason for the decision <Kbd keys="r" />
          </span>
          <textarea
            ref={rationaleRef}
            className="input"
            rows={3}
            value={rationale}
            maxLength={20_000}
            onChange={(e) => setRationale(e.target.value)}
            placeholder="Why this answer: it is sent with the decision to every annotator."
          />
        </label>
        {problem ? (
          <div className="alert alert-error" role="alert">
            {problem}
          </div>
        ) : null}
        {mode === 'accept' ? (
          <button type="button" className="btn btn-primary" onClick={() => void submit(undefined)} disabled={busy}>
            {busy ? 'Recording…' : 'Decide'} <Kbd keys="Ctrl+Enter" />
          </button>
        ) : (
          <p className="muted small">Edit the answer below; its Submit records the decision with this reason.</p>
        )}
        <div className="sr-only" role="status" aria-live="polite">
          {announce}
        </div>
      </section>
      {store ? (
        <section className="adj-editor" aria-label={mode === 'remerge' ? 'The re-merge proposal, editable' : 'The decided answer, editable'}>
          <TaskKindView store={store} />
        </section>
      ) : null}
    </div>
  );
}
