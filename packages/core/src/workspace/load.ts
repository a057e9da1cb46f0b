import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_MAX_FILE_SIZE, frontmatterData, parseDocument, type MemoryDocument, type ParseOptions } from '../document.ts';
import { dialectForLayout, dialectForVersion, type DialectId, type DialectSource } from '../dialects/dialect.ts';
import { getDialect } from '../dialects/registry.ts';
import { buildWorkspace, type Workspace } from './workspace.ts';

export class InputError extends Error {}

export interface LoadOptions extends ParseOptions {
  /** Force a dialect instead of detecting it. */
  dialect?: DialectId;
}

export interface LoadedRoot {
  workspace: Workspace;
  /** The documents the user asked about (a pre-commit run names a few; the rest are context). */
  targets: Set<MemoryDocument>;
}

export interface Discovery {
  /** Root directory → the files of it the user named (null: the whole root). */
  roots: Map<string, Set<string> | null>;
  /** Markdown files named or found outside any `.apm/` tree. */
  looseFiles: string[];
}

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn']);
const ROOT_MARKERS = ['Memory', 'memory', 'Implementation_Plan.md', 'tracker.md', 'plan.md', 'Memory_Root.md'];

function isMarkdown(file: string): boolean {
  return /\.(md|markdown)$/i.test(file);
}

function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

/** The `.apm` directory a path sits in, or null. */
function enclosingApm(p: string): string | null {
  const parts = path.resolve(p).split(path.sep);
  const i = parts.lastIndexOf('.apm');
  return i === -1 ? null : parts.slice(0, i + 1).join(path.sep) || path.sep;
}

/** A directory below `.apm/` that holds a memory tree of its own (`archives/<session>/`, `active/<name>/`). */
function isNestedRoot(apm: string, dir: string): boolean {
  const rel = path.relative(apm, dir).split(path.sep);
  if (rel[0] === '' || rel[0] === 'Memory' || rel[0] === 'memory' || rel[0] === 'bus') return false;
  return ROOT_MARKERS.some((m) => exists(path.join(dir, m)));
}

/** The deepest memory root containing a path inside `.apm/`. */
function rootOf(apm: string, p: string): string {
  let best = apm;
  let dir = path.dirname(path.resolve(p));
  const candidates: string[] = [];
  while (dir.startsWith(apm) && dir !== apm) {
    candidates.push(dir);
    dir = path.dirname(dir);
  }
  for (const c of candidates.reverse()) if (isNestedRoot(apm, c)) best = c;
  return best;
}

/** Finds the memory roots (every `.apm/`, and nested roots inside) below the given paths. */
export function discover(inputs: readonly string[]): Discovery {
  const roots = new Map<string, Set<string> | null>();
  const looseFiles: string[] = [];
  const addRoot = (dir: string, file: string | null) => {
    if (file === null) roots.set(dir, null);
    else if (roots.get(dir) !== null) {
      const set = roots.get(dir) ?? new Set<string>();
      set.add(file);
      roots.set(dir, set);
    }
  };
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      throw new InputError(`cannot read directory ${dir}: ${(error as Error).message}`);
    }
    for (const e of entries) {
      const child = path.join(dir, e.name);
      if (e.isFile() && isMarkdown(e.name)) looseFiles.push(child);
      if (!e.isDirectory() || SKIP_DIRS.has(e.name)) continue;
      if (e.name === '.apm') addApm(child);
      else walk(child);
    }
  };
  const addApm = (apm: string) => {
    addRoot(apm, null);
    for (const nested of nestedRoots(apm, apm)) addRoot(nested, null);
  };
  for (const input of inputs) {
    const abs = path.resolve(input);
    let stat;
    try {
      stat = statSync(abs);
    } catch {
      throw new InputError(`no such file or directory: ${input}`);
    }
    const apm = enclosingApm(abs);
    if (stat.isDirectory()) {
      if (apm) {
        const root = rootOf(apm, path.join(abs, 'x'));
        if (abs === root || abs === apm) addApm(abs);
        else for (const f of listFiles(abs)) if (isMarkdown(f)) addRoot(rootOf(apm, f), f);
        for (const nested of nestedRoots(apm, abs)) addRoot(nested, null);
      } else {
        walk(abs);
      }
    } else if (apm) {
      addRoot(rootOf(apm, abs), abs);
    } else {
      looseFiles.push(abs);
    }
  }
  return { roots, looseFiles };
}

