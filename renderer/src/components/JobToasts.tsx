import { useEffect, useState } from 'react';
import type { JobProgress } from '../../../shared/contract/index.ts';
import { client } from '../api/client.ts';

const LINGER_MS = 4_000;

/** Long jobs the core runs (imports, exports) report progress here, bottom right. */
export function JobToasts() {
  const [jobs, setJobs] = useState<Record<string, JobProgress>>({});

  useEffect(() => {
    const timers = new Set<number>();
    const off = client.subscribe((event) => {
      if (event.type !== 'job.progress') return;
      const p = event.progress;
      setJobs((j) => ({ ...j, [p.jobId]: p }));
      if (p.finished) {
        const t = window.setTimeout(() => {
          timers.delete(t);
          setJobs((j) => {
            const { [p.jobId]: _gone, ...rest } = j;
            return rest;
          });
        }, LINGER_MS);
        timers.add(t);
      }
    });
    return () => {
      off();
      for (const t of timers) window.clearTimeout(t);
    };
  }, []);

  const list = Object.values(jobs);
  return (
    <div className="toasts" role="status" aria-live="polite">
      {list.map((j) => {
        const pct = j.total ? Math.min(100, Math.round((j.done / j.total) * 100)) : null;
        return (
          <div key={j.jobId} className={`toast${j.error ? ' toast-error' : ''}`}>
            <div className="toast-label">
              {j.label}
              {j.error ? `: ${j.error}` : j.finished ? ' — done' : pct !== null ? ` — ${pct}%` : '…'}
            </div>
            {!j.finished && !j.error ? (
              <div className="progress">
                <span className="progress-submitted" style={{ width: pct !== null ? `${pct}%` : '30%' }} />
              </div>
            ) : null}
          </div>
        );
      })}
    </div>
  );
}
