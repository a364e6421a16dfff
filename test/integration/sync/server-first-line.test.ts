import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../../electron/cli/main.ts';
import { tempDir } from './helpers.ts';
import { freePort, sigkill, spawnServer } from './processes.ts';

const tmp = tempDir('cb-server-line-');
afterAll(() => tmp.cleanup());

describe('what `casebook server` prints first', () => {
  it('is one line in words, with no raw JSON log line before it (at the default log level)', async () => {
    const dir = join(tmp.dir, 'server');
    expect(await run(['server', 'init', '--data', dir], { out: () => undefined, err: () => undefined })).toBe(0);
    const port = await freePort();
    // CASEBOOK_LOG_LEVEL unset in the child: the level a newcomer gets.
    const server = await spawnServer(dir, port, { CASEBOOK_LOG_LEVEL: 'info' });
    try {
      const lines = server.output().split('\n').filter(Boolean);
      expect(lines[0]).toMatch(new RegExp(`^casebook server listening on http://127\\.0\\.0\\.1:${port} \\(sqlite\\); request log as JSON lines on stdout`));
      expect(lines.filter((l) => l.startsWith('{'))).toEqual([]);
      // Requests are still logged, as JSON lines for an operator's tools.
      await fetch(`http://127.0.0.1:${port}/v1/health`).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 300));
      expect(server.output()).toMatch(/^\{"level":30.*"statusCode"/m);
    } finally {
      await sigkill(server);
    }
  });
});
