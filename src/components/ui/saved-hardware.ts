/**
 * "Your hardware, once": the GPUs, Mac or RAM a reader saves in the fit calculator, kept in this browser's
 * localStorage (never sent anywhere) so that every calculator that takes hardware starts from it. A link's own query
 * string still wins: an island applies the saved hardware only when its URL names none of its hardware fields
 * (useUrlState's `start`).
 *
 * The record is the fit calculator's hardware fields as raw strings (the same keys as its URL: hw, gpu, gpus ...
 * margin), validated field by field, plus two memory figures taken from the catalog when it was saved, for the
 * calculators that take a single number (budget, runtime comparison), and a label to show. Anything else found under
 * the key (an old format, a hand-edited value, garbage) reads as nothing saved. Storage that is full, blocked or
 * missing is never an error: reads give null, writes report false. No function here throws.
 */
import { defaultWorkingSetShare } from '../../sizing/plan/devices';
import { GiB, MiB } from '../../sizing/units';

import { STORAGE_KEY } from './saved-hardware-key';

export { STORAGE_KEY };
/** Dispatched on window when this page saves or forgets, so every island on it follows. */
export const CHANGE_EVENT = 'llm-memory-guide:hardware';

export const HARDWARE_KEYS = ['hw', 'gpu', 'gpus', 'gpu2', 'gpus2', 'gpu3', 'gpus3', 'gpu4', 'gpus4', 'mac', 'share', 'ram', 'rambw', 'margin'] as const;
export type HardwareKey = (typeof HARDWARE_KEYS)[number];
export type HardwareValues = Record<HardwareKey, string>;

export interface SavedHardware {
  /** The fit calculator's hardware fields, as set when saved. */
  fields: HardwareValues;
  /** One GPU of the first row, or the Mac's GPU working set; 0 on the CPU alone. Bytes. */
  gpuBytes: number;
  /** Memory left for models: the GPUs' less the safety margin on each, the Mac's working set less the margin, or the system RAM on the CPU alone. Bytes. */
  modelBytes: number;
  /** "2 × NVIDIA GeForce RTX 4090, 64 GiB of RAM". */
  label: string;
}

/** What the page's storage offers; window.localStorage, or a stand-in in tests. */
export type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** A catalog device as the fit calculator's option list has it (FitDeviceOption). */
export interface HardwareDevice {
  id: string;
  name: string;
  kind: 'gpu' | 'apple' | 'cpu';
  memoryBytes: number;
  share?: number;
}

const ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const DECIMAL = /^\d{1,6}(\.\d{1,3})?$/;
const MAX_BYTES = 2 ** 50;
const MAX_LABEL = 160;
const GPU_ROWS = [
  ['gpu', 'gpus'],
  ['gpu2', 'gpus2'],
  ['gpu3', 'gpus3'],
  ['gpu4', 'gpus4'],
] as const;

const inRange = (s: string, min: number, max: number, integer = false): boolean => {
  if (!DECIMAL.test(s)) return false;
  const x = Number(s);
  return Number.isFinite(x) && x >= min && x <= max && (!integer || Number.isInteger(x));
};

/** The fields, if every one is a value the fit calculator accepts; else null. */
export function validFields(raw: unknown): HardwareValues | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const get = (k: HardwareKey): string | null => {
    const v = (raw as Record<string, unknown>)[k];
    return typeof v === 'string' ? v : null;
  };
  const out = {} as HardwareValues;
  for (const k of HARDWARE_KEYS) {
    const v = get(k);
    if (v === null) return null;
    out[k] = v;
  }
  if (out.hw !== 'gpu' && out.hw !== 'apple' && out.hw !== 'cpu') return null;
  if (!ID.test(out.gpu) || !inRange(out.gpus, 1, 16, true)) return null;
  for (const [dk, ck] of GPU_ROWS.slice(1)) {
    if (out[dk] === '' ? out[ck] !== '' : !ID.test(out[dk]) || !(out[ck] === '' || inRange(out[ck], 1, 16, true))) return null;
  }
  if (!ID.test(out.mac) || !ID.test(out.rambw)) return null;
  if (out.share !== '' && !inRange(out.share, 1, 99)) return null;
  if (!inRange(out.ram, 0.001, 65536) || !inRange(out.margin, 0, 65536)) return null;
  return out;
}

