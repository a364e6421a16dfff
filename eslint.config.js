import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import layers from './eslint-rules/layers.js';
import shell from './eslint-rules/shell.js';

const root = dirname(fileURLToPath(import.meta.url));
const casebook = { rules: { layers, shell } };

/**
 * Layering, enforced rather than hoped for, by eslint-rules/layers.js: each import is resolved to
 * a repo path or a classified package and checked against its folder's allow-list (the table in
 * docs/architecture.md). The shell's security settings by eslint-rules/shell.js (docs/security.md).
 */
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
    rules: reactHooks.configs.recommended.rules,
  },
  {
    files: ['electron/**/*.ts', 'renderer/**/*.{ts,tsx}', 'server/**/*.ts', 'shared/**/*.ts'],
    plugins: { casebook },
    rules: { 'casebook/layers': ['error', { root }] },
  },
  {
    files: ['electron/main/**/*.ts', 'electron/preload/**/*.ts'],
    plugins: { casebook },
    rules: { 'casebook/shell': 'error' },
  },
);
