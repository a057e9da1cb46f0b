// `memlint mcp` as a process, driven by the MCP SDK's own client over stdio: the tools listed,
// each called on the bundled examples, and bad arguments answered with tool errors.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillExamples, loadTreeAt, nextLog, type LogKind } from '@memlint/core';
import { copyExample, memlintBin, tempDir } from './support/run.ts';

type Result = { isError?: boolean; content: { type: string; text: string }[]; structuredContent?: Record<string, any> };

let client: Client;
const work = tempDir('mcp');
const call = async (name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as Result;

beforeAll(async () => {
  client = new Client({ name: 'memlint-test', version: '0.0.0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [memlintBin, 'mcp'], cwd: work, stderr: 'pipe' }));
});
afterAll(async () => {
  await client?.close();
});

describe('memlint mcp', () => {
  it('lists its four tools with input and output schemas', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['explain_rule', 'lint_file', 'lint_tree', 'next_log']);
    for (const t of tools) {
      expect(t.inputSchema.type).toBe('object');
      expect(t.outputSchema?.type).toBe('object');
    }
    expect(tools.find((t) => t.name === 'next_log')!.inputSchema.required).toEqual(['path', 'kind']);
  });

  it('lint_file: a proposed handoff with the wrong incoming gets the finding at its line and the corrected text', async () => {
    const tree = copyExample('apm-v1', path.join(work, 'v1-propose'));
    const file = path.join(tree, '.apm/memory/handoffs/backend-agent/handoff-03.log.md');
    const proposed = nextLog(loadTreeAt(tree), { kind: 'handoff', agent: 'backend-agent' });
    const filled = fillExamples(proposed.text, proposed.placeholders);
    const wrong = filled.replace('incoming: 4', 'incoming: 5');
    const r = await call('lint_file', { path: file, content: wrong });
    expect(r.isError).toBeFalsy();
    const findings = r.structuredContent!.findings as { line: number; column: number; rule: string; message: string }[];
    expect(findings.find((f) => f.rule === 'handoff-instances')).toMatchObject({ line: 4, column: 11 });
    expect(r.structuredContent!.fixed).toBe(filled);
    expect(r.content[0]!.text).toContain(':4:11');
    // The file is not on disk: nothing was written.
    expect(() => readFileSync(file)).toThrow();
    // The right text passes.
    const clean = await call('lint_file', { path: file, content: filled });
    expect(clean.structuredContent!.findings).toEqual([]);
    expect(clean.structuredContent!.fixed).toBeNull();
  });

  it('lint_file: a file on disk, checked against its tree', async () => {
    const tree = copyExample('apm-stage-defects', path.join(work, 'stage-defects'));
    const r = await call('lint_file', { path: path.join(tree, '.apm/Memory/Memory_Root.md') });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent!.dialect).toBe('apm-stage');
    expect(Array.isArray(r.structuredContent!.findings)).toBe(true);
  });

  it('lint_tree: a summary and the findings', async () => {
    const tree = copyExample('apm-v1-defects', path.join(work, 'v1-defects'));
    const r = await call('lint_tree', { path: tree });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent!.errors).toBeGreaterThan(0);
    expect(r.structuredContent!.findings.length).toBe(r.structuredContent!.errors + r.structuredContent!.warnings);
    expect(r.structuredContent!.roots[0].dialect).toBe('apm-v1');
    const clean = await call('lint_tree', { path: copyExample('apm-v1', path.join(work, 'v1-clean')) });
    expect(clean.structuredContent).toMatchObject({ errors: 0, warnings: 0 });
  });

  const dialects: { example: string; kind: LogKind; agent?: string; task?: string }[] = [
    { example: 'apm-v1', kind: 'handoff', agent: 'frontend-agent' },
    { example: 'apm-stage', kind: 'handoff', agent: 'Agent_Backend' },
    { example: 'apm-v05', kind: 'task-log', task: '3.4' },
    { example: 'apm-v03', kind: 'task-log', agent: 'Agent_Dashboard' },
    { example: 'aops', kind: 'reflection', task: 'fieldkit-7d30a5e2' },
  ];
  for (const d of dialects) {
    it(`next_log in ${d.example}: the file it lays out lints clean once its placeholders are filled`, async () => {
      const tree = copyExample(d.example, path.join(work, `next-${d.example}`));
      const r = await call('next_log', { path: tree, kind: d.kind, ...(d.agent ? { agent: d.agent } : {}), ...(d.task ? { task: d.task } : {}) });
      expect(r.isError, r.content[0]?.text).toBeFalsy();
      const s = r.structuredContent!;
      expect(s.text).toContain('<fill: ');
      const examples = nextLog(loadTreeAt(tree), { kind: d.kind, ...(d.agent ? { agent: d.agent } : {}), ...(d.task ? { task: d.task } : {}) }).placeholders;
      const filled = fillExamples(s.text, examples);
      const content = s.mode === 'append' ? readFileSync(s.path, 'utf8') + filled : filled;
      const lint = await call('lint_file', { path: s.path, content });
      expect(lint.structuredContent!.findings).toEqual([]);
      // Written, it lints clean from disk too.
      mkdirSync(path.dirname(s.path), { recursive: true });
      writeFileSync(s.path, content);
      expect((await call('lint_file', { path: s.path })).structuredContent!.findings).toEqual([]);
    });
  }

  it('explain_rule: the rule page', async () => {
    const r = await call('explain_rule', { id: 'handoff-instances' });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ id: 'handoff-instances', fixable: true, crossFile: true });
    expect(r.content[0]!.text).toContain('## Invalid');
  });

  it('bad arguments get tool errors that say what is wrong, and the server keeps serving', async () => {
    const missing = await call('lint_file', {});
    expect(missing.isError).toBe(true);
    expect(missing.content[0]!.text).toMatch(/path/);
    const kind = await call('next_log', { path: work, kind: 'diary' });
    expect(kind.isError).toBe(true);
    expect(kind.content[0]!.text).toMatch(/kind/);
    const rule = await call('explain_rule', { id: 'handoff-instance' });
    expect(rule.isError).toBe(true);
    expect(rule.content[0]!.text).toContain('handoff-instances');
    const gone = await call('lint_tree', { path: path.join(work, 'nowhere') });
    expect(gone.isError).toBe(true);
    expect(gone.content[0]!.text).toMatch(/no such file or directory/);
    const logged = await call('next_log', { path: copyExample('apm-v1', path.join(work, 'v1-logged')), kind: 'task-log', task: '2.1' });
    expect(logged).toMatchObject({ isError: true });
    expect(logged.content[0]!.text).toContain('already has a log');
    const notMd = await call('lint_file', { path: path.join(work, 'x.json') });
    expect(notMd.isError).toBe(true);
    expect((await client.listTools()).tools.length).toBe(4);
  });
});
