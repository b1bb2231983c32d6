/**
 * What a layer caches, whatever its kind: the attention part (standard or latent) that holds a KV cache, and the
 * recurrent part that holds a fixed-size state. A layer may have either, both (Falcon-H1) or neither (Nemotron-H's
 * MLP-only layers); code that sizes caches asks these instead of switching on the mixer's kind.
 */
import type { LatentAttention, LayerShape, RecurrentLayer, StandardAttention } from './types.ts';

export function attentionOf(layer: LayerShape): StandardAttention | LatentAttention | null {
  const m = layer.mixer;
  return m.kind === 'attention' || m.kind === 'mla' ? m : null;
}

export function recurrentOf(layer: LayerShape): RecurrentLayer | null {
  return layer.mixer.kind === 'recurrent' ? layer.mixer : (layer.state ?? null);
}
