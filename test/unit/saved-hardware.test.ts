/**
 * "Your hardware, once" (src/components/ui/saved-hardware.ts): the record saved in localStorage, read back whatever
 * the storage holds or does (garbage, an old format, full, blocked, absent) without ever throwing or giving NaN, and
 * the rule that a link's own hardware wins.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  HARDWARE_KEYS,
  STORAGE_KEY,
  fitFieldsFromSaved,
  forgetSavedHardware,
  gibField,
  parseSavedHardware,
  readSavedHardware,
  sameFields,
  savedFromFields,
  startFromSaved,
  urlNamesAny,
  validFields,
  writeSavedHardware,
  type HardwareDevice,
  type HardwareValues,
  type SavedHardware,
  type StorageLike,
} from '../../src/components/ui/saved-hardware';
import { FIT_DEFAULTS } from '../../src/components/calculators/fit/fit-state';
import { fitOptionLists } from '../../src/components/calculators/fit/fit.view';

const GiB = 2 ** 30;
const MiB = 2 ** 20;

/** An in-memory Storage; `mode` makes it full (setItem throws) or blocked (everything throws). */
function memoryStorage(mode: 'ok' | 'full' | 'blocked' = 'ok'): StorageLike & { map: Map<string, string> } {
  const map = new Map<string, string>();
  const blocked = () => {
    if (mode === 'blocked') throw new DOMException('The operation is insecure.', 'SecurityError');
  };
  return {
    map,
    getItem: (k) => (blocked(), map.get(k) ?? null),
    setItem: (k, v) => {
      blocked();
      if (mode === 'full') throw new DOMException('Quota exceeded', 'QuotaExceededError');
      map.set(k, v);
    },
    removeItem: (k) => {
      blocked();
      map.delete(k);
    },
  };
}

const DEVICES: HardwareDevice[] = [
  { id: 'rtx-4090', name: 'GeForce RTX 4090', kind: 'gpu', memoryBytes: 24 * GiB },
  { id: 'rtx-3090', name: 'GeForce RTX 3090', kind: 'gpu', memoryBytes: 24 * GiB },
  { id: 'h100-80', name: 'H100 80GB', kind: 'gpu', memoryBytes: 80 * GiB },
  { id: 'm4-pro-48', name: 'MacBook Pro M4 Pro 48 GB', kind: 'apple', memoryBytes: 48 * GiB },
  { id: 'm3-ultra-512', name: 'Mac Studio M3 Ultra 512 GB', kind: 'apple', memoryBytes: 512 * GiB, share: 0.9 },
  { id: 'ddr5-5600-2ch', name: 'DDR5-5600, 2 channels', kind: 'cpu', memoryBytes: 64 * GiB },
];

const hardwareOf = (over: Partial<HardwareValues> = {}): HardwareValues => {
  const base = Object.fromEntries(HARDWARE_KEYS.map((k) => [k, FIT_DEFAULTS[k]])) as HardwareValues;
  return { ...base, ...over };
};

const saved = (over: Partial<HardwareValues> = {}): SavedHardware => {
  const s = savedFromFields(hardwareOf(over), DEVICES);
  if (!s) throw new Error('test hardware should be valid');
  return s;
};

