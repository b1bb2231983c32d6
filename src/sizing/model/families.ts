/**
 * Every architecture family module in families/, gathered at build time (import.meta.glob: Vite and Vitest natively,
 * esbuild through scripts/esbuild-glob.mjs), and looked up by Hugging Face or llama.cpp architecture name.
 */
import type { ArchFamily } from './family.ts';

const MODULES = import.meta.glob<ArchFamily>('./families/*.ts', { eager: true, import: 'default' });

export const FAMILIES: readonly ArchFamily[] = Object.values(MODULES);

const byHf = new Map<string, ArchFamily>();
const byGguf = new Map<string, ArchFamily>();
for (const family of FAMILIES) {
  for (const name of family.architectures) byHf.set(name, family);
  for (const name of family.ggufArchs ?? []) byGguf.set(name, family);
}

export function familyForArchitecture(hfArchitecture: string): ArchFamily | undefined {
  return byHf.get(hfArchitecture);
}

export function familyForGgufArch(ggufArch: string): ArchFamily | undefined {
  return byGguf.get(ggufArch);
}
