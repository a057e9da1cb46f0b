// `--watch`: lint, then, on every change below the paths, re-read only the changed files, rebuild
// the index of the memory roots they belong to from the documents already in memory, lint those
// roots again and print the findings that appeared and disappeared.
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { reporter } from 'vfile-reporter';
import {
  documentMemo,
  lintWorkspace,
  loadPaths,
  updateWorkspace,
  type Diagnostic,
  type LintConfig,
  type LoadedRoot,
  type LoadOptions,
  type MemoryDocument,
} from '@memlint/core';
import type { CliOptions } from './options.ts';
import { toVFile } from './vfiles.ts';
import type { Writable } from 'node:stream';

export interface WatchIo {
  cwd: string;
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable;
}

interface Finding {
  key: string;
  line: string;
  severity: Diagnostic['severity'];
}

const isMarkdown = (p: string) => /\.(md|markdown)$/i.test(p);
const toPosix = (p: string) => p.split(path.sep).join('/');
const isInside = (p: string, dir: string) => p === dir || p.startsWith(dir.endsWith(path.sep) ? dir : `${dir}${path.sep}`);

/** A finding as one line, and what identifies it across edits (rule and message: a finding that only moved has not come or gone). */
function finding(shown: string, d: Diagnostic): Finding {
  const { line, column } = d.range.start;
  return { key: `${d.ruleId}\u0000${d.message}`, line: `${shown}:${line}:${column}  ${d.severity}  ${d.message}  ${d.ruleId}`, severity: d.severity };
}

/** What is in `a` and not in `b`, counting repeats (two equal findings in a file are two). */
function minus(a: readonly Finding[], b: readonly Finding[]): Finding[] {
  const left = new Map<string, number>();
  for (const f of b) left.set(f.key, (left.get(f.key) ?? 0) + 1);
  return a.filter((f) => {
    const n = left.get(f.key) ?? 0;
    if (n === 0) return true;
    left.set(f.key, n - 1);
    return false;
  });
}

