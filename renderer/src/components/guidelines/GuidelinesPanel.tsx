import { useImperativeHandle, useMemo, useRef, useState, type Ref } from 'react';
import { Markdown } from '../Markdown.tsx';
import { ShortcutKbd } from '../Kbd.tsx';
import { hint, type ShortcutId } from '../../keyboard/registry.ts';
import { findSection, searchSections, splitSections } from './sections.ts';
import { deferFocus } from '../../keyboard/focus.ts';

export interface GuidelinesHandle {
  /** Opens the panel at the named section (or at the top), and moves focus there. */
  openAt: (sectionName: string | null) => void;
}

interface Props {
  guidelines: string;
  handleRef?: Ref<GuidelinesHandle>;
  shortcut: ShortcutId;
}

/**
 * The bundle's guidelines in the side panel: searchable (every word, any order), cut into
 * sections, and openable at the section a rubric criterion points to.
 */
export function GuidelinesPanel({ guidelines, handleRef, shortcut }: Props) {
  const sections = useMemo(() => splitSections(guidelines), [guidelines]);
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [current, setCurrent] = useState<string | null>(null);
  const bodyRef = useRef<HTMLDivElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const shown = useMemo(() => searchSections(sections, query), [sections, query]);

  useImperativeHandle(handleRef, () => ({
    openAt: (name) => {
      const target = findSection(sections, name);
      setOpen(true);
      setQuery('');
      setCurrent(target?.id ?? null);
      // After React has rendered the open panel with every section; not if the expert has gone
      // on meanwhile (the search field would take what they type next).
      deferFocus(() => {
        const body = bodyRef.current;
        const el = target ? body?.querySelector<HTMLElement>(`#${CSS.escape(target.id)}`) : null;
        if (!el || !body) return searchRef.current;
        // Scroll only the panel, never the page behind it.
        body.scrollTop = el.offsetTop;
        return el;
      }, { preventScroll: true });
    },
  }));

  return (
    <details className="guidelines guidelines-side guidelines-panel" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary title={hint(shortcut, 'Guidelines')}>
        Guidelines <ShortcutKbd id={shortcut} />
      </summary>
      {open ? (
        <div className="guidelines-tools">
          <input
            ref={searchRef}
            type="search"
            className="input input-small"
            placeholder="Search the guidelines"
            aria-label="Search the guidelines"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
          <span className="muted small" role="status" aria-live="polite">
            {query ? `${shown.length} of ${sections.length} sections` : ''}
          </span>
        </div>
      ) : null}
      {open ? (
        <div className="guidelines-body" tabIndex={0} role="region" aria-label="Guidelines text" ref={bodyRef}>
          {shown.length === 0 ? <p className="muted">No section matches “{query}”.</p> : null}
          {shown.map((s) => (
            <section key={s.id} id={s.id} tabIndex={-1} aria-label={s.title} className={`guidelines-section${s.id === current ? ' is-current' : ''}`}>
              <Markdown text={s.text} />
            </section>
          ))}
        </div>
      ) : null}
    </details>
  );
}
