/**
 * The browser globals that in-page benchmark probes (functions passed to page.evaluate) use,
 * typed here so the Node project does not need the DOM library: with it, Node code could use
 * `document` unnoticed and fetch's types change. A probe starts with
 *   const { document, window, performance, requestAnimationFrame } = globalThis as unknown as BrowserGlobals;
 * which is plain `globalThis` at run time, inside the page.
 */
export interface ProbeElement {
  scrollTop: number;
  scrollHeight: number;
  clientHeight: number;
}

export interface BrowserGlobals {
  document: {
    querySelector(selector: string): ProbeElement | null;
    querySelectorAll(selector: string): { length: number };
    getElementsByTagName(tag: string): { length: number };
    readonly activeElement: unknown;
  };
  window: { location: { hash: string } };
  performance: {
    now(): number;
    clearResourceTimings(): void;
    getEntriesByType(type: 'resource'): { name: string; responseEnd: number }[];
  };
  requestAnimationFrame(callback: (now: number) => void): number;
}
