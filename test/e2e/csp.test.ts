/// <reference lib="dom" />
/**
 * The built site's Content-Security-Policy (vite.config.ts): present as the first thing in
 * <head>, it forbids eval and inline script, and the app runs under it without a single
 * violation (the worker, the shaders, the data files and the styles all allowed).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../vite.config.ts';
import { root } from './build.ts';
import { recordErrors, servedApp } from './fixture.ts';

describe('Content-Security-Policy of the built site', () => {
  const app = servedApp({ webgpu: true });

  test('dist/index.html carries the policy before any script, and it names no unsafe-eval', () => {
    const html = readFileSync(join(root, 'dist', 'index.html'), 'utf8');
    const meta = html.indexOf('http-equiv="Content-Security-Policy"');
    expect(meta).toBeGreaterThan(0);
    expect(meta).toBeLessThan(html.indexOf('<script'));
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script in the built page
  });

  test('the page loads under it with no violation of its own; inline script and inline handlers are blocked', async () => {
    const page = await app.browser.newPage();
    const errors = recordErrors(page);
    // Init scripts come from the DevTools protocol, outside the page's policy.
    await page.addInitScript(() => {
      const seen: string[] = [];
      (globalThis as unknown as { cspViolations: string[] }).cspViolations = seen;
      document.addEventListener('securitypolicyviolation', (e: SecurityPolicyViolationEvent) => seen.push(`${e.violatedDirective}: ${e.blockedURI}`));
    });
    await page.goto(app.url);
    await page.locator('[data-testid="backend"]:not([data-state="pending"])').waitFor({ timeout: 30_000 });
    // Code evaluated through the DevTools protocol is exempt from the policy, so the probes go through the DOM:
    // an inline script and an inline event handler, both of which the policy must block.
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'globalThis.inlineRan = true';
      document.head.append(s);
      const probe = document.createElement('div');
      probe.innerHTML = '<img src="data:," onerror="globalThis.handlerRan = true">';
      document.body.append(probe);
    });
    await page.waitForTimeout(200);
    const ran = await page.evaluate(() => {
      const g = globalThis as unknown as { inlineRan?: boolean; handlerRan?: boolean };
      return { inline: g.inlineRan ?? false, handler: g.handlerRan ?? false };
    });
    expect(ran).toEqual({ inline: false, handler: false });
    const violations = await page.evaluate(() => (globalThis as unknown as { cspViolations: string[] }).cspViolations);
    // The two probes above are the only violations: nothing the app itself does is blocked.
    expect(violations.filter((v) => !/^script-src(-elem|-attr)?: inline$/.test(v))).toEqual([]);
    expect(violations.length).toBe(2);
    expect(errors.filter((e) => !/Content Security Policy/.test(e))).toEqual([]);
    await page.close();
  });
});
