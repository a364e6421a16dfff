import { builtinModules } from 'node:module';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * The layering rule: every import (static, dynamic `import()`, `require`, re-exports, `import x =
 * require()`, type-only and `import('x').T` types) is resolved to a repo path or a package, and
 * checked against the allow-list of the folder the importing file is in. Packages are classified
 * by where they can run; a package not in the table is an error until someone classifies it.
 * docs/architecture.md's layering table is this table, in words.
 */

/** Where a package runs: `universal` (browser and Node), `node`, or `electron` (the shell only). */
export const PACKAGES = {
  universal: [
    '@tanstack/react-virtual', 'ajv', 'ajv-formats', 'fast-check', 'hyparquet', 'hyparquet-writer', 'katex', 'mdast-util-gfm-table',
    'micromark-extension-gfm-table', 'monaco-editor', 'react', 'react-dom', 'react-is', 'react-markdown', 'recharts', 'rehype-katex',
    'remark-gfm', 'remark-math', 'unified', 'zod', 'zustand',
  ],
  node: ['better-sqlite3', 'better-sqlite3-multiple-ciphers', 'esbuild', 'fastify', 'pg', 'tsx', 'yauzl', 'yazl'],
  electron: ['electron'],
};

/** A code area an import may reach: a folder prefix (or one file), minus exceptions. */
const area = (path, except = []) => ({ path, except });
const PURE_SHARED = area('shared/', ['shared/node/']);
const SHARED = area('shared/');

/**
 * Each folder's rule, matched by the longest prefix. `may`: the code it may import (its own
 * folder included); `env`: package environments (`node` includes Node's built-in modules).
 */
export const LAYERS = {
  'shared/': { may: [PURE_SHARED], env: ['universal'], why: 'shared code outside shared/node runs in the browser too: no Node, no electron, no app code' },
  'shared/node/': { may: [SHARED], env: ['universal', 'node'], why: 'shared/node serves core and server alike: shared code and Node only' },
  'electron/core/': { may: [area('electron/core/'), SHARED], env: ['universal', 'node'], why: 'the core is plain Node on shared/: never electron, the shell, the hosts, the CLI or the server' },
  'electron/core-host/': {
    may: [area('electron/core-host/'), area('electron/core/'), SHARED],
    env: ['universal', 'node'],
    why: 'the core host runs the core in a utility process and talks through process.parentPort, not electron',
  },
  'electron/main/': {
    may: [area('electron/main/'), area('electron/core-host/protocol.ts'), area('shared/contract/'), area('shared/domain/'), area('shared/security/')],
    env: ['universal', 'node', 'electron'],
    why: 'the shell hosts the core in another process: it may use electron and the contract, never load the core itself',
  },
  'electron/preload/': { may: [area('electron/preload/'), area('shared/contract/')], env: ['electron'], why: 'the sandboxed preload sees only electron and the contract' },
  'electron/web-host/': { may: [area('electron/web-host/'), area('electron/core/'), SHARED], env: ['universal', 'node'], why: 'the browser host serves the core over HTTP: core and shared only' },
  'electron/cli/': {
    may: [area('electron/cli/'), area('electron/core/'), area('electron/web-host/'), area('server/'), SHARED],
    env: ['universal', 'node'],
    why: "the CLI is the admin's tool for both sides: core, hosts, server and shared, never electron or the renderer",
  },
  'renderer/': { may: [area('renderer/'), PURE_SHARED], env: ['universal'], why: 'the renderer talks to the core only through shared/contract: no Node, no electron, no core or server' },
  'server/': { may: [area('server/'), SHARED], env: ['universal', 'node'], why: 'the server depends only on shared/' },
};

/** Folders whose every file must fall under a rule: a new folder there needs a line above. */
const COVERED_ROOTS = ['electron/', 'renderer/', 'server/', 'shared/'];

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const PACKAGE_ENV = new Map(Object.entries(PACKAGES).flatMap(([env, names]) => names.map((n) => [n, env])));

const toRepo = (p) => p.split(sep).join('/');
const packageName = (spec) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
const inArea = (path, a) => (a.path.endsWith('/') ? path.startsWith(a.path) : path === a.path) && !a.except.some((e) => path.startsWith(e));

export function layerOf(repoPath) {
  let best = null;
  for (const prefix of Object.keys(LAYERS)) if (repoPath.startsWith(prefix) && (!best || prefix.length > best.length)) best = prefix;
  return best;
}

