import { defineConfig } from 'vitest/config';

// Two projects: fast unit tests of src/sizing and data, and browser tests against the built site.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/e2e/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // expect.poll waits 1 s by default; an island that loads its engine on demand can take longer on a busy
          // two-core CI machine. Polls still end as soon as they hold.
          expect: { poll: { timeout: 10_000 } },
          // One browser, one server: run the files one after another on a 2-core machine.
          fileParallelism: false,
        },
      },
    ],
  },
});
