import { describe, expect, it } from 'vitest';
import { activationBytesPerLayer, trainingMemory } from '../../src/sizing/plan/training.ts';
import { SizingError } from '../../src/sizing/errors.ts';
import { GB } from '../../src/sizing/units.ts';
import { catalogModel } from './plan-fixtures.ts';

const llama8b = catalogModel('llama-3.1-8b').model;
const P = 8030261248; // Llama-3.1-8B parameters as transformers counts them; the engine adds rope_freqs' 64 values

describe('full fine-tuning', () => {
  it('Llama-3.1-8B with AdamW in mixed precision: 16 bytes per parameter (ZeRO, Rajbhandari et al. 2020) + activations', () => {
    const m = trainingMemory({ model: llama8b, method: 'full', batch: 1, seqLen: 2048 });
    expect(m.bytesPerTrainableParam).toBe(16);
    const n = m.params.total;
    expect(Math.abs(n - P)).toBeLessThan(100); // rope_freqs' 64 values aside
    expect(m.bytes.weights).toBe(2 * n);
    expect(m.bytes.gradients).toBe(2 * n);
    expect(m.bytes.masterWeights).toBe(4 * n);
    expect(m.bytes.optimizerStates).toBe(8 * n);
    expect(m.bytes.weights + m.bytes.gradients + m.bytes.masterWeights + m.bytes.optimizerStates).toBeCloseTo(128.5 * GB, -8);
    expect(m.bytes.activations).toBeGreaterThan(0);
    expect(m.bytes.total).toBe(16 * n + m.bytes.activations + m.bytes.logits);
  });

  it('8-bit AdamW needs ~2 bytes of state per parameter, SGD none, pure bf16 halves the states', () => {
    const adam8 = trainingMemory({ model: llama8b, method: 'full', optimizer: 'adamw-8bit', batch: 1, seqLen: 512 });
    // 2 x (1 byte + 4 bytes per 256 values) = 2.03125 bytes per parameter (bitsandbytes >= 0.44 blocks of 256).
    expect(adam8.bytes.optimizerStates / adam8.params.total).toBeCloseTo(2.03125, 4);
    expect(trainingMemory({ model: llama8b, method: 'full', optimizer: 'sgd', batch: 1, seqLen: 512 }).bytes.optimizerStates).toBe(0);
    const bf16 = trainingMemory({ model: llama8b, method: 'full', precision: 'bf16', batch: 1, seqLen: 512 });
    expect(bf16.bytesPerTrainableParam).toBe(8);
    const ada = trainingMemory({ model: llama8b, method: 'full', optimizer: 'adafactor', batch: 1, seqLen: 512 });
    expect(ada.bytes.optimizerStates).toBeLessThan(0.01 * adam8.bytes.optimizerStates);
  });

  it('activations: the term-by-term sum is Korthikanti et al. 2022 eq. 1 for the paper\'s GPT layer', () => {
    const h = 4096;
    const a = 32;
    const s = 2048;
    const b = 2;
    const gpt = { hidden: h, heads: a, q: h, k: h, v: h, o: h, ff: 4 * h, gated: false };
    expect(activationBytesPerLayer(gpt, s, b, { flashAttention: false, dropout: true })).toBe(s * b * h * (34 + (5 * a * s) / h));
    // Flash attention drops the 5as/h term.
    expect(activationBytesPerLayer(gpt, s, b, { flashAttention: true, dropout: true })).toBe(s * b * h * 34);
  });

  it('gradient checkpointing keeps 2·s·b·h per layer plus one layer', () => {
    const base = { model: llama8b, method: 'full' as const, batch: 4, seqLen: 4096 };
    const full = trainingMemory(base);
    const ckpt = trainingMemory({ ...base, gradientCheckpointing: true });
    expect(ckpt.bytes.activations).toBe(32 * 2 * 4 * 4096 * 4096 + full.activationBytesPerLayer);
    expect(ckpt.bytes.activations).toBeLessThan(full.bytes.activations / 5);
  });
});

describe('LoRA and QLoRA', () => {
  it('adapter parameters = r x (d_in + d_out) per targeted matrix', () => {
    const m = trainingMemory({ model: llama8b, method: 'lora', batch: 1, seqLen: 2048, lora: { rank: 16, targets: ['q', 'k', 'v', 'o'] } });
    // Per layer: q 16(4096+4096) + k 16(4096+1024) + v 16(4096+1024) + o 16(4096+4096) = 425,984; x 32 layers.
    expect(m.params.trainable).toBe(425984 * 32);
    const all = trainingMemory({ model: llama8b, method: 'lora', batch: 1, seqLen: 2048, lora: { rank: 16, targets: ['q', 'k', 'v', 'o', 'gate', 'up', 'down'] } });
    expect(all.params.trainable).toBe((425984 + 3 * 16 * (4096 + 14336)) * 32);
  });

  it('LoRA: base frozen in bf16, states only for the adapters; QLoRA: base in NF4 with double quantization', () => {
    const lora = trainingMemory({ model: llama8b, method: 'lora', batch: 1, seqLen: 2048, lora: { rank: 16 } });
    const qlora = trainingMemory({ model: llama8b, method: 'qlora', batch: 1, seqLen: 2048, lora: { rank: 16 } });
    const full = trainingMemory({ model: llama8b, method: 'full', batch: 1, seqLen: 2048 });
    expect(lora.bytes.optimizerStates).toBe(8 * lora.params.trainable);
    expect(lora.bytes.weights).toBeGreaterThan(16 * GB);
    expect(lora.bytes.weights).toBeLessThan(16.2 * GB);
    // NF4 blocks: ~4.127 bits for the block matrices; embeddings and lm_head stay bf16 (2 x 1.05 GB).
    expect(qlora.bytes.weights).toBeGreaterThan(5 * GB);
    expect(qlora.bytes.weights).toBeLessThan(6.2 * GB);
    expect(lora.bytes.total).toBeLessThan(full.bytes.total / 4);
    expect(qlora.bytes.total).toBeLessThan(lora.bytes.total);
  });

  it('bad input is a SizingError', () => {
    expect(() => trainingMemory({ model: llama8b, method: 'lora', batch: 0, seqLen: 10 })).toThrow(SizingError);
    expect(() => trainingMemory({ model: llama8b, method: 'lora', batch: 1, seqLen: 10, lora: { rank: 0 } })).toThrow(SizingError);
  });
});
