import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    environment: 'node',
    // Service tests open real SQLite files and e2e tests start a real browser: give them room.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Every test — and every worker thread or CLI process it starts — sees the same "today", whatever the real date
    // (the demo runs up to last month, and futures stop trading at month ends): see src-main/node/system-clock.ts.
    env: { TOKENHEDGE_AS_OF: '2026-11-24T09:30:00Z' },
  },
});
