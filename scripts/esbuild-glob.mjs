/**
 * An esbuild plugin for the one Vite feature the catalogs use outside Vite: an eager
 * `import.meta.glob('./dir/*.json', { eager: true, import: 'default' })` becomes one static import per matching
 * file, keyed by the same relative path Vite uses. Astro and Vitest run on Vite and need no plugin; the command
 * line, the package and the scripts are bundled by esbuild with this one. Only the form above is accepted, so a
 * pattern Vite would read differently fails the build instead of loading something else.
 */
import { readFile, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';

const GLOB_CALL = /import\.meta\.glob(?:<[^>]*>)?\(\s*(['"])([^'"]+)\1\s*,\s*\{([^}]*)\}\s*\)/g;
const PATTERN = /^(\.\.?\/(?:[\w.-]+\/)*)\*(\.[\w.]+)$/;

async function expand(fromDir, pattern) {
  const m = PATTERN.exec(pattern);
  if (!m) throw new Error(`import.meta.glob: only './dir/*.ext' patterns are supported, got '${pattern}'`);
  const [, dir, ext] = m;
  const names = (await readdir(join(fromDir, dir))).filter((n) => n.endsWith(ext)).sort();
  return names.map((n) => `${dir}${n}`);
}

export function globImports() {
  return {
    name: 'glob-imports',
    setup(build) {
      build.onLoad({ filter: /\.tsx?$/ }, async (args) => {
        const text = await readFile(args.path, 'utf8');
        if (!text.includes('import.meta.glob')) return undefined;
        const imports = [];
        const replacements = [];
        for (const match of text.matchAll(GLOB_CALL)) {
          const [call, , pattern, options] = match;
          if (!/eager\s*:\s*true/.test(options) || !/import\s*:\s*['"]default['"]/.test(options)) {
            throw new Error(`${args.path}: import.meta.glob needs { eager: true, import: 'default' } outside Vite`);
          }
          const files = await expand(dirname(args.path), pattern);
          const entries = files.map((file) => {
            const id = `__glob_${imports.length}`;
            imports.push(`import ${id} from ${JSON.stringify(file)};`);
            return `${JSON.stringify(file)}: ${id}`;
          });
          replacements.push([call, `{ ${entries.join(', ')} }`]);
        }
        let contents = text;
        for (const [call, literal] of replacements) contents = contents.replace(call, literal);
        return { contents: `${imports.join('\n')}\n${contents}`, loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
      });
    },
  };
}
