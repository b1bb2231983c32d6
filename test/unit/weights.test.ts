import { describe, expect, it } from 'vitest';
import { parseFileType } from '../../src/sizing/formats/file-types.ts';
import { assignFileType } from '../../src/sizing/formats/gguf-mix.ts';
import { modelShapeFromConfig } from '../../src/sizing/model/model-shape.ts';
import { tensorsOf } from '../../src/sizing/model/tensors.ts';
import type { HfConfig, TypedTensor } from '../../src/sizing/types.ts';
import { estimateGgufMetadataBytes, ggufFileBytes, padTo, summarizeWeights, tensorBytes } from '../../src/sizing/memory/weights.ts';
import { loadConfig } from '../fixtures/configs.ts';
import { GB, GiB, REFERENCE, build, measured, measuredConfig, published, readJson, referenceConfig, type BuiltModel } from './reference-models.ts';

/** Mean number of decimal digits of 0 .. n-1. */
function meanDigits(n: number): number {
  let total = 0;
  for (let d = 1, lo = 0; lo < n; d++, lo = lo === 0 ? 10 : lo * 10) total += (Math.min(n, lo === 0 ? 10 : lo * 10) - lo) * d;
  return total / n;
}

describe('tensorBytes / summarizeWeights', () => {
  const t: TypedTensor = { name: 'blk.0.ffn_down.weight', dims: [14336, 4096], layer: 0, role: 'ffn', type: 'Q4_K' };
  it('is rows x row size', () => {
    expect(tensorBytes(t)).toBe(4096 * 56 * 144);
  });
  it('sums per block and outside the blocks, with the file bits per weight', () => {
    const norm: TypedTensor = { name: 'output_norm.weight', dims: [4096], layer: null, role: 'norm', type: 'F32' };
    const s = summarizeWeights([t, norm]);
    expect(s.byLayer.blocks).toEqual([4096 * 56 * 144]);
    expect(s.byLayer.nonBlock).toBe(16384);
    expect(s.bitsPerWeight).toBeCloseTo(((4096 * 56 * 144 + 16384) * 8) / (14336 * 4096 + 4096), 12);
    expect(s.typeCounts).toEqual({ Q4_K: 1, F32: 1 });
  });
});

describe('llama.cpp measurements: tensor data and file bytes are exact', () => {
  for (const m of measured.models) {
    const model = build(measuredConfig(m.name));
    for (const [ftype, q] of Object.entries<any>(m.quants)) {
      it(`${m.name} ${ftype}`, () => {
        const typed = assignFileType(model.tensors, model.shape, ftype);
        const s = summarizeWeights(typed);
        expect(s.paddedBytes).toBe(q.tensor_data_bytes);
        expect((s.bytes / 2 ** 20).toFixed(2)).toBe(q.llama_cpp_printed_size_MiB.toFixed(2));
        // The quantized file adds general.quantization_version (u32 KV: 8 + 28 + 4 + 4 = 44 bytes) to the metadata.
        expect(ggufFileBytes(typed, m.gguf_metadata_bytes_in_these_files + 44)).toBe(q.file_bytes);
      });
    }
  }
});

