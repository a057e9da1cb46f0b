// The lint cache (`memlint --cache`). Per file, keyed by the SHA-256 of its bytes: what parsing
// found (frontmatter data and places, headings, sections, fields), so an unchanged file is not
// parsed again; its YAML is parsed again only if a rule asks where a value is. Per memory root, keyed
// by a fingerprint of every file in it (names and digests), the dialect and the settings: the
// findings, reused only when nothing in the root changed. When anything changed, every rule runs
// again over the documents (restored or parsed), so a cross-file finding is always computed from
// the tree as it is: editing handoff 2 updates handoff 3's finding. The whole cache is dropped when
// the memlint version, the configuration, the dialect setting or the rule set changes, and a file
// that cannot be read back as a cache (corrupt, foreign, truncated) is ignored and rebuilt.
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { DeferredDocument, markdownParsed, parsedDocument, parseDocument, type MemoryDocument } from '../document.ts';
import { hasYamlDocument, withLazyDocument, type Frontmatter } from '../frontmatter/frontmatter.ts';
import type { CodeBlock, Field, Heading, MarkdownStructure } from '../markdown/structure.ts';
import { decodeBytes, type Range, type SourceText } from '../text/source-text.ts';
import type { Diagnostic } from './diagnostic.ts';
import type { FindingMemo } from './lint.ts';

const FORMAT = 'memlint-cache/4';

/** A range as its two offsets: the lines and columns come back from the text when it is read again. */
type Span = [number, number];
const span = (r: Range): Span => [r.start.offset, r.end.offset];

/**
 * What parsing a file found, without its text (the text is read again, and must hash the same),
 * ranges kept as offsets.
 */
export interface DocumentSnapshot {
  frontmatter: {
    range: Span;
    openFence: Span;
    closeFence: Span | null;
    bodyStart: number;
    contentOffset: number;
    content: string;
    yaml: boolean;
    data: unknown;
    errors: { message: string; range: Span }[];
  } | null;
  /** Index of the title among the headings, -1 for none. */
  title: number;
  headings: { depth: number; text: string; range: Span; textRange: Span }[];
  /** Each section's heading as an index into headings. */
  sections: { heading: number; range: Span; contentStart: number; contentEnd: number }[];
  fields: (Omit<Field, 'range' | 'labelRange' | 'valueRange'> & { range: Span; labelRange: Span; valueRange: Span })[];
  codeBlocks: (Omit<CodeBlock, 'range'> & { range: Span })[];
  breaks: number[];
  paragraphs: { start: number; end: number }[];
}

/** Where load.ts asks for a document it would otherwise parse, and tells what it parsed. */
export interface ParseCache {
  /**
   * A document for a file whose size, time and inode (`stat`) are what they were when it was
   * cached: nothing is read until a rule needs more than its frontmatter data.
   */
  restoreUnread?(input: { path: string; relPath: string; stat: string }): MemoryDocument | undefined;
  restore(input: { path: string; relPath: string; bytes: Uint8Array; digest: string; stat: string }): MemoryDocument | undefined;
  record(document: MemoryDocument, digest: string, stat: string): void;
  /** The stored findings of these files, when the root's listing signature is the one they were stored with. */
  findingsFor?(root: string, signature: string, files: readonly string[]): Map<string, Diagnostic[]> | undefined;
}

interface RootEntry {
  /** Of the root's contents (paths and digests, dialect, version). */
  fingerprint: string;
  /** Of its listing (paths, sizes, times, inodes): equal means no file needs reading. */
  signature: string | null;
  /** Findings by document path, for the documents the runs reported. */
  findings: Record<string, Diagnostic[]>;
}

/** What the main file keeps of each file: enough to index it without reading it. */
interface FileEntry {
  stat: string;
  digest: string;
  /** Its frontmatter's data (null: no frontmatter block). */
  frontmatter: { data: unknown } | null;
}

/** The main file: read on every run, so it holds only the roots' findings. */
interface CacheData {
  format: typeof FORMAT;
  key: string;
  roots: Map<string, RootEntry>;
}

/** The files file beside it (`<cache>.files`): read when a root changed. */
interface FilesData {
  format: typeof FORMAT;
  key: string;
  files: Map<string, FileEntry>;
  /** Where each digest's snapshot is in the pack: offset and length. */
  packed: Map<string, Span>;
}

