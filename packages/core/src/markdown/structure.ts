import MarkdownIt from 'markdown-it';
import type { Range, SourceText } from '../text/source-text.ts';

export interface Heading {
  depth: number;
  /** The heading's plain text (markup removed, trimmed). */
  text: string;
  range: Range;
  /** Range of the heading's text (after the `#` marks). */
  textRange: Range;
}

/** A heading with the content that belongs to it (up to the next heading of the same or a higher level). */
export interface Section {
  heading: Heading;
  /** From the heading's start to the end of its content. */
  range: Range;
  /** Offsets of the content below the heading. */
  contentStart: number;
  contentEnd: number;
}

/** A bold label and its value on one line: `**Current Stage:** Stage 2 - Billing`. */
export interface Field {
  label: string;
  value: string;
  /** The whole line's range (bullet excluded). */
  range: Range;
  labelRange: Range;
  valueRange: Range;
  /** Index into `sections` of the section holding the field, -1 before the first heading. */
  section: number;
  /** Whether the colon sat inside the bold (`**Label:**`) or after it (`**Label**:`). */
  colon: 'inside' | 'outside' | 'none';
}

export interface CodeBlock {
  lang: string | null;
  meta: string | null;
  value: string;
  range: Range;
  /** Offsets of the block's raw source (fences included). */
  start: number;
  end: number;
}

export interface MarkdownStructure {
  headings: Heading[];
  sections: Section[];
  fields: Field[];
  codeBlocks: CodeBlock[];
  /** Offsets where `---` thematic breaks start. */
  breaks: number[];
  /** Offsets of every paragraph (code blocks and HTML excluded). */
  paragraphs: { start: number; end: number }[];
}

// CommonMark, as remark reads it; markdown-it because it parses in linear time (micromark can go
// quadratic on long runs of lists and paragraphs) and never recurses deeply. Only block tokens are
// used: inline parsing (links, emphasis) is off, which also keeps long runs of `[` or `*` linear.
const markdown = new MarkdownIt('commonmark');
markdown.core.ruler.disable(['inline', 'linkify', 'replacements', 'smartquotes', 'text_join'], true);

const isSpace = (c: number) => c === 32 || c === 9;

/** `[start, end)` without the spaces and tabs at its edges. */
export function trimSpan(text: string, start: number, end: number): [number, number] {
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  return [start, end];
}

/**
 * `**Label:** value`, `**Label**: value`, and the same after a list bullet or a quote marker, on
 * one line (without its line end). Scanned by hand: a regexp with `(.*?)[ \t]*$` is quadratic on
 * long runs of spaces.
 */
export function boldLabelAt(line: string): { lead: number; label: string; labelEnd: number; colon: 'inside' | 'outside'; valueStart: number; valueEnd: number } | null {
  let p = 0;
  while (isSpace(line.charCodeAt(p))) p++;
  while (line[p] === '>') {
    p++;
    if (isSpace(line.charCodeAt(p))) p++;
  }
  const bullet = /^(?:[-*+]|\d{1,9}[.)])[ \t]+/.exec(line.slice(p, p + 16));
  if (bullet && !line.startsWith('**', p)) {
    p += bullet[0].length;
    while (isSpace(line.charCodeAt(p))) p++;
  }
  if (!line.startsWith('**', p)) return null;
  const close = line.indexOf('*', p + 2);
  if (close <= p + 2 || line[close + 1] !== '*') return null;
  const raw = line.slice(p + 2, close);
  const colonInside = raw.trimEnd().endsWith(':');
  const colonAfter = line[close + 2] === ':';
  if (!colonInside && !colonAfter) return null;
  const labelEnd = close + 2 + (colonAfter ? 1 : 0);
  const [valueStart, valueEnd] = trimSpan(line, labelEnd, line.length);
  return { lead: p, label: raw.slice(0, raw.trimEnd().endsWith(':') ? raw.trimEnd().length - 1 : raw.length).trim(), labelEnd, colon: colonInside ? 'inside' : 'outside', valueStart, valueEnd };
}

