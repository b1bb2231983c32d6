/**
 * Which code may import which: the layers of ARCHITECTURE.md, checked by dependency-cruiser in `npm test`
 * (`npm run check:deps`). Imports run one way, from the bottom up:
 *
 *   data  ->  engine (src/sizing)  ->  sources (src/sources)  ->  view models  ->  site helpers  ->  components  ->  pages
 *                                                                     \-> the CLI (src/cli) sits beside components
 *
 * A module may import its own layer and any layer below it, never one above, and no import may close a cycle.
 * Inside the engine the folders follow the data's path (ARCHITECTURE.md): basics, then model and formats, then
 * gguf and memory, then plan; names beside them.
 * test/unit/dependency-rules.test.ts proves that an upward import and a cycle each fail these rules.
 */

// View models: the pure half of each calculator (src/components/calculators/<name>/<name>.view.ts and the other
// .ts files beside it, and calculators/common/). Hooks (use-*.ts) and .tsx files are the component half.
const VIEW = { path: '^src/components/calculators/.+[.]ts$', pathNot: '/use-[^/]+[.]ts$' };
const COMPONENT = ['^src/components/.+[.]tsx$', '^src/components/.+/use-[^/]+[.]ts$', '^src/components/ui/'];
const ABOVE_VIEWS = ['^src/site/', '^src/cli/', '^src/pages/', '^src/layouts/', ...COMPONENT];

/** The files of one engine folder; 'basics' is the engine's top level (units, errors, input, types), not its index. */
const engineFiles = (name) => (name === 'basics' ? '^src/sizing/(?!index\\.ts$)[^/]+\\.ts$' : `^src/sizing/${name}/`);

/** One engine folder may import only the folders named (and src/data, which engine-is-pure allows). */
function engineFolder(name, allowed) {
  return {
    name: `engine-${name}`,
    comment: `src/sizing/${name === 'basics' ? '*.ts' : `${name}/`} may import only: ${allowed.join(', ')}.`,
    severity: 'error',
    from: { path: engineFiles(name) },
    to: { path: '^src/sizing/', pathNot: allowed.map(engineFiles) },
  };
}

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import cycle ties modules together so that none can be read, tested or moved alone.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'data-is-the-bottom',
      comment: 'src/data (catalogs, reference figures, schema) imports nothing else of the project.',
      severity: 'error',
      from: { path: '^src/data/' },
      to: { path: '^src/', pathNot: '^src/data/' },
    },
    {
      name: 'engine-is-pure',
      comment: 'src/sizing imports only itself and src/data: no DOM, no framework, no view, no I/O.',
      severity: 'error',
      from: { path: '^src/sizing/' },
      to: { path: ['^src/', '^node_modules/preact/', '^node_modules/astro/'], pathNot: ['^src/sizing/', '^src/data/'] },
    },
    {
      name: 'engine-api-from-outside-only',
      comment: 'src/sizing/index.ts is the public API; the engine itself imports the module it needs, never the index.',
      severity: 'error',
      from: { path: '^src/sizing/' },
      to: { path: '^src/sizing/index\\.ts$' },
    },
    engineFolder('basics', ['basics']),
    engineFolder('model', ['basics', 'model']),
    engineFolder('formats', ['basics', 'formats']),
    engineFolder('gguf', ['basics', 'model', 'formats', 'gguf']),
    engineFolder('memory', ['basics', 'model', 'formats', 'memory']),
    engineFolder('plan', ['basics', 'model', 'formats', 'memory', 'plan']),
    engineFolder('names', ['basics', 'formats', 'names']),
    {
      name: 'sources-below-views',
      comment: 'src/sources (the Hub, a pasted config, a local GGUF file) imports only the engine and the data.',
      severity: 'error',
      from: { path: '^src/sources/' },
      to: { path: ['^src/', '^node_modules/preact/'], pathNot: ['^src/sources/', '^src/sizing/', '^src/data/'] },
    },
    {
      name: 'view-models-are-pure',
      comment: 'A view model (calculators/**/*.ts) turns inputs into what a calculator shows: no component, no hook, no page.',
      severity: 'error',
      from: VIEW,
      to: { path: ['^node_modules/preact/', ...ABOVE_VIEWS] },
    },
    {
      name: 'site-helpers-below-components',
      comment: 'src/site (navigation, glossary, build-time figures) may use view models, never a component or a page.',
      severity: 'error',
      from: { path: '^src/site/' },
      to: { path: ['^node_modules/preact/', '^src/cli/', '^src/pages/', '^src/layouts/', ...COMPONENT] },
    },
    {
      name: 'components-below-pages',
      comment: 'Components (Astro components, islands, form controls) never import a page, a layout or the CLI.',
      severity: 'error',
      from: { path: '^src/components/' },
      to: { path: ['^src/pages/', '^src/layouts/', '^src/cli/'] },
    },
    {
      name: 'cli-beside-components',
      comment: 'The command line is a shell over the engine: data, engine and sources only.',
      severity: 'error',
      from: { path: '^src/cli/' },
      to: { path: ['^src/components/', '^src/site/', '^src/pages/', '^src/layouts/', '^node_modules/preact/', '^node_modules/astro/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a cycle of types is still a cycle for the reader.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] },
    // Astro's virtual modules (astro:content ...) are not files; they are the framework, allowed where Astro runs.
    exclude: { path: ['^src/env\\.d\\.ts$'] },
  },
};