/**
 * One parse, a record of the pack beside the main file (`<cache>.d/<key>/pack.v8`): read when a
 * rule needs it. The pack is appended to, and rewritten when most of it is no longer used; each
 * record names its digest, so a record read at the wrong place (two runs appending at once) is
 * taken for what it is: not this file's, parsed again.
 */
interface ParseData {
  format: typeof FORMAT;
  key: string;
  digest: string;
  snapshot: DocumentSnapshot;
}

/** A document's per-file findings of the rules that read only it (see FindingMemo), as of one digest. */
interface LocalEntry {
  digest: string;
  dialect: string;
  /** The rules whose findings on the document were its own (shared lists: most documents have the same). */
  rules: readonly string[];
  findings: Diagnostic[];
}

/** The local findings file beside the main file (`<cache>.local`): read when a root is linted. */
interface LocalData {
  format: typeof FORMAT;
  key: string;
  entries: Map<string, LocalEntry>;
}

/** Documents restored without reading their file, and the digest they were cached with. */
const unreadDigests = new WeakMap<MemoryDocument, string>();

/** The digest a document was cached with, for one restored without reading its file. */
export function cachedDigest(doc: MemoryDocument): string | undefined {
  return unreadDigests.get(doc);
}

/** A property computed on first read (and replaceable, as dropFrontmatter replaces a document's parts). */
function lazyProperty<T extends object>(target: T, name: string, compute: () => unknown): void {
  const settle = (value: unknown) => Object.defineProperty(target, name, { value, writable: true, enumerable: true, configurable: true });
  Object.defineProperty(target, name, {
    enumerable: true,
    configurable: true,
    get() {
      const value = compute();
      settle(value);
      return value;
    },
    set: settle,
  });
}

/** What the cached results depend on besides the files: a change of any of these drops the cache. */
export function cacheKey(parts: { version: string; config: unknown; dialect?: string | undefined; maxFileSize?: number | undefined; rules: readonly string[] }): string {
  return createHash('sha256').update(JSON.stringify([parts.version, parts.config ?? null, parts.dialect ?? null, parts.maxFileSize ?? null, [...parts.rules].sort()])).digest('hex');
}

function snapshotOf(doc: MemoryDocument): DocumentSnapshot | null {
  if (doc.problem || !doc.structure) return null;
  const fm = doc.frontmatter;
  const st = doc.structure;
  const index = new Map(st.headings.map((h, i) => [h, i]));
  const headingIndex = (h: Heading) => index.get(h) ?? -1;
  // A section whose heading is not among the headings cannot be kept by index: such a parse is not cached.
  if (st.sections.some((x) => headingIndex(x.heading) === -1) || (doc.title && headingIndex(doc.title) === -1)) return null;
  return {
    frontmatter: fm
      ? {
          range: span(fm.range),
          openFence: span(fm.openFence),
          closeFence: fm.closeFence ? span(fm.closeFence) : null,
          bodyStart: fm.bodyStart,
          contentOffset: fm.contentOffset,
          content: fm.content,
          yaml: hasYamlDocument(fm),
          data: fm.data,
          errors: fm.errors.map((e) => ({ message: e.message, range: span(e.range) })),
        }
      : null,
    title: doc.title ? headingIndex(doc.title) : -1,
    headings: st.headings.map((h) => ({ depth: h.depth, text: h.text, range: span(h.range), textRange: span(h.textRange) })),
    sections: st.sections.map((x) => ({ heading: headingIndex(x.heading), range: span(x.range), contentStart: x.contentStart, contentEnd: x.contentEnd })),
    fields: st.fields.map((f) => ({ ...f, range: span(f.range), labelRange: span(f.labelRange), valueRange: span(f.valueRange) })),
    codeBlocks: st.codeBlocks.map((c) => ({ ...c, range: span(c.range) })),
    breaks: st.breaks,
    paragraphs: st.paragraphs,
  };
}

