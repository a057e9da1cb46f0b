import MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';

/** Where a link or image URL written in a memory file points on the site; null: nowhere (only its text is kept). */
export type ResolveUrl = (url: string) => string | null;

export interface RenderOptions {
  /** Maps the URLs the file links to onto the site (a relative link to another memory file → that file's page). */
  resolveUrl?: ResolveUrl;
  /** Leave out the file's first `# ` heading: the page shows it as its own title already. */
  dropTitle?: boolean;
}

interface Env {
  resolveUrl?: ResolveUrl;
  /** For each open link: whether it was dropped (its text is kept). */
  links: boolean[];
  /** Whether the first level-1 heading is still to be left out, and whether it is being left out now. */
  dropTitle?: 'pending' | 'dropping' | 'done';
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
rules.heading_open = (tokens, i, _options, env: Env) => {
  if (env.dropTitle === 'pending' && tokens[i]!.tag === 'h1') {
    env.dropTitle = 'dropping';
    return '';
  }
  return `<${demote(tokens[i]!)}>`;
};
rules.heading_close = (tokens, i, _options, env: Env) => {
  if (env.dropTitle === 'dropping') {
    env.dropTitle = 'done';
    return '';
  }
  return `</${demote(tokens[i]!)}>\n`;
};
// The heading's text goes with it (the inline token between open and close renders through `inline`).
const defaultInline = markdown.renderer.renderInline.bind(markdown.renderer);
markdown.renderer.renderInline = (tokens, options, env: Env) => (env?.dropTitle === 'dropping' ? '' : defaultInline(tokens, options, env));

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
  const env: Env = { links: [], ...(options.resolveUrl ? { resolveUrl: options.resolveUrl } : {}), ...(options.dropTitle ? { dropTitle: 'pending' as const } : {}) };
  return markdown.render(text.replace(FRONTMATTER, ''), env);
}

// A finding's message: core writes it as one line of markdown (`key` for a key, a value or a path,
// **Label:** for a bold label). Only code spans and emphasis are read; raw HTML, links and images stay
// text. Underscores never emphasise: paths such as `__init__.md` or Task_Log_01_02_x.md keep them.
const inline = new MarkdownIt('zero', { html: false, linkify: false, typographer: false }).enable(['backticks', 'emphasis', 'escape']);

/** Splits text into code spans (a run of n backticks up to the next run of exactly n) and the text between. */
function codeSpans(text: string): { code: boolean; text: string }[] {
  const parts: { code: boolean; text: string }[] = [];
  const opener = /`+/g;
  let last = 0;
  for (let m = opener.exec(text); m; m = opener.exec(text)) {
    const closer = new RegExp(`(?<!\`)${m[0]}(?!\`)`, 'g');
    closer.lastIndex = m.index + m[0].length;
    const end = closer.exec(text);
    if (!end) continue; // an unmatched run is literal text
    parts.push({ code: false, text: text.slice(last, m.index) }, { code: true, text: text.slice(m.index, end.index + m[0].length) });
    last = opener.lastIndex = end.index + m[0].length;
  }
  parts.push({ code: false, text: text.slice(last) });
  return parts;
}

/** A finding's message → inline HTML: code spans as <code>, `*` emphasis, everything else escaped text. */
export function renderMessage(message: string): string {
  const source = codeSpans(message.replace(/[\r\n]+/g, ' '))
    .map((p) => (p.code ? p.text : p.text.replace(/[\\_]/g, (c) => `\\${c}`)))
    .join('');
  return inline.renderInline(source);
}
