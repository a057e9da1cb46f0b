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

/** Where a link or image URL written in a memory file points on the site; null: nowhere (only its text is kept). */
export type ResolveUrl = (url: string) => string | null;

/** Links, images and link definitions take the URL `resolveUrl` gives; a link to nowhere keeps its text, an image its alt. */
function rewriteUrls(resolveUrl?: ResolveUrl) {
  return (tree: Root) => {
    if (!resolveUrl) return;
    type Node = { type: string; url?: string; alt?: string | null; children?: Node[] };
    const visit = (node: Node): Node[] => {
      if (node.children) node.children = node.children.flatMap(visit);
      if ((node.type === 'link' || node.type === 'image' || node.type === 'definition') && typeof node.url === 'string') {
        const url = resolveUrl(node.url);
        if (url !== null) {
          node.url = url;
          return [node];
        }
        if (node.type === 'link') return node.children ?? [];
        if (node.type === 'image') return node.alt ? [{ type: 'text', value: node.alt } as Node] : [];
        return []; // a definition: its references are shown as written
      }
      return [node];
    };
    visit(tree as unknown as Node);
  };
}

const build = (resolveUrl?: ResolveUrl) =>
  unified()
    .use(remarkParse)
    .use(remarkFrontmatter, ['yaml', 'toml'])
    .use(remarkGfm)
    .use(htmlAsText)
    .use(demoteHeadings)
    .use(rewriteUrls, resolveUrl)
    .use(remarkRehype)
    .use(rehypeSanitize) // GitHub's schema: no script, no event handlers, no javascript: URLs
    .use(rehypeStringify)
    .freeze();

const processor = build();

export interface RenderOptions {
  /** Maps the URLs the file links to onto the site (a relative link to another memory file → that file's page). */
  resolveUrl?: ResolveUrl;
}

/** Markdown of a memory file → safe HTML (frontmatter dropped, raw HTML shown as code, URLs resolved and sanitised). */
export function renderMemoryMarkdown(markdown: string, options: RenderOptions = {}): string {
  return String((options.resolveUrl ? build(options.resolveUrl) : processor).processSync(markdown));
}
