import { readFileSync } from 'node:fs';
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import layers, { layersTable } from '../../../eslint-rules/layers.js';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const ROOT = '/repo';
const tester = new RuleTester({
  languageOptions: { parser: tseslint.parser, parserOptions: { ecmaFeatures: { jsx: true } }, ecmaVersion: 2023, sourceType: 'module' },
});
const at = (file: string) => `${ROOT}/${file}`;
const options = [{ root: ROOT }];
const bad = (file: string, code: string, match: RegExp) => ({
  name: `${file}: ${code}`,
  filename: at(file),
  code,
  options,
  errors: [{ message: match }],
});

describe('the layering rule', () => {
  tester.run('casebook/layers', layers, {
    valid: [
      { filename: at('renderer/src/views/x.tsx'), code: "import { api } from '../../../shared/contract/api.ts'; import { useState } from 'react'; import { z } from 'zod';", options },
      { filename: at('renderer/src/views/x.tsx'), code: "const k = import('rehype-katex'); const m = import('./monaco.ts'); import '../styles/base.css';", options },
      { filename: at('renderer/src/x.ts'), code: "import { diff } from '../../shared/text/word-diff.ts';", options },
      { filename: at('electron/core/store/x.ts'), code: "import type { Database } from 'better-sqlite3'; import { join } from 'node:path'; import { sha256Hex } from '../../../shared/node/hash.ts';", options },
      { filename: at('electron/main/index.ts'), code: "import { app } from 'electron'; import type { ToCore } from '../core-host/protocol.ts'; import { api } from '../../shared/contract/api.ts';", options },
      { filename: at('electron/core-host/index.ts'), code: "import { Core } from '../core/core.ts';", options },
      { filename: at('electron/cli/main.ts'), code: "import { startServer } from '../../server/start.ts'; import { startWebHost } from '../web-host/server.ts';", options },
      { filename: at('shared/domain/x.ts'), code: "import { z } from 'zod'; import { Api } from '../contract/api.ts';", options },
      // A new pure shared folder is covered by shared/'s rule from the start.
      { filename: at('shared/newthing/x.ts'), code: "import { z } from 'zod'; import { Task } from '../domain/task.ts';", options },
      // Tests and scripts are tools: no layer.
      { filename: at('test/unit/x.test.ts'), code: "import { Core } from '../../electron/core/core.ts'; import { app } from 'electron'; import BetterSqlite3 from 'better-sqlite3';", options },
    ],
    invalid: [
      // The nine that the old no-restricted-imports globs let through (issue 15):
      bad('renderer/src/db.ts', "import Database from 'better-sqlite3';", /renderer may not import "better-sqlite3": "better-sqlite3" is Node-only/),
      bad('renderer/src/z.ts', "import { gzipSync } from 'zlib';", /renderer may not import "zlib": "zlib" is Node-only/),
      bad('renderer/src/views/x.tsx', "const core = await import('../../../electron/core/core.ts');", /renderer may not import ".*": electron\/core\/core\.ts is not among what renderer may import/),
      bad('electron/core/sync/x.ts', "import { registerIpc } from '../../main/ipc.ts';", /electron\/core may not import .*electron\/main\/ipc\.ts/),
      bad('electron/core/x.ts', "import { startWebHost } from '../web-host/server.ts';", /electron\/core may not import .*electron\/web-host\/server\.ts/),
      bad('shared/domain/x.ts', "import { inflateRawSync } from 'node:zlib';", /shared may not import "node:zlib": "node:zlib" is Node-only/),
      bad('electron/main/x.ts', "import { Core } from '../core/core.ts';", /electron\/main may not import .*electron\/core\/core\.ts.*never load the core itself/),
      bad('electron/core-host/x.ts', "import { app } from 'electron';", /electron\/core-host may not import "electron": "electron" is electron/),
      bad('electron/main/y.ts', "import { buildApp } from '../../server/app.ts';", /electron\/main may not import .*server\/app\.ts/),
      // Every other way in:
      bad('renderer/src/api/x.ts', "export { buildApp } from '../../../server/app.ts';", /server\/app\.ts is not among/),
      bad('renderer/src/api/y.ts', "export * from '../../../shared/node/keys.ts';", /shared\/node\/keys\.ts is not among/),
      bad('renderer/src/r.ts', "const fs = require('fs');", /"fs" is Node-only/),
      bad('renderer/src/t.ts', "type Db = import('better-sqlite3').Database; export type { Db };", /"better-sqlite3" is Node-only/),
      bad('renderer/src/u.ts', "import fs = require('node:fs'); export { fs };", /"node:fs" is Node-only/),
      bad('renderer/src/v.ts', 'const name = "x"; const m = import(name);', /computed path cannot be checked/),
      bad('shared/contract/x.ts', "export * from '../node/keys.ts';", /shared may not import .*shared\/node\/keys\.ts/),
      bad('electron/preload/x.ts', "import { readFileSync } from 'node:fs';", /electron\/preload may not import "node:fs"/),
      bad('server/x.ts', "import { Core } from '../electron/core/core.ts';", /server may not import .*electron\/core\/core\.ts/),
      bad('electron/cli/x.ts', "import { app } from 'electron';", /electron\/cli may not import "electron"/),
      bad('electron/cli/y.ts', "import { registerIpc } from '../main/ipc.ts';", /electron\/cli may not import .*electron\/main/),
      bad('electron/core/y.ts', "import leftPad from 'left-pad';", /"left-pad" is not classified: add it to PACKAGES/),
      bad('electron/core/z.ts', "import x from '../../../elsewhere/x.ts';", /is outside the repository/),
      { filename: at('electron/newfolder/x.ts'), code: 'export const x = 1;', options, errors: [{ message: /electron\/newfolder\/x\.ts is in no layer/ }] },
    ],
  });

  it("docs/architecture.md's layering table is the rule's table, exactly", () => {
    const doc = readFileSync(new URL('../../../docs/architecture.md', import.meta.url), 'utf8');
    expect(doc).toContain(layersTable());
  });
});
