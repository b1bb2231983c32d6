#!/usr/bin/env node
// Serves the built site (dist/) on http://localhost:4321, as a static host would: correct types, gzip when the
// browser asks, the security headers from public/_headers, and dist/404.html for unknown paths.
// Usage: node scripts/serve.mjs [--port 4321] [--dir dist] [--quiet]
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const port = Number(arg('port', process.env.PORT ?? '4321'));
const root = resolve(arg('dir', 'dist'));
const quiet = args.includes('--quiet');

if (!existsSync(join(root, 'index.html'))) {
  console.error(`No built site in ${root}. Run "npm run build" first (or "npm start", which builds and serves).`);
  process.exit(1);
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
  '.wasm': 'application/wasm',
  '.pf_meta': 'application/octet-stream',
  '.pf_index': 'application/octet-stream',
  '.pf_fragment': 'application/octet-stream',
  '.pagefind': 'application/octet-stream',
};

/** Headers for every response, from the Netlify/Cloudflare-style _headers file shipped for static hosts. */
function loadHeaders() {
  const file = join(root, '_headers');
  if (!existsSync(file)) return {};
  const headers = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s+([A-Za-z-]+):\s*(.+)$/.exec(line);
    if (m) headers[m[1]] = m[2].trim();
  }
  return headers;
}
const siteHeaders = loadHeaders();

async function resolvePath(urlPath) {
  const decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  const candidate = normalize(join(root, decoded));
  if (candidate !== root && !candidate.startsWith(root + sep)) return null; // path traversal
  try {
    const s = await stat(candidate);
    if (s.isDirectory()) {
      const index = join(candidate, 'index.html');
      return existsSync(index) ? index : null;
    }
    return candidate;
  } catch {
    return null;
  }
}

const COMPRESSIBLE = /\.(html|js|mjs|css|json|svg|txt|xml|ttf)$/;

const server = createServer(async (req, res) => {
  try {
    const url = req.url ?? '/';
    // Directory URLs without the trailing slash redirect, as static hosts do.
    const pathOnly = url.split('?')[0] ?? '/';
    if (!pathOnly.endsWith('/') && !extname(pathOnly)) {
      const dir = join(root, decodeURIComponent(pathOnly));
      if (existsSync(join(dir, 'index.html'))) {
        res.writeHead(301, { Location: pathOnly + '/' + (url.slice(pathOnly.length) || '') });
        res.end();
        return;
      }
    }
    let file = await resolvePath(url);
    let status = 200;
    if (!file) {
      file = join(root, '404.html');
      status = 404;
    }
    let body = await readFile(file);
    const ext = extname(file);
    const headers = { ...siteHeaders, 'Content-Type': TYPES[ext] ?? 'application/octet-stream' };
    headers['Cache-Control'] = file.includes(`${sep}_astro${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache';
    if (COMPRESSIBLE.test(ext) && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
      body = gzipSync(body, { level: 9 });
      headers['Content-Encoding'] = 'gzip';
      headers['Vary'] = 'Accept-Encoding';
    }
    headers['Content-Length'] = String(body.length);
    res.writeHead(status, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
    if (!quiet) console.log(`${status} ${req.method} ${url}`);
  } catch (err) {
    res.writeHead(500, { 'Content-Type': 'text/plain' });
    res.end('Internal error');
    console.error(err);
  }
});

server.listen(port, '127.0.0.1', () => {
  console.log(`LLM Memory Guide: http://localhost:${port}/ (serving ${root})`);
});
