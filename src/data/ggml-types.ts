/**
 * Every ggml tensor type's block layout, as data.
 *
 * Copied from src/data/reference/ggml-types.json, which was read from ggml-org/llama.cpp:
 * the block_* structs (with their static_asserts on sizeof) in ggml/src/ggml-common.h, the type_traits table in
 * ggml/src/ggml.c and the enum ggml_type in ggml/include/ggml.h, at the commits listed in GGML_TYPES_SOURCE.
 * Bits per weight are not stored: they follow from the layout (8 x bytesPerBlock / blockSize).
 */

export interface GgmlTypeData {
  /** Name as llama.cpp prints it (upper case). */
  name: string;
  /** enum ggml_type value (the number stored in a GGUF tensor header). */
  ggmlId: number;
  /** Weights per block (blck_size). A row's length must be a multiple of it. */
  blockSize: number;
  /** Bytes per block (type_size = sizeof(block_*)). */
  bytesPerBlock: number;
  /** The block struct's fields, as in ggml-common.h. */
  layout: string;
  notes?: string;
  /** false for types whose enum id or support in every build could not be verified (see GGML_TYPES_SOURCE.caveat). */
  verified: boolean;
}

export const GGML_TYPES_SOURCE = {
  file: 'src/data/reference/ggml-types.json',
  upstream: [
    { file: "ggml/src/ggml-common.h", repo: "ggml-org/llama.cpp", commit: "01243c587feceaa5d6a6c2305535ef2f549c48b8", what: "block_* struct definitions and static_asserts on sizeof; QK_K=256, K_SCALE_SIZE=12, QK4_0=QK4_1=QK5_0=QK5_1=QK8_0=QK8_1=QK4_NL=QK_MXFP4=32, QK_NVFP4=64, QK1_0=128, QK2_0=64" },
    { file: "ggml/src/ggml.c", repo: "ggml-org/llama.cpp", commit: "00bdaa105cb03380daf899b4fc9f026555745269", what: "static const struct ggml_type_traits type_traits[GGML_TYPE_COUNT] (blck_size/type_size per type, removed entries 4,5,31-33,36-38)" },
    { file: "ggml/include/ggml.h", repo: "ggml-org/llama.cpp", commit: "004eaba804a34aa1a397b61d6d5274171c5e4cba", what: "enum ggml_type ids (this older snapshot ends at GGML_TYPE_MXFP4=39, GGML_TYPE_COUNT=40) and enum ggml_ftype" },
    { file: "gguf-py/gguf/constants.py (GGML_QUANT_SIZES)", repo: "copies of ggml-org/llama.cpp gguf-py found via index", what: "cross-check of (block_size, type_size): e.g. TQ1_0 (256, 2+4*13), MXFP4 (32, 1+16), NVFP4 (64, 4+32), Q1_0 (128, 2+16), Q2_0 (64, 2+16)" },
    { file: "ggml/include/ggml.h, ggml/src/ggml.c, ggml/src/ggml-common.h, ggml/src/ggml-quants.c", repo: "ggml-org/llama.cpp (master as mirrored by ngxson/llama.cpp)", commit: "3f545beccee69d9975f466ec7e45fd9aacd8ba90", what: "2026-08-22: GGML_TYPE_Q1_0 = 41, GGML_TYPE_Q2_0 = 42, GGML_TYPE_COUNT = 43; type_traits entries q1_0 and q2_0 (blck_size QK1_0 = 128 / QK2_0 = 64, type_size sizeof(block_q1_0) / sizeof(block_q2_0)); block_q1_0 = { ggml_half d; uint8_t qs[QK1_0/8]; }, block_q2_0 = { ggml_half d; uint8_t qs[QK2_0/4]; } with static_asserts; dequantize_row_q1_0 (bit ? +d : -d) and dequantize_row_q2_0 ((q - 1) * d, codes 00=-1 01=0 10=+1 11=+2). Q1_0 added by PR #21273 (2026-04-06), Q2_0 by PR #24448 (2026-07-07). struct block_iq2_nl / block_iq3_nl are not in ggml-common.h at this commit." },
  ],
  caveat:
    "The files read come from different commits of ggml-org/llama.cpp (and possibly forks). Types up to MXFP4 are stable and agree across all versions read. NVFP4 and Q1_0 are in a recent ggml.c type_traits. Q2_0 was listed as unverified in ggml-types.json; ggml.h, ggml.c and ggml-common.h at 3f545bec (2026-08-22) confirm its id, block and size, so it is verified here. IQ2_NL / IQ3_NL stay unverified.",
  alignment: "Each tensor's data in a GGUF file is padded to GGUF_DEFAULT_ALIGNMENT (32 bytes) - see llama-quant.cpp: zeros(fout, GGML_PAD(new_size, align) - new_size).",
} as const;

