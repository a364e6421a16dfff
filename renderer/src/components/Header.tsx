import { useEffect } from 'react';
import { roleMayCall } from '../../../shared/contract/index.ts';
import { useIdentity } from '../state/identity.ts';
import { useBundles } from '../state/bundles.ts';
import { navigate, useRouter } from '../state/router.ts';
import { useTask } from '../state/task.ts';
import { hint } from '../keyboard/registry.ts';
import { Kbd } from './Kbd.tsx';
import { initials } from './initials.ts';

/** App bar: where you are, who you are, and the shortcut help. */
export function Header({ onHelp }: { onHelp: () => void }) {
  const identity = useIdentity((s) => s.identity);
  const route = useRouter((s) => s.route);
  const bundles = useBundles((s) => s.list);
  const loadList = useBundles((s) => s.loadList);
  const taskTitle = useTask((s) => (s.view && route.name === 'task' && s.taskId === route.taskId ? (s.view.task.title ?? s.view.task.id) : null));
  const routeBundle = 'bundleId' in route ? route.bundleId : null;
  const bundleTitle = routeBundle === null ? null : (bundles?.find((b) => b.id === routeBundle)?.title ?? routeBundle);

  // Opened straight onto a queue or task (e.g. after a reload): fetch bundle titles for the crumbs.
  useEffect(() => {
    if (identity && !bundles) void loadList();
  }, [identity, bundles, loadList]);

  // The window title says where you are too (task · bundle · Casebook).
  useEffect(() => {
    const page = route.name === 'bundles' ? 'Bundles' : route.name === 'escalations' ? 'Escalations' : route.name === 'sync' ? 'Sync' : route.name === 'admin' ? 'Build bundle' : route.name === 'assumptions' ? 'Assumptions' : null;
    const parts = identity ? [taskTitle, page, bundleTitle] : ['Set up'];
    document.title = [...parts.filter(Boolean), 'Casebook'].join(' · ');
  }, [identity, taskTitle, bundleTitle, route.name]);

  return (
    <header className="appbar">
      <div className="appbar-left">
        <span className="brand" aria-hidden="true">
          <span className="brand-mark" />
          Casebook
        </span>
        {identity ? (
          <nav aria-label="Breadcrumb" className="crumbs">
            <ol>
              <li>
                {route.name === 'bundles' ? (
                  <span aria-current="page">Bundles</span>
                ) : (
                  <a
                    href="#/"
                    title={hint('goBundles', 'Bundles')}
                    onClick={(e) => {
                      e.preventDefault();
                      void navigate({ name: 'bundles' });
                    }}
                  >
                    Bundles
                  </a>
                )}
              </li>
              {routeBundle !== null && bundleTitle ? (
                <li>
                  {route.name === 'queue' ? (
                    <span aria-current="page">{bundleTitle}</span>
                  ) : (
                    <a
                      href={`#/b/${encodeURIComponent(routeBundle)}`}
                      title={hint('task.back', 'Back to the queue')}
                      onClick={(e) => {
                        e.preventDefault();
                        void navigate({ name: 'queue', bundleId: routeBundle });
                      }}
                    >
                      {bundleTitle}
                    </a>
                  )}
                </li>
              ) : null}
              {route.name === 'escalations' || route.name === 'assumptions' || route.name === 'sync' || route.name === 'admin' ? (
                <li>
                  <span aria-current="page">{route.name === 'escalations' ? 'Escalation queue' : route.name === 'sync' ? 'Sync' : route.name === 'admin' ? 'Build bundle' : 'Assumptions'}</span>
                </li>
              ) : null}
              {route.name === 'task' && taskTitle ? (
                <li>
                  <span aria-current="page" className="crumb-task">
                    {taskTitle}
                  </span>
                </li>
              ) : null}
            </ol>
          </nav>
        ) : null}
      </div>
      <div className="appbar-right">
        {identity ? (
          <a
            className={`btn btn-ghost btn-small${route.name === 'sync' ? ' is-active' : ''}`}
            href="#/sync"
            aria-current={route.name === 'sync' ? 'page' : undefined}
            title="Sync: outbox, server, batch files"
            onClick={(e) => {
              e.preventDefault();
              void navigate({ name: 'sync' });
            }}
          >
            Sync
          </a>
        ) : null}
        {identity && identity.role !== 'annotator' ? (
          <a
            className={`btn btn-ghost btn-small${route.name === 'escalations' ? ' is-active' : ''}`}
            href="#/escalations"
            aria-current={route.name === 'escalations' ? 'page' : undefined}
            title={hint('goEscalations', 'Escalation queue')}
            onClick={(e) => {
              e.preventDefault();
              void navigate({ name: 'escalations' });
            }}
          >
            Escalations
          </a>
        ) : null}
        {identity && roleMayCall(identity.role, 'reviews.flagged') ? (
          <a
            className={`btn btn-ghost btn-small${route.name === 'flagged' ? ' is-active' : ''}`}
            href="#/flagged"
            aria-current={route.name === 'flagged' ? 'page' : undefined}
            title="Work kept across bundle updates that changed its task"
            onClick={(e) => {
              e.preventDefault();
              void navigate({ name: 'flagged' });
            }}
          >
            Flagged
          </a>
        ) : null}
        {identity?.role === 'admin' ? (
          <a
            className={`btn btn-ghost btn-small${route.name === 'admin' ? ' is-active' : ''}`}
            href="#/admin"
            aria-current={route.name === 'admin' ? 'page' : undefined}
            title="Build and sign a bundle from a source"
            onClick={(e) => {
              e.preventDefault();
              void navigate({ name: 'admin' });
            }}
          >
            Build bundle
          </a>
        ) : null}
        {identity ? (
          <div className="account" aria-label="Signed-in identity" role="group">
            <span className="avatar" aria-hidden="true">
              {initials(identity.displayName)}
            </span>
            <span className="account-text">
              <span className="account-name">{identity.displayName}</span>
              <span className="account-meta">
                <span className="role-badge">{identity.role}</span>
                <span className="fingerprint" title={`Device ${identity.deviceId}\nFingerprint ${identity.deviceFingerprint}`}>
                  <span className="sr-only">Device fingerprint </span>
                  {shortFingerprint(identity.deviceFingerprint)}
                </span>
              </span>
            </span>
          </div>
        ) : null}
        <button type="button" className="btn btn-ghost btn-small" onClick={onHelp} title={hint('help')} aria-label="Shortcuts">
          <Kbd keys="?" /> <span className="hide-narrow">Shortcuts</span>
        </button>
      </div>
    </header>
  );
}

export function shortFingerprint(fp: string): string {
  return fp.length > 23 ? `${fp.slice(0, 23)}…` : fp;
}