/**
 * Inline markdown → plain text, for heading text: link and image markup, code-span backticks,
 * emphasis delimiters that pair up (`*`, `**`, `~~`, and `_`/`__` outside words: Agent_Backend
 * keeps its underscore) and backslash escapes are removed; inline HTML stays as written. One pass
 * with a stack per delimiter, so the cost is linear in the text.
 */
export function plainText(inline: string): string {
  // Most headings hold no markup at all: nothing to allocate.
  if (!/[\\`[*_~]/.test(inline)) return inline;
  const n = inline.length;
  // One flag byte per character: DROP removes it, LITERAL keeps it from being markup.
  const DROP = 1;
  const LITERAL = 2;
  const flags = new Uint8Array(n);
  const at = (i: number) => inline.charCodeAt(i);
  const BACKSLASH = 92;
  const BACKTICK = 96;
  // Backslash escapes: the backslash goes, the (ASCII punctuation) character stays literal.
  for (let i = inline.indexOf('\\'); i !== -1 && i + 1 < n; i = inline.indexOf('\\', i + 1)) {
    const c = at(i + 1);
    if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126)) {
      flags[i] = DROP;
      flags[i + 1] = LITERAL;
      i++;
    }
  }
  // Code spans: a run of backticks closed by the next run of the same length; their content is literal.
  const runs: { at: number; len: number }[] = [];
  for (let i = inline.indexOf('`'); i !== -1; i = inline.indexOf('`', i)) {
    let j = i;
    while (j < n && at(j) === BACKTICK) j++;
    if (!(flags[i]! & LITERAL)) runs.push({ at: i, len: j - i });
    i = j;
  }
  // For each run, the index of the next run of the same length (one backward pass).
  const nextSame = new Int32Array(runs.length).fill(-1);
  const seen = new Map<number, number>();
  for (let r = runs.length - 1; r >= 0; r--) {
    nextSame[r] = seen.get(runs[r]!.len) ?? -1;
    seen.set(runs[r]!.len, r);
  }
  for (let r = 0; r < runs.length; r++) {
    const closer = nextSame[r]!;
    if (closer === -1) continue;
    const { at: start, len } = runs[r]!;
    const end = runs[closer]!.at;
    flags.fill(DROP, start, start + len);
    flags.fill(DROP, end, end + len);
    flags.fill(LITERAL, start + len, end);
    r = closer;
  }
  // Links and images: `[text](target)` and `![text](target)` keep the text.
  if (inline.includes('](')) {
    const nextClose = new Int32Array(n + 1).fill(-1);
    const nextParen = new Int32Array(n + 1).fill(-1);
    for (let i = n - 1; i >= 0; i--) {
      const plain = !(flags[i]! & LITERAL);
      nextClose[i] = plain && at(i) === 93 ? i : nextClose[i + 1]!;
      nextParen[i] = plain && at(i) === 41 ? i : nextParen[i + 1]!;
    }
    for (let i = inline.indexOf('['); i !== -1; i = inline.indexOf('[', i + 1)) {
      if (flags[i]) continue;
      const close = nextClose[i + 1]!;
      if (close === -1 || at(close + 1) !== 40 || flags[close + 1]! & LITERAL) continue;
      const paren = nextParen[close + 2]!;
      if (paren === -1) continue;
      if (i > 0 && at(i - 1) === 33 && !(flags[i - 1]! & LITERAL)) flags[i - 1] = DROP;
      flags[i] = DROP;
      flags.fill(DROP, close, paren + 1);
      i = close;
    }
  }
  // Emphasis: delimiter runs that can open (a non-space follows) and close (a non-space precedes).
  const space = (i: number) => i < 0 || i >= n || /\s/.test(inline[i]!);
  const word = (i: number) => {
    const c = i >= 0 && i < n ? at(i) : 0;
    return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  };
  const open = new Map<string, number[]>();
  for (let i = 0; i < n; ) {
    const c = at(i);
    if ((c !== 42 && c !== 95 && c !== 126) || flags[i]) {
      i++;
      continue;
    }
    let j = i;
    while (j < n && at(j) === c && !(flags[j]! & LITERAL)) j++;
    const len = j - i;
    if (c === 126 && len !== 2) {
      i = j;
      continue;
    }
    let canOpen = !space(j);
    let canClose = !space(i - 1);
    if (c === 95) {
      canOpen &&= !word(i - 1);
      canClose &&= !word(j);
    }
    if (canOpen || canClose) {
      const key = `${c}:${len}`;
      const stack = open.get(key);
      if (canClose && stack && stack.length > 0) {
        const start = stack.pop()!;
        flags.fill(DROP, start, start + len);
        flags.fill(DROP, i, j);
      } else if (canOpen) {
        if (stack) stack.push(i);
        else open.set(key, [i]);
      }
    }
    i = j;
  }
  const parts: string[] = [];
  let from = 0;
  for (let i = flags.indexOf(DROP); i !== -1; i = flags.indexOf(DROP, i + 1)) {
    parts.push(inline.slice(from, i));
    from = i + 1;
  }
  parts.push(inline.slice(from));
  return parts.join('');
}

/**
 * The block structure of a file: headings, sections, bold-label fields, fenced blocks, thematic
 * breaks and paragraphs, with ranges in the original text. `frontmatterEnd` (the offset after the
 * closing fence) keeps the YAML block out of the markdown.
 */
export function parseMarkdownStructure(source: SourceText, frontmatterEnd = 0): MarkdownStructure {
  const fmLines = frontmatterEnd > 0 ? source.pointAt(frontmatterEnd).line : 0;
  // Blank the frontmatter but keep its lines, so markdown-it's line numbers are the file's.
  const body = fmLines > 0 ? '\n'.repeat(fmLines) + (fmLines < source.lineCount ? source.text.slice(source.lineStart(fmLines + 1)) : '') : source.text;
  const tokens = markdown.parse(body, {});
  const headings: Heading[] = [];
  const codeBlocks: CodeBlock[] = [];
  const paragraphs: { start: number; end: number }[] = [];
  const paragraphLines: [number, number][] = [];
  const breaks: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const map = token.map;
    if (!map) continue;
    const [first, last] = [map[0] + 1, map[1]]; // 1-based, inclusive
    if (token.type === 'heading_open') {
      // A heading inside a blockquote or a list item is part of that quote or item, not of the
      // document's outline.
      if (token.level > 0) continue;
      const inline = tokens[i + 1]?.content ?? '';
      headings.push(toHeading(source, token.markup, Number(token.tag.slice(1)), first, last, inline));
    } else if (token.type === 'fence' || token.type === 'code_block') {
      const [lang, ...meta] = token.info.trim().split(/\s+/);
      const start = source.lineStart(first) + leadingSpace(source.lineText(first));
      const end = source.lineEnd(Math.min(last, source.lineCount));
      codeBlocks.push({ lang: lang || null, meta: meta.length ? meta.join(' ') : null, value: token.content.replace(/\n$/, ''), range: source.rangeAt(start, end), start, end });
    } else if (token.type === 'paragraph_open') {
      const start = source.lineStart(first) + leadingSpace(source.lineText(first));
      const end = source.lineEnd(Math.min(last, source.lineCount));
      paragraphs.push({ start, end });
      paragraphLines.push([first, Math.min(last, source.lineCount)]);
    } else if (token.type === 'hr') {
      breaks.push(source.lineStart(first) + leadingSpace(source.lineText(first)));
    }
  }
  const sections = toSections(source, headings);
  const fields: Field[] = [];
  for (const [first, last] of paragraphLines) collectFields(source, first, last, sections, fields);
  fields.sort((a, b) => a.range.start.offset - b.range.start.offset);
  return { headings, sections, fields, codeBlocks, breaks, paragraphs };
}

const leadingSpace = (line: string) => line.length - line.trimStart().length;

function toHeading(source: SourceText, markup: string, depth: number, first: number, last: number, inline: string): Heading {
  const start = source.lineStart(first) + leadingSpace(source.lineText(first));
  const end = source.lineEnd(last);
  let textStart: number;
  let textEnd: number;
  if (markup.startsWith('#')) {
    // ATX: the text sits between the opening #s and an optional closing run of #s.
    const lineStart = source.lineStart(first);
    const line = source.lineText(first);
    let p = 0;
    while (isSpace(line.charCodeAt(p))) p++;
    while (line[p] === '#') p++;
    let [from, to] = trimSpan(line, p, line.length);
    let hashes = to;
    while (hashes > from && line[hashes - 1] === '#') hashes--;
    if (hashes < to && (hashes === from || isSpace(line.charCodeAt(hashes - 1)))) [from, to] = trimSpan(line, from, hashes);
    textStart = lineStart + from;
    textEnd = lineStart + to;
  } else {
    // Setext: the text lines above the underline.
    textStart = start;
    textEnd = source.lineEnd(Math.max(first, last - 1));
  }
  return {
    depth,
    text: plainText(inline).replace(/\s+/g, ' ').trim(),
    range: source.rangeAt(start, end),
    textRange: source.rangeAt(textStart, Math.max(textStart, textEnd)),
  };
}

/** Each heading's section ends where the next heading of the same or a higher level starts (a stack: linear). */
function toSections(source: SourceText, headings: Heading[]): Section[] {
  const ends = new Array<number>(headings.length).fill(source.text.length);
  const open: number[] = [];
  for (let i = 0; i < headings.length; i++) {
    const h = headings[i]!;
    while (open.length > 0 && headings[open[open.length - 1]!]!.depth >= h.depth) ends[open.pop()!] = h.range.start.offset;
    open.push(i);
  }
  return headings.map((heading, index) => {
    const contentStart = heading.range.end.offset;
    let trimmedEnd = Math.max(contentStart, ends[index]!);
    while (trimmedEnd > contentStart && /\s/.test(source.text[trimmedEnd - 1]!)) trimmedEnd--;
    return { heading, range: source.rangeAt(heading.range.start.offset, trimmedEnd), contentStart, contentEnd: trimmedEnd };
  });
}

/** Index of the first value in an ascending list that is at least `value` (the list's length when none is). */
export function firstAtLeast(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (sorted[mid]! < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Whether an offset lies inside one of the code blocks (given in document order). */
export function inCodeBlock(blocks: readonly CodeBlock[], offset: number): boolean {
  let low = 0;
  let high = blocks.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const b = blocks[mid]!;
    if (offset < b.start) high = mid - 1;
    else if (offset >= b.end) low = mid + 1;
    else return true;
  }
  return false;
}

/** Index of the innermost section that contains the offset, or -1. */
export function sectionAt(sections: Section[], offset: number): number {
  // The last heading at or before the offset; its section, or the closest enclosing one, holds it.
  let low = 0;
  let high = sections.length - 1;
  let last = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (sections[mid]!.heading.range.start.offset <= offset) {
      last = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  for (let i = last, depth = Infinity; i >= 0; i--) {
    const s = sections[i]!;
    if (s.heading.depth >= depth) continue;
    if (offset <= s.contentEnd) return i;
    depth = s.heading.depth;
  }
  return -1;
}

function collectFields(source: SourceText, startLine: number, endLine: number, sections: Section[], out: Field[]): void {
  for (let line = startLine; line <= endLine; line++) {
    const lineStart = source.lineStart(line);
    const text = source.lineText(line);
    const match = boldLabelAt(text);
    if (!match) continue;
    const labelStart = lineStart + match.lead;
    const labelEnd = lineStart + match.labelEnd;
    const valueStart = lineStart + match.valueStart;
    const valueEnd = lineStart + match.valueEnd;
    out.push({
      label: match.label,
      value: text.slice(match.valueStart, match.valueEnd),
      range: source.rangeAt(labelStart, valueEnd > labelEnd ? valueEnd : labelEnd),
      labelRange: source.rangeAt(labelStart, labelEnd),
      valueRange: source.rangeAt(valueStart, valueEnd),
      section: sectionAt(sections, labelStart),
      colon: match.colon,
    });
  }
}
