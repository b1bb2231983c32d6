/**
 * The control page of the benchmarks: a heading and a sentence, no stylesheet, no script, served on a port of its own
 * (it is not a page of the site). What a benchmark measures on it is the machine and the browser, not the site, so
 * each page's figure can be read against it. Used by scripts/bench.ts and scripts/bench-main-thread.ts.
 */
import { createServer, type Server } from 'node:http';

export const CONTROL_HTML =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
  '<meta name="description" content="A blank page: the floor of what Lighthouse measures on this machine."><title>Control</title></head>' +
  '<body><h1>Control</h1><p>A blank page: what Lighthouse measures here is the machine, not a page of the site.</p></body></html>';

export async function serveControl(): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(CONTROL_HTML));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  return { url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/`, server };
}
