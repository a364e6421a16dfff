/**
 * The Content-Security-Policy of the renderer, the same under both hosts: only the app's own
 * scripts, styles and API; no inline script, no eval, no frames, no remote anything.
 *
 * style-src allows 'unsafe-inline' for one reason: the Monaco editor (exemplar diff editor)
 * writes its theme colours, diff decorations and measured font metrics into <style> elements it
 * creates at run time; with `style-src 'self'` the browser blocks them and the diff shows no
 * colours (checked in the browser host: "Applying inline style violates … style-src 'self'").
 * Monaco has no nonce hook for these. Scripts stay 'self' only: inline CSS cannot run code, and
 * untrusted text is never put into style elements or attributes (it is rendered as React text).
 */
export const RENDERER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
