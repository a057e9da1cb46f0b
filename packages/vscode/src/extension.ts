// The memlint extension: starts memlint's language server (dist/server.js, bundled beside this file)
// over stdio and hands it the documents that may be memory files. Everything memlint finds, fixes or
// explains comes from the server; this file only says which documents it gets and which files it
// hears about.
import { workspace, type ExtensionContext, type FileSystemWatcher } from 'vscode';
import { LanguageClient, TransportKind, type DocumentFilter, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

/**
 * Where memory files live, as globs over a file's path. A document matching one goes to the server,
 * which decides what it is: a file of a memory root, or a loose file checked for aops content.
 */
export const memoryFilePatterns: readonly string[] = [
  // APM v1.0 and the Stage and Phase eras: all of .apm/, archived and active sessions included.
  '**/.apm/**',
  // Early v0.4 kept its tree in a plain apm/ folder.
  '**/apm/**',
  // v0.3 at a project's top: the Memory Bank (or its Memory/ folder), the plan, the Handover File and prompt.
  '**/Memory_Bank*.md',
  '**/Memory/**',
  '**/Implementation_Plan.md',
  '**/Handover_File*.md',
  '**/Handover_Prompt*.md',
  // aops: rendered session transcripts and session notes, task files, knowledge notes.
  '**/sessions/**',
  '**/tasks/**',
  '**/knowledge/**',
];

/** The names the server reads its configuration from (the nearest one from a memory root upward). */
export const configFileNames: readonly string[] = ['.memlintrc.json', '.memlintrc', 'memlint.config.json'];

/** The files whose changes the server must hear of besides markdown: the configuration and APM's metadata.json (it picks the dialect). */
export const watchedFilesGlob = `**/{${[...configFileNames, 'metadata.json'].join(',')}}`;

/**
 * The documents the server gets, on disk only (it reads the rest of their tree from there): memory
 * files, or every markdown file, and the configuration files, whose unsaved text the server lints with.
 */
export function documentSelector(allMarkdown: boolean): DocumentFilter[] {
  const markdown: DocumentFilter[] = allMarkdown ? [{ scheme: 'file', language: 'markdown' }] : memoryFilePatterns.map((pattern) => ({ scheme: 'file', language: 'markdown', pattern }));
  return [...markdown, { scheme: 'file', pattern: `**/{${configFileNames.join(',')}}` }];
}

let client: LanguageClient | undefined;
let watcher: FileSystemWatcher | undefined;

function createClient(context: ExtensionContext): LanguageClient {
  const settings = workspace.getConfiguration('memlint');
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.stdio },
    debug: { module, transport: TransportKind.stdio, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  watcher ??= workspace.createFileSystemWatcher(watchedFilesGlob);
  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector(settings.get<boolean>('lintAllMarkdown', false)),
    synchronize: { fileEvents: watcher },
    initializationOptions: { debounceMs: settings.get<number>('debounceMs', 200) },
  };
  // The id 'memlint' is also where the client reads `memlint.trace.server` from.
  return new LanguageClient('memlint', 'memlint', serverOptions, clientOptions);
}

export async function activate(context: ExtensionContext): Promise<LanguageClient> {
  client = createClient(context);
  context.subscriptions.push(
    { dispose: () => watcher?.dispose() },
    // The server reads these once, at initialize (and the selector is the client's): a change needs a new pair.
    workspace.onDidChangeConfiguration(async (event) => {
      if (!event.affectsConfiguration('memlint.debounceMs') && !event.affectsConfiguration('memlint.lintAllMarkdown')) return;
      await client?.dispose();
      client = createClient(context);
      await client.start();
    }),
  );
  await client.start();
  return client;
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
