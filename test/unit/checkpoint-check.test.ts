import { describe, expect, it } from 'vitest';
import { checkpointCheck, CHECKPOINT_TOLERANCE } from '../../src/sources/checkpoint-check.ts';
import { modelShapeFromConfig } from '../../src/sizing/model/model-shape.ts';
import { loadConfig } from '../fixtures/configs.ts';

describe('checkpointCheck: the engine against the Hub\'s safetensors count', () => {
  it('Gemma 3 4B IT: text 3,880,263,168 + vision 419,816,304 = the Hub\'s 4,300,079,472 exactly, not flagged', () => {
    const c = checkpointCheck(modelShapeFromConfig(loadConfig('gemma-3-4b-it')), 4_300_079_472)!;
    expect(c.engineParams).toBe(4_300_079_472);
    expect(c.difference).toBe(0);
    expect(c.flagged).toBe(false);
    expect(c.message).toMatch(/text model 3\.88B \+ vision encoder 0\.42B/);
  });

  it('a count more than 1% away is flagged, with both figures and the difference', () => {
    const shape = modelShapeFromConfig(loadConfig('llama-3.1-8b'));
    const exact = checkpointCheck(shape, 8_030_261_248)!;
    expect(exact.flagged).toBe(false);
    const off = checkpointCheck(shape, 8_030_261_248 * (1 + 2 * CHECKPOINT_TOLERANCE))!;
    expect(off.flagged).toBe(true);
    expect(off.message).toMatch(/8\.03B parameters, the checkpoint 8\.19B \(−2\.0%\): its reading of this model is off/);
  });

  it('no count, or garbage, gives no check', () => {
    const shape = modelShapeFromConfig(loadConfig('llama-3.1-8b'));
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) expect(checkpointCheck(shape, bad)).toBeNull();
  });
});
