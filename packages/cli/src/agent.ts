// What the agent-facing commands (`memlint mcp`, `memlint hook`, `memlint new`) share: one file
// checked against the rest of its tree (with a text that is not on disk yet standing for it), a
// tree's summary, and the configuration that applies where the file is.
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  buildWorkspace,
  classifyDocument,
  countBySeverity,
  findConfig,
  fixWorkspace,
  getDialect,
  lintWorkspace,
  loadPaths,
  loadRoot,
  memoryRootOf,
  parseDocument,
  readConfig,
  readDocument,
  toLintConfig,
  validateConfig,
  type Diagnostic,
  type LintConfig,
  type LoadOptions,
  type Workspace,
} from '@memlint/core';

/** A finding as an agent reads it: where (1-based line and column), which rule, what is wrong. */
export interface Finding {
  path: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  rule: string;
  severity: 'error' | 'warning';
  message: string;
  /** Replacements memlint knows for the range. */
  expected?: string[];
  url: string;
}

export interface FileCheck {
  /** The memory root the file belongs to, or null for a markdown file outside every tree (read for aops content). */
  root: string | null;
  dialect: string;
  findings: Finding[];
  /** The whole file with every certain fix applied, when there is one (and it was asked for). */
  fixed: string | null;
  /** Whether some finding has a certain fix (`memlint --fix` would change the file). */
  fixable: boolean;
}

export interface Settings {
  config: LintConfig;
  load: LoadOptions;
}

/** The configuration file nearest a path (as the CLI finds it from its working directory), or none. */
export function settingsFor(place: string): Settings {
  const file = findConfig(place);
  const fromFile = file ? readConfig(file) : {};
  const config = toLintConfig(fromFile);
  validateConfig(config);
  return { config, load: { ...(fromFile.dialect ? { dialect: fromFile.dialect } : {}) } };
}

export const isMarkdownPath = (file: string) => /\.(?:md|markdown)$/i.test(file);

export function toFinding(d: Diagnostic, cwd: string): Finding {
  return {
    path: path.relative(cwd, d.path) || d.path,
    line: d.range.start.line,
    column: d.range.start.column,
    endLine: d.range.end.line,
    endColumn: d.range.end.column,
    rule: d.ruleId,
    severity: d.severity,
    message: d.message,
    ...(d.expected?.length ? { expected: d.expected } : {}),
    url: d.url,
  };
}

/**
 * Checks one markdown file against its memory tree as it is on disk (cross-file rules included),
 * with `text`, when given, standing for the file. Returns null for a file memlint does not read
 * (not markdown).
 */
export function checkFile(file: string, text: string | undefined, settings: Settings, cwd: string, options: { fixed?: boolean } = {}): FileCheck | null {
  const abs = path.resolve(cwd, file);
  if (!isMarkdownPath(abs)) return null;
  const root = memoryRootOf(abs);
  const buffers = text !== undefined ? { buffers: new Map([[abs, text]]) } : {};
  let ws: Workspace;
  if (root && existsSync(abs)) {
    // Named like this, the rest of the tree is context: its markdown is parsed only where a rule needs it.
    ws = loadPaths([abs], { ...settings.load, ...buffers }).roots[0]?.workspace ?? loadRoot(root, { ...settings.load, ...buffers });
  } else if (root) {
    ws = loadRoot(root, { ...settings.load, ...buffers });
  } else {
    const relPath = path.basename(abs);
    const doc = text !== undefined ? parseDocument({ path: abs, relPath, kind: 'other', text }) : readDocument(abs, relPath);
    const dialect = getDialect('aops');
    classifyDocument(doc, dialect);
    ws = buildWorkspace({ dir: path.dirname(abs), dialect, dialectSource: 'none', version: null, loose: true }, [doc], []);
  }
  const doc = ws.documents.find((d) => d.path === abs);
  if (!doc) return { root, dialect: ws.root.dialect.id, findings: [], fixed: null, fixable: false };
  const only = new Set([doc]);
  const diagnostics = lintWorkspace(ws, settings.config, only).get(doc) ?? [];
  const fixable = diagnostics.some((d) => d.fix && d.fix.length > 0);
  // Fixing lints the tree again, pass after pass: only when the fixed text is wanted.
  const fixedDoc = fixable && options.fixed !== false ? fixWorkspace(ws, settings.config, only).fixed.find((f) => f.original === doc) : undefined;
  return { root, dialect: ws.root.dialect.id, findings: diagnostics.map((d) => toFinding(d, cwd)), fixed: fixedDoc ? fixedDoc.document.source.text : null, fixable };
}

export interface TreeSummary {
  roots: { root: string; dialect: string; files: number; errors: number; warnings: number }[];
  files: number;
  errors: number;
  warnings: number;
  findings: Finding[];
}

/** Lints everything below a path, as `memlint <path>` does, and sums it up per memory root. */
export function lintTree(target: string, settings: Settings, cwd: string): TreeSummary {
  const loaded = loadPaths([path.resolve(cwd, target)], settings.load);
  const summary: TreeSummary = { roots: [], files: 0, errors: 0, warnings: 0, findings: [] };
  for (const part of [...loaded.roots, ...(loaded.loose ? [loaded.loose] : [])]) {
    const result = lintWorkspace(part.workspace, settings.config, part.targets);
    const counts = countBySeverity(result);
    const root = part.workspace.root;
    summary.roots.push({ root: root.loose ? '(files outside memory trees)' : path.relative(cwd, root.dir) || '.', dialect: root.dialect.id, files: part.targets.size, ...counts });
    summary.files += part.targets.size;
    summary.errors += counts.errors;
    summary.warnings += counts.warnings;
    for (const list of result.values()) for (const d of list) summary.findings.push(toFinding(d, cwd));
  }
  return summary;
}

/** `path:line:col  severity  message  rule`, one per finding, as an agent reads them. */
export function findingLines(findings: readonly Finding[]): string {
  return findings.map((f) => `${f.path}:${f.line}:${f.column}  ${f.severity}  ${f.message}  ${f.rule}${f.expected?.length ? ` (expected: ${f.expected.join(' | ')})` : ''}`).join('\n');
}
