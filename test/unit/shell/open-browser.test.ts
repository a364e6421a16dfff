import { describe, expect, it } from 'vitest';
import { browserCommand } from '../../../electron/cli/open-browser.ts';

const URL_ = 'http://127.0.0.1:4780/#token=abc&x=1';
const has = (names: string[]) => (n: string) => names.includes(n);

describe('npm run web opens the browser where there is one', () => {
  it('macOS and Windows use their openers', () => {
    expect(browserCommand(URL_, 'darwin', {}, has([]))).toEqual({ cmd: 'open', args: [URL_] });
    // cmd would split the URL at & without the caret.
    expect(browserCommand(URL_, 'win32', {}, has([]))).toEqual({ cmd: 'cmd', args: ['/c', 'start', '""', 'http://127.0.0.1:4780/#token=abc^&x=1'] });
  });

  it('Linux needs a display and xdg-open, and says which is missing', () => {
    expect(browserCommand(URL_, 'linux', { DISPLAY: ':0' }, has(['xdg-open']))).toEqual({ cmd: 'xdg-open', args: [URL_] });
    expect(browserCommand(URL_, 'linux', { WAYLAND_DISPLAY: 'wayland-0' }, has(['xdg-open']))).toEqual({ cmd: 'xdg-open', args: [URL_] });
    expect(browserCommand(URL_, 'linux', {}, has(['xdg-open']))).toEqual({ none: 'no graphical display here' });
    expect(browserCommand(URL_, 'linux', { DISPLAY: ':0' }, has([]))).toEqual({ none: 'no xdg-open here' });
  });
});
