// An LSP client for the tests: the language server started as a child process, as an editor
// starts it (`memlint-language-server --stdio`), spoken to over its stdin and stdout with
// vscode-jsonrpc, the library VS Code's own client is built on.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { repoRoot } from './run.ts';

export const serverBin = path.join(repoRoot, 'packages', 'language-server', 'bin', 'memlint-language-server.js');

export interface LspDiagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: number;
  code: string;
  source: string;
  message: string;
  codeDescription?: { href: string };
  data?: unknown;
}

export interface Client {
  connection: MessageConnection;
  child: ChildProcess;
  stderr: () => string;
  /** Every publishDiagnostics received, by URI (the latest last). */
  published: Map<string, LspDiagnostic[][]>;
  /** Resolves with the first diagnostics for the URI (from now on) that satisfy the test. */
  diagnostics(uri: string, test?: (d: LspDiagnostic[]) => boolean, timeoutMs?: number): Promise<LspDiagnostic[]>;
  open(file: string, text: string, version?: number): void;
  change(file: string, text: string, version: number): void;
  close(file: string): void;
  request<T>(method: string, params: unknown): Promise<T>;
  notify(method: string, params: unknown): void;
  stop(): Promise<void>;
}

export const uri = (file: string) => pathToFileURL(file).href;

export interface ClientOptions {
  root: string;
  env?: Record<string, string>;
  initializationOptions?: unknown;
  watch?: boolean;
  /** The program and arguments that start the server, `--stdio` added (default: this Node running the bin). */
  server?: { command: string; args: string[] };
}

export async function startClient(options: ClientOptions): Promise<Client> {
  const server = options.server ?? { command: process.execPath, args: [serverBin] };
  const child = spawn(server.command, [...server.args, '--stdio'], { cwd: options.root, env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const published = new Map<string, LspDiagnostic[][]>();
  const waiters: { uri: string; test: (d: LspDiagnostic[]) => boolean; resolve: (d: LspDiagnostic[]) => void }[] = [];
  connection.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: LspDiagnostic[] }) => {
    const list = published.get(p.uri) ?? [];
    list.push(p.diagnostics);
    published.set(p.uri, list);
    for (const w of [...waiters]) {
      if (w.uri === p.uri && w.test(p.diagnostics)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(p.diagnostics);
      }
    }
  });
  connection.onNotification('window/logMessage', () => {});
  connection.onNotification('window/showMessage', () => {});
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('window/showMessageRequest', () => null);
  connection.listen();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: uri(options.root),
    workspaceFolders: [{ uri: uri(options.root), name: 'test' }],
    capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: options.watch ?? true } }, textDocument: { publishDiagnostics: { versionSupport: true } } },
    initializationOptions: options.initializationOptions ?? { debounceMs: 50 },
  });
  connection.sendNotification('initialized', {});
  const client: Client = {
    connection,
    child,
    stderr: () => stderr,
    published,
    diagnostics(u, test = () => true, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${u} within ${timeoutMs} ms; last: ${JSON.stringify(published.get(u)?.at(-1) ?? null)}; stderr: ${stderr}`)), timeoutMs);
        waiters.push({ uri: u, test, resolve: (d) => (clearTimeout(timer), resolve(d)) });
      });
    },
    open(file, text, version = 1) {
      connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(file), languageId: 'markdown', version, text } });
    },
    change(file, text, version) {
      connection.sendNotification('textDocument/didChange', { textDocument: { uri: uri(file), version }, contentChanges: [{ text }] });
    },
    close(file) {
      connection.sendNotification('textDocument/didClose', { textDocument: { uri: uri(file) } });
    },
    request: (method, params) => connection.sendRequest(method, params),
    notify: (method, params) => connection.sendNotification(method, params),
    async stop() {
      try {
        await Promise.race([connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
        connection.sendNotification('exit');
      } catch {
        // already gone
      }
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => (child.kill('SIGKILL'), resolve()), 3000);
        child.on('exit', () => (clearTimeout(timer), resolve()));
      });
      connection.dispose();
    },
  };
  return client;
}
