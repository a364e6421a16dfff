/**
 * Synchronised scrolling of the response panes: scrolling one moves the others to the same
 * relative position (responses differ in length, so pixels would not line up). The panes that
 * are moved fire scroll events of their own; those are ignored until the next frame.
 */
export function makeScrollSync(container: () => HTMLElement | null, enabled: () => boolean): (source: HTMLElement) => void {
  let driving: HTMLElement | null = null;
  let frame = 0;
  return (source) => {
    if (!enabled() || (driving && driving !== source)) return;
    driving = source;
    const max = source.scrollHeight - source.clientHeight;
    const ratio = max > 0 ? source.scrollTop / max : 0;
    for (const pane of container()?.querySelectorAll<HTMLElement>('.response-body') ?? []) {
      if (pane === source || pane.offsetParent === null) continue;
      pane.scrollTop = ratio * (pane.scrollHeight - pane.clientHeight);
    }
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => {
      driving = null;
    });
  };
}
