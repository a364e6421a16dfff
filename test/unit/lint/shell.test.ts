import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, it } from 'vitest';
import shell from '../../../eslint-rules/shell.js';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester({ languageOptions: { parser: tseslint.parser, parserOptions: { ecmaFeatures: { jsx: true } }, ecmaVersion: 2023, sourceType: 'module' } });

describe('the shell security rule', () => {
  tester.run('casebook/shell', shell, {
    valid: [
      "import { app, BrowserWindow } from 'electron'; new BrowserWindow({ webPreferences: { sandbox: true, nodeIntegration: false, contextIsolation: true, webviewTag: false } });",
      "const APP_ORIGIN = 'app://casebook'; win.loadURL(`${APP_ORIGIN}/index.html`);",
    ],
    invalid: [
      { code: "import { shell } from 'electron';", errors: [{ messageId: 'shellImport' }] },
      { code: "require('electron').shell.openExternal(url);", errors: [{ messageId: 'openExternal' }] },
      { code: 'new BrowserWindow({ webPreferences: { nodeIntegration: true } });', errors: [{ messageId: 'setting' }] },
      { code: 'new BrowserWindow({ webPreferences: { sandbox: false } });', errors: [{ messageId: 'setting' }] },
      { code: "new BrowserWindow({ webPreferences: { 'contextIsolation': false, webSecurity: false } });", errors: [{ messageId: 'setting' }, { messageId: 'setting' }] },
      { code: 'new BrowserWindow({ webPreferences: { webviewTag: true, nodeIntegrationInSubFrames: true } });', errors: [{ messageId: 'setting' }, { messageId: 'setting' }] },
      { code: 'const view = <webview src="app://casebook" />;', errors: [{ messageId: 'webview' }] },
      { code: "win.loadURL('https://example.org/');", errors: [{ messageId: 'remote' }] },
      { code: 'win.loadURL(`http://127.0.0.1:${port}/`);', errors: [{ messageId: 'remote' }] },
      { code: "win.loadURL('file:///etc/passwd');", errors: [{ messageId: 'remote' }] },
    ],
  });
});
