/**
 * Cohere Command R7B (Cohere2ForCausalLM -> llama.cpp "cohere2"). Command R's parallel block and tied head
 * (command-r.ts), with interleaved sliding-window attention: in every group of four layers the first three see
 * the last sliding_window tokens and the fourth sees everything.
 *
 * The period is llama.cpp's, not the config's: src/models/cohere2.cpp load_arch_hparams sets swa_period = 4 and only
 * a scalar attention.sliding_window_pattern key would change it, which conversion/command_r.py Cohere2Model never
 * writes (it writes sliding_window, rope dims from rotary_pct and head_dim as key_length). So layer il is local when
 * il % 4 < 3 (llama-hparams.cpp set_swa_pattern), whatever sliding_window_pattern / layer_types say.
 * The checkpoint's biases are all zero and the converter drops them (Cohere2Model.modify_tensors), so the file has
 * no bias tensor. Tensors: src/models/cohere2.cpp load_arch_tensors.
 */
import type { ConfigReader } from '../config-reader.ts';
import type { ArchFamily } from '../family.ts';
import { attention, readCore, readDenseFfn, repeat, zipLayers } from '../shape-parts.ts';
import { cohereBlock, cohereHeads, cohereTied } from './command-r.ts';

const SWA_PERIOD = 4;

/** llama.cpp's sliding layers (il % 4 < 3); a config that lays them out otherwise gets a note. */
function slidingLayers(r: ConfigReader, nLayer: number, assume: (note: string) => void): boolean[] {
  const local = Array.from({ length: nLayer }, (_, il) => il % SWA_PERIOD < SWA_PERIOD - 1);
  const declared = r.stringList('layer_types', nLayer);
  const pattern = r.optionalInt('sliding_window_pattern');
  const differs = declared
    ? declared.some((t, il) => (t === 'sliding_attention') !== local[il])
    : pattern !== undefined && pattern !== SWA_PERIOD;
  if (differs) {
    assume(`The config lays out sliding layers differently from llama.cpp, which uses a period of ${SWA_PERIOD} for cohere2 (three sliding, one full) whatever the config says; sized as llama.cpp runs it.`);
  }
  return local;
}

const cohere2: ArchFamily = {
  architectures: ['Cohere2ForCausalLM'],
  ggufArchs: ['cohere2'],
  read: (r, assume) => {
    const core = readCore(r);
    const heads = cohereHeads(r, core.hiddenSize);
    const window = r.int('sliding_window');
    const local = slidingLayers(r, core.nLayer, assume);
    return {
      ...core,
      ggufArch: 'cohere2',
      tiedEmbeddings: cohereTied(r, assume),
      layers: zipLayers(
        local.map((l) => attention(heads, l ? window : null)),
        repeat(core.nLayer, () => readDenseFfn(r)),
      ),
      tensorDetails: {},
    };
  },
  blockTensors: cohereBlock,
};

export default cohere2;
