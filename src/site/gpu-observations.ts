/**
 * What real GPUs report, as printed by nvidia-smi in public logs: the total memory of a card (less than the memory it
 * is sold with, by the driver's reserve and, on GDDR cards with ECC on, by the parity bits), and what a desktop and a
 * browser hold on it. Quoted by the chapter "What else uses the GPU"; every figure carries the log it was read from,
 * the driver that printed it and the catalog device it belongs to (src/data/devices/<id>.json).
 *
 * These are observations, not engine inputs: the engine sizes a card from its catalog entry (memoryBytes, and
 * cudaTotalBytes where a log of what CUDA reports is known).
 */

export interface ReportedTotal {
  /** Catalog id (src/data/devices/<id>.json). */
  deviceId: string;
  /** The card as the log names it. */
  label: string;
  /** nvidia-smi's "Total" (FB Memory Usage), MiB. */
  totalMiB: number;
  /** nvidia-smi -q "Reserved" (driver and firmware), MiB, when the log prints it. */
  reservedMiB?: number;
  /** ECC on, when the log says so. */
  ecc?: boolean;
  /** Driver version printed by nvidia-smi, when the log gives it. */
  driver?: string;
  source: { title: string; url: string };
}

const EXPORTER = 'https://github.com/utkuozdemir/nvidia_gpu_exporter/blob/e656cd81a180e7e0e7862b53c9acd4c2fb0f590b/internal/captures/';
const MODAL = { title: 'modal-labs/modal-client PR #2797: totals nvidia-smi reports across Modal’s GPU types', url: 'https://github.com/modal-labs/modal-client/pull/2797' };

/** nvidia-smi totals from public logs, in the catalog's order (consumer cards, then data-centre cards). */
export const NVIDIA_SMI_TOTALS: readonly ReportedTotal[] = [
  {
    deviceId: 'rtx-3090',
    label: 'GeForce RTX 3090',
    totalMiB: 24576,
    driver: '595.84',
    source: { title: 'noonghunna/club-3090 issue #1128 (nvidia-smi: 22598MiB / 24576MiB)', url: 'https://github.com/noonghunna/club-3090/issues/1128' },
  },
  {
    deviceId: 'rtx-4090',
    label: 'GeForce RTX 4090',
    totalMiB: 24564,
    driver: '550.163.01',
    source: { title: 'RLinf/RLinf issue #255 (nvidia-smi: 507MiB / 24564MiB)', url: 'https://github.com/RLinf/RLinf/issues/255' },
  },
  {
    deviceId: 'rtx-5090',
    label: 'GeForce RTX 5090',
    totalMiB: 32607,
    driver: '610.57.04',
    source: { title: 'noonghunna/club-3090 issue #1261 (nvidia-smi: 29024MiB / 32607MiB)', url: 'https://github.com/noonghunna/club-3090/issues/1261' },
  },
  { deviceId: 't4', label: 'T4', totalMiB: 15360, ecc: true, source: MODAL },
  {
    deviceId: 'l40s',
    label: 'L40S',
    totalMiB: 46068,
    reservedMiB: 609,
    ecc: true,
    driver: '595.80',
    source: { title: 'nvidia_gpu_exporter capture: nvidia-smi -q on an L40S (ECC enabled)', url: `${EXPORTER}linux-x86_64__nvidia-l40s__595.80.txt` },
  },
  { deviceId: 'a100-40gb', label: 'A100 40GB', totalMiB: 40960, source: MODAL },
  {
    deviceId: 'h100-sxm',
    label: 'H100 80GB HBM3',
    totalMiB: 81559,
    reservedMiB: 479,
    ecc: true,
    driver: '590.48.01',
    source: { title: 'nvidia_gpu_exporter capture: nvidia-smi -q on an H100 80GB HBM3', url: `${EXPORTER}linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01.txt` },
  },
];

export interface ProcessUse {
  name: string;
  /** "Used GPU Memory", MiB. */
  mib: number;
}

/** A KDE Plasma (Wayland) desktop on a GeForce RTX 4080 SUPER, Linux, driver 595.71.05: nvidia-smi -q's process list. */
export const KDE_DESKTOP = {
  gpu: 'GeForce RTX 4080 SUPER',
  driver: '595.71.05',
  totalMiB: 16376,
  /** nvidia-smi -q "Reserved". */
  reservedMiB: 434,
  processes: [
    { name: 'kwin_wayland', mib: 25 },
    { name: 'plasmashell', mib: 120 },
    { name: 'plasma-keyboard', mib: 200 },
    { name: 'Xwayland', mib: 4 },
    { name: 'xwaylandvideobridge', mib: 3 },
  ] as readonly ProcessUse[],
  source: { title: 'nvidia_gpu_exporter capture: nvidia-smi -q on a GeForce RTX 4080 SUPER, KDE Plasma', url: `${EXPORTER}linux-x86_64__nvidia-geforce-rtx-4080-super__595.71.05.txt` },
} as const;

/** Firefox with hardware acceleration, panning a canvas-heavy web app (ComfyUI's front end), Linux, driver 550.54.15. */
export const FIREFOX = {
  mib: 2108,
  driver: '550.54.15',
  source: { title: 'Comfy-Org/ComfyUI_frontend issue #3272 (nvidia-smi: firefox-nightly 2108MiB)', url: 'https://github.com/Comfy-Org/ComfyUI_frontend/issues/3272' },
} as const;

/** A Windows desktop (WDDM) on a GeForce RTX 2080 SUPER, driver 591.86, with two NVENC encodes running. */
export const WINDOWS_DESKTOP = {
  gpu: 'GeForce RTX 2080 SUPER',
  driver: '591.86',
  totalMiB: 8192,
  usedMiB: 702,
  reservedMiB: 205,
  source: { title: 'nvidia_gpu_exporter capture: nvidia-smi -q on Windows 11, GeForce RTX 2080 SUPER', url: `${EXPORTER}windows-x86_64__nvidia-geforce-rtx-2080-super__591.86.txt` },
} as const;

/** PCI Express per-lane signalling rate (GT/s) and line code, per generation: the bandwidth a GPU reads system RAM at. */
export const PCIE = {
  gen3: { gtPerSecond: 8, encoding: 128 / 130 },
  gen4: { gtPerSecond: 16, encoding: 128 / 130 },
  gen5: { gtPerSecond: 32, encoding: 128 / 130 },
} as const;

/** One direction of a PCIe link, GB/s (10^9 bytes per second): GT/s x lanes x line-code efficiency / 8 bits. */
export function pcieGBps(gen: keyof typeof PCIE, lanes = 16): number {
  const g = PCIE[gen];
  return (g.gtPerSecond * lanes * g.encoding) / 8;
}
