/**
 * The reference data the engine is checked against, published unchanged at /data/<file>.json so that every figure
 * a page quotes from it can be followed to the file, and from there to its public source (src/data/reference/).
 */
import type { APIRoute, GetStaticPaths } from 'astro';

const FILES = import.meta.glob<string>('../../data/reference/*.json', { query: '?raw', import: 'default', eager: true });
const byName = new Map(Object.entries(FILES).map(([path, text]) => [path.slice(path.lastIndexOf('/') + 1), text]));

export const getStaticPaths = (() => [...byName.keys()].map((file) => ({ params: { file } }))) satisfies GetStaticPaths;

export const GET: APIRoute = ({ params }) => {
  const text = byName.get(params.file ?? '');
  if (text === undefined) return new Response('Not found', { status: 404 });
  return new Response(text, { headers: { 'content-type': 'application/json; charset=utf-8' } });
};
