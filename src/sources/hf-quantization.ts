/**
 * A checkpoint's `quantization_config` (config.json) -> the GPU format id the sizing engine accepts
 * (src/sizing/formats/gpu-formats.ts), so a pre-quantized repository (AWQ, GPTQ, FP8, bitsandbytes, compressed-tensors,
 * MXFP4) is sized in the format it is actually stored in. Pure: no I/O, never throws on any input.
 *
 * Keys read, per quant_method (as transformers' quantizer configs name them, utils/quantization_config.py):
 *   awq: bits, group_size · gptq: bits, group_size, sym, desc_act · fp8: weight_block_size ·
 *   bitsandbytes: load_in_4bit, load_in_8bit, bnb_4bit_quant_type, bnb_4bit_use_double_quant ·
 *   compressed-tensors: format, config_groups.*.weights.{num_bits, type, strategy, group_size} ·
 *   modelopt: quant_algo · hqq: nbits, group_size · mxfp4: nothing else.
 */
import { findGpuFormat } from '../sizing/formats/quant-names';

export interface DetectedQuantization {
  /** quant_method as the config writes it ("awq", "gptq", "fp8" ...). */
  method: string;
  /** A GPU format id the engine accepts (estimate's `quant`), or null when the engine has no matching format. */
  formatId: string | null;
  /** One line for the UI: what was found and what it maps to (or why it does not). */
  description: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The id if the engine knows it, else null: every id returned goes through the engine's own lookup. */
function known(id: string): string | null {
  return findGpuFormat(id)?.id ?? null;
}

function found(method: string, formatId: string | null, what: string): DetectedQuantization {
  return {
    method,
    formatId,
    description: formatId ? `${what}: sized as ${formatId}.` : `${what}: no matching format in the sizing engine; choose a quantization yourself.`,
  };
}

function gptqId(bits: number | undefined, group: number | undefined, sym: boolean, actOrder: boolean): string | null {
  if (bits === undefined) return null;
  const g = group ?? 128;
  return known(`gptq-${bits}bit-g${g}${sym ? '' : '-asym'}${actOrder ? '-actorder' : ''}`);
}

/** compressed-tensors (llm-compressor): the first config group's weight scheme decides. */
function compressedTensors(q: Obj): DetectedQuantization {
  const groups = isObj(q['config_groups']) ? Object.values(q['config_groups']) : [];
  const first = groups.find(isObj);
  const w = first && isObj(first['weights']) ? first['weights'] : undefined;
  const bits = num(w?.['num_bits']);
  const type = str(w?.['type']);
  const strategy = str(w?.['strategy']);
  const group = num(w?.['group_size']);
  const format = str(q['format']) ?? '';
  const what = `compressed-tensors ${format || 'checkpoint'}${bits ? `, ${type ?? ''}${bits}` : ''}${strategy ? ` ${strategy}` : ''}${group ? ` ${group}` : ''}`;
  if (type === 'float' && bits === 8) {
    return found('compressed-tensors', known(strategy === 'block' ? 'fp8-block' : strategy === 'channel' ? 'fp8-channel' : 'fp8'), what);
  }
  if (type === 'float' && bits === 4) return found('compressed-tensors', known('nvfp4'), what);
  if (type === 'int' && bits === 8 && strategy !== 'group') return found('compressed-tensors', known('w8a8-int8'), what);
  // Packed int4/int8 groups store a 16-bit scale per group like GPTQ; sized as GPTQ of the same bits and group.
  if (type === 'int' && bits !== undefined && strategy === 'group') return found('compressed-tensors', gptqId(bits, group, true, false), what);
  return found('compressed-tensors', null, what);
}

/** What quantization a config.json declares, or undefined when it has no quantization_config. */
export function detectQuantization(config: unknown): DetectedQuantization | undefined {
  if (!isObj(config)) return undefined;
  const q = config['quantization_config'];
  if (!isObj(q)) return undefined;
  const method = (str(q['quant_method']) ?? '').toLowerCase();
  switch (method) {
    case 'awq': {
      const bits = num(q['bits']) ?? 4;
      const group = num(q['group_size']) ?? 128;
      return found('awq', bits === 4 ? known(group === 128 ? 'awq' : `awq-g${group}`) : null, `AWQ ${bits}-bit, group ${group}`);
    }
    case 'gptq': {
      const bits = num(q['bits']);
      const group = num(q['group_size']);
      return found('gptq', gptqId(bits, group, q['sym'] !== false, q['desc_act'] === true), `GPTQ ${bits ?? '?'}-bit, group ${group ?? 128}`);
    }
    case 'fp8': {
      const block = q['weight_block_size'];
      return found('fp8', known(Array.isArray(block) ? 'fp8-block' : 'fp8'), `FP8${Array.isArray(block) ? ` with ${block.join('x')} block scales` : ''}`);
    }
    case 'bitsandbytes': {
      if (q['load_in_8bit'] === true) return found('bitsandbytes', known('bnb-int8'), 'bitsandbytes LLM.int8()');
      const kind = str(q['bnb_4bit_quant_type']) === 'fp4' ? 'fp4' : 'nf4';
      const dq = q['bnb_4bit_use_double_quant'] === true;
      if (q['load_in_4bit'] === true) return found('bitsandbytes', known(`bnb-${kind}${dq ? '-dq' : ''}`), `bitsandbytes 4-bit ${kind.toUpperCase()}${dq ? ' + double quant' : ''}`);
      return found('bitsandbytes', null, 'bitsandbytes without load_in_4bit or load_in_8bit');
    }
    case 'compressed-tensors':
      return compressedTensors(q);
    case 'mxfp4':
      // gpt-oss: only the routed experts are MXFP4 (modules_to_not_convert keeps attention, router, embeddings).
      return found('mxfp4', known('mxfp4-moe'), 'MXFP4 experts (gpt-oss style)');
    case 'modelopt': {
      const algo = (str(q['quant_algo']) ?? '').toUpperCase();
      return found('modelopt', algo === 'NVFP4' ? known('nvfp4') : algo === 'FP8' ? known('fp8') : null, `ModelOpt ${algo || 'checkpoint'}`);
    }
    case 'hqq': {
      const bits = num(q['nbits']);
      const group = num(q['group_size']);
      return found('hqq', bits === 4 && group === 64 ? known('hqq-w4-g64') : null, `HQQ ${bits ?? '?'}-bit, group ${group ?? '?'}`);
    }
    default:
      return found(method || 'unknown', null, `quantization_config with quant_method "${method || '(none)'}"`);
  }
}

/** The scalar keys detectQuantization reads at the top of quantization_config. */
const QUANT_KEYS = [
  'quant_method', 'bits', 'group_size', 'sym', 'desc_act', 'weight_block_size', 'load_in_4bit', 'load_in_8bit',
  'bnb_4bit_quant_type', 'bnb_4bit_use_double_quant', 'format', 'quant_algo', 'nbits',
] as const;
const WEIGHT_KEYS = ['num_bits', 'type', 'strategy', 'group_size'] as const;

/**
 * quantization_config reduced to what detectQuantization reads (for a compact URL): compressed-tensors configs
 * carry target lists and ignore lists of hundreds of module names that sizing does not use.
 */
export function compactQuantizationConfig(q: unknown): Obj | undefined {
  if (!isObj(q)) return undefined;
  const out: Obj = {};
  for (const k of QUANT_KEYS) if (q[k] !== undefined) out[k] = q[k];
  const groups = isObj(q['config_groups']) ? Object.values(q['config_groups']) : [];
  const first = groups.find(isObj);
  if (first && isObj(first['weights'])) {
    const weights: Obj = {};
    for (const k of WEIGHT_KEYS) if (first['weights'][k] !== undefined) weights[k] = first['weights'][k];
    out['config_groups'] = { group_0: { weights } };
  }
  return out;
}
