import { closeSync, constants, existsSync, fstatSync, lstatSync, openSync, readdirSync, readlinkSync, readSync, realpathSync, statSync, type BigIntStats, type Dirent, type Stats } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { DEFAULT_MAX_FILE_SIZE, frontmatterData, parseDocument, type MemoryDocument, type ParseOptions, type ReadProblem } from '../document.ts';
import type { ParseCache } from '../lint/cache.ts';
import type { Diagnostic } from '../lint/diagnostic.ts';
import type { DialectId, DialectSource } from '../dialects/dialect.ts';
import { classifyDocument, dialectForLayout, dialectForVersion, layoutScores } from '../dialects/detect.ts';
import { dialects, getDialect } from '../dialects/registry.ts';
import { buildWorkspace, type Workspace } from './workspace.ts';

/** A path given to memlint that cannot be linted at all (missing, or not a file or directory). */
export class InputError extends Error {
  /** The path as given (null when the error is not about one path). */
  readonly path: string | null;
  readonly reason: string;
  constructor(reason: string, file: string | null = null) {
    super(file === null ? reason : `${file}: ${reason}`);
    this.path = file;
    this.reason = reason;
  }
}

export interface LoadOptions extends ParseOptions {
  /** Force a dialect instead of detecting it. */
  dialect?: DialectId;
  /** Where an unchanged file's parse is taken from instead of parsing it again (`--cache`). */
  cache?: ParseCache;
  /**
   * Texts that stand for files (an editor's unsaved buffers), by absolute path: read instead of
   * the file on disk; one inside a root that is not on disk yet is part of the root too.
   */
  buffers?: ReadonlyMap<string, string>;
}

/** Something below the given paths that memlint could not read, or chose not to follow. */
export interface LoadIssue {
  path: string;
  /** What happened, without the path: "cannot read the directory (permission denied): …". */
  message: string;
  /** true: something could not be read (part of the tree went unchecked); false: a note. */
  failure: boolean;
}

export interface LoadedRoot {
  /** With a cache and nothing changed in the root: the stored findings of the targets (its documents are then only names). */
  cached?: Map<MemoryDocument, Diagnostic[]>;
  /** With a cache: the root's listing signature (every path, and each file's size, time and inode), stored with its findings. */
  signature?: string;
  workspace: Workspace;
  /** The documents the user asked about (a pre-commit run names a few; the rest are context). */
  targets: Set<MemoryDocument>;
  /** Directories (or links) inside the root that were not read: its cross-file picture is incomplete. */
  issues: LoadIssue[];
}

export interface Discovery {
  /** Root directory → the files of it the user named (null: the whole root). */
  roots: Map<string, Set<string> | null>;
  /** Markdown files named or found outside any `.apm/` tree. */
  looseFiles: string[];
  /** `.apm/` folders that belong to another tool, and why memlint thinks so. */
  skipped: { dir: string; reason: string }[];
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

// ---------------------------------------------------------------------------------------------
// I/O errors in words.

const ERRNO_WORDS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'no such file or directory',
  ELOOP: 'too many levels of symbolic links',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
  ENAMETOOLONG: 'file name too long',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EIO: 'input/output error',
  EBUSY: 'device or resource busy',
  ENXIO: 'no such device or address',
  ENODEV: 'no such device',
  EXDEV: 'cross-device link',
  EEXIST: 'file exists',
  EAGAIN: 'resource temporarily unavailable',
  ESTALE: 'stale file handle',
  EFBIG: 'file too large',
  ENOMEM: 'out of memory',
  EILSEQ: 'the name is not valid UTF-8',
};

/** What an I/O error means, from its errno code: "permission denied", "too many levels of symbolic links". */
export function ioErrorText(error: unknown): string {
  const e = error as Partial<NodeJS.ErrnoException> | null;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  if (code && ERRNO_WORDS[code]) return ERRNO_WORDS[code];
  const message = typeof e?.message === 'string' ? e.message : String(error);
  // Node's form: "ECODE: words, syscall 'path'" → the words.
  const m = /^[A-Z0-9_]+: (.*?)(?:, \w+(?: '.*')?)?$/s.exec(message);
  return m ? m[1]! : message;
}

/** Whether an error comes from the file system (an errno code), not from memlint. */
export function isIoError(error: unknown): error is NodeJS.ErrnoException {
  if (!(error instanceof Error)) return false;
  const e = error as NodeJS.ErrnoException;
  return typeof e.code === 'string' && (typeof e.syscall === 'string' || typeof e.errno === 'number');
}

function kindOfStats(stats: Stats | BigIntStats): string {
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  if (stats.isDirectory()) return 'a directory';
  return 'not a regular file';
}

