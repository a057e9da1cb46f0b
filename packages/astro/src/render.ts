import type { Html, Root } from 'mdast';
import rehypeSanitize from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';

/** Raw HTML a memory file holds is shown as code, never run or rendered. */
function htmlAsText() {
  return (tree: Root) => {
    const visit = (node: { type: string; children?: unknown[] }, index: number | undefined, parent: { children: unknown[] } | undefined) => {
      if (node.type === 'html' && parent && index !== undefined) {
        const value = (node as Html).value;
        // Block HTML becomes a code block, inline HTML an inline code span: readable, inert.
        parent.children[index] = parent && (parent as { type?: string }).type === 'root' ? { type: 'code', lang: 'html', value } : { type: 'inlineCode', value };
        return;
      }
      node.children?.forEach((child, i) => visit(child as { type: string; children?: unknown[] }, i, node as { children: unknown[] }));
    };
    visit(tree as unknown as { type: string; children: unknown[] }, undefined, undefined);
  };
}


/** The page has its own H1: the file's headings move one level down (# → h2). */
function demoteHeadings() {
  return (tree: Root) => {
    const visit = (node: { type: string; depth?: number; children?: unknown[] }) => {
      if (node.type === 'heading' && node.depth) node.depth = Math.min(6, node.depth + 1);
      node.children?.forEach((child) => visit(child as { type: string }));
    };
    visit(tree as unknown as { type: string; children: unknown[] });
  };
}

const processor = unified()
  .use(remarkParse)
  .use(remarkFrontmatter, ['yaml', 'toml'])
  .use(remarkGfm)
  .use(htmlAsText)
  .use(demoteHeadings)
  .use(remarkRehype)
  .use(rehypeSanitize) // GitHub's schema: no script, no event handlers, no javascript: URLs
  .use(rehypeStringify)
  .freeze();

/** Markdown of a memory file → safe HTML (frontmatter dropped, raw HTML shown as code, URLs sanitised). */
export function renderMemoryMarkdown(markdown: string): string {
  return String(processor.processSync(markdown));
}