describe('metadata estimate', () => {
  it('reproduces the stand-in vocabularies of llamacpp-measured.json within 1%', () => {
    // Their stand-in tokenizer: tokens of a 4-character prefix + the decimal index, with scores and types.
    for (const m of measured.models) {
      const model = build(measuredConfig(m.name));
      const vocab = model.shape.vocabSize;
      const est = estimateGgufMetadataBytes(vocab, { tokenizer: 'spm', avgTokenBytes: 4 + meanDigits(vocab), tensors: model.tensors, otherKvBytes: 1024 });
      const err = est / m.gguf_metadata_bytes_in_these_files - 1;
      console.log(`metadata ${m.name}: estimated ${est} vs ${m.gguf_metadata_bytes_in_these_files} (${(err * 100).toFixed(2)}%)`);
      expect(Math.abs(err)).toBeLessThan(0.01);
    }
  });

  it('a Llama 3 tokenizer estimate lies within the range implied by the published file sizes', () => {
    const model = build(referenceConfig('Llama-3.1-8B'));
    const meta = estimateGgufMetadataBytes(128256, { tokenizer: 'bpe', merges: 280147, tensors: model.tensors });
    // Each printed size (2 decimals, GB) bounds the metadata: file - tensors in [printed - 0.005, printed + 0.005] GB.
    let lo = -Infinity;
    let hi = Infinity;
    for (const ftype of ['Q8_0', 'Q6_K', 'Q5_K_M', 'Q5_K_S', 'Q4_K_M', 'Q4_K_S', 'Q3_K_L', 'Q3_K_M', 'Q2_K']) {
      const row = impish.find((r: any) => r.quant === ftype);
      const tensors = summarizeWeights(assignFileType(model.tensors, model.shape, ftype, { imatrix: true })).paddedBytes;
      const printed = parseFloat(row.size_as_printed) * GB;
      lo = Math.max(lo, printed - 0.005 * GB - tensors);
      hi = Math.min(hi, printed + 0.005 * GB - tensors);
    }
    console.log(`Llama 3 metadata: estimated ${(meta / 1e6).toFixed(2)} MB; published sizes imply ${(lo / 1e6).toFixed(2)}..${(hi / 1e6).toFixed(2)} MB`);
    expect(lo).toBeLessThan(hi);
    expect(meta).toBeGreaterThanOrEqual(lo);
    expect(meta).toBeLessThanOrEqual(hi);
  });
});

const impish = published.gguf_files.filter((r: any) => r.model.startsWith('Impish_Mind_8B'));

describe('published: bartowski Impish_Mind_8B (Llama-3.1-8B shape, llama.cpp b4273, imatrix) within 1.5%', () => {
  const model = build(referenceConfig('Llama-3.1-8B'));
  const meta = estimateGgufMetadataBytes(128256, { tokenizer: 'bpe', merges: 280147, tensors: model.tensors });
  const rows: string[] = [];
  // Q4_0_4_4 / 4_8 / 8_8 are repacked layouts llama.cpp has since removed from GGUF files.
  for (const row of impish.filter((r: any) => !/^Q4_0_\d_\d$/.test(r.quant))) {
    it(`${row.quant} ${row.size_as_printed}`, () => {
      const ftype = parseFileType(row.quant).id;
      const typed = assignFileType(model.tensors, model.shape, ftype, { imatrix: true });
      const predicted = ggufFileBytes(typed, meta);
      const printed = parseFloat(row.size_as_printed) * GB;
      const err = predicted / printed - 1;
      rows.push(`${row.quant.padEnd(8)} predicted ${(predicted / GB).toFixed(3)} GB  published ${row.size_as_printed.padEnd(7)} ${(err * 100).toFixed(2)}%`);
      expect(Math.abs(err)).toBeLessThan(0.015);
      // Tighter: within the printed rounding (0.005 GB) plus 1 MB.
      expect(Math.abs(predicted - printed)).toBeLessThan(0.006 * GB);
    });
  }
  it('table', () => {
    console.log(['Impish_Mind_8B: predicted vs published', ...rows].join('\n'));
    expect(rows.length).toBe(impish.length - 3);
  });
});

describe('llama.cpp-reported model sizes (published-gguf-sizes.json) within 0.5%', () => {
  // [model in models.json, file type, printed GiB, published row]
  const cases: [string, string, number, string][] = [
    ['Llama-3.1-8B', 'Q6_K', 6.14, 'Meta Llama 3.1 8B Instruct'],
    ['Llama-3.1-70B', 'Q4_0', 37.22, 'Meta Llama 3.1 70B Instruct'],
    // Llama 3 8B = Llama 3.1 8B without rope_freqs (256 bytes): same size to 0.01 GiB.
    ['Llama-3.1-8B', 'Q8_0', 7.95, 'Meta-Llama-3-8B-Instruct (imatrix)'],
    // DeepSeek-R1-Distill-Qwen-7B has the Qwen2.5-7B shape (vocab 152064, 28 layers, ff 18944).
    ['Qwen2.5-7B', 'Q4_K_M', 4.36, 'DeepSeek-R1-Distill-Qwen-7B'],
    ['Qwen3-30B-A3B', 'Q4_K_M', 17.28, 'Qwen3-30B-A3B (imatrix)'],
  ];
  const lines: string[] = [];
  for (const [name, ftype, gib, row] of cases) {
    it(`${row} ${ftype}: ${gib} GiB`, () => {
      const reported = published.llama_cpp_reported_model_sizes.find((r: any) => r.model === row);
      expect(reported.llama_cpp_reported).toContain(`${gib.toFixed(2)} GiB`);
      const m = build(referenceConfig(name));
      const s = summarizeWeights(assignFileType(m.tensors, m.shape, ftype));
      const err = s.bytes / GiB / gib - 1;
      lines.push(`${row.padEnd(38)} ${ftype.padEnd(7)} predicted ${(s.bytes / GiB).toFixed(3)} GiB (${s.bitsPerWeight.toFixed(2)} BPW)  reported ${reported.llama_cpp_reported}  ${(err * 100).toFixed(3)}%`);
      expect(Math.abs(err)).toBeLessThan(0.005);
    });
  }
  it('table', () => {
    console.log(['llama.cpp-reported sizes: predicted vs reported', ...lines].join('\n'));
    expect(lines.length).toBe(cases.length);
  });
});

