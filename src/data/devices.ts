/**
 * Device catalog: memory capacity and bandwidth of GPUs, Apple Silicon and system RAM, each figure with a source.
 * memoryBytes: a card marketed as "24 GB" holds 24 GiB (24 x 2^30 bytes); Apple unified memory likewise.
 * bandwidthGBps: peak, in GB/s (10^9 bytes/s). fp16TensorTflops is left out everywhere: not verified against datasheets.
 */
import type { DeviceEntry } from './schema';

export const DEVICES: DeviceEntry[] = [
  {
    "id": "rtx-3060-12gb",
    "name": "GeForce RTX 3060 12GB",
    "vendor": "NVIDIA",
    "kind": "gpu",
    "memoryBytes": 12884901888,
    "memoryLabel": "12 GB GDDR6, 192-bit",
    "bandwidthGBps": 360,
    "interconnect": "PCIe 4.0 x16",
    "sources": [
      {
        "title": "Spec page cited by glossary-facts.md section 5 (S57): vramforge.com / theaiworld.net (RTX 3060 12GB vs 4060 Ti 16GB)",
        "url": "https://vramforge.com/",
        "note": "bandwidth and capacity as tabulated in shared/reference/glossary-facts.md section 5"
      },
      {
        "title": "GPU memory is sold in powers of two: a '24 GB' card holds 24 GiB (glossary-facts 4.6, citing llama.cpp PR #1787 on GB vs GiB)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/1787",
        "note": "convention used for memoryBytes: marketed GB x 2^30; exact MiB reported by nvidia-smi is slightly lower (unverified)",
        "figures": [
          "memory"
        ]
      }
    ]
  },
  {
    "id": "rtx-3080-10gb",
    "name": "GeForce RTX 3080 10GB",
    "vendor": "NVIDIA",
    "kind": "gpu",
    "memoryBytes": 10737418240,
    "memoryLabel": "10 GB GDDR6X, 320-bit",
    "bandwidthGBps": 760,
    "interconnect": "PCIe 4.0 x16",
    "sources": [
      {
        "title": "Tom's Hardware spec table: RTX 3080 10GB GDDR6X, 19 Gbps, 320-bit, 760 GBps",
        "url": "https://www.tomshardware.com/uk/news/nvidia-driver-geforce-rtx-3080-ti-ampere-gpu"
      },
      {
        "title": "GPU memory is sold in powers of two: a '24 GB' card holds 24 GiB (glossary-facts 4.6, citing llama.cpp PR #1787 on GB vs GiB)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/1787",
        "note": "convention used for memoryBytes: marketed GB x 2^30; exact MiB reported by nvidia-smi is slightly lower (unverified)",
        "figures": [
          "memory"
        ]
      }
    ]
  },
  {
    "id": "rtx-3090",
    "name": "GeForce RTX 3090",
    "vendor": "NVIDIA",
    "kind": "gpu",
    "memoryBytes": 25769803776,
    "memoryLabel": "24 GB GDDR6X, 384-bit",
    "bandwidthGBps": 936,
    "interconnect": "PCIe 4.0 x16; NVLink bridge (2-way)",
    "sources": [
      {
        "title": "Spec page cited by glossary-facts.md section 5 (S57): pcguide.com (RTX 5090 vs 3090)",
        "url": "https://www.pcguide.com/",
        "note": "bandwidth and capacity as tabulated in shared/reference/glossary-facts.md section 5"
      },
      {
        "title": "Tom's Hardware spec table: RTX 3090 24GB GDDR6X, 936 GBps",
        "url": "https://www.tomshardware.com/uk/news/nvidia-driver-geforce-rtx-3080-ti-ampere-gpu",
        "figures": [
          "bandwidth"
        ]
      },
      {
        "title": "GPU memory is sold in powers of two: a '24 GB' card holds 24 GiB (glossary-facts 4.6, citing llama.cpp PR #1787 on GB vs GiB)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/1787",
        "note": "convention used for memoryBytes: marketed GB x 2^30; exact MiB reported by nvidia-smi is slightly lower (unverified)",
        "figures": [
          "memory"
        ]
      }
    ]
  },
  {
    "id": "rtx-4060",
    "name": "GeForce RTX 4060",
    "vendor": "NVIDIA",
    "kind": "gpu",
    "memoryBytes": 8589934592,
    "memoryLabel": "8 GB GDDR6, 128-bit",
    "bandwidthGBps": 272,
    "interconnect": "PCIe 4.0 x8",
    "sources": [
      {
        "title": "telepolis.pl on NVIDIA's RTX 4060 announcement: 8 GB GDDR6 17 Gbps, 128-bit, 272 GB/s",
        "url": "https://www.telepolis.pl/tech/sprzet/nvidia-geforce-rtx-4060-ti-polskie-ceny-specyfikacja"
      },
      {
        "title": "fpsbench spec sheet: 8 GB, 128 bit, 272.0 GB/s",
        "url": "https://fpsbench.com/compare/gpu/nvidia-geforce-rtx-4060-vs-nvidia-t600"
      },
      {
        "title": "GPU memory is sold in powers of two: a '24 GB' card holds 24 GiB (glossary-facts 4.6, citing llama.cpp PR #1787 on GB vs GiB)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/1787",
        "note": "convention used for memoryBytes: marketed GB x 2^30; exact MiB reported by nvidia-smi is slightly lower (unverified)",
        "figures": [
          "memory"
        ]
      }
    ],
    "notes": "8 GB card. gpu_poor's table lists the RTX 4060 as 16 GB, which is wrong (the 16 GB card is the 4060 Ti; calculators-landscape.md). Pre-launch reports quoted 288 GB/s (18 Gbps); the shipped card uses 17 Gbps."
  },
  {
    "id": "rtx-4060-ti-16gb",
    "name": "GeForce RTX 4060 Ti 16GB",
    "vendor": "NVIDIA",
    "kind": "gpu",
    "memoryBytes": 17179869184,
    "memoryLabel": "16 GB GDDR6, 128-bit",
    "bandwidthGBps": 288,
    "interconnect": "PCIe 4.0 x8",
    "sources": [
      {
        "title": "Spec page cited by glossary-facts.md section 5 (S57): vramforge.com / theaiworld.net (RTX 3060 12GB vs 4060 Ti 16GB)",
        "url": "https://vramforge.com/",
        "note": "bandwidth and capacity as tabulated in shared/reference/glossary-facts.md section 5"
      },
      {
        "title": "telepolis.pl on NVIDIA's RTX 4060 Ti announcement: 8/16 GB GDDR6 18 Gbps, 128-bit, 288 GB/s",
        "url": "https://www.telepolis.pl/tech/sprzet/nvidia-geforce-rtx-4060-ti-polskie-ceny-specyfikacja",
        "figures": [
          "bandwidth"
        ]
      },
      {
        "title": "GPU memory is sold in powers of two: a '24 GB' card holds 24 GiB (glossary-facts 4.6, citing llama.cpp PR #1787 on GB vs GiB)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/1787",
        "note": "convention used for memoryBytes: marketed GB x 2^30; exact MiB reported by nvidia-smi is slightly lower (unverified)",
        "figures": [
          "memory"
        ]
      }
    ],
    "notes": "Lower bandwidth than the RTX 3060 12GB: slower decode for models that fit in 12 GB."
  },
  {
    "id": "rtx-4070",
    "name": "GeForce RTX 4070",
    "vendor": "NVIDIA",
    "kind": "gpu",
    "memoryBytes": 12884901888,
    "memoryLabel": "12 GB GDDR6X, 192-bit",
    "bandwidthGBps": 504,
    "interconnect": "PCIe 4.0 x16",
    "sources": [
      {
        "title": "Hardware Times spec table (RTX 4070: 12 GB G6X, 21 Gbps, 504 GB/s)",
        "url": "https://www.hardwaretimes.com/nvidia-rtx-4080-12gb-just-12-faster-than-the-rtx-3080-slower-than-the-3090-ti-in-every-game/"
      },
      {
        "title": "Hardwareluxx: RTX 4070 12 GB GDDR6X 21 Gbit/s, 192 bit, 504 GB/s",
        "url": "https://hardwareluxx.de/index.php/news/hardware/grafikkarten/60650-rtx-4070-mit-12-gb-und-rtx-4060-mit-8-gb-vram.html"
      },
      {
        "title": "GPU memory is sold in powers of two: a '24 GB' card holds 24 GiB (glossary-facts 4.6, citing llama.cpp PR #1787 on GB vs GiB)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/1787",
        "note": "convention used for memoryBytes: marketed GB x 2^30; exact MiB reported by nvidia-smi is slightly lower (unverified)",
        "figures": [
          "memory"
        ]
      }
    ]
  },
  {
    "id": "rtx-4080",
    "name": "GeForce RTX 4080",
    "vendor": "NVIDIA",
    "kind": "gpu",
    "memoryBytes": 17179869184,
    "memoryLabel": "16 GB GDDR6X, 256-bit",
    "bandwidthGBps": 716.8,
    "interconnect": "PCIe 4.0 x16",
    "sources": [
      {
        "title": "topcpu.net spec comparison: RTX 4080 16GB, 716.8 GB/s",
        "url": "https://topcpu.net/en/cpu-c/geforce-rtx-4080-vs-geforce-rtx-3060"
      },
      {
        "title": "alldbin spec comparison: RTX 4080 16 GB GDDR6X, 256 bit, 22400 MHz, 716.8 GB/s",
        "url": "https://cpu-gpu.alldbin.com/graphics-card-comparison/GeForce-RTX-3080-Max-Q-and-GeForce-RTX-4080-comparison.html"
      },
      {
        "title": "GPU memory is sold in powers of two: a '24 GB' card holds 24 GiB (glossary-facts 4.6, citing llama.cpp PR #1787 on GB vs GiB)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/1787",
        "note": "convention used for memoryBytes: marketed GB x 2^30; exact MiB reported by nvidia-smi is slightly lower (unverified)",
        "figures": [
          "memory"
        ]
      }
    ],
    "notes": "NVIDIA's pre-launch table quoted 23 Gbps / 736 GB/s; shipped cards run 22.4 Gbps (716.8 GB/s)."
  },
  {
    "id": "rtx-4090",
    "name": "GeForce RTX 4090",
    "vendor": "NVIDIA",
    "kind": "gpu",
    "memoryBytes": 25769803776,
    "memoryLabel": "24 GB GDDR6X, 384-bit",
    "bandwidthGBps": 1008,
    "interconnect": "PCIe 4.0 x16",
    "sources": [
      {
        "title": "Spec page cited by glossary-facts.md section 5 (S57): sipoch.com (RTX 50/40 table)",
        "url": "https://sipoch.com/",
        "note": "bandwidth and capacity as tabulated in shared/reference/glossary-facts.md section 5"
      },
      {
        "title": "Hardware Times spec table (RTX 4090: 24 GB G6X, 21 Gbps, 1008 GB/s)",
        "url": "https://www.hardwaretimes.com/nvidia-rtx-4080-12gb-just-12-faster-than-the-rtx-3080-slower-than-the-3090-ti-in-every-game/",
        "figures": [
          "bandwidth"
        ]
      },
      {
        "title": "GPU memory is sold in powers of two: a '24 GB' card holds 24 GiB (glossary-facts 4.6, citing llama.cpp PR #1787 on GB vs GiB)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/1787",
        "note": "convention used for memoryBytes: marketed GB x 2^30; exact MiB reported by nvidia-smi is slightly lower (unverified)",
        "figures": [
          "memory"
        ]
      }
    ]
  },
  {
    "id": "rtx-5060-ti-16gb",
    "name": "GeForce RTX 5060 Ti 16GB",
    "vendor": "NVIDIA",
    "kind": "gpu",
    "memoryBytes": 17179869184,
    "memoryLabel": "16 GB GDDR7, 128-bit",
    "bandwidthGBps": 448,
    "interconnect": "PCIe 5.0 x8",
    "sources": [
      {
        "title": "Tom's Hardware (via worldnl.com) on VideoCardz's RTX 5060 Ti specifications: 16/8 GB GDDR7 28 GT/s, 128-bit, 448 GB/s",
        "url": "https://worldnl.com/nvidia-rtx-5060-ti-final-specs-and-launch-day-allegedly-leaked-182199.html"
      },
      {
        "title": "GPU memory is sold in powers of two: a '24 GB' card holds 24 GiB (glossary-facts 4.6, citing llama.cpp PR #1787 on GB vs GiB)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/1787",
        "note": "convention used for memoryBytes: marketed GB x 2^30; exact MiB reported by nvidia-smi is slightly lower (unverified)",
        "figures": [
          "memory"
        ]
      }
    ],
    "notes": "Figures from pre-launch reporting marked 'unconfirmed' by the source; not checked against NVIDIA's spec page."
  },
  {
    "id": "rtx-5070-ti",
    "name": "GeForce RTX 5070 Ti",
    "vendor": "NVIDIA",
    "kind": "gpu",
    "memoryBytes": 17179869184,
    "memoryLabel": "16 GB GDDR7, 256-bit",
    "bandwidthGBps": 896,
    "interconnect": "PCIe 5.0 x16",
    "sources": [
      {
        "title": "TweakTown: official RTX 50 series specs from CES 2025 (5070 Ti: 16GB GDDR7, 256-bit, 896 GB/sec)",
        "url": "https://www.tweaktown.com/news/102469/nvidia-geforce-rtx-50-series-specs-pricing-and-performance-plan-that-upgrade-today/index.html"
      },
      {
        "title": "GPU memory is sold in powers of two: a '24 GB' card holds 24 GiB (glossary-facts 4.6, citing llama.cpp PR #1787 on GB vs GiB)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/1787",
        "note": "convention used for memoryBytes: marketed GB x 2^30; exact MiB reported by nvidia-smi is slightly lower (unverified)",
        "figures": [
          "memory"
        ]
      }
    ]
  },
  {
    "id": "rtx-5080",
    "name": "GeForce RTX 5080",
    "vendor": "NVIDIA",
    "kind": "gpu",
    "memoryBytes": 17179869184,
    "memoryLabel": "16 GB GDDR7, 256-bit",
    "bandwidthGBps": 960,
    "interconnect": "PCIe 5.0 x16",
    "sources": [
      {
        "title": "TweakTown: official RTX 50 series specs from CES 2025 (5080: 16GB GDDR7, 256-bit, 960 GB/sec)",
        "url": "https://www.tweaktown.com/news/102469/nvidia-geforce-rtx-50-series-specs-pricing-and-performance-plan-that-upgrade-today/index.html"
      },
      {
        "title": "GPU memory is sold in powers of two: a '24 GB' card holds 24 GiB (glossary-facts 4.6, citing llama.cpp PR #1787 on GB vs GiB)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/1787",
        "note": "convention used for memoryBytes: marketed GB x 2^30; exact MiB reported by nvidia-smi is slightly lower (unverified)",
        "figures": [
          "memory"
        ]
      }
    ]
  },
  {
    "id": "rtx-5090",
    "name": "GeForce RTX 5090",
    "vendor": "NVIDIA",
    "kind": "gpu",
    "memoryBytes": 34359738368,
    "memoryLabel": "32 GB GDDR7, 512-bit",
    "bandwidthGBps": 1792,
    "interconnect": "PCIe 5.0 x16",
    "sources": [
      {
        "title": "TweakTown: official RTX 50 series specs from CES 2025 (5090: 32GB GDDR7, 512-bit, 1792 GB/sec)",
        "url": "https://www.tweaktown.com/news/102469/nvidia-geforce-rtx-50-series-specs-pricing-and-performance-plan-that-upgrade-today/index.html"
      },
      {
        "title": "Spec page cited by glossary-facts.md section 5 (S57): pcguide.com (RTX 5090 vs 3090)",
        "url": "https://www.pcguide.com/",
        "note": "bandwidth and capacity as tabulated in shared/reference/glossary-facts.md section 5"
      },
      {
        "title": "GPU memory is sold in powers of two: a '24 GB' card holds 24 GiB (glossary-facts 4.6, citing llama.cpp PR #1787 on GB vs GiB)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/1787",
        "note": "convention used for memoryBytes: marketed GB x 2^30; exact MiB reported by nvidia-smi is slightly lower (unverified)",
        "figures": [
          "memory"
        ]
      }
    ]
  },
  {
    "id": "rtx-pro-6000-blackwell",
    "name": "RTX PRO 6000 Blackwell",
    "vendor": "NVIDIA",
    "kind": "gpu",
    "memoryBytes": 103079215104,
    "memoryLabel": "96 GB GDDR7 ECC, 512-bit",
    "bandwidthGBps": 1792,
    "interconnect": "PCIe 5.0 x16",
    "sources": [
      {
        "title": "topcpu.net spec comparison: RTX PRO 6000 Blackwell 96GB GDDR7, 512 bit, 1750 MHz memory clock, 1.79 TB/s",
        "url": "https://topcpu.net/en/cpu-c/radeon-rx-7900-xt-vs-rtx-pro-6000-blackwell"
      },
      {
        "title": "GPU memory is sold in powers of two: a '24 GB' card holds 24 GiB (glossary-facts 4.6, citing llama.cpp PR #1787 on GB vs GiB)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/1787",
        "note": "convention used for memoryBytes: marketed GB x 2^30; exact MiB reported by nvidia-smi is slightly lower (unverified)",
        "figures": [
          "memory"
        ]
      }
    ],
    "notes": "The page prints 1.79 TB/s; 1750 MHz x 16 (GDDR7, 28 Gbps) x 512 bit / 8 = 1792 GB/s [derived]."
  },
  {
    "id": "rx-7900-xtx",
    "name": "Radeon RX 7900 XTX",
    "vendor": "AMD",
    "kind": "gpu",
    "memoryBytes": 25769803776,
    "memoryLabel": "24 GB GDDR6, 384-bit",
    "bandwidthGBps": 960,
    "interconnect": "PCIe 4.0 x16",
    "sources": [
      {
        "title": "alldbin spec comparison: RX 7900 XTX 24 GB GDDR6, 384 bit, 20000 MHz, 960.0 GB/s",
        "url": "https://cpu-gpu.alldbin.com/graphics-card-comparison/A100-PCIe-and-Radeon-RX-7900-XTX-comparison.html"
      },
      {
        "title": "GPU memory is sold in powers of two: a '24 GB' card holds 24 GiB (glossary-facts 4.6, citing llama.cpp PR #1787 on GB vs GiB)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/1787",
        "note": "convention used for memoryBytes: marketed GB x 2^30; exact MiB reported by nvidia-smi is slightly lower (unverified)",
        "figures": [
          "memory"
        ]
      }
    ]
  },
  {
    "id": "mi300x",
    "name": "Instinct MI300X",
    "vendor": "AMD",
    "kind": "gpu",
    "memoryBytes": 206158430208,
    "memoryLabel": "192 GB HBM3",
    "bandwidthGBps": 5300,
    "interconnect": "Infinity Fabric (8-GPU platform); PCIe 5.0 x16 host",
    "sources": [
      {
        "title": "Spec page cited by glossary-facts.md section 5 (S57): jaredwatkins.com / yobitel.com (MI300X/MI325X)",
        "url": "https://www.yobitel.com/",
        "note": "bandwidth and capacity as tabulated in shared/reference/glossary-facts.md section 5"
      },
      {
        "title": "GPU memory is sold in powers of two: a '24 GB' card holds 24 GiB (glossary-facts 4.6, citing llama.cpp PR #1787 on GB vs GiB)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/1787",
        "note": "convention used for memoryBytes: marketed GB x 2^30; exact MiB reported by nvidia-smi is slightly lower (unverified)",
        "figures": [
          "memory"
        ]
      }
    ]
  },
  {
    "id": "mi325x",
    "name": "Instinct MI325X",
    "vendor": "AMD",
    "kind": "gpu",
    "memoryBytes": 274877906944,
    "memoryLabel": "256 GB HBM3E",
    "bandwidthGBps": 6000,
    "interconnect": "Infinity Fabric (8-GPU platform); PCIe 5.0 x16 host",
    "sources": [
      {
        "title": "Spec page cited by glossary-facts.md section 5 (S57): jaredwatkins.com / yobitel.com (MI300X/MI325X)",
        "url": "https://www.yobitel.com/",
        "note": "bandwidth and capacity as tabulated in shared/reference/glossary-facts.md section 5"
      },
      {
        "title": "GPU memory is sold in powers of two: a '24 GB' card holds 24 GiB (glossary-facts 4.6, citing llama.cpp PR #1787 on GB vs GiB)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/1787",
        "note": "convention used for memoryBytes: marketed GB x 2^30; exact MiB reported by nvidia-smi is slightly lower (unverified)",
        "figures": [
          "memory"
        ]
      }
    ],
    "notes": "Bandwidth tabulated as '~6 TB/s'."
  },
  {
    "id": "t4",
    "name": "Tesla T4",
    "vendor": "NVIDIA",
    "kind": "gpu",
    "memoryBytes": 17179869184,
    "memoryLabel": "16 GB GDDR6, 256-bit",
    "bandwidthGBps": 320,
    "interconnect": "PCIe 3.0 x16",
    "sources": [
      {
        "title": "sysrqmts spec comparison: Tesla T4 16 GB GDDR6, 256 bit, 320.0 GB/s",
        "url": "https://sysrqmts.com/it/gpus/compare/nvidia-tesla-t10-processor-vs-nvidia-tesla-t4"
      },
      {
        "title": "GPU memory is sold in powers of two: a '24 GB' card holds 24 GiB (glossary-facts 4.6, citing llama.cpp PR #1787 on GB vs GiB)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/1787",
        "note": "convention used for memoryBytes: marketed GB x 2^30; exact MiB reported by nvidia-smi is slightly lower (unverified)",
        "figures": [
          "memory"
        ]
      }
    ]
  },
  {
    "id": "l40s",
    "name": "L40S",
    "vendor": "NVIDIA",
    "kind": "gpu",
    "memoryBytes": 51539607552,
    "memoryLabel": "48 GB GDDR6 ECC",
    "bandwidthGBps": 864,
    "interconnect": "PCIe 4.0 x16",
    "sources": [
      {
        "title": "Spec page cited by glossary-facts.md section 5 (S57): itcreations.com / mullet.se (L40S datasheet figures)",
        "url": "https://www.itcreations.com/",
        "note": "bandwidth and capacity as tabulated in shared/reference/glossary-facts.md section 5"
      },
      {
        "title": "GPU memory is sold in powers of two: a '24 GB' card holds 24 GiB (glossary-facts 4.6, citing llama.cpp PR #1787 on GB vs GiB)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/1787",
        "note": "convention used for memoryBytes: marketed GB x 2^30; exact MiB reported by nvidia-smi is slightly lower (unverified)",
        "figures": [
          "memory"
        ]
      }
    ]
  },
  {
    "id": "a100-40gb",
    "name": "A100 40GB (SXM)",
    "vendor": "NVIDIA",
    "kind": "gpu",
    "memoryBytes": 42949672960,
    "memoryLabel": "40 GB HBM2",
    "bandwidthGBps": 1555,
    "interconnect": "NVLink 3 (SXM4) / PCIe 4.0",
    "sources": [
      {
        "title": "Spec page cited by glossary-facts.md section 5 (S57): glennklockwood.com (A100, citing the NVIDIA datasheet)",
        "url": "https://www.glennklockwood.com/garden/processors/A100",
        "note": "bandwidth and capacity as tabulated in shared/reference/glossary-facts.md section 5"
      },
      {
        "title": "alldbin spec comparison: A100 PCIe 40 GB HBM2e, 5120 bit, 1,555 GB/s",
        "url": "https://cpu-gpu.alldbin.com/graphics-card-comparison/A100-PCIe-40-GB-and-Radeon-RX-7600-XT-comparison.html"
      },
      {
        "title": "GPU memory is sold in powers of two: a '24 GB' card holds 24 GiB (glossary-facts 4.6, citing llama.cpp PR #1787 on GB vs GiB)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/1787",
        "note": "convention used for memoryBytes: marketed GB x 2^30; exact MiB reported by nvidia-smi is slightly lower (unverified)",
        "figures": [
          "memory"
        ]
      }
    ]
  },
  {
    "id": "a100-80gb-sxm",
    "name": "A100 80GB SXM",
    "vendor": "NVIDIA",
    "kind": "gpu",
    "memoryBytes": 85899345920,
    "memoryLabel": "80 GB HBM2e",
    "bandwidthGBps": 2039,
    "interconnect": "NVLink 3 (SXM4)",
    "sources": [
      {
        "title": "Spec page cited by glossary-facts.md section 5 (S57): svethardware.cz (A100 80GB 2039 vs 1555 GB/s), glennklockwood.com",
        "url": "https://www.glennklockwood.com/garden/processors/A100",
        "note": "bandwidth and capacity as tabulated in shared/reference/glossary-facts.md section 5"
      },
      {
        "title": "GPU memory is sold in powers of two: a '24 GB' card holds 24 GiB (glossary-facts 4.6, citing llama.cpp PR #1787 on GB vs GiB)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/1787",
        "note": "convention used for memoryBytes: marketed GB x 2^30; exact MiB reported by nvidia-smi is slightly lower (unverified)",
        "figures": [
          "memory"
        ]
      }
    ]
  },
  {
    "id": "a100-80gb-pcie",
    "name": "A100 80GB PCIe",
    "vendor": "NVIDIA",
    "kind": "gpu",
    "memoryBytes": 85899345920,
    "memoryLabel": "80 GB HBM2e",
    "bandwidthGBps": 1935,
    "interconnect": "PCIe 4.0 x16; NVLink bridge",
    "sources": [
      {
        "title": "Spec page cited by glossary-facts.md section 5 (S57): llmbook.apartsin.com datacenter table (secondary only)",
        "url": "https://llmbook.apartsin.com/",
        "note": "bandwidth and capacity as tabulated in shared/reference/glossary-facts.md section 5"
      },
      {
        "title": "GPU memory is sold in powers of two: a '24 GB' card holds 24 GiB (glossary-facts 4.6, citing llama.cpp PR #1787 on GB vs GiB)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/1787",
        "note": "convention used for memoryBytes: marketed GB x 2^30; exact MiB reported by nvidia-smi is slightly lower (unverified)",
        "figures": [
          "memory"
        ]
      }
    ],
    "notes": "Bandwidth from a secondary table only (glossary-facts section 6)."
  },
  {
    "id": "h100-sxm",
    "name": "H100 SXM",
    "vendor": "NVIDIA",
    "kind": "gpu",
    "memoryBytes": 85899345920,
    "memoryLabel": "80 GB HBM3",
    "bandwidthGBps": 3350,
    "interconnect": "NVLink 4 (900 GB/s) / PCIe 5.0",
    "sources": [
      {
        "title": "Spec page cited by glossary-facts.md section 5 (S57): glennklockwood.com (H100); io.net / deploybase.ai (H100 SXM vs PCIe)",
        "url": "https://www.glennklockwood.com/garden/processors/H100",
        "note": "bandwidth and capacity as tabulated in shared/reference/glossary-facts.md section 5"
      },
      {
        "title": "GPU memory is sold in powers of two: a '24 GB' card holds 24 GiB (glossary-facts 4.6, citing llama.cpp PR #1787 on GB vs GiB)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/1787",
        "note": "convention used for memoryBytes: marketed GB x 2^30; exact MiB reported by nvidia-smi is slightly lower (unverified)",
        "figures": [
          "memory"
        ]
      }
    ]
  },
  {
    "id": "h100-pcie",
    "name": "H100 PCIe",
    "vendor": "NVIDIA",
    "kind": "gpu",
    "memoryBytes": 85899345920,
    "memoryLabel": "80 GB HBM2e",
    "bandwidthGBps": 2000,
    "interconnect": "PCIe 5.0 x16; NVLink bridge",
    "sources": [
      {
        "title": "Spec page cited by glossary-facts.md section 5 (S57): io.net / deploybase.ai (H100 SXM vs PCIe; secondary)",
        "url": "https://io.net/",
        "note": "bandwidth and capacity as tabulated in shared/reference/glossary-facts.md section 5"
      },
      {
        "title": "GPU memory is sold in powers of two: a '24 GB' card holds 24 GiB (glossary-facts 4.6, citing llama.cpp PR #1787 on GB vs GiB)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/1787",
        "note": "convention used for memoryBytes: marketed GB x 2^30; exact MiB reported by nvidia-smi is slightly lower (unverified)",
        "figures": [
          "memory"
        ]
      }
    ],
    "notes": "Bandwidth from secondary pages only (glossary-facts section 6)."
  },
  {
    "id": "h100-nvl",
    "name": "H100 NVL",
    "vendor": "NVIDIA",
    "kind": "gpu",
    "memoryBytes": 100931731456,
    "memoryLabel": "94 GB HBM3",
    "bandwidthGBps": 3900,
    "interconnect": "PCIe 5.0 x16; NVLink bridge (pairs)",
    "sources": [
      {
        "title": "Spec page cited by glossary-facts.md section 5 (S57): grokipedia (H100 NVL; secondary)",
        "url": "https://grokipedia.com/",
        "note": "bandwidth and capacity as tabulated in shared/reference/glossary-facts.md section 5"
      },
      {
        "title": "GPU memory is sold in powers of two: a '24 GB' card holds 24 GiB (glossary-facts 4.6, citing llama.cpp PR #1787 on GB vs GiB)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/1787",
        "note": "convention used for memoryBytes: marketed GB x 2^30; exact MiB reported by nvidia-smi is slightly lower (unverified)",
        "figures": [
          "memory"
        ]
      }
    ],
    "notes": "'~3.9 TB/s' from a secondary page only. memoryBytes treats 94 GB as GiB like every other card (unverified for this part)."
  },
  {
    "id": "h200",
    "name": "H200 SXM",
    "vendor": "NVIDIA",
    "kind": "gpu",
    "memoryBytes": 151397597184,
    "memoryLabel": "141 GB HBM3e",
    "bandwidthGBps": 4800,
    "interconnect": "NVLink 4 (900 GB/s)",
    "sources": [
      {
        "title": "Spec page cited by glossary-facts.md section 5 (S57): lzwjava.github.io and haink.org (H200/B200)",
        "url": "https://lzwjava.github.io/",
        "note": "bandwidth and capacity as tabulated in shared/reference/glossary-facts.md section 5"
      },
      {
        "title": "GPU memory is sold in powers of two: a '24 GB' card holds 24 GiB (glossary-facts 4.6, citing llama.cpp PR #1787 on GB vs GiB)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/1787",
        "note": "convention used for memoryBytes: marketed GB x 2^30; exact MiB reported by nvidia-smi is slightly lower (unverified)",
        "figures": [
          "memory"
        ]
      }
    ],
    "notes": "memoryBytes treats 141 GB as GiB (convention; exact usable MiB unverified)."
  },
  {
    "id": "b200",
    "name": "B200",
    "vendor": "NVIDIA",
    "kind": "gpu",
    "memoryBytes": 193273528320,
    "memoryLabel": "180 GB HBM3e usable (192 GB physical)",
    "bandwidthGBps": 8000,
    "interconnect": "NVLink 5 (1.8 TB/s)",
    "sources": [
      {
        "title": "Spec page cited by glossary-facts.md section 5 (S57): lzwjava.github.io and haink.org (H200/B200; secondary)",
        "url": "https://lzwjava.github.io/",
        "note": "bandwidth and capacity as tabulated in shared/reference/glossary-facts.md section 5"
      },
      {
        "title": "GPU memory is sold in powers of two: a '24 GB' card holds 24 GiB (glossary-facts 4.6, citing llama.cpp PR #1787 on GB vs GiB)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/1787",
        "note": "convention used for memoryBytes: marketed GB x 2^30; exact MiB reported by nvidia-smi is slightly lower (unverified)",
        "figures": [
          "memory"
        ]
      }
    ],
    "notes": "192 GB physical; 180 GB usable per GPU in DGX/HGX B200 is the commonly quoted figure (not verified against NVIDIA; glossary-facts section 5). memoryBytes uses the usable 180."
  },
  {
    "id": "m1-pro-32",
    "name": "Apple M1 Pro (32 GB)",
    "vendor": "Apple",
    "kind": "apple",
    "memoryBytes": 34359738368,
    "memoryLabel": "32 GB unified memory",
    "bandwidthGBps": 200,
    "gpuWorkingSetShare": 0.6666666666666666,
    "sources": [
      {
        "title": "MacRumors via macdailynews: 'M1 Pro chip providing up to 200 GB/s'",
        "url": "https://macdailynews.com/2022/10/26/apples-forthcoming-m2-macbook-pro-models-will-sport-very-high-bandwidth-high-speed-ram/",
        "figures": [
          "bandwidth"
        ]
      },
      {
        "title": "Apple unified memory is sized in GiB like VRAM: the marketed 'GB' is taken as 2^30 bytes (glossary-facts 4.6 convention)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/1787",
        "figures": [
          "memory"
        ]
      },
      {
        "title": "Apple press release (via SemiWiki): M1 Pro / M1 Max with up to 64GB unified memory",
        "url": "https://semiwiki.com/forum/index.php?goto/post&id=48836",
        "figures": [
          "memory"
        ]
      },
      {
        "title": "Metal recommendedMaxWorkingSetSize measured: M1 Max 32 GB -> 21,845 MB = 2/3 (glossary-facts.md 4.5)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/2011",
        "figures": [
          "gpuWorkingSetShare"
        ]
      }
    ],
    "notes": "Working-set share 2/3 measured on a 32 GB M1 Max."
  },
  {
    "id": "m1-max-64",
    "name": "Apple M1 Max (64 GB)",
    "vendor": "Apple",
    "kind": "apple",
    "memoryBytes": 68719476736,
    "memoryLabel": "64 GB unified memory",
    "bandwidthGBps": 400,
    "gpuWorkingSetShare": 0.73,
    "sources": [
      {
        "title": "AnandTech M1 Max review: Apple's 400GB/s figure",
        "url": "http://www1.anandtech.com/Show/Index/17024?cPage=3&all=False&sort=0&page=2&slug=apple-m1-max-performance-review",
        "figures": [
          "bandwidth"
        ]
      },
      {
        "title": "Apple unified memory is sized in GiB like VRAM: the marketed 'GB' is taken as 2^30 bytes (glossary-facts 4.6 convention)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/1787",
        "figures": [
          "memory"
        ]
      },
      {
        "title": "Apple press release (via SemiWiki): up to 64GB unified memory",
        "url": "https://semiwiki.com/forum/index.php?goto/post&id=48836",
        "figures": [
          "memory"
        ]
      },
      {
        "title": "Metal recommendedMaxWorkingSetSize measured: M1/M2 Max 64 GB: problems above ~47-49 GB (~73-75%) (glossary-facts.md 4.5)",
        "url": "https://github.com/ggml-org/llama.cpp/issues/1870",
        "figures": [
          "gpuWorkingSetShare"
        ]
      }
    ],
    "notes": "Share: lower end of the ~73-75% observed on 64 GB M1/M2 Max."
  },
  {
    "id": "m1-ultra-128",
    "name": "Apple M1 Ultra (128 GB)",
    "vendor": "Apple",
    "kind": "apple",
    "memoryBytes": 137438953472,
    "memoryLabel": "128 GB unified memory",
    "bandwidthGBps": 800,
    "gpuWorkingSetShare": 0.84,
    "sources": [
      {
        "title": "Apple M-series bandwidth (glossary-facts.md section 5, S58): wccftech via gamebastion.com: M1 Ultra up to 128GB, 800GB/s",
        "url": "https://gamebastion.com/n/apple-s-m4-max-is-the-first-non-ultra/474547"
      },
      {
        "title": "Apple unified memory is sized in GiB like VRAM: the marketed 'GB' is taken as 2^30 bytes (glossary-facts 4.6 convention)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/1787",
        "figures": [
          "memory"
        ]
      },
      {
        "title": "wccftech via gamebastion.com: M1 Ultra supports up to 128GB",
        "url": "https://gamebastion.com/n/apple-s-m4-max-is-the-first-non-ultra/474547",
        "figures": [
          "memory"
        ]
      },
      {
        "title": "Metal recommendedMaxWorkingSetSize measured: M5 Max 128 GB -> 107.52 GiB = 84% stock (glossary-facts.md 4.5)",
        "url": "https://github.com/antirez/ds4/pull/893",
        "figures": [
          "gpuWorkingSetShare"
        ]
      }
    ],
    "notes": "Share 84% measured on a 128 GB M5 Max; assumed to hold for other 128 GB Macs."
  },
  {
    "id": "m2-24",
    "name": "Apple M2 (24 GB)",
    "vendor": "Apple",
    "kind": "apple",
    "memoryBytes": 25769803776,
    "memoryLabel": "24 GB unified memory",
    "bandwidthGBps": 102.4,
    "gpuWorkingSetShare": 0.6666666666666666,
    "sources": [
      {
        "title": "qeeebo: M2 uses 6,400 MT/s LPDDR5 on a 128-bit bus (8/16/24 GB); 6400 MT/s x 16 bytes = 102.4 GB/s [derived]",
        "url": "https://qeeebo.com/questions/how/27/372/how-does-the-apple-m2-processor-handle-memory-access",
        "figures": [
          "bandwidth"
        ]
      },
      {
        "title": "Apple unified memory is sized in GiB like VRAM: the marketed 'GB' is taken as 2^30 bytes (glossary-facts 4.6 convention)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/1787",
        "figures": [
          "memory"
        ]
      },
      {
        "title": "qeeebo: M2 memory configurations 8, 16 and 24 GB",
        "url": "https://qeeebo.com/questions/how/27/372/how-does-the-apple-m2-processor-handle-memory-access",
        "figures": [
          "memory"
        ]
      },
      {
        "title": "Metal recommendedMaxWorkingSetSize measured: M1 Max 32 GB -> 21,845 MB = 2/3 (glossary-facts.md 4.5)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/2011",
        "figures": [
          "gpuWorkingSetShare"
        ]
      }
    ],
    "notes": "Apple markets 100 GB/s; the derived 102.4 GB/s is the raw LPDDR5-6400 x 128-bit rate. Share 2/3 from the nearest measured size (32 GB)."
  },
  {
    "id": "m2-pro-32",
    "name": "Apple M2 Pro (32 GB)",
    "vendor": "Apple",
    "kind": "apple",
    "memoryBytes": 34359738368,
    "memoryLabel": "32 GB unified memory",
    "bandwidthGBps": 204.8,
    "gpuWorkingSetShare": 0.6666666666666666,
    "sources": [
      {
        "title": "Apple M-series bandwidth (glossary-facts.md section 5, S58): Ars Technica-derived table (goodnewsapodcast mirror): M2 Pro 204.8 GB/s",
        "url": "https://goodcom.pages.dev/posts/apple-launches-next-generation-m2-pro-and-m2-max-chips",
        "figures": [
          "bandwidth"
        ]
      },
      {
        "title": "Apple unified memory is sized in GiB like VRAM: the marketed 'GB' is taken as 2^30 bytes (glossary-facts 4.6 convention)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/1787",
        "figures": [
          "memory"
        ]
      },
      {
        "title": "Apple M2 Pro launch (via techworm): 200GB/s, up to 32GB unified memory",
        "url": "https://goodcom.pages.dev/posts/apple-launches-next-generation-m2-pro-and-m2-max-chips",
        "figures": [
          "memory"
        ]
      },
      {
        "title": "Metal recommendedMaxWorkingSetSize measured: M1 Max 32 GB -> 21,845 MB = 2/3 (glossary-facts.md 4.5)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/2011",
        "figures": [
          "gpuWorkingSetShare"
        ]
      }
    ],
    "notes": "Apple markets 200 GB/s."
  },
  {
    "id": "m2-ultra-192",
    "name": "Apple M2 Ultra (192 GB)",
    "vendor": "Apple",
    "kind": "apple",
    "memoryBytes": 206158430208,
    "memoryLabel": "192 GB unified memory",
    "bandwidthGBps": 800,
    "sources": [
      {
        "title": "Apple M-series bandwidth (glossary-facts.md section 5, S58): wccftech via gamebastion.com: M2 Ultra up to 192GB, 800GB/s",
        "url": "https://gamebastion.com/n/apple-s-m4-max-is-the-first-non-ultra/474547"
      },
      {
        "title": "Apple unified memory is sized in GiB like VRAM: the marketed 'GB' is taken as 2^30 bytes (glossary-facts 4.6 convention)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/1787",
        "figures": [
          "memory"
        ]
      },
      {
        "title": "wccftech via gamebastion.com: M2 Ultra up to 192GB unified RAM",
        "url": "https://gamebastion.com/n/apple-s-m4-max-is-the-first-non-ultra/474547",
        "figures": [
          "memory"
        ]
      }
    ],
    "notes": "Working-set share not measured for 192 GB in the sources read (84% measured at 128 GB)."
  },
  {
    "id": "m3-pro-36",
    "name": "Apple M3 Pro (36 GB)",
    "vendor": "Apple",
    "kind": "apple",
    "memoryBytes": 38654705664,
    "memoryLabel": "36 GB unified memory",
    "bandwidthGBps": 153.6,
    "gpuWorkingSetShare": 0.6666666666666666,
    "sources": [
      {
        "title": "Apple M-series bandwidth (glossary-facts.md section 5, S58): Ars Technica-derived table / macmegasite: M3 Pro 153.6 GB/s, 18/36 GB",
        "url": "https://pcextreme.com.br/apple-announces-m3-soc-family-m3-m3-pro-and-m3-max-make-their-marks/"
      },
      {
        "title": "Apple unified memory is sized in GiB like VRAM: the marketed 'GB' is taken as 2^30 bytes (glossary-facts 4.6 convention)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/1787",
        "figures": [
          "memory"
        ]
      },
      {
        "title": "glossary-facts.md section 5 (S58): M3 Pro 18/36 GB",
        "url": "https://pcextreme.com.br/apple-announces-m3-soc-family-m3-m3-pro-and-m3-max-make-their-marks/",
        "figures": [
          "memory"
        ]
      },
      {
        "title": "Metal recommendedMaxWorkingSetSize measured: M1 Max 32 GB -> 21,845 MB = 2/3 (glossary-facts.md 4.5)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/2011",
        "figures": [
          "gpuWorkingSetShare"
        ]
      }
    ],
    "notes": "Share 2/3 from the nearest measured size (32 GB)."
  },
  {
    "id": "m3-max-128",
    "name": "Apple M3 Max (128 GB)",
    "vendor": "Apple",
    "kind": "apple",
    "memoryBytes": 137438953472,
    "memoryLabel": "128 GB unified memory",
    "bandwidthGBps": 400,
    "gpuWorkingSetShare": 0.84,
    "sources": [
      {
        "title": "Apple M-series bandwidth (glossary-facts.md section 5, S58): M3 Max up to 128 GB, 400 GB/s (300 GB/s on the binned 14-core part)",
        "url": "https://pcextreme.com.br/apple-announces-m3-soc-family-m3-m3-pro-and-m3-max-make-their-marks/"
      },
      {
        "title": "Apple unified memory is sized in GiB like VRAM: the marketed 'GB' is taken as 2^30 bytes (glossary-facts 4.6 convention)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/1787",
        "figures": [
          "memory"
        ]
      },
      {
        "title": "glossary-facts.md section 5 (S58): M3 Max up to 128 GB",
        "url": "https://pcextreme.com.br/apple-announces-m3-soc-family-m3-m3-pro-and-m3-max-make-their-marks/",
        "figures": [
          "memory"
        ]
      },
      {
        "title": "Metal recommendedMaxWorkingSetSize measured: M5 Max 128 GB -> 107.52 GiB = 84% stock (glossary-facts.md 4.5)",
        "url": "https://github.com/antirez/ds4/pull/893",
        "figures": [
          "gpuWorkingSetShare"
        ]
      }
    ],
    "notes": "128 GB requires the full (400 GB/s) M3 Max."
  },
  {
    "id": "m3-ultra-512",
    "name": "Apple M3 Ultra (512 GB)",
    "vendor": "Apple",
    "kind": "apple",
    "memoryBytes": 549755813888,
    "memoryLabel": "512 GB unified memory",
    "bandwidthGBps": 819,
    "sources": [
      {
        "title": "glossary-facts.md section 5: M3 Ultra up to 512 GB, 819 GB/s [marked unverified there]",
        "url": "https://gamebastion.com/n/apple-s-m4-max-is-the-first-non-ultra/474547"
      },
      {
        "title": "Apple unified memory is sized in GiB like VRAM: the marketed 'GB' is taken as 2^30 bytes (glossary-facts 4.6 convention)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/1787",
        "figures": [
          "memory"
        ]
      },
      {
        "title": "glossary-facts.md section 5: M3 Ultra up to 512 GB [unverified]",
        "url": "https://gamebastion.com/n/apple-s-m4-max-is-the-first-non-ultra/474547",
        "figures": [
          "memory"
        ]
      }
    ],
    "notes": "UNVERIFIED: both figures are marked unverified in the reference table; kept so the catalog covers the largest Mac. Working-set share not measured."
  },
  {
    "id": "m4-16",
    "name": "Apple M4 (16 GB)",
    "vendor": "Apple",
    "kind": "apple",
    "memoryBytes": 17179869184,
    "memoryLabel": "16 GB unified memory",
    "bandwidthGBps": 120,
    "gpuWorkingSetShare": 0.74,
    "sources": [
      {
        "title": "Apple M-series bandwidth (glossary-facts.md section 5, S58): M4 16/24/32 GB, 120 GB/s (normiebench measured ~103 GB/s effective on a Mac mini M4)",
        "url": "https://github.com/brand-o/normiebench/issues/3"
      },
      {
        "title": "Apple unified memory is sized in GiB like VRAM: the marketed 'GB' is taken as 2^30 bytes (glossary-facts 4.6 convention)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/1787",
        "figures": [
          "memory"
        ]
      },
      {
        "title": "glossary-facts.md section 5 (S58): M4 16/24/32 GB",
        "url": "https://github.com/brand-o/normiebench/issues/3",
        "figures": [
          "memory"
        ]
      },
      {
        "title": "Metal recommendedMaxWorkingSetSize measured: M3 16 GB -> 11.84 GB = 74% (glossary-facts.md 4.5)",
        "url": "https://github.com/AlexsJones/llmfit/pull/754",
        "figures": [
          "gpuWorkingSetShare"
        ]
      }
    ],
    "notes": "Share 74% measured on a 16 GB M3."
  },
  {
    "id": "m4-32",
    "name": "Apple M4 (32 GB)",
    "vendor": "Apple",
    "kind": "apple",
    "memoryBytes": 34359738368,
    "memoryLabel": "32 GB unified memory",
    "bandwidthGBps": 120,
    "gpuWorkingSetShare": 0.6666666666666666,
    "sources": [
      {
        "title": "Apple M-series bandwidth (glossary-facts.md section 5, S58): M4 16/24/32 GB, 120 GB/s",
        "url": "https://github.com/brand-o/normiebench/issues/3"
      },
      {
        "title": "Apple unified memory is sized in GiB like VRAM: the marketed 'GB' is taken as 2^30 bytes (glossary-facts 4.6 convention)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/1787",
        "figures": [
          "memory"
        ]
      },
      {
        "title": "glossary-facts.md section 5 (S58): M4 16/24/32 GB",
        "url": "https://github.com/brand-o/normiebench/issues/3",
        "figures": [
          "memory"
        ]
      },
      {
        "title": "Metal recommendedMaxWorkingSetSize measured: M1 Max 32 GB -> 21,845 MB = 2/3 (glossary-facts.md 4.5)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/2011",
        "figures": [
          "gpuWorkingSetShare"
        ]
      }
    ]
  },
  {
    "id": "m4-pro-48",
    "name": "Apple M4 Pro (48 GB)",
    "vendor": "Apple",
    "kind": "apple",
    "memoryBytes": 51539607552,
    "memoryLabel": "48 GB unified memory",
    "bandwidthGBps": 273,
    "gpuWorkingSetShare": 0.73,
    "sources": [
      {
        "title": "Apple M-series bandwidth (glossary-facts.md section 5, S58): wccftech via gamebastion.com: M4 Pro 273GB/s, up to 64GB",
        "url": "https://gamebastion.com/n/apple-s-m4-max-is-the-first-non-ultra/474547"
      },
      {
        "title": "Apple unified memory is sized in GiB like VRAM: the marketed 'GB' is taken as 2^30 bytes (glossary-facts 4.6 convention)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/1787",
        "figures": [
          "memory"
        ]
      },
      {
        "title": "glossary-facts.md section 5 (S58): M4 Pro 24/48/64 GB",
        "url": "https://gamebastion.com/n/apple-s-m4-max-is-the-first-non-ultra/474547",
        "figures": [
          "memory"
        ]
      },
      {
        "title": "Metal recommendedMaxWorkingSetSize measured: M1/M2 Max 64 GB: problems above ~47-49 GB (~73-75%) (glossary-facts.md 4.5)",
        "url": "https://github.com/ggml-org/llama.cpp/issues/1870",
        "figures": [
          "gpuWorkingSetShare"
        ]
      }
    ],
    "notes": "Share: ~73-75% observed on 64 GB Macs; applied to 48 GB (unmeasured)."
  },
  {
    "id": "m4-pro-64",
    "name": "Apple M4 Pro (64 GB)",
    "vendor": "Apple",
    "kind": "apple",
    "memoryBytes": 68719476736,
    "memoryLabel": "64 GB unified memory",
    "bandwidthGBps": 273,
    "gpuWorkingSetShare": 0.73,
    "sources": [
      {
        "title": "Apple M-series bandwidth (glossary-facts.md section 5, S58): wccftech via gamebastion.com: M4 Pro 273GB/s, limited to 64GB",
        "url": "https://gamebastion.com/n/apple-s-m4-max-is-the-first-non-ultra/474547"
      },
      {
        "title": "Apple unified memory is sized in GiB like VRAM: the marketed 'GB' is taken as 2^30 bytes (glossary-facts 4.6 convention)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/1787",
        "figures": [
          "memory"
        ]
      },
      {
        "title": "wccftech via gamebastion.com: M4 Pro limited to 64GB",
        "url": "https://gamebastion.com/n/apple-s-m4-max-is-the-first-non-ultra/474547",
        "figures": [
          "memory"
        ]
      },
      {
        "title": "Metal recommendedMaxWorkingSetSize measured: M1/M2 Max 64 GB: problems above ~47-49 GB (~73-75%) (glossary-facts.md 4.5)",
        "url": "https://github.com/ggml-org/llama.cpp/issues/1870",
        "figures": [
          "gpuWorkingSetShare"
        ]
      }
    ]
  },
  {
    "id": "m4-max-36",
    "name": "Apple M4 Max 14-core CPU (36 GB)",
    "vendor": "Apple",
    "kind": "apple",
    "memoryBytes": 38654705664,
    "memoryLabel": "36 GB unified memory",
    "bandwidthGBps": 410,
    "gpuWorkingSetShare": 0.6666666666666666,
    "sources": [
      {
        "title": "Apple M-series bandwidth (glossary-facts.md section 5, S58): M4 Max 410 GB/s (binned) / 546 GB/s",
        "url": "https://gamebastion.com/n/apple-s-m4-max-is-the-first-non-ultra/474547"
      },
      {
        "title": "Apple unified memory is sized in GiB like VRAM: the marketed 'GB' is taken as 2^30 bytes (glossary-facts 4.6 convention)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/1787",
        "figures": [
          "memory"
        ]
      },
      {
        "title": "glossary-facts.md section 5 (S58): M4 Max up to 128 GB (36 GB is the binned part's configuration [unverified])",
        "url": "https://gamebastion.com/n/apple-s-m4-max-is-the-first-non-ultra/474547",
        "figures": [
          "memory"
        ]
      },
      {
        "title": "Metal recommendedMaxWorkingSetSize measured: M1 Max 32 GB -> 21,845 MB = 2/3 (glossary-facts.md 4.5)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/2011",
        "figures": [
          "gpuWorkingSetShare"
        ]
      }
    ],
    "notes": "36 GB as the binned M4 Max's memory option is from memory, not a read source (unverified)."
  },
  {
    "id": "m4-max-128",
    "name": "Apple M4 Max (128 GB)",
    "vendor": "Apple",
    "kind": "apple",
    "memoryBytes": 137438953472,
    "memoryLabel": "128 GB unified memory",
    "bandwidthGBps": 546,
    "gpuWorkingSetShare": 0.84,
    "sources": [
      {
        "title": "Apple M-series bandwidth (glossary-facts.md section 5, S58): wccftech via gamebastion.com: M4 Max up to 128GB, 546GB/s",
        "url": "https://gamebastion.com/n/apple-s-m4-max-is-the-first-non-ultra/474547"
      },
      {
        "title": "Apple unified memory is sized in GiB like VRAM: the marketed 'GB' is taken as 2^30 bytes (glossary-facts 4.6 convention)",
        "url": "https://github.com/ggml-org/llama.cpp/pull/1787",
        "figures": [
          "memory"
        ]
      },
      {
        "title": "wccftech via gamebastion.com: M4 Max up to 128GB unified RAM",
        "url": "https://gamebastion.com/n/apple-s-m4-max-is-the-first-non-ultra/474547",
        "figures": [
          "memory"
        ]
      },
      {
        "title": "Metal recommendedMaxWorkingSetSize measured: M5 Max 128 GB -> 107.52 GiB = 84% stock (glossary-facts.md 4.5)",
        "url": "https://github.com/antirez/ds4/pull/893",
        "figures": [
          "gpuWorkingSetShare"
        ]
      }
    ],
    "notes": "Share 84% measured on a 128 GB M5 Max (same memory size); raise with sysctl iogpu.wired_limit_mb."
  },
  {
    "id": "ddr4-3200-2ch",
    "name": "Desktop, DDR4-3200 dual channel (64 GB)",
    "vendor": "JEDEC DDR (any CPU)",
    "kind": "cpu",
    "memoryBytes": 68719476736,
    "memoryLabel": "64 GB DDR4-3200 (2 x 32 GB)",
    "bandwidthGBps": 51.2,
    "sources": [
      {
        "title": "Derived: 3200 MT/s x 8 bytes per 64-bit channel x 2 channels = 51.2 GB/s (theoretical peak)",
        "url": "https://en.wikipedia.org/wiki/DDR_SDRAM",
        "figures": [
          "bandwidth"
        ]
      },
      {
        "title": "Example capacity of the configuration (user-adjustable); DIMMs are sized in GiB",
        "url": "https://en.wikipedia.org/wiki/DIMM",
        "figures": [
          "memory"
        ]
      }
    ],
    "notes": "Theoretical peak; llama.cpp CPU decode typically reaches a fraction of it. Capacity is an example configuration."
  },
  {
    "id": "ddr5-5600-2ch",
    "name": "Desktop, DDR5-5600 dual channel (96 GB)",
    "vendor": "JEDEC DDR (any CPU)",
    "kind": "cpu",
    "memoryBytes": 103079215104,
    "memoryLabel": "96 GB DDR5-5600 (2 x 48 GB)",
    "bandwidthGBps": 89.6,
    "sources": [
      {
        "title": "Derived: 5600 MT/s x 8 bytes per 64-bit channel x 2 channels = 89.6 GB/s (theoretical peak)",
        "url": "https://en.wikipedia.org/wiki/DDR_SDRAM",
        "figures": [
          "bandwidth"
        ]
      },
      {
        "title": "Example capacity of the configuration (user-adjustable); DIMMs are sized in GiB",
        "url": "https://en.wikipedia.org/wiki/DIMM",
        "figures": [
          "memory"
        ]
      }
    ],
    "notes": "DDR5 DIMMs have two 32-bit subchannels per DIMM; the total width per DIMM is still 64 bits, so the formula holds. Capacity is an example configuration."
  },
  {
    "id": "ddr5-4800-8ch",
    "name": "Server, DDR5-4800 8-channel (512 GB)",
    "vendor": "JEDEC DDR (any CPU)",
    "kind": "cpu",
    "memoryBytes": 549755813888,
    "memoryLabel": "512 GB DDR5-4800 RDIMM (8 x 64 GB)",
    "bandwidthGBps": 307.2,
    "sources": [
      {
        "title": "Derived: 4800 MT/s x 8 bytes per 64-bit channel x 8 channels = 307.2 GB/s (theoretical peak)",
        "url": "https://en.wikipedia.org/wiki/DDR_SDRAM",
        "figures": [
          "bandwidth"
        ]
      },
      {
        "title": "Example capacity of the configuration (user-adjustable); DIMMs are sized in GiB",
        "url": "https://en.wikipedia.org/wiki/DIMM",
        "figures": [
          "memory"
        ]
      }
    ],
    "notes": "E.g. one socket of an 8-channel server platform. Capacity is an example configuration."
  },
  {
    "id": "ddr5-6400-12ch",
    "name": "Server, DDR5-6400 12-channel (768 GB)",
    "vendor": "JEDEC DDR (any CPU)",
    "kind": "cpu",
    "memoryBytes": 824633720832,
    "memoryLabel": "768 GB DDR5-6400 RDIMM (12 x 64 GB)",
    "bandwidthGBps": 614.4,
    "sources": [
      {
        "title": "Derived: 6400 MT/s x 8 bytes per 64-bit channel x 12 channels = 614.4 GB/s (theoretical peak)",
        "url": "https://en.wikipedia.org/wiki/DDR_SDRAM",
        "figures": [
          "bandwidth"
        ]
      },
      {
        "title": "Example capacity of the configuration (user-adjustable); DIMMs are sized in GiB",
        "url": "https://en.wikipedia.org/wiki/DIMM",
        "figures": [
          "memory"
        ]
      }
    ],
    "notes": "E.g. one socket of a 12-channel server platform. Capacity is an example configuration."
  }
];
