import { errorMessage, ApiError } from '../api/client.ts';
import { useRouter } from '../state/router.ts';

/** A failed load, with the core's message and a way to try again. */
export function LoadError({ error, what }: { error: unknown; what: string }) {
  const reload = useRouter((s) => s.reload);
  // Shown to people: the messages, never the contract's field ids (a refused request's message already lists them).
  const issues = error instanceof ApiError && error.code !== 'invalid_request' ? (error.issues ?? []) : [];
  return (
    <div className="panel error-panel" role="alert">
      <h2 className="section-title">Could not load {what}</h2>
      <p>{errorMessage(error)}</p>
      {issues.length > 0 ? (
        <ul className="issues">
          {issues.map((i, n) => (
            <li key={n}>
              {i.message}
            </li>
          ))}
        </ul>
      ) : null}
      <button type="button" className="btn" onClick={reload}>
        Try again
      </button>
    </div>
  );
}
