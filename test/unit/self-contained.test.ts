/**
 * The repository stands alone: nothing in it (code, tests, scripts, comments, pages, data) reads or names a path
 * outside it, or the developers' working notes that are not part of it. A clone on another machine, with nothing
 * beside it, must pass `npm test`; .ci/run proves that by testing a copy in an empty directory, and this test names
 * the offending line when someone reintroduces such a path.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { outsideNames } from '../fixtures/outside-names.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
// Installed, built or generated: not the repository's own text.
const SKIP_DIRS = new Set(['node_modules', 'dist', '.astro', '.git', 'test-results', '.cache', 'packages/llm-memory/lib']);
const TEXT = /\.(ts|tsx|mts|mjs|js|json|md|mdx|astro|css|html|yml|yaml|txt|svg)$|^\.[\w-]+$|\/run$/;

function* files(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      const path = join(dir, entry.name);
      if (!SKIP_DIRS.has(entry.name) && !SKIP_DIRS.has(relative(root, path))) yield* files(path);
    } else if (TEXT.test(entry.name) || TEXT.test(join(dir, entry.name))) {
      yield join(dir, entry.name);
    }
  }
}

describe('the repository stands alone', () => {
  const scanned = [...files(root)].filter((f) => statSync(f).size < 5_000_000 && !f.endsWith('package-lock.json'));

  it('scans the whole tree (sources, tests, scripts, content, data, docs)', () => {
    const rel = scanned.map((f) => relative(root, f));
    for (const must of ['README.md', '.ci/run', 'src/sizing/index.ts', 'src/sources/', 'content/guide', 'test/unit', 'scripts/lib/', 'packages/llm-memory/bin/', 'src/data/reference/README.md']) {
      expect(rel.some((f) => f.startsWith(must)), must).toBe(true);
    }
  });

  it('no file reads or names a path outside the repository, or a note that is not in it', () => {
    const hits: string[] = [];
    for (const file of scanned) {
      for (const hit of outsideNames(readFileSync(file, 'utf8'))) hits.push(`${relative(root, file)}:${hit}`);
    }
    expect(hits).toEqual([]);
  });
});
