// The memlint language server: memlint's findings in any LSP editor, the cross-file ones included.
//
// Per memory root (core's memoryRootOf), the server loads the root once from disk, with the open
// buffers standing for their files (core's `buffers`), and keeps its workspace. A change to a buffer,
// a save, a close or a watched-file event re-reads only the files that changed (core's
// updateWorkspace) and lints the root again; the findings of the rules that read only their
// document come from an in-memory memo for every document that did not change, so what runs again
// is the changed documents' rules and the cross-file ones. Diagnostics are published for the open
// documents, and for any other file of the root whose findings a change made or cleared (edit
// handoff 2 and handoff 3's finding comes or goes, open or not). Markdown files outside every
// memory root are linted one by one as aops session files, as the CLI lints them.
//
// A rule that throws, a file that cannot be parsed or a root that cannot be read never takes the
// server down: the failure is a diagnostic on the file, and the server keeps serving.
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CONFIG_NAMES,
  ConfigError,
  allRules,
  chooseFixes,
  configSettings,
  documentMemo,
  documentStart,
  findConfig,
  findRule,
  frontmatterKeys,
  lintWorkspace,
  loadPaths,
  memoryRootOf,
  parseConfigText,
  readConfig,
  updateWorkspace,
  validateConfig,
  type Diagnostic as MemlintDiagnostic,
  type DialectId,
  type FindingMemo,
  type LintConfig,
  type LoadOptions,
  type MemoryDocument,
  type Rule,
  type Workspace,
} from '@memlint/core';
import {
  CodeActionKind,
  CompletionItemKind,
  DidChangeWatchedFilesNotification,
  MarkupKind,
  TextDocumentSyncKind,
  TextDocuments,
  type CodeAction,
  type CompletionItem,
  type Connection,
  type Diagnostic,
  type Hover,
  type InitializeResult,
  type Position,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import pkg from '../package.json' with { type: 'json' };
import { offsetToPosition, positionToOffset, toLspDiagnostic, toLspEdit, toRange, type DiagnosticData, type Placement } from './convert.ts';
import { keysOf, yamlValue } from './schema-help.ts';

export interface ServerOptions {
  /** The rules to run (all of memlint's by default; tests add a throwing one). */
  rules?: readonly Rule[];
  /** Milliseconds between the last keystroke and the lint (200 by default; `initializationOptions.debounceMs` too). */
  debounceMs?: number;
}

interface Settings {
  config: LintConfig;
  dialect?: DialectId;
  maxFileSize?: number;
  /** The configuration file these came from, if any. */
  file: string | null;
}

/** One memory root (or one loose file) as the server holds it. */
interface RootState {
  /** The root's directory, or the loose file's path. */
  key: string;
  loose: boolean;
  settings: Settings;
  workspace: Workspace;
  memo: FindingMemo;
  /** Each document's findings as of the last lint. */
  results: Map<string, MemlintDiagnostic[]>;
  /** Files of the root (besides the open ones) whose diagnostics were published and not cleared. */
  shown: Set<string>;
  /** Files changed since the last lint. */
  changed: Set<string>;
  /** The whole root is to be read again (a created or deleted file, metadata.json, the configuration). */
  reload: boolean;
  timer: NodeJS.Timeout | null;
}

const isMarkdown = (p: string) => /\.(md|markdown)$/i.test(p);
const PROBE_TEXT = 'memlint-completion-probe';

/** Whether two lists of findings say the same things at the same places. */
function sameFindings(a: readonly MemlintDiagnostic[], b: readonly MemlintDiagnostic[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((x, i) => {
    const y = b[i]!;
    return x.ruleId === y.ruleId && x.message === y.message && x.severity === y.severity && x.range.start.offset === y.range.start.offset && x.range.end.offset === y.range.end.offset;
  });
}

/** A rule whose failures become a finding on the document it was checking (or the root's first), never an exception. */
function guarded(rule: Rule): Rule {
  const failure = (error: unknown) => `memlint's rule ${rule.meta.id} failed here and checked nothing: ${error instanceof Error ? error.message : String(error)}`;
  return {
    meta: rule.meta,
    ...(rule.checkDocument
      ? {
          checkDocument(doc, context) {
            try {
              rule.checkDocument!(doc, context);
            } catch (error) {
              context.report(doc, documentStart(doc), failure(error), { severity: 'error' });
            }
          },
        }
      : {}),
    ...(rule.checkWorkspace
      ? {
          checkWorkspace(context) {
            try {
              rule.checkWorkspace!(context);
            } catch (error) {
              for (const doc of context.workspace.documents) context.report(doc, documentStart(doc), failure(error), { severity: 'error' });
            }
          },
        }
      : {}),
  };
}

/**
 * The garbage collector, when it can be had (V8's `--expose-gc` set at run time applies to contexts
 * made after it): each edit leaves a few MB of garbage (the index of the root is built again), and
 * V8 lets the heap grow to several times what is live before it collects. After a lint, the heap
 * is collected once it has grown to twice what was live after the last collection plus 48 MB: a
 * pause of tens of milliseconds after the diagnostics are out, every few dozen edits, that keeps
 * the server's memory near what it holds.
 */
const gc: (() => void) | null = (() => {
  try {
    setFlagsFromString('--expose-gc');
    const found = runInNewContext('gc') as unknown;
    return typeof found === 'function' ? (found as () => void) : null;
  } catch {
    return null;
  }
})();
let liveAfterGc = 0;
let collecting: NodeJS.Immediate | null = null;
function collectIfGrown(heapUsed: number): void {
  if (!gc || collecting || heapUsed < liveAfterGc * 2 + 48 * 1048576) return;
  collecting = setImmediate(() => {
    collecting = null;
    gc();
    liveAfterGc = process.memoryUsage().heapUsed;
  });
}

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const documents = new TextDocuments(TextDocument);
  const rules = (options.rules ?? allRules).map(guarded);
  let debounceMs = options.debounceMs ?? 200;
  const roots = new Map<string, RootState>();
  let watchRegistration = false;

  const filePath = (uri: string): string | null => {
    try {
      return uri.startsWith('file:') ? fileURLToPath(uri) : null;
    } catch {
      return null;
    }
  };
  const uriOf = (file: string) => pathToFileURL(file).href;
  const openDocument = (file: string) => documents.get(uriOf(file));
  const buffers = (): Map<string, string> => {
    const map = new Map<string, string>();
    for (const d of documents.all()) {
      const file = filePath(d.uri);
      if (file) map.set(file, d.getText());
    }
    return map;
  };
  const placement = (file: string): Placement => ({ bomShift: openDocument(file)?.getText().charCodeAt(0) === 0xfeff ? 1 : 0 });
  const log = (message: string) => connection.console.log(`memlint: ${message}`);

  /** The configuration for a root: the nearest file from the root's folder up, as the CLI finds it from its directory. */
  const settingsFor = (dir: string): Settings => {
    const file = findConfig(dir);
    if (!file) return { config: {}, file: null };
    try {
      const text = openDocument(file)?.getText();
      const read = text !== undefined ? parseConfigText(text, file) : readConfig(file);
      const settings = configSettings(read);
      validateConfig(settings.config, rules);
      return { ...settings, file };
    } catch (error) {
      const message = error instanceof ConfigError ? error.message : String(error);
      void connection.window.showWarningMessage(`memlint: ${message} (linting with the default settings)`);
      return { config: {}, file };
    }
  };

  const loadOptions = (s: Settings): LoadOptions => ({ ...(s.dialect ? { dialect: s.dialect } : {}), ...(s.maxFileSize ? { maxFileSize: s.maxFileSize } : {}), buffers: buffers() });

  /** Reads a root (or a loose file) from disk, buffers standing for their files. */
  const load = (key: string, loose: boolean, settings: Settings): Workspace | null => {
    try {
      const loaded = loadPaths([key], { ...loadOptions(settings), lazyMarkdown: true });
      const root = loose ? loaded.loose : loaded.roots.find((r) => r.workspace.root.dir === key) ?? loaded.roots[0];
      return root?.workspace ?? null;
    } catch (error) {
      log(`cannot read ${key}: ${(error as Error).message}`);
      return null;
    }
  };

  /** The root state a file belongs to, made (and loaded) on first use. */
  const stateFor = (file: string): RootState | null => {
    let dir: string | null = null;
    try {
      dir = memoryRootOf(file);
    } catch {
      dir = null;
    }
    const key = dir ?? file;
    let state = roots.get(key);
    if (state) return state;
    const settings = settingsFor(dir ?? path.dirname(file));
    const workspace = load(key, dir === null, settings);
    if (!workspace) return null;
    state = { key, loose: dir === null, settings, workspace, memo: documentMemo(), results: new Map(), shown: new Set(), changed: new Set(), reload: false, timer: null };
    roots.set(key, state);
    return state;
  };

  const documentOf = (state: RootState, file: string) => state.workspace.documents.find((d) => d.path === file);

  /** Lints a root as it is now and publishes what changed. */
  const lintNow = (state: RootState) => {
    if (state.timer) clearTimeout(state.timer);
    state.timer = null;
    const started = performance.now();
    if (state.reload) {
      state.reload = false;
      state.changed.clear();
      state.settings = settingsFor(state.loose ? path.dirname(state.key) : state.key);
      state.memo = documentMemo();
      const workspace = load(state.key, state.loose, state.settings);
      if (!workspace) {
        for (const file of [...state.results.keys()]) publish(state, file, []);
        roots.delete(state.key);
        return;
      }
      state.workspace = workspace;
    } else if (state.changed.size > 0) {
      const changed = [...state.changed];
      state.changed.clear();
      try {
        state.workspace = updateWorkspace(state.workspace, changed, loadOptions(state.settings));
      } catch (error) {
        log(`cannot read the changes (${(error as Error).message}); reading the root again`);
        state.reload = true;
        lintNow(state);
        return;
      }
    }
    let result: Map<MemoryDocument, MemlintDiagnostic[]>;
    try {
      result = lintWorkspace(state.workspace, state.settings.config, undefined, rules, state.memo);
    } catch (error) {
      // Past the guarded rules: the index itself failed. Each open file of the root says so.
      const message = `memlint could not check this memory root: ${(error as Error).message}`;
      result = new Map(state.workspace.documents.map((d) => [d, [{ ruleId: 'internal-error', severity: 'error', message, path: d.path, range: documentStart(d), url: '' }]]));
    }
    const before = state.results;
    const now = new Map<string, MemlintDiagnostic[]>();
    for (const [doc, list] of result) now.set(doc.path, list);
    state.results = now;
    const openFiles = new Set(documents.keys().map(filePath));
    for (const [file, list] of now) {
      const open = openFiles.has(file);
      const was = before.get(file);
      if (open) publish(state, file, list);
      else if (was !== undefined && !sameFindings(was, list)) {
        // A cross-file change: shown until it clears.
        publish(state, file, list);
        if (list.length > 0) state.shown.add(file);
        else state.shown.delete(file);
      }
    }
    for (const file of before.keys()) if (!now.has(file) && (openFiles.has(file) || state.shown.delete(file))) publish(state, file, []);
    const memory = process.memoryUsage();
    collectIfGrown(memory.heapUsed);
    log(`linted ${state.workspace.documents.length} file(s) of ${state.key} in ${Math.round(performance.now() - started)} ms (heap ${Math.round(memory.heapUsed / 1048576)} of ${Math.round(memory.heapTotal / 1048576)} MB, rss ${Math.round(memory.rss / 1048576)} MB)`);
  };

  const publish = (state: RootState, file: string, list: readonly MemlintDiagnostic[]) => {
    const doc = documentOf(state, file);
    const place = placement(file);
    const diagnostics: Diagnostic[] = doc ? list.map((d) => toLspDiagnostic(d, place)) : [];
    const open = openDocument(file);
    void connection.sendDiagnostics({ uri: uriOf(file), ...(open ? { version: open.version } : {}), diagnostics });
  };

  const schedule = (state: RootState, delay = debounceMs) => {
    if (state.timer) clearTimeout(state.timer);
    state.timer = setTimeout(() => {
      try {
        lintNow(state);
      } catch (error) {
        log(`lint failed: ${(error as Error).stack ?? String(error)}`);
      }
    }, delay);
  };

  /** A file changed (a buffer, a save, the disk): its root re-reads it at the next lint. */
  const changedFile = (file: string, kind: 'content' | 'created' | 'deleted', delay?: number) => {
    const base = path.basename(file);
    if (CONFIG_NAMES.includes(base)) {
      // A configuration applies to every root below its folder: all of them start again.
      for (const state of roots.values()) {
        state.reload = true;
        schedule(state, 0);
      }
      return;
    }
    for (const state of roots.values()) {
      const inside = state.loose ? state.key === file : file.startsWith(`${state.key}${path.sep}`);
      if (!inside) continue;
      if (base === 'metadata.json' || (kind !== 'content' && !state.loose)) state.reload = true;
      else if (isMarkdown(file)) state.changed.add(file);
      else continue;
      schedule(state, delay);
    }
  };

  connection.onInitialize((params): InitializeResult => {
    const init = (params.initializationOptions ?? {}) as { debounceMs?: unknown };
    if (typeof init.debounceMs === 'number' && init.debounceMs >= 0) debounceMs = init.debounceMs;
    watchRegistration = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.SourceFixAll, `${CodeActionKind.SourceFixAll}.memlint`] },
        hoverProvider: true,
        completionProvider: { triggerCharacters: [':', ' '] },
      },
      serverInfo: { name: 'memlint-language-server', version: pkg.version },
    };
  });

  connection.onInitialized(() => {
    if (!watchRegistration) return;
    void connection.client.register(DidChangeWatchedFilesNotification.type, {
      watchers: [{ globPattern: '**/*.{md,markdown}' }, { globPattern: '**/metadata.json' }, ...CONFIG_NAMES.map((n) => ({ globPattern: `**/${n}` }))],
    });
  });

  // TextDocuments tells of an open twice: as an open, then as a change of content.
  const justOpened = new Set<string>();
  documents.onDidOpen(({ document }) => {
    justOpened.add(document.uri);
    const file = filePath(document.uri);
    if (!file || !isMarkdown(file)) {
      if (file && CONFIG_NAMES.includes(path.basename(file))) changedFile(file, 'content', 0);
      return;
    }
    const known = [...roots.values()].some((s) => (s.loose ? s.key === file : file.startsWith(`${s.key}${path.sep}`)));
    if (!known) {
      const state = stateFor(file);
      if (state) schedule(state, 0);
      return;
    }
    changedFile(file, 'content', 0);
  });
  documents.onDidChangeContent(({ document }) => {
    const file = filePath(document.uri);
    if (!file || justOpened.delete(document.uri)) return;
    changedFile(file, 'content');
  });
  documents.onDidClose(({ document }) => {
    const file = filePath(document.uri);
    if (!file) return;
    // Back to the file on disk; its diagnostics go unless a cross-file finding keeps them shown.
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
    changedFile(file, 'content', 0);
  });
  connection.onDidChangeWatchedFiles(({ changes }) => {
    for (const change of changes) {
      const file = filePath(change.uri);
      if (!file) continue;
      // An open buffer stands for its file: a save of it changes nothing the server does not know.
      if (change.type === 2 && openDocument(file)) continue;
      changedFile(file, change.type === 1 ? 'created' : change.type === 3 ? 'deleted' : 'content');
    }
  });

  /** The state and document of an open buffer, its root's changes taken in first (a request sees what the user sees). */
  const current = (uri: string): { state: RootState; doc: MemoryDocument; file: string; place: Placement } | null => {
    const file = filePath(uri);
    if (!file) return null;
    const state = stateFor(file);
    if (!state) return null;
    if (state.changed.size > 0 || state.reload) lintNow(state);
    const doc = documentOf(state, file);
    return doc ? { state, doc, file, place: placement(file) } : null;
  };

  connection.onCodeAction((params) => {
    const at = current(params.textDocument.uri);
    if (!at) return [];
    const { state, doc, place } = at;
    const uri = params.textDocument.uri;
    const actions: CodeAction[] = [];
    const only = params.context.only;
    const wants = (kind: string) => !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
    const findings = state.results.get(doc.path) ?? [];
    if (wants(CodeActionKind.QuickFix)) {
      for (const diagnostic of params.context.diagnostics) {
        if (diagnostic.source !== 'memlint') continue;
        const data = diagnostic.data as DiagnosticData | undefined;
        // The finding as the server holds it now (the request's copy may be a version old).
        const finding = findings.find((f) => f.ruleId === diagnostic.code && data && f.range.start.offset === data.offsets[0] && f.range.end.offset === data.offsets[1]);
        if (!finding) continue;
        const edits: { title: string; edits: TextEdit[] }[] = [];
        if (finding.fix && finding.fix.length > 0) edits.push({ title: `Fix: ${finding.message}`, edits: finding.fix.map((e) => toLspEdit(e, doc, place)) });
        else for (const value of finding.expected ?? []) edits.push({ title: `Replace with ${value}`, edits: [{ range: toRange(finding.range.start.offset, finding.range.end.offset, doc, place), newText: value }] });
        for (const e of edits) {
          actions.push({ title: e.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: edits.length === 1, edit: { changes: { [uri]: e.edits } } });
        }
        const config = state.settings.file;
        if (config) {
          const edit = disableRuleEdit(config, String(diagnostic.code));
          if (edit) actions.push({ title: `Disable ${diagnostic.code} in ${path.basename(config)}`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit });
        }
      }
    }
    const fixable = findings.filter((f) => f.fix && f.fix.length > 0);
    if (fixable.length > 0) {
      const { edits } = chooseFixes(fixable);
      const edit: WorkspaceEdit = { changes: { [uri]: edits.map((e) => toLspEdit(e, doc, place)) } };
      if (wants(`${CodeActionKind.SourceFixAll}.memlint`)) actions.push({ title: 'Fix all memlint problems in this file', kind: `${CodeActionKind.SourceFixAll}.memlint`, edit });
      if (wants(CodeActionKind.QuickFix) && params.context.diagnostics.some((d) => d.source === 'memlint')) {
        actions.push({ title: 'Fix all memlint problems in this file', kind: CodeActionKind.QuickFix, edit });
      }
    }
    return actions;
  });

  /** The edit that sets a rule to off in a configuration file, touching as little of it as it can. */
  const disableRuleEdit = (config: string, ruleId: string): WorkspaceEdit | null => {
    let text: string;
    try {
      text = openDocument(config)?.getText() ?? readFileSync(config, 'utf8');
    } catch {
      return null;
    }
    let data: Record<string, unknown>;
    try {
      data = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return null;
    }
    if (!data || typeof data !== 'object' || Array.isArray(data)) return null;
    const lines = TextDocument.create(uriOf(config), 'json', 0, text);
    const rulesValue = data.rules;
    let edit: TextEdit;
    if (rulesValue === undefined) {
      const open = text.indexOf('{');
      const empty = Object.keys(data).length === 0;
      edit = { range: { start: lines.positionAt(open + 1), end: lines.positionAt(open + 1) }, newText: `\n  "rules": { ${JSON.stringify(ruleId)}: "off" }${empty ? '\n' : ','}` };
    } else {
      const rulesObject = rulesValue && typeof rulesValue === 'object' ? { ...(rulesValue as Record<string, unknown>) } : {};
      rulesObject[ruleId] = 'off';
      const next = JSON.stringify({ ...data, rules: rulesObject }, null, 2);
      edit = { range: { start: lines.positionAt(0), end: lines.positionAt(text.length) }, newText: `${next}\n` };
    }
    return { changes: { [uriOf(config)]: [edit] } };
  };

  connection.onHover((params): Hover | null => {
    const at = current(params.textDocument.uri);
    if (!at) return null;
    const { state, doc, place } = at;
    const offset = positionToOffset(doc, params.position, place);
    const parts: string[] = [];
    const fm = doc.frontmatter;
    if (fm && offset >= fm.range.start.offset && offset <= fm.range.end.offset) {
      const key = frontmatterKeys(doc.source, fm).find((k) => offset >= k.range.start.offset && offset <= k.range.end.offset);
      const help = key ? keysOf(doc.kind, state.workspace.root.dialect.id)?.get(key.key) : undefined;
      if (key && help) {
        const lines = [`**${help.key}**${help.required ? ' (required)' : ''}${help.types.length ? ` · ${help.types.join(' | ')}` : ''}`];
        if (help.description) lines.push(help.description);
        if (help.values) lines.push(`Allowed: ${help.values.map((v) => `\`${yamlValue(v)}\``).join(', ')}`);
        parts.push(lines.join('\n\n'));
      }
    }
    for (const finding of state.results.get(doc.path) ?? []) {
      if (offset < finding.range.start.offset || offset > finding.range.end.offset) continue;
      const rule = findRule(finding.ruleId);
      if (rule) parts.push(`**${rule.meta.id}** (memlint): ${rule.meta.description} [Rule page](${finding.url})`);
    }
    if (parts.length === 0) return null;
    return { contents: { kind: MarkupKind.Markdown, value: [...new Set(parts)].join('\n\n---\n\n') } };
  });

  connection.onCompletion((params): CompletionItem[] => {
    const at = current(params.textDocument.uri);
    if (!at) return [];
    const { state, doc, file, place } = at;
    const fm = doc.frontmatter;
    const offset = positionToOffset(doc, params.position, place);
    if (!fm || !fm.closeFence || offset < fm.openFence.end.offset || offset > fm.closeFence.start.offset) return [];
    const keys = keysOf(doc.kind, state.workspace.root.dialect.id);
    if (!keys) return [];
    const line = doc.source.pointAt(offset).line;
    const lineStart = doc.source.lineStart(line);
    const before = doc.source.text.slice(lineStart, offset);
    const colon = before.indexOf(':');
    if (colon === -1) {
      // A key: those the kind has that the frontmatter still lacks.
      if (/^\s/.test(before)) return [];
      const present = new Set(Object.keys((fm.data ?? {}) as Record<string, unknown>));
      return [...keys.values()]
        .filter((k) => !present.has(k.key))
        .map((k, i) => ({ label: k.key, kind: CompletionItemKind.Property, detail: k.required ? 'required' : 'optional', ...(k.description ? { documentation: k.description } : {}), insertText: `${k.key}: `, sortText: `${k.required ? 0 : 1}${String(i).padStart(3, '0')}` }));
    }
    const key = before.slice(0, colon).trim();
    const help = keys.get(key);
    if (!help) return [];
    const items: CompletionItem[] = [];
    const valueStart = lineStart + colon + 1 + (before.slice(colon + 1).length - before.slice(colon + 1).trimStart().length);
    const replace = { start: offsetToPosition(doc, valueStart, place), end: offsetToPosition(doc, doc.source.lineEnd(line), place) };
    // The value memlint's rules expect here, asked of the rules themselves: the key's value is set
    // to a probe and the document linted again in its root; the findings on this line that say
    // what they expected are the answer (`incoming` the chain's next instance, a task's id from
    // its file name, …).
    for (const value of expectedValues(state, doc, file, line, help.types.includes('integer') || help.types.includes('number'))) {
      items.push({ label: value, kind: CompletionItemKind.Value, detail: 'what memlint expects here', preselect: true, sortText: `0${value}`, textEdit: { range: replace, newText: value } });
    }
    for (const value of help.values ?? []) {
      const text = yamlValue(value);
      if (items.some((i) => i.label === text)) continue;
      items.push({ label: text, kind: CompletionItemKind.EnumMember, sortText: `1${text}`, textEdit: { range: replace, newText: text } });
    }
    return items;
  });

  /** Lints a copy of the document with the value on `line` replaced by a probe; returns what the findings on that line expected. */
  const expectedValues = (state: RootState, doc: MemoryDocument, file: string, line: number, numeric: boolean): string[] => {
    const text = doc.source.text;
    const start = doc.source.lineStart(line);
    const end = doc.source.lineEnd(line);
    const colon = text.indexOf(':', start);
    if (colon === -1 || colon > end) return [];
    const probeValues = numeric ? ['0'] : [PROBE_TEXT];
    const found = new Set<string>();
    for (const probe of probeValues) {
      const probed = `${text.slice(0, colon + 1)} ${probe}${text.slice(end)}`;
      try {
        const ws = updateWorkspace(state.workspace, [file], { ...loadOptions(state.settings), buffers: new Map([[file, probed]]) });
        const copy = ws.documents.find((d) => d.path === file);
        if (!copy) continue;
        const result = lintWorkspace(ws, state.settings.config, new Set([copy]), rules, state.memo);
        for (const f of result.get(copy) ?? []) {
          if (f.range.start.line !== line) continue;
          for (const value of f.expected ?? []) if (value !== probe && value.trim()) found.add(value);
        }
      } catch {
        // no suggestion from a probe that failed
      }
    }
    return [...found];
  };

  connection.onShutdown(() => {
    for (const state of roots.values()) if (state.timer) clearTimeout(state.timer);
  });

  documents.listen(connection);
  connection.listen();
}
