import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Future } from '@gust/core';
import { type Handler, pathOf } from './router.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/**
 * Serves the built React client from `root` (GET and HEAD): `/` is `index.html`; files under `/assets/`
 * have hashed names and are cached for a year. When the client is not built yet the answer says how to
 * build it.
 * @remarks Tornado: `StaticFileHandler` (`static_path`).
 */
export function staticFiles(root: string | URL): Handler {
  const base = resolve(typeof root === 'string' ? root : fileURLToPath(root));
  return function* staticFile(req, res) {
    const pathname = pathOf(req);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' });
      res.end(`${req.method} is not allowed here`);
      return;
    }
    let name: string;
    try {
      name = pathname === '/' ? 'index.html' : decodeURIComponent(pathname.slice(1));
    } catch {
      res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('malformed URL\n');
      return;
    }
    const path = resolve(base, name);
    if (path !== base && !path.startsWith(base + sep)) return notFound(res, pathname);
    let data: Buffer;
    try {
      data = yield* Future.from(readFile(path));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'EISDIR') throw error;
      if (name === 'index.html') {
        res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(
          'The demo client is not built yet: run `npm start` from the repository root (it builds it).\n',
        );
        return;
      }
      return notFound(res, pathname);
    }
    res.writeHead(200, {
      'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream',
      'Content-Length': data.length,
      'Cache-Control': name.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : data);
  };
}

function notFound(res: Parameters<Handler>[1], path: string): void {
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(`no file ${path}\n`);
}
