/**
 * The Content-Security-Policy of the renderer, the same under both hosts: only the app's own
 * scripts, styles and API; no inline script, no eval, no frames, no remote anything.
 */
export const RENDERER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
