/**
 * React components rendered into the test page (headless Chromium) for the browser tier's view
 * tests, one at a time: each render unmounts the one before; a test file calls
 * `afterEach(unmount)` so the last one goes too. Numbers are read back through data attributes.
 */
import { act, type ReactElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { expect } from 'vitest';
import { formatNumber } from '../../src/ui/network/format.ts';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let mounted: { root: Root; host: HTMLElement } | null = null;

/** Renders a React element into a fresh container on the page (unmounting the previous one); returns the container. */
export async function render(el: ReactElement): Promise<HTMLElement> {
  await unmount();
  const host = document.createElement('div');
  document.body.append(host);
  const root = createRoot(host);
  mounted = { root, host };
  await act(async () => root.render(el));
  return host;
}

/** Unmounts what `render` put on the page and removes its container (nothing when nothing is mounted). */
export async function unmount(): Promise<void> {
  if (!mounted) return;
  const { root, host } = mounted;
  mounted = null;
  await act(async () => root.unmount());
  host.remove();
}

/** The element with a data-testid inside a container (fails when absent). */
export function byId(container: HTMLElement, id: string): HTMLElement {
  const el = container.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  if (!el) throw new Error(`no element with data-testid="${id}"`);
  return el;
}

/** A shown number: its full-precision data-value, after checking the text is that value formatted. */
export function shown(container: HTMLElement, id: string): number {
  const el = byId(container, id);
  const v = Number(el.dataset.value);
  expect(el.textContent).toBe(formatNumber(v));
  return v;
}
