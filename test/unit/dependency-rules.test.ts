/**
 * The layering rules (.dependency-cruiser.cjs) hold on the real tree, and they bite: a small tree written here with one
 * upward import, or one cycle, fails with the rule that names it. Without the second half a rule with a typo in its
 * path would pass everything and prove nothing.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseOptions, type IReporterOutput } from 'dependency-cruiser';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const config = createRequire(import.meta.url)(join(root, '.dependency-cruiser.cjs')) as {
  forbidden: NonNullable<ICruiseOptions['ruleSet']>['forbidden'];
  options: ICruiseOptions;
};

async function violations(baseDir: string, withTsConfig: boolean): Promise<string[]> {
  const { tsConfig: _ts, ...options } = config.options as ICruiseOptions & { tsConfig?: unknown };
  const result: IReporterOutput = await cruise(['src'], {
    ...(withTsConfig ? config.options : options),
    ruleSet: { forbidden: config.forbidden },
    baseDir,
    validate: true,
  });
  if (typeof result.output === 'string') throw new Error('expected a cruise result object');
  return result.output.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
}

const scratch = mkdtempSync(join(tmpdir(), 'dep-rules-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A tiny project: every file is `export const x = 1;` plus the imports given. */
function tree(name: string, files: Record<string, string[]>): string {
  const dir = join(scratch, name);
  for (const [file, imports] of Object.entries(files)) {
    const path = join(dir, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${imports.map((i, n) => `import { x as x${n} } from '${i}';`).join('\n')}\nexport const x = 1;\n`);
  }
  return dir;
}

describe('dependency rules (.dependency-cruiser.cjs)', () => {
  it('the real tree has no upward import and no cycle', async () => {
    expect(await violations(root, true)).toEqual([]);
  }, 60_000);

  const cases: [string, Record<string, string[]>, string][] = [
    [
      'the engine importing a view model',
      { 'src/sizing/memory/estimate.ts': ['../../components/calculators/kv/kv.view.ts'], 'src/components/calculators/kv/kv.view.ts': [] },
      'engine-is-pure: src/sizing/memory/estimate.ts -> src/components/calculators/kv/kv.view.ts',
    ],
    [
      'the model folder importing the planner',
      { 'src/sizing/model/tensors.ts': ['../plan/fit.ts'], 'src/sizing/plan/fit.ts': [] },
      'engine-model: src/sizing/model/tensors.ts -> src/sizing/plan/fit.ts',
    ],
    [
      'data importing the engine',
      { 'src/data/models.ts': ['../sizing/units.ts'], 'src/sizing/units.ts': [] },
      'data-is-the-bottom: src/data/models.ts -> src/sizing/units.ts',
    ],
    [
      'a view model importing a component',
      { 'src/components/calculators/kv/kv.view.ts': ['../../ui/NumberField.tsx'], 'src/components/ui/NumberField.tsx': [] },
      'view-models-are-pure: src/components/calculators/kv/kv.view.ts -> src/components/ui/NumberField.tsx',
    ],
    [
      'the command line importing a site helper',
      { 'src/cli/main.ts': ['../site/nav.ts'], 'src/site/nav.ts': [] },
      'cli-beside-components: src/cli/main.ts -> src/site/nav.ts',
    ],
    [
      'two engine modules importing each other',
      { 'src/sizing/plan/a.ts': ['./b.ts'], 'src/sizing/plan/b.ts': ['./a.ts'] },
      'no-circular: src/sizing/plan/a.ts -> src/sizing/plan/b.ts',
    ],
  ];
  for (const [what, files, expected] of cases) {
    it(`fail: ${what}`, async () => {
      expect(await violations(tree(what.replace(/\W+/g, '-'), files), false)).toContain(expected);
    }, 30_000);
  }
});
