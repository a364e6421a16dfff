/**
 * The browser host's per-run token. It arrives once in the page URL as `#token=<hex>`; we keep
 * it in sessionStorage so a reload still works and strip it from the address bar at once.
 */
const STORAGE_KEY = 'casebook.token';

let token: string | null = null;

/** Reads `#token=` from the URL (if present), stores it, and removes it from the address bar. */
export function captureToken(): string | null {
  const hash = window.location.hash.replace(/^#/, '');
  const params = new URLSearchParams(hash);
  const fromHash = params.get('token');
  if (fromHash && /^[A-Za-z0-9_-]+$/.test(fromHash)) {
    token = fromHash;
    try {
      window.sessionStorage.setItem(STORAGE_KEY, fromHash);
    } catch {
      // Storage can be unavailable (private modes); the in-memory token still works until reload.
    }
    const url = window.location.pathname + window.location.search + '#/';
    window.history.replaceState(null, '', url);
    return token;
  }
  try {
    token = window.sessionStorage.getItem(STORAGE_KEY);
  } catch {
    token = null;
  }
  return token;
}

export function getToken(): string | null {
  return token;
}
