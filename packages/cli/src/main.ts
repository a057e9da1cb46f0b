import { readFileSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { reporter } from 'vfile-reporter';
import { reporterJson } from 'vfile-reporter-json';
import {
  allRules,
  ConfigError,
  dialects,
  discover,
  explainDialect,
  fixWorkspace,
  InputError,
  ioErrorText,
  isIoError,
  jsonSchemaFor,
  lintWorkspace,
  listMemoryRoot,
  loadPaths,
  readStamp,
  ruleUrl,
  schemaKinds,
  validateConfig,
  type Diagnostic,
  type DialectId,
  type DocumentKind,
  type LintConfig,
  type LoadedRoot,
  type LoadResult,
  type MemoryDocument,
  type Rule,
  type RuleContext,
} from '@memlint/core';
import path from 'node:path';
import { z } from 'zod';
import { configFileSchema, findConfig, readConfig, toLintConfig } from './config.ts';
import { lintRoot, openCache } from './cache.ts';
import { parseOptions, parseSize, UsageError, type CliOptions } from './options.ts';
import { githubAnnotations } from './github.ts';
import { exitStatus, warningsFail } from './exit.ts';
import { junitReport } from './junit.ts';
import { sarifLog } from './sarif.ts';
import { toVFile } from './vfiles.ts';
import { removeStaleTemps, wouldWrite, writeFixed, type WriteOutcome } from './write.ts';
import { fixDiff } from './diff.ts';
import { startProgress } from './progress.ts';

export { ioErrorText };

export interface CliIo {
  cwd: string;
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable;
}

const HELP = `Usage: memlint [paths…] [options]
       memlint schema <kind>      print the JSON Schema of a kind's frontmatter
       memlint rules [--report json]   list the rules
       memlint new <kind> [path]  write the skeleton of the next handoff, task-log or reflection
       memlint hook               a Claude Code PostToolUse hook: lint the file written (JSON on stdin)
       memlint mcp                an MCP server on stdio: lint_file, lint_tree, next_log, explain_rule

Lints agent memory files: every .apm/ tree below the given paths (default: .), or the
files named (their memory root is read for context, only they are reported).

Options:
  -r, --report <format>     pretty (default), json (vfile-reporter-json's shape), github
                            (GitHub Actions annotations), sarif (SARIF 2.1.0) or junit (JUnit XML)
  -f, --format <format>     the same as --report (give one of them)
      --max-warnings <n>    exit 1 when there are more than n warnings
      --frail               exit 1 on warnings too
      --dialect <id>        force a dialect: apm-stage, apm-v1, apm-phase, apm-v03
      --explain-dialect     print each memory root below the paths, the dialect chosen and the evidence
      --rule <id>=<level>   set a rule to off, warning or error (repeatable)
      --max-file-size <n>   skip files larger than this (default 2MB)
      --profile <id>        Framework Reflection profile: 2 (default), 1b, 3, 5
  -c, --config <file>       configuration file (default: the nearest .memlintrc.json)
      --no-config           ignore configuration files
      --fix                 apply the safe fixes (only the bytes at fault change) and report what remains
      --fix-dry-run         print what --fix would write as a unified diff; write nothing
      --watch               lint, then again on every change, printing the findings that came and went
  -q, --quiet               report errors only (no warnings)
      --verbose             show each message's note and rule page URL
      --color, --no-color   force colour on or off
      --docs-base <url>     base URL of the rule pages in messages
  -h, --help                this help
  -v, --version             the version

Exit status: 0 no errors, 1 errors found, 2 usage or I/O failure (a path that is missing or not
a file or directory, a directory that could not be read, a fix that could not be written).
`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Runs the CLI; returns the exit code. Never throws for bad input: it reports and returns 2. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  if (argv[0] === 'new' || argv[0] === 'hook' || argv[0] === 'mcp') return agentCommand(argv[0], argv.slice(1), io);
  let options: CliOptions;
  try {
    options = parseOptions(argv);
  } catch (error) {
    io.stderr.write(`memlint: ${(error as Error).message}\nRun memlint --help for usage.\n`);
    return 2;
  }
  try {
    switch (options.command) {
      case 'help':
        io.stdout.write(HELP);
        return 0;
      case 'version':
        io.stdout.write(`${version()}\n`);
        return 0;
      case 'schema':
        return printSchema(options, io);
      case 'explain-dialect':
        return explainDialects(options, io);
      case 'rules':
        return printRules(options, io);
      default:
        if (options.watch) {
          const { config, dialect, maxFileSize } = effectiveConfig(options, io);
          validateConfig(config);
          const { watchLint } = await import('./watch.ts');
          return await watchLint(options, io, { config, loadOptions: { ...(dialect ? { dialect } : {}), ...(maxFileSize ? { maxFileSize } : {}) } });
        }
        return lint(options, io);
    }
  } catch (error) {
    if (error instanceof InputError && error.path !== null) {
      io.stderr.write(`memlint: ${displayPath(io.cwd, error.path)}: ${error.reason}\n`);
      return 2;
    }
    if (error instanceof UsageError || error instanceof ConfigError || error instanceof InputError) {
      io.stderr.write(`memlint: ${error.message}\n`);
      return 2;
    }
    // The file system said no somewhere not handled where it happened: still an I/O failure, in words.
    if (isIoError(error)) {
      io.stderr.write(`memlint: ${ioErrorText(error)}${error.path ? `: ${error.path}` : ''}\n`);
      return 2;
    }
    // A bug in memlint: say so plainly; the stack only on request.
    io.stderr.write(`memlint: internal error: ${(error as Error).message}\nPlease report it (set MEMLINT_DEBUG=1 for the stack).\n`);
    if (process.env.MEMLINT_DEBUG) io.stderr.write(`${(error as Error).stack}\n`);
    return 2;
  }
}

