/**
 * The glossary auto-linker (src/site/rehype-glossary-links.ts) on small hast trees: which names become terms, the
 * first occurrence per section, inline code, and the places it must never touch (links, headings, <pre>, KaTeX,
 * MDX components, the entry's own page).
 */
import { describe, expect, test } from 'vitest';
import rehypeGlossaryLinks, {
  glossaryTerms,
  linkGlossaryTerms,
  ownEntryId,
  readGlossarySources,
  type GlossarySource,
} from '../../src/site/rehype-glossary-links';

interface N {
  type: string;
  tagName?: string;
  name?: string;
  value?: string;
  properties?: Record<string, unknown>;
  children?: N[];
}

const text = (value: string): N => ({ type: 'text', value });
const h = (tagName: string, properties: Record<string, unknown>, ...children: (N | string)[]): N => ({
  type: 'element',
  tagName,
  properties,
  children: children.map((c) => (typeof c === 'string' ? text(c) : c)),
});
const root = (...children: N[]): N => ({ type: 'root', children });

/** A minimal serializer: enough to compare trees as HTML. */
function html(node: N): string {
  if (node.type === 'text') return node.value ?? '';
  const inner = (node.children ?? []).map(html).join('');
  if (node.type === 'root') return inner;
  if (node.type === 'element') {
    const attrs = Object.entries(node.properties ?? {})
      .map(([k, v]) => ` ${k === 'className' ? 'class' : k}="${Array.isArray(v) ? v.join(' ') : String(v)}"`)
      .join('');
    return `<${node.tagName}${attrs}>${inner}</${node.tagName}>`;
  }
  return `<${node.type}:${node.name ?? ''}>${inner}</${node.type}:${node.name ?? ''}>`;
}

const ENTRIES: GlossarySource[] = [
  { id: 'q4-k-m', name: 'Q4_K_M', aliases: ['q4_k_m', 'MOSTLY_Q4_K_M', '4-bit GGUF'] },
  { id: 'q8-0', name: 'Q8_0', aliases: ['q8_0', 'q8'] },
  { id: 'iq4-xs', name: 'IQ4_XS', aliases: ['iq4_xs'] },
  { id: 'awq', name: 'AWQ', aliases: ['awq', 'AutoAWQ'] },
  { id: 'fp8-e4m3', name: 'FP8 E4M3', aliases: ['fp8', 'e4m3'] },
  { id: 'fp8-e5m2', name: 'FP8 E5M2', aliases: ['e5m2', 'fp8_e5m2'] },
  { id: 'fp4', name: 'FP4 (bitsandbytes)', aliases: ['FP4', 'bnb fp4'] },
  { id: 'qat', name: 'QAT (quantization-aware training)', aliases: ['qat'] },
  { id: '4-bit', name: '4-bit', aliases: ['4 bit', 'int4'] },
  { id: 'llm-int8', name: 'LLM.int8()', aliases: ['llm.int8'] },
  { id: 'xl-recipes', name: '_XL and _L (uploader recipes)', aliases: ['_XL', 'XL', 'Q4_K_XL'] },
  { id: 'ud', name: 'UD- (Unsloth Dynamic quants)', aliases: ['UD-', 'UD', 'UD-Q4_K_XL'] },
  // Two entries claiming one alias: neither gets it.
  { id: 'a', name: 'Alpha', aliases: ['ZZ9'] },
  { id: 'b', name: 'Beta', aliases: ['ZZ9'] },
];
const TERMS = glossaryTerms(ENTRIES);
const termOf = (t: string) => TERMS.find((x) => x.term === t)?.id;

function link(tree: N, ownId: string | null = null): string {
  linkGlossaryTerms(tree, TERMS, ownId);
  return html(tree);
}
const a = (id: string, label: string) => `<a href="/glossary/${id}/" class="glossary-link">${label}</a>`;

