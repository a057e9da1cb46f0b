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
// quadratic on long runs of lists and paragraphs) and never recurses deeply.
const markdown = new MarkdownIt('commonmark');

// `**Label:** value`, `**Label**: value`, and the same after a list bullet or a quote marker.
const FIELD_LINE = /^([ \t]*(?:>[ \t]?)*(?:[-*+][ \t]+|\d+[.)][ \t]+)?)\*\*([^*\n]+?)\*\*(:?)[ \t]*(.*?)[ \t]*$/;

/** Inline markdown → plain text (emphasis, code and link markup removed; inline HTML kept as written), for heading text. */
export function plainText(inline: string): string {
  return inline
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`+([^`]*)`+/g, '$1')
    .replace(/(\*\*|\*|~~)(?=\S)([\s\S]*?\S)\1/g, '$2')
    // Underscores inside words (Agent_Backend_Session_2) are not emphasis, as in CommonMark.
    .replace(/(?<![A-Za-z0-9])(__|_)(?=\S)([\s\S]*?\S)\1(?![A-Za-z0-9])/g, '$2')
    .replace(/\\([!-/:-@[-`{-~])/g, '$1');
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
    const line = source.lineText(first);
    const m = /^([ \t]*#{1,6})([ \t]*)(.*?)(?:[ \t]+#+)?[ \t]*$/.exec(line)!;
    textStart = source.lineStart(first) + m[1]!.length + m[2]!.length;
    textEnd = textStart + m[3]!.length;
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

function toSections(source: SourceText, headings: Heading[]): Section[] {
  return headings.map((heading, index) => {
    let end = source.text.length;
    for (let next = index + 1; next < headings.length; next++) {
      if (headings[next]!.depth <= heading.depth) {
        end = headings[next]!.range.start.offset;
        break;
      }
    }
    const contentStart = heading.range.end.offset;
    const trimmedEnd = contentStart + source.text.slice(contentStart, end).trimEnd().length;
    return { heading, range: source.rangeAt(heading.range.start.offset, trimmedEnd), contentStart, contentEnd: trimmedEnd };
  });
}

/** Index of the innermost section that contains the offset, or -1. */
export function sectionAt(sections: Section[], offset: number): number {
  let found = -1;
  for (let i = 0; i < sections.length; i++) {
    const s = sections[i]!;
    if (s.heading.range.start.offset <= offset && offset <= s.contentEnd) found = i;
  }
  return found;
}

function collectFields(source: SourceText, startLine: number, endLine: number, sections: Section[], out: Field[]): void {
  for (let line = startLine; line <= endLine; line++) {
    const lineStart = source.lineStart(line);
    const lineEnd = source.lineEnd(line);
    const text = source.text.slice(lineStart, lineEnd);
    const match = FIELD_LINE.exec(text);
    if (!match) continue;
    const [, lead, rawLabel, colonAfter, value] = match as unknown as [string, string, string, string, string];
    const colonInside = rawLabel.trimEnd().endsWith(':');
    if (!colonInside && !colonAfter) continue;
    const label = rawLabel.replace(/:\s*$/, '').trim();
    const labelStart = lineStart + lead.length;
    const labelEnd = labelStart + rawLabel.length + 4 + colonAfter.length;
    const valueStart = value ? lineStart + text.lastIndexOf(value) : lineEnd;
    const valueEnd = valueStart + value.length;
    out.push({
      label,
      value,
      range: source.rangeAt(labelStart, valueEnd > labelEnd ? valueEnd : labelEnd),
      labelRange: source.rangeAt(labelStart, labelEnd),
      valueRange: source.rangeAt(valueStart, valueEnd),
      section: sectionAt(sections, labelStart),
      colon: colonInside ? 'inside' : colonAfter ? 'outside' : 'none',
    });
  }
}
