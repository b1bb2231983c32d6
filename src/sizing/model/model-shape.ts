/**
 * config.json -> ModelShape: the entry point of the architecture layer.
 *
 * Picks the architecture reader (architectures.ts), narrows multimodal configs to their text model
 * (`text_config`), fills the defaults transformers would apply to keys a config leaves out, and records
 * what the text weights do not include (vision towers, MTP layers) in `extras`.
 */
import { ARCHITECTURES, type ArchBuild, type ArchReader } from './architectures.ts';
import { wrappedText, WRAPPER_ARCHITECTURES } from './wrapped-text.ts';
import { FAMILIES, familyForArchitecture } from './families.ts';
import { readGeneric } from './generic.ts';
import { ConfigReader } from './config-reader.ts';
import { SizingError } from '../errors.ts';
import { tensorsOf } from './tensors.ts';
import type { HfConfig, ModelShape } from '../types.ts';
import { visionTowerExtra } from './vision-tower.ts';

/** Every Hugging Face architecture the engine reads exactly: the readers in architectures.ts and the families. */
export const SUPPORTED_ARCHITECTURES: readonly string[] = [...Object.keys(ARCHITECTURES), ...FAMILIES.flatMap((f) => f.architectures), ...WRAPPER_ARCHITECTURES];

function readerFor(hfArchitecture: string): ArchReader | undefined {
  return ARCHITECTURES[hfArchitecture] ?? familyForArchitecture(hfArchitecture)?.read;
}

/**
 * Defaults of transformers' text configs for keys that released multimodal configs omit
 * (gemma-3-4b-it's text_config lists only a handful of keys). Source: transformers
 * models/gemma3/configuration_gemma3.py Gemma3TextConfig.__init__.
 */
const TEXT_DEFAULTS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  Gemma3ForConditionalGeneration: {
    vocab_size: 262208,
    hidden_size: 2304,
    intermediate_size: 9216,
    num_hidden_layers: 26,
    num_attention_heads: 8,
    num_key_value_heads: 4,
    head_dim: 256,
    max_position_embeddings: 131072,
    sliding_window: 4096,
    sliding_window_pattern: 6,
  },
};

function readArchitecture(config: HfConfig): string {
  const archs = config['architectures'];
  if (!Array.isArray(archs) || archs.length === 0 || typeof archs[0] !== 'string') {
    throw new SizingError(
      `config.json: architectures must be a list naming the model class (e.g. ["LlamaForCausalLM"]), got ${JSON.stringify(archs)}`,
      'architectures',
    );
  }
  return archs[0];
}

/** The reader over the text model: `text_config` when present (falling back to the top level), else the config itself. */
function textReader(config: HfConfig, hfArchitecture: string, assumptions: string[]): ConfigReader {
  const top = new ConfigReader(config);
  return withDefaults(top.nested('text_config') ?? top, TEXT_DEFAULTS[hfArchitecture], assumptions);
}

/** A reader whose missing keys take transformers' class defaults, each noted as an assumption. */
function withDefaults(text: ConfigReader, defaults: Readonly<Record<string, unknown>> | undefined, assumptions: string[]): ConfigReader {
  if (!defaults) return text;
  const filled: HfConfig = { ...text.config };
  for (const [key, value] of Object.entries(defaults)) {
    if (!text.has(key)) {
      filled[key] = value;
      assumptions.push(`${text.path(key)} not given: used transformers' default ${JSON.stringify(value)}.`);
    }
  }
  return new ConfigReader(filled, text.prefix, text.parent);
}

/**
 * NextN blocks the GGUF does carry (GLM-4.5): their exact parameters, from the tensors tensors.ts writes for them.
 * Shown as an extra because no runtime loads them by default (llama.cpp TENSOR_SKIP; vLLM and transformers load
 * only num_hidden_layers layers unless MTP speculative decoding is on).
 */
