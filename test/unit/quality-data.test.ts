/**
 * The quality data file (src/data/quality.ts) against the tables it transcribes. The excerpts below are copied
 * verbatim from llama.cpp's perplexity README (tools/perplexity/README.md, revision f364eb6f),
 * so a typo in either transcription fails here.
 */
import { describe, expect, it } from 'vitest';
import {
  LLAMA3_8B_SCOREBOARD,
  LLAMA2_VS_LLAMA3,
  LLAMA_70B_SENSITIVITY,
  QWEN2_QUANTIZED_EVALS,
  QUALITY_TABLES,
  scoreboardRow,
} from '../../src/data/quality';
import { llamaCppFileTypes, formatBitsPerWeight } from '../../src/sizing/index';

const SCOREBOARD_21 = `
| Quant | imatrix | GiB | PPL | ΔPPL | mean KLD | RMS Δp |
|---|---|---|---|---|---|---|
| f16 (16-bit logit storage only) | – | 14.97 | 6.2332 | 0.0015 | 0.00055 | 0.79% |
| q8_0 | – | 7.96 | 6.2343 | 0.0027 | 0.00136 | 1.20% |
| q6_K | – | 6.14 | 6.2534 | 0.0217 | 0.00545 | 2.30% |
| q5_K_M | – | 5.33 | 6.2886 | 0.0570 | 0.01076 | 3.16% |
| q5_K_S | – | 5.21 | 6.3366 | 0.1050 | 0.01660 | 3.92% |
| q5_1 | – | 5.65 | 6.3379 | 0.1062 | 0.01805 | 4.12% |
| q5_0 | – | 5.21 | 6.3632 | 0.1316 | 0.02224 | 4.63% |
| q4_K_M | WT 10m | 4.58 | 6.3829 | 0.1513 | 0.02815 | 5.25% |
| q4_K_M | – | 4.58 | 6.4071 | 0.1755 | 0.03127 | 5.52% |
| q4_K_S | WT 10m | 4.37 | 6.4097 | 0.1781 | 0.03195 | 5.65% |
| iq4_NL | WT 10m | 4.35 | 6.4556 | 0.2240 | 0.03574 | 6.00% |
| iq4_XS | WT 10m | 4.14 | 6.4597 | 0.2281 | 0.03633 | 6.04% |
| q4_K_S | – | 4.37 | 6.5005 | 0.2689 | 0.04314 | 6.56% |
| q4_1 | – | 4.78 | 6.6827 | 0.4511 | 0.07168 | 8.51% |
| q4_0 | – | 4.34 | 6.7001 | 0.4685 | 0.07194 | 8.43% |
| q3_K_L | WT 10m | 4.03 | 6.6712 | 0.4396 | 0.07308 | 8.66% |
| q3_K_M | WT 10m | 3.74 | 6.7343 | 0.5026 | 0.08436 | 9.29% |
| q3_K_L | – | 4.03 | 6.7879 | 0.5562 | 0.08718 | 9.43% |
| q3_K_M | – | 3.74 | 6.8885 | 0.6569 | 0.10191 | 10.20% |
| iq3_M | WT 10m | 3.53 | 6.8983 | 0.6667 | 0.10253 | 10.51% |
| iq3_S | WT 10m | 3.42 | 6.9655 | 0.7339 | 0.11128 | 10.85% |
| iq3_XS | WT 10m | 3.28 | 7.1630 | 0.9314 | 0.13869 | 12.15% |
| iq3_XXS | WT 10m | 3.05 | 7.4584 | 1.2268 | 0.18363 | 13.84% |
| q3_K_S | WT 10m | 3.41 | 7.6029 | 1.3712 | 0.19982 | 14.98% |
| q3_K_S | – | 3.41 | 7.8638 | 1.6322 | 0.22822 | 15.54% |
| iq2_M | WT 10m | 2.74 | 8.6008 | 2.3692 | 0.32599 | 18.52% |
| q2_K | WT 10m | 2.96 | 8.6478 | 2.4162 | 0.33222 | 18.88% |
| q2_K_S | WT 10m | 2.96 | 9.3238 | 3.0921 | 0.40336 | 20.05% |
| iq2_S | WT 10m | 2.56 | 9.6508 | 3.4191 | 0.43920 | 21.49% |
| q2_K | – | 2.96 | 9.7516 | 3.5199 | 0.44513 | 21.42% |
| iq2_XS | WT 10m | 2.43 | 10.7614 | 4.5298 | 0.54629 | 23.87% |
| iq2_XXS | WT 10m | 2.24 | 14.0918 | 7.8601 | 0.81202 | 28.58% |
| iq1_M | WT 10m | 2.01 | 25.4937 | 19.2621 | 1.39308 | 38.29% |
| iq1_S | WT 1m | 1.88 | 58.0978 | 51.8661 | 2.21128 | 46.42% |
`;

const SENSITIVITY_22 = `
| Metric | L2-7B q2_K | L3-8B q2_K | L2-7B q4_K_M | L3-8B q4_K_M | L2-7B q6_K | L3-8B q6_K | L2-7B q8_0 | L3-8B q8_0 |
|---|---|---|---|---|---|---|---|---|
| PPL ratio | 1.108 | 1.565 | 1.014 | 1.028 | 1.002 | 1.003 | 1.001 | 1.000 |
| mean KLD | 0.109 | 0.445 | 0.0127 | 0.0313 | 0.0021 | 0.0055 | 0.00037 | 0.00136 |
| same top token | 85.6% | 71.1% | 94.7% | 91.9% | 97.5% | 96.0% | 98.8% | 97.7% |
`;

