import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Integration files each start their own sshd/lab; run files one at a time on 2 cores
    // only where they share machine resources: unit files stay parallel.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
