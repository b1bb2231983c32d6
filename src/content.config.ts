import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { z } from 'astro/zod';

/** A chapter of the guide. `order` places it in the sidebar and in the previous/next chain. */
const guide = defineCollection({
  loader: glob({ pattern: '**/*.mdx', base: './content/guide' }),
  schema: z.object({
    title: z.string().min(3),
    description: z.string().min(20).max(200),
    order: z.number().int().nonnegative(),
    /** Short label for the sidebar, when the title is long. */
    sidebarLabel: z.string().optional(),
  }),
});

const source = z.object({ title: z.string(), url: z.string().url().optional() });

/**
 * One quantization type (or naming part) per entry. Bits per weight are never typed here: `format` is the key
 * by which src/sizing computes them (see src/sizing/memory/format-bits.ts), so the glossary and the engine cannot disagree.
 */
const glossary = defineCollection({
  loader: glob({ pattern: '**/*.mdx', base: './content/glossary' }),
  schema: z.object({
    name: z.string(),
    aliases: z.array(z.string()).min(1),
    family: z.enum([
      'float',
      'legacy',
      'k-quant',
      'i-quant',
      'ternary',
      'microscaling',
      'gpu-int',
      'gpu-float',
      'bitsandbytes',
      'naming',
      'kv-cache',
      'method',
    ]),
    kind: z.enum(['tensor-type', 'file-type', 'format', 'naming', 'kv-cache', 'method']),
    format: z
      .string()
      .regex(/^(ggml|ftype|gpu|kv):[A-Za-z0-9_.-]+$/)
      .nullable(),
    runtimes: z.array(z.string()),
    calibration: z.enum(['none', 'optional', 'required']),
    summary: z.string().min(10),
    related: z.array(z.string()).default([]),
    fitQuant: z.string().nullable().default(null),
    quality: z
      .array(
        z.object({
          metric: z.string(),
          value: z.string(),
          model: z.string(),
          source: z.string(),
          url: z.string().url().optional(),
        }),
      )
      .default([]),
    sources: z.array(source).default([]),
  }),
});

export const collections = { guide, glossary };