/** What a specifier names: a repo path, a Node built-in, a classified package, or an unknown one. */
export function classify(spec, fromFile, root) {
  if (spec.startsWith('.') || isAbsolute(spec)) {
    const target = resolve(dirname(fromFile), spec);
    const rel = relative(root, target);
    if (rel.startsWith('..') || isAbsolute(rel)) return { kind: 'outside', name: spec };
    return { kind: 'code', name: toRepo(rel) };
  }
  if (BUILTINS.has(spec) || BUILTINS.has(spec.split('/')[0])) return { kind: 'env', env: 'node', name: spec };
  const pkg = packageName(spec);
  const env = PACKAGE_ENV.get(pkg);
  return env ? { kind: 'env', env, name: pkg } : { kind: 'unknown', name: pkg };
}

/** Null when allowed, else why not. */
export function verdict(layerPrefix, target) {
  const layer = LAYERS[layerPrefix];
  if (target.kind === 'outside') return `${target.name} is outside the repository`;
  if (target.kind === 'unknown') return `"${target.name}" is not classified: add it to PACKAGES in eslint-rules/layers.js (universal, node or electron)`;
  if (target.kind === 'env') return layer.env.includes(target.env) ? null : `"${target.name}" is ${target.env === 'node' ? 'Node-only' : target.env === 'electron' ? 'electron' : target.env}`;
  return layer.may.some((a) => inArea(target.name, a)) ? null : `${target.name} is not among what ${layerPrefix.slice(0, -1)} may import`;
}

function literalOf(node) {
  if (!node) return null;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0].value.cooked;
  if (node.type === 'TSLiteralType') return literalOf(node.literal);
  return undefined;
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'Each folder imports only what its layer allows (docs/architecture.md, "Layers and who may import whom").' },
    schema: [{ type: 'object', properties: { root: { type: 'string' } }, additionalProperties: false }],
    messages: {
      forbidden: '{{layer}} may not import "{{spec}}": {{reason}}. ({{why}})',
      computed: '{{layer}}: an import() of a computed path cannot be checked; import a literal path.',
      noLayer: '{{file}} is in no layer: add its folder to LAYERS in eslint-rules/layers.js.',
    },
  },
  create(context) {
    const root = context.options[0]?.root ?? context.cwd;
    const file = context.filename;
    const repoPath = toRepo(relative(root, file));
    const prefix = layerOf(repoPath);
    if (!prefix) {
      if (!COVERED_ROOTS.some((r) => repoPath.startsWith(r))) return {};
      return { Program: (node) => context.report({ node, messageId: 'noLayer', data: { file: repoPath } }) };
    }
    const name = prefix.slice(0, -1);
    const check = (node, source) => {
      const spec = literalOf(source);
      if (spec === null) return;
      if (spec === undefined) return context.report({ node, messageId: 'computed', data: { layer: name } });
      const reason = verdict(prefix, classify(spec, file, root));
      if (reason) context.report({ node, messageId: 'forbidden', data: { layer: name, spec, reason, why: LAYERS[prefix].why } });
    };
    return {
      ImportDeclaration: (n) => check(n, n.source),
      ExportNamedDeclaration: (n) => n.source && check(n, n.source),
      ExportAllDeclaration: (n) => check(n, n.source),
      ImportExpression: (n) => check(n, n.source),
      TSImportType: (n) => check(n, n.argument),
      TSExternalModuleReference: (n) => check(n, n.expression),
      CallExpression: (n) => {
        if (n.callee.type === 'Identifier' && n.callee.name === 'require' && n.arguments.length === 1) check(n, n.arguments[0]);
      },
    };
  },
};

/** The table docs/architecture.md shows (a test keeps the two the same). */
export function layersTable() {
  const areaText = (a) => `\`${a.path}\`${a.except.length ? ` except \`${a.except.join('`, `')}\`` : ''}`;
  const envText = (env) => env.map((e) => (e === 'node' ? 'Node (built-ins and Node-only packages)' : e === 'universal' ? 'universal packages' : 'electron')).join(', ');
  const rows = Object.entries(LAYERS).map(([prefix, l]) => `| \`${prefix}\` | ${l.may.map(areaText).join(', ')} | ${envText(l.env)} |`);
  return ['| folder (longest prefix wins) | may import code from | may import packages |', '| --- | --- | --- |', ...rows].join('\n');
}