function nestedRoots(apm: string, under: string): string[] {
  const found: string[] = [];
  const visit = (dir: string, depth: number) => {
    if (depth > 4) return;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (!e.isDirectory() || SKIP_DIRS.has(e.name)) continue;
      const child = path.join(dir, e.name);
      if (dir === apm && (e.name === 'Memory' || e.name === 'memory' || e.name === 'bus')) continue;
      if (isNestedRoot(apm, child)) found.push(child);
      else visit(child, depth + 1);
    }
  };
  visit(under, 0);
  return found;
}

/** Every file below a directory (version-control and dependency folders left out). */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) visit(p);
      } else if (e.isFile()) out.push(p);
    }
  };
  visit(dir);
  return out;
}

/** The memory root a file belongs to (the deepest one), or null outside any `.apm/` tree. */
export function memoryRootOf(file: string): string | null {
  const apm = enclosingApm(file);
  return apm ? rootOf(apm, file) : null;
}

/** A root's markdown files (absolute) and every file and folder in it (relative, `/`-separated). */
export function listMemoryRoot(root: string): { markdownFiles: string[]; relPaths: string[] } {
  const { files, paths } = listRoot(root);
  return { markdownFiles: files.filter(isMarkdown), relPaths: paths.map((p) => toPosix(path.relative(root, p))) };
}

/** Every file and folder of a root, minus the nested roots inside it (they are roots of their own). */
function listRoot(root: string): { files: string[]; paths: string[] } {
  const apm = enclosingApm(root) ?? root;
  const files: string[] = [];
  const paths: string[] = [];
  const visit = (d: string) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (SKIP_DIRS.has(e.name) || (p !== root && isNestedRoot(apm, p))) continue;
        paths.push(p);
        visit(p);
      } else if (e.isFile()) {
        paths.push(p);
        files.push(p);
      }
    }
  };
  visit(root);
  return { files, paths };
}

/** The APM version a `metadata.json` text names, or null (absent or unreadable: the layout decides). */
export function metadataVersion(json: string | null): string | null {
  if (json === null) return null;
  try {
    const data = JSON.parse(json) as Record<string, unknown>;
    for (const key of ['releaseVersion', 'templateVersion', 'version', 'apmVersion']) {
      if (typeof data[key] === 'string') return data[key] as string;
    }
  } catch {
    // Broken JSON says nothing about the version.
  }
  return null;
}

/** Reads the version `.apm/metadata.json` names (root first, then the enclosing `.apm`). */
export function readMetadataVersion(root: string): string | null {
  const apm = enclosingApm(root);
  for (const dir of [root, apm]) {
    if (!dir) continue;
    let text: string | null = null;
    try {
      text = readFileSync(path.join(dir, 'metadata.json'), 'utf8');
    } catch {
      continue;
    }
    const version = metadataVersion(text);
    if (version) return version;
  }
  return null;
}

export function detectDialect(root: string, relPaths: readonly string[], forced?: DialectId): { id: DialectId; source: DialectSource; version: string | null } {
  return decideDialect(readMetadataVersion(root), relPaths, forced);
}

function decideDialect(version: string | null, relPaths: readonly string[], forced?: DialectId): { id: DialectId; source: DialectSource; version: string | null } {
  if (forced) return { id: forced, source: 'option', version };
  const fromVersion = version ? dialectForVersion(version) : null;
  if (fromVersion) return { id: fromVersion, source: 'metadata', version };
  const fromLayout = dialectForLayout(relPaths);
  if (fromLayout) return { id: fromLayout, source: 'layout', version };
  return { id: 'unknown', source: 'none', version };
}

const toPosix = (p: string) => p.split(path.sep).join('/');