// ---------------------------------------------------------------------------------------------
// `memlint --fix` temporary files.

const FIX_TEMP = /^\.(.+)\.memlint-([1-9]\d{0,9})\.tmp$/;

/** Where `memlint --fix` writes a file's new bytes before renaming them over the file. */
export function fixTempPath(file: string, pid: number = process.pid): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.memlint-${pid}.tmp`);
}

/** The process id in the name of a `--fix` temporary file (`.<name>.md.memlint-<pid>.tmp`), or null. */
export function fixTempPid(name: string): number | null {
  const m = FIX_TEMP.exec(name);
  return m && isMarkdown(m[1]!) ? Number(m[2]) : null;
}

// ---------------------------------------------------------------------------------------------
// Reading files: regular files only, never more than the size limit (+1 byte to tell).

/** What memlint saw when it read a file, to tell later whether the file changed since. */
export interface ReadStamp {
  dev: bigint;
  ino: bigint;
  size: bigint;
  mtimeNs: bigint;
  /** How many bytes were read, and their SHA-256 (the bytes themselves are not kept). */
  length: number;
  sha256: string;
}

/** The digest a ReadStamp keeps of the bytes read. */
export function bytesDigest(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export type BoundedRead =
  | { kind: 'bytes'; bytes: Buffer; stamp: ReadStamp }
  | { kind: 'too-large'; size: number }
  | { kind: 'unreadable'; code: string; detail: string };

function unreadable(file: string, error: unknown): BoundedRead {
  const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
  if (code === 'ENOENT') {
    try {
      if (lstatSync(file).isSymbolicLink()) {
        return { kind: 'unreadable', code, detail: `a broken symbolic link (to ${readlinkSync(file)}, which does not exist)` };
      }
    } catch {
      // Not there at all: the plain words below.
    }
  }
  return { kind: 'unreadable', code, detail: ioErrorText(error) };
}

/**
 * Reads a regular file (symbolic links followed), at most `limit` bytes: a larger file is
 * "too-large" without being read whole, even when its size on disk says otherwise. Never blocks
 * on a FIFO or device and never throws: what went wrong comes back in words.
 */
export function readFileBounded(file: string, limit: number): BoundedRead {
  let fd: number;
  try {
    const before = statSync(file);
    if (!before.isFile()) return { kind: 'unreadable', code: 'EFTYPE', detail: `${kindOfStats(before)}, not a regular file` };
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return unreadable(file, error);
  }
  try {
    const stats = fstatSync(fd, { bigint: true });
    // The path may have been swapped for something else between the stat and the open.
    if (!stats.isFile()) return { kind: 'unreadable', code: 'EFTYPE', detail: `${kindOfStats(stats)}, not a regular file` };
    if (stats.size > BigInt(limit)) return { kind: 'too-large', size: Number(stats.size) };
    let buffer = Buffer.allocUnsafe(Math.min(limit + 1, Math.max(Number(stats.size) + 1, 8192)));
    let total = 0;
    for (;;) {
      if (total === buffer.length) {
        if (total > limit) break;
        const grown = Buffer.allocUnsafe(Math.min(limit + 1, buffer.length * 2));
        buffer.copy(grown, 0, 0, total);
        buffer = grown;
      }
      const n = readSync(fd, buffer, total, buffer.length - total, null);
      if (n === 0) break;
      total += n;
    }
    if (total > limit) return { kind: 'too-large', size: Math.max(total, Number(stats.size)) };
    const after = fstatSync(fd, { bigint: true });
    const bytes = buffer.subarray(0, total);
    return { kind: 'bytes', bytes, stamp: { dev: after.dev, ino: after.ino, size: after.size, mtimeNs: after.mtimeNs, length: total, sha256: bytesDigest(bytes) } };
  } catch (error) {
    return unreadable(file, error);
  } finally {
    closeSync(fd);
  }
}

// ---------------------------------------------------------------------------------------------
// Listing directories: names that are not UTF-8, unreadable directories, symbolic links (followed
// when they stay inside the tree being listed, never round a loop) and --fix temporary files.

interface Entry {
  name: string;
  path: string;
  /** What the entry is (a symbolic link's target; `other` for a broken link, FIFO, socket, device). */
  kind: 'file' | 'directory' | 'other';
  link: boolean;
}

/** What one load saw besides the files: issues, unreadable names and leftover temporary files. */
class Scan {
  readonly issues = new Map<string, LoadIssue>();
  /** `--fix` temporary files found next to the files looked at. */
  readonly temps = new Set<string>();
  /** Files known to be unreadable from their directory listing alone. */
  readonly unreadable = new Map<string, ReadProblem & { reason: 'unreadable' }>();

  issue(p: string, message: string, failure: boolean): void {
    if (!this.issues.has(p)) this.issues.set(p, { path: p, message, failure });
  }

  /** Issues at or below a directory. */
  issuesUnder(dir: string): LoadIssue[] {
    return [...this.issues.values()].filter((i) => i.path === dir || i.path.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep));
  }

  entries(dir: string): Entry[] | null {
    let dirents: Dirent<Buffer>[];
    try {
      dirents = readdirSync(dir, { withFileTypes: true, encoding: 'buffer' });
    } catch (error) {
      this.issue(dir, `cannot read the directory (${ioErrorText(error)}): nothing below it was checked`, true);
      return null;
    }
    const out: Entry[] = [];
    for (const d of dirents) {
      const name = d.name.toString('utf8');
      const p = path.join(dir, name);
      if (!Buffer.from(name, 'utf8').equals(d.name)) {
        const shown = path.join(dir, escapeName(d.name));
        if (d.isDirectory()) {
          this.issue(shown, 'cannot read the directory: its name is not valid UTF-8 (rename it), so nothing below it was checked', true);
        } else if (isMarkdown(name)) {
          this.unreadable.set(p, { reason: 'unreadable', code: 'EILSEQ', detail: `the file name is not valid UTF-8 ("${escapeName(d.name)}"): rename it` });
          out.push({ name, path: p, kind: 'other', link: false });
        }
        continue;
      }
      if (!d.isSymbolicLink()) {
        if (d.isFile() && fixTempPid(name) !== null) this.temps.add(p);
        else out.push({ name, path: p, kind: d.isFile() ? 'file' : d.isDirectory() ? 'directory' : 'other', link: false });
        continue;
      }
      let target: Stats | undefined;
      try {
        target = statSync(p);
      } catch {
        // A broken link or a loop: reading it says which.
      }
      out.push({ name, path: p, kind: target?.isFile() ? 'file' : target?.isDirectory() ? 'directory' : 'other', link: true });
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /**
   * Visits every entry below `base`; a directory is entered when `visit` returns true. A linked
   * directory is entered only when it leads to a place inside `base`, and no directory twice.
   * `enter`, when given, sees each directory's entries first and says which of them to visit.
   */
  walk(base: string, visit: (entry: Entry, depth: number) => boolean | void, enter?: (dir: string, entries: Entry[]) => Entry[]): void {
    const realBase = realpathOrNull(base) ?? base;
    const seen = new Set<string>();
    const identity = (p: string) => {
      try {
        const s = statSync(p);
        return `${s.dev}:${s.ino}`;
      } catch {
        return null;
      }
    };
    const start = identity(base);
    if (start) seen.add(start);
    const go = (dir: string, depth: number) => {
      const listed = this.entries(dir) ?? [];
      for (const e of enter ? enter(dir, listed) : listed) {
        if (!visit(e, depth) || e.kind !== 'directory') continue;
        if (e.link) {
          const real = realpathOrNull(e.path);
          if (!real || !isInside(real, realBase)) {
            this.issue(e.path, `not following this symbolic link: it leads outside ${base}${real ? ` (to ${real})` : ''}`, false);
            continue;
          }
        }
        const id = identity(e.path);
        if (id === null || seen.has(id)) continue; // a link back up the tree: its files are read where they are
        seen.add(id);
        go(e.path, depth + 1);
      }
    };
    go(base, 0);
  }

  /** The `--fix` temporary files of one file, from its directory's listing. */
  collectTempsOf(file: string): void {
    let names: Buffer[];
    try {
      names = readdirSync(path.dirname(file), { encoding: 'buffer' });
    } catch {
      return; // reading the file itself reports the problem
    }
    const prefix = `.${path.basename(file)}.memlint-`;
    for (const raw of names) {
      const name = raw.toString('utf8');
      if (name.startsWith(prefix) && fixTempPid(name) !== null) this.temps.add(path.join(path.dirname(file), name));
    }
  }
}

function realpathOrNull(p: string): string | null {
  try {
    return realpathSync(p);
  } catch {
    return null;
  }
}

function isInside(p: string, dir: string): boolean {
  return p === dir || p.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
}

/** A file name's bytes, printable: ASCII as is, anything else as `\xNN`. */
function escapeName(raw: Buffer): string {
  let out = '';
  for (const b of raw) out += b >= 0x20 && b < 0x7f && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0').toUpperCase()}`;
  return out;
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
  // A root's own memory folder (`archives/<session>/memory/`) belongs to that root.
  if (MEMORY_DIRS.has(path.basename(dir))) return false;
  return ROOT_MARKERS.some((m) => exists(path.join(dir, m)));
}

