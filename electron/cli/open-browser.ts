import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** How to hand a URL to the desktop's browser, or why there is none here. */
export type BrowserCommand = { cmd: string; args: string[] } | { none: string };

/** Finds an executable on PATH (no shell: nothing in the URL is ever interpreted). */
export function onPath(name: string, path = process.env.PATH ?? ''): boolean {
  return path.split(delimiter).some((dir) => {
    if (!dir) return false;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

export function browserCommand(url: string, platform: NodeJS.Platform, env: NodeJS.ProcessEnv, has: (name: string) => boolean): BrowserCommand {
  if (platform === 'darwin') return { cmd: 'open', args: [url] };
  // `start` is a cmd builtin; the empty "" is the window title it would otherwise take the URL for.
  if (platform === 'win32') return { cmd: 'cmd', args: ['/c', 'start', '""', url.replace(/&/g, '^&')] };
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return { none: 'no graphical display here' };
  if (has('xdg-open')) return { cmd: 'xdg-open', args: [url] };
  return { none: 'no xdg-open here' };
}

/**
 * Opens the URL in a browser where one exists. Never fails: at worst it says why it did not,
 * and the URL printed just before is the way in.
 */
export function openBrowser(url: string, say: (line: string) => void): void {
  const c = browserCommand(url, process.platform, process.env, (n) => onPath(n));
  if ('none' in c) {
    say(`not opening a browser (${c.none}): open the address above yourself`);
    return;
  }
  try {
    const child = spawn(c.cmd, c.args, { stdio: 'ignore', detached: true });
    child.once('error', () => say('could not start a browser: open the address above yourself'));
    child.unref();
  } catch {
    say('could not start a browser: open the address above yourself');
  }
}
