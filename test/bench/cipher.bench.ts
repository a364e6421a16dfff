import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyKey, openConnection, PAGE_SIZE, type CipherName } from '../../electron/core/store/sqlite-driver.ts';
import { nowMs, round, type Benchmark, type Figure } from './harness.ts';

const ROWS = 20_000;
const BODY = JSON.stringify({ context: 'x'.repeat(1200), responses: ['y'.repeat(1200), 'z'.repeat(1200)] });
const ROUNDS = 3;

/** One store of ROWS task-sized rows: insert in one transaction (synchronous=FULL, WAL), then a full scan. */
function once(dir: string, cipher: CipherName | null): { writeMs: number; scanMs: number } {
  const path = join(dir, `${cipher ?? 'plain'}-${randomBytes(4).toString('hex')}.sqlite`);
  const key = randomBytes(32).toString('hex');
  const open = () => {
    const db = openConnection(path);
    if (cipher) applyKey(db, key, cipher);
    return db;
  };
  let db = open();
  db.pragma(`page_size = ${PAGE_SIZE}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE t (id TEXT PRIMARY KEY, body TEXT NOT NULL) STRICT, WITHOUT ROWID');
  const insert = db.prepare('INSERT INTO t VALUES (?, ?)');
  const t0 = nowMs();
  db.transaction(() => {
    for (let i = 0; i < ROWS; i++) insert.run(`t${i}`, BODY);
  })();
  db.close(); // includes the checkpoint into the main file, as a long session does
  const writeMs = nowMs() - t0;
  db = open();
  const t1 = nowMs();
  db.pragma('quick_check');
  db.prepare('SELECT SUM(LENGTH(body)) FROM t').get();
  const scanMs = nowMs() - t1;
  db.close();
  return { writeMs, scanMs };
}

/**
 * Why the store uses AEGIS-256 rather than SQLCipher's format: the same rows written and read
 * plain, with AEGIS-256, and with SQLCipher 4's settings, in one run (best of three, interleaved).
 * Ratios are encrypted over plain throughput (1 = free).
 */
export const cipherBenchmarks: Benchmark[] = [
  {
    title: `store cipher cost: ${ROWS / 1000}k task-sized rows written and read, plain vs AEGIS-256 vs SQLCipher 4`,
    run: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'cb-bench-cipher-'));
      try {
        const kinds = [null, 'aegis-256', 'sqlcipher-4'] as const;
        const best = new Map<string, { writeMs: number; scanMs: number }>();
        for (let r = 0; r < ROUNDS; r++) {
          for (const k of kinds) {
            const m = once(dir, k);
            const name = k ?? 'plain';
            const prev = best.get(name);
            best.set(name, { writeMs: Math.min(prev?.writeMs ?? Infinity, m.writeMs), scanMs: Math.min(prev?.scanMs ?? Infinity, m.scanMs) });
          }
        }
        const plain = best.get('plain')!;
        const figures: Figure[] = [];
        for (const [name, tag] of [['aegis-256', 'aegis'], ['sqlcipher-4', 'sqlcipher']] as const) {
          const m = best.get(name)!;
          figures.push({ name: `store_write_${tag}_vs_plain_ratio`, value: round(plain.writeMs / m.writeMs, 2), unit: 'x' });
          figures.push({ name: `store_read_${tag}_vs_plain_ratio`, value: round(plain.scanMs / m.scanMs, 2), unit: 'x' });
        }
        return figures;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
];