describe('GLM-4.5-Air Q8_0 against a published load log', () => {
  /*
   * ik_llama.cpp PR #668 (ubergarm, GLM-4.5-Air Q8_0): "model params = 109.194 B", "model size = 108.119 GiB
   * (8.505 BPW)". All three figures are those of the file without the six nextn.* tensors of blk.46 (the NextN
   * block's own embedding, head, eh_proj and three norms), its MoE part kept: what that fork's loader counted.
   */
  it('every tensor but the six nextn.* ones: 109.194 B parameters, 108.119 GiB, 8.505 BPW', () => {
    const shape = modelShapeFromConfig(loadConfig('glm-4.5-air'));
    const kept = assignFileType(tensorsOf(shape), shape, 'Q8_0').filter((t) => !t.name.includes('.nextn.'));
    const s = summarizeWeights(kept);
    expect((s.elements / 1e9).toFixed(3)).toBe('109.194');
    expect((s.bytes / GiB).toFixed(3)).toBe('108.119');
    expect(s.bitsPerWeight.toFixed(3)).toBe('8.505');
  });
});

describe('llama-quantize mixes, worked checks against published sizes (tensor bytes, GB)', () => {
  const llama: Record<string, number> = { Q8_0: 8.533, Q6_K: 6.588, Q5_K_M: 5.725, Q5_K_S: 5.591, Q4_K_M: 4.913, Q4_K_S: 4.685, Q4_0: 4.653, Q3_K_L: 4.314, Q3_K_M: 4.011, Q2_K: 3.171 };
  const gemma: Record<string, number> = { Q8_0: 9.821, Q6_K: 7.583, Q5_K_M: 6.641, Q5_K_S: 6.478, Q4_K_M: 5.755, Q4_K_S: 5.473 };
  for (const [name, table] of [['Llama-3.1-8B', llama], ['Gemma-2-9B', gemma]] as const) {
    const m = build(referenceConfig(name));
    for (const [ftype, gb] of Object.entries(table)) {
      it(`${name} ${ftype}: ${gb} GB`, () => {
        const bytes = summarizeWeights(assignFileType(m.tensors, m.shape, ftype)).bytes;
        expect(Math.abs(bytes / GB - gb)).toBeLessThanOrEqual(0.0005 + 1e-9);
      });
    }
  }
});

/*
 * Published Gemma 3 GGUF files (src/data/reference/published-gemma3-gguf-sizes.json): every file type found, each
 * predicted as tensor bytes by llama-quantize's rules plus the estimated metadata (a 262k-token SentencePiece
 * vocabulary, about 6 MB), within the rounding of the printed size plus 2 MB for that estimate.
 */
const gemma3 = readJson(`${REFERENCE}/published-gemma3-gguf-sizes.json`);

/** Gemma 3 12B: the 4B fixture's config with the 12B text_config values of models.json (no figure typed here). */
function gemma3Config12B(): HfConfig {
  const g = readJson(`${REFERENCE}/models.json`).models.find((m: { name: string }) => m.name === 'Gemma-3-12B');
  const base = loadConfig('gemma-3-4b');
  const text = base['text_config'] as HfConfig;
  const keys = ['hidden_size', 'intermediate_size', 'num_hidden_layers', 'num_attention_heads', 'num_key_value_heads', 'head_dim'];
  return { ...base, text_config: { ...text, ...Object.fromEntries(keys.map((k) => [k, g[k]])) } };
}

