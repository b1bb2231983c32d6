/**
 * Build time, in the Markdown pipeline (astro.config.mjs): links every quantization name in the prose (Q4_K_M,
 * IQ4_XS, Q8_0, AWQ, GPTQ, NF4, FP8, MXFP4 ...) to its glossary entry, so no chapter has to link them by hand.
 *
 * The terms come from the glossary entries' frontmatter (content/glossary/*.mdx, the collection src/site/glossary.ts
 * reads), by these rules (glossaryTerms):
 *   - an entry's name, less a trailing qualifier in parentheses ("QAT (quantization-aware training)" gives QAT);
 *   - its aliases, and a one-word lowercase alias with a digit in upper case too ("fp8" gives FP8, "q8_0" Q8_0);
 *   - of those, only what looks like a quantization name: words that begin with capitals and digits, a capital
 *     among them ("Q4_K_M", "FP8 E4M3", "GPTQ-Int4", "LLM.int8()"; not "4-bit" nor "4-bit GGUF"), with a digit
 *     somewhere, or a single all-capital word of 3 letters or more (AWQ);
 *   - a term two entries claim goes to the entry whose name it is, or to none; NOT_LINKED lists the names too
 *     general to mean one entry.
 * Matching is case-sensitive and whole-word: "Q4_K_M" links, "model-Q4_K_M.gguf" and "q4_k_m" do not.
 *
 * Where (linkGlossaryTerms):
 *   - the first occurrence of each entry per section (a section begins at each h1 or h2), in text, and in inline
 *     <code> whose whole text is a term (`Q4_K_M`, not `-ctk q8_0`); an entry already linked by hand in the
 *     section is not linked again;
 *   - never inside a link, a heading, <pre>, KaTeX or MathML, a form control, <summary>, an MDX component (its
 *     children may land anywhere) or an element with the class no-glossary-links;
 *   - never on the glossary entry's own page (content/glossary/<id>.mdx links other entries, never itself).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseFrontmatter } from '@astrojs/markdown-remark';

export interface GlossarySource {
  /** The collection id: the file name without .mdx, as the glossary pages use it in /glossary/<id>/. */
  id: string;
  name: string;
  aliases: readonly string[];
}

export interface GlossaryTerm {
  term: string;
  id: string;
  href: string;
}

export interface GlossaryLinkOptions {
  /** The terms; default: read from content/glossary/*.mdx once per process. */
  terms?: readonly GlossaryTerm[];
}

/** Names that are not one entry's: bare FP4 is the E2M1 element of MXFP4 and NVFP4 as much as bitsandbytes' FP4. */
export const NOT_LINKED: ReadonlySet<string> = new Set(['FP4']);

const WORD = /^[A-Z0-9]*[A-Z][A-Z0-9]*(?:[._-][A-Za-z0-9]+)*(?:\(\))?$/;
const ACRONYM = /^[A-Z]{3,}$/;

/** A string that names a quantization type as the prose writes it. */
function isTermLike(s: string): boolean {
  const words = s.split(' ');
  if (!words.every((w) => WORD.test(w))) return false;
  if (!/[A-Z]/.test(s)) return false;
  return /[0-9]/.test(s) || (words.length === 1 && ACRONYM.test(s));
}

function candidates(name: string, aliases: readonly string[]): { name: string[]; alias: string[] } {
  const bare = name.replace(/\s+\([^()]*\)$/, '').trim();
  const alias: string[] = [];
  for (const a of aliases) {
    alias.push(a);
    if (/^[a-z0-9_.-]+$/.test(a) && /[0-9]/.test(a)) alias.push(a.toUpperCase());
  }
  return { name: [bare].filter(isTermLike), alias: alias.filter(isTermLike) };
}

export const glossaryHref = (id: string) => `/glossary/${id}/`;

/** The terms of the glossary entries, by the rules above, longest first. */
export function glossaryTerms(entries: readonly GlossarySource[]): GlossaryTerm[] {
  const byName = new Map<string, Set<string>>();
  const byAlias = new Map<string, Set<string>>();
  const add = (map: Map<string, Set<string>>, term: string, id: string) => {
    if (NOT_LINKED.has(term)) return;
    const set = map.get(term) ?? new Set<string>();
    set.add(id);
    map.set(term, set);
  };
  for (const e of entries) {
    const c = candidates(e.name, e.aliases);
    for (const t of c.name) add(byName, t, e.id);
    for (const t of c.alias) add(byAlias, t, e.id);
  }
  const terms: GlossaryTerm[] = [];
  for (const term of new Set([...byName.keys(), ...byAlias.keys()])) {
    const named = byName.get(term);
    const ids = named ?? byAlias.get(term) ?? new Set<string>();
    const [id] = [...ids];
    if (ids.size === 1 && id !== undefined) terms.push({ term, id, href: glossaryHref(id) });
  }
  return terms.sort((a, b) => b.term.length - a.term.length || a.term.localeCompare(b.term));
}