/** The agent-facing commands, loaded only when asked for (a lint run never reads them). */
async function agentCommand(command: 'new' | 'hook' | 'mcp', argv: string[], io: CliIo): Promise<number> {
  try {
    if (command === 'new') return (await import('./new.ts')).runNew(argv, io);
    if (command === 'hook') {
      const { hookOptions, readStdin, runHook } = await import('./hook.ts');
      return await runHook(await readStdin(), io, { ...hookOptions(argv, io), version: version() });
    }
    const { serveMcp } = await import('./mcp.ts');
    return await serveMcp(argv, io, version());
  } catch (error) {
    io.stderr.write(`memlint ${command}: internal error: ${(error as Error).message}\nPlease report it (set MEMLINT_DEBUG=1 for the stack).\n`);
    if (process.env.MEMLINT_DEBUG) io.stderr.write(`${(error as Error).stack}\n`);
    // A hook that breaks must not stop the agent.
    return command === 'hook' ? 0 : 2;
  }
}

/** A path for a message: relative to the working directory when it is inside it, else absolute. */
function displayPath(cwd: string, p: string): string {
  const abs = path.resolve(cwd, p);
  const rel = path.relative(cwd, abs);
  return rel && !rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel) ? rel : abs;
}

/** `--explain-dialect`: each memory root below the paths, the dialect chosen and the evidence for it. */
function explainDialects(options: CliOptions, io: CliIo): number {
  const inputs = options.paths.map((p) => path.resolve(io.cwd, p));
  const found = discover(inputs);
  const rel = (p: string) => path.relative(io.cwd, p) || '.';
  const roots = [...found.roots.keys()].sort().map((dir) => {
    const why = explainDialect(dir, listMemoryRoot(dir).relPaths, options.dialect);
    const dialect = dialects[why.id];
    return { root: rel(dir), dialect: why.id, label: dialect.label, versions: dialect.versions, rulesAvailable: dialect.rulesAvailable, source: why.source, metadata: why.metadata ? { ...why.metadata, file: rel(why.metadata.file) } : null, versionClaimedBy: why.versionClaimedBy, layout: why.layout };
  });
  const skipped = found.skipped.map((s) => ({ dir: rel(s.dir), reason: s.reason }));
  if (options.report === 'json') {
    io.stdout.write(`${JSON.stringify({ roots, skipped }, null, 2)}\n`);
    return 0;
  }
  for (const r of roots) {
    const decided =
      r.source === 'option' ? 'set by --dialect or the configuration'
      : r.source === 'metadata' ? `${r.metadata!.file} has ${r.metadata!.key} "${r.metadata!.version}"`
      : r.source === 'layout' ? `its layout${r.metadata ? ` (${r.metadata.file} has ${r.metadata.key} "${r.metadata.version}", which no dialect claims)` : ' (no metadata.json version)'}`
      : 'nothing: no metadata.json version and no known layout';
    const layout = r.layout.length ? r.layout.map((l) => `${l.id} ${l.score}`).join(', ') : 'no known paths';
    io.stdout.write(`${r.root}\n  dialect: ${r.dialect} (${r.label}, ${r.versions})${r.rulesAvailable ? '' : ' — recognised only: encoding and frontmatter checks'}\n  decided by: ${decided}\n  layout evidence (paths only that dialect has): ${layout}\n`);
  }
  for (const s of skipped) io.stdout.write(`${s.dir}\n  not a memory tree: ${s.reason}\n`);
  if (roots.length === 0 && skipped.length === 0) io.stderr.write('memlint: no .apm/ memory trees found below the given paths\n');
  return 0;
}

