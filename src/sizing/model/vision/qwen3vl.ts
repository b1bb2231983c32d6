/**
 * Qwen3-VL (Qwen3VLForConditionalGeneration, Qwen3VLMoeForConditionalGeneration; Qwen3.5's vision tower is read the
 * same way): a ViT of 16 px patches (Conv3d over 2 frames, with bias), learned positions (num_position_embeddings),
 * LayerNorm blocks with a fused qkv and a GELU MLP, a 2 x 2 patch merger (norm of C, linear_fc1 4C -> 4C, linear_fc2
 * 4C -> out_hidden_size) and one "deepstack" merger per deepstack_visual_indexes entry (norm of 4C after the shuffle,
 * same two linears) whose output is added to the text model's early hidden states.
 * Checkpoint: transformers Qwen3VLVisionModel (defaults from Qwen3VLVisionConfig).
 *
 * mmproj (conversion/qwen3vl.py Qwen3VLVisionModel): the Conv3d split into v.patch_embd.weight / .weight.1 plus
 * v.patch_embd.bias, v.position_embd.weight (F32), attn_qkv kept fused, merger.norm -> v.post_ln, linear_fc1 / fc2 ->
 * mm.0 / mm.2, deepstack_merger_list.i -> v.deepstack.<absolute layer index>.{norm, fc1, fc2}. Same elements as the
 * checkpoint.
 *
 * Tokens: (W/32) x (H/32) + 2 (see qwen-resize.ts); transformers / vLLM between 65,536 and 16,777,216 pixels
 * (preprocessor_config.json size.shortest_edge / longest_edge), llama.cpp 8 to 4096 tokens.
 */
import { subReader, VisionKeys } from './config.ts';
import { MmprojList, tensorParams } from './mmproj.ts';
import { qwenImageTokens } from './qwen-resize.ts';
import type { ConfigReader } from '../config-reader.ts';
import type { ImageSize, VisionPart, VisionRuntime } from './types.ts';

export function qwen3vlPart(top: ConfigReader): VisionPart {
  const v = subReader(top, 'vision_config')!;
  const keys = new VisionKeys(v, 'Qwen3VLVisionConfig');
  const c = keys.int('hidden_size', 1152);
  const ff = keys.int('intermediate_size', 4304);
  const depth = keys.int('depth', 27);
  const patch = keys.int('patch_size', 16);
  const merge = keys.int('spatial_merge_size', 2);
  const channels = keys.int(['in_channels', 'in_chans'], 3);
  const positions = keys.int('num_position_embeddings', 2304);
  const out = keys.int('out_hidden_size', 3584);
  const deepstack = v.has('deepstack_visual_indexes') ? (v.intList('deepstack_visual_indexes') ?? []) : [8, 16, 24];
  for (const d of deepstack) if (d >= depth) v.fail('deepstack_visual_indexes', `must index the ${depth} vision layers`, deepstack);
  const merged = c * merge * merge;

  const m = new MmprojList();
  const half = [patch, patch, channels, c];
  m.add('v.patch_embd.weight', half, 'other', null, 'patch');
  m.add('v.patch_embd.weight.1', half, 'other', null, 'patch');
  m.add('v.patch_embd.bias', [c], 'bias');
  m.add('v.position_embd.weight', [c, positions], 'other', null, 'f32');
  for (let il = 0; il < depth; il++) {
    const p = `v.blk.${il}`;
    m.linear(`${p}.attn_qkv`, c, 3 * c, true, 'attn', il);
    m.linear(`${p}.attn_out`, c, c, true, 'attn', il);
    m.norm(`${p}.ln1`, c, true, il);
    m.linear(`${p}.ffn_up`, c, ff, true, 'ffn', il);
    m.linear(`${p}.ffn_down`, ff, c, true, 'ffn', il);
    m.norm(`${p}.ln2`, c, true, il);
    if (deepstack.includes(il)) {
      m.norm(`v.deepstack.${il}.norm`, merged, true, il);
      m.linear(`v.deepstack.${il}.fc1`, merged, merged, true, 'other', il);
      m.linear(`v.deepstack.${il}.fc2`, merged, out, true, 'other', il);
    }
  }
  m.norm('v.post_ln', c, true);
  m.linear('mm.0', merged, merged, true, 'other');
  m.linear('mm.2', merged, out, true, 'other');

  const mergerParams = (normWidth: number) => 2 * normWidth + merged * merged + merged + merged * out + out;
  const projectorParams = mergerParams(c) + deepstack.length * mergerParams(merged);
  const total = tensorParams(m.tensors);
  const tokens = (image: ImageSize | 'default', runtime: VisionRuntime = 'transformers') =>
    qwenImageTokens(image, runtime, patch, merge, { hfMinPixels: 65536, hfMaxPixels: 16777216 });
  return {
    family: 'qwen3vl',
    projectorType: 'qwen3vl_merger',
    towerParams: total - projectorParams,
    projectorParams,
    vllmParams: total,
    mmprojTensors: m.tensors,
    mmprojConverter: 'convert_hf_to_gguf',
    imageTokens: tokens,
    defaultImageTokens: tokens('default'),
    notes: [
      ...keys.notes,
      `${deepstack.length} deepstack merger(s) (layers ${deepstack.join(', ') || 'none'}) count with the projector.`,
      'Image tokens: (W/32) x (H/32) plus <|vision_start|> and <|vision_end|>; transformers/vLLM allow 64 to 16384 tokens, llama.cpp 8 to 4096.',
    ],
  };
}