export const GGML_TYPES: readonly GgmlTypeData[] = [
  { name: "F32", ggmlId: 0, blockSize: 1, bytesPerBlock: 4, layout: "float32", verified: true },
  { name: "F16", ggmlId: 1, blockSize: 1, bytesPerBlock: 2, layout: "ggml_fp16_t", verified: true },
  { name: "Q4_0", ggmlId: 2, blockSize: 32, bytesPerBlock: 18, layout: "d(f16,2) + qs[16]", verified: true },
  { name: "Q4_1", ggmlId: 3, blockSize: 32, bytesPerBlock: 20, layout: "d(f16,2) + m(f16,2) + qs[16]", verified: true },
  { name: "Q5_0", ggmlId: 6, blockSize: 32, bytesPerBlock: 22, layout: "d(f16,2) + qh[4] + qs[16]", verified: true },
  { name: "Q5_1", ggmlId: 7, blockSize: 32, bytesPerBlock: 24, layout: "d(2) + m(2) + qh[4] + qs[16]", verified: true },
  { name: "Q8_0", ggmlId: 8, blockSize: 32, bytesPerBlock: 34, layout: "d(f16,2) + qs[32] int8", verified: true },
  { name: "Q8_1", ggmlId: 9, blockSize: 32, bytesPerBlock: 36, layout: "d(2) + s(2) + qs[32]", notes: "intermediate/activation type; no to_float in type_traits (not used for stored weights)", verified: true },
  { name: "Q2_K", ggmlId: 10, blockSize: 256, bytesPerBlock: 84, layout: "scales[16] + qs[64] + d(2) + dmin(2)", notes: "header comment: 'Effectively 2.625 bits per weight'", verified: true },
  { name: "Q3_K", ggmlId: 11, blockSize: 256, bytesPerBlock: 110, layout: "hmask[32] + qs[64] + scales[12] + d(2)", notes: "header comment: 3.4375 bpw", verified: true },
  { name: "Q4_K", ggmlId: 12, blockSize: 256, bytesPerBlock: 144, layout: "d(2) + dmin(2) + scales[12] + qs[128]", notes: "header comment: 4.5 bpw", verified: true },
  { name: "Q5_K", ggmlId: 13, blockSize: 256, bytesPerBlock: 176, layout: "d(2) + dmin(2) + scales[12] + qh[32] + qs[128]", notes: "header comment: 5.5 bpw", verified: true },
  { name: "Q6_K", ggmlId: 14, blockSize: 256, bytesPerBlock: 210, layout: "ql[128] + qh[64] + scales[16] + d(2)", notes: "header comment: 6.5625 bpw", verified: true },
  { name: "Q8_K", ggmlId: 15, blockSize: 256, bytesPerBlock: 292, layout: "d(float,4) + qs[256] + bsums[16] int16 (32 bytes)", notes: "only used for intermediate quantization / dot products, not stored weights", verified: true },
  { name: "IQ2_XXS", ggmlId: 16, blockSize: 256, bytesPerBlock: 66, layout: "d(2) + qs[32] uint16 (64 bytes)", notes: "header comment: 2.0625 bpw", verified: true },
  { name: "IQ2_XS", ggmlId: 17, blockSize: 256, bytesPerBlock: 74, layout: "d(2) + qs[32] uint16 (64) + scales[8]", notes: "header comment: 2.3125 bpw", verified: true },
  { name: "IQ3_XXS", ggmlId: 18, blockSize: 256, bytesPerBlock: 98, layout: "d(2) + qs[96]", notes: "header comment: 3.0625 bpw", verified: true },
  { name: "IQ1_S", ggmlId: 19, blockSize: 256, bytesPerBlock: 50, layout: "d(2) + qs[32] + qh[8] uint16 (16 bytes)", notes: "header comment: 1.5625 bpw", verified: true },
  { name: "IQ4_NL", ggmlId: 20, blockSize: 32, bytesPerBlock: 18, layout: "d(2) + qs[16]", notes: "non-linear 4-bit, block 32", verified: true },
  { name: "IQ3_S", ggmlId: 21, blockSize: 256, bytesPerBlock: 110, layout: "d(2) + qs[64] + qh[8] + signs[32] + scales[4]", notes: "header comment: 3.4375 bpw", verified: true },
  { name: "IQ2_S", ggmlId: 22, blockSize: 256, bytesPerBlock: 82, layout: "d(2) + qs[64] + qh[8] + scales[8]", notes: "header comment: 2.5625 bpw", verified: true },
  { name: "IQ4_XS", ggmlId: 23, blockSize: 256, bytesPerBlock: 136, layout: "d(2) + scales_h(uint16,2) + scales_l[4] + qs[128]", notes: "4.25 bpw", verified: true },
  { name: "I8", ggmlId: 24, blockSize: 1, bytesPerBlock: 1, layout: "int8", verified: true },
  { name: "I16", ggmlId: 25, blockSize: 1, bytesPerBlock: 2, layout: "int16", verified: true },
  { name: "I32", ggmlId: 26, blockSize: 1, bytesPerBlock: 4, layout: "int32", verified: true },
  { name: "I64", ggmlId: 27, blockSize: 1, bytesPerBlock: 8, layout: "int64", verified: true },
  { name: "F64", ggmlId: 28, blockSize: 1, bytesPerBlock: 8, layout: "double", verified: true },
  { name: "IQ1_M", ggmlId: 29, blockSize: 256, bytesPerBlock: 56, layout: "qs[32] + qh[16] + scales[8] (no separate d; scale packed in scales)", notes: "header comment: 1.75 bpw", verified: true },
  { name: "BF16", ggmlId: 30, blockSize: 1, bytesPerBlock: 2, layout: "ggml_bf16_t", verified: true },
  { name: "TQ1_0", ggmlId: 34, blockSize: 256, bytesPerBlock: 54, layout: "qs[48] + qh[4] + d(2)", notes: "ternary; header comment 1.6875 bpw", verified: true },
  { name: "TQ2_0", ggmlId: 35, blockSize: 256, bytesPerBlock: 66, layout: "qs[64] + d(2)", notes: "ternary; header comment 2.0625 bpw", verified: true },
  { name: "MXFP4", ggmlId: 39, blockSize: 32, bytesPerBlock: 17, layout: "e (E8M0 scale, 1 byte) + qs[16] (E2M1 nibbles)", notes: "OCP microscaling FP4; used by gpt-oss MoE experts", verified: true },
  { name: "NVFP4", ggmlId: 40, blockSize: 64, bytesPerBlock: 36, layout: "d[4] (UE4M3 scale per 16-elem sub-block) + qs[32] (E2M1 nibbles)", notes: "present in ggml.c type_traits at commit 00bdaa10 (recent master); not in older ggml.h (004eaba8) whose enum ends at MXFP4=39, COUNT=40", verified: true },
  { name: "Q1_0", ggmlId: 41, blockSize: 128, bytesPerBlock: 18, layout: "d(f16,2) + qs[16] (1 bit per weight)", notes: "present in ggml.c type_traits at commit 00bdaa10 (recent master); enum id 41 taken from gguf-py GGML_QUANT_SIZES copies (NVFP4=40, Q1_0=41)", verified: true },
  /**
   * Not in ggml-types.json's verified list (it was seen in one source when that file was made); confirmed since by
   * ggml.h (GGML_TYPE_Q2_0 = 42), ggml.c type_traits and ggml-common.h (block_q2_0, static_assert) at 3f545bec.
   */
  { name: "Q2_0", ggmlId: 42, blockSize: 64, bytesPerBlock: 18, layout: "d(f16,2) + qs[16] (2 bits/elem)", notes: "2-bit codes 0..3 mapped to -1, 0, +1, +2 times d (dequantize_row_q2_0); ggml.h, ggml.c type_traits and ggml-common.h at 3f545bec (2026-08-22); added by llama.cpp PR #24448 (2026-07-07)", verified: true },
];

