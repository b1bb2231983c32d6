// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import preact from '@astrojs/preact';
import { unified, rehypeHeadingIds } from '@astrojs/markdown-remark';
import remarkMath from 'remark-math';
import rehypeKatex from 'rehype-katex';
import rehypeAutolinkHeadings from 'rehype-autolink-headings';

// Astro 7's default Markdown processor (Satteri) runs no remark/rehype plugins, so formulas would stay raw
// `$...$`. The unified processor runs remark-math + rehype-katex at build time for .md and .mdx alike
// (@astrojs/mdx extends the markdown config), so no KaTeX JavaScript ships to the browser.
const markdownProcessor = unified({
  remarkPlugins: [remarkMath],
  rehypePlugins: [
    // Ids first, so the anchors appended below have something to point at.
    rehypeHeadingIds,
    [rehypeKatex, { output: 'htmlAndMathml', strict: 'error', throwOnError: true }],
    [
      rehypeAutolinkHeadings,
      {
        behavior: 'append',
        properties: { className: ['heading-anchor'], ariaHidden: 'true', tabIndex: -1 },
        content: { type: 'text', value: '#' },
      },
    ],
  ],
});

export default defineConfig({
  site: 'https://llm-memory-guide.example',
  trailingSlash: 'always',
  build: { format: 'directory' },
  markdown: { processor: markdownProcessor },
  integrations: [mdx(), preact()],
  devToolbar: { enabled: false },
});
