import { mkdirSync, writeFileSync, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { cpSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const MINIMAL = fileURLToPath(new URL('../fixtures/bundle-src/minimal', import.meta.url));

/** Filler text of about `bytes` characters, varied so compression is realistic. */
export function prose(seed: number, bytes: number): string {
  const words = ['patient', 'dose', 'renal', 'clearance', 'contract', 'clause', 'liability', 'limitation', 'period', 'notice', 'evidence', 'risk', 'the', 'and', 'of', 'within', 'mg', 'days'];
  let out = '';
  let x = seed * 2654435761;
  while (out.length < bytes) {
    x = (x * 1103515245 + 12345) >>> 0;
    out += words[x % words.length] + (x % 11 === 0 ? '. ' : ' ');
  }
  return out.slice(0, bytes);
}

/** A bundle source folder with `n` compare tasks of two ~1 KB responses each. */
export async function writeCompareSource(dir: string, id: string, n: number): Promise<string> {
  mkdirSync(dir, { recursive: true });
  for (const f of ['guidelines.md', 'rubric.json', 'taxonomy.json']) cpSync(join(MINIMAL, f), join(dir, f));
  writeFileSync(join(dir, 'bundle.json'), JSON.stringify({ format: 'casebook.bundle/1', id, version: 1, title: `Benchmark ${n}` }));
  const out = createWriteStream(join(dir, 'tasks.jsonl'));
  for (let i = 0; i < n; i++) {
    const line = JSON.stringify({
      id: `t${i}`,
      kind: 'compare',
      title: `Task ${i}`,
      context: [{ role: 'user', content: prose(i, 200) }],
      responses: [
        { id: 'r1', content: prose(i + 1, 1000) },
        { id: 'r2', content: prose(i + 2, 1000) },
      ],
    });
    if (!out.write(line + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
  return dir;
}
