import type { TaskStatus, TaskView } from '../../../../../shared/contract/index.ts';
import { KindBadge, StatusPill } from '../../../components/Badges.tsx';
import { ShortcutKbd } from '../../../components/Kbd.tsx';
import { hint } from '../../../keyboard/registry.ts';
import { ActiveTime } from './ActiveTime.tsx';
import { SaveStatus } from './SaveStatus.tsx';
import type { RefObject } from 'react';

interface Props {
  view: TaskView;
  revision: number | null;
  headingRef: RefObject<HTMLHeadingElement | null>;
  onPrev: () => void;
  onNext: () => void;
  onBack: () => void;
  editable: boolean;
  status: TaskStatus;
}

/** Title, where this task sits in the bundle, its status, and task-to-task navigation. */
export function TaskHeader({ view, status, revision, headingRef, onPrev, onNext, onBack, editable }: Props) {
  return (
    <div className="task-header">
      <div className="task-header-main">
        <h1 className="task-title" ref={headingRef} tabIndex={-1}>
          {view.task.title ?? view.task.id}
        </h1>
        <div className="task-meta">
          <KindBadge kind={view.task.kind} />
          <span className="meta-item">
            Task <span className="tabular">{view.position}</span> of <span className="tabular">{view.total}</span>
          </span>
          <StatusPill status={status} revision={revision} />
          {editable ? <SaveStatus /> : null}
          {editable ? <ActiveTime /> : null}
        </div>
      </div>
      <nav className="task-nav" aria-label="Task navigation">
        <button type="button" className="btn btn-small" onClick={onBack} title={hint('task.back')}>
          Queue <ShortcutKbd id="task.back" />
        </button>
        <button type="button" className="btn btn-small" onClick={onPrev} title={hint('task.prev')}>
          Previous <ShortcutKbd id="task.prev" />
        </button>
        <button type="button" className="btn btn-small" onClick={onNext} title={hint('task.next')}>
          Next <ShortcutKbd id="task.next" />
        </button>
      </nav>
    </div>
  );
}