function nextnExtra(shape: ModelShape): ModelShape['extras'] {
  const n = shape.nextnLayers?.length ?? 0;
  if (n === 0) return [];
  const params = tensorsOf(shape)
    .filter((t) => t.layer !== null && t.layer >= shape.layers.length)
    .reduce((s, t) => s + t.dims.reduce((a, b) => a * b, 1), 0);
  const first = shape.layers.length;
  return [
    {
      name: 'multi-token prediction (MTP) layers',
      params,
      note: `${n} NextN (MTP) block(s), blk.${first}${n > 1 ? `-${first + n - 1}` : ''} in the GGUF: in the file size, but llama.cpp skips them at load (no memory, no KV cache).`,
    },
  ];
}

/** Parameters of the checkpoint's multi-token-prediction layers (DeepSeek-V3: 1 layer, ~14B), which GGUF omits. */
function mtpExtra(build: ArchBuild, shape: ModelShape): ModelShape['extras'] {
  const n = build.mtpLayers ?? 0;
  const last = shape.layers[shape.layers.length - 1];
  if (n === 0 || !last) return [];
  const layerShape: ModelShape = { ...shape, layers: [{ ...last, index: 0 }], tensorDetails: shape.tensorDetails ?? {} };
  const blockParams = tensorsOf(layerShape)
    .filter((t) => t.layer === 0)
    .reduce((s, t) => s + t.dims.reduce((a, b) => a * b, 1), 0);
  const h = shape.hiddenSize;
  // DeepSeek-V3 MTP module (modeling in DeepSeek-V3 inference/model.py): enorm, hnorm, eh_proj (2h -> h),
  // its own embedding and shared_head (norm + head) copies, plus one decoder block.
  const perLayer = blockParams + 2 * h + 2 * h * h + 2 * shape.vocabSize * h + h;
  return [
    {
      name: 'multi-token prediction (MTP) layers',
      params: n * perLayer,
      note: `${n} MTP layer(s) in the checkpoint; llama.cpp's converter skips them, so they are not in the GGUF or the parameter count.`,
    },
  ];
}

export function modelShapeFromConfig(config: HfConfig): ModelShape {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new SizingError('config.json must be a JSON object', 'config');
  }
  const hfArchitecture = readArchitecture(config);
  const assumptions: string[] = [];
  const assume = (note: string) => assumptions.push(note);

  // A multimodal wrapper (LLaVA, Qwen-VL, InternVL) is read by its text model's reader, under llama.cpp's GGUF name.
  const wrapped = readerFor(hfArchitecture) ? undefined : wrappedText(hfArchitecture, new ConfigReader(config));
  const inner = wrapped ? readerFor(wrapped.architecture) : undefined;
  const reader = inner ?? readerFor(hfArchitecture);
  const text = wrapped && inner ? withDefaults(wrapped.reader, wrapped.defaults, assumptions) : textReader(config, hfArchitecture, assumptions);
  // An architecture without a reader gets the generic reading, labelled as such, or a refusal naming what it lacks.
  const generic = reader ? undefined : readGeneric(text, hfArchitecture, assume);
  const read = generic ?? reader!(text, assume);
  const build = wrapped?.ggufArch && inner ? { ...read, ggufArch: wrapped.ggufArch } : read;
  if (wrapped && inner) assume(`${hfArchitecture}: the text model is read as ${wrapped.architecture}; the vision part is sized apart.`);
  const shape: ModelShape = {
    hfArchitecture,
    ggufArch: build.ggufArch,
    vocabSize: build.vocabSize,
    hiddenSize: build.hiddenSize,
    tiedEmbeddings: build.tiedEmbeddings,
    layers: build.layers,
    maxContext: build.maxContext,
    extras: [],
    assumptions,
    tensorDetails: build.tensorDetails,
    reading: generic ? { kind: 'generic', keys: generic.keys } : { kind: 'exact' },
  };
  if (build.nextnLayers && build.nextnLayers.length > 0) shape.nextnLayers = build.nextnLayers;
  const vision = visionTowerExtra(new ConfigReader(config), build.hiddenSize);
  if (vision) shape.extras.push(vision);
  shape.extras.push(...mtpExtra(build, shape), ...nextnExtra(shape));
  return shape;
}
