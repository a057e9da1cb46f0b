// Makes images/diagnostic.png, the README's picture of a memlint diagnostic in the editor.
//
// No VS Code runs here, so the picture is of Monaco, the editor VS Code is built on, in headless
// Chromium, and everything it shows about the file comes from the real language server:
//   1. dist/server.js (built first) is started over stdio, as the extension starts it, and
//      examples/apm-v1-defects, copied to a temporary folder, is its workspace;
//   2. the handoff log below is opened; the diagnostics the server publishes become Monaco's markers,
//      and the server's hover and code actions at the finding are Monaco's hover and code actions;
//   3. the mouse rests on the squiggle until the hover shows, and the page is captured.
// Around the editor the page draws a plain tab and breadcrumb bar; nothing else imitates VS Code.
//
// monaco-editor (a pinned version, its integrity checked) is fetched with `npm pack` into
// node_modules/.cache/ the first time: it is 100 MB unpacked and nothing else needs it.
//
//   node scripts/screenshot.mjs   (pnpm --filter ./packages/vscode screenshot; needs /usr/bin/chromium)
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

const here = path.resolve(import.meta.dirname, '..');
const repo = path.resolve(here, '..', '..');
const output = path.join(here, 'images', 'diagnostic.png');
const example = path.join(repo, 'examples', 'apm-v1-defects');
const shownFile = '.apm/memory/handoffs/manager/handoff-02.log.md';
const MONACO = { version: '0.57.0', integrity: 'sha512-5BkI9KGoqrNvBGUe15/QlZq3OooZ8WLg1AxTpaqHRCP3HNpzPPZKE2EDz8M7c+VRmCeUw1Brp4cx/PWm3kI/5A==' };
const CHROMIUM = '/usr/bin/chromium';

/** The unpacked monaco-editor package, fetched and checked on first use. */
function monacoDir() {
  const cache = path.join(repo, 'node_modules', '.cache', 'memlint-vscode', `monaco-editor-${MONACO.version}`);
  const unpacked = path.join(cache, 'package');
  if (existsSync(path.join(unpacked, 'min', 'vs', 'loader.js'))) return unpacked;
  rmSync(cache, { recursive: true, force: true });
  mkdirSync(cache, { recursive: true });
  const pack = spawnSync('npm', ['pack', `monaco-editor@${MONACO.version}`, '--pack-destination', cache, '--json'], { encoding: 'utf8' });
  if (pack.status !== 0) throw new Error(`npm pack monaco-editor@${MONACO.version} failed:\n${pack.stderr}`);
  const tarball = path.join(cache, JSON.parse(pack.stdout)[0].filename);
  const digest = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  if (digest !== MONACO.integrity) throw new Error(`${tarball}: integrity ${digest}, expected ${MONACO.integrity}`);
  const tar = spawnSync('tar', ['xzf', tarball, '-C', cache]);
  if (tar.status !== 0) throw new Error(`tar could not unpack ${tarball}: ${tar.stderr}`);
  rmSync(tarball);
  return unpacked;
}

/** What the server says about the file: its diagnostics, and its hover and code actions at the first one. */
async function askServer(root, file) {
  const server = spawn(process.execPath, [path.join(here, 'dist', 'server.js'), '--stdio'], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
  const uri = pathToFileURL(file).href;
  const published = new Promise((resolve) => {
    connection.onNotification('textDocument/publishDiagnostics', (p) => {
      if (p.uri === uri && p.diagnostics.length > 0) resolve(p.diagnostics);
    });
  });
  connection.onNotification('window/logMessage', () => {});
  connection.onRequest('client/registerCapability', () => null);
  connection.listen();
  await connection.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(root).href, capabilities: {}, initializationOptions: { debounceMs: 0 } });
  connection.sendNotification('initialized', {});
  const text = readFileSync(file, 'utf8');
  connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text } });
  let timer;
  const timeout = new Promise((_resolve, reject) => (timer = setTimeout(() => reject(new Error(`the server published no diagnostics for ${file}`)), 20_000)));
  const diagnostics = await Promise.race([published, timeout]);
  clearTimeout(timer);
  const first = diagnostics[0];
  const hover = await connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: first.range.start });
  const actions = await connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: first.range, context: { diagnostics: [first], only: ['quickfix'] } });
  await connection.sendRequest('shutdown');
  connection.sendNotification('exit');
  connection.dispose();
  return { text, diagnostics, hover, actions: actions.map((a) => ({ title: a.title, isPreferred: a.isPreferred === true, edits: a.edit?.changes?.[uri] ?? [] })) };
}

