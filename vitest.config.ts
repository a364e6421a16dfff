import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Every core test runs with responses checked against the contract. Stores the CLI makes
    // are plain unless a test gives a passphrase (the encryption tests do; the e2e hosts all do).
    env: { CASEBOOK_VALIDATE_RESPONSES: '1', CASEBOOK_PLAIN_STORE: '1' },
  },
});
