import { useState } from 'react';
import type { Message } from '../../../../../shared/domain/index.ts';
import { Conversation } from './Conversation.tsx';

/** The conversation a task starts from, shortened until the annotator asks for all of it. */
export function ContextPanel({ messages }: { messages: readonly Message[] }) {
  const [open, setOpen] = useState(false);
  return (
    <section className="panel context-panel" aria-labelledby="context-title">
      <div className="context-head">
        <h2 id="context-title" className="section-title">
          Context
        </h2>
        <button type="button" className="btn btn-ghost btn-small" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
          {open ? 'Show less' : 'Show all'}
        </button>
      </div>
      <div className={`context-scroll${open ? ' is-open' : ''}`} tabIndex={0} role="region" aria-label="Conversation context">
        <Conversation messages={messages} />
      </div>
    </section>
  );
}
