import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/**
 * Layering, enforced rather than hoped for:
 *   renderer      -> shared/domain, shared/contract, shared/security only (never Node, never electron)
 *   electron/core -> shared (incl. shared/node); never the `electron` module
 *   server        -> shared; never electron/*
 *   shared        -> nothing outside shared; shared/domain, shared/contract and shared/export stay free of Node
 * Only electron/main and electron/preload import `electron`.
 */
const nodeBuiltins = ['node:*', 'fs', 'path', 'crypto', 'child_process', 'os', 'http', 'https', 'net', 'stream', 'util', 'url', 'worker_threads'];
const restrict = (patterns, message) => ({ group: patterns, message });

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'test-results/**', 'playwright-report/**', '.data/**', 'resources/samples/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'off',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', {
        patterns: [
          restrict(['**/electron/**', 'electron', '**/server/**', '**/shared/node/**'], 'The renderer talks to the core only through shared/contract.'),
          restrict(nodeBuiltins, 'The renderer has no Node access.'),
        ],
      }],
    },
  },
  {
    // The command line is the admin's tool for both sides: it may host the server, never electron.
    files: ['electron/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          restrict(['electron', 'electron/*'], 'Only electron/main and electron/preload may import electron.'),
          restrict(['**/renderer/**', '**/electron/main/**', '**/electron/preload/**'], 'The CLI depends on core, server and shared only.'),
        ],
      }],
    },
  },
  {
    files: ['electron/core/**/*.ts', 'electron/web-host/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          restrict(['electron', 'electron/*'], 'Only electron/main and electron/preload may import electron.'),
          restrict(['**/renderer/**', '**/server/**', '**/electron/main/**', '**/electron/preload/**'], 'The core depends only on shared/.'),
        ],
      }],
    },
  },
  {
    files: ['server/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [restrict(['electron', 'electron/*', '**/electron/**', '**/renderer/**'], 'The server depends only on shared/.')],
      }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/node/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          restrict(['electron', '**/electron/**', '**/server/**', '**/renderer/**', '**/shared/node/**', '../node/**', './node/**'], 'shared/domain, shared/contract and shared/export are pure (the renderer may use them).'),
          restrict(nodeBuiltins, 'shared/domain, shared/contract and shared/export must run in the browser; Node code goes in shared/node.'),
        ],
      }],
    },
  },
  {
    files: ['shared/node/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [restrict(['electron', '**/electron/**', '**/server/**', '**/renderer/**'], 'shared/node serves core and server alike.')],
      }],
    },
  },
  {
    files: ['electron/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [restrict(['**/core/**', '**/shared/node/**', ...nodeBuiltins], 'The sandboxed preload sees only electron and the contract.')],
      }],
    },
  },
);