/** The page: Monaco with the file, the server's markers, hover and code actions. */
function page(data) {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>memlint diagnostic</title>
<style>
  html, body { margin: 0; background: #1e1e1e; font-family: 'DejaVu Sans', sans-serif; }
  #frame { width: 960px; }
  #tabs { display: flex; background: #252526; height: 35px; }
  .tab { display: flex; align-items: center; padding: 0 14px; font-size: 13px; color: #fff; background: #1e1e1e; border-top: 1px solid #007acc; }
  .tab .errors { color: #f48771; margin-left: 8px; font-size: 12px; }
  #crumbs { height: 22px; display: flex; align-items: center; padding: 0 14px; font-size: 12px; color: #a9a9a9; background: #1e1e1e; }
  #editor { height: 400px; }
</style></head>
<body><div id="frame">
  <div id="tabs"><div class="tab">${data.name}<span class="errors">${data.diagnostics.length}</span></div></div>
  <div id="crumbs">${data.crumbs}</div>
  <div id="editor"></div>
</div>
<script src="/monaco/min/vs/loader.js"></script>
<script>
  const data = ${JSON.stringify(data).replace(/</g, '\\u003c')};
  require.config({ paths: { vs: '/monaco/min/vs' } });
  require(['vs/editor/editor.main'], () => {
    const toRange = (r) => new monaco.Range(r.start.line + 1, r.start.character + 1, r.end.line + 1, r.end.character + 1);
    const severity = { 1: monaco.MarkerSeverity.Error, 2: monaco.MarkerSeverity.Warning, 3: monaco.MarkerSeverity.Info, 4: monaco.MarkerSeverity.Hint };
    const model = monaco.editor.createModel(data.text, 'markdown', monaco.Uri.file('/' + data.name));
    const markers = data.diagnostics.map((d) => ({
      startLineNumber: d.range.start.line + 1, startColumn: d.range.start.character + 1, endLineNumber: d.range.end.line + 1, endColumn: d.range.end.character + 1,
      severity: severity[d.severity], message: d.message, source: d.source,
      code: d.codeDescription ? { value: String(d.code), target: monaco.Uri.parse(d.codeDescription.href) } : String(d.code),
    }));
    monaco.editor.setModelMarkers(model, 'memlint', markers);
    const first = toRange(data.diagnostics[0].range);
    monaco.languages.registerHoverProvider('markdown', {
      provideHover: (_m, position) => (data.hover && first.containsPosition(position) ? { range: first, contents: [{ value: data.hover.contents.value }] } : null),
    });
    monaco.languages.registerCodeActionProvider('markdown', {
      provideCodeActions: (m, range) => ({
        actions: range.intersectRanges(first) ? data.actions.map((a) => ({ title: a.title, kind: 'quickfix', isPreferred: a.isPreferred, diagnostics: [markers[0]], edit: { edits: a.edits.map((e) => ({ resource: m.uri, versionId: undefined, textEdit: { range: toRange(e.range), text: e.newText } })) } })) : [],
        dispose() {},
      }),
    });
    window.editor = monaco.editor.create(document.getElementById('editor'), {
      model, theme: 'vs-dark', fontFamily: "'DejaVu Sans Mono', monospace", fontSize: 14, lineHeight: 20,
      minimap: { enabled: false }, scrollBeyondLastLine: false, renderLineHighlight: 'none', wordWrap: 'on', hover: { delay: 150 }, automaticLayout: false,
    });
    window.ready = true;
  });
</script></body></html>`;
}

/** Serves the page at / and monaco-editor below /monaco/. */
function serve(html, monaco) {
  const types = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.json': 'application/json' };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (url.pathname === '/') return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    const file = path.join(monaco, path.normalize(decodeURIComponent(url.pathname.replace(/^\/monaco\//, ''))));
    if (!url.pathname.startsWith('/monaco/') || !file.startsWith(monaco) || !existsSync(file) || !statSync(file).isFile()) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function main() {
  const build = spawnSync(process.execPath, [path.join(here, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the build failed');
  const monaco = monacoDir();
  const root = mkdtempSync(path.join(os.tmpdir(), 'memlint-screenshot-'));
  try {
    cpSync(example, root, { recursive: true });
    const file = path.join(root, shownFile);
    const said = await askServer(root, file);
    const parts = shownFile.split('/');
    const data = { ...said, name: parts.at(-1), crumbs: parts.join(' › ') };
    const server = await serve(page(data), monaco);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const tab = await browser.newPage({ viewport: { width: 960, height: 457 }, deviceScaleFactor: 1 });
      await tab.goto(`http://127.0.0.1:${server.address().port}/`);
      await tab.waitForFunction(() => window.ready === true);
      // The middle of the first finding's squiggle, in page coordinates.
      const d = data.diagnostics[0];
      const point = await tab.evaluate(({ line, start, end }) => {
        const a = window.editor.getScrolledVisiblePosition({ lineNumber: line, column: start });
        const b = window.editor.getScrolledVisiblePosition({ lineNumber: line, column: end });
        const box = window.editor.getDomNode().getBoundingClientRect();
        return { x: box.left + (a.left + b.left) / 2, y: box.top + a.top + a.height / 2 };
      }, { line: d.range.start.line + 1, start: d.range.start.character + 1, end: d.range.end.character + 1 });
      await tab.mouse.move(point.x - 40, point.y + 30);
      await tab.mouse.move(point.x, point.y, { steps: 5 });
      await tab.waitForSelector('.monaco-hover .marker', { state: 'visible', timeout: 10_000 });
      // The hover's status bar fills in once the code actions are known.
      await tab.waitForFunction(() => /Quick Fix/.test(document.querySelector('.monaco-hover')?.textContent ?? ''), null, { timeout: 10_000 });
      await tab.waitForTimeout(300);
      mkdirSync(path.dirname(output), { recursive: true });
      await tab.locator('#frame').screenshot({ path: output });
    } finally {
      await browser.close();
      server.close();
    }
    process.stdout.write(`memlint-vscode: wrote ${path.relative(repo, output)} (${(statSync(output).size / 1024).toFixed(0)} KB): ${shownFile}, ${data.diagnostics.map((x) => x.code).join(', ')}\n`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
