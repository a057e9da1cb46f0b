// The language server as an editor runs it: a child process spoken to over stdio (vscode-jsonrpc).
// Diagnostics where the CLI puts them (UTF-16 columns), updates on edits, the quick fix that makes
// a finding go, cross-file findings that follow an unsaved buffer of another file, hover,
// completion, a configuration change, and failures that never take the server down.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copyExample, memlint, tempDir } from './support/run.ts';
import { v1Handoff, writeV1HandoffTree } from './support/v1-handoffs.ts';
import { startClient, uri, type Client, type LspDiagnostic } from './support/lsp.ts';

interface JsonFile {
  path: string;
  messages: { ruleId: string; place: { start: { line: number; column: number }; end: { line: number; column: number } } }[];
}

let client: Client | null = null;
afterEach(async () => {
  await client?.stop();
  client = null;
});

const handoff = v1Handoff;
const v1Tree = writeV1HandoffTree;

const ranges = (list: LspDiagnostic[]) => list.map((d) => `${d.code} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`).sort();
const cliRanges = (dir: string, file: string) => {
  const run = memlint([file, '--report', 'json'], dir);
  const files = JSON.parse(run.stdout) as JsonFile[];
  return files
    .filter((f) => path.resolve(dir, f.path) === file)
    .flatMap((f) => f.messages.map((m) => `${m.ruleId} ${m.place.start.line - 1}:${m.place.start.column - 1}-${m.place.end.line - 1}:${m.place.end.column - 1}`))
    .sort();
};

