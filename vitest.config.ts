import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
import { baseArgs, requireChromium, webgpuArgs } from './test/chromium.ts';

// Three tiers, one command (`npm test`): engine tests in Node, WGSL kernels on a
// real WebGPU (headless Chromium + SwiftShader), and the built app end to end.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'engine',
          environment: 'node',
          include: ['test/engine/**/*.test.ts', 'test/cli/**/*.test.ts', 'test/tasks/**/*.test.ts', 'test/share/**/*.test.ts', 'test/viz/**/*.test.ts'],
        },
      },
      {
        define: { __CI__: JSON.stringify(Boolean(process.env.CI)) },
        test: {
          name: 'gpu',
          include: ['test/gpu/**/*.test.{ts,tsx}'],
          testTimeout: 60_000,
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({
              launchOptions: { executablePath: requireChromium(), args: [...baseArgs, ...webgpuArgs] },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/build.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