const validBytes = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0 && x <= MAX_BYTES;

/** A stored record (already JSON-parsed), checked; null when anything is off. */
export function parseSavedHardware(raw: unknown): SavedHardware | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  if (r['v'] !== 1) return null;
  const fields = validFields(r['fields']);
  const { gpuBytes, modelBytes, label } = r;
  if (!fields || !validBytes(gpuBytes) || !validBytes(modelBytes)) return null;
  if (typeof label !== 'string' || label.length === 0 || label.length > MAX_LABEL || /[\u0000-\u001f\u007f]/.test(label)) return null;
  return { fields, gpuBytes, modelBytes, label };
}

function defaultStorage(): StorageLike | null {
  try {
    // Reading the property itself throws where storage is blocked (a sandboxed frame, some privacy settings).
    return typeof window === 'undefined' ? null : window.localStorage;
  } catch {
    return null;
  }
}

/** The saved hardware, or null: nothing saved, unreadable, invalid, or no storage. */
export function readSavedHardware(storage: StorageLike | null = defaultStorage()): SavedHardware | null {
  if (!storage) return null;
  try {
    const text = storage.getItem(STORAGE_KEY);
    if (text === null || text.length > 4096) return null;
    return parseSavedHardware(JSON.parse(text));
  } catch {
    return null;
  }
}

function announce(): void {
  try {
    if (typeof window !== 'undefined') window.dispatchEvent(new Event(CHANGE_EVENT));
  } catch {
    // An island that misses the news still reads the storage on its next mount.
  }
}

/** Saves; false when the storage is missing, full or blocked (nothing is saved then). */
export function writeSavedHardware(hw: SavedHardware, storage: StorageLike | null = defaultStorage()): boolean {
  const checked = parseSavedHardware({ v: 1, ...hw });
  if (!storage || !checked) return false;
  try {
    storage.setItem(STORAGE_KEY, JSON.stringify({ v: 1, ...checked }));
  } catch {
    return false;
  }
  announce();
  return true;
}

/** Forgets; false only when the storage refuses (then there was nothing it could have kept either). */
export function forgetSavedHardware(storage: StorageLike | null = defaultStorage()): boolean {
  let ok = true;
  try {
    storage?.removeItem(STORAGE_KEY);
  } catch {
    ok = false;
  }
  announce();
  return ok;
}

/** Calls `listener` when the saved hardware changes, on this page or in another tab. Returns the unsubscribe. */
export function subscribeSavedHardware(listener: () => void): () => void {
  if (typeof window === 'undefined') return () => {};
  const onStorage = (e: StorageEvent) => {
    if (e.key === null || e.key === STORAGE_KEY) listener();
  };
  window.addEventListener(CHANGE_EVENT, listener);
  window.addEventListener('storage', onStorage);
  return () => {
    window.removeEventListener(CHANGE_EVENT, listener);
    window.removeEventListener('storage', onStorage);
  };
}

/** True when the query string names any of `keys` (with the island's prefix): the link's hardware wins then. */
export function urlNamesAny(search: string, keys: readonly string[], prefix = ''): boolean {
  const q = new URLSearchParams(search);
  return keys.some((k) => q.has(prefix + k));
}

const gibLabel = (b: number) => `${Number((b / GiB).toFixed(1))} GiB`;

/**
 * The record to save for the fit calculator's hardware fields, with the memory figures from the catalog; null if a
 * field is invalid or names a device the catalog does not have.
 */