function printRules(options: CliOptions, io: CliIo): number {
  if (options.report === 'json') {
    const rules = allRules.map(({ meta }) => ({
      id: meta.id,
      severity: meta.severity,
      description: meta.description,
      family: meta.family,
      dialects: meta.dialects ?? null,
      crossFile: Boolean(meta.crossFile),
      fixable: Boolean(meta.fixable),
      url: ruleUrl(meta.id, options.docsBase),
    }));
    io.stdout.write(`${JSON.stringify(rules, null, 2)}\n`);
    return 0;
  }
  for (const r of allRules) io.stdout.write(`${r.meta.id.padEnd(28)} ${r.meta.severity.padEnd(8)} ${r.meta.description}\n`);
  return 0;
}

function printSchema(options: CliOptions, io: CliIo): number {
  const kind = options.paths[0] as DocumentKind | 'config' | undefined;
  if (kind === 'config') {
    io.stdout.write(`${JSON.stringify(z.toJSONSchema(configFileSchema), null, 2)}\n`);
    return 0;
  }
  // A kind several dialects define (task-log) is the Stage era's unless --dialect says otherwise.
  const order: DialectId[] = ['apm-stage', 'apm-v1', 'aops'];
  const kinds = [...new Set(order.flatMap((d) => schemaKinds(d)))];
  if (!kind || !kinds.includes(kind)) {
    io.stderr.write(`memlint: schema: expected one of ${kinds.join(', ')}, config${kind ? `, got "${kind}"` : ''}\n`);
    return 2;
  }
  const dialect = options.dialect ?? order.find((d) => schemaKinds(d).includes(kind))!;
  if (!schemaKinds(dialect).includes(kind)) {
    io.stderr.write(`memlint: schema: ${dialect} has no ${kind} (its kinds: ${schemaKinds(dialect).join(', ') || 'none'})\n`);
    return 2;
  }
  io.stdout.write(`${JSON.stringify(jsonSchemaFor(kind, dialect), null, 2)}\n`);
  return 0;
}

/** The configuration file's settings, overridden by the command line's. */
function effectiveConfig(options: CliOptions, io: CliIo): { config: LintConfig; dialect?: DialectId; maxFileSize?: number } {
  const file = options.config === false ? null : options.config ? path.resolve(io.cwd, options.config) : findConfig(io.cwd);
  const fromFile = file ? readConfig(file) : {};
  const base = toLintConfig(fromFile);
  const config: LintConfig = {
    ...base,
    rules: { ...base.rules, ...options.rules },
    ...(options.docsBase ? { docsBase: options.docsBase } : {}),
    ...(options.profile ? { aops: { ...base.aops, profile: options.profile } } : {}),
  };
  const dialect = options.dialect ?? fromFile.dialect;
  const maxFileSize = options.maxFileSize ?? (typeof fromFile.maxFileSize === 'string' ? parseSize(fromFile.maxFileSize) : fromFile.maxFileSize);
  return { config, ...(dialect ? { dialect } : {}), ...(maxFileSize ? { maxFileSize } : {}) };
}

