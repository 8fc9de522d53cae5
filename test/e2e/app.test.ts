/** The built app in headless Chromium, served from a sub-path, with and without WebGPU. */
import { join } from 'node:path';
import { chromium } from 'playwright';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { baseArgs, requireChromium, webgpuArgs } from '../chromium.ts';
import { root } from './build.ts';
import { serveDir, type StaticServer } from './serve.ts';

/** What one visit to the app saw once backend detection settled. */
interface Visit {
  title: string;
  badgeState: string | null;
  badgeText: string;
  errors: string[];
}

/** Opens the app in a fresh Chromium launched with `args` and reads the settled backend badge. */
async function visit(url: string, args: string[]): Promise<Visit> {
  const browser = await chromium.launch({ executablePath: requireChromium(), args });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
    });
    page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
    await page.goto(url);
    const badge = page.locator('[data-testid="backend"]:not([data-state="pending"])');
    await badge.waitFor({ timeout: 30_000 });
    return {
      title: await page.title(),
      badgeState: await badge.getAttribute('data-state'),
      badgeText: (await badge.textContent()) ?? '',
      errors,
    };
  } finally {
    await browser.close();
  }
}

describe('built app served from a sub-path', () => {
  let server: StaticServer;
  beforeAll(async () => {
    server = await serveDir(join(root, 'dist'));
  });
  afterAll(() => server?.close());

  test('WebGPU flags (SwiftShader): title "RNN Playground", badge names the swiftshader adapter, no errors', async () => {
    const seen = await visit(server.url, [...baseArgs, ...webgpuArgs]);
    expect(seen.errors).toEqual([]);
    expect(seen.title).toBe('RNN Playground');
    expect(seen.badgeState).toBe('webgpu');
    expect(seen.badgeText).toMatch(/^WebGPU - .*swiftshader/);
  });

  test('no WebGPU flags: badge says "CPU - WebGPU unavailable" and a reason, no errors', async () => {
    const seen = await visit(server.url, baseArgs);
    expect(seen.errors).toEqual([]);
    expect(seen.badgeState).toBe('cpu');
    expect(seen.badgeText).toMatch(/^CPU - WebGPU unavailable: \S.+/);
  });
});