/** The structure a snapshot keeps, its ranges read back against the file's text. */
function structureFrom(s: DocumentSnapshot, source: SourceText): { structure: MarkdownStructure; title: Heading | null } {
  const at = (x: Span) => source.rangeAt(x[0], x[1]);
  const headings: Heading[] = s.headings.map((h) => ({ depth: h.depth, text: h.text, range: at(h.range), textRange: at(h.textRange) }));
  const structure: MarkdownStructure = {
    headings,
    sections: s.sections.map((x) => ({ heading: headings[x.heading]!, range: at(x.range), contentStart: x.contentStart, contentEnd: x.contentEnd })),
    fields: s.fields.map((f) => ({ ...f, range: at(f.range), labelRange: at(f.labelRange), valueRange: at(f.valueRange) })),
    codeBlocks: s.codeBlocks.map((c) => ({ ...c, range: at(c.range) })),
    breaks: s.breaks,
    paragraphs: s.paragraphs,
  };
  return { structure, title: s.title === -1 ? null : headings[s.title]! };
}

/** The frontmatter of a snapshot, its YAML document parsed again from the content on first use. */
function withLazyYaml(snapshot: NonNullable<DocumentSnapshot['frontmatter']>, source: SourceText): Frontmatter {
  const { yaml } = snapshot;
  const at = (x: Span) => source.rangeAt(x[0], x[1]);
  const rest = {
    range: at(snapshot.range),
    openFence: at(snapshot.openFence),
    closeFence: snapshot.closeFence ? at(snapshot.closeFence) : null,
    bodyStart: snapshot.bodyStart,
    contentOffset: snapshot.contentOffset,
    content: snapshot.content,
    data: snapshot.data,
    errors: snapshot.errors.map((e) => ({ message: e.message, range: at(e.range) })),
  };
  return yaml ? withLazyDocument(rest, rest.content) : { ...rest, document: null };
}

function restoreFrom(snapshot: DocumentSnapshot, input: { path: string; relPath: string; bytes: Uint8Array }): MemoryDocument | undefined {
  const decoded = decodeBytes(input.bytes);
  if (!decoded.ok) return undefined;
  const { structure, title } = structureFrom(snapshot, decoded.source);
  const frontmatter = snapshot.frontmatter ? withLazyYaml(snapshot.frontmatter, decoded.source) : null;
  return parsedDocument({ path: input.path, relPath: input.relPath, kind: 'other', ids: {} }, decoded.source, decoded.invalid, frontmatter, structure, title);
}

function readCacheFile<T extends { format: string; key: string }>(file: string, key: string, shape: (v: Partial<T>) => boolean): { data: T | null; discarded: boolean } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return { data: null, discarded: false };
  }
  try {
    const value = deserialize(bytes) as Partial<T> | null;
    if (value && typeof value === 'object' && value.format === FORMAT && value.key === key && shape(value)) return { data: value as T, discarded: false };
  } catch {
    // not a cache of ours: rebuilt
  }
  return { data: null, discarded: true };
}

