/** A guidelines document cut at its headings, so it can be searched and opened at one section. */
export interface GuidelineSection {
  /** Stable anchor derived from the heading. */
  id: string;
  title: string;
  /** Heading level (1–6); 0 for text before the first heading. */
  level: number;
  /** The section's Markdown, heading included. */
  text: string;
}

const HEADING = /^(#{1,6})\s+(.+?)\s*#*\s*$/;

export function slug(title: string): string {
  return (
    'gl-' +
    title
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-|-$/g, '')
  );
}

/** Splits at `#`…`######` headings outside fenced code blocks. */
export function splitSections(markdown: string): GuidelineSection[] {
  const out: GuidelineSection[] = [];
  let current: GuidelineSection = { id: 'gl-intro', title: 'Introduction', level: 0, text: '' };
  let fence: string | null = null;
  const seen = new Map<string, number>();
  for (const line of markdown.split('\n')) {
    const f = /^\s*(```|~~~)/.exec(line);
    if (f?.[1]) fence = fence === null ? f[1] : fence === f[1] ? null : fence;
    const m = fence === null ? HEADING.exec(line) : null;
    if (m?.[1] && m[2]) {
      if (current.text.trim() !== '') out.push(current);
      const base = slug(m[2]);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      current = { id: n === 0 ? base : `${base}-${n}`, title: m[2], level: m[1].length, text: `${line}\n` };
    } else current.text += `${line}\n`;
  }
  if (current.text.trim() !== '') out.push(current);
  return out;
}

/** Sections containing every word of the query (case-insensitive, any order). */
export function searchSections(sections: readonly GuidelineSection[], query: string): GuidelineSection[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...sections];
  return sections.filter((s) => {
    const t = s.text.toLowerCase();
    return words.every((w) => t.includes(w));
  });
}

/** The section best matching a name (a criterion's `guidelineSection`): exact title, then containment. */
export function findSection(sections: readonly GuidelineSection[], name: string | null | undefined): GuidelineSection | null {
  if (!name) return null;
  const n = name.trim().toLowerCase();
  return (
    sections.find((s) => s.title.toLowerCase() === n) ??
    sections.find((s) => s.title.toLowerCase().includes(n)) ??
    sections.find((s) => n.includes(s.title.toLowerCase()) && s.level > 0) ??
    null
  );
}
