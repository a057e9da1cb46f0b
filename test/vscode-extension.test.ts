// The VS Code extension as a user gets it. The package script (`pnpm --filter ./packages/vscode
// package`) makes a .vsix; the .vsix holds the manifest, the two bundles, the README and its image,
// and nothing else; its server bundle, taken out into a folder with no node_modules anywhere above
// it, reports a broken handoff to an LSP client over stdio (on this Node, and on Node 20 when the
// machine has one: the Node of VS Code's Electron is older than the project's); and its extension
// bundle, loaded with a stub `vscode`, starts that server with the document selector, watchers and
// settings it should, and starts a new one when a setting the server reads at start changes.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClient, uri, type Client } from './support/lsp.ts';
import { repoRoot, tempDir } from './support/run.ts';
import { v1Handoff, writeV1HandoffTree } from './support/v1-handoffs.ts';
import { zipEntries, zipEntryBytes, type ZipEntry } from './support/zip.ts';

const packageDir = path.join(repoRoot, 'packages', 'vscode');
const manifest = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { version: string; scripts: { package: string } };

/** A Node older than 22 on this machine (Debian's is 20), as VS Code's extension host runs, or null. */
function olderNode(): string | null {
  for (const candidate of ['/usr/bin/node', '/usr/local/bin/node']) {
    const run = spawnSync(candidate, ['--version'], { encoding: 'utf8' });
    const major = Number(/^v(\d+)\./.exec(run.stdout ?? '')?.[1]);
    if (run.status === 0 && major >= 18 && major < 22) return candidate;
  }
  return null;
}
const node20 = olderNode();

let vsix: Buffer;
let entries: ZipEntry[];
/** The .vsix's extension/ folder, unpacked outside the repository. */
let extensionDir: string;
let client: Client | null = null;

beforeAll(() => {
  const out = path.join(tempDir('vscode-vsix'), `memlint-vscode-${manifest.version}.vsix`);
  // As pnpm runs a script: the package's and the workspace's bins first on PATH (the latter holds Node 22).
  const bins = [path.join(packageDir, 'node_modules', '.bin'), path.join(repoRoot, 'node_modules', '.bin'), path.dirname(process.execPath)];
  const run = spawnSync('sh', ['-c', `${manifest.scripts.package} --out "${out}"`], {
    cwd: packageDir,
    encoding: 'utf8',
    env: { ...process.env, PATH: [...bins, process.env.PATH ?? ''].join(path.delimiter) },
    timeout: 180_000,
  });
  if (run.status !== 0) throw new Error(`the package script failed (${run.status ?? run.signal}):\n${run.stdout}\n${run.stderr}`);
  vsix = readFileSync(out);
  entries = zipEntries(vsix);
  extensionDir = mkdtempSync(path.join(os.tmpdir(), 'memlint-vsix-'));
  for (const entry of entries) {
    if (!entry.name.startsWith('extension/') || entry.name.endsWith('/')) continue;
    const file = path.join(extensionDir, entry.name.slice('extension/'.length));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, zipEntryBytes(vsix, entry));
  }
}, 200_000);

afterAll(async () => {
  await client?.stop();
  if (extensionDir) rmSync(extensionDir, { recursive: true, force: true });
});