describe('terms from the glossary frontmatter', () => {
  test('names, capitalised aliases and upper-cased lowercase aliases with a digit', () => {
    expect(termOf('Q4_K_M')).toBe('q4-k-m');
    expect(termOf('MOSTLY_Q4_K_M')).toBe('q4-k-m');
    expect(termOf('Q8')).toBe('q8-0');
    expect(termOf('FP8')).toBe('fp8-e4m3');
    expect(termOf('FP8 E4M3')).toBe('fp8-e4m3');
    expect(termOf('E5M2')).toBe('fp8-e5m2');
    expect(termOf('AWQ')).toBe('awq');
    expect(termOf('QAT')).toBe('qat');
    expect(termOf('LLM.int8()')).toBe('llm-int8');
    expect(termOf('INT4')).toBe('4-bit');
    expect(termOf('UD-Q4_K_XL')).toBe('ud');
  });

  test('plain words, lowercase forms, short suffixes, ambiguous and listed names are not terms', () => {
    for (const t of ['4-bit', 'q4_k_m', 'awq', 'AutoAWQ', 'XL', '_XL', 'UD', 'UD-', 'FP4', 'ZZ9', 'Alpha', 'bnb fp4', '4-bit GGUF']) {
      expect(termOf(t), t).toBeUndefined();
    }
  });

  test('longest first, so a longer name wins over its prefix', () => {
    expect(TERMS.findIndex((t) => t.term === 'FP8 E4M3')).toBeLessThan(TERMS.findIndex((t) => t.term === 'FP8'));
  });

  test('the real glossary gives the names the guide uses', () => {
    const real = glossaryTerms(readGlossarySources('content/glossary'));
    const id = (t: string) => real.find((x) => x.term === t)?.id;
    expect(id('Q4_K_M')).toBe('q4-k-m');
    expect(id('IQ4_XS')).toBe('iq4-xs');
    expect(id('Q8_0')).toBe('q8-0');
    expect(id('AWQ')).toBe('awq');
    expect(id('GPTQ')).toBe('gptq');
    expect(id('NF4')).toBe('nf4');
    expect(id('FP8')).toBe('fp8-e4m3');
    expect(id('MXFP4')).toBe('mxfp4');
    expect(id('MXFP4_MOE')).toBe('mxfp4-moe');
    expect(id('FP4')).toBeUndefined();
    // Every term points at an entry that exists, and no term is claimed twice.
    const ids = new Set(readGlossarySources('content/glossary').map((e) => e.id));
    for (const t of real) expect(ids.has(t.id), t.term).toBe(true);
    expect(new Set(real.map((t) => t.term)).size).toBe(real.length);
  });
});

