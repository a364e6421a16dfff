import type { Message } from '../../../../../shared/domain/index.ts';
import { Markdown } from '../../../components/Markdown.tsx';

const ROLE: Record<Message['role'], string> = { system: 'System', user: 'User', assistant: 'Assistant', tool: 'Tool' };

/** The conversation that led up to the responses, one card per message. */
export function Conversation({ messages, label = 'Conversation context' }: { messages: readonly Message[]; label?: string }) {
  return (
    <ol className="conversation" aria-label={label}>
      {messages.map((m, i) => (
        <li key={i} className={`message message-${m.role}`}>
          <div className="message-role">
            {ROLE[m.role]}
            {m.name ? <span className="muted"> · {m.name}</span> : null}
          </div>
          <Markdown text={m.content} />
        </li>
      ))}
    </ol>
  );
}
