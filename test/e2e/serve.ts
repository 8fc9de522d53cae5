/**
 * A tiny static server for dist/, mounted under a sub-path, to prove the build works away from `/`.
 * Everything outside the mount point is a 404.
 */
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';

/** The sub-path the app is served under. */
export const mountPath = '/some/sub/path/';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wgsl': 'text/plain; charset=utf-8',
};

/** A running server: the app's URL and a way to stop it. */
export interface StaticServer {
  /** URL of the app's index, e.g. `http://127.0.0.1:41234/some/sub/path/`. */
  url: string;
  /** Stops the server. */
  close(): Promise<void>;
}

/** The file under `dir` that a request path names, or null when it lies outside the mount point. */
function fileFor(dir: string, pathname: string): string | null {
  if (!pathname.startsWith(mountPath)) return null;
  const inside = normalize(pathname.slice(mountPath.length) || 'index.html');
  return inside.split(sep).includes('..') ? null : join(dir, inside);
}

/** Serves `dir` under {@link mountPath} on 127.0.0.1 and a free port. */
export async function serveDir(dir: string): Promise<StaticServer> {
  const server = createServer(async (req, res) => {
    try {
      const file = fileFor(dir, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
      if (!file) throw new Error('outside the mount point');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': contentTypes[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${mountPath}`,
    close: () => new Promise((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