describe('linking', () => {
  test('the first occurrence in text, once per entry', () => {
    const tree = root(h('p', {}, 'Take Q4_K_M, or Q8_0; Q4_K_M again.'));
    expect(link(tree)).toBe(`<p>Take ${a('q4-k-m', 'Q4_K_M')}, or ${a('q8-0', 'Q8_0')}; Q4_K_M again.</p>`);
  });

  test('once per section: a new h2 links again, an h3 does not', () => {
    const tree = root(
      h('p', {}, 'Q4_K_M here.'),
      h('h3', {}, 'Sub'),
      h('p', {}, 'Q4_K_M not again.'),
      h('h2', { id: 'next' }, 'Next'),
      h('p', {}, 'Q4_K_M again.'),
    );
    expect(link(tree)).toBe(
      `<p>${a('q4-k-m', 'Q4_K_M')} here.</p><h3>Sub</h3><p>Q4_K_M not again.</p><h2 id="next">Next</h2><p>${a('q4-k-m', 'Q4_K_M')} again.</p>`,
    );
  });

  test('another name of the same entry counts as the same entry', () => {
    expect(link(root(h('p', {}, 'MOSTLY_Q4_K_M is Q4_K_M.')))).toBe(`<p>${a('q4-k-m', 'MOSTLY_Q4_K_M')} is Q4_K_M.</p>`);
  });

  test('whole words only: not inside file names, longer identifiers or other case', () => {
    const tree = root(h('p', {}, 'model-Q4_K_M.gguf, Q4_K_MX, XQ8_0, q4_k_m, Q8_0s and Q4_K_M.'));
    expect(link(tree)).toBe(`<p>model-Q4_K_M.gguf, Q4_K_MX, XQ8_0, q4_k_m, Q8_0s and ${a('q4-k-m', 'Q4_K_M')}.</p>`);
  });

  test('the longest name wins: FP8 E4M3 and UD-Q4_K_XL', () => {
    expect(link(root(h('p', {}, 'An FP8 E4M3 scale, UD-Q4_K_XL.')))).toBe(`<p>An ${a('fp8-e4m3', 'FP8 E4M3')} scale, ${a('ud', 'UD-Q4_K_XL')}.</p>`);
  });

  test('names with dots and brackets: LLM.int8()', () => {
    expect(link(root(h('p', {}, 'See LLM.int8() here.')))).toBe(`<p>See ${a('llm-int8', 'LLM.int8()')} here.</p>`);
  });

  test('inline code that is exactly a term is wrapped; other code is left alone', () => {
    const tree = root(h('p', {}, h('code', {}, 'Q4_K_M'), ' and ', h('code', {}, '-ctk Q8_0'), ' and ', h('code', {}, 'IQ4_XS')));
    expect(link(tree)).toBe(`<p>${a('q4-k-m', '<code>Q4_K_M</code>')} and <code>-ctk Q8_0</code> and ${a('iq4-xs', '<code>IQ4_XS</code>')}</p>`);
  });

  test('never inside links, headings, <pre>, KaTeX, MathML, summary or opted-out elements', () => {
    const before = [
      h('p', {}, h('a', { href: '/x/' }, 'Q4_K_M in a link')),
      h('h2', {}, 'AWQ in a heading'),
      h('pre', {}, h('code', {}, 'Q8_0 in a block')),
      h('p', {}, h('span', { className: ['katex'] }, h('span', {}, 'IQ4_XS in KaTeX'))),
      h('p', {}, h('math', {}, h('mi', {}, 'FP8'))),
      h('details', {}, h('summary', {}, 'E5M2 in a summary')),
      h('p', { className: ['no-glossary-links'] }, 'QAT opted out'),
    ];
    const expected = before.map(html).join('');
    expect(link(root(...before))).toBe(expected);
  });

  test('an entry linked by hand in a section is not linked again there, even after the text', () => {
    const tree = root(h('p', {}, 'Q4_K_M first, then ', h('a', { href: '/glossary/q4-k-m/' }, 'the entry'), '.'));
    expect(link(tree)).toBe('<p>Q4_K_M first, then <a href="/glossary/q4-k-m/">the entry</a>.</p>');
  });

  test('MDX: lowercase JSX elements are entered, components are not', () => {
    const tree = root(
      { type: 'mdxJsxFlowElement', name: 'td', children: [text('Q8_0 in a cell')] },
      { type: 'mdxJsxFlowElement', name: 'Calculator', children: [text('AWQ in a component')] },
      { type: 'mdxTextExpression', value: 'gib(q8)' },
    );
    expect(link(tree)).toBe(
      `<mdxJsxFlowElement:td>${a('q8-0', 'Q8_0')} in a cell</mdxJsxFlowElement:td><mdxJsxFlowElement:Calculator>AWQ in a component</mdxJsxFlowElement:Calculator><mdxTextExpression:></mdxTextExpression:>`,
    );
  });

  test("an entry's own page links other entries, never itself", () => {
    expect(link(root(h('p', {}, 'Q4_K_M beats Q8_0 on size.')), 'q4-k-m')).toBe(`<p>Q4_K_M beats ${a('q8-0', 'Q8_0')} on size.</p>`);
    expect(ownEntryId('clone/content/glossary/q4-k-m.mdx')).toBe('q4-k-m');
    expect(ownEntryId('C:\\site\\content\\glossary\\awq.mdx')).toBe('awq');
    expect(ownEntryId('clone/content/guide/weights.mdx')).toBeNull();
    expect(ownEntryId(undefined)).toBeNull();
  });

  test('as a rehype plugin, with the file path naming the page', () => {
    const tree = root(h('p', {}, 'AWQ and Q4_K_M.'));
    rehypeGlossaryLinks({ terms: TERMS })(tree, { path: 'clone/content/glossary/awq.mdx' });
    expect(html(tree)).toBe(`<p>AWQ and ${a('q4-k-m', 'Q4_K_M')}.</p>`);
  });

  test('a tree with no text, and no terms at all, are left as they are', () => {
    const empty = root();
    linkGlossaryTerms(empty, TERMS);
    expect(empty.children).toEqual([]);
    const tree = root(h('p', {}, 'Q4_K_M'));
    linkGlossaryTerms(tree, []);
    expect(html(tree)).toBe('<p>Q4_K_M</p>');
  });
});
