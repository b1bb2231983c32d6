/**
 * Find the catalog entry a parsed name refers to. Each catalog entry is described by parsing its own Hugging Face
 * id with the same parser, so both sides are compared in the same terms. Anything that could make the match wrong
 * (no version, parts not understood, a dated re-release) lowers the confidence; a conflict rules the entry out;
 * two entries left over mean no match.
 */
import type { ModelEntry } from '../../data/schema.ts';
import { parseHuggingFaceRepo } from './huggingface.ts';
import type { ModelVariant, ParsedName } from './types.ts';

export type MatchConfidence = 'high' | 'medium' | 'low';

export interface CatalogMatch {
  model: ModelEntry;
  confidence: MatchConfidence;
  reason: string;
}

interface Candidate {
  model: ModelEntry;
  name: ParsedName;
}

/** Instruct, chat and reasoning releases share the shape of their base model; these do not. */
const SHAPE_CHANGING_VARIANTS: ReadonlySet<ModelVariant> = new Set(['coder', 'vision', 'embedding', 'vision-projector']);
/** Size words cover a range; a count from the catalog within this share of the named one is the same model size. */
const PARAMS_TOLERANCE = 0.1;

const described = new WeakMap<readonly ModelEntry[], Candidate[]>();

export function matchCatalogModel(parsed: ParsedName, models: readonly ModelEntry[]): CatalogMatch | null {
  if (!parsed.family) return null;
  const candidates = describe(models).filter((c) => sameLine(parsed, c.name) && variantsCompatible(parsed, c.name));
  const wantedTotal = namedTotal(parsed);
  const sized = candidates.filter((c) => versionCompatible(parsed, c.name) && sizeCompatible(parsed, wantedTotal, c));
  if (sized.length !== 1) return null;
  const only = sized[0] as Candidate;
  return { model: only.model, ...judge(parsed, only, wantedTotal) };
}

function describe(models: readonly ModelEntry[]): Candidate[] {
  let list = described.get(models);
  if (!list) {
    list = models.map((model) => ({ model, name: parseHuggingFaceRepo(model.hfId) }));
    described.set(models, list);
  }
  return list;
}

function sameLine(a: ParsedName, b: ParsedName): boolean {
  if (a.family !== b.family || a.series !== b.series) return false;
  if (a.date !== undefined && b.date !== undefined && a.date !== b.date) return false;
  // A size word names a model ("mini"); a catalog size word is only checked against a count when the name has one.
  return a.sizeClass === undefined || a.sizeClass === b.sizeClass;
}

function variantsCompatible(a: ParsedName, b: ParsedName): boolean {
  const special = (n: ParsedName) => n.variants.filter((v) => SHAPE_CHANGING_VARIANTS.has(v)).sort().join(',');
  return special(a) === special(b);
}

function versionCompatible(a: ParsedName, b: ParsedName): boolean {
  return a.version === undefined || a.version.toLowerCase() === b.version?.toLowerCase();
}

/** The total a name gives, or for a bare Ollama name, what ':latest' pointed to. */
function namedTotal(parsed: ParsedName): number | undefined {
  if (parsed.params?.total !== undefined) return parsed.params.total;
  const latest = parsed.ollama?.latestParamsText;
  return latest ? Number(latest.replace(/b$/i, '')) * 1e9 : undefined;
}

function sizeCompatible(parsed: ParsedName, wantedTotal: number | undefined, c: Candidate): boolean {
  const want = parsed.params;
  const have = c.name.params;
  if (want?.experts) {
    return have?.experts?.count === want.experts.count && have.experts.each === want.experts.each;
  }
  if (want?.active !== undefined && (have?.active ?? c.model.params.active) === undefined) return false;
  if (want?.active !== undefined && have?.active !== undefined && have.active !== want.active) return false;
  if (wantedTotal === undefined) return c.name.sizeClass === undefined || parsed.sizeClass === c.name.sizeClass;
  if (have?.total !== undefined) return have.total === wantedTotal;
  if (have?.experts) return false;
  return Math.abs(c.model.params.total - wantedTotal) <= PARAMS_TOLERANCE * wantedTotal;
}

function judge(parsed: ParsedName, c: Candidate, wantedTotal: number | undefined): { confidence: MatchConfidence; reason: string } {
  const agreed = [`family ${parsed.family}`];
  const caveats: string[] = [];
  let confidence: MatchConfidence = 'high';
  const lower = (to: MatchConfidence) => {
    if (rank(to) < rank(confidence)) confidence = to;
  };

  if (parsed.version !== undefined) agreed.push(`version ${parsed.version}`);
  else if (c.name.version !== undefined) {
    caveats.push(`the name gives no version; the catalog's only match is version ${c.name.version}`);
    lower('low');
  }
  if (parsed.params?.text && parsed.params.total !== undefined) agreed.push(`size ${parsed.params.text}`);
  else if (parsed.params?.experts) agreed.push(`experts ${parsed.params.text}`);
  // "17B-16E" (Llama 4): active parameters and expert count, the whole size statement of such a release.
  else if (parsed.params?.active !== undefined && parsed.params.text) agreed.push(`size ${parsed.params.text}`);
  else if (parsed.ollama?.latestParamsText && wantedTotal !== undefined) {
    caveats.push(`no size in the name; ':latest' was the ${parsed.ollama.latestParamsText} model`);
    lower('medium');
  } else if (c.name.params === undefined && (parsed.version !== undefined || parsed.series !== undefined)) {
    // "DeepSeek-V3" against "deepseek-ai/DeepSeek-V3": a release that comes in one size names none.
    agreed.push('no size in either name');
  } else {
    caveats.push('no size in the name; the catalog has one entry of this line');
    lower('medium');
  }
  if (parsed.params?.active !== undefined) agreed.push('active parameters');
  if (parsed.params?.total !== undefined && c.name.params?.total === undefined) {
    caveats.push(`size compared with the catalog's ${c.model.params.published} (within ${PARAMS_TOLERANCE * 100}%)`);
  }
  const variantNote = variantCaveat(parsed, c);
  if (variantNote) caveats.push(variantNote);
  if (parsed.date !== undefined && c.name.date === undefined) {
    caveats.push(`the ${parsed.date} release is an update of this model; shape normally the same, context may differ`);
    lower('medium');
  }
  if (parsed.context !== undefined && c.name.context !== undefined && parsed.context !== c.name.context) {
    caveats.push(`the name says ${parsed.context} context, the catalog entry is the ${c.name.context} release`);
    lower('low');
  }
  if (parsed.fineTune) {
    caveats.push(`a ${parsed.fineTune} fine-tune: same architecture assumed`);
    lower('medium');
  }
  if (parsed.unknownParts.length > 0) {
    caveats.push(`parts not understood (${parsed.unknownParts.join(', ')}): possibly a fine-tune, same architecture assumed`);
    lower('medium');
  }
  const reason = `${agreed.join(', ')} match ${c.model.name} (${c.model.hfId})${caveats.length ? `; ${caveats.join('; ')}` : ''}.`;
  return { confidence, reason };
}

function variantCaveat(parsed: ParsedName, c: Candidate): string | undefined {
  const want = parsed.variant;
  const have = c.name.variant;
  if (want === undefined || have === undefined || want === have) return undefined;
  return `the catalog entry is the ${have} release; ${want} releases share its shape`;
}

function rank(c: MatchConfidence): number {
  return c === 'high' ? 2 : c === 'medium' ? 1 : 0;
}