describe('the VS Code extension (packages/vscode)', () => {
  it('packs the manifest, the two bundles, the README and its screenshot into the .vsix, and nothing else', () => {
    const names = entries.map((e) => e.name).sort();
    expect(names).toEqual(
      ['[Content_Types].xml', 'extension.vsixmanifest', 'extension/dist/extension.js', 'extension/dist/server.js', 'extension/images/diagnostic.png', 'extension/package.json', 'extension/readme.md'].sort(),
    );
    const packed = JSON.parse(readFileSync(path.join(extensionDir, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(packed).toMatchObject({ name: 'memlint-vscode', publisher: 'memlint', main: './dist/extension.js', engines: { vscode: expect.stringMatching(/^\^1\.9\d\./) } });
    expect(packed.activationEvents).toContain('onLanguage:markdown');
    // Everything is bundled: the extension needs nothing but `vscode`, the server nothing at all.
    const extension = readFileSync(path.join(extensionDir, 'dist', 'extension.js'), 'utf8');
    const server = readFileSync(path.join(extensionDir, 'dist', 'server.js'), 'utf8');
    const required = (code: string) => [...new Set([...code.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]!))].filter((m) => !isBuiltin(m));
    expect(required(extension)).toEqual(['vscode']);
    expect(required(server)).toEqual([]);
    expect(vsix.length).toBeLessThan(1024 * 1024);
  });

  const brokenHandoff = async (command: string) => {
    const dir = tempDir('vscode-server');
    const handoff = writeV1HandoffTree(dir);
    // Handoff 2 hands instance 2 to instance 4: the next instance is 3.
    const text = v1Handoff(2, 4);
    writeFileSync(handoff(2), text);
    client = await startClient({ root: dir, server: { command, args: [path.join(extensionDir, 'dist', 'server.js')] } });
    const published = client.diagnostics(uri(handoff(2)), (d) => d.length > 0);
    client.open(handoff(2), text);
    const diagnostics = await published;
    const incomingLine = text.split('\n').indexOf('incoming: 4');
    expect(diagnostics).toContainEqual(
      expect.objectContaining({
        code: 'handoff-instances',
        source: 'memlint',
        severity: 1,
        range: { start: { line: incomingLine, character: 'incoming: '.length }, end: { line: incomingLine, character: 'incoming: 4'.length } },
        message: expect.stringContaining('= 3'),
      }),
    );
    expect(client.stderr()).toBe('');
    await client.stop();
    client = null;
  };

  it('runs the packed server on this Node: a broken handoff gets its diagnostic over stdio', () => brokenHandoff(process.execPath));

  it.skipIf(!node20)(`runs the packed server on Node 20 (${node20 ?? 'none found'}), as VS Code's extension host does`, () => brokenHandoff(node20!));

  it('activates with a stub vscode: starts the packed server with its selector, watchers and settings, and restarts it when one changes', () => {
    const run = spawnSync(process.execPath, [path.join(repoRoot, 'test', 'support', 'vscode-host.cjs'), extensionDir], { encoding: 'utf8', timeout: 60_000 });
    if (run.status !== 0) throw new Error(`vscode-host failed (${run.status ?? run.signal}):\n${run.stderr}`);
    const report = JSON.parse(run.stdout) as {
      state: number;
      serverInfo: { name: string } | null;
      capabilities: string[];
      documentSelector: { scheme: string; language?: string; pattern?: string }[];
      initializationOptions: unknown;
      serverModule: string;
      hoverSelectors: unknown[];
      watchers: string[];
      stoppedState: number;
    };
    // vscode-languageclient's State: Stopped 1, Running 2.
    expect(report.state).toBe(2);
    expect(report.serverInfo?.name).toBe('memlint-language-server');
    expect(report.capabilities).toEqual(expect.arrayContaining(['textDocumentSync', 'codeActionProvider', 'hoverProvider', 'completionProvider']));
    expect(report.serverModule).toBe(path.join(extensionDir, 'dist', 'server.js'));
    const markdownPatterns = report.documentSelector.filter((f) => f.language === 'markdown').map((f) => f.pattern);
    expect(markdownPatterns).toEqual(expect.arrayContaining(['**/.apm/**', '**/apm/**', '**/Memory_Bank*.md', '**/Memory/**', '**/sessions/**']));
    expect(report.documentSelector.every((f) => f.scheme === 'file')).toBe(true);
    const configFilter = { scheme: 'file', pattern: '**/{.memlintrc.json,.memlintrc,memlint.config.json}' };
    expect(report.documentSelector).toContainEqual(configFilter);
    expect(report.initializationOptions).toEqual({ debounceMs: 75 });
    // The extension's own watcher (synchronize.fileEvents), then the ones the server registered.
    expect(report.watchers[0]).toBe('**/{.memlintrc.json,.memlintrc,memlint.config.json,metadata.json}');
    expect(report.watchers).toContain('**/*.{md,markdown}');
    // memlint.lintAllMarkdown turned on: a new client for every markdown file.
    expect(report.hoverSelectors.at(-1)).toEqual([{ language: 'markdown', scheme: 'file' }, configFilter]);
    expect(report.stoppedState).toBe(1);
  });
});
