import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The Content-Security-Policy of the built site: scripts, workers, data and fonts only from
 * the site itself; no inline script, no eval. Inline styles stay allowed ('unsafe-inline' in
 * style-src): KaTeX's HTML carries style attributes. Delivered as a <meta> tag, first in
 * <head>, so any static host applies it (a host may also send it as a header). Build only:
 * the dev server's hot reload injects an inline script.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

/** Puts the policy first in the built index.html's <head>. */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'rnn-playground:csp',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' }],
  };
}

// base './': the built site uses relative URLs, so dist/ works from any sub-path.
export default defineConfig({
  base: './',
  plugins: [react(), contentSecurityPolicy()],
  build: { target: 'es2022', sourcemap: true },
});
