import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { Assumption, Highlight, Taxonomy } from '../../../../shared/domain/index.ts';
import { ShortcutKbd } from '../Kbd.tsx';
import { hint } from '../../keyboard/registry.ts';
import { locateQuote } from './marks.ts';
import type { SpanDraft } from './selection.ts';

export interface Target {
  id: string;
  label: string;
  text: string;
}

interface Props {
  targets: readonly Target[];
  highlights: readonly Highlight[];
  assumptions: readonly Assumption[];
  taxonomy: Taxonomy;
  /** A span to start a new highlight from (the selection when `h` was pressed), or a blank form. */
  draft: { span: SpanDraft | null; target: string; seq: number } | null;
  disabled: boolean;
  onAdd: (highlight: Highlight, assumption: Assumption | null) => void;
  onRemove: (id: string) => void;
  onClose: () => void;
  onShow: (highlight: Highlight) => void;
}

const newId = (prefix: string): string => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;

/**
 * Highlights on the responses: the list, and the form that adds one (with a note, error types
 * and optionally an assumption scoped to the span). Keyboard path without a mouse selection:
 * type the quote; it is looked up in the chosen response's text.
 */
export function HighlightPanel({ targets, highlights, assumptions, taxonomy, draft, disabled, onAdd, onRemove, onClose, onShow }: Props) {
  const labelOf = (id: string): string => targets.find((t) => t.id === id)?.label ?? id;
  return (
    <section className="judge-section highlights" aria-labelledby="hl-title">
      <h2 id="hl-title" className="side-title">
        Highlights <span className="tab-count">{highlights.length}</span> <ShortcutKbd id="compare.highlight" />
      </h2>
      {draft ? (
        // Keyed by the request, so every `h` starts a fresh form from the current selection.
        <HighlightForm key={draft.seq} draft={draft} targets={targets} taxonomy={taxonomy} onAdd={onAdd} onClose={onClose} />
      ) : highlights.length === 0 ? (
        <p className="muted small">Select text in a response and press {<ShortcutKbd id="compare.highlight" />} to attach a note, an error type or an assumption to it.</p>
      ) : null}
      {highlights.length > 0 ? (
        <ul className="hl-list">
          {highlights.map((h) => {
            const a = h.assumptionId ? assumptions.find((x) => x.id === h.assumptionId) : undefined;
            const cat = a ? taxonomy.assumptionCategories.find((c) => c.id === a.category)?.label : undefined;
            return (
              <li key={h.id} className="hl-item">
                <button type="button" className="hl-quote" onClick={() => onShow(h)} title={hint('compare.highlight', 'Show in the response')}>
                  <span className="muted small">{labelOf(h.target)}</span> “{h.quote.length > 90 ? `${h.quote.slice(0, 90)}…` : h.quote}”
                </button>
                {h.note ? <div className="small">{h.note}</div> : null}
                {h.errorTypes.length > 0 ? (
                  <div className="hl-tags">
                    {h.errorTypes.map((id) => (
                      <span key={id} className="badge">
                        {taxonomy.errorTypes.find((e) => e.id === id)?.label ?? id}
                      </span>
                    ))}
                  </div>
                ) : null}
                {a ? (
                  <div className="small">
                    <span className="badge badge-accent">Assumption</span> {cat ? `${cat}: ` : ''}
                    {a.text}
                  </div>
                ) : null}
                {!disabled ? (
                  <button type="button" className="btn btn-ghost btn-small hl-remove" onClick={() => onRemove(h.id)} aria-label={`Remove the highlight “${h.quote.slice(0, 40)}”`}>
                    Remove
                  </button>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : null}
    </section>
  );
}

interface FormProps {
  draft: NonNullable<Props['draft']>;
  targets: readonly Target[];
  taxonomy: Taxonomy;
  onAdd: Props['onAdd'];
  onClose: () => void;
}

function HighlightForm({ draft, targets, taxonomy, onAdd, onClose }: FormProps) {
  const [target, setTarget] = useState(draft.span?.target ?? draft.target);
  const [quote, setQuote] = useState(draft.span?.quote ?? '');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<string[]>([]);
  const [category, setCategory] = useState('');
  const [assumption, setAssumption] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const firstRef = useRef<HTMLTextAreaElement>(null);
  const quoteRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    (draft.span ? firstRef.current : quoteRef.current)?.focus();
  }, [draft.span]);

  const save = (e: FormEvent): void => {
    e.preventDefault();
    const t = targets.find((x) => x.id === target);
    if (!t) return;
    // A selection gives exact offsets; a typed quote is looked up in the response's text.
    const span =
      draft.span && draft.span.target === target && draft.span.quote === quote ? draft.span : (() => {
        const f = locateQuote(t.text, quote);
        return f ? { target, start: f.start, end: f.end, quote: t.text.slice(f.start, f.end) } : null;
      })();
    if (!span) {
      setProblem(quote.trim() === '' ? 'Select text in a response, or type the words to highlight.' : `“${quote}” is not in ${t.label}.`);
      quoteRef.current?.focus();
      return;
    }
    if (assumption.trim() !== '' && category === '') {
      setProblem('Choose a category for the assumption.');
      return;
    }
    const a: Assumption | null =
      assumption.trim() !== '' ? { id: newId('asm'), category, text: assumption.trim(), scope: { type: 'span', ...span } } : null;
    onAdd({ id: newId('hl'), ...span, note: note.trim(), errorTypes: errors, assumptionId: a?.id ?? null }, a);
  };

  return (
        <form
          className="hl-form"
          onSubmit={save}
          aria-label="New highlight"
          onKeyDown={(e) => {
            // Inside the form, Escape cancels it and Ctrl/⌘+Enter adds the highlight (rather
            // than leaving the field or submitting the whole annotation).
            if (e.key === 'Escape') {
              e.stopPropagation();
              onClose();
            } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              e.stopPropagation();
              e.currentTarget.requestSubmit();
            }
          }}
        >
          <div className="hl-row">
            <label className="field-label" htmlFor="hl-target">
              In
            </label>
            <select id="hl-target" className="input input-small" value={target} onChange={(e) => setTarget(e.target.value)}>
              {targets.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.label}
                </option>
              ))}
            </select>
          </div>
          <label className="field-label" htmlFor="hl-quote">
            Quote
          </label>
          <input id="hl-quote" ref={quoteRef} className="input input-small" value={quote} onChange={(e) => setQuote(e.target.value)} placeholder="Select text, or type words from the response" />
          <label className="field-label" htmlFor="hl-note">
            Note
          </label>
          <textarea id="hl-note" ref={firstRef} className="input textarea" rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
          {taxonomy.errorTypes.length > 0 ? (
            <fieldset className="hl-errors">
              <legend className="field-label">Error types</legend>
              <div className="check-grid">
                {taxonomy.errorTypes.map((et) => (
                  <label key={et.id} className="check" title={et.description}>
                    <input
                      type="checkbox"
                      checked={errors.includes(et.id)}
                      onChange={(e) => setErrors((xs) => (e.target.checked ? [...xs, et.id] : xs.filter((x) => x !== et.id)))}
                    />
                    {et.label}
                  </label>
                ))}
              </div>
            </fieldset>
          ) : null}
          {taxonomy.assumptionCategories.length > 0 ? (
            <fieldset className="hl-assumption">
              <legend className="field-label">Assumption about this span (optional)</legend>
              <select className="input input-small" aria-label="Assumption category" value={category} onChange={(e) => setCategory(e.target.value)}>
                <option value="">Category…</option>
                {taxonomy.assumptionCategories.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.label}
                  </option>
                ))}
              </select>
              <input className="input input-small" aria-label="Assumption" value={assumption} onChange={(e) => setAssumption(e.target.value)} placeholder="What you assumed" />
            </fieldset>
          ) : null}
          {problem ? (
            <p className="field-error" role="alert">
              {problem}
            </p>
          ) : null}
          <div className="row gap">
            <button type="submit" className="btn btn-primary btn-small">
              Add highlight
            </button>
            <button type="button" className="btn btn-small" onClick={onClose}>
              Cancel
            </button>
          </div>
        </form>
  );
}
