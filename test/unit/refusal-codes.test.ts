import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BUNDLE_REFUSALS } from '../../shared/node/bundle/refusal.ts';
import { SIGNATURE_REFUSALS } from '../../shared/node/dsse.ts';
import { ZIP_REFUSALS } from '../../shared/node/zip.ts';
import { SyncErrorCode } from '../../shared/sync/wire.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (f: string) => readFileSync(join(ROOT, f), 'utf8');

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const rel = `${dir}/${name}`;
    if (statSync(join(ROOT, rel)).isDirectory()) return sources(rel);
    return rel.endsWith('.ts') ? [rel] : [];
  });
}
const SOURCE = ['shared', 'electron', 'server'].flatMap(sources).map((f) => ({ file: f, text: read(f) }));

/** The codes a doc's table documents: the backticked first cell of each table row. */
function tableCodes(doc: string, heading: string): string[] {
  const at = doc.indexOf(heading);
  expect(at, heading).toBeGreaterThanOrEqual(0);
  const section = doc.slice(at);
  const rows = section.split('\n').slice(1);
  const end = rows.findIndex((l, i) => i > 2 && !l.startsWith('|'));
  return rows.slice(0, end).flatMap((l) => /^\| `([a-z_]+)` \|/.exec(l)?.[1] ?? []);
}

describe('refusal codes', () => {
  it('every bundle refusal code is documented in docs/bundles.md, and every documented one exists', () => {
    const documented = tableCodes(read('docs/bundles.md'), '| code | refused | reason given |');
    expect([...documented].sort()).toEqual([...BUNDLE_REFUSALS].sort());
  });

  it('every bundle refusal code is produced somewhere in the source (none is documented in vain)', () => {
    // A code is produced where it is passed to a refusal, or is the code of an error it wraps
    // (zip and signature codes are re-used through `e.code`).
    // The lists themselves do not count as producing their codes.
    const producers = SOURCE.map((s) => s.text.replace(/export const [A-Z_]+REFUSALS = \[[\s\S]*?\] as const;/g, ''));
    for (const code of BUNDLE_REFUSALS) {
      const literal = `'${code}'`;
      const produced = producers.some((text) => text.includes(literal));
      expect(produced, `${code} is never produced`).toBe(true);
    }
    expect(BUNDLE_REFUSALS).toEqual(expect.arrayContaining([...ZIP_REFUSALS, ...SIGNATURE_REFUSALS]));
  });

  it('every refusal the bundle reader raises uses a code of the list (grep over the source)', () => {
    const raised = SOURCE.flatMap((s) => [...s.text.matchAll(/new (?:BundleRefusal|ZipRefusal|RotationRefusal)\('([a-z_]+)'/g)].map((m) => m[1]!));
    expect(raised.length).toBeGreaterThan(20);
    for (const code of raised) expect(BUNDLE_REFUSALS, code).toContain(code);
    const signature = SOURCE.flatMap((s) => [...s.text.matchAll(/new SignatureError\([^;]*?, '([a-z_]+)'\)/g)].map((m) => m[1]!));
    for (const code of signature) expect(SIGNATURE_REFUSALS, code).toContain(code);
  });

  it('every sync error code is documented in docs/sync.md, and every documented one exists', () => {
    const documented = tableCodes(read('docs/sync.md'), '| code | status | meaning |');
    expect([...documented].sort()).toEqual([...SyncErrorCode.options].sort());
  });

  it('the DSSE refusal codes are the ones docs/formats.md states with the keyid rule', () => {
    const formats = read('docs/formats.md');
    for (const code of SIGNATURE_REFUSALS) expect(formats, code).toContain(`\`${code}\``);
  });
});
