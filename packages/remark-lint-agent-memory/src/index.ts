import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import {
  lintWorkspace,
  listMemoryRoot,
  loadVirtualRoot,
  memoryRootOf,
  readMetadataVersion,
  validateConfig,
  type Diagnostic,
  type DialectId,
  type LintConfig,
  type SeveritySetting,
  type VirtualFile,
  type Workspace,
} from '@memlint/core';

export interface Options {
  /** Per-rule severity: `off`, `warning` or `error`. */
  rules?: Record<string, SeveritySetting>;
  /** Force a dialect instead of detecting it. */
  dialect?: DialectId;
  /** Base URL of the rule pages. */
  docsBase?: string;
  /** Files larger than this many bytes are skipped with a warning. */
  maxFileSize?: number;
  /** aops settings: the reflection profile and what marks a dump. */
  aops?: LintConfig['aops'];
  /** Section headings written in another language or renamed → the format's titles. */
  sections?: LintConfig['sections'];
}

/** The part of unified-engine's FileSet the plugin uses. */
interface FileSet {
  files: VFile[];
  add(file: string | VFile): FileSet;
  use(completer: ((set: FileSet) => void | Promise<void>) & { pluginId?: string }): FileSet;
}

const absolute = (file: VFile) => path.resolve(file.cwd, file.path);

function fileContent(file: VFile): Pick<VirtualFile, 'text' | 'bytes'> {
  const value = file.value;
  return typeof value === 'string' ? { text: value } : { bytes: value ?? new Uint8Array() };
}

/** One root's workspace from the files in hand (editor or engine), the rest of the tree read from disk. */
function workspaceFor(root: string, inHand: VFile[], options: Options): Workspace {
  const { markdownFiles, relPaths } = listMemoryRoot(root);
  const rel = (p: string) => path.relative(root, p).split(path.sep).join('/');
  const files = new Map<string, VirtualFile>();
  for (const p of markdownFiles) files.set(rel(p), { relPath: rel(p), bytes: undefined });
  for (const vf of inHand) files.set(rel(absolute(vf)), { relPath: rel(absolute(vf)), ...fileContent(vf) });
  // Files neither in hand nor pulled in are read here (the programmatic case, without a FileSet).
  const loaded = [...files.values()].map((f) => (f.text !== undefined || f.bytes ? f : { ...f, bytes: readBytes(path.join(root, f.relPath)) }));
  return loadVirtualRoot(loaded, {
    dir: root,
    paths: relPaths,
    metadataVersion: readMetadataVersion(root),
    ...(options.dialect ? { dialect: options.dialect } : {}),
    ...(options.maxFileSize ? { maxFileSize: options.maxFileSize } : {}),
  });
}

function readBytes(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch {
    return new Uint8Array();
  }
}

function report(file: VFile, d: Diagnostic): void {
  const message = file.message(d.message, {
    place: { start: { ...d.range.start }, end: { ...d.range.end } },
    ruleId: d.ruleId,
    source: 'remark-lint-agent-memory',
  });
  message.fatal = d.severity === 'error';
  message.url = d.url;
  if (d.expected) message.expected = d.expected;
  if (d.note) message.note = d.note;
}

function lintInto(root: string | null, files: VFile[], options: Options, config: LintConfig): void {
  const ws = root
    ? workspaceFor(root, files, options)
    : loadVirtualRoot(
        files.map((f) => ({ relPath: path.basename(f.path || 'input.md'), ...fileContent(f) })),
        { dialect: options.dialect ?? 'aops', ...(options.maxFileSize ? { maxFileSize: options.maxFileSize } : {}) },
      );
  if (!root) ws.root.loose = true;
  const byRel = new Map(files.map((f) => [root ? path.relative(root, absolute(f)).split(path.sep).join('/') : path.basename(f.path || 'input.md'), f]));
  const targets = new Set(ws.documents.filter((d) => byRel.has(d.relPath)));
  for (const [doc, diagnostics] of lintWorkspace(ws, config, targets)) {
    const file = byRel.get(doc.relPath);
    if (file) for (const d of diagnostics) report(file, d);
  }
}

/**
 * remark-lint-agent-memory: memlint's rules as a remark plugin. In remark-cli (unified-engine)
 * the whole memory tree is pulled into the run so cross-file rules see it, and findings are
 * added once every file is read; used directly (`unified().use(…)`), siblings are read from disk.
 */
export default function remarkLintAgentMemory(options: Options = {}, fileSet?: FileSet) {
  const config: LintConfig = {
    ...(options.rules ? { rules: options.rules } : {}),
    ...(options.docsBase ? { docsBase: options.docsBase } : {}),
    ...(options.aops ? { aops: options.aops } : {}),
    ...(options.sections ? { sections: options.sections } : {}),
  };
  validateConfig(config);

  if (fileSet) {
    const pulled = new Set<string>();
    const completer = (set: FileSet) => {
      const groups = new Map<string | null, VFile[]>();
      for (const file of set.files) {
        if (!file.path || !/\.(md|markdown)$/i.test(file.path)) continue;
        const root = memoryRootOf(absolute(file));
        groups.set(root, [...(groups.get(root) ?? []), file]);
      }
      for (const [root, files] of groups) lintInto(root, files, options, config);
    };
    completer.pluginId = 'remark-lint-agent-memory';
    fileSet.use(completer);
    return (_tree: Root, file: VFile) => {
      if (!file.path) return;
      const root = memoryRootOf(absolute(file));
      if (!root || pulled.has(root)) return;
      pulled.add(root);
      for (const sibling of listMemoryRoot(root).markdownFiles) {
        if (sibling !== absolute(file)) fileSet.add(path.relative(file.cwd, sibling));
      }
    };
  }

  return (_tree: Root, file: VFile) => {
    const root = file.path ? memoryRootOf(absolute(file)) : null;
    lintInto(root, [file], options, config);
  };
}