const GEMMA3_SHAPES: Record<string, () => BuiltModel> = {
  'gemma-3-1b-it': () => build(loadConfig('gemma-3-1b')),
  'gemma-3-1b-it-qat': () => build(loadConfig('gemma-3-1b')),
  'gemma-3-4b-it': () => build(loadConfig('gemma-3-4b')),
  'gemma-3-12b-it': () => build(gemma3Config12B()),
};

/** "2.49GB" / "752 MB" / "0.690 GB" -> bytes, and half a unit of the last printed digit. */
function printedSize(s: string): { bytes: number; half: number } {
  const m = /^([\d.]+)\s*(GB|MB)$/.exec(s.trim());
  if (!m) throw new Error(`unreadable size ${s}`);
  const unit = m[2] === 'GB' ? GB : 1e6;
  const decimals = (m[1]!.split('.')[1] ?? '').length;
  return { bytes: parseFloat(m[1]!) * unit, half: 0.5 * unit * 10 ** -decimals };
}

describe('published Gemma 3 GGUF sizes: every file type within the printed rounding (+2 MB metadata estimate)', () => {
  const models = new Map<string, BuiltModel>();
  const lines: string[] = [];
  for (const row of gemma3.files) {
    it(`${row.model} ${row.quant} ${row.size_as_printed} (${row.publisher.split(' ')[0]})`, () => {
      const model = models.get(row.model) ?? GEMMA3_SHAPES[row.model]!();
      models.set(row.model, model);
      const meta = estimateGgufMetadataBytes(model.shape.vocabSize, { tokenizer: 'spm', tensors: model.tensors });
      // imatrix null (not stated): llama-quantize's default, which is what assignFileType does without the option.
      const typed = assignFileType(model.tensors, model.shape, parseFileType(row.quant).id, row.imatrix === null ? {} : { imatrix: row.imatrix });
      const predicted = ggufFileBytes(typed, meta);
      const { bytes, half } = printedSize(row.size_as_printed);
      lines.push(`${row.model.padEnd(18)} ${row.quant.padEnd(7)} predicted ${(predicted / GB).toFixed(4)} GB  published ${row.size_as_printed.padEnd(9)} ${(((predicted - bytes) / 1e6).toFixed(1) + ' MB').padStart(8)}`);
      expect(Math.abs(predicted - bytes)).toBeLessThanOrEqual(half + 2e6);
    });
  }
  it('covers the file types and models of the reference file', () => {
    const quants = new Set(gemma3.files.map((r: { quant: string }) => parseFileType(r.quant).id));
    expect(quants.size).toBeGreaterThanOrEqual(18);
    expect(new Set(gemma3.files.map((r: { model: string }) => r.model))).toEqual(new Set(Object.keys(GEMMA3_SHAPES)));
    console.log(['Gemma 3: predicted vs published', ...lines].join('\n'));
  });

  it('Q4_0 of Gemma 3 1B: bartowski (imatrix) 722 MB, TensorBlock 0.720 GB, apart by the imatrix ffn_down rule', () => {
    // With an imatrix the first eighth of ffn_down is Q4_1 (llama-quant.cpp); only the imatrix mix gives 722 MB,
    // only the plain one 0.720 GB.
    const m = build(loadConfig('gemma-3-1b'));
    const meta = estimateGgufMetadataBytes(m.shape.vocabSize, { tokenizer: 'spm', tensors: m.tensors });
    const size = (imatrix: boolean) => ggufFileBytes(assignFileType(m.tensors, m.shape, 'Q4_0', { imatrix }), meta);
    expect(Math.abs(size(true) - 722e6)).toBeLessThan(Math.abs(size(false) - 722e6));
    expect(Math.abs(size(false) - 720e6)).toBeLessThan(Math.abs(size(true) - 720e6));
  });
});

describe('padTo', () => {
  it('rounds up to the GGUF alignment', () => {
    expect([padTo(0), padTo(1), padTo(32), padTo(33)]).toEqual([0, 32, 32, 64]);
  });
});