/** The glossary entries as written in content/glossary/*.mdx (name and aliases from the frontmatter). */
export function readGlossarySources(dir: string): GlossarySource[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.mdx') || f.endsWith('.md'))
    .sort()
    .map((f) => {
      const { frontmatter } = parseFrontmatter(readFileSync(`${dir}/${f}`, 'utf8'));
      const name: unknown = frontmatter['name'];
      const aliases: unknown = frontmatter['aliases'];
      if (typeof name !== 'string') throw new Error(`glossary/${f}: no name in the frontmatter`);
      return {
        id: f.replace(/\.mdx?$/, ''),
        name,
        aliases: Array.isArray(aliases) ? aliases.filter((a): a is string => typeof a === 'string') : [],
      };
    });
}

// ---- the tree ----------------------------------------------------------------------------------------------------

/** The hast nodes this plugin reads or writes, and the MDX nodes it steps over (kept structural on purpose). */
interface HNode {
  type: string;
  tagName?: string;
  name?: string | null;
  value?: string;
  properties?: Record<string, unknown>;
  children?: HNode[];
}

const SKIP_TAGS = new Set([
  'a',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'pre',
  'math',
  'svg',
  'script',
  'style',
  'button',
  'label',
  'select',
  'option',
  'textarea',
  'output',
  'summary',
  'kbd',
  'samp',
  'var',
  'dfn',
  'abbr',
  'title',
]);
const SKIP_CLASSES = ['katex', 'katex-display', 'katex-mathml', 'katex-html', 'math-inline', 'math-display', 'language-math', 'no-glossary-links'];
const SECTION_TAGS = new Set(['h1', 'h2']);
const MDX_ELEMENTS = new Set(['mdxJsxFlowElement', 'mdxJsxTextElement']);

function classesOf(node: HNode): string[] {
  const c = node.properties?.['className'] ?? node.properties?.['class'];
  if (Array.isArray(c)) return c.map(String);
  return typeof c === 'string' ? c.split(/\s+/) : [];
}

/** The element's tag, for hast elements and for lowercase MDX JSX elements (<td>, <div> written in MDX). */
function tagOf(node: HNode): string | null {
  if (node.type === 'element') return node.tagName ?? null;
  if (MDX_ELEMENTS.has(node.type)) return node.name ?? '';
  return null;
}

function skipped(node: HNode): boolean {
  const tag = tagOf(node);
  if (tag === null) return false;
  // An MDX component (<Src />, an island) renders its children where it likes: leave them alone.
  if (MDX_ELEMENTS.has(node.type) && !/^[a-z][a-z0-9]*$/.test(tag)) return true;
  if (SKIP_TAGS.has(tag)) return true;
  return classesOf(node).some((c) => SKIP_CLASSES.includes(c));
}

function hrefOf(node: HNode): string | null {
  if (tagOf(node) !== 'a') return null;
  if (node.type === 'element') {
    const h = node.properties?.['href'];
    return typeof h === 'string' ? h : null;
  }
  return null;
}

const textOf = (node: HNode): string => (node.type === 'text' ? (node.value ?? '') : (node.children ?? []).map(textOf).join(''));

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function matcher(terms: readonly GlossaryTerm[]): RegExp {
  // Longest first, so "FP8 E4M3" wins over FP8 and "UD-Q4_K_XL" over Q4_K_XL. Whole words: not inside a file name
  // (model-Q4_K_M.gguf) nor a longer identifier.
  const alternation = terms.map((t) => escape(t.term)).join('|');
  return new RegExp(`(?<![A-Za-z0-9_.-])(?:${alternation})(?![A-Za-z0-9_]|[.-][A-Za-z0-9])`, 'g');
}

interface Walk {
  section: number;
  /** Per section: the entries already linked (by hand, found in the first pass, or by this plugin). */
  linked: Map<number, Set<string>>;
}

function linkedIn(walk: Walk): Set<string> {
  let set = walk.linked.get(walk.section);
  if (!set) {
    set = new Set();
    walk.linked.set(walk.section, set);
  }
  return set;
}

