import { defineConfig } from 'vitest/config';

// Two tiers. `unit`: pure logic, no root, no apt, no hosts (`npm run test:unit`, seconds).
// `integration`: real sshd, MariaDB and the lab; its global setup installs the Debian packages
// they need. Integration files each start their own sshd/lab; unit files stay parallel.
export default defineConfig({
  test: {
    pool: 'forks',
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/lab/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
