/**
 * Published quality figures for quantized models, as printed in their sources. Nothing here is computed: every table carries its source, and a figure
 * is only comparable with figures of the same table (same model, metric, context length and revision).
 */

export interface QualitySource {
  title: string;
  /** GitHub repository (owner/name) or publisher. */
  repo: string;
  /** File inside the repository, where there is one. */
  path?: string;
  /** Commit or document revision the figures were read at. */
  revision?: string;
  url: string;
  note?: string;
}

/** One row of llama.cpp's "LLaMA 3 8b Scoreboard". */
export interface ScoreboardRow {
  /** The quant as printed in the table (q4_K_M, iq2_XXS ...). */
  quant: string;
  /** The llama.cpp file type it is (canonical id, as llamaCppFileTypes() names it). */
  fileType: string;
  /** The importance matrix used to make it, as printed ("WT 10m" = 10 million wikitext tokens), or null for none. */
  imatrix: string | null;
  /** File size, GiB. */
  sizeGiB: number;
  /** Wikitext-2 perplexity. */
  ppl: number;
  /** Perplexity minus the FP16 model's. */
  deltaPpl: number;
  /** Mean KL divergence of the token distribution from the FP16 model's (0 = identical). */
  meanKld: number;
  /** RMS of the change in the probability of the correct token, percent. */
  rmsDeltaPPercent: number;
}

export interface QualityTable<Row> {
  id: string;
  title: string;
  model: string;
  metric: string;
  source: QualitySource;
  rows: readonly Row[];
}

const PERPLEXITY_README: QualitySource = {
  title: 'llama.cpp perplexity README, “LLaMA 3 8b Scoreboard” (added in PR #6936 by JohannesGaessler)',
  repo: 'ggml-org/llama.cpp',
  path: 'tools/perplexity/README.md',
  revision: 'f364eb6f',
  url: 'https://github.com/ggml-org/llama.cpp/tree/master/tools/perplexity',
  note: 'CUDA on one RTX 4090, wikitext-2 test set, sorted by KL divergence from FP16. FP16 perplexity 6.233160.',
};

const r = (
  quant: string,
  fileType: string,
  imatrix: string | null,
  sizeGiB: number,
  ppl: number,
  deltaPpl: number,
  meanKld: number,
  rmsDeltaPPercent: number,
): ScoreboardRow => ({ quant, fileType, imatrix, sizeGiB, ppl, deltaPpl, meanKld, rmsDeltaPPercent });

