// A stand-in for VS Code's extension host, for test/vscode-extension.test.ts: loads an extension's
// dist/extension.js with `vscode` answered by a stub (a Module._load hook), activates it, and prints
// on stdout, as JSON, what the extension and the language client it bundles asked of VS Code. The
// client is the real one (vscode-languageclient inside the bundle) and so is the server it forks
// (dist/server.js beside it): the initialize handshake and the server's registrations really happen.
//
//   node test/support/vscode-host.cjs <extension folder>
//
// After activation it sets memlint.lintAllMarkdown to true and fires the configuration event, then
// waits for the providers to be registered again (the extension starts a new client), and
// deactivates.
'use strict';
const Module = require('node:module');
const path = require('node:path');

const extensionDir = path.resolve(process.argv[2]);
const calls = [];
const record = (name, args) => calls.push({ name, args: JSON.parse(JSON.stringify(args, (_k, v) => (typeof v === 'function' ? '[function]' : v))) });
const disposable = () => ({ dispose() {} });

class EventEmitter {
  listeners = [];
  event = (listener) => {
    this.listeners.push(listener);
    return { dispose: () => this.listeners.splice(this.listeners.indexOf(listener), 1) };
  };
  fire(value) {
    for (const listener of [...this.listeners]) listener(value);
  }
  dispose() {}
}
class Disposable {
  constructor(callback) {
    this.callback = callback;
  }
  static from(...items) {
    return new Disposable(() => items.forEach((d) => d?.dispose?.()));
  }
  dispose() {
    this.callback?.();
  }
}
const event = () => () => disposable();

/** Whatever else the client reaches for: callable, constructible, disposable, never a promise. */
function anything(name) {
  return new Proxy(function () {}, {
    get(_target, prop) {
      if (prop === 'then') return undefined;
      if (prop === Symbol.iterator) return function* () {};
      if (prop === Symbol.toPrimitive) return () => name;
      if (prop === 'dispose') return () => {};
      return anything(`${name}.${String(prop)}`);
    },
    apply(_target, _this, args) {
      record(name, args);
      return anything(`${name}()`);
    },
    construct(_target, args) {
      record(`new ${name}`, args);
      return anything(`new ${name}`);
    },
  });
}
/** An object with the given members, anything() for the rest (`onDid…` and `onWill…` are events). */
const partly = (name, members) =>
  new Proxy(members, {
    get: (target, prop) => (prop in target ? target[prop] : typeof prop === 'string' && /^on(Did|Will)/.test(prop) ? event() : anything(`${name}.${String(prop)}`)),
  });

const settings = { 'memlint.debounceMs': 75, 'memlint.lintAllMarkdown': false };
const configurationChanged = new EventEmitter();
const uri = (p) => ({ scheme: 'file', fsPath: p, path: p, toString: () => `file://${p}` });

const vscode = partly('vscode', {
  version: '1.91.0',
  EventEmitter,
  Disposable,
  Uri: { file: uri, parse: (s) => uri(s.replace(/^file:\/\//, '')) },
  LogLevel: { Off: 0, Trace: 1, Debug: 2, Info: 3, Warning: 4, Error: 5 },
  env: { appName: 'vscode-host stub', language: 'en', openExternal: async () => true },
  workspace: partly('workspace', {
    workspaceFolders: undefined,
    textDocuments: [],
    notebookDocuments: [],
    getConfiguration: (section) => ({
      get: (key, fallback) => settings[section ? `${section}.${key}` : key] ?? fallback,
      has: (key) => `${section}.${key}` in settings,
      inspect: () => undefined,
      update: async () => {},
    }),
    onDidChangeConfiguration: configurationChanged.event,
    createFileSystemWatcher: (glob) => {
      record('workspace.createFileSystemWatcher', [glob]);
      return { onDidCreate: event(), onDidChange: event(), onDidDelete: event(), dispose() {} };
    },
  }),
  window: partly('window', {
    visibleTextEditors: [],
    activeTextEditor: undefined,
    tabGroups: { all: [], onDidChangeTabs: event(), onDidChangeTabGroups: event() },
    createOutputChannel: (name) => {
      record('window.createOutputChannel', [name]);
      const line = (text) => record('output', [text]);
      return { name, logLevel: 3, onDidChangeLogLevel: event(), append: line, appendLine: line, replace() {}, clear() {}, show() {}, hide() {}, dispose() {}, trace: line, debug: line, info: line, warn: line, error: line };
    },
  }),
});

const load = Module._load;
Module._load = function (request, ...rest) {
  return request === 'vscode' ? vscode : load.call(this, request, ...rest);
};

const until = async (what, test, timeoutMs = 15_000) => {
  const started = Date.now();
  while (!test()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};
const named = (name) => calls.filter((c) => c.name === name || c.name.endsWith(`.${name}`));

async function main() {
  const extension = require(path.join(extensionDir, 'dist', 'extension.js'));
  const context = { subscriptions: [], extensionPath: extensionDir, asAbsolutePath: (p) => path.join(extensionDir, p) };
  const client = await extension.activate(context);
  // The server asks for its own watchers once initialized (dynamic registration).
  await until('the server to register its file watchers', () => named('workspace.createFileSystemWatcher').length > 1);
  const report = {
    state: client.state,
    serverInfo: client.initializeResult?.serverInfo ?? null,
    capabilities: Object.keys(client.initializeResult?.capabilities ?? {}).sort(),
    documentSelector: client.clientOptions.documentSelector,
    initializationOptions: client.clientOptions.initializationOptions,
    serverModule: client._serverOptions?.run?.module ?? null,
    subscriptions: context.subscriptions.length,
  };
  const hoverRegistrations = () => named('languages.registerHoverProvider');
  const before = hoverRegistrations().length;
  settings['memlint.lintAllMarkdown'] = true;
  configurationChanged.fire({ affectsConfiguration: (key) => key === 'memlint.lintAllMarkdown' || key === 'memlint' });
  await until('the providers of the restarted client', () => hoverRegistrations().length > before);
  report.hoverSelectors = hoverRegistrations().map((c) => c.args[0]);
  report.watchers = named('workspace.createFileSystemWatcher').map((c) => c.args[0]);
  report.outputChannels = named('window.createOutputChannel').map((c) => c.args[0]);
  await extension.deactivate();
  report.stoppedState = client.state;
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${error.stack ?? error}\n${JSON.stringify(calls.slice(-15))}\n`);
    process.exit(1);
  },
);
