/**
 * Runs one measured step in its own process, so the peak RSS it reports is that step's alone:
 *   import DATA_DIR BUNDLE PUBKEY_X [PASSPHRASE]   the full import (signature, hashes, validation,
 *                                     insert), into an encrypted store when a passphrase is given
 *   raw DATA_DIR TASKS_JSONL BUNDLE_ID   a plain insert of the same rows in one transaction
 * Prints one JSON line: {"ms","tasks","maxRssMb"}.
 */
import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { Core } from '../../electron/core/core.ts';
import { openDatabase } from '../../electron/core/store/database.ts';
import { byteLines } from '../../shared/node/lines.ts';
import { nowMs } from './harness.ts';

const [mode, dataDir, input, arg, passphrase] = process.argv.slice(2) as [string, string, string, string, string | undefined];
const maxRssMb = () => Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;

if (mode === 'import') {
  // Opening (and, encrypted, deriving the vault key) happens before the clock starts.
  const core = await Core.open({ dataDir, host: 'web', ...(passphrase ? { protection: { kind: 'passphrase' as const, passphrase } } : {}) });
  const t0 = nowMs();
  const r = await core.importBundle(input, { trusted: [{ jwk: { kty: 'OKP', crv: 'Ed25519', x: arg }, label: 'bench', bundlePrefix: null }] });
  const ms = nowMs() - t0;
  await core.close();
  console.log(JSON.stringify({ ms, tasks: r.taskCount, maxRssMb: maxRssMb() }));
} else if (mode === 'raw') {
  // The rows are prepared before the clock starts: this is the floor the import is compared with.
  const rows: { id: string; kind: string; title: string; body: string; hash: string }[] = [];
  for await (const line of byteLines(createReadStream(input))) {
    const body = line.toString('utf8');
    const t = JSON.parse(body) as { id: string; kind: string; title?: string };
    rows.push({ id: t.id, kind: t.kind, title: t.title ?? t.id, body, hash: createHash('sha256').update(line).digest('hex') });
  }
  const db = openDatabase(join(dataDir, 'casebook.sqlite'));
  db.prepare(
    `INSERT INTO bundles (id, version, title, settings, guidelines, rubric, taxonomy, manifest, manifest_sha256, signer_key_id, signer_label, task_count, created_at, expires_at, imported_at)
     VALUES (?, 1, 'raw', '{}', '', '{}', '{}', '{}', '', '', '', ?, '', '', '')`,
  ).run(arg, rows.length);
  const insert = db.prepare(
    `INSERT INTO tasks (bundle_id, task_id, position, kind, title, body, hash, bundle_version, retired) VALUES (?, ?, ?, ?, ?, ?, ?, 1, 0)`,
  );
  const t0 = nowMs();
  db.transaction(() => rows.forEach((r, i) => insert.run(arg, r.id, i, r.kind, r.title, r.body, r.hash))).immediate();
  const ms = nowMs() - t0;
  db.close();
  console.log(JSON.stringify({ ms, tasks: rows.length, maxRssMb: maxRssMb() }));
} else {
  throw new Error(`unknown mode ${mode}`);
}