/** First pass: the glossary entries each section already links to by hand. Counts sections as the second pass does. */
function collectLinks(node: HNode, walk: Walk, idByHref: Map<string, string>): void {
  for (const child of node.children ?? []) {
    const tag = tagOf(child);
    if (tag !== null && SECTION_TAGS.has(tag)) walk.section++;
    const href = hrefOf(child);
    const id = href === null ? undefined : idByHref.get(href.replace(/[?#].*$/, '').replace(/\/?$/, '/'));
    if (id !== undefined) linkedIn(walk).add(id);
    if (!skipped(child)) collectLinks(child, walk, idByHref);
  }
}

function linkElement(href: string, children: HNode[]): HNode {
  return { type: 'element', tagName: 'a', properties: { href, className: ['glossary-link'] }, children };
}

/** Splits a text node around the first not-yet-linked occurrence of each entry; returns the replacement nodes. */
function linkText(value: string, re: RegExp, byTerm: Map<string, GlossaryTerm>, done: Set<string>): HNode[] | null {
  const out: HNode[] = [];
  let last = 0;
  re.lastIndex = 0;
  for (let m = re.exec(value); m !== null; m = re.exec(value)) {
    const t = byTerm.get(m[0]);
    if (!t || done.has(t.id)) continue;
    done.add(t.id);
    if (m.index > last) out.push({ type: 'text', value: value.slice(last, m.index) });
    out.push(linkElement(t.href, [{ type: 'text', value: m[0] }]));
    last = m.index + m[0].length;
  }
  if (last === 0) return null;
  if (last < value.length) out.push({ type: 'text', value: value.slice(last) });
  return out;
}

function linkChildren(node: HNode, walk: Walk, re: RegExp, byTerm: Map<string, GlossaryTerm>): void {
  const children = node.children;
  if (!children) return;
  const next: HNode[] = [];
  for (const child of children) {
    const tag = tagOf(child);
    if (tag !== null && SECTION_TAGS.has(tag)) walk.section++;
    if (child.type === 'text') {
      next.push(...(linkText(child.value ?? '', re, byTerm, linkedIn(walk)) ?? [child]));
      continue;
    }
    if (skipped(child)) {
      next.push(child);
      continue;
    }
    if (tag === 'code') {
      // Inline code (code inside <pre> never gets here): linked when it is exactly a term.
      const t = byTerm.get(textOf(child).trim());
      const done = linkedIn(walk);
      if (t && !done.has(t.id)) {
        done.add(t.id);
        next.push(linkElement(t.href, [child]));
      } else next.push(child);
      continue;
    }
    linkChildren(child, walk, re, byTerm);
    next.push(child);
  }
  node.children = next;
}

/** Links the glossary terms in a hast tree in place. `ownId`: the glossary entry whose page this is, never linked. */
export function linkGlossaryTerms(tree: HNode, allTerms: readonly GlossaryTerm[], ownId: string | null = null): void {
  const terms = allTerms.filter((t) => t.id !== ownId);
  if (terms.length === 0) return;
  const idByHref = new Map(terms.map((t) => [t.href, t.id]));
  const byTerm = new Map(terms.map((t) => [t.term, t]));
  const first: Walk = { section: 0, linked: new Map() };
  collectLinks(tree, first, idByHref);
  linkChildren(tree, { section: 0, linked: first.linked }, matcher(terms), byTerm);
}

/** The glossary entry whose own source file this is (content/glossary/<id>.mdx), or null. */
export function ownEntryId(path: string | undefined): string | null {
  const m = path?.replace(/\\/g, '/').match(/\/content\/glossary\/([^/]+)\.mdx?$/);
  return m?.[1] ?? null;
}

let cached: GlossaryTerm[] | null = null;
function defaultTerms(): GlossaryTerm[] {
  cached ??= glossaryTerms(readGlossarySources(fileURLToPath(new URL('../../content/glossary', import.meta.url))));
  return cached;
}

/** The rehype plugin: `rehypePlugins: [rehypeGlossaryLinks]`. */
export default function rehypeGlossaryLinks(options: GlossaryLinkOptions = {}) {
  return (tree: unknown, file: { path?: string; history?: string[] }) => {
    const terms = options.terms ?? defaultTerms();
    linkGlossaryTerms(tree as HNode, terms, ownEntryId(file.path ?? file.history?.at(-1)));
  };
}