export function savedFromFields(raw: HardwareValues, devices: readonly HardwareDevice[]): SavedHardware | null {
  const fields = validFields(raw);
  if (!fields) return null;
  const find = (id: string, kind: HardwareDevice['kind']) => devices.find((d) => d.id === id && d.kind === kind);
  const margin = Number(fields.margin) * MiB;
  const ramBytes = Number(fields.ram) * GiB;
  const ramKind = find(fields.rambw, 'cpu');
  if (!ramKind) return null;
  const ram = `${gibLabel(ramBytes)} of RAM`;
  if (fields.hw === 'gpu') {
    const rows: { d: HardwareDevice; n: number }[] = [];
    for (const [dk, ck] of GPU_ROWS) {
      if (fields[dk] === '') continue;
      const d = find(fields[dk], 'gpu');
      if (!d) return null;
      rows.push({ d, n: fields[ck] === '' ? 1 : Number(fields[ck]) });
    }
    const first = rows[0];
    if (!first) return null;
    const total = rows.reduce((s, r) => s + r.n * Math.max(0, r.d.memoryBytes - margin), 0);
    const label = `${rows.map((r) => `${r.n} × ${r.d.name}`).join(' + ')}, ${ram}`;
    return { fields, gpuBytes: first.d.memoryBytes, modelBytes: total, label: label.slice(0, MAX_LABEL) };
  }
  if (fields.hw === 'apple') {
    const mac = find(fields.mac, 'apple');
    if (!mac) return null;
    const share = fields.share === '' ? (mac.share ?? defaultWorkingSetShare(mac.memoryBytes)) : Number(fields.share) / 100;
    const usable = Math.floor(share * mac.memoryBytes);
    return { fields, gpuBytes: usable, modelBytes: Math.max(0, usable - margin), label: mac.name.slice(0, MAX_LABEL) };
  }
  return { fields, gpuBytes: 0, modelBytes: ramBytes, label: `CPU only, ${ram}`.slice(0, MAX_LABEL) };
}

/** The fit calculator's fields from the saved hardware, if the catalog still has every device it names; else null. */
export function fitFieldsFromSaved(saved: SavedHardware | null, devices: readonly HardwareDevice[]): HardwareValues | null {
  if (!saved) return null;
  return savedFromFields(saved.fields, devices) ? saved.fields : null;
}

/** Bytes as a GiB field value, rounded down to a tenth ("23" or "22.5"): what a memory field starts from. */
export function gibField(bytes: number): string | null {
  if (!Number.isFinite(bytes) || bytes <= 0) return null;
  const tenths = Math.floor((bytes / GiB) * 10);
  return tenths > 0 ? String(tenths / 10) : null;
}

/** Same record? (the fit calculator shows "saved" when its fields are the saved ones). */
export function sameFields(a: HardwareValues, b: HardwareValues): boolean {
  return HARDWARE_KEYS.every((k) => a[k] === b[k]);
}

/**
 * useUrlState's `start` for an island that takes hardware: the saved hardware's values for its fields, unless the
 * URL names any of its hardware keys (a link's own hardware wins, whole: a link is never mixed with saved values).
 * `onApplied` hears which record was used, for the island's "started from your saved hardware" note.
 */
export function startFromSaved<K extends string>(
  hardwareKeys: readonly K[],
  toFields: (saved: SavedHardware) => Partial<Record<K, string>> | null,
  onApplied?: (saved: SavedHardware) => void,
  storage?: StorageLike | null,
): (inUrl: ReadonlySet<string>) => Partial<Record<K, string>> | null {
  return (inUrl) => {
    if (hardwareKeys.some((k) => inUrl.has(k))) return null;
    const saved = storage === undefined ? readSavedHardware() : readSavedHardware(storage);
    if (!saved) return null;
    let fields: Partial<Record<K, string>> | null = null;
    try {
      fields = toFields(saved);
    } catch {
      fields = null;
    }
    if (fields && Object.keys(fields).length > 0) onApplied?.(saved);
    return fields;
  };
}