function lint(options: CliOptions, io: CliIo): number {
  const { config, dialect, maxFileSize } = effectiveConfig(options, io);
  validateConfig(config);
  // --fix and --fix-dry-run read every file they may write (its bytes and digest guard the write): no cache.
  const cache = options.cache && !options.fix && !options.fixDryRun
    ? openCache({ location: options.cacheLocation, cwd: io.cwd, version: version(), config, ...(dialect ? { dialect } : {}), ...(maxFileSize ? { maxFileSize } : {}) })
    : null;
  const loadOptions = { ...(dialect ? { dialect } : {}), ...(maxFileSize ? { maxFileSize } : {}), ...(cache ? { cache } : {}) };
  const inputs = options.paths.map((p) => path.resolve(io.cwd, p));
  const shown = (p: string) => displayPath(io.cwd, p);
  const progress = startProgress(io.stderr, process.env);
  let loaded = loadPaths(inputs, loadOptions);
  let failed = cleanUp(loaded, io, shown);
  for (const issue of loaded.issues) {
    io.stderr.write(`memlint: ${shown(issue.path)}: ${issue.message}\n`);
    if (issue.failure) failed = true;
  }
  if (options.fix) {
    const outcome = fixAll(loaded, config, io, shown);
    if (outcome.failed) failed = true;
    const { fixed, files } = outcome;
    if (options.report === 'pretty' && fixed > 0) io.stdout.write(`fixed ${fixed} problem${fixed === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}\n`);
    // Report what remains, from the files as they are now (what could not be read was said above).
    if (fixed > 0) loaded = loadPaths(inputs, loadOptions);
  }
  if (options.fixDryRun) {
    if (fixDryRun(loaded, config, io, shown)) failed = true;
  }
  const { roots, loose } = loaded;
  const results: { document: MemoryDocument; diagnostics: Diagnostic[] }[] = [];
  let warnings = 0; // all of them, shown or not: --frail and --max-warnings count what --quiet hides
  for (const root of [...roots, ...(loose ? [loose] : [])]) {
    for (const [document, diagnostics] of lintRoot(root, config, cache)) {
      warnings += diagnostics.filter((d) => d.severity === 'warning').length;
      progress.update(`memlint: linted ${results.length + 1} file${results.length === 0 ? '' : 's'}…`);
      results.push({ document, diagnostics: options.quiet ? diagnostics.filter((d) => d.severity === 'error') : diagnostics });
    }
  }
  results.sort((a, b) => a.document.path.localeCompare(b.document.path));
  const files = results.map((r) => toVFile(r.document.path, r.diagnostics, io.cwd));
  const errors = results.reduce((n, r) => n + r.diagnostics.filter((d) => d.severity === 'error').length, 0);
  progress.done();
  if (options.fixDryRun) {
    // The diff is the output (fixDryRun); the findings of the files as they are decide the exit status.
  } else if (options.report === 'junit') {
    io.stdout.write(junitReport(results.map((r) => ({ path: r.document.path, diagnostics: r.diagnostics })), io.cwd, { warningsFail: warningsFail(warnings, options) }));
    if (results.length === 0) io.stderr.write('memlint: no memory files found (looked for .apm/ trees and markdown files below the given paths)\n');
  } else if (options.report === 'sarif') {
    io.stdout.write(sarifLog(results.map((r) => ({ path: r.document.path, diagnostics: r.diagnostics })), io.cwd, version()));
  } else if (options.report === 'github') {
    io.stdout.write(githubAnnotations(results.map((r) => ({ path: r.document.path, diagnostics: r.diagnostics })), io.cwd));
    if (results.length === 0) io.stderr.write('memlint: no memory files found (looked for .apm/ trees and markdown files below the given paths)\n');
  } else if (options.report === 'json') {
    io.stdout.write(`${reporterJson(files)}\n`);
    if (results.length === 0) io.stderr.write('memlint: no memory files found (looked for .apm/ trees and markdown files below the given paths)\n');
  } else {
    const color = options.color ?? Boolean(io.stdout.isTTY);
    const text = reporter(files, { quiet: true, color, verbose: options.verbose });
    if (text) io.stdout.write(`${text}\n`);
    const rootCount = roots.length;
    if (results.length === 0) io.stderr.write('memlint: no memory files found (looked for .apm/ trees and markdown files below the given paths)\n');
    else {
      const where = rootCount > 0 ? ` in ${rootCount} memory root${rootCount === 1 ? '' : 's'}${loose ? ' and elsewhere' : ''}` : '';
      io.stdout.write(`${results.length} file${results.length === 1 ? '' : 's'} checked${where}${text ? '' : ': no problems'}\n`);
    }
  }
  if (cache) {
    // A cache that cannot be written costs the next run its speed, never this run its result.
    try {
      cache.save();
    } catch (error) {
      io.stderr.write(`memlint: cannot write the cache ${shown(cache.file)} (${ioErrorText(error)}); the next run starts without it\n`);
    }
  }
  return exitStatus({ failed, errors, warnings }, options, io.stderr);
}

/**
 * `--fix-dry-run`: what `--fix` would write, as a unified diff on stdout, from the same fixes and
 * the same checks before writing (a read-only or changed file is left out, and said so); nothing
 * is written. True when a file could not even be looked at (an I/O failure).
 */