describe('memlint-language-server over stdio', () => {
  it('publishes each file\'s findings where the CLI reports them, with code, source and the rule page', async () => {
    const dir = copyExample('apm-v1-defects', tempDir('lsp-defects'));
    client = await startClient({ root: dir });
    const files = ['.apm/tracker.md', '.apm/memory/handoffs/frontend-agent/handoff-02.log.md', '.apm/memory/stage-03/task-02-05.log.md', '.apm/memory/index.md'].map((f) => path.join(dir, f));
    for (const file of files) {
      const wait = client.diagnostics(uri(file), (d) => d.length > 0);
      client.open(file, readFileSync(file, 'utf8'));
      const got = await wait;
      expect(ranges(got)).toEqual(cliRanges(dir, file));
      for (const d of got) {
        expect(d.source).toBe('memlint');
        expect(d.codeDescription?.href).toMatch(new RegExp(`/rules/${d.code}\\.md$`));
        expect([1, 2]).toContain(d.severity);
      }
    }
  });

  it.each(['apm-stage-defects', 'apm-v05-defects', 'apm-v03', 'aops'])('works for every dialect: the files of examples/%s with findings get what the CLI reports', async (example) => {
    const dir = copyExample(example, tempDir(`lsp-${example}`));
    const cli = JSON.parse(memlint(['.', '--report', 'json'], dir).stdout) as JsonFile[];
    const withFindings = cli.filter((f) => f.messages.length > 0).map((f) => path.resolve(dir, f.path));
    client = await startClient({ root: dir });
    const clean = cli.find((f) => f.messages.length === 0);
    const opened = [...withFindings.slice(0, 4), ...(clean ? [path.resolve(dir, clean.path)] : [])];
    for (const file of opened) {
      const wait = client.diagnostics(uri(file), (d) => withFindings.includes(file) ? d.length > 0 : true);
      client.open(file, readFileSync(file, 'utf8'));
      expect(ranges(await wait)).toEqual(cliRanges(dir, file));
    }
  });

  it('counts columns in UTF-16 code units: Chinese text, emoji and a BOM before the finding', async () => {
    const dir = tempDir('lsp-utf16');
    const files = v1Tree(dir);
    // The stage is wrong on a line that follows wide characters; the title line carries emoji and Chinese.
    const text = handoff(2).replace('stage: 1', 'stage: 7').replace('# Backend Agent Handoff 2', '# Backend Agent Handoff 2 🚀').replace('## Summary\nx', '## Summary\n交接 🧭 说明');
    writeFileSync(files(2), `\uFEFF${text}`);
    client = await startClient({ root: dir });
    // Open as an editor opens it: without the BOM in the buffer.
    const wait = client.diagnostics(uri(files(2)), (d) => d.length > 0);
    client.open(files(2), text);
    const got = await wait;
    expect(ranges(got)).toEqual(cliRanges(dir, files(2)));
    // And the title finding, if any, sits after the emoji in UTF-16 units (a surrogate pair is two).
    const title = got.find((d) => d.code === 'title-format');
    const titleLine = text.split('\n').find((l) => l.startsWith('# '))!;
    if (title) expect(title.range.end.character).toBe(titleLine.length);
    // A finding on a line with Chinese and emoji before it (a flow mapping puts every key on one line):
    // its column is the string index, a surrogate pair counting two.
    const flow = text.replace(/^---\n[\s\S]*?\n---\n/, '---\n{agent: "后端 🚀 agent", outgoing: 2, incoming: 3, handoff: 2, stage: 7}\n---\n');
    const again = client.diagnostics(uri(files(2)), (d) => d.some((x) => x.code === 'handoff-stage-exists' && x.range.start.line === 1));
    client.change(files(2), flow, 2);
    const after = await again;
    const stageFinding = after.find((x) => x.code === 'handoff-stage-exists')!;
    expect(stageFinding.range.start.character).toBe(flow.split('\n')[1]!.indexOf('stage: 7') + 'stage: '.length);
    writeFileSync(files(2), `\uFEFF${flow}`);
    expect(ranges(after)).toEqual(cliRanges(dir, files(2)));
  });

  it('updates on an edit, and the quick fix\'s edit makes the finding go', async () => {
    const dir = tempDir('lsp-edit');
    const files = v1Tree(dir);
    client = await startClient({ root: dir });
    const clean = client.diagnostics(uri(files(2)));
    client.open(files(2), handoff(2));
    expect(await clean).toEqual([]);
    // incoming must be outgoing + 1: 9 is wrong, and memlint can fix it.
    const broken = handoff(2, 9);
    const wait = client.diagnostics(uri(files(2)), (d) => d.length > 0);
    client.change(files(2), broken, 2);
    const [finding, ...rest] = await wait;
    expect(rest).toEqual([]);
    expect(finding!.message).toMatch(/incoming: 9/);
    expect(finding!.range.start.line).toBe(3);
    const actions = await client.request<{ title: string; kind: string; isPreferred?: boolean; edit?: { changes: Record<string, { range: LspDiagnostic['range']; newText: string }[]> } }[]>('textDocument/codeAction', {
      textDocument: { uri: uri(files(2)) },
      range: finding!.range,
      context: { diagnostics: [finding], only: ['quickfix'] },
    });
    const quick = actions.find((a) => a.isPreferred);
    expect(quick?.kind).toBe('quickfix');
    const edits = quick!.edit!.changes[uri(files(2))]!;
    const fixed = applyLspEdits(broken, edits);
    // Only the value changed (the title, which names instance 9 too, is another finding's to fix).
    expect(fixed).toBe(broken.replace('incoming: 9', 'incoming: 3'));
    expect(actions.map((a) => a.title)).toContain('Fix all memlint problems in this file');
    const gone = client.diagnostics(uri(files(2)), (d) => !d.some((x) => x.code === finding!.code));
    client.change(files(2), fixed, 3);
    expect((await gone).map((d) => d.code)).toEqual(['title-format']);
    // Fix-on-save asks for source.fixAll.memlint.
    client.change(files(2), broken, 4);
    await client.diagnostics(uri(files(2)), (d) => d.length > 0);
    const fixAll = await client.request<{ kind: string; edit: { changes: Record<string, { range: LspDiagnostic['range']; newText: string }[]> } }[]>('textDocument/codeAction', {
      textDocument: { uri: uri(files(2)) },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    });
    expect(fixAll.map((a) => a.kind)).toEqual(['source.fixAll.memlint']);
    expect(applyLspEdits(broken, fixAll[0]!.edit.changes[uri(files(2))]!)).toBe(fixed);
  });

  it('an unsaved edit of handoff 2 makes handoff 3\'s cross-file finding appear, and undoing it makes it go', async () => {
    const dir = tempDir('lsp-cross');
    const files = v1Tree(dir);
    client = await startClient({ root: dir });
    const clean3 = client.diagnostics(uri(files(3)));
    client.open(files(3), readFileSync(files(3), 'utf8'));
    expect(await clean3).toEqual([]);
    client.open(files(2), handoff(2));
    await client.diagnostics(uri(files(2)));
    // Handoff 2 renumbered to 4 in the buffer only: the chain 1, 3, 4 has a gap before 3.
    const appear = client.diagnostics(uri(files(3)), (d) => d.length > 0);
    client.change(files(2), handoff(4).replace('handoff: 4', 'handoff: 4'), 2);
    const found = await appear;
    expect(found.map((d) => d.code)).toContain('handoff-chain-continuity');
    expect(readFileSync(files(2), 'utf8')).toBe(handoff(2));
    const disappear = client.diagnostics(uri(files(3)), (d) => d.length === 0);
    client.change(files(2), handoff(2), 3);
    expect(await disappear).toEqual([]);
  });

  it('the same happens for a file that is not open: its diagnostics come with the change, and are cleared after', async () => {
    const dir = tempDir('lsp-cross-closed');
    const files = v1Tree(dir);
    client = await startClient({ root: dir });
    client.open(files(2), handoff(2));
    await client.diagnostics(uri(files(2)));
    const appear = client.diagnostics(uri(files(3)), (d) => d.length > 0);
    client.change(files(2), handoff(4), 2);
    expect((await appear).map((d) => d.code)).toContain('handoff-chain-continuity');
    const disappear = client.diagnostics(uri(files(3)), (d) => d.length === 0);
    client.change(files(2), handoff(2), 3);
    expect(await disappear).toEqual([]);
  });

  it('a file deleted or created on disk (a watched-file event) changes the findings of the open files it feeds', async () => {
    const dir = tempDir('lsp-watched');
    const files = v1Tree(dir);
    client = await startClient({ root: dir });
    const clean = client.diagnostics(uri(files(3)));
    client.open(files(3), handoff(3));
    expect(await clean).toEqual([]);
    const kept = readFileSync(files(2), 'utf8');
    rmSync(files(2));
    const gap = client.diagnostics(uri(files(3)), (d) => d.some((x) => x.code === 'handoff-chain-continuity'));
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(files(2)), type: 3 }] });
    await gap;
    writeFileSync(files(2), kept);
    const back = client.diagnostics(uri(files(3)), (d) => d.length === 0);
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(files(2)), type: 1 }] });
    expect(await back).toEqual([]);
  });

  it('closing a buffer goes back to the file on disk: an unsaved break of the chain is forgotten', async () => {
    const dir = tempDir('lsp-close');
    const files = v1Tree(dir);
    client = await startClient({ root: dir });
    client.open(files(3), handoff(3));
    await client.diagnostics(uri(files(3)));
    client.open(files(2), handoff(4));
    await client.diagnostics(uri(files(3)), (d) => d.length > 0);
    const cleared = client.diagnostics(uri(files(3)), (d) => d.length === 0);
    client.close(files(2));
    expect(await cleared).toEqual([]);
  });

  it('hover tells a frontmatter key\'s description and allowed values, and a finding\'s rule', async () => {
    const dir = copyExample('apm-stage-defects', tempDir('lsp-hover'));
    client = await startClient({ root: dir });
    const file = path.join(dir, '.apm', 'Memory', 'Stage_01_Project_Foundation', 'Task_Log_01_02_Authentication_API.md');
    const text = readFileSync(file, 'utf8').replace(/^status: .*$/m, 'status: Sucess');
    const wait = client.diagnostics(uri(file), (d) => d.length > 0);
    client.open(file, text);
    const found = await wait;
    const line = text.split('\n').findIndex((l) => l.startsWith('status:'));
    const onKey = await client.request<{ contents: { kind: string; value: string } } | null>('textDocument/hover', { textDocument: { uri: uri(file) }, position: { line, character: 2 } });
    expect(onKey?.contents.kind).toBe('markdown');
    expect(onKey?.contents.value).toMatch(/\*\*status\*\*/);
    expect(onKey?.contents.value).toMatch(/Allowed: .*`Success`.*`Partial`.*`Failed`/);
    const statusFinding = found.find((d) => d.range.start.line === line)!;
    const onFinding = await client.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: uri(file) }, position: statusFinding.range.start });
    expect(onFinding?.contents.value).toContain(`**${statusFinding.code}** (memlint)`);
    const noHover = await client.request<unknown>('textDocument/hover', { textDocument: { uri: uri(file) }, position: { line: text.split('\n').length - 1, character: 0 } });
    expect(noHover).toBeNull();
  });

  it('completes the keys a kind still lacks, enum values, and the incoming instance the chain expects', async () => {
    const dir = tempDir('lsp-complete');
    const files = v1Tree(dir);
    client = await startClient({ root: dir });
    type Item = { label: string; textEdit?: { newText: string } };
    const complete = (file: string, line: number, character: number) => client!.request<Item[]>('textDocument/completion', { textDocument: { uri: uri(file) }, position: { line, character } });
    // incoming: what memlint expects is outgoing + 1.
    const partial = handoff(2).replace('incoming: 3', 'incoming: ');
    client.open(files(2), partial);
    await client.diagnostics(uri(files(2)));
    const incoming = await complete(files(2), 3, 'incoming: '.length);
    expect(incoming[0]?.label).toBe('3');
    // A key at the start of a frontmatter line: only those not written yet.
    const withoutStage = handoff(2).replace('stage: 1\n', '\n');
    client.change(files(2), withoutStage, 2);
    await client.diagnostics(uri(files(2)), (d) => d.length > 0);
    const keys = (await complete(files(2), 6, 0)).map((i) => i.label);
    expect(keys).toContain('stage');
    expect(keys).not.toContain('agent');
    expect(keys).not.toContain('outgoing');
    // Enum values: a Stage-era task log's status.
    const stage = copyExample('apm-stage', tempDir('lsp-complete-stage'));
    const log = path.join(stage, '.apm', 'Memory', 'Stage_01_Project_Foundation', 'Task_Log_01_01_Database_Schema_and_Migrations.md');
    const logText = readFileSync(log, 'utf8');
    const statusLine = logText.split('\n').findIndex((l) => l.startsWith('status:'));
    client.open(log, logText);
    await client.diagnostics(uri(log));
    const values = (await complete(log, statusLine, 'status: '.length)).map((i) => i.label);
    expect(values).toEqual(expect.arrayContaining(['Success', 'Partial', 'Failed']));
  });

  it('a changed configuration file lints everything open again; the quick fix can turn a rule off in it', async () => {
    const dir = tempDir('lsp-config');
    const files = v1Tree(dir);
    writeFileSync(path.join(dir, '.memlintrc.json'), '{\n  "docsBase": "https://example.org/rules/"\n}\n');
    client = await startClient({ root: dir });
    const wait = client.diagnostics(uri(files(2)), (d) => d.length > 0);
    client.open(files(2), handoff(2, 9));
    const [finding] = await wait;
    expect(finding!.codeDescription?.href).toBe(`https://example.org/rules/${finding!.code}.md`);
    const actions = await client.request<{ title: string; edit?: { changes: Record<string, { range: LspDiagnostic['range']; newText: string }[]> } }[]>('textDocument/codeAction', {
      textDocument: { uri: uri(files(2)) },
      range: finding!.range,
      context: { diagnostics: [finding], only: ['quickfix'] },
    });
    const disable = actions.find((a) => a.title.startsWith(`Disable ${finding!.code}`))!;
    const configUri = uri(path.join(dir, '.memlintrc.json'));
    const configText = applyLspEdits(readFileSync(path.join(dir, '.memlintrc.json'), 'utf8'), disable.edit!.changes[configUri]!);
    expect(JSON.parse(configText)).toEqual({ rules: { [finding!.code]: 'off' }, docsBase: 'https://example.org/rules/' });
    // The editor applies the edit and saves: a watched-file change.
    writeFileSync(path.join(dir, '.memlintrc.json'), configText);
    const cleared = client.diagnostics(uri(files(2)), (d) => d.length === 0);
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: configUri, type: 2 }] });
    expect(await cleared).toEqual([]);
  });

  it('a malformed file, a 5 MB file and a rule that throws become diagnostics; the server keeps serving', async () => {
    const dir = tempDir('lsp-robust');
    const files = v1Tree(dir);
    const thrower = path.join(dir, 'throwing-rule.mjs');
    writeFileSync(thrower, `export const rules = [{ meta: { id: 'test-throws', description: 'throws on handoff 3', severity: 'error', family: 'apm' }, checkDocument(doc) { if (doc.path.endsWith('handoff-03.log.md')) throw new Error('boom'); } }];\n`);
    client = await startClient({ root: dir, env: { MEMLINT_LANGUAGE_SERVER_RULES: thrower } });
    const threw = client.diagnostics(uri(files(3)), (d) => d.length > 0);
    client.open(files(3), handoff(3));
    const [failure] = await threw;
    expect(failure!.code).toBe('test-throws');
    expect(failure!.message).toMatch(/failed here and checked nothing: boom/);
    // Broken YAML in the frontmatter: a finding with a place, not a crash.
    const broken = client.diagnostics(uri(files(2)), (d) => d.length > 0);
    client.open(files(2), '---\nagent: [backend\n---\n\n# x\n');
    expect((await broken).some((d) => d.code === 'frontmatter-yaml' || /YAML/i.test(d.message))).toBe(true);
    // 5 MB: the size finding.
    const big = path.join(dir, '.apm', 'memory', 'stage-01', 'task-01-01.log.md');
    const huge = `---\nstage: 1\n---\n\n# Big\n\n${'word '.repeat(1_000_000)}\n`;
    const sized = client.diagnostics(uri(big), (d) => d.length > 0);
    client.open(big, huge);
    expect((await sized).map((d) => d.code)).toContain('file-size');
    // Still serving.
    const hover = await client.request<unknown>('textDocument/hover', { textDocument: { uri: uri(files(1)) }, position: { line: 1, character: 1 } });
    expect(hover).not.toBeUndefined();
    expect(client.child.exitCode).toBeNull();
  });
});

/** Applies LSP text edits (non-overlapping) to a text, as an editor does. */
function applyLspEdits(text: string, edits: { range: LspDiagnostic['range']; newText: string }[]): string {
  const lines: number[] = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lines.push(i + 1);
  const at = (p: { line: number; character: number }) => (lines[p.line] ?? text.length) + p.character;
  const sorted = [...edits].sort((a, b) => at(b.range.start) - at(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, at(e.range.start)) + e.newText + out.slice(at(e.range.end));
  return out;
}
