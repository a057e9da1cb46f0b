import { parseFrontmatter, type Frontmatter } from './frontmatter/frontmatter.ts';
import { parseMarkdownStructure, type CodeBlock, type Field, type Heading, type MarkdownStructure, type Section } from './markdown/structure.ts';
import { decodeBytes, sourceFromString, SourceText, type Range } from './text/source-text.ts';
import type { PathIds } from './dialects/dialect.ts';

/** What a memory file is. APM kinds first; `other` is any markdown file memlint has no schema for. */
export const documentKinds = [
  'task-log',
  'worker-handoff-log',
  'manager-handoff-log',
  'memory-root',
  'implementation-plan',
  'specifications',
  'delegation-log',
  'handoff-prompt',
  'tracker',
  'memory-index',
  'bus-message',
  'task-file',
  'knowledge-note',
  'other',
] as const;
export type DocumentKind = (typeof documentKinds)[number];

/** Why a file could not be read as markdown text. */
export type ReadProblem =
  | { reason: 'binary'; detail: string }
  | { reason: 'too-large'; size: number; limit: number }
  /** The file could not be opened or read (permission denied, a broken symbolic link, a name that is not UTF-8). */
  | { reason: 'unreadable'; code: string; detail: string };

/** One memory file as memlint sees it: kind, frontmatter with positions, sections, fields, raw text. */
export interface MemoryDocument {
  /** Absolute path (or the path the host gave). */
  path: string;
  /** Path inside its memory root, with `/` separators (the file name when outside any root). */
  relPath: string;
  kind: DocumentKind;
  /** What the file's path says (stage, task, agent, handoff number), as its dialect reads it. */
  ids: PathIds;
  source: SourceText;
  problem: ReadProblem | null;
  /** Offsets (into `source.text`) of byte sequences that were not UTF-8. */
  invalidUtf8: { byteOffset: number; offset: number }[];
  frontmatter: Frontmatter | null;
  /** The first H1, when there is one. */
  title: Heading | null;
  headings: Heading[];
  sections: Section[];
  fields: Field[];
  codeBlocks: CodeBlock[];
  structure: MarkdownStructure | null;
}

export interface ParseOptions {
  /** Files larger than this many bytes are not parsed (a `file-size` warning says so). */
  maxFileSize?: number;
  /**
   * Parse the markdown (headings, sections, fields) only when something reads it: for the files a
   * run reads for context only (a pre-commit run names a few; the cross-file rules need little of
   * the rest but their frontmatter).
   */
  lazyMarkdown?: boolean;
}

/** The parts of a document made by parsing its markdown. */
export type MarkdownPart = 'title' | 'headings' | 'sections' | 'fields' | 'codeBlocks' | 'structure';

/**
 * A document some of whose parts are made on first use (`partNow`); each part can still be
 * replaced (dropFrontmatter does). Getters on the prototype: thousands of these cost little until
 * one is looked into.
 */
export class DeferredDocument {
  protected readonly own: Partial<MemoryDocument> = {};

  /** Makes a part that was not set (a subclass's job). */
  protected partNow<K extends keyof MemoryDocument>(_name: K): MemoryDocument[K] {
    throw new Error('DeferredDocument.partNow');
  }
  protected part<K extends keyof MemoryDocument>(name: K): MemoryDocument[K] {
    return name in this.own ? (this.own[name] as MemoryDocument[K]) : this.partNow(name);
  }
  get title() { return this.part('title'); }
  set title(v) { this.own.title = v; }
  get headings() { return this.part('headings'); }
  set headings(v) { this.own.headings = v; }
  get sections() { return this.part('sections'); }
  set sections(v) { this.own.sections = v; }
  get fields() { return this.part('fields'); }
  set fields(v) { this.own.fields = v; }
  get codeBlocks() { return this.part('codeBlocks'); }
  set codeBlocks(v) { this.own.codeBlocks = v; }
  get structure() { return this.part('structure'); }
  set structure(v) { this.own.structure = v; }
}

/** A document whose markdown structure is parsed on first use. */
class LazyMarkdownDocument extends DeferredDocument {
  path: string;
  relPath: string;
  kind: DocumentKind;
  ids: PathIds = {};
  source: SourceText;
  problem: ReadProblem | null = null;
  invalidUtf8: MemoryDocument['invalidUtf8'];
  frontmatter: Frontmatter | null;
  private parsed: { structure: MarkdownStructure; title: Heading | null } | undefined;

  constructor(base: { path: string; relPath: string; kind: DocumentKind }, source: SourceText, invalidUtf8: MemoryDocument['invalidUtf8'], frontmatter: Frontmatter | null) {
    super();
    this.path = base.path;
    this.relPath = base.relPath;
    this.kind = base.kind;
    this.source = source;
    this.invalidUtf8 = invalidUtf8;
    this.frontmatter = frontmatter;
  }

  get markdownParsed(): boolean {
    return this.parsed !== undefined || 'structure' in this.own;
  }

