import { useConnection } from '../state/connection.ts';
import { useRouter } from '../state/router.ts';

/** Shown while the core cannot be reached; the screen underneath stays as it was. */
export function ConnectionBanner() {
  const failure = useConnection((s) => s.failure);
  const reload = useRouter((s) => s.reload);
  if (!failure) return null;
  return (
    <div className="banner banner-error" role="alert">
      <strong>Connection problem.</strong> <span>{failure}</span> <span>Unsaved edits are kept on this page and saved when it comes back.</span>
      <button type="button" className="btn btn-small" onClick={reload}>
        Retry
      </button>
    </div>
  );
}
