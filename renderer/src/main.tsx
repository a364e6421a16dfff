import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { captureToken } from './api/token.ts';
import { startRouter } from './state/router.ts';
import { installPageFlush } from './state/task.ts';
import { App } from './App.tsx';
import { ErrorBoundary } from './components/ErrorBoundary.tsx';
import './styles/base.css';
import './styles/shell.css';
import './styles/setup.css';
import './styles/bundles.css';
import './styles/queue.css';
import './styles/task.css';
import './styles/readonly.css';
import './styles/trajectory.css';
import './styles/notes.css';
import './styles/review.css';
import './styles/exemplar.css';
import './styles/compare.css';
import './styles/compare-fit.css';
import './styles/admin.css';
import './styles/markdown.css';
import './styles/overlay.css';
import './styles/responsive.css';

// The token must be read before the router replaces the hash with a route.
captureToken();
startRouter();
installPageFlush();

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <ErrorBoundary>
        <App />
      </ErrorBoundary>
    </StrictMode>,
  );
}
