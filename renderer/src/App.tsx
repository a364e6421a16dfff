import { roleMayCall } from '../../shared/contract/index.ts';
import { Suspense, lazy, useEffect, useState } from 'react';
import { useIdentity } from './state/identity.ts';
import { navigate, useRouter } from './state/router.ts';
import { useShortcuts } from './keyboard/manager.ts';
import { isTextField } from './keyboard/match.ts';
import { leaveField } from './keyboard/focus.ts';
import { Header } from './components/Header.tsx';
import { ConnectionBanner } from './components/ConnectionBanner.tsx';
import { ErrorBoundary } from './components/ErrorBoundary.tsx';
import { ShortcutOverlay } from './components/ShortcutOverlay.tsx';
import { Loading } from './components/Spinner.tsx';
import { JobToasts } from './components/JobToasts.tsx';
import { LoadError } from './components/LoadError.tsx';
import { SetupView } from './views/setup/SetupView.tsx';
import { BundlesView } from './views/bundles/BundlesView.tsx';
import { QueueView } from './views/queue/QueueView.tsx';
import { TaskScreen } from './views/task/TaskScreen.tsx';
import { EscalationQueueView } from './views/review/EscalationQueueView.tsx';
import { FlaggedReviewView } from './views/review/FlaggedReviewView.tsx';
import { AssumptionSearchView } from './views/review/AssumptionSearchView.tsx';
import { routeToHash } from './state/router.ts';
import { AdminView } from './views/admin/AdminView.tsx';
import { ReviewView } from './views/review/ReviewView.tsx';
import { WorkScreen } from './views/review/WorkScreen.tsx';
import { AdjudicateScreen } from './views/review/AdjudicateScreen.tsx';
import { ExportView } from './views/export/ExportView.tsx';
import { SyncPanel } from './views/sync/SyncPanel.tsx';
import { client } from './api/client.ts';
import { LockScreen } from './components/LockScreen.tsx';

// The dashboard is its own chunk (reviewers only, and the heaviest screen): loaded when opened.
const DashboardView = lazy(() => import('./views/dashboard/DashboardView.tsx').then((m) => ({ default: m.DashboardView })));

export function App() {
  const { status, identity, error, load } = useIdentity();
  const route = useRouter((s) => s.route);
  const reloadKey = useRouter((s) => s.reloadKey);
  const [help, setHelp] = useState(false);

  useEffect(() => {
    void load();
  }, [load]);

  // A failed identity load is retried by the banner's "Retry".
  useEffect(() => {
    if (reloadKey > 0 && useIdentity.getState().status === 'error') void load();
  }, [reloadKey, load]);

  useShortcuts({
    help: () => setHelp(true),
    goBundles: () => void navigate({ name: 'bundles' }),
    goEscalations: () => {
      if (!identity || identity.role === 'annotator') return false;
      void navigate({ name: 'escalations' });
    },
    leaveField: (event) => {
      if (!isTextField(event.target) || !(event.target instanceof HTMLElement)) return false;
      leaveField(event.target);
      return true;
    },
  });

  let body;
  if (status === 'loading' && !identity) body = <Loading label="Starting Casebook…" />;
  else if (status === 'error') body = <div className="page"><LoadError error={error} what="this workstation’s identity" /></div>;
  else if (!identity) body = <SetupView />;
  else if (route.name === 'bundles') body = <BundlesView />;
  else if (route.name === 'queue') body = <QueueView bundleId={route.bundleId} />;
  else if (route.name === 'escalations') body = <EscalationQueueView />;
  else if (route.name === 'flagged') body = <FlaggedReviewView />;
  else if (route.name === 'sync') body = <SyncPanel client={client} onEnrolled={() => void client.call('identity.get', {}).then((id) => id && useIdentity.getState().set(id))} />;
  else if (route.name === 'admin') body = identity.role === 'admin' ? <AdminView /> : <BundlesView />;
  else if (route.name === 'export') body = roleMayCall(identity.role, 'export.run') ? <ExportView /> : <BundlesView />;
  else if (route.name === 'assumptions') body = <AssumptionSearchView bundleId={route.bundleId} />;
  else if (route.name === 'review') body = <ReviewView />;
  else if (route.name === 'adjudicate') body = <AdjudicateScreen bundleId={route.bundleId} taskId={route.taskId} />;
  else if (route.name === 'work') body = <WorkScreen bundleId={route.bundleId} taskId={route.taskId} annotatorId={route.annotatorId} />;
  else if (route.name === 'dashboard')
    body = (
      <Suspense fallback={<Loading label="Opening the dashboard…" />}>
        <DashboardView />
      </Suspense>
    );
  else body = <TaskScreen bundleId={route.bundleId} taskId={route.taskId} />;

  return (
    <LockScreen>
      <div className="app">
        <a className="skip-link" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
          Skip to content
        </a>
        <Header onHelp={() => setHelp(true)} />
        <ConnectionBanner />
        <ErrorBoundary resetKey={routeToHash(route)}>{body}</ErrorBoundary>
        {help ? <ShortcutOverlay onClose={() => setHelp(false)} /> : null}
        {identity ? <JobToasts /> : null}
      </div>
    </LockScreen>
  );
}
