// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import preact from '@astrojs/preact';
import { unified, rehypeHeadingIds } from '@astrojs/markdown-remark';
import remarkMath from 'remark-math';
import rehypeKatex from 'rehype-katex';
import rehypeAutolinkHeadings from 'rehype-autolink-headings';
import rehypeGlossaryLinks from './src/site/rehype-glossary-links.ts';
import { fileURLToPath } from 'node:url';

/** client:interaction: hydrate an island when the reader reaches for it (src/components/ui/client-interaction.ts). */
const interactionDirective = {
  name: 'client-interaction',
  hooks: {
    'astro:config:setup': ({ addClientDirective }) =>
      addClientDirective({ name: 'interaction', entrypoint: fileURLToPath(new URL('./src/components/ui/client-interaction.ts', import.meta.url)) }),
  },
};

// Astro 7's default Markdown processor (Satteri) runs no remark/rehype plugins, so formulas would stay raw
// `$...$`. The unified processor runs remark-math + rehype-katex at build time for .md and .mdx alike
// (@astrojs/mdx extends the markdown config), so no KaTeX JavaScript ships to the browser.
// Output is MathML only, which current browsers lay out natively: no KaTeX stylesheet and no web fonts. Measured with
// Lighthouse mobile on the formula pages (2026-12-06): LCP 1.21-1.36 s with KaTeX's HTML (its CSS plus 25 KB of fonts
// in the critical path), 0.96-1.17 s with MathML, and fewer DOM nodes to lay out (README, Quality).
const markdownProcessor = unified({
  remarkPlugins: [remarkMath],
  rehypePlugins: [
    // Ids first, so the anchors appended below have something to point at.
    rehypeHeadingIds,
    [rehypeKatex, { output: 'mathml', strict: 'error', throwOnError: true }],
    [
      rehypeAutolinkHeadings,
      {
        behavior: 'append',
        properties: { className: ['heading-anchor'], ariaHidden: 'true', tabIndex: -1 },
        content: { type: 'text', value: '#' },
      },
    ],
    // Last: quantization names link to their glossary entry, never inside headings, links, code blocks or KaTeX.
    rehypeGlossaryLinks,
  ],
});

export default defineConfig({
  site: 'https://llm-memory-guide.example',
  trailingSlash: 'always',
  // The stylesheet (5 KB gzip) is inlined in every page: one request fewer before the first paint. Lighthouse mobile,
  // three runs each on runtimes, trade-offs and a glossary entry (2026-12-06): FCP 70-130 ms and LCP 30-70 ms lower
  // than with the linked file; the cost is those 5 KB on each page instead of once in the cache.
  build: { format: 'directory', inlineStylesheets: 'always' },
  markdown: { processor: markdownProcessor },
  integrations: [mdx(), preact(), interactionDirective],
  devToolbar: { enabled: false },
  // Content Security Policy. Astro hashes every inline <script> and <style> it emits (island hydration, bundled
  // component scripts) and writes a per-page <meta http-equiv="content-security-policy">; no other inline script can
  // run. scripts/csp-headers.mjs copies the same policy into dist/_headers after the build (with frame-ancestors,
  // which browsers ignore in a <meta>). test/e2e/csp.test.ts proves every page works under it.
  security: {
    csp: {
      algorithm: 'SHA-256',
      directives: [
        "default-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        // huggingface.co: the "your model" picker fetches a repo's config.json, safetensors index and file list on
        // demand; it is the site's only request to another host (src/sources/hf-hub.ts).
        "connect-src 'self' https://huggingface.co",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
      ],
      scriptDirective: {
        // 'wasm-unsafe-eval': Pagefind's search runs as WebAssembly, which CSP otherwise blocks. It allows compiling
        // WebAssembly only, not eval() of JavaScript.
        resources: ["'self'", "'wasm-unsafe-eval'"],
      },
      styleDirective: {
        // KaTeX positions glyphs with style="" attributes on thousands of spans (and Shiki, Astro's default code
        // highlighter, colours tokens the same way), which hashes cannot cover. So only attributes get 'unsafe-inline'
        // (style-src-attr); <style> and <link rel=stylesheet> elements stay 'self' plus hashes (style-src-elem).
        // Both kinds are explicit, so Astro does not warn that style-src would not apply to attributes.
        resources: [
          { resource: "'self'", kind: 'element' },
          { resource: "'unsafe-inline'", kind: 'attribute' },
        ],
      },
    },
  },
});
