import { useEffect, useState, type DependencyList } from 'react';

/**
 * The latest answer to an API read that depends on some inputs. It runs again whenever `deps`
 * change (after `delayMs`, for inputs that are typed), keeps the previous result on screen
 * meanwhile, and drops an answer that arrives after the inputs have changed again, so a slow
 * reply never overwrites a newer one. A null `run` asks nothing.
 */
export function useQuery<T>(run: (() => Promise<T>) | null, deps: DependencyList, delayMs = 0): { result: T | null; error: unknown } {
  const [result, setResult] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (!run) return;
    let live = true;
    const ask = (): void => {
      run().then(
        (r) => {
          if (!live) return;
          setResult(r);
          setError(null);
        },
        (e: unknown) => live && setError(e),
      );
    };
    const timer = delayMs > 0 ? window.setTimeout(ask, delayMs) : (ask(), null);
    return () => {
      live = false;
      if (timer !== null) window.clearTimeout(timer);
    };
    // `run` is a fresh closure on every render and `delayMs` a constant of the caller: the
    // caller's deps say when the inputs changed, as for useEffect itself.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return { result, error };
}
