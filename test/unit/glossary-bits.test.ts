/**
 * The bits per weight glossary entries show (src/site/glossary-bits.ts), for every entry in content/glossary:
 * - no headline figure is computed on a model where the entry's own type covers none of the tensors (MXFP4_MOE on a
 *   dense model would be Q8_0's figure);
 * - every file-type entry shows both the block-level figure of its main tensor type and a whole-file average on a named
 *   catalog model;
 * - types meant only for checkpoints trained for them (ternary, binary) headline their block figure.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findGgmlType, bitsPerWeight } from '../../src/sizing/formats/ggml-types';
import { parseFileType } from '../../src/sizing/formats/file-types';
import {
  entryBits,
  fileAverageOn,
  headlineFileAverage,
  referenceModelFor,
  DEFAULT_REFERENCE_MODEL,
  TRAINED_FOR,
} from '../../src/site/glossary-bits';

const DIR = join(import.meta.dirname, '..', '..', 'content', 'glossary');

const entries = readdirSync(DIR)
  .filter((f) => f.endsWith('.mdx'))
  .map((f) => {
    const text = readFileSync(join(DIR, f), 'utf8');
    const format = /^format:\s*(.*)$/m.exec(text)?.[1]?.trim() ?? 'null';
    const kind = /^kind:\s*"([^"]*)"/m.exec(text)?.[1] ?? '';
    return { file: f, kind, format: JSON.parse(format) as string | null };
  });

describe('glossary bits per weight', () => {
  it('reads the format of every entry', () => {
    expect(entries.length).toBeGreaterThanOrEqual(55);
    expect(entries.filter((e) => e.format?.startsWith('ftype:')).length).toBeGreaterThan(20);
  });

  it('never computes a headline figure on a model where the entry\'s type covers none of the tensors', () => {
    for (const e of entries) {
      if (!e.format) continue;
      const b = entryBits(e.format);
      expect(b, `${e.file}: ${e.format}`).not.toBeNull();
      if (!b) continue;
      if (b.kind === 'file-type') {
        const f = b.file!;
        const own = parseFileType(e.format.slice('ftype:'.length)).defaultType;
        // The file's own tensor type holds weights in the model the average is computed on.
        expect(f.coverage, `${e.file}: ${own} covers none of ${f.modelName}`).toBeGreaterThan(0);
        expect(f.shares.find((s) => s.type === own)?.share ?? 0, e.file).toBeCloseTo(f.coverage, 12);
        // The headline is that average, or (types for trained checkpoints) the own type's block figure.
        if (b.trainedFor) expect(b.headline, e.file).toBe(bitsPerWeight(own));
        else expect(b.headline, e.file).toBe(f.bits);
      } else if (b.kind === 'gpu') {
        // A GPU format's headline is its bits in the tensors it quantizes: some, not none, of the model's tensors.
        expect(b.gpu?.encodedBits, `${e.file}: ${e.format} quantizes no tensor of the reference model`).toBeDefined();
        expect(b.headline, e.file).toBe(b.gpu?.encodedBits);
      } else if (b.kind === 'tensor-type') {
        expect(b.headline, e.file).toBe(bitsPerWeight(e.format.slice('ggml:'.length)));
      }
    }
  });

  it('every file-type entry shows the block figure of its main tensor type and a whole-file average on a named model', () => {
    for (const e of entries.filter((x) => x.kind === 'file-type')) {
      const b = entryBits(e.format!)!;
      const ft = parseFileType(e.format!.slice('ftype:'.length));
      expect(b.blocks[0]?.type, e.file).toBe(findGgmlType(ft.defaultType)?.name);
      expect(b.blocks[0]?.bits, e.file).toBe(bitsPerWeight(ft.defaultType));
      expect(b.file?.modelName, e.file).toMatch(/\S/);
      expect(b.file?.hfId, e.file).toMatch(/^[\w.-]+\/[\w.-]+$/);
      expect(b.file!.bits, e.file).toBeGreaterThan(0);
    }
  });

  it('the guard: MXFP4_MOE on a dense model would be all Q8_0, so it is refused; gpt-oss-20b is used', () => {
    const dense = fileAverageOn('MXFP4_MOE', DEFAULT_REFERENCE_MODEL);
    expect(dense.coverage).toBe(0);
    expect(dense.shares[0]?.type).toBe('Q8_0');
    expect(() => headlineFileAverage('MXFP4_MOE', DEFAULT_REFERENCE_MODEL)).toThrow(/none of/);
    expect(referenceModelFor('MXFP4_MOE')).toBe('gpt-oss-20b');
    const b = entryBits('ftype:MXFP4_MOE')!;
    expect(b.file?.modelId).toBe('gpt-oss-20b');
    expect(b.file!.coverage).toBeGreaterThan(0.9); // the experts are most of gpt-oss-20b
    expect(b.headline.toFixed(3)).toBe('4.627'); // 12,096,558,336 bytes; Q8_0 would be 8.5
    expect(b.blocks.map((x) => x.type)).toEqual(['MXFP4']);
  });

  it('types for checkpoints trained for them headline the block figure and say the file average is only illustrative', () => {
    for (const [id, what] of Object.entries(TRAINED_FOR)) {
      const b = entryBits(`ftype:${id}`)!;
      expect(b.trainedFor).toBe(what);
      expect(b.headline).toBe(bitsPerWeight(parseFileType(id).defaultType));
      expect(b.headlineWhat).toMatch(/block/);
    }
    expect(entryBits('ftype:TQ1_0')!.headline).toBe(1.6875);
    expect(entryBits('ftype:TQ2_0')!.headline).toBe(2.0625);
  });

  it('the IQ2_S file shows its base IQ2_XS block and the IQ2_S tensor type, and recipes that change with an imatrix show both', () => {
    const iq2s = entryBits('ftype:IQ2_S')!;
    expect(iq2s.blocks.map((x) => x.type)).toEqual(['IQ2_XS', 'IQ2_S']);
    expect(iq2s.blocks[1]?.share).toBe(0);
    const iq4xs = entryBits('ftype:IQ4_XS')!;
    expect(iq4xs.fileWithImatrix?.bits).toBeLessThan(iq4xs.file!.bits); // no early ffn_down Q5_K with an imatrix
    expect(entryBits('ftype:Q4_K_M')!.fileWithImatrix).toBeUndefined();
    expect(entryBits('ftype:Q4_K_M')!.headline.toFixed(3)).toBe('4.894');
  });
});
