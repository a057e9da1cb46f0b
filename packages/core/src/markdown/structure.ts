import type { Code, Heading as MdHeading, Nodes, Paragraph, Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
import { frontmatter } from 'micromark-extension-frontmatter';
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
  tree: Root;
  headings: Heading[];
  sections: Section[];
  fields: Field[];
  codeBlocks: CodeBlock[];
  /** Offsets where `---` thematic breaks start. */
  breaks: number[];
  /** Offsets of every paragraph (code blocks and HTML excluded). */
  paragraphs: { start: number; end: number }[];
}

const extensions = [frontmatter(['yaml'])];
const mdastExtensions = [frontmatterFromMarkdown(['yaml'])];

// `**Label:** value`, `**Label**: value`, and the same after a list bullet.
const FIELD_LINE = /^([ \t]*(?:[-*+][ \t]+|\d+[.)][ \t]+)?)\*\*([^*\n]+?)\*\*(:?)[ \t]*(.*?)[ \t]*$/;

export function parseMarkdownStructure(source: SourceText): MarkdownStructure {
  const tree = fromMarkdown(source.text, { extensions, mdastExtensions });
  const headings: Heading[] = [];
  const codeBlocks: CodeBlock[] = [];
  const paragraphs: Paragraph[] = [];
  const breaks: number[] = [];
  walk(tree, (node) => {
    if (node.type === 'heading') headings.push(toHeading(source, node));
    else if (node.type === 'code') codeBlocks.push(toCodeBlock(source, node));
    else if (node.type === 'paragraph') paragraphs.push(node);
    else if (node.type === 'thematicBreak') breaks.push(node.position!.start.offset!);
  });
  const sections = toSections(source, headings);
  const fields: Field[] = [];
  for (const paragraph of paragraphs) collectFields(source, paragraph, sections, fields);
  fields.sort((a, b) => a.range.start.offset - b.range.start.offset);
  const spans = paragraphs.map((p) => ({ start: p.position!.start.offset!, end: p.position!.end.offset! }));
  return { tree, headings, sections, fields, codeBlocks, breaks, paragraphs: spans };
}

function walk(node: Nodes, visit: (node: Nodes) => void): void {
  visit(node);
  if ('children' in node) for (const child of node.children) walk(child, visit);
}

export function plainText(node: Nodes): string {
  if ('value' in node && typeof node.value === 'string' && node.type !== 'html') return node.value;
  if ('children' in node) return node.children.map(plainText).join('');
  return '';
}

function toHeading(source: SourceText, node: MdHeading): Heading {
  const start = node.position!.start.offset!;
  const end = node.position!.end.offset!;
  const first = node.children[0]?.position?.start.offset ?? end;
  const last = node.children.at(-1)?.position?.end.offset ?? end;
  return {
    depth: node.depth,
    text: plainText(node).replace(/\s+/g, ' ').trim(),
    range: source.rangeAt(start, end),
    textRange: source.rangeAt(first, last),
  };
}

function toCodeBlock(source: SourceText, node: Code): CodeBlock {
  const start = node.position!.start.offset!;
  const end = node.position!.end.offset!;
  return { lang: node.lang ?? null, meta: node.meta ?? null, value: node.value, range: source.rangeAt(start, end), start, end };
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

function collectFields(source: SourceText, paragraph: Paragraph, sections: Section[], out: Field[]): void {
  const startLine = paragraph.position!.start.line;
  const endLine = paragraph.position!.end.line;
  for (let line = startLine; line <= endLine; line++) {
    const lineStart = line === startLine ? paragraph.position!.start.offset! : source.lineStart(line);
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
