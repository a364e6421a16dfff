import { useEffect, useMemo, useRef } from 'react';
import { call } from '../../api/client.ts';
import { useQuery } from '../../api/useQuery.ts';
import { useBundles } from '../../state/bundles.ts';
import { navigate, useRouter } from '../../state/router.ts';
import { viewOnlyTaskStore } from '../../state/task.ts';
import { useShortcuts } from '../../keyboard/manager.ts';
import { KindBadge } from '../../components/Badges.tsx';
import { ShortcutKbd } from '../../components/Kbd.tsx';
import { Loading } from '../../components/Spinner.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { TaskKindView } from '../task/TaskKindView.tsx';
import { when } from './describe.ts';

/**
 * One annotator's submitted work on a task, in the real view for its kind and read-only: what a
 * reviewer opens from the flagged list (and from the adjudication screen), never their own form.
 */
export function WorkScreen({ bundleId, taskId, annotatorId }: { bundleId: string; taskId: string; annotatorId: string }) {
  const reloadKey = useRouter((s) => s.reloadKey);
  const detailOf = useBundles((s) => s.detail);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const { result, error } = useQuery(
    () => Promise.all([call('reviews.work', { bundleId, taskId, annotatorId }), detailOf(bundleId)]),
    [bundleId, taskId, annotatorId, detailOf, reloadKey],
  );
  const store = useMemo(() => (result ? viewOnlyTaskStore(result[0], result[1], null) : null), [result]);
  const view = result?.[0] ?? null;
  const back = (): void => {
    if (window.history.length > 1) window.history.back();
    else void navigate({ name: 'flagged' });
  };
  useShortcuts({ 'task.back': back });

  useEffect(() => {
    if (view) headingRef.current?.focus({ preventScroll: true });
  }, [view]);

  const a = view?.annotation ?? null;
  return (
    <main className="task-page" id="main" tabIndex={-1}>
      {error ? <LoadError error={error} what="this annotator’s work" /> : null}
      {!result && !error ? <Loading label="Opening their work…" /> : null}
      {view && a && store ? (
        <>
          <div className="task-header">
            <div className="task-header-main">
              <h1 className="task-title" ref={headingRef} tabIndex={-1}>
                {view.task.title ?? view.task.id}
              </h1>
              <div className="task-meta">
                <KindBadge kind={view.task.kind} />
                <span className="meta-item">
                  <strong>{a.annotatorName}</strong>’s work, revision {a.revision}
                  {a.submittedAt ? ` · submitted ${when(a.submittedAt)}` : ''}
                </span>
                <span className="pill pill-readonly">Read-only</span>
              </div>
            </div>
            <nav className="task-nav" aria-label="Task navigation">
              <button type="button" className="btn btn-small" onClick={back}>
                Back <ShortcutKbd id="task.back" />
              </button>
            </nav>
          </div>
          {view.taskChanged ? (
            <p className="notice" role="note">
              Done on version {a.bundleVersion} of the bundle; a later version changed this task. Shown against the task as it is now.
            </p>
          ) : null}
          <TaskKindView store={store} />
        </>
      ) : null}
    </main>
  );
}