/** Types of GGML_TYPES that ggml-types.json lists among its unverified_types, confirmed since (see GGML_TYPES_SOURCE). */
export const GGML_TYPES_CONFIRMED_SINCE: readonly string[] = ["Q2_0"];

/**
 * Types seen in only one source (no type_traits entry or enum id confirmed). Kept apart so the engine does not
 * offer them by default; ggmlId is null where unknown.
 */
export const GGML_TYPES_UNVERIFIED: readonly (Omit<GgmlTypeData, 'ggmlId'> & { ggmlId: number | null })[] = [
  { name: "IQ2_NL", ggmlId: null, blockSize: 32, bytesPerBlock: 10, layout: "d(2) + qs[8]", notes: "struct block_iq2_nl defined in ggml-common.h at 01243c58 only (not at 3f545bec); no type_traits entry / enum id seen. Unverified.", verified: false },
  { name: "IQ3_NL", ggmlId: null, blockSize: 32, bytesPerBlock: 14, layout: "d(2) + qh[4] + qs[8]", notes: "struct block_iq3_nl defined in ggml-common.h at 01243c58 only (not at 3f545bec); no type_traits entry / enum id seen. Unverified.", verified: false },
];

/** Enum ids that once existed and are no longer valid in GGUF files. */
export const GGML_REMOVED_TYPE_IDS: readonly { id: number; name: string; status: string }[] = [
  { id: 4, name: "Q4_2", status: "removed (DEPRECATED entry in type_traits, blck_size 0)" },
  { id: 5, name: "Q4_3", status: "removed" },
  { id: 31, name: "Q4_0_4_4", status: "removed from GGUF files; 'use Q4_0 with runtime repacking'" },
  { id: 32, name: "Q4_0_4_8", status: "removed; runtime repacking of Q4_0" },
  { id: 33, name: "Q4_0_8_8", status: "removed; runtime repacking of Q4_0" },
  { id: 36, name: "IQ4_NL_4_4", status: "removed; 'use IQ4_NL with runtime repacking'" },
  { id: 37, name: "IQ4_NL_4_8", status: "removed" },
  { id: 38, name: "IQ4_NL_8_8", status: "removed" },
];
