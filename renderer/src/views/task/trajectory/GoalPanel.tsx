import { useState } from 'react';
import { count } from '../../../../../shared/text/plural.ts';
import type { TaskView } from '../../../../../shared/contract/index.ts';
import { Markdown } from '../../../components/Markdown.tsx';
import { Conversation } from '../common/Conversation.tsx';

type TrajectoryTask = Extract<TaskView['task'], { kind: 'trajectory' }>;

/** What the agent was asked to do, with its context and tools; collapsible to give the run room. */
export function GoalPanel({ task }: { task: TrajectoryTask }) {
  const [goalOpen, setGoalOpen] = useState(true);
  const steps = task.steps;
  return (
    <section className={`panel traj-goal${goalOpen ? '' : ' is-closed'}`} aria-labelledby="traj-goal-title">
      <div className="context-head">
        <h2 id="traj-goal-title" className="section-title">
          Goal
        </h2>
        <span className="muted small">
          {count(steps.length, 'step')}{task.tools ? ` · ${count(task.tools.length, 'tool')}` : ''}
        </span>
        <button type="button" className="btn btn-ghost btn-small" aria-expanded={goalOpen} onClick={() => setGoalOpen((o) => !o)}>
          {goalOpen ? 'Hide goal' : 'Show goal'}
        </button>
      </div>
      {goalOpen ? (
        <div className="traj-goal-body" tabIndex={0} role="region" aria-label="Goal, context and tools">
          <div data-span-target="goal">
            <Markdown text={task.goal} />
          </div>
          {task.context && task.context.length > 0 ? (
            <details className="traj-more">
              <summary>Context ({task.context.length})</summary>
              <Conversation messages={task.context} />
            </details>
          ) : null}
          {task.tools && task.tools.length > 0 ? (
            <details className="traj-more">
              <summary>Tools available ({task.tools.length})</summary>
              <ul className="tool-list">
                {task.tools.map((t) => (
                  <li key={t.name}>
                    <code>{t.name}</code>
                    {t.description ? <span className="muted"> · {t.description}</span> : null}
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