export async function watchLint(options: CliOptions, io: WatchIo, settings: { config: LintConfig; loadOptions: LoadOptions }): Promise<number> {
  const { config, loadOptions } = settings;
  const inputs = options.paths.map((p) => path.resolve(io.cwd, p));
  const shown = (p: string) => toPosix(path.relative(io.cwd, p)) || p;
  const keep = (ds: Diagnostic[]) => (options.quiet ? ds.filter((d) => d.severity === 'error') : ds);

  let roots: LoadedRoot[] = [];
  // The findings of the rules that read only their document, for the documents a change left as they were.
  const memo = documentMemo();
  /** Per file reported: its findings now. */
  let findings = new Map<string, Finding[]>();

  const reported: { document: MemoryDocument; diagnostics: Diagnostic[] }[] = [];
  const lintRootInto = (root: LoadedRoot, into: Map<string, Finding[]>) => {
    for (const [document, diagnostics] of lintWorkspace(root.workspace, config, root.targets, undefined, memo)) {
      const shownDiagnostics = keep(diagnostics);
      into.set(document.path, shownDiagnostics.map((d) => finding(shown(document.path), d)));
      reported.push({ document, diagnostics: shownDiagnostics });
    }
  };

  const loadAll = () => {
    const loaded = loadPaths(inputs, loadOptions);
    for (const issue of loaded.issues) io.stderr.write(`memlint: ${shown(issue.path)}: ${issue.message}\n`);
    roots = [...loaded.roots, ...(loaded.loose ? [loaded.loose] : [])];
    const next = new Map<string, Finding[]>();
    for (const root of roots) lintRootInto(root, next);
    return next;
  };

  const totals = () => {
    let errors = 0;
    let warnings = 0;
    for (const list of findings.values()) for (const f of list) f.severity === 'error' ? errors++ : warnings++;
    return `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'} in ${findings.size} file${findings.size === 1 ? '' : 's'}`;
  };

  // The first run: the whole report, as a plain run prints it.
  findings = loadAll();
  const files = reported.splice(0).sort((a, b) => a.document.path.localeCompare(b.document.path));
  const text = reporter(files.map((f) => toVFile(f.document.path, f.diagnostics, io.cwd)), { quiet: true, color: options.color ?? Boolean(io.stdout.isTTY), verbose: options.verbose });
  if (text) io.stdout.write(`${text}\n`);
  io.stdout.write(`${totals()}\n`);

  /** The root a changed markdown file belongs to (the innermost), when it is one memlint already reads. */
  const rootOf = (file: string): LoadedRoot | null => {
    let best: LoadedRoot | null = null;
    for (const root of roots) {
      const { dir, loose } = root.workspace.root;
      if (loose) {
        if (root.workspace.documents.some((d) => d.path === file)) return root;
        continue;
      }
      if (isInside(file, dir) && (!best || dir.length > best.workspace.root.dir.length)) best = root;
    }
    return best;
  };

  /** Re-reads the changed files of one root, keeps every other document as it is, rebuilds the index (core's updateWorkspace). */
  const refresh = (root: LoadedRoot, changed: readonly string[]): LoadedRoot => {
    const wholeRoot = root.targets.size === root.workspace.documents.length;
    const workspace = updateWorkspace(root.workspace, changed, loadOptions);
    const named = new Set([...root.targets].map((d) => d.path));
    const targets = new Set(wholeRoot ? workspace.documents : workspace.documents.filter((d) => named.has(d.path)));
    return { workspace, targets, issues: root.issues };
  };

  const relint = (changed: Set<string>) => {
    const byRoot = new Map<LoadedRoot, string[]>();
    let full = false;
    for (const file of changed) {
      const root = isMarkdown(file) ? rootOf(file) : null;
      // metadata.json, a folder, a file outside every root read so far: what is a root may have changed.
      if (!root) {
        full = true;
        break;
      }
      byRoot.set(root, [...(byRoot.get(root) ?? []), file]);
    }
    const before = findings;
    if (full) findings = loadAll();
    else {
      findings = new Map(before);
      for (const [root, files] of byRoot) {
        const next = refresh(root, files);
        roots[roots.indexOf(root)] = next;
        for (const d of root.targets) findings.delete(d.path);
        lintRootInto(next, findings);
      }
    }
    reported.length = 0;
    const lines: string[] = [];
    for (const file of [...new Set([...before.keys(), ...findings.keys()])].sort()) {
      const was = before.get(file) ?? [];
      const now = findings.get(file) ?? [];
      for (const f of minus(was, now)) lines.push(`- ${f.line}`);
      for (const f of minus(now, was)) lines.push(`+ ${f.line}`);
    }
    const names = [...changed].map(shown).sort();
    io.stdout.write(`\n${names.length === 1 ? names[0] : `${names.length} files`} changed: ${lines.length ? '' : 'no finding came or went; '}${totals()}\n`);
    if (lines.length) io.stdout.write(`${lines.join('\n')}\n`);
  };

  const watcher: FSWatcher = watch(inputs, {
    ignoreInitial: true,
    ignored: (p: string) => /(^|[/\\])(node_modules|\.git)([/\\]|$)/.test(p) || /\.memlint-\d+\.tmp$/.test(p),
  });
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  watcher.on('all', (_event, file) => {
    pending.add(path.resolve(io.cwd, file));
    clearTimeout(timer);
    // Editors write a file in several steps: one batch for what happens within 100 ms.
    timer = setTimeout(() => {
      const batch = pending;
      pending = new Set();
      try {
        relint(batch);
      } catch (error) {
        io.stderr.write(`memlint: could not lint the change (${(error as Error).message}); watching on\n`);
      }
    }, 100);
  });
  watcher.on('error', (error) => io.stderr.write(`memlint: watching: ${(error as Error).message}\n`));

  return new Promise<number>((resolve) => {
    watcher.on('ready', () => io.stderr.write(`memlint: watching ${options.paths.join(', ')} for changes (Ctrl-C stops)\n`));
    const stop = () => {
      clearTimeout(timer);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void watcher.close().then(() => {
        io.stderr.write('memlint: stopped watching\n');
        resolve(0);
      });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