function fixDryRun(loaded: LoadResult, config: LintConfig, io: CliIo, shown: (p: string) => string): boolean {
  const diffs: string[] = [];
  const outcome = fixAll(loaded, config, io, shown, (original, bytes) => {
    const check = wouldWrite(original.path, readStamp(original));
    if (check.written) diffs.push(fixDiff(original, bytes, io.cwd));
    return check;
  });
  io.stdout.write(diffs.join(''));
  const { fixed, files } = outcome;
  io.stderr.write(`memlint: --fix would fix ${fixed} problem${fixed === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'} (--fix-dry-run: nothing written)\n`);
  return outcome.failed;
}

/** Removes what killed `--fix` runs left behind; true when some of it could not be removed. */
function cleanUp(loaded: LoadResult, io: CliIo, shown: (p: string) => string): boolean {
  const { removed, failed } = removeStaleTemps(loaded.tempFiles);
  if (removed.length > 0) {
    io.stderr.write(`memlint: removed ${removed.length === 1 ? `${shown(removed[0]!)}, a temporary file` : `${removed.length} temporary files`} left by an interrupted memlint --fix\n`);
  }
  for (const f of failed) io.stderr.write(`memlint: cannot remove ${shown(f.path)}, left by an interrupted memlint --fix (${f.reason})\n`);
  return failed.length > 0;
}

/** The first thing in a root that could not be read, when there is one: cross-file fixes there would count without it. */
function unreadPart(root: LoadedRoot): string | null {
  const doc = root.workspace.documents.find((d) => d.problem?.reason === 'unreadable');
  return doc?.path ?? root.issues[0]?.path ?? null;
}

/**
 * The rules, with the fixes of the cross-file ones held back: for a root where something could not
 * be read, a count or a cross-reference would be "corrected" from an incomplete picture. The
 * findings stay; `held` collects the paths whose fixes were held back, with the rule ids.
 */
function holdingCrossFileFixes(held: Map<string, Set<string>>): Rule[] {
  return allRules.map((rule) => {
    if (!rule.meta.crossFile || !rule.meta.fixable) return rule;
    const hold = (context: RuleContext): RuleContext => ({
      ...context,
      report: (document, range, message, extra) => {
        if (!extra?.fix) return context.report(document, range, message, extra);
        const { fix: _fix, ...rest } = extra;
        held.set(document.path, (held.get(document.path) ?? new Set()).add(rule.meta.id));
        context.report(document, range, message, rest);
      },
    });
    return {
      meta: rule.meta,
      ...(rule.checkDocument ? { checkDocument: (document: MemoryDocument, context: RuleContext) => rule.checkDocument!(document, hold(context)) } : {}),
      ...(rule.checkWorkspace ? { checkWorkspace: (context: RuleContext) => rule.checkWorkspace!(hold(context)) } : {}),
    };
  });
}

/** Writes a fixed file (`--fix-dry-run` passes one that only checks and records). */
type FixWriter = (original: MemoryDocument, bytes: Uint8Array) => WriteOutcome;

const writeToDisk: FixWriter = (original, bytes) => writeFixed(original.path, bytes, readStamp(original));

function fixAll(loaded: LoadResult, config: LintConfig, io: CliIo, shown: (p: string) => string, write: FixWriter = writeToDisk): { fixed: number; files: number; failed: boolean } {
  let fixed = 0;
  let files = 0;
  let failed = false;
  for (const root of [...loaded.roots, ...(loaded.loose ? [loaded.loose] : [])]) {
    const unread = unreadPart(root);
    const held = new Map<string, Set<string>>();
    const run = fixWorkspace(root.workspace, config, root.targets, unread ? { rules: holdingCrossFileFixes(held) } : {});
    for (const [file, ids] of held) {
      io.stderr.write(`memlint: not fixing ${shown(file)} (${[...ids].join(', ')}): ${shown(unread!)} could not be read, and the fix counts on it\n`);
    }
    for (const { document, reason } of run.skipped) io.stderr.write(`memlint: not fixing ${shown(document.path)}: ${reason}\n`);
    for (const { original, bytes, applied } of run.fixed) {
      const written = write(original, bytes);
      if (!written.written) {
        io.stderr.write(`memlint: ${written.failure ? 'cannot fix' : 'not fixing'} ${shown(original.path)}: ${written.reason}\n`);
        if (written.failure) failed = true;
        continue;
      }
      fixed += applied.length;
      files += 1;
    }
  }
  return { fixed, files, failed };
}
