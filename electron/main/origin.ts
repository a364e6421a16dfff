/** The renderer's origin under the app:// custom protocol. */
export const APP_ORIGIN = 'app://casebook';

/**
 * True only for our own pages: the parsed scheme and host must equal ours, never a string
 * prefix check. (Node's URL gives origin "null" for custom schemes, so `origin` cannot be used.)
 */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'app:' && u.host === 'casebook' && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}
