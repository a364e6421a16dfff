import type { Monaco } from './monaco.ts';

let loading: Promise<Monaco> | null = null;

/** Loads Monaco once per session; every exemplar task reuses the same module. */
export function loadMonaco(): Promise<Monaco> {
  loading ??= import('./monaco.ts').then((m) => m.monaco);
  return loading;
}
