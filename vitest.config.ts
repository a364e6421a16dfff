import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Every core test runs with responses checked against the contract.
    env: { CASEBOOK_VALIDATE_RESPONSES: '1' },
  },
});