describe('the record', () => {
  test('the fit defaults are valid hardware fields', () => {
    expect(validFields(hardwareOf())).not.toBeNull();
  });

  test('GPUs: the memory of one card of the first row, and of all cards less the margin on each', () => {
    const s = saved({ gpus: '2', gpu2: 'h100-80', gpus2: '1', ram: '128' });
    expect(s.gpuBytes).toBe(24 * GiB);
    expect(s.modelBytes).toBe(2 * (24 * GiB - 1024 * MiB) + (80 * GiB - 1024 * MiB));
    expect(s.label).toBe('2 × GeForce RTX 4090 + 1 × H100 80GB, 128 GiB of RAM');
  });

  test("a Mac: its GPU working set, from the catalog's share, the rule of thumb, or the reader's", () => {
    const m4 = saved({ hw: 'apple', mac: 'm4-pro-48' });
    expect(m4.gpuBytes).toBe(Math.floor(0.75 * 48 * GiB));
    expect(m4.modelBytes).toBe(m4.gpuBytes - 1024 * MiB);
    expect(saved({ hw: 'apple', mac: 'm3-ultra-512' }).gpuBytes).toBe(Math.floor(0.9 * 512 * GiB));
    expect(saved({ hw: 'apple', mac: 'm4-pro-48', share: '80' }).gpuBytes).toBe(Math.floor(0.8 * 48 * GiB));
    expect(m4.label).toBe('MacBook Pro M4 Pro 48 GB');
  });

  test('the CPU alone: the system RAM', () => {
    const s = saved({ hw: 'cpu', ram: '96' });
    expect(s).toMatchObject({ gpuBytes: 0, modelBytes: 96 * GiB, label: 'CPU only, 96 GiB of RAM' });
  });

  test('invalid fields or devices the catalog lacks give no record', () => {
    for (const over of [
      { hw: 'tpu' },
      { gpu: 'no-such-gpu' },
      { gpus: '0' },
      { gpus: '1.5' },
      { gpus: 'NaN' },
      { gpus2: '2' },
      { gpu2: 'rtx-3090', gpus2: '17' },
      { ram: '0' },
      { ram: '-8' },
      { ram: 'Infinity' },
      { ram: '1e3' },
      { margin: '' },
      { share: '100' },
      { rambw: 'quad-channel<script>' },
      { hw: 'apple', mac: 'no-such-mac' },
    ] as Partial<HardwareValues>[]) {
      expect(savedFromFields(hardwareOf(over), DEVICES), JSON.stringify(over)).toBeNull();
    }
  });

  test('the real catalog: the fit defaults save as one RTX 4090 and 64 GiB of RAM', () => {
    const s = savedFromFields(hardwareOf(), fitOptionLists().devices);
    expect(s?.gpuBytes).toBe(24 * GiB);
    expect(s?.label).toMatch(/^1 × .*4090.*, 64 GiB of RAM$/);
  });
});

describe('storage', () => {
  test('write, read back, forget', () => {
    const st = memoryStorage();
    const s = saved({ gpu: 'rtx-3090', gpus: '2' });
    expect(readSavedHardware(st)).toBeNull();
    expect(writeSavedHardware(s, st)).toBe(true);
    expect(JSON.parse(st.map.get(STORAGE_KEY) ?? '')).toMatchObject({ v: 1, label: s.label });
    expect(readSavedHardware(st)).toEqual(s);
    expect(forgetSavedHardware(st)).toBe(true);
    expect(readSavedHardware(st)).toBeNull();
    expect(st.map.size).toBe(0);
  });

  test('a full storage saves nothing and says so; a blocked or missing one never throws', () => {
    const s = saved();
    expect(writeSavedHardware(s, memoryStorage('full'))).toBe(false);
    const blocked = memoryStorage('blocked');
    expect(writeSavedHardware(s, blocked)).toBe(false);
    expect(readSavedHardware(blocked)).toBeNull();
    expect(forgetSavedHardware(blocked)).toBe(false);
    expect(writeSavedHardware(s, null)).toBe(false);
    expect(readSavedHardware(null)).toBeNull();
    expect(forgetSavedHardware(null)).toBe(true);
    // In Node there is no window: the default storage is none.
    expect(readSavedHardware()).toBeNull();
  });

  test('garbage under the key reads as nothing saved', () => {
    const good = JSON.parse(JSON.stringify({ v: 1, ...saved() })) as Record<string, unknown>;
    const texts = [
      '',
      'not json',
      'null',
      '42',
      '[]',
      '{}',
      JSON.stringify({ ...good, v: 2 }),
      JSON.stringify({ ...good, gpuBytes: 'NaN' }),
      JSON.stringify({ ...good, modelBytes: -1 }),
      JSON.stringify({ ...good, modelBytes: 1e300 }),
      JSON.stringify({ ...good, label: '' }),
      JSON.stringify({ ...good, label: 'x'.repeat(500) }),
      JSON.stringify({ ...good, label: 'a\u0000b' }),
      JSON.stringify({ ...good, fields: { ...(good['fields'] as object), gpus: 3 } }),
      JSON.stringify({ ...good, fields: { ...(good['fields'] as object), hw: undefined } }),
      JSON.stringify({ ...good, fields: null }),
      `{"v":1,"fields":${'['.repeat(5000)}`,
      'x'.repeat(10_000),
    ];
    for (const text of texts) {
      const st = memoryStorage();
      st.map.set(STORAGE_KEY, text);
      expect(readSavedHardware(st), text.slice(0, 60)).toBeNull();
    }
  });

  test('any JSON at all: parse gives a valid record or null, never NaN, never a throw', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.record({ v: fc.constant(1), fields: fc.dictionary(fc.constantFrom(...HARDWARE_KEYS), fc.string()), gpuBytes: fc.double(), modelBytes: fc.double(), label: fc.string() })), (value) => {
        const r = parseSavedHardware(value);
        if (r === null) return true;
        return Number.isFinite(r.gpuBytes) && Number.isFinite(r.modelBytes) && validFields(r.fields) !== null;
      }),
      { numRuns: 500 },
    );
  });
});

