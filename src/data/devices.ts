/**
 * Device catalog: memory capacity and bandwidth of GPUs, Apple Silicon and system RAM, one JSON file per device in
 * src/data/devices/ (add a device by adding a file), each figure with its source. Every file is checked against the
 * schema when the catalog loads, so a malformed entry stops the build and the tests with its file name.
 * memoryBytes: a card marketed as "24 GB" holds 24 GiB (24 x 2^30 bytes) unless a tool-reported total is recorded;
 * Apple unified memory likewise. bandwidthGBps: peak, in GB/s (10^9 bytes/s).
 */
import { loadCatalog } from './load-catalog.ts';
import { validateDevice, type DeviceEntry } from './schema.ts';

const FILES = import.meta.glob<unknown>('./devices/*.json', { eager: true, import: 'default' });

const KIND_ORDER = ['gpu', 'apple', 'cpu'];
const VENDOR_ORDER = ['NVIDIA', 'AMD'];
const rank = (list: string[], x: string) => (list.includes(x) ? list.indexOf(x) : list.length);

/** List order: GPUs, then Macs, then system RAM; NVIDIA before AMD; then by memory, then by bandwidth. */
function listOrder(a: DeviceEntry, b: DeviceEntry): number {
  return (
    rank(KIND_ORDER, a.kind) - rank(KIND_ORDER, b.kind) ||
    rank(VENDOR_ORDER, a.vendor) - rank(VENDOR_ORDER, b.vendor) ||
    a.memoryBytes - b.memoryBytes ||
    a.bandwidthGBps - b.bandwidthGBps ||
    a.id.localeCompare(b.id)
  );
}

export const DEVICES: DeviceEntry[] = loadCatalog<DeviceEntry>(FILES, validateDevice, 'device').sort(listOrder);
