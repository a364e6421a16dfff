/**
 * The Electron shell's security settings, as code no one may undo quietly: in electron/main and
 * electron/preload, no shell.openExternal (a link from bundle text must never reach the OS),
 * no webviews, no Node or unsandboxed renderers, no weakened web security, and no remote URLs
 * (the app loads only from app://casebook). docs/security.md lists what each protects.
 */
const UNSAFE_SETTINGS = {
  nodeIntegration: true,
  nodeIntegrationInWorker: true,
  nodeIntegrationInSubFrames: true,
  sandbox: false,
  contextIsolation: false,
  webSecurity: false,
  allowRunningInsecureContent: true,
  webviewTag: true,
  experimentalFeatures: true,
};
const REMOTE = /^(https?|wss?|ftp|file):\/\//i;

const keyName = (p) => (p.key.type === 'Identifier' ? p.key.name : p.key.type === 'Literal' ? String(p.key.value) : null);

export default {
  meta: {
    type: 'problem',
    docs: { description: 'Electron security settings that must hold in the shell (docs/security.md).' },
    schema: [],
    messages: {
      openExternal: 'shell.openExternal opens whatever URL it is given in the OS: the app never hands links to the OS.',
      shellImport: "electron's shell module is not used by Casebook (openExternal, openPath run outside the sandbox).",
      setting: '{{name}}: {{value}} weakens the renderer sandbox (Electron security checklist); Casebook keeps {{name}}: {{safe}}.',
      webview: '<webview> embeds other content with its own privileges: not in Casebook.',
      remote: 'Remote URL "{{url}}" in the shell: the app loads only from app://casebook.',
    },
  },
  create(context) {
    return {
      ImportSpecifier: (n) => {
        if (n.parent.source.value === 'electron' && n.imported.name === 'shell') context.report({ node: n, messageId: 'shellImport' });
      },
      MemberExpression: (n) => {
        if (!n.computed && n.property.type === 'Identifier' && n.property.name === 'openExternal') context.report({ node: n, messageId: 'openExternal' });
      },
      Property: (n) => {
        const name = keyName(n);
        if (!name || !(name in UNSAFE_SETTINGS) || n.value.type !== 'Literal') return;
        if (n.value.value === UNSAFE_SETTINGS[name]) context.report({ node: n, messageId: 'setting', data: { name, value: String(n.value.value), safe: String(!n.value.value) } });
      },
      JSXOpeningElement: (n) => {
        if (n.name.type === 'JSXIdentifier' && n.name.name === 'webview') context.report({ node: n, messageId: 'webview' });
      },
      Literal: (n) => {
        if (typeof n.value === 'string' && REMOTE.test(n.value)) context.report({ node: n, messageId: 'remote', data: { url: n.value } });
      },
      TemplateElement: (n) => {
        if (REMOTE.test(n.value.cooked ?? '')) context.report({ node: n, messageId: 'remote', data: { url: n.value.cooked } });
      },
    };
  },
};
