import MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';

/** Where a link or image URL written in a memory file points on the site; null: nowhere (only its text is kept). */
export type ResolveUrl = (url: string) => string | null;

export interface RenderOptions {
  /** Maps the URLs the file links to onto the site (a relative link to another memory file → that file's page). */
  resolveUrl?: ResolveUrl;
}

interface Env {
  resolveUrl?: ResolveUrl;
  /** For each open link: whether it was dropped (its text is kept). */
  links: boolean[];
}

// markdown-it: linear time on any input, and safe by construction here: raw HTML is escaped (and
// shown as code), and its link check refuses javascript:, vbscript:, file: and most data: URLs.
const markdown = new MarkdownIt('default', { html: true, linkify: false, typographer: false });
const { escapeHtml } = markdown.utils;
const rules = markdown.renderer.rules;

// Raw HTML in a memory file is shown as code, never rendered or run.
rules.html_block = (tokens, i) => `<pre><code class="language-html">${escapeHtml(tokens[i]!.content)}</code></pre>\n`;
rules.html_inline = (tokens, i) => `<code>${escapeHtml(tokens[i]!.content)}</code>`;

// The page has its own H1: the file's headings move one level down (# → h2).
const demote = (token: Token) => `h${Math.min(6, Number(token.tag.slice(1)) + 1)}`;
rules.heading_open = (tokens, i) => `<${demote(tokens[i]!)}>`;
rules.heading_close = (tokens, i) => `</${demote(tokens[i]!)}>\n`;

// Links and images take the URL the site gives them; a link to nowhere keeps its text, an image its alt.
rules.link_open = (tokens, i, options, env: Env, self) => {
  const token = tokens[i]!;
  const href = token.attrGet('href') ?? '';
  const url = env.resolveUrl ? env.resolveUrl(href) : href;
  env.links.push(url === null);
  if (url === null) return '';
  token.attrSet('href', url);
  return self.renderToken(tokens, i, options);
};
rules.link_close = (tokens, i, options, env: Env, self) => (env.links.pop() ? '' : self.renderToken(tokens, i, options));
const defaultImage = rules.image!;
rules.image = (tokens, i, options, env: Env, self) => {
  const token = tokens[i]!;
  const url = env.resolveUrl ? env.resolveUrl(token.attrGet('src') ?? '') : token.attrGet('src');
  if (url === null) return escapeHtml(self.renderInlineAsText(token.children ?? [], options, env));
  token.attrSet('src', url);
  return defaultImage(tokens, i, options, env, self);
};

const FRONTMATTER = /^\uFEFF?(?:---|\+\+\+)[ \t]*\r?\n[\s\S]*?\r?\n(?:---|\.\.\.|\+\+\+)[ \t]*(?:\r?\n|$)/;

/** Markdown of a memory file → safe HTML (frontmatter dropped, raw HTML shown as code, URLs resolved and checked). */
export function renderMemoryMarkdown(text: string, options: RenderOptions = {}): string {
  const env: Env = { links: [], ...(options.resolveUrl ? { resolveUrl: options.resolveUrl } : {}) };
  return markdown.render(text.replace(FRONTMATTER, ''), env);
}