function fstatSizeOf(file: string): number {
  const fd = openSync(file, 'r');
  try {
    return fstatSync(fd).size;
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes a file atomically: a temporary file beside it, renamed over it (flushed to disk first,
 * unless `durable` is false: a snapshot is checked when read, and a lost one is parsed again).
 */
function writeAtomic(file: string, bytes: Uint8Array, durable = true): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  try {
    const fd = openSync(temp, 'w', 0o644);
    try {
      writeSync(fd, bytes);
      if (durable) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/**
 * A document restored without reading its file: its frontmatter data is there at once; the text,
 * and the parse that needs it (headings, sections, places), come on first use: from the file and
 * the stored snapshot, or by parsing the file again when the snapshot is gone. A class with
 * getters on its prototype: ten thousand of these cost little until one is looked into. Each part
 * can be replaced (dropFrontmatter does).
 */
class UnreadDocument extends DeferredDocument {
  kind: MemoryDocument['kind'] = 'other';
  ids: MemoryDocument['ids'] = {};
  problem: MemoryDocument['problem'] = null;
  frontmatter: Frontmatter | null;
  readonly path: string;
  readonly relPath: string;
  private readonly digest: string;
  private readonly snapshotFor: (digest: string) => DocumentSnapshot | undefined;
  private read: MemoryDocument | undefined;
  /** Told of a parse made because the snapshot was gone (the cache keeps it). */
  parsedAgain?: (digest: string, doc: MemoryDocument) => void;

  constructor(file: string, relPath: string, digest: string, snapshotFor: (digest: string) => DocumentSnapshot | undefined, data: { data: unknown } | null) {
    super();
    this.path = file;
    this.relPath = relPath;
    this.digest = digest;
    this.snapshotFor = snapshotFor;
    this.frontmatter = data ? unreadFrontmatter(data.data, () => this.full().frontmatter) : null;
  }

  full(): MemoryDocument {
    if (this.read) return this.read;
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(this.path);
    } catch {
      bytes = new Uint8Array();
    }
    const snapshot = this.snapshotFor(this.digest);
    const input = { path: this.path, relPath: this.relPath, bytes };
    const restored = snapshot && restoreFrom(snapshot, input);
    this.read = restored || parseDocument({ ...input, kind: 'other' });
    if (!restored) this.parsedAgain?.(this.digest, this.read);
    return this.read;
  }

  protected override partNow<K extends keyof MemoryDocument>(name: K): MemoryDocument[K] {
    return this.full()[name];
  }
  get source() { return this.part('source'); }
  set source(v) { this.own.source = v; }
  get invalidUtf8() { return this.part('invalidUtf8'); }
  set invalidUtf8(v) { this.own.invalidUtf8 = v; }
}

/** A frontmatter whose data is known and whose places and YAML document come from the parse on first use. */
function unreadFrontmatter(data: unknown, parsed: () => Frontmatter | null): Frontmatter {
  const fm = { data } as Frontmatter;
  for (const name of ['range', 'openFence', 'closeFence', 'bodyStart', 'contentOffset', 'content', 'document', 'errors'] as const) {
    lazyProperty(fm, name, () => parsed()?.[name] ?? (name === 'errors' ? [] : null));
  }
  return fm;
}

/** The fingerprint of a root's contents: every path in it, each document's digest, its dialect and version. */
export function rootFingerprint(parts: { dialect: string; version: string | null; paths: Iterable<string>; digests: Iterable<[string, string]> }): string {
  const hash = createHash('sha256');
  hash.update(`${parts.dialect}\0${parts.version ?? ''}\0`);
  for (const p of [...parts.paths].sort()) hash.update(`p\0${p}\0`);
  for (const [p, d] of [...parts.digests].sort((a, b) => a[0].localeCompare(b[0]))) hash.update(`d\0${p}\0${d}\0`);
  return hash.digest('hex');
}

export class LintCache implements ParseCache {
  readonly file: string;
  private readonly parseDir: string;
  private readonly key: string;
  private old: CacheData | null = null;
  private readonly next: CacheData;
  /** Snapshots read or made this run; the new ones are written on save. */
  private readonly snapshots = new Map<string, DocumentSnapshot | null>();
  private readonly fresh = new Set<string>();
  /** Documents parsed lazily this run: their parses are kept at save if something made them. */
  private readonly pending = new Map<string, MemoryDocument>();
  private filesOld: Map<string, FileEntry> | null = null;
  private packedOld: Map<string, Span> | null = null;
  private packFd: number | null = null;
  private readonly nextFiles = new Map<string, FileEntry>();
  private filesDirty = false;
  private localOld: Map<string, LocalEntry> | null = null;
  private readonly localNext = new Map<string, LocalEntry>();
  private localDirty = false;
  private readonly ruleLists = new Map<string, readonly string[]>();
  /** Local entries this run adds rules to (their rule lists are shared with equal ones at save). */
  private readonly growing = new Set<LocalEntry>();
  /** Whether a cache file was there but could not be used (corrupt, foreign, another version). */
  discarded = false;
  private dirty = false;
  stats = { restored: 0, parsed: 0, rootsReused: 0, rootsLinted: 0 };

  /** How many bytes of parses no file uses the pack may hold beyond what is used before it is rewritten (1 MiB; tests set less). */
  private readonly packSlack: number;

  constructor(file: string, key: string, options: { packSlack?: number } = {}) {
    this.file = file;
    this.packSlack = options.packSlack ?? 1 << 20;
    // One folder per key: a snapshot of another memlint or setting is never taken for this one's.
    this.parseDir = path.join(`${file}.d`, key.slice(0, 16));
    this.key = key;
    this.next = { format: FORMAT, key, roots: new Map() };
  }

  /** Reads the cache file; anything that is not this version's cache is ignored (and replaced on save). */
  load(): this {
    const { data, discarded } = readCacheFile<CacheData>(this.file, this.key, (v) => v.roots instanceof Map);
    this.old = data;
    if (discarded) this.discarded = this.dirty = true;
    return this;
  }

  private get packPath(): string {
    return path.join(this.parseDir, 'pack.v8');
  }

  private snapshot(digest: string): DocumentSnapshot | undefined {
    if (!this.snapshots.has(digest)) this.snapshots.set(digest, this.unpack(digest));
    return this.snapshots.get(digest) ?? undefined;
  }

  /** A digest's snapshot read from the pack, null when it is not there or not what it should be. */
  private unpack(digest: string): DocumentSnapshot | null {
    const at = this.oldPacked().get(digest);
    if (!at) return null;
    try {
      if (this.packFd === null) this.packFd = openSync(this.packPath, 'r');
      const bytes = Buffer.allocUnsafe(at[1]);
      if (readSync(this.packFd, bytes, 0, at[1], at[0]) !== at[1]) return null;
      const value = deserialize(bytes) as Partial<ParseData> | null;
      if (value && value.format === FORMAT && value.key === this.key && value.digest === digest && value.snapshot && typeof value.snapshot === 'object') return value.snapshot;
    } catch {
      // a pack cut short, rewritten under this run or not ours: the file is parsed again
    }
    return null;
  }

  restoreUnread(input: { path: string; relPath: string; stat: string }): MemoryDocument | undefined {
    const entry = this.oldFiles().get(input.path);
    if (!entry || entry.stat !== input.stat) return undefined;
    this.nextFiles.set(input.path, entry);
    this.stats.restored++;
    const unread = new UnreadDocument(input.path, input.relPath, entry.digest, (digest) => this.snapshot(digest), entry.frontmatter);
    unread.parsedAgain = (digest, parsed) => this.pending.set(digest, parsed);
    const doc = unread as unknown as MemoryDocument;
    unreadDigests.set(doc, entry.digest);
    return doc;
  }

  restore(input: { path: string; relPath: string; bytes: Uint8Array; digest: string; stat: string }): MemoryDocument | undefined {
    const snapshot = this.snapshot(input.digest);
    if (!snapshot) return undefined;
    const doc = restoreFrom(snapshot, input);
    if (!doc) return undefined;
    this.note(input.path, input.stat, input.digest, doc);
    this.stats.restored++;
    return doc;
  }

  record(document: MemoryDocument, digest: string, stat: string): void {
    // A document read for context whose markdown nothing looked into: its file is noted, its parse made when needed.
    // Its parse is kept at save, if a rule has looked into it by then.
    if (!markdownParsed(document)) {
      if (!document.problem) {
        this.note(document.path, stat, digest, document);
        this.pending.set(digest, document);
      }
      return;
    }
    const snapshot = snapshotOf(document);
    if (!snapshot) return;
    this.snapshots.set(digest, snapshot);
    if (this.oldFiles().get(document.path)?.digest !== digest) this.fresh.add(digest);
    this.note(document.path, stat, digest, document);
    this.stats.parsed++;
  }

  private note(file: string, stat: string, digest: string, doc: MemoryDocument): void {
    const before = this.oldFiles().get(file);
    if (!before || before.stat !== stat || before.digest !== digest) this.filesDirty = true;
    this.nextFiles.set(file, { stat, digest, frontmatter: doc.frontmatter ? { data: doc.frontmatter.data } : null });
  }

  private oldFiles(): Map<string, FileEntry> {
    if (!this.filesOld) {
      const data = readCacheFile<FilesData>(`${this.file}.files`, this.key, (v) => v.files instanceof Map && v.packed instanceof Map).data;
      this.filesOld = data?.files ?? new Map();
      this.packedOld = data?.packed ?? new Map();
    }
    return this.filesOld;
  }

  private oldPacked(): Map<string, Span> {
    this.oldFiles();
    return this.packedOld!;
  }

  private localEntries(): Map<string, LocalEntry> {
    if (!this.localOld) this.localOld = readCacheFile<LocalData>(`${this.file}.local`, this.key, (v) => v.entries instanceof Map).data?.entries ?? new Map();
    return this.localOld;
  }

  private interned(rules: readonly string[]): readonly string[] {
    const key = rules.join(',');
    let list = this.ruleLists.get(key);
    if (!list) this.ruleLists.set(key, (list = [...rules]));
    return list;
  }

  /** Per-file findings of rules that read only their document, kept by the document's digest (lintWorkspace's memo). */
  memoFor(dialect: string, digestOf: (doc: MemoryDocument) => string | undefined): FindingMemo {
    return {
      get: (ruleId, doc) => {
        const digest = digestOf(doc);
        if (!digest) return undefined;
        let entry = this.localNext.get(doc.path);
        if (!entry || entry.digest !== digest || entry.dialect !== dialect) {
          const old = this.localEntries().get(doc.path);
          if (!old || old.digest !== digest || old.dialect !== dialect) return undefined;
          this.localNext.set(doc.path, (entry = old));
        }
        if (!entry.rules.includes(ruleId)) return undefined;
        return entry.findings.filter((f) => f.ruleId === ruleId);
      },
      set: (ruleId, doc, findings) => {
        const digest = digestOf(doc);
        if (!digest) return;
        let entry = this.localNext.get(doc.path);
        if (!entry || entry.digest !== digest || entry.dialect !== dialect) this.localNext.set(doc.path, (entry = { digest, dialect, rules: [], findings: [] }));
        else if (!this.growing.has(entry)) this.localNext.set(doc.path, (entry = { ...entry, rules: [...entry.rules], findings: [...entry.findings] }));
        this.growing.add(entry);
        (entry.rules as string[]).push(ruleId);
        entry.findings.push(...findings);
        this.localDirty = true;
      },
    };
  }

  private entry(root: string): RootEntry | undefined {
    return this.next.roots.get(root) ?? this.old?.roots.get(root);
  }

  findingsFor(root: string, signature: string, files: readonly string[]): Map<string, Diagnostic[]> | undefined {
    const entry = this.entry(root);
    if (!entry || entry.signature !== signature || !files.every((f) => f in entry.findings)) return undefined;
    this.next.roots.set(root, entry);
    this.stats.rootsReused++;
    return new Map(files.map((f) => [f, entry.findings[f]!]));
  }

  /** The findings stored for a root whose contents have this fingerprint, when they cover every document asked about. */
  findings(root: string, fingerprint: string, paths: readonly string[], signature: string | null = null): Map<string, Diagnostic[]> | undefined {
    const entry = this.entry(root);
    if (!entry || entry.fingerprint !== fingerprint || !paths.every((p) => p in entry.findings)) return undefined;
    // Same contents, new times (a checkout, a touch): the listing signature is brought up to date.
    if (entry.signature !== signature) this.dirty = true;
    this.next.roots.set(root, { ...entry, signature });
    this.stats.rootsReused++;
    return new Map(paths.map((p) => [p, entry.findings[p]!]));
  }

  /** Stores a root's findings (merged with those stored for the same contents, so a run on a few files keeps the rest). */
  store(root: string, fingerprint: string, findings: Map<string, Diagnostic[]>, signature: string | null = null): void {
    const before = this.entry(root);
    const merged: Record<string, Diagnostic[]> = before && before.fingerprint === fingerprint ? { ...before.findings } : {};
    for (const [p, list] of findings) merged[p] = list;
    this.next.roots.set(root, { fingerprint, signature, findings: merged });
    this.stats.rootsLinted++;
    this.dirty = true;
  }

  /**
   * Adds this run's new snapshots to the pack, in one write at its end; rewrites the pack instead
   * when what no file uses any more would outweigh what they do. Returns where every snapshot a
   * file still uses now is.
   */
  private writePack(): Map<string, Span> {
    if (this.packFd !== null) {
      closeSync(this.packFd);
      this.packFd = null;
    }
    const old = this.oldPacked();
    const used = new Set<string>();
    for (const entry of this.nextFiles.values()) used.add(entry.digest);
    for (const [file, entry] of this.oldFiles()) if (!this.nextFiles.has(file)) used.add(entry.digest);
    const records: [string, Buffer][] = [];
    for (const digest of this.fresh) {
      const snapshot = this.snapshots.get(digest);
      if (snapshot && used.has(digest) && !old.has(digest)) records.push([digest, serialize({ format: FORMAT, key: this.key, digest, snapshot } satisfies ParseData)]);
    }
    let kept = 0;
    for (const [digest, at] of old) if (used.has(digest)) kept += at[1];
    let size = 0;
    try {
      size = fstatSizeOf(this.packPath);
    } catch {
      size = 0;
    }
    const packed = new Map<string, Span>();
    mkdirSync(this.parseDir, { recursive: true });
    if (size - kept > Math.max(kept, this.packSlack) || size < kept) {
      // Mostly garbage (or not the pack the index speaks of): rewritten with what is used.
      let before: Buffer | null = null;
      try {
        before = readFileSync(this.packPath);
      } catch {
        before = null;
      }
      const parts: Buffer[] = [];
      let offset = 0;
      for (const [digest, at] of old) {
        if (!used.has(digest) || !before || at[0] + at[1] > before.length) continue;
        parts.push(before.subarray(at[0], at[0] + at[1]));
        packed.set(digest, [offset, at[1]]);
        offset += at[1];
      }
      for (const [digest, bytes] of records) {
        parts.push(bytes);
        packed.set(digest, [offset, bytes.length]);
        offset += bytes.length;
      }
      writeAtomic(this.packPath, Buffer.concat(parts), false);
      return packed;
    }
    for (const [digest, at] of old) if (used.has(digest)) packed.set(digest, at);
    if (records.length === 0) return packed;
    const fd = openSync(this.packPath, 'a', 0o644);
    try {
      let offset = fstatSync(fd).size;
      for (const [digest, bytes] of records) {
        packed.set(digest, [offset, bytes.length]);
        offset += bytes.length;
      }
      writeSync(fd, Buffer.concat(records.map((r) => r[1])));
    } finally {
      closeSync(fd);
    }
    return packed;
  }

  /**
   * Writes the cache: the roots this run saw, plus the others the old cache held (a run on one
   * tree keeps another's entries); the parse file only when this run read or parsed files, with
   * the snapshots this run used (files no root still has are dropped, so it does not grow without
   * bound). Each file atomically.
   */
  save(): void {
    if (this.old) {
      for (const [root, entry] of this.old.roots) if (!this.next.roots.has(root)) this.next.roots.set(root, entry);
    }
    for (const [digest, doc] of this.pending) {
      if (this.snapshots.get(digest) || !markdownParsed(doc)) continue;
      const snapshot = snapshotOf(doc);
      if (!snapshot) continue;
      this.snapshots.set(digest, snapshot);
      this.fresh.add(digest);
    }
    if (this.fresh.size > 0) {
      // The folders of other keys are another memlint's or setting's parses: they go.
      let others: string[] = [];
      try {
        others = readdirSync(`${this.file}.d`).filter((name) => name !== path.basename(this.parseDir));
      } catch {
        // no folder yet
      }
      for (const name of others) rmSync(path.join(`${this.file}.d`, name), { recursive: true, force: true });
    }
    const packed = this.fresh.size > 0 ? this.writePack() : null;
    if (this.localDirty) {
      for (const [file, entry] of this.localEntries()) if (!this.localNext.has(file)) this.localNext.set(file, entry);
      for (const entry of this.growing) entry.rules = this.interned(entry.rules);
      writeAtomic(`${this.file}.local`, serialize({ format: FORMAT, key: this.key, entries: this.localNext } satisfies LocalData));
    }
    if (this.filesDirty || packed) {
      for (const [file, entry] of this.oldFiles()) if (!this.nextFiles.has(file)) this.nextFiles.set(file, entry);
      writeAtomic(`${this.file}.files`, serialize({ format: FORMAT, key: this.key, files: this.nextFiles, packed: packed ?? this.oldPacked() } satisfies FilesData));
    }
    if (this.dirty) writeAtomic(this.file, serialize(this.next));
  }
}