/** The full scoreboard, in the README's order (by mean KLD). The f16 row is FP16 weights with 16-bit logits. */
export const LLAMA3_8B_SCOREBOARD: QualityTable<ScoreboardRow> = {
  id: 'llama3-8b-scoreboard',
  title: 'LLaMA 3 8b Scoreboard',
  model: 'Llama-3-8B',
  metric: 'mean KL divergence from FP16 (wikitext-2)',
  source: PERPLEXITY_README,
  rows: [
    r('f16', 'F16', null, 14.97, 6.2332, 0.0015, 0.00055, 0.79),
    r('q8_0', 'Q8_0', null, 7.96, 6.2343, 0.0027, 0.00136, 1.2),
    r('q6_K', 'Q6_K', null, 6.14, 6.2534, 0.0217, 0.00545, 2.3),
    r('q5_K_M', 'Q5_K_M', null, 5.33, 6.2886, 0.057, 0.01076, 3.16),
    r('q5_K_S', 'Q5_K_S', null, 5.21, 6.3366, 0.105, 0.0166, 3.92),
    r('q5_1', 'Q5_1', null, 5.65, 6.3379, 0.1062, 0.01805, 4.12),
    r('q5_0', 'Q5_0', null, 5.21, 6.3632, 0.1316, 0.02224, 4.63),
    r('q4_K_M', 'Q4_K_M', 'WT 10m', 4.58, 6.3829, 0.1513, 0.02815, 5.25),
    r('q4_K_M', 'Q4_K_M', null, 4.58, 6.4071, 0.1755, 0.03127, 5.52),
    r('q4_K_S', 'Q4_K_S', 'WT 10m', 4.37, 6.4097, 0.1781, 0.03195, 5.65),
    r('iq4_NL', 'IQ4_NL', 'WT 10m', 4.35, 6.4556, 0.224, 0.03574, 6.0),
    r('iq4_XS', 'IQ4_XS', 'WT 10m', 4.14, 6.4597, 0.2281, 0.03633, 6.04),
    r('q4_K_S', 'Q4_K_S', null, 4.37, 6.5005, 0.2689, 0.04314, 6.56),
    r('q4_1', 'Q4_1', null, 4.78, 6.6827, 0.4511, 0.07168, 8.51),
    r('q4_0', 'Q4_0', null, 4.34, 6.7001, 0.4685, 0.07194, 8.43),
    r('q3_K_L', 'Q3_K_L', 'WT 10m', 4.03, 6.6712, 0.4396, 0.07308, 8.66),
    r('q3_K_M', 'Q3_K_M', 'WT 10m', 3.74, 6.7343, 0.5026, 0.08436, 9.29),
    r('q3_K_L', 'Q3_K_L', null, 4.03, 6.7879, 0.5562, 0.08718, 9.43),
    r('q3_K_M', 'Q3_K_M', null, 3.74, 6.8885, 0.6569, 0.10191, 10.2),
    r('iq3_M', 'IQ3_M', 'WT 10m', 3.53, 6.8983, 0.6667, 0.10253, 10.51),
    r('iq3_S', 'IQ3_S', 'WT 10m', 3.42, 6.9655, 0.7339, 0.11128, 10.85),
    r('iq3_XS', 'IQ3_XS', 'WT 10m', 3.28, 7.163, 0.9314, 0.13869, 12.15),
    r('iq3_XXS', 'IQ3_XXS', 'WT 10m', 3.05, 7.4584, 1.2268, 0.18363, 13.84),
    r('q3_K_S', 'Q3_K_S', 'WT 10m', 3.41, 7.6029, 1.3712, 0.19982, 14.98),
    r('q3_K_S', 'Q3_K_S', null, 3.41, 7.8638, 1.6322, 0.22822, 15.54),
    r('iq2_M', 'IQ2_M', 'WT 10m', 2.74, 8.6008, 2.3692, 0.32599, 18.52),
    r('q2_K', 'Q2_K', 'WT 10m', 2.96, 8.6478, 2.4162, 0.33222, 18.88),
    r('q2_K_S', 'Q2_K_S', 'WT 10m', 2.96, 9.3238, 3.0921, 0.40336, 20.05),
    r('iq2_S', 'IQ2_S', 'WT 10m', 2.56, 9.6508, 3.4191, 0.4392, 21.49),
    r('q2_K', 'Q2_K', null, 2.96, 9.7516, 3.5199, 0.44513, 21.42),
    r('iq2_XS', 'IQ2_XS', 'WT 10m', 2.43, 10.7614, 4.5298, 0.54629, 23.87),
    r('iq2_XXS', 'IQ2_XXS', 'WT 10m', 2.24, 14.0918, 7.8601, 0.81202, 28.58),
    r('iq1_M', 'IQ1_M', 'WT 10m', 2.01, 25.4937, 19.2621, 1.39308, 38.29),
    r('iq1_S', 'IQ1_S', 'WT 1m', 1.88, 58.0978, 51.8661, 2.21128, 46.42),
  ],
};

/** A scoreboard row by file type and whether an imatrix was used; throws when the table has no such row. */
export function scoreboardRow(fileType: string, withImatrix: boolean): ScoreboardRow {
  const row = LLAMA3_8B_SCOREBOARD.rows.find((x) => x.fileType === fileType && (x.imatrix !== null) === withImatrix);
  if (!row) throw new Error(`No ${fileType} row ${withImatrix ? 'with' : 'without'} imatrix in the Llama 3 8B scoreboard`);
  return row;
}

/** Llama 2 7B against Llama 3 8B, same README and revision. */
export interface SensitivityRow {
  quant: string;
  llama2: { pplRatio: number; meanKld: number; sameTopTokenPercent: number };
  llama3: { pplRatio: number; meanKld: number; sameTopTokenPercent: number };
}

export const LLAMA2_VS_LLAMA3: QualityTable<SensitivityRow> = {
  id: 'llama2-7b-vs-llama3-8b',
  title: 'Llama 2 7B vs Llama 3 8B',
  model: 'Llama-2-7B and Llama-3-8B',
  metric: 'PPL ratio to FP16, mean KL divergence from FP16, share of tokens whose top choice is unchanged',
  source: PERPLEXITY_README,
  rows: [
    { quant: 'q2_K', llama2: { pplRatio: 1.108, meanKld: 0.109, sameTopTokenPercent: 85.6 }, llama3: { pplRatio: 1.565, meanKld: 0.445, sameTopTokenPercent: 71.1 } },
    { quant: 'q4_K_M', llama2: { pplRatio: 1.014, meanKld: 0.0127, sameTopTokenPercent: 94.7 }, llama3: { pplRatio: 1.028, meanKld: 0.0313, sameTopTokenPercent: 91.9 } },
    { quant: 'q6_K', llama2: { pplRatio: 1.002, meanKld: 0.0021, sameTopTokenPercent: 97.5 }, llama3: { pplRatio: 1.003, meanKld: 0.0055, sameTopTokenPercent: 96.0 } },
    { quant: 'q8_0', llama2: { pplRatio: 1.001, meanKld: 0.00037, sameTopTokenPercent: 98.8 }, llama3: { pplRatio: 1.0, meanKld: 0.00136, sameTopTokenPercent: 97.7 } },
  ],
};

