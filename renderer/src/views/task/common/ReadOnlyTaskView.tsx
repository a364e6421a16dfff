import { ShortcutKbd } from '../../../components/Kbd.tsx';
import { hint } from '../../../keyboard/registry.ts';
import { useRouter } from '../../../state/router.ts';

interface Props {
  onPrev: () => void;
  onNext: () => void;
}

/**
 * The fallback when a task and its loaded content do not fit any editing view (every kind has
 * one, so this means an inconsistent load). It edits nothing, so nothing stored can be harmed,
 * and it offers the ways on: load the task again, or go to a neighbouring task.
 */
export function ReadOnlyTaskView({ onPrev, onNext }: Props) {
  return (
    <div className="readonly">
      <div className="notice" role="alert">
        <div>
          <strong>This task cannot be opened for editing.</strong> Nothing stored has been changed. Load it again, or move on to another task.
        </div>
        <div className="row gap">
          <button type="button" className="btn btn-small" onClick={() => useRouter.getState().reload()}>
            Load again
          </button>
          <button type="button" className="btn btn-small" onClick={onPrev} title={hint('task.prev')}>
            Previous task <ShortcutKbd id="task.prev" />
          </button>
          <button type="button" className="btn btn-small btn-primary" onClick={onNext} title={hint('task.next')}>
            Next task <ShortcutKbd id="task.next" />
          </button>
        </div>
      </div>
    </div>
  );
}
