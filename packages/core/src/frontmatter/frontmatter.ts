import { isMap, isPair, isScalar, parseDocument, visit, type Document, type Node as YamlNode } from 'yaml';
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
  /** Where the markdown body starts (after the closing fence, or after a block a formatter mangled). */
  bodyStart: number;
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

/**
 * The YAML document of a frontmatter block's content, parsed as parseFrontmatter parses it (a
 * cached document's is parsed again this way only when a rule asks where a value is).
 */
export function yamlDocumentOf(content: string): Document {
  return parseDocument(content.replace(/\r(?!\n)/g, '\n'), { uniqueKeys: false, prettyErrors: false, strict: true, logLevel: 'error' });
}
const CLOSE = /^(?:---|\.\.\.)[ \t]*$/;

// A plain scalar the fast path reads as YAML 1.2's core schema would: it starts with a letter or
// digit and holds none of the characters that make YAML read it otherwise (comments, quotes, flow
// collections, anchors, tags, block scalars, `: `).
const SAFE_VALUE = /^[A-Za-z0-9][^#"'{}\[\]&*!|>%@`\t]*$/;
const KEY_LINE = /^([A-Za-z_][A-Za-z0-9_-]*):(?: (.*))?$/;
const CORE_INT = /^[0-9]+$/;
const CORE_FLOAT = /^[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?$/;

/**
 * The data of a block of flat `key: plain scalar` lines (blank lines and comments between them), as
 * the YAML parser would give it; null for anything else (nesting, lists, quotes, flow collections,
 * a repeated key, special values), which goes to the parser.
 */
export function flatMapping(content: string): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  let keys = 0;
  let start = 0;
  const n = content.length;
  while (start < n) {
    let end = start;
    while (end < n && content[end] !== '\n' && content[end] !== '\r') end++;
    const line = content.slice(start, end);
    start = end + (content[end] === '\r' && content[end + 1] === '\n' ? 2 : 1);
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const m = KEY_LINE.exec(line);
    if (!m) return null;
    const key = m[1]!;
    if (key === '__proto__' || Object.hasOwn(out, key)) return null;
    const raw = m[2] ?? '';
    let from = 0;
    let to = raw.length;
    while (from < to && raw.charCodeAt(from) === 32) from++;
    while (to > from && raw.charCodeAt(to - 1) === 32) to--;
    const value = raw.slice(from, to);
    let parsed: unknown;
    if (value === '') parsed = null;
    else if (!SAFE_VALUE.test(value) || value.includes(': ') || value.endsWith(':') || value.includes(' #')) return null;
    else if (/^(?:null|Null|NULL)$/.test(value)) parsed = null;
    else if (/^(?:true|True|TRUE)$/.test(value)) parsed = true;
    else if (/^(?:false|False|FALSE)$/.test(value)) parsed = false;
    else if (CORE_INT.test(value)) {
      if (value.length > 15) return null;
      parsed = Number(value);
    } else if (CORE_FLOAT.test(value)) {
      if (value.length > 15) return null;
      parsed = Number(value);
    } else if (/^0[ox]/.test(value)) return null;
    else parsed = value;
    out[key] = parsed;
    keys++;
  }
  return keys > 0 ? out : null;
}

/** Whether a frontmatter block has (or will have, when asked) a YAML document, without parsing it. */
export function hasYamlDocument(fm: Frontmatter): boolean {
  return Boolean(Object.getOwnPropertyDescriptor(fm, 'document')?.get) || fm.document !== null;
}

/** A frontmatter whose YAML document is parsed from its content on first use. */
export function withLazyDocument(block: Omit<Frontmatter, 'document'>, content: string): Frontmatter {
  let parsed: Document | null | undefined;
  const out = { ...block } as Frontmatter;
  Object.defineProperty(out, 'document', {
    enumerable: true,
    configurable: true,
    get: () => (parsed ??= yamlDocumentOf(content)),
    set: (value: Document | null) => {
      parsed = value;
    },
  });
  return out;
}

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
  const mangled = mangledBlock(source);
  if (mangled && (closeLine === 0 || closeLine > mangled.endLine)) {
    // A formatter turned the keys into headings (`## stage: 2`) and the block runs into the body:
    // one finding at the block's own lines, and the body starts after them.
    // The offset just past the block's last line: parseMarkdownStructure blanks the lines up to it.
    const bodyStart = source.lineEnd(mangled.endLine - 1);
    const closed = mangled.endLine <= source.lineCount && CLOSE.test(source.lineText(mangled.endLine));
    return {
      range: source.rangeAt(0, closed ? source.lineEnd(mangled.endLine) : bodyStart),
      openFence,
      closeFence: closed ? source.lineRange(mangled.endLine) : null,
      bodyStart: closed ? source.lineEnd(mangled.endLine) : bodyStart,
      contentOffset,
      content: '',
      document: null,
      data: null,
      errors: [
        {
          message: `frontmatter is mangled: \`${source.lineText(mangled.headingLine).trim()}\` on line ${mangled.headingLine} is a key written as a markdown heading (a formatter's doing?), and the block ${closed ? 'holds markdown' : `is never closed with \`---\` before the body on line ${mangled.endLine}`}`,
          range: source.lineRange(mangled.headingLine),
        },
      ],
    };
  }
  if (closeLine === 0) {
    return {
      range: source.rangeAt(0, source.text.length),
      openFence,
      closeFence: null,
      bodyStart: 0,
      contentOffset,
      content: '',
      document: null,
      data: null,
      errors: [{ message: 'frontmatter opened with `---` on line 1 is never closed with `---`', range: openFence }],
    };
  }
  const closeFence = source.lineRange(closeLine);
  const content = source.text.slice(contentOffset, source.lineStart(closeLine));
  const block = { range: source.rangeAt(0, closeFence.end.offset), openFence, closeFence, bodyStart: closeFence.end.offset, contentOffset, content };
  // The yaml parser recurses per nesting level (and its regexps can exhaust memory on deep flow
  // collections): refuse nesting no memory file needs before handing the text over.
  const tooDeep = nestingTooDeep(content);
  if (tooDeep) {
    const at = contentOffset + tooDeep.offset;
    return { ...block, document: null, data: null, errors: [{ message: `frontmatter is not valid YAML: ${tooDeep.message}`, range: source.rangeAt(at, at + 1) }] };
  }
  // Most memory files' frontmatter is flat `key: value` lines: read without the YAML parser, which
  // is parsed (lazily, for positions) only when a rule asks where a value is.
  const flat = process.env.MEMLINT_YAML_FAST_PATH === '0' ? null : flatMapping(content);
  if (flat) return withLazyDocument({ ...block, data: flat, errors: [] }, content);
  let document: Document;
  try {
    // Duplicate keys are found below: the parser's own check is quadratic in the number of keys.
    // A lone CR ends a line for editors but not for the yaml parser: give it LF in its place (same offsets).
    document = yamlDocumentOf(content);
  } catch (error) {
    return { ...block, document: null, data: null, errors: [{ message: `frontmatter is not valid YAML: ${error instanceof RangeError ? 'nested too deeply' : String(error)}`, range: openFence }] };
  }
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
  for (const duplicate of duplicateKeys(document)) {
    const line = source.pointAt(contentOffset + duplicate.first).line;
    errors.push({
      message: `frontmatter is not valid YAML: Map keys must be unique (\`${duplicate.key}\` is already set on line ${line})`,
      range: source.rangeAt(contentOffset + duplicate.start, contentOffset + duplicate.end),
    });
  }
  errors.sort((a, b) => a.range.start.offset - b.range.start.offset);
  let data: unknown = null;
  if (document.errors.length === 0 && errors.length === 0) {
    try {
      data = document.toJS({ maxAliasCount: 100 });
    } catch (error) {
      errors.push({ message: `frontmatter is not valid YAML: ${error instanceof Error ? error.message : String(error)}`, range: openFence });
    }
  }
  return { ...block, document, data, errors };
}

const YAML_KEY = /^[A-Za-z_][\w.-]*[ \t]*:(?:[ \t]|$)/;
const HEADING_KEY = /^#{1,6}[ \t]+[A-Za-z_][\w.-]*[ \t]*:(?:[ \t]|$)/;

/**
 * A frontmatter block a markdown formatter mangled: its first key line became a heading
 * (`## stage: 2`). Returns that line and the first line after the block's key-like lines
 * (keys, keys as headings, indented or list continuations, blank lines).
 */
function mangledBlock(source: SourceText): { headingLine: number; endLine: number } | null {
  let line = 2;
  while (line <= source.lineCount && source.lineText(line).trim() === '') line++;
  if (line > source.lineCount || !HEADING_KEY.test(source.lineText(line))) return null;
  const headingLine = line;
  let end = line + 1;
  for (; end <= source.lineCount; end++) {
    const text = source.lineText(end);
    if (text.trim() === '' || YAML_KEY.test(text) || HEADING_KEY.test(text) || /^[ \t]+\S/.test(text) || /^-[ \t]/.test(text)) continue;
    break;
  }
  // Blank lines at the end belong to the body.
  while (end - 1 > headingLine && source.lineText(end - 1).trim() === '') end--;
  return { headingLine, endLine: end };
}

/** Flow collections deeper than this, or block structures deeper than `MAX_BLOCK_DEPTH`, are refused. */
const MAX_FLOW_DEPTH = 100;
const MAX_BLOCK_DEPTH = 200;

/**
 * Where the YAML nests deeper than memlint parses, in one linear pass: `[`/`{` that open a flow
 * collection (at a value's start or inside another), and block levels (indentation steps plus
 * compact `- `/`? ` entries on one line). Quoted scalars and comments are skipped.
 */
function nestingTooDeep(content: string): { offset: number; message: string } | null {
  let flow = 0;
  const indents: number[] = [];
  // The indentation of the line that opened a block scalar (`key: |`); -1 when none is open.
  let scalarIndent = -1;
  let i = 0;
  while (i < content.length) {
    // A new line: its indentation, then its compact entries.
    let indent = 0;
    while (content[i + indent] === ' ') indent++;
    let p = i + indent;
    const blank = p >= content.length || content[p] === '\n' || content[p] === '\r';
    if (scalarIndent >= 0 && (blank || indent > scalarIndent)) {
      // A line of a block scalar is text: skip it.
      while (p < content.length && content[p] !== '\n' && content[p] !== '\r') p++;
      if (content[p] === '\r' && content[p + 1] === '\n') p++;
      i = p + 1;
      continue;
    }
    scalarIndent = -1;
    if (flow === 0 && p < content.length && content[p] !== '\n' && content[p] !== '\r' && content[p] !== '#') {
      while (indents.length > 0 && indents[indents.length - 1]! >= indent) indents.pop();
      indents.push(indent);
      let compact = 0;
      while ((content[p] === '-' || content[p] === '?') && (content[p + 1] === ' ' || content[p + 1] === '\t')) {
        compact++;
        p += 2;
        while (content[p] === ' ' || content[p] === '\t') p++;
      }
      if (indents.length + compact > MAX_BLOCK_DEPTH) return { offset: p, message: `block collections nested more than ${MAX_BLOCK_DEPTH} levels deep` };
    }
    let valueStart = true;
    for (; p < content.length && content[p] !== '\n' && content[p] !== '\r'; p++) {
      const c = content[p]!;
      if ((c === '|' || c === '>') && valueStart && flow === 0 && /^[|>][0-9+-]*[ \t]*(?:#.*)?$/.test(lineRest(content, p))) {
        scalarIndent = indent;
        break;
      }
      if ((c === '"' || c === "'") && (valueStart || flow > 0)) {
        // Skip the quoted scalar (it may span lines).
        for (p++; p < content.length; p++) {
          if (c === '"' && content[p] === '\\') p++;
          else if (content[p] === c) {
            if (c === "'" && content[p + 1] === "'") p++;
            else break;
          }
        }
        valueStart = false;
        continue;
      }
      if (c === '#' && (p === 0 || /\s/.test(content[p - 1]!))) break;
      if ((c === '[' || c === '{') && (valueStart || flow > 0)) {
        flow++;
        if (flow > MAX_FLOW_DEPTH) return { offset: p, message: `flow collections nested more than ${MAX_FLOW_DEPTH} levels deep` };
        valueStart = true;
        continue;
      }
      if ((c === ']' || c === '}') && flow > 0) flow--;
      if (c === ',' && flow > 0) valueStart = true;
      else if (c === ':' && (content[p + 1] === ' ' || content[p + 1] === '\t' || p + 1 === content.length || content[p + 1] === '\n' || content[p + 1] === '\r' || flow > 0)) valueStart = true;
      else if (c === '-' && valueStart && (content[p + 1] === ' ' || content[p + 1] === '\t')) valueStart = true;
      else if (c !== ' ' && c !== '\t') valueStart = false;
    }
    // Past the line end (CRLF, CR or LF), also after a comment or a block scalar's indicator.
    while (p < content.length && content[p] !== '\n' && content[p] !== '\r') p++;
    if (content[p] === '\r' && content[p + 1] === '\n') p++;
    i = p + 1;
  }
  return null;
}

/** The rest of the line from an offset (without its line end). */
function lineRest(content: string, from: number): string {
  let end = from;
  while (end < content.length && content[end] !== '\n' && content[end] !== '\r') end++;
  return content.slice(from, end);
}

/** Keys set twice in one map: where the second one is, and where the first was. */
function duplicateKeys(document: Document): { key: string; start: number; end: number; first: number }[] {
  const found: { key: string; start: number; end: number; first: number }[] = [];
  visit(document, {
    Map(_, map) {
      const seen = new Map<string, number>();
      for (const pair of map.items) {
        const key = pair.key as YamlNode | null;
        if (!isScalar(key) || !key.range) continue;
        const name = String(key.value);
        const first = seen.get(name);
        if (first === undefined) seen.set(name, key.range[0]);
        else found.push({ key: name, start: key.range[0], end: key.range[1], first });
      }
    },
  });
  return found;
}

/** The last `[`, `{` or quote before `pos` that its line leaves open, or -1. */
function unclosedOpener(content: string, pos: number): number {
  const before = content.slice(0, pos);
  let lineStart = before.length;
  while (lineStart >= 0) {
    const previous = Math.max(before.lastIndexOf('\n', lineStart - 1), before.lastIndexOf('\r', lineStart - 1));
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
