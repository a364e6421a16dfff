import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JsonlWriter } from '../../../shared/node/export/jsonl.ts';

const dir = mkdtempSync(join(tmpdir(), 'cb-jsonl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the streaming JSONL writer', () => {
  it('writes every line exactly, across chunk boundaries, multi-byte text and lines longer than a chunk, and reports the hash of the bytes on disk', async () => {
    const path = join(dir, 'a.jsonl');
    const w = await JsonlWriter.create(path);
    const values: unknown[] = [];
    for (let i = 0; i < 6000; i++) {
      const v = { i, text: i % 7 === 0 ? 'ünïcödé — 𝄞 '.repeat(40 + (i % 50)) : 'x'.repeat(i % 500), sep: '\u2028' };
      values.push(v);
      const p = w.write(v);
      if (p) await p;
    }
    const huge = { big: 'é'.repeat(1_500_000) };
    values.push(huge);
    await w.write(huge);
    await w.write({ last: true });
    values.push({ last: true });
    const r = await w.close();
    const bytes = readFileSync(path);
    expect(r).toEqual({ path, rows: values.length, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    expect(bytes.toString('utf8').split('\n').slice(0, -1).map((l) => JSON.parse(l))).toEqual(values);
  });

  it('only hands back a promise when a chunk goes to disk, so producers wait for the disk and memory stays bounded', async () => {
    const w = await JsonlWriter.create(join(dir, 'b.jsonl'));
    let waits = 0;
    for (let i = 0; i < 20_000; i++) {
      const p = w.write({ i, pad: 'y'.repeat(200) });
      if (p) {
        waits++;
        await p;
      }
    }
    const r = await w.close();
    // ~4.3 MB in 1 MiB chunks: a handful of waits, not one per line.
    expect(waits).toBeGreaterThanOrEqual(3);
    expect(waits).toBeLessThan(10);
    expect(r.rows).toBe(20_000);
  });

  it('never overwrites an existing file', async () => {
    writeFileSync(join(dir, 'c.jsonl'), 'keep');
    await expect(JsonlWriter.create(join(dir, 'c.jsonl'))).rejects.toThrow(/EEXIST/);
    expect(readFileSync(join(dir, 'c.jsonl'), 'utf8')).toBe('keep');
  });
});