const cells = (line: string) => line.split('|').slice(1, -1).map((c) => c.trim());
const dataLines = (md: string) => md.trim().split('\n').slice(2);

describe('quality data', () => {
  it('gives every table a source with a title, a repository and a URL', () => {
    expect(QUALITY_TABLES.length).toBe(4);
    for (const t of QUALITY_TABLES) {
      expect(t.source.title.length, t.id).toBeGreaterThan(10);
      expect(t.source.repo.length, t.id).toBeGreaterThan(3);
      expect(t.source.url, t.id).toMatch(/^https:\/\//);
      expect(t.rows.length, t.id).toBeGreaterThan(0);
    }
    expect(LLAMA3_8B_SCOREBOARD.source.revision).toBe('f364eb6f');
    expect(LLAMA3_8B_SCOREBOARD.source.repo).toBe('ggml-org/llama.cpp');
    expect(LLAMA2_VS_LLAMA3.source.revision).toBe('f364eb6f');
    expect(LLAMA_70B_SENSITIVITY.source.revision).not.toBe('f364eb6f');
  });

  it('has the scoreboard of the perplexity README, row for row, as printed', () => {
    const printed = dataLines(SCOREBOARD_21).map(cells);
    expect(LLAMA3_8B_SCOREBOARD.rows.length).toBe(printed.length);
    printed.forEach((c, i) => {
      const row = LLAMA3_8B_SCOREBOARD.rows[i];
      if (!row) throw new Error(`missing row ${i}`);
      const [quant = '', imatrix = '', gib = '', ppl = '', dppl = '', kld = '', rms = ''] = c;
      expect(quant.startsWith(row.quant), `row ${i}: ${quant}`).toBe(true);
      expect(row.imatrix ?? '–').toBe(imatrix);
      expect(row.sizeGiB).toBe(Number(gib));
      expect(row.ppl).toBe(Number(ppl));
      expect(row.deltaPpl).toBe(Number(dppl));
      expect(row.meanKld).toBe(Number(kld));
      expect(row.rmsDeltaPPercent).toBe(Number(rms.replace('%', '')));
    });
  });

  it('names a real llama.cpp file type for every scoreboard row, one that the engine sizes', () => {
    const ids = new Set(llamaCppFileTypes().map((f) => f.id));
    for (const row of LLAMA3_8B_SCOREBOARD.rows) {
      expect(ids.has(row.fileType), row.fileType).toBe(true);
      expect(row.fileType.toLowerCase()).toBe(row.quant.toLowerCase());
      expect(formatBitsPerWeight(`ftype:${row.fileType}`)?.bits).toBeGreaterThan(1.5);
    }
  });

  it('finds rows by file type and imatrix', () => {
    expect(scoreboardRow('Q4_K_M', false).meanKld).toBe(0.03127);
    expect(scoreboardRow('Q4_K_M', true).meanKld).toBe(0.02815);
    expect(scoreboardRow('Q2_K', false).meanKld).toBe(0.44513);
    expect(() => scoreboardRow('IQ1_S', false)).toThrow(/No IQ1_S row without imatrix/);
  });

  it('has the Llama 2 vs Llama 3 table of the README, as printed', () => {
    const [ratio, kld, top] = dataLines(SENSITIVITY_22).map(cells);
    const quants = ['q2_K', 'q4_K_M', 'q6_K', 'q8_0'];
    expect(LLAMA2_VS_LLAMA3.rows.map((r) => r.quant)).toEqual(quants);
    LLAMA2_VS_LLAMA3.rows.forEach((r, i) => {
      expect(r.llama2.pplRatio).toBe(Number(ratio?.[1 + 2 * i]));
      expect(r.llama3.pplRatio).toBe(Number(ratio?.[2 + 2 * i]));
      expect(r.llama2.meanKld).toBe(Number(kld?.[1 + 2 * i]));
      expect(r.llama3.meanKld).toBe(Number(kld?.[2 + 2 * i]));
      expect(r.llama2.sameTopTokenPercent).toBe(Number(top?.[1 + 2 * i]?.replace('%', '')));
      expect(r.llama3.sameTopTokenPercent).toBe(Number(top?.[2 + 2 * i]?.replace('%', '')));
    });
  });

  it('has the 70B and Qwen2 figures, as printed', () => {
    const q4 = LLAMA_70B_SENSITIVITY.rows.find((r) => r.quant === 'q4_K_M');
    expect(q4).toMatchObject({ llama2MeanKld: 0.013, llama3MeanKld: 0.055, llama2PplRatio: 1.012, llama3PplRatio: 1.051 });
    const q2 = LLAMA_70B_SENSITIVITY.rows.find((r) => r.quant === 'q2_K');
    expect(q2).toMatchObject({ llama2MeanKld: 0.186, llama3MeanKld: 0.675 });
    const q72 = QWEN2_QUANTIZED_EVALS.rows.find((r) => r.size === '72B');
    expect(q72?.bf16[0]).toBe(81.3);
    expect(q72?.gptqInt4[0]).toBe(81.2);
    expect(QWEN2_QUANTIZED_EVALS.rows.find((r) => r.size === '7B')?.bf16[0]).toBe(66.9);
    expect(QWEN2_QUANTIZED_EVALS.rows.find((r) => r.size === '0.5B')?.gptqInt4).toEqual([29.7, 33.0, 39.2, 16.8]);
  });
});
