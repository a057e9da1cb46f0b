import { isMap, isPair, isScalar, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import type { Range, SourceText } from '../text/source-text.ts';

export interface FrontmatterError {
  message: string;
  range: Range;
}

/** The YAML block at the top of a file, with every node's place in the original file. */
export interface Frontmatter {
  /** The whole block, fences included. */
  range: Range;
  /** The opening `---` line. */
  openFence: Range;
  /** The closing fence, or null when the block is never closed. */
  closeFence: Range | null;
  /** Offset of the first character of the YAML content in the file. */
  contentOffset: number;
  /** The YAML content (between the fences). */
  content: string;
  document: Document | null;
  /** The plain data (`null` when the YAML could not be read). */
  data: unknown;
  errors: FrontmatterError[];
}

const FENCE = /^---[ \t]*$/;
const CLOSE = /^(?:---|\.\.\.)[ \t]*$/;

/**
 * Finds and parses the frontmatter of a file. Returns null when the first line is not `---`.
 * YAML 1.2 core schema: dates and `yes` stay strings, as the memory formats expect.
 */
export function parseFrontmatter(source: SourceText): Frontmatter | null {
  if (source.lineCount === 0 || !FENCE.test(source.lineText(1))) return null;
  const openFence = source.lineRange(1);
  let closeLine = 0;
  for (let line = 2; line <= source.lineCount; line++) {
    if (CLOSE.test(source.lineText(line))) {
      closeLine = line;
      break;
    }
  }
  const contentOffset = source.lineCount >= 2 ? source.lineStart(2) : source.text.length;
  if (closeLine === 0) {
    return {
      range: source.rangeAt(0, source.text.length),
      openFence,
      closeFence: null,
      contentOffset,
      content: '',
      document: null,
      data: null,
      errors: [{ message: 'frontmatter opened with `---` on line 1 is never closed with `---`', range: openFence }],
    };
  }
  const closeFence = source.lineRange(closeLine);
  const content = source.text.slice(contentOffset, source.lineStart(closeLine));
  const document = parseDocument(content, { uniqueKeys: true, prettyErrors: false, strict: true });
  const errors: FrontmatterError[] = [];
  for (const error of [...document.errors, ...document.warnings]) {
    let [start, end] = error.pos;
    // YAML reports an unclosed bracket or quote where it gave up (the next key, or the end): point
    // at the bracket or quote that was never closed instead.
    const opener = /Flow (?:sequence|map|collection)|closing .*quote|Missing .*quote/i.test(error.message) ? unclosedOpener(content, start) : -1;
    const last = content.trimEnd().length - 1;
    if (opener !== -1) [start, end] = [opener, opener + 1];
    else if (start > last && last >= 0) [start, end] = [last, last + 1];
    const reason = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    errors.push({ message: `frontmatter is not valid YAML: ${reason}`, range: source.rangeAt(contentOffset + start, contentOffset + Math.max(end, start + 1)) });
  }
  let data: unknown = null;
  if (document.errors.length === 0) {
    try {
      data = document.toJS({ maxAliasCount: 100 });
    } catch (error) {
      errors.push({ message: error instanceof Error ? error.message : String(error), range: openFence });
    }
  }
  return {
    range: source.rangeAt(0, closeFence.end.offset),
    openFence,
    closeFence,
    contentOffset,
    content,
    document,
    data,
    errors,
  };
}

/** The last `[`, `{` or quote before `pos` that its line leaves open, or -1. */
function unclosedOpener(content: string, pos: number): number {
  const before = content.slice(0, pos);
  let lineStart = before.length;
  while (lineStart >= 0) {
    const previous = before.lastIndexOf('\n', lineStart - 1);
    const line = before.slice(previous + 1, lineStart);
    const stack: number[] = [];
    let quote: { char: string; at: number } | null = null;
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if (quote) {
        if (c === quote.char && line[i - 1] !== '\\') quote = null;
      } else if (c === '"' || c === "'") {
        // A quote opens a quoted scalar only at the start of a value, not inside a word.
        if (i === 0 || /[\s:[{,]/.test(line[i - 1]!)) quote = { char: c, at: i };
      } else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) break;
      else if (c === '[' || c === '{') stack.push(i);
      else if ((c === ']' || c === '}') && stack.length) stack.pop();
    }
    if (quote) return previous + 1 + quote.at;
    if (stack.length) return previous + 1 + stack[stack.length - 1]!;
    if (previous < 0) return -1;
    lineStart = previous;
  }
  return -1;
}

/** The range of the value at `path` (a key path into the YAML), or null when it is absent. */
export function frontmatterValueRange(source: SourceText, fm: Frontmatter, path: readonly PropertyKey[]): Range | null {
  const node = fm.document?.getIn(path as unknown[], true) as YamlNode | undefined;
  if (!node || !node.range) {
    // An empty value (`key:`) has no node: point at the key instead.
    return path.length > 0 ? frontmatterKeyRange(source, fm, path) : null;
  }
  const [start, valueEnd] = node.range;
  return source.rangeAt(fm.contentOffset + start, fm.contentOffset + Math.max(valueEnd, start + (isScalar(node) ? 0 : 1)));
}

/** The range of the key at `path` (its last segment), or null when it is absent. */
export function frontmatterKeyRange(source: SourceText, fm: Frontmatter, path: readonly PropertyKey[]): Range | null {
  if (!fm.document || path.length === 0) return null;
  const parentPath = path.slice(0, -1);
  const parent = parentPath.length === 0 ? fm.document.contents : fm.document.getIn(parentPath as unknown[], true);
  if (!isMap(parent)) return null;
  const last = String(path[path.length - 1]);
  for (const pair of parent.items) {
    if (!isPair(pair)) continue;
    const key = pair.key as YamlNode | null;
    if (isScalar(key) && String(key.value) === last && key.range) {
      return source.rangeAt(fm.contentOffset + key.range[0], fm.contentOffset + key.range[1]);
    }
  }
  return null;
}

/** The keys of the top-level map, in order, with their ranges. */
export function frontmatterKeys(source: SourceText, fm: Frontmatter): { key: string; range: Range }[] {
  const contents = fm.document?.contents;
  if (!isMap(contents)) return [];
  const keys: { key: string; range: Range }[] = [];
  for (const pair of contents.items) {
    const key = pair.key as YamlNode | null;
    if (isScalar(key) && key.range) {
      keys.push({ key: String(key.value), range: source.rangeAt(fm.contentOffset + key.range[0], fm.contentOffset + key.range[1]) });
    }
  }
  return keys;
}
