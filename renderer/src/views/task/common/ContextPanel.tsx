import { useState } from 'react';
import type { Message } from '../../../../../shared/domain/index.ts';
import { Conversation } from './Conversation.tsx';
import { contextLine, defaultCollapsed, loadCollapsed, saveCollapsed } from './contextLine.ts';

interface Props {
  messages: readonly Message[];
  /** How many responses share the screen: from four, the context starts as one line. */
  responses?: number;
}

/**
 * The conversation a task starts from: shortened until the annotator asks for all of it, and
 * collapsible to one line (the question) so the responses and their scores get the screen.
 */
export function ContextPanel({ messages, responses = 0 }: Props) {
  const [open, setOpen] = useState(false);
  const [collapsed, setCollapsed] = useState(() => loadCollapsed() ?? defaultCollapsed(window.innerHeight, responses));
  const toggleCollapsed = (): void => {
    setCollapsed(!collapsed);
    saveCollapsed(!collapsed);
  };
  if (collapsed) {
    const line = contextLine(messages);
    return (
      <section className="panel context-panel is-line" aria-labelledby="context-title">
        <h2 id="context-title" className="section-title context-line-title">
          Context
        </h2>
        <p className="context-line" title={line}>
          {line}
        </p>
        <button type="button" className="btn btn-ghost btn-small" aria-expanded={false} onClick={toggleCollapsed}>
          Expand
        </button>
      </section>
    );
  }
  return (
    <section className="panel context-panel" aria-labelledby="context-title">
      <div className="context-head">
        <h2 id="context-title" className="section-title">
          Context
        </h2>
        <span className="context-actions">
          <button type="button" className="btn btn-ghost btn-small" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
            {open ? 'Show less' : 'Show all'}
          </button>
          <button type="button" className="btn btn-ghost btn-small" aria-expanded={true} onClick={toggleCollapsed} title="Collapse the context to one line">
            Collapse to a line
          </button>
        </span>
      </div>
      <div className={`context-scroll${open ? ' is-open' : ''}`} tabIndex={0} role="region" aria-label="Conversation context">
        <Conversation messages={messages} />
      </div>
    </section>
  );
}
