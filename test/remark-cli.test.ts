import path from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyExample, remark, tempDir } from './support/run.ts';

interface JsonFile {
  path: string;
  messages: { line: number; column: number; ruleId: string; fatal: boolean; source: string; url: string; reason: string }[];
}

const rc = JSON.stringify({ plugins: ['remark-frontmatter', 'remark-lint-agent-memory'] });

describe('remark-cli with remark-lint-agent-memory from .remarkrc.json', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('remark');
    copyExample('apm-stage-defects', dir);
    writeFileSync(path.join(dir, '.remarkrc.json'), rc);
  });

  function lint(...args: string[]) {
    const run = remark([...args, '--no-stdout', '--report', 'json'], dir);
    const files = JSON.parse(run.stderr.slice(run.stderr.indexOf('['))) as JsonFile[];
    return { run, files };
  }

  it('reports the seven defects of the tree, each once, with exact places', () => {
    const { run, files } = lint('.apm');
    expect(run.status).toBe(1);
    const found = files.flatMap((f) => f.messages.map((m) => `${f.path}:${m.line}:${m.column} ${m.ruleId}`)).sort();
    expect(found).toEqual(
      [
        '.apm/Memory/Handoffs/Agent_Backend_Handoffs/Agent_Backend_Handoff_Log_2.md:7:12 handoff-chain-timestamps',
        '.apm/Memory/Handoffs/Agent_Backend_Handoffs/Agent_Backend_Handoff_Log_3.md:4:18 handoff-session-names',
        '.apm/Memory/Handoffs/Agent_Frontend_Handoffs/Agent_Frontend_Handoff_Log_3.md:5:17 handoff-chain-continuity',
        '.apm/Memory/Memory_Root.md:3:23 memory-root-handoff-count',
        '.apm/Memory/Stage_01_Project_Foundation/Task_Log_01_03_Frontend_Shell_and_Routing.md:6:21 conditional-sections',
        '.apm/Memory/Stage_02_Billing_Engine/Task_Log_02_01_Invoice_API_Endpoints.md:35:1 sections-required',
        '.apm/Memory/Stage_02_Billing_Engine/Task_Log_02_03_Invoice_Editor_UI.md:5:16 task-log-status',
      ].sort(),
    );
    for (const m of files.flatMap((f) => f.messages)) {
      expect(m.fatal).toBe(true);
      expect(m.source).toBe('remark-lint-agent-memory');
      expect(m.url).toMatch(new RegExp(`rules/${m.ruleId}\\.md$`));
    }
  });

  it('pulls siblings into a one-file run for the cross-file rules, and reports only that file', () => {
    const { run, files } = lint('.apm/Memory/Handoffs/Agent_Frontend_Handoffs/Agent_Frontend_Handoff_Log_3.md');
    expect(run.status).toBe(1);
    expect(files.map((f) => f.path)).toEqual(['.apm/Memory/Handoffs/Agent_Frontend_Handoffs/Agent_Frontend_Handoff_Log_3.md']);
    expect(files[0]!.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}`)).toEqual(['5:17 handoff-chain-continuity']);
  });

  it('takes rule severities from the plugin options', () => {
    const sub = tempDir('remark-options');
    copyExample('apm-stage-defects', sub);
    writeFileSync(
      path.join(sub, '.remarkrc.json'),
      JSON.stringify({ plugins: ['remark-frontmatter', ['remark-lint-agent-memory', { rules: { 'memory-root-handoff-count': 'warning' } }]] }),
    );
    const run = remark(['.apm/Memory/Memory_Root.md', '--no-stdout', '--report', 'json'], sub);
    const files = JSON.parse(run.stderr.slice(run.stderr.indexOf('['))) as JsonFile[];
    expect(files[0]!.messages).toHaveLength(1);
    expect(files[0]!.messages[0]!.fatal).toBe(false);
    expect(run.status).toBe(0);
  });

  it('is silent on the clean example tree', () => {
    const clean = tempDir('remark-clean');
    copyExample('apm-stage', clean);
    writeFileSync(path.join(clean, '.remarkrc.json'), rc);
    const run = remark(['.apm', '--no-stdout', '--report', 'json', '--frail'], clean);
    expect(run.status).toBe(0);
    const files = JSON.parse(run.stderr.slice(run.stderr.indexOf('['))) as JsonFile[];
    expect(files.length).toBe(22);
    expect(files.flatMap((f) => f.messages)).toEqual([]);
  });

  it('leaves the files untouched', () => {
    const before = readFileSync(path.join(dir, '.apm/Memory/Memory_Root.md'), 'utf8');
    lint('.apm');
    expect(readFileSync(path.join(dir, '.apm/Memory/Memory_Root.md'), 'utf8')).toBe(before);
  });
});
