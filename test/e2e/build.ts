/** Vitest global setup for the e2e tier: a production build of the app into dist/, as `npm run build` makes it. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Repository root. */
export const root = fileURLToPath(new URL('../..', import.meta.url));

/** Runs `vite build` in a child process, so Vitest's NODE_ENV=test cannot turn it into a development build. */
export default function buildApp(): void {
  const env = { ...process.env };
  delete env.NODE_ENV;
  const vite = fileURLToPath(new URL('../../node_modules/vite/bin/vite.js', import.meta.url));
  const run = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: root, env, encoding: 'utf8' });
  if (run.status !== 0) {
    throw new Error(`vite build failed (exit ${run.status ?? run.signal}):\n${run.stdout}${run.stderr}`);
  }
}
