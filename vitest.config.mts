import { defineConfig } from 'vitest/config';

// Two projects: `unit` needs nothing running; `integration` talks to real servers (OpenSearch, an
// S3-API server, ElasticMQ) that test/servers/global-setup.ts starts and stops.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'lambdas/**/*.test.ts', 'modules/**/*.test.ts', 'accounts/**/*.test.ts', 'stacks/**/*.test.ts', 'tools/**/*.test.ts'],
          exclude: ['**/*.integration.test.ts', '**/node_modules/**'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'terraform',
          include: ['test/terraform/**/*.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'lambdas/**/*.integration.test.ts'],
          globalSetup: ['test/servers/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
