/**
 * Byte units. The engine works in bytes; these turn bytes into text at the edge.
 * GB = 10^9 bytes (what the Hugging Face Hub and disk makers print); GiB = 2^30 bytes (what llama.cpp,
 * nvidia-smi and GPU memory sizes use). A "24 GB" GPU holds 24 GiB = 25.77 GB.
 */
export const KB = 1e3;
export const MB = 1e6;
export const GB = 1e9;
export const TB = 1e12;
export const KiB = 2 ** 10;
export const MiB = 2 ** 20;
export const GiB = 2 ** 30;
export const TiB = 2 ** 40;

export type ByteUnit = 'B' | 'KB' | 'MB' | 'GB' | 'TB' | 'KiB' | 'MiB' | 'GiB' | 'TiB';

/** The two unit systems a reader can choose between. */
export type UnitSystem = 'GB' | 'GiB';

const UNIT_BYTES: Record<ByteUnit, number> = { B: 1, KB, MB, GB, TB, KiB, MiB, GiB, TiB };

export function bytesPerUnit(unit: ByteUnit): number {
  return UNIT_BYTES[unit];
}

export function toUnit(bytes: number, unit: ByteUnit): number {
  return bytes / UNIT_BYTES[unit];
}

/** Picks the largest unit of the chosen system in which the value is at least 1 (bytes below 1 KB/KiB stay bytes). */
export function autoUnit(bytes: number, system: UnitSystem): ByteUnit {
  const ladder: ByteUnit[] = system === 'GB' ? ['TB', 'GB', 'MB', 'KB'] : ['TiB', 'GiB', 'MiB', 'KiB'];
  for (const unit of ladder) if (Math.abs(bytes) >= UNIT_BYTES[unit]) return unit;
  return 'B';
}

export interface FormatOptions {
  /** Significant decimals; default: 2 below 100, 1 below 1000, else 0. */
  digits?: number;
}

/**
 * "4.92 GB", "4.58 GiB", "512 MiB". Always states the unit. Non-finite input is a bug upstream, so it is
 * shown as an em dash rather than "NaN".
 */
export function formatBytes(bytes: number, unit: ByteUnit, opts: FormatOptions = {}): string {
  if (!Number.isFinite(bytes)) return '—';
  const value = toUnit(bytes, unit);
  const abs = Math.abs(value);
  const digits = opts.digits ?? (abs >= 1000 ? 0 : abs >= 100 ? 1 : 2);
  return `${fixedWithCommas(value, digits)} ${unit}`;
}

/**
 * What toLocaleString('en-US', { minimum/maximumFractionDigits: digits }) prints ("12,345.68"), without Intl: the
 * first Intl.NumberFormat a page makes loads the locale data, which was the largest part of a calculator's hydration.
 * Like Intl, it rounds the shortest decimal that reads back as the number (String(x): 1.005 -> "1.01", where toFixed
 * gives "1.00"), half away from zero. Numbers String() prints with an exponent (under 1e-6, 1e21 and over) go to Intl.
 * A negative number that rounds to zero prints without its sign ("0.00", not Intl's "-0.00").
 */
export function fixedWithCommas(value: number, digits: number): string {
  const shortest = String(Math.abs(value));
  if (shortest.includes('e')) return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const [int = '0', frac = ''] = shortest.split('.');
  let scaled = BigInt(int + frac.slice(0, digits).padEnd(digits, '0'));
  if ((frac[digits] ?? '0') >= '5') scaled += 1n;
  const all = scaled.toString().padStart(digits + 1, '0');
  const whole = all.slice(0, all.length - digits).replace(/\B(?=(\d{3})+$)/g, ',');
  const sign = value < 0 && scaled !== 0n ? '-' : '';
  return sign + whole + (digits > 0 ? `.${all.slice(all.length - digits)}` : '');
}

/** Formats in the best unit of a system: formatAuto(4.92e9, 'GB') = "4.92 GB". */
export function formatAuto(bytes: number, system: UnitSystem, opts: FormatOptions = {}): string {
  return formatBytes(bytes, autoUnit(bytes, system), opts);
}

/** "8.03 billion", "671 billion", "135 million": parameter counts for prose. */
export function formatCount(n: number, digits = 2): string {
  if (!Number.isFinite(n)) return '—';
  const steps: [number, string][] = [
    [1e12, 'trillion'],
    [1e9, 'billion'],
    [1e6, 'million'],
    [1e3, 'thousand'],
  ];
  for (const [size, word] of steps) {
    if (Math.abs(n) >= size) {
      const v = n / size;
      return `${Number(v.toFixed(v >= 100 ? 0 : digits))} ${word}`;
    }
  }
  return String(n);
}