  protected override partNow<K extends keyof MemoryDocument>(name: K): MemoryDocument[K] {
    if (!this.parsed) {
      const structure = parseMarkdownStructure(this.source, this.frontmatter?.bodyStart ?? 0);
      this.parsed = { structure, title: structure.headings.find((h) => h.depth === 1) ?? null };
    }
    const { structure, title } = this.parsed;
    return (name === 'title' ? title : name === 'structure' ? structure : structure[name as 'headings']) as MemoryDocument[K];
  }
}

export const DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024;

const emptySource = new SourceText('');

/** Reads a file's bytes (or text) into a document of the given kind. Never throws on bad content. */
export function parseDocument(
  input: { path: string; relPath: string; kind: DocumentKind; bytes?: Uint8Array; text?: string; size?: number },
  options: ParseOptions = {},
): MemoryDocument {
  const limit = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const size = input.size ?? (input.bytes ? input.bytes.byteLength : Buffer.byteLength(input.text ?? ''));
  const base = { path: input.path, relPath: input.relPath, kind: input.kind, ids: {} };
  if (size > limit) {
    return emptyDocument(base, { reason: 'too-large', size, limit });
  }
  let source: SourceText;
  let invalidUtf8: MemoryDocument['invalidUtf8'] = [];
  if (input.bytes) {
    const decoded = decodeBytes(input.bytes);
    if (!decoded.ok) return emptyDocument(base, { reason: decoded.reason, detail: decoded.detail });
    source = decoded.source;
    invalidUtf8 = decoded.invalid;
  } else {
    source = sourceFromString(input.text ?? '');
  }
  const frontmatter = parseFrontmatter(source);
  if (options.lazyMarkdown) return new LazyMarkdownDocument(base, source, invalidUtf8, frontmatter) as unknown as MemoryDocument;
  const structure = parseMarkdownStructure(source, frontmatter?.bodyStart ?? 0);
  return parsedDocument(base, source, invalidUtf8, frontmatter, structure, structure.headings.find((h) => h.depth === 1) ?? null);
}

/** A document from its parts: the text and what parsing it found (or a cache kept of that). */
export function parsedDocument(
  base: Pick<MemoryDocument, 'path' | 'relPath' | 'kind' | 'ids'>,
  source: SourceText,
  invalidUtf8: MemoryDocument['invalidUtf8'],
  frontmatter: Frontmatter | null,
  structure: MarkdownStructure,
  title: Heading | null,
): MemoryDocument {
  const { headings, sections, fields, codeBlocks } = structure;
  return { ...base, source, problem: null, invalidUtf8, frontmatter, title, headings, sections, fields, codeBlocks, structure };
}

function emptyDocument(base: Pick<MemoryDocument, 'path' | 'relPath' | 'kind' | 'ids'>, problem: ReadProblem): MemoryDocument {
  return { ...base, source: emptySource, problem, invalidUtf8: [], frontmatter: null, title: null, headings: [], sections: [], fields: [], codeBlocks: [], structure: null };
}

/** Whether a document's markdown has been parsed (false for a lazily parsed one nothing has looked into yet). */
export function markdownParsed(doc: MemoryDocument): boolean {
  return doc instanceof LazyMarkdownDocument ? doc.markdownParsed : true;
}

/** Whether a frontmatter block is YAML that maps keys to values. */
export function isYamlMapping(fm: Frontmatter): boolean {
  return fm.errors.length === 0 && fm.data !== null && typeof fm.data === 'object' && !Array.isArray(fm.data);
}

/** Reads a document again as markdown from its first line: its opening `---` was a thematic break, not frontmatter. */
export function dropFrontmatter(doc: MemoryDocument): void {
  if (doc.problem || !doc.frontmatter) return;
  const structure = parseMarkdownStructure(doc.source, 0);
  Object.assign(doc, {
    frontmatter: null,
    title: structure.headings.find((h) => h.depth === 1) ?? null,
    headings: structure.headings,
    sections: structure.sections,
    fields: structure.fields,
    codeBlocks: structure.codeBlocks,
    structure,
  });
}

/** The plain frontmatter data as a record, or an empty record. */
export function frontmatterData(doc: MemoryDocument): Record<string, unknown> {
  const data = doc.frontmatter?.data;
  return data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
}

/** The first field with this label (case-insensitive), optionally within one section (its subsections included). */
export function findField(doc: MemoryDocument, label: string, section?: number): Field | undefined {
  const wanted = label.toLowerCase();
  const within = section === undefined ? undefined : doc.sections[section];
  return doc.fields.find(
    (f) =>
      f.label.toLowerCase() === wanted &&
      (!within || (f.range.start.offset >= within.range.start.offset && f.range.start.offset <= within.contentEnd)),
  );
}

/** The first section whose heading text matches (case-insensitive, at any depth unless given). */
export function findSection(doc: MemoryDocument, title: string | RegExp, depth?: number): number {
  return doc.sections.findIndex(
    (s) =>
      (depth === undefined || s.heading.depth === depth) &&
      (typeof title === 'string' ? s.heading.text.toLowerCase() === title.toLowerCase() : title.test(s.heading.text)),
  );
}

/** Where to point when a whole file is at fault: its first line. */
export function documentStart(doc: MemoryDocument): Range {
  return doc.source.lineRange(1);
}
