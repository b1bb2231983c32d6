/** The README's list of architectures read exactly is the engine's list, no more and no less. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_ARCHITECTURES } from '../../src/sizing/model/model-shape.ts';

describe('README', () => {
  it('lists every architecture the engine reads exactly, and only those', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = /## Architectures read exactly\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';
    const listed = new Set([...section.matchAll(/`([A-Za-z0-9_]+(?:ForCausalLM|ForConditionalGeneration|Model|LMHeadModel))`/g)].map((m) => m[1]));
    expect([...listed].sort()).toEqual([...new Set(SUPPORTED_ARCHITECTURES)].sort());
  });
});
