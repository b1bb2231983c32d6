/**
 * Which of two GGUF file types keeps more of the model: by measured quality where the site has a measurement, not by
 * bits per weight. llama.cpp's Llama 3 8B scoreboard (src/data/quality.ts) measures mean KL divergence from FP16 for
 * most file types; there Q4_K_M (4.58 GiB, KLD 0.031) beats Q4_1 (4.78 GiB, KLD 0.072) although Q4_1 spends more bits.
 * Types the scoreboard does not measure get a KLD interpolated from their bits per weight between the measured rows
 * without an importance matrix (log-linear), and say so.
 */
import { LLAMA3_8B_SCOREBOARD, type ScoreboardRow } from '../../data/quality.ts';

/** Llama 3 8B's parameter count, to turn the scoreboard's file sizes (GiB) into bits per weight. */
const LLAMA3_8B_PARAMS = 8_030_261_248;

export interface QuantQuality {
  /** Mean KL divergence from FP16 (lower is better). */
  meanKld: number;
  /** 'measured': a row of the scoreboard; 'interpolated': from bits per weight between measured rows. */
  basis: 'measured' | 'interpolated';
}

const bitsOf = (row: ScoreboardRow): number => (row.sizeGiB * 2 ** 30 * 8) / LLAMA3_8B_PARAMS;

/** Rows without an importance matrix, by bits per weight (the curve a type without a row is placed on). */
const CURVE = LLAMA3_8B_SCOREBOARD.rows
  .filter((r) => r.imatrix === null)
  .map((r) => ({ bits: bitsOf(r), kld: r.meanKld }))
  .sort((a, b) => a.bits - b.bits);

function interpolate(bits: number): number {
  const first = CURVE[0];
  const last = CURVE[CURVE.length - 1];
  if (!first || !last) return Number.POSITIVE_INFINITY;
  if (bits <= first.bits) return first.kld;
  if (bits >= last.bits) return last.kld;
  const hi = CURVE.findIndex((p) => p.bits >= bits);
  const a = CURVE[hi - 1] ?? first;
  const b = CURVE[hi] ?? last;
  const t = b.bits === a.bits ? 0 : (bits - a.bits) / (b.bits - a.bits);
  return Math.exp(Math.log(a.kld) + t * (Math.log(b.kld) - Math.log(a.kld)));
}

/**
 * The expected quality of a file type: its scoreboard row (with or without an importance matrix, as asked; the other
 * when only that one exists), else interpolated at the type's bits per weight on the model being sized.
 */
export function quantQuality(fileType: string, imatrix: boolean, bitsPerWeight: number): QuantQuality {
  const rows = LLAMA3_8B_SCOREBOARD.rows.filter((r) => r.fileType === fileType.toUpperCase());
  const row = rows.find((r) => (r.imatrix !== null) === imatrix) ?? rows[0];
  if (row) return { meanKld: row.meanKld, basis: 'measured' };
  return { meanKld: interpolate(bitsPerWeight), basis: 'interpolated' };
}