/** Reads one memory root from disk: every markdown file parsed and classified, the index built. */
export function loadRoot(root: string, options: LoadOptions = {}): Workspace {
  const { files, paths } = listRoot(root);
  const rel = (p: string) => toPosix(path.relative(root, p));
  const relPaths = paths.map(rel);
  const detected = detectDialect(root, relPaths, options.dialect);
  const dialect = getDialect(detected.id);
  const documents: MemoryDocument[] = [];
  for (const file of files) {
    if (!isMarkdown(file)) continue;
    documents.push(readDocument(file, rel(file), options));
  }
  for (const d of documents) d.kind = dialect.classify(d.relPath, Object.keys(frontmatterData(d)), frontmatterData(d));
  return buildWorkspace({ dir: root, dialect, dialectSource: detected.source, version: detected.version }, documents, relPaths);
}

/** Reads one file, refusing oversized ones before reading them whole. */
export function readDocument(file: string, relPath: string, options: ParseOptions = {}): MemoryDocument {
  let size = 0;
  try {
    size = statSync(file).size;
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${(error as Error).message}`);
  }
  const limit = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  if (size > limit) return parseDocument({ path: file, relPath, kind: 'other', size }, options);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${(error as Error).message}`);
  }
  return parseDocument({ path: file, relPath, kind: 'other', bytes }, options);
}

export interface VirtualFile {
  /** Path inside the memory root, `/`-separated (`Memory/Memory_Root.md`, `metadata.json`). */
  relPath: string;
  text?: string;
  bytes?: Uint8Array;
}

/**
 * Builds a workspace from files held in memory (an editor's buffers, a rule page's examples).
 * Same detection and classification as on disk; `metadata.json` among the files is read too.
 */
export function loadVirtualRoot(
  files: readonly VirtualFile[],
  options: LoadOptions & { dir?: string; paths?: readonly string[]; metadataVersion?: string | null } = {},
): Workspace {
  const dir = options.dir ?? path.resolve('.apm');
  const relPaths = new Set<string>(options.paths ?? []);
  for (const f of files) {
    const parts = f.relPath.split('/');
    for (let i = 1; i <= parts.length; i++) relPaths.add(parts.slice(0, i).join('/'));
  }
  const metadata = files.find((f) => f.relPath === 'metadata.json');
  const metadataText = metadata ? (metadata.text ?? Buffer.from(metadata.bytes ?? []).toString('utf8')) : null;
  const detected = decideDialect(options.metadataVersion ?? metadataVersion(metadataText), [...relPaths], options.dialect);
  const dialect = getDialect(detected.id);
  const documents = files
    .filter((f) => isMarkdown(f.relPath))
    .map((f) => {
      const input = { path: path.join(dir, ...f.relPath.split('/')), relPath: f.relPath, kind: 'other' as const };
      return f.bytes ? parseDocument({ ...input, bytes: f.bytes }, options) : parseDocument({ ...input, text: f.text ?? '' }, options);
    });
  for (const d of documents) d.kind = dialect.classify(d.relPath, Object.keys(frontmatterData(d)), frontmatterData(d));
  return buildWorkspace({ dir, dialect, dialectSource: detected.source, version: detected.version }, documents, relPaths);
}

/** Discovers and loads everything below the given paths. */
export function loadPaths(inputs: readonly string[], options: LoadOptions = {}): { roots: LoadedRoot[]; loose: LoadedRoot | null } {
  const found = discover(inputs);
  const roots: LoadedRoot[] = [];
  for (const [dir, named] of [...found.roots].sort((a, b) => a[0].localeCompare(b[0]))) {
    const workspace = loadRoot(dir, options);
    const targets = new Set(named === null ? workspace.documents : workspace.documents.filter((d) => named.has(d.path)));
    roots.push({ workspace, targets });
  }
  let loose: LoadedRoot | null = null;
  if (found.looseFiles.length > 0) {
    const dialect = getDialect(options.dialect === 'aops' || !options.dialect ? 'aops' : options.dialect);
    const documents = found.looseFiles.map((f) => readDocument(f, toPosix(path.relative(process.cwd(), f)), options));
    for (const d of documents) d.kind = dialect.classify(d.relPath, Object.keys(frontmatterData(d)), frontmatterData(d));
    const workspace = buildWorkspace({ dir: process.cwd(), dialect, dialectSource: 'none', version: null, loose: true }, documents, []);
    loose = { workspace, targets: new Set(documents) };
  }
  return { roots, loose };
}