const MEMORY_DIRS = new Set(['Memory', 'memory', 'bus']);
// What the Agent Package Manager (microsoft/apm) keeps in its `.apm/`: not a memory tree.
const PACKAGE_MANAGER_DIRS = ['instructions', 'skills', 'prompts', 'chatmodes', 'agents'];
const MEMORY_MARKERS = [...ROOT_MARKERS, 'metadata.json', 'Memory_Bank.md', 'archives'];

/** Why a `.apm/` folder belongs to another tool (the Agent Package Manager), or null when it may be a memory tree. */
export function foreignApm(apm: string): string | null {
  if (MEMORY_MARKERS.some((m) => exists(path.join(apm, m)))) return null;
  const parent = path.dirname(apm);
  for (const f of ['apm.yml', 'apm.yaml', 'apm.lock']) if (exists(path.join(parent, f))) return `${f} beside it (the Agent Package Manager)`;
  const dir = PACKAGE_MANAGER_DIRS.find((d) => exists(path.join(apm, d)));
  return dir ? `.apm/${dir}/ and no memory files (the Agent Package Manager)` : null;
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

// ---------------------------------------------------------------------------------------------
// Memory roots not named `.apm`: a folder some dialect recognises from its name and entries (v0.3's
// folder holding `Memory_Bank.md`, early v0.4's `apm/`). Every dialect with the hook is asked.

/** Which entries of a folder belong to a memory tree, when some dialect takes the folder for a root of its own; null when none does. */
function claimedFolder(dir: string, names: readonly string[]): ((name: string) => boolean) | null {
  const name = path.basename(dir);
  if (name === '.apm' || enclosingApm(dir)) return null; // `.apm/` trees are found as they always were
  const claims = Object.values(dialects).filter((d) => d.detect?.rootFolder?.(name, names));
  if (claims.length === 0) return null;
  // An entry belongs when a dialect that claims the folder says so (one without `rootEntry` takes them all).
  return (entry) => claims.some((d) => d.detect!.rootEntry?.(entry) ?? true);
}

/** A directory's entry names, or null when it cannot be read (asked of folders above the paths given: no issue is recorded). */
function namesOf(dir: string): string[] | null {
  try {
    return readdirSync(dir);
  } catch {
    return null;
  }
}

/**
 * The memory root not named `.apm` that a path outside any `.apm/` belongs to: the nearest folder
 * above it (or the path itself) that a dialect claims, with the path inside one of its memory
 * entries. Null when there is none.
 */
function bareRootOf(p: string, names: (dir: string) => string[] | null = namesOf): string | null {
  const abs = path.resolve(p);
  if (enclosingApm(abs)) return null;
  let dir = abs;
  for (;;) {
    const listed = names(dir);
    const member = listed ? claimedFolder(dir, listed) : null;
    if (member) {
      if (dir === abs) return dir;
      const first = path.relative(dir, abs).split(path.sep)[0]!;
      if (member(first)) return dir;
    }
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/** Finds the memory roots (every `.apm/`, and nested roots inside) below the given paths. */
export function discover(inputs: readonly string[]): Discovery {
  return discoverWith(inputs, new Scan());
}

function discoverWith(inputs: readonly string[], scan: Scan): Discovery {
  const roots = new Map<string, Set<string> | null>();
  const looseFiles: string[] = [];
  const skipped: { dir: string; reason: string }[] = [];
  // Whether a `.apm/` belongs to another tool, decided once per folder (a hook may name hundreds of its files).
  const foreignOf = new Map<string, string | null>();
  const foreign = (apm: string) => {
    if (!foreignOf.has(apm)) {
      const reason = foreignApm(apm);
      foreignOf.set(apm, reason);
      if (reason) skipped.push({ dir: apm, reason });
    }
    return foreignOf.get(apm)!;
  };
  // The folders above the named paths, listed once (a hook may name hundreds of files in one folder).
  const listedNames = new Map<string, string[] | null>();
  const cachedNames = (dir: string) => {
    if (!listedNames.has(dir)) listedNames.set(dir, namesOf(dir));
    return listedNames.get(dir)!;
  };
  const addRoot = (dir: string, file: string | null) => {
    const apmOf = enclosingApm(dir);
    if (apmOf && foreign(apmOf)) return;
    if (file === null) roots.set(dir, null);
    else if (roots.get(dir) !== null) {
      const set = roots.get(dir) ?? new Set<string>();
      set.add(file);
      roots.set(dir, set);
    }
  };
  const addApm = (apm: string) => {
    if (foreign(apm)) return;
    addRoot(apm, null);
    for (const nested of nestedRoots(apm, apm, scan)) addRoot(nested, null);
  };
  for (const input of inputs) {
    const abs = path.resolve(input);
    let stat;
    try {
      stat = statSync(abs);
    } catch (error) {
      const hint = (error as NodeJS.ErrnoException).code === 'ENOENT' && input.includes('\uFFFD') ? ' (the name is not valid UTF-8)' : '';
      throw new InputError(`${ioErrorText(error)}${hint}`, input);
    }
    if (!stat.isDirectory() && !stat.isFile()) {
      throw new InputError(`${kindOfStats(stat)}: memlint reads regular files and directories only`, input);
    }
    const apm = enclosingApm(abs);
    const bare = apm ? null : bareRootOf(abs, cachedNames);
    if (stat.isDirectory()) {
      if (bare && bare !== abs) {
        // A folder inside a memory root not named `.apm`: its files are named, the rest is context.
        for (const f of listFilesWith(abs, scan, true)) if (isMarkdown(f)) addRoot(bare, f);
      } else if (apm) {
        const root = rootOf(apm, path.join(abs, 'x'));
        if (abs === root || abs === apm) addApm(abs);
        else for (const f of listFilesWith(abs, scan, true)) if (isMarkdown(f)) addRoot(rootOf(apm, f), f);
        for (const nested of nestedRoots(apm, abs, scan)) addRoot(nested, null);
      } else {
        scan.walk(
          abs,
          (e) => {
            if (e.kind !== 'directory') {
              if (isMarkdown(e.name)) looseFiles.push(e.path);
              return false;
            }
            if (SKIP_DIRS.has(e.name)) return false;
            if (e.name !== '.apm') return true;
            addApm(e.path);
            return false;
          },
          (dir, entries) => {
            // A folder a dialect claims is a root: its memory entries are read with it, the rest as usual.
            const member = claimedFolder(dir, entries.map((e) => e.name));
            if (!member) return entries;
            addRoot(dir, null);
            return entries.filter((e) => !member(e.name));
          },
        );
      }
    } else if (bare) {
      addRoot(bare, abs);
    } else if (apm) {
      addRoot(rootOf(apm, abs), abs);
    } else {
      looseFiles.push(abs);
      scan.collectTempsOf(abs);
    }
  }
  return { roots, looseFiles, skipped };
}

function nestedRoots(apm: string, under: string, scan: Scan): string[] {
  const found: string[] = [];
  scan.walk(under, (e, depth) => {
    if (e.kind !== 'directory' || SKIP_DIRS.has(e.name)) return false;
    if (path.dirname(e.path) === apm && (e.name === 'Memory' || e.name === 'memory' || e.name === 'bus')) return false;
    if (!isNestedRoot(apm, e.path)) return depth < 4;
    found.push(e.path);
    return false;
  });
  return found;
}

/** Every regular file below a directory, links followed (version-control and dependency folders left out). */
export function listFiles(dir: string): string[] {
  return listFilesWith(dir, new Scan(), false);
}

/** With `unreadable`, markdown names that are not regular files too (reading them says what they are). */
function listFilesWith(dir: string, scan: Scan, unreadable: boolean): string[] {
  const out: string[] = [];
  scan.walk(dir, (e) => {
    if (e.kind === 'directory') return !SKIP_DIRS.has(e.name);
    if (e.kind === 'file' || (unreadable && isMarkdown(e.name))) out.push(e.path);
    return false;
  });
  return out;
}

/** The memory root a file belongs to (the deepest one), or null outside any `.apm/` tree. */
export function memoryRootOf(file: string): string | null {
  const apm = enclosingApm(file);
  return apm ? rootOf(apm, file) : bareRootOf(file);
}

/** A root's markdown files (absolute) and every file and folder in it (relative, `/`-separated). */
export function listMemoryRoot(root: string): { markdownFiles: string[]; relPaths: string[] } {
  const { files, paths } = listRoot(root, new Scan());
  return { markdownFiles: files.filter(isMarkdown), relPaths: paths.map((p) => toPosix(path.relative(root, p))) };
}

/**
 * Every file and folder of a root, minus the nested roots inside it (they are roots of their own).
 * Markdown names that are not regular files (a broken link, a FIFO) are listed as files: reading
 * them says what they are.
 */
function listRoot(root: string, scan: Scan): { files: string[]; paths: string[] } {
  const apm = enclosingApm(root) ?? root;
  const files: string[] = [];
  const paths: string[] = [];
  // A root not named `.apm` holds only the entries its dialect names (a project's top folder holds much else).
  const top = (dir: string, entries: Entry[]) => {
    if (dir !== root) return entries;
    const member = claimedFolder(root, entries.map((e) => e.name));
    return member ? entries.filter((e) => member(e.name)) : entries;
  };
  scan.walk(root, (e) => {
    if (e.kind === 'directory') {
      if (SKIP_DIRS.has(e.name) || isNestedRoot(apm, e.path)) return false;
      paths.push(e.path);
      return true;
    }
    if (e.kind === 'file' || isMarkdown(e.name)) {
      paths.push(e.path);
      files.push(e.path);
    }
    return false;
  }, top);
  return { files, paths };
}

/** The APM version a `metadata.json` text names, and under which key, or null (absent or unreadable: the layout decides). */
export function metadataVersionKey(json: string | null): { version: string; key: string } | null {
  if (json === null) return null;
  try {
    const data = JSON.parse(json) as Record<string, unknown>;
    // `version` alone is the user's own project version, not APM's: the layout decides then.
    for (const key of ['releaseVersion', 'templateVersion', 'cliVersion', 'apmVersion']) {
      if (typeof data[key] === 'string' && data[key]) return { version: data[key] as string, key };
    }
  } catch {
    // Broken JSON says nothing about the version.
  }
  return null;
}

/** The APM version a `metadata.json` text names, or null. */
export function metadataVersion(json: string | null): string | null {
  return metadataVersionKey(json)?.version ?? null;
}

const METADATA_LIMIT = 1024 * 1024;

/** Where a root's version comes from: its own `metadata.json` (an archived session has its own), else the enclosing `.apm/`'s for the live tree. */
export interface VersionEvidence {
  version: string;
  key: string;
  file: string;
}

/** Reads the version `.apm/metadata.json` names for a root: a nested root (archive) reads only its own. */
export function readMetadataEvidence(root: string): VersionEvidence | null {
  const apm = enclosingApm(root);
  const dirs = apm && path.resolve(root) !== path.resolve(apm) ? [root] : [root, apm];
  for (const dir of dirs) {
    if (!dir) continue;
    // A regular file of sane size only: a FIFO or a huge file named metadata.json says nothing.
    const file = path.join(dir, 'metadata.json');
    const read = readFileBounded(file, METADATA_LIMIT);
    if (read.kind !== 'bytes') continue;
    const found = metadataVersionKey(read.bytes.toString('utf8'));
    if (found) return { ...found, file };
  }
  return null;
}

/** Reads the version `.apm/metadata.json` names (see readMetadataEvidence). */
export function readMetadataVersion(root: string): string | null {
  return readMetadataEvidence(root)?.version ?? null;
}

export function detectDialect(root: string, relPaths: readonly string[], forced?: DialectId): { id: DialectId; source: DialectSource; version: string | null } {
  return decideDialect(readMetadataVersion(root), relPaths, forced);
}

/** How a root's dialect is decided, with the evidence: the setting, the metadata version (and its file and key), the layout scores. */
export function explainDialect(root: string, relPaths: readonly string[], forced?: DialectId) {
  const metadata = readMetadataEvidence(root);
  const decided = decideDialect(metadata?.version ?? null, relPaths, forced);
  const claimed = metadata ? dialectForVersion(metadata.version) : null;
  return { ...decided, metadata, versionClaimedBy: claimed, layout: layoutScores(relPaths) };
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

/**
 * What a root holds on disk, without reading a file: every path in it, and each file's size,
 * modification time (ns) and inode, hashed. Equal signatures: nothing in the root changed.
 */
function listingSignature(root: string, listing: { files: string[]; paths: string[] }): { signature: string; stats: Map<string, string> } {
  const hash = createHash('sha256');
  const files = new Set(listing.files);
  const stats = new Map<string, string>();
  const prefix = root.endsWith(path.sep) ? root : root + path.sep;
  for (const p of [...listing.paths].sort()) {
    // Paths below the root, relative (a slice: path.relative costs more than the stat at this count).
    hash.update(`${p.startsWith(prefix) ? p.slice(prefix.length) : toPosix(path.relative(root, p))}\0`);
    if (!files.has(p)) continue;
    try {
      const s = statSync(p, { bigint: true });
      const key = `${s.size}:${s.mtimeNs}:${s.ino}`;
      if (s.isFile()) stats.set(p, key);
      hash.update(`${key}\0`);
    } catch {
      hash.update('!\0');
    }
  }
  return { signature: hash.digest('hex'), stats };
}

/** A root's listing with the buffers inside it that are not on disk yet (a new file not saved), and their folders. */
function withBuffers(root: string, listing: { files: string[]; paths: string[] }, buffers: ReadonlyMap<string, string>): { files: string[]; paths: string[] } {
  const known = new Set(listing.paths);
  const files = [...listing.files];
  const paths = [...listing.paths];
  for (const file of buffers.keys()) {
    if (known.has(file) || !isMarkdown(file) || !isInside(file, root) || file === root) continue;
    if (memoryRootOf(file) !== root) continue;
    files.push(file);
    for (let p = file; p !== root && !known.has(p); p = path.dirname(p)) {
      known.add(p);
      paths.push(p);
    }
  }
  files.sort();
  return { files, paths };
}

/**
 * A workspace with some of its files changed: each changed path is read again (from `buffers`
 * first, then from disk), a path that is gone from both is dropped; every other document is kept
 * as it was, and the index is built again. The root's dialect stays: a change that could change it
 * (metadata.json, the layout) calls for loading the root again.
 */
export function updateWorkspace(ws: Workspace, changed: Iterable<string>, options: LoadOptions = {}): Workspace {
  const byPath = new Map(ws.documents.map((d) => [d.path, d]));
  const paths = new Set(ws.paths);
  const scan = new Scan();
  for (const file of changed) {
    const relPath = ws.root.loose ? toPosix(path.relative(process.cwd(), file)) : toPosix(path.relative(ws.root.dir, file));
    if (options.buffers?.has(file) || existsSync(file)) {
      const document = readWith(file, relPath, options, scan);
      classifyDocument(document, ws.root.dialect);
      byPath.set(file, document);
      paths.add(relPath);
    } else {
      byPath.delete(file);
      paths.delete(relPath);
    }
  }
  const documents = [...byPath.values()].sort((a, b) => a.path.localeCompare(b.path));
  return buildWorkspace(ws.root, documents, paths);
}

/** Reads one memory root from disk: every markdown file parsed and classified, the index built. */
export function loadRoot(root: string, options: LoadOptions = {}): Workspace {
  return loadRootWith(root, options, new Scan());
}

function loadRootWith(root: string, options: LoadOptions, scan: Scan, listing = listRoot(root, scan), stats?: Map<string, string>, named?: Set<string> | null): Workspace {
  const { files, paths } = options.buffers ? withBuffers(root, listing, options.buffers) : listing;
  const contextOptions = { ...options, lazyMarkdown: true };
  const rel = (p: string) => toPosix(path.relative(root, p));
  const relPaths = paths.map(rel);
  const detected = detectDialect(root, relPaths, options.dialect);
  const dialect = getDialect(detected.id);
  const documents: MemoryDocument[] = [];
  for (const file of files) {
    if (!isMarkdown(file)) continue;
    // A file read only for context (the run names others) has its markdown parsed when a rule needs it.
    documents.push(readWith(file, rel(file), named && !named.has(file) ? contextOptions : options, scan, stats?.get(file)));
  }
  classify(documents, dialect);
  return buildWorkspace({ dir: root, dialect, dialectSource: detected.source, version: detected.version }, documents, relPaths);
}

function classify(documents: readonly MemoryDocument[], dialect: ReturnType<typeof getDialect>): void {
  for (const d of documents) classifyDocument(d, dialect);
}

const stamps = new WeakMap<MemoryDocument, ReadStamp>();

/** What was read from disk for a document (its bytes, size and modification time), when it was read from disk. */
export function readStamp(document: MemoryDocument): ReadStamp | undefined {
  return stamps.get(document);
}

/** A document for a file that could not be read: empty, with the reason (the `file-unreadable` rule reports it). */
function unreadableDocument(file: string, relPath: string, code: string, detail: string): MemoryDocument {
  return { ...parseDocument({ path: file, relPath, kind: 'other', text: '' }), problem: { reason: 'unreadable', code, detail } };
}

/**
 * Reads one file, refusing oversized ones before reading them whole. Never throws: a file that
 * cannot be read is a document with an `unreadable` problem.
 */
export function readDocument(file: string, relPath: string, options: ParseOptions = {}): MemoryDocument {
  return readWith(file, relPath, options, new Scan());
}

function readWith(file: string, relPath: string, options: ParseOptions, scan: Scan, statKey?: string): MemoryDocument {
  const buffer = (options as LoadOptions).buffers?.get(file);
  if (buffer !== undefined) return parseDocument({ path: file, relPath, kind: 'other', text: buffer }, { ...options, lazyMarkdown: false });
  const known = scan.unreadable.get(file);
  if (known) return unreadableDocument(file, relPath, known.code, known.detail);
  const cache = (options as LoadOptions).cache;
  if (cache?.restoreUnread) {
    // Same size, time and inode as when cached: nothing is read unless a rule needs the text.
    let stat = statKey;
    if (stat === undefined) {
      const st = statSync(file, { bigint: true, throwIfNoEntry: false });
      stat = st?.isFile() ? `${st.size}:${st.mtimeNs}:${st.ino}` : undefined;
    }
    const doc = stat !== undefined ? cache.restoreUnread({ path: file, relPath, stat }) : undefined;
    if (doc) return doc;
  }
  const read = readFileBounded(file, options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE);
  if (read.kind === 'unreadable') return unreadableDocument(file, relPath, read.code, read.detail);
  if (read.kind === 'too-large') return parseDocument({ path: file, relPath, kind: 'other', size: read.size }, options);
  const stat = `${read.stamp.size}:${read.stamp.mtimeNs}:${read.stamp.ino}`;
  const restored = cache?.restore({ path: file, relPath, bytes: read.bytes, digest: read.stamp.sha256, stat });
  const document = restored ?? parseDocument({ path: file, relPath, kind: 'other', bytes: read.bytes }, options);
  if (cache && !restored) cache.record(document, read.stamp.sha256, stat);
  stamps.set(document, read.stamp);
  return document;
}

export interface VirtualFile {
  /** Path inside the memory root, `/`-separated (`Memory/Memory_Root.md`, `metadata.json`). */
  relPath: string;
  text?: string;
  bytes?: Uint8Array;
  /** The file exists but could not be read: the errno code (`EACCES`). */
  unreadable?: string;
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
      if (f.unreadable) return unreadableDocument(input.path, f.relPath, f.unreadable, ioErrorText({ code: f.unreadable, message: f.unreadable }));
      return f.bytes ? parseDocument({ ...input, bytes: f.bytes }, options) : parseDocument({ ...input, text: f.text ?? '' }, options);
    });
  classify(documents, dialect);
  return buildWorkspace({ dir, dialect, dialectSource: detected.source, version: detected.version }, documents, relPaths);
}

export interface LoadResult {
  roots: LoadedRoot[];
  loose: LoadedRoot | null;
  /** Everything that could not be read or followed, in path order (unreadable files are documents instead). */
  issues: LoadIssue[];
  /** `--fix` temporary files found next to the files looked at (perhaps left by a killed run). */
  tempFiles: string[];
}

/** Discovers and loads everything below the given paths. Throws InputError only for a named path that is missing or not a file or directory. */
export function loadPaths(inputs: readonly string[], options: LoadOptions = {}): LoadResult {
  const scan = new Scan();
  const found = discoverWith(inputs, scan);
  const roots: LoadedRoot[] = [];
  for (const [dir, named] of [...found.roots].sort((a, b) => a[0].localeCompare(b[0]))) {
    const listing = listRoot(dir, scan);
    const nested = [...found.roots.keys()].filter((r) => r !== dir && isInside(r, dir));
    const issues = scan.issuesUnder(dir).filter((i) => !nested.some((r) => isInside(i.path, r)));
    // With a cache: when no file of the root changed (names, sizes, times), its findings are reused
    // without reading a file.
    const listed = options.cache?.findingsFor ? listingSignature(dir, listing) : undefined;
    const signature = listed?.signature;
    if (signature) {
      const markdown = listing.files.filter(isMarkdown);
      const wanted = named === null ? markdown : markdown.filter((f) => named.has(f));
      const hit = options.cache!.findingsFor!(dir, signature, wanted);
      if (hit) {
        const documents = wanted.map((f) => parseDocument({ path: f, relPath: toPosix(path.relative(dir, f)), kind: 'other', text: '' }));
        const workspace = buildWorkspace({ dir, dialect: getDialect('unknown'), dialectSource: 'none', version: null }, documents, []);
        roots.push({ workspace, targets: new Set(documents), issues, cached: new Map(documents.map((d) => [d, hit.get(d.path)!])) });
        continue;
      }
    }
    const workspace = loadRootWith(dir, options, scan, listing, listed?.stats, named);
    const targets = new Set(named === null ? workspace.documents : workspace.documents.filter((d) => named.has(d.path)));
    roots.push({ workspace, targets, issues, ...(signature ? { signature } : {}) });
  }
  let loose: LoadedRoot | null = null;
  if (found.looseFiles.length > 0) {
    const dialect = getDialect(options.dialect === 'aops' || !options.dialect ? 'aops' : options.dialect);
    const documents = found.looseFiles.map((f) => readWith(f, toPosix(path.relative(process.cwd(), f)), options, scan));
    classify(documents, dialect);
    const workspace = buildWorkspace({ dir: process.cwd(), dialect, dialectSource: 'none', version: null, loose: true }, documents, []);
    loose = { workspace, targets: new Set(documents), issues: [] };
  }
  const issues = [...scan.issues.values()].sort((a, b) => a.path.localeCompare(b.path));
  return { roots, loose, issues, tempFiles: [...scan.temps].sort() };
}
