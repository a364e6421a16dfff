import type { ReactNode } from 'react';

/**
 * A small syntax highlighter for code blocks: tokens become React <span>s (never innerHTML), so
 * code from a response can only ever be shown. Covers the common cases (comments, strings,
 * numbers, keywords) of JS/TS, Python, JSON, shell, SQL and C-like languages; other languages
 * get strings and numbers only.
 */
const KEYWORDS: Record<string, string> = {
  js: 'const let var function return if else for while do switch case break continue new class extends import export from default async await try catch finally throw typeof instanceof in of null undefined true false this yield interface type enum implements public private protected readonly',
  py: 'def return if elif else for while in not and or is None True False class import from as with try except finally raise lambda yield pass break continue global nonlocal assert async await',
  sql: 'select from where and or not insert into values update set delete create table index join left right inner outer on group by order having limit as distinct union all null is in like between case when then else end',
  sh: 'if then else elif fi for in do done while case esac function return export local echo exit',
  c: 'int long short char float double void return if else for while do switch case break continue struct union enum typedef const static unsigned signed sizeof new delete class public private protected template namespace using true false null nullptr fn let mut impl pub use match mod trait where func package var go defer',
};
const LANG: Record<string, keyof typeof KEYWORDS | 'json'> = {
  js: 'js', javascript: 'js', ts: 'js', typescript: 'js', jsx: 'js', tsx: 'js',
  py: 'py', python: 'py',
  json: 'json',
  sql: 'sql',
  sh: 'sh', bash: 'sh', shell: 'sh', zsh: 'sh',
  c: 'c', cpp: 'c', 'c++': 'c', java: 'c', csharp: 'c', cs: 'c', go: 'c', rust: 'c', rs: 'c', kotlin: 'c', swift: 'c',
};

const hashComments = new Set(['py', 'sh']);

function tokenRe(lang: string): RegExp {
  const comment = lang === 'sql' ? '--[^\\n]*|/\\*[\\s\\S]*?\\*/' : hashComments.has(lang) ? '#[^\\n]*' : lang === 'json' ? '(?!)' : '//[^\\n]*|/\\*[\\s\\S]*?\\*/';
  return new RegExp(`(${comment})|("(?:[^"\\\\\\n]|\\\\.)*"|'(?:[^'\\\\\\n]|\\\\.)*'|\`(?:[^\`\\\\]|\\\\.)*\`)|(\\b\\d[\\d_]*(?:\\.\\d+)?(?:e[+-]?\\d+)?\\b)|([A-Za-z_][\\w$]*)`, 'g');
}

export function highlightCode(code: string, language: string | null): ReactNode[] {
  const lang = language ? LANG[language.toLowerCase()] : undefined;
  if (!lang || code.length > 100_000) return [code];
  const keywords = new Set((KEYWORDS[lang] ?? '').split(' '));
  const out: ReactNode[] = [];
  let last = 0;
  let n = 0;
  for (const m of code.matchAll(tokenRe(lang))) {
    const [text, com, str, num, word] = m;
    const cls = com ? 'tok-com' : str ? 'tok-str' : num ? 'tok-num' : word && (keywords.has(word) || (lang === 'sql' && keywords.has(word.toLowerCase()))) ? 'tok-kw' : null;
    if (!cls) continue;
    if (m.index > last) out.push(code.slice(last, m.index));
    out.push(
      <span key={n++} className={cls}>
        {text}
      </span>,
    );
    last = m.index + text.length;
  }
  if (last < code.length) out.push(code.slice(last));
  return out;
}