describe('starting a calculator from it', () => {
  const withSaved = (s: SavedHardware | null) => {
    const st = memoryStorage();
    if (s) writeSavedHardware(s, st);
    return st;
  };

  test('the saved values fill the fields when the URL names none of the hardware keys', () => {
    const s = saved({ gpu: 'rtx-3090', gpus: '2' });
    let applied: SavedHardware | null = null;
    const start = startFromSaved(HARDWARE_KEYS, (x) => fitFieldsFromSaved(x, DEVICES), (x) => (applied = x), withSaved(s));
    expect(start(new Set(['model', 'quant']))).toEqual(s.fields);
    expect(applied).toEqual(s);
  });

  test("a link's own hardware wins: one hardware key in the URL and nothing saved applies", () => {
    let applied = false;
    const start = startFromSaved(HARDWARE_KEYS, (x) => x.fields, () => (applied = true), withSaved(saved({ gpus: '3' })));
    expect(start(new Set(['gpu']))).toBeNull();
    expect(start(new Set(['ram']))).toBeNull();
    expect(applied).toBe(false);
  });

  test('nothing saved, a device gone from the catalog, or a mapper that throws: the defaults', () => {
    expect(startFromSaved(HARDWARE_KEYS, (x) => x.fields, undefined, withSaved(null))(new Set())).toBeNull();
    const gone = saved({ gpu: 'h100-80' });
    expect(fitFieldsFromSaved(gone, DEVICES.filter((d) => d.id !== 'h100-80'))).toBeNull();
    const throwing = startFromSaved(['gpu'], () => {
      throw new Error('boom');
    }, undefined, withSaved(saved()));
    expect(throwing(new Set())).toBeNull();
  });

  test('urlNamesAny reads prefixed keys', () => {
    expect(urlNamesAny('?sp.device=rtx-3090', ['device'], 'sp.')).toBe(true);
    expect(urlNamesAny('?device=rtx-3090', ['device'], 'sp.')).toBe(false);
    expect(urlNamesAny('', ['gpu'])).toBe(false);
  });

  test('gibField: GiB rounded down to a tenth, null for nothing', () => {
    expect(gibField(24 * GiB)).toBe('24');
    expect(gibField(23.99 * GiB)).toBe('23.9');
    expect(gibField(0)).toBeNull();
    expect(gibField(Number.NaN)).toBeNull();
    expect(gibField(-GiB)).toBeNull();
    expect(gibField(0.01 * GiB)).toBeNull();
  });

  test('sameFields compares every key', () => {
    expect(sameFields(hardwareOf(), hardwareOf())).toBe(true);
    expect(sameFields(hardwareOf(), hardwareOf({ margin: '512' }))).toBe(false);
  });
});
