import type { Step } from '../../../../shared/domain/index.ts';
import type { TaskView } from '../../../../shared/contract/index.ts';
import { Markdown } from '../../components/Markdown.tsx';
import { ShortcutKbd } from '../../components/Kbd.tsx';
import { hint } from '../../keyboard/registry.ts';
import { Conversation } from './Conversation.tsx';

interface Props {
  view: TaskView;
  onPrev: () => void;
  onNext: () => void;
}

/** Exemplar and trajectory tasks, read-only until their editors land. */
export function ReadOnlyTaskView({ view, onPrev, onNext }: Props) {
  const task = view.task;
  const editorName = task.kind === 'exemplar' ? 'exemplar editor (rewrite with a live diff)' : 'step-by-step trajectory labelling';
  return (
    <div className="readonly">
      <div className="notice" role="note">
        <div>
          <strong>Read-only for now.</strong> The {editorName} comes in a later version of Casebook. You can read this task and move on.
        </div>
        <div className="row gap">
          <button type="button" className="btn btn-small" onClick={onPrev} title={hint('task.prev')}>
            Previous task <ShortcutKbd id="task.prev" />
          </button>
          <button type="button" className="btn btn-small btn-primary" onClick={onNext} title={hint('task.next')}>
            Next task <ShortcutKbd id="task.next" />
          </button>
        </div>
      </div>

      {task.kind === 'exemplar' ? (
        <div className="readonly-grid">
          <section className="panel" aria-labelledby="ex-context">
            <h2 id="ex-context" className="section-title">
              Context
            </h2>
            <Conversation messages={task.context} />
          </section>
          <section className="panel" aria-labelledby="ex-draft">
            <h2 id="ex-draft" className="section-title">
              Model draft
            </h2>
            <div className="draft-body">
              <Markdown text={task.draft} />
            </div>
          </section>
        </div>
      ) : null}

      {task.kind === 'trajectory' ? (
        <div className="trajectory">
          <section className="panel" aria-labelledby="tr-goal">
            <h2 id="tr-goal" className="section-title">
              Goal
            </h2>
            <Markdown text={task.goal} />
            {task.context && task.context.length > 0 ? (
              <>
                <h3 className="subsection-title">Context</h3>
                <Conversation messages={task.context} />
              </>
            ) : null}
            {task.tools && task.tools.length > 0 ? (
              <>
                <h3 className="subsection-title">Tools available</h3>
                <ul className="tool-list">
                  {task.tools.map((t) => (
                    <li key={t.name}>
                      <code>{t.name}</code>
                      {t.description ? <span className="muted"> · {t.description}</span> : null}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </section>
          <section className="panel" aria-labelledby="tr-steps">
            <h2 id="tr-steps" className="section-title">
              Steps <span className="tab-count">{task.steps.length}</span>
            </h2>
            <ol className="timeline">
              {task.steps.map((s, i) => (
                <StepItem key={s.id} step={s} index={i} />
              ))}
            </ol>
          </section>
        </div>
      ) : null}
    </div>
  );
}

const STEP_LABEL: Record<Step['type'], string> = { message: 'Message', thought: 'Thought', tool_call: 'Tool call', tool_result: 'Tool result' };

function StepItem({ step, index }: { step: Step; index: number }) {
  const isError = step.type === 'tool_result' && step.isError === true;
  return (
    <li className={`step step-${step.type}${isError ? ' step-error' : ''}`}>
      <div className="step-marker" aria-hidden="true">
        {index + 1}
      </div>
      <div className="step-body">
        <div className="step-head">
          <span className="sr-only">Step {index + 1}: </span>
          <span className="step-type">{STEP_LABEL[step.type]}</span>
          {step.type === 'message' ? <span className="muted"> · {step.role}</span> : null}
          {step.type === 'tool_call' || (step.type === 'tool_result' && step.tool) ? <code className="step-tool">{step.tool}</code> : null}
          {isError ? <span className="badge badge-danger">error</span> : null}
          <span className="step-id mono">{step.id}</span>
        </div>
        {step.type === 'message' || step.type === 'thought' ? <Markdown text={step.content} className={step.type === 'thought' ? 'thought' : undefined} /> : null}
        {step.type === 'tool_call' ? (
          <pre className="code-block" tabIndex={0} aria-label={`Arguments of ${step.tool}`}>
            <code>{JSON.stringify(step.arguments, null, 2)}</code>
          </pre>
        ) : null}
        {step.type === 'tool_result' ? (
          <pre className="code-block" tabIndex={0} aria-label={`Result${step.tool ? ` of ${step.tool}` : ''}`}>
            <code>{prettyMaybeJson(step.content)}</code>
          </pre>
        ) : null}
      </div>
    </li>
  );
}

/** Tool results are often JSON in a string: indent them when they parse, else show as is. */
function prettyMaybeJson(text: string): string {
  const t = text.trim();
  if (!(t.startsWith('{') || t.startsWith('['))) return text;
  try {
    return JSON.stringify(JSON.parse(t), null, 2);
  } catch {
    return text;
  }
}