/** 70B models, from an earlier revision of the same README (not comparable with the 8B rows above). */
export interface Sensitivity70bRow {
  quant: string;
  llama2MeanKld: number;
  llama3MeanKld: number;
  /** PPL ratio to FP16, where the table gives one. */
  llama2PplRatio?: number;
  llama3PplRatio?: number;
}

export const LLAMA_70B_SENSITIVITY: QualityTable<Sensitivity70bRow> = {
  id: 'llama2-70b-vs-llama3-70b',
  title: 'Llama 2 70B vs Llama 3 70B',
  model: 'Llama-2-70B and Llama-3-70B',
  metric: 'mean KL divergence from FP16; PPL ratio to FP16',
  source: { ...PERPLEXITY_README, revision: 'earlier revision than f364eb6f', note: 'The 70B comparison of an earlier revision of the README; its setup differs from the 8B scoreboard.' },
  rows: [
    { quant: 'q2_K', llama2MeanKld: 0.186, llama3MeanKld: 0.675, llama2PplRatio: 1.215, llama3PplRatio: 1.942 },
    { quant: 'q4_K_M', llama2MeanKld: 0.013, llama3MeanKld: 0.055, llama2PplRatio: 1.012, llama3PplRatio: 1.051 },
    { quant: 'q6_K', llama2MeanKld: 0.0027, llama3MeanKld: 0.0091 },
    { quant: 'q8_0', llama2MeanKld: 0.00088, llama3MeanKld: 0.0031 },
  ],
};

/** Qwen2-Instruct: official evaluations of the quantized checkpoints, average score (higher is better). */
export interface QwenEvalRow {
  size: string;
  /** Average / MMLU / C-Eval / IFEval for each format. */
  bf16: readonly [number, number, number, number];
  gptqInt8: readonly [number, number, number, number];
  gptqInt4: readonly [number, number, number, number];
  awq: readonly [number, number, number, number];
}

export const QWEN2_QUANTIZED_EVALS: QualityTable<QwenEvalRow> = {
  id: 'qwen2-quantized-evals',
  title: 'Performance of Quantized Models (Qwen2-Instruct)',
  model: 'Qwen2-Instruct 0.5B to 72B',
  metric: 'Average / MMLU / C-Eval / IFEval, greedy decoding (higher is better)',
  source: {
    title: 'Qwen documentation, “Performance of Quantized Models”',
    repo: 'QwenLM (qwen.readthedocs.io)',
    url: 'https://qwen.readthedocs.io/en/latest/getting_started/quantization_benchmark.html',
  },
  rows: [
    { size: '72B', bf16: [81.3, 82.3, 83.8, 77.6], gptqInt8: [80.7, 81.3, 83.4, 77.5], gptqInt4: [81.2, 80.8, 83.9, 78.9], awq: [80.4, 80.5, 83.9, 76.9] },
    { size: '7B', bf16: [66.9, 70.5, 77.2, 53.1], gptqInt8: [66.2, 69.1, 76.7, 52.9], gptqInt4: [64.1, 67.8, 75.2, 49.4], awq: [64.1, 67.4, 73.6, 51.4] },
    { size: '1.5B', bf16: [48.4, 52.4, 63.8, 29.0], gptqInt8: [48.1, 53.0, 62.5, 28.8], gptqInt4: [45.0, 50.7, 57.4, 27.0], awq: [46.5, 51.6, 58.1, 29.9] },
    { size: '0.5B', bf16: [34.4, 37.9, 45.2, 20.0], gptqInt8: [32.6, 35.6, 43.9, 18.1], gptqInt4: [29.7, 33.0, 39.2, 16.8], awq: [31.1, 34.4, 42.1, 16.7] },
  ],
};

/** Every table, for the tests and for listing sources. */
export const QUALITY_TABLES = [LLAMA3_8B_SCOREBOARD, LLAMA2_VS_LLAMA3, LLAMA_70B_SENSITIVITY, QWEN2_QUANTIZED_EVALS] as const;
