// A control character is a warning everywhere memlint reports: the CLI's exit status and each of
// its reports, and the remark plugin. Configured as error, it is an error everywhere.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseRulePage, loadVirtualRoot, lintWorkspace } from '@memlint/core';
import { copyExample, memlint, remark, repoRoot, tempDir } from './support/run.ts';

const ROOT = '.apm/Memory/Memory_Root.md';

/** The clean Stage-era example with the en dash of one Memory Root heading cut to U+0013. */
function mangledTree(prefix: string): string {
  const dir = tempDir(prefix);
  copyExample('apm-stage', dir);
  const file = path.join(dir, ROOT);
  const text = readFileSync(file, 'utf8');
  expect(text).toContain('## Stage 1 – Project Foundation Summary');
  writeFileSync(file, text.replace('## Stage 1 – Project Foundation Summary', '## Stage 1 \u0013 Project Foundation Summary'));
  return dir;
}

interface JsonFile {
  path: string;
  messages: { line: number; column: number; ruleId: string; fatal: boolean; reason: string }[];
}

describe('a file whose only finding is a control character', () => {
  let dir: string;
  beforeAll(() => {
    dir = mangledTree('control');
  });

  it('is a warning, and the run exits 0', () => {
    const run = memlint(['.'], dir);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('7:12-7:13 warning control character U+0013 (DC3) in the heading `## Stage 1 ␓ Project Foundation Summary`');
    expect(run.stdout).toContain('⚠ 1 warning');
  });

  it('is not fatal in the JSON report, a warning in SARIF and in GitHub annotations', () => {
    const json = memlint(['.', '--report', 'json'], dir);
    expect(json.status).toBe(0);
    const messages = (JSON.parse(json.stdout) as JsonFile[]).flatMap((f) => f.messages);
    expect(messages.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.fatal}`)).toEqual(['7:12 file-encoding false']);

    const sarif = memlint(['.', '--report', 'sarif'], dir);
    expect(sarif.status).toBe(0);
    const log = JSON.parse(sarif.stdout) as { runs: { results: { ruleId: string; level: string }[]; tool: { driver: { rules: { id: string; defaultConfiguration: { level: string } }[] } } }[] };
    expect(log.runs[0]!.results.map((r) => `${r.ruleId} ${r.level}`)).toEqual(['file-encoding warning']);
    // The rule's default stays error (binary files, invalid UTF-8); the result says its own level.
    expect(log.runs[0]!.tool.driver.rules.find((r) => r.id === 'file-encoding')!.defaultConfiguration.level).toBe('error');

    const github = memlint(['.', '--report', 'github'], dir);
    expect(github.status).toBe(0);
    expect(github.stdout).toMatch(/^::warning file=\.apm\/Memory\/Memory_Root\.md,line=7,col=12,.*title=memlint file-encoding::control character U\+0013/m);
  });

  it('is left out by --quiet (errors only)', () => {
    const run = memlint(['.', '--quiet', '--report', 'json'], dir);
    expect(run.status).toBe(0);
    expect((JSON.parse(run.stdout) as JsonFile[]).flatMap((f) => f.messages)).toEqual([]);
  });

  it('is an error, and the run exits 1, when the rule is configured as error on the command line', () => {
    const run = memlint(['.', '--rule', 'file-encoding=error', '--report', 'json'], dir);
    expect(run.status).toBe(1);
    expect((JSON.parse(run.stdout) as JsonFile[]).flatMap((f) => f.messages).map((m) => m.fatal)).toEqual([true]);
  });

  it('is an error when .memlintrc.json configures the rule as error, and gone when it turns it off', () => {
    const sub = mangledTree('control-rc');
    writeFileSync(path.join(sub, '.memlintrc.json'), JSON.stringify({ rules: { 'file-encoding': 'error' } }));
    const run = memlint(['.'], sub);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('7:12-7:13 error');
    writeFileSync(path.join(sub, '.memlintrc.json'), JSON.stringify({ rules: { 'file-encoding': 'off' } }));
    const off = memlint(['.', '--report', 'json'], sub);
    expect(off.status).toBe(0);
    expect((JSON.parse(off.stdout) as JsonFile[]).flatMap((f) => f.messages)).toEqual([]);
  });

  it('does not hide an invalid-UTF-8 error in the same tree: that still exits 1', () => {
    const sub = mangledTree('control-mixed');
    const log = path.join(sub, '.apm/Memory/Stage_01_Project_Foundation/Task_Log_01_01_Database_Schema_and_Migrations.md');
    const bytes = readFileSync(log);
    writeFileSync(log, Buffer.concat([bytes, Buffer.from([0xe9, 0x0a])]));
    const run = memlint(['.', '--report', 'json'], sub);
    expect(run.status).toBe(1);
    const found = (JSON.parse(run.stdout) as JsonFile[]).flatMap((f) => f.messages.map((m) => `${path.basename(f.path)} ${m.ruleId} ${m.fatal}`));
    expect(found).toEqual(['Memory_Root.md file-encoding false', 'Task_Log_01_01_Database_Schema_and_Migrations.md file-encoding true']);
  });
});

describe('the remark plugin', () => {
  it('reports a control character as a warning (not fatal), and as fatal when the rule is set to error', () => {
    const dir = mangledTree('control-remark');
    const lint = (options: object) => {
      writeFileSync(path.join(dir, '.remarkrc.json'), JSON.stringify({ plugins: ['remark-frontmatter', ['remark-lint-agent-memory', options]] }));
      const run = remark([ROOT, '--no-stdout', '--report', 'json'], dir);
      return { run, messages: (JSON.parse(run.stderr.slice(run.stderr.indexOf('['))) as JsonFile[]).flatMap((f) => f.messages) };
    };
    const plain = lint({});
    expect(plain.messages.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.fatal}`)).toEqual(['7:12 file-encoding false']);
    expect(plain.run.status).toBe(0);
    const strict = lint({ rules: { 'file-encoding': 'error' } });
    expect(strict.messages.map((m) => m.fatal)).toEqual([true]);
    expect(strict.run.status).toBe(1);
  });
});

describe('rules/file-encoding.md', () => {
  it('its control-character examples are warnings, its binary and invalid UTF-8 examples errors', () => {
    const page = parseRulePage(readFileSync(path.join(repoRoot, 'rules', 'file-encoding.md'), 'utf8'), 'file-encoding');
    const seen = new Set<string>();
    for (const example of page.examples.filter((e) => e.kind === 'invalid')) {
      const ws = loadVirtualRoot(example.files);
      for (const d of [...lintWorkspace(ws).values()].flat().filter((f) => f.ruleId === 'file-encoding')) {
        const want = d.message.startsWith('control character') ? 'warning' : 'error';
        expect(d.severity, `${example.name}: ${d.message}`).toBe(want);
        seen.add(want);
      }
    }
    expect([...seen].sort()).toEqual(['error', 'warning']);
  });
});
