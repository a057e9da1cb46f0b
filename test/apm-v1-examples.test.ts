// The bundled APM v1.0 trees: examples/apm-v1 lints clean; examples/apm-v1-defects gives exactly
// the defects its DEFECTS.md table lists (file, line:column, rule), through the CLI as a process.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memlint, repoRoot } from './support/run.ts';

interface JsonFile {
  path: string;
  messages: { line: number; column: number; ruleId: string; fatal: boolean; reason: string }[];
}

const defectsTree = 'examples/apm-v1-defects';

/** The DEFECTS.md rows: `| n | `file` | line:col | … | `rule` … |`. */
function documented(): { file: string; line: number; column: number; ruleId: string }[] {
  const table = readFileSync(path.join(repoRoot, defectsTree, 'DEFECTS.md'), 'utf8');
  const rows = [...table.matchAll(/^\|\s*\d+\s*\|\s*`([^`]+)`\s*\|\s*(\d+):(\d+)\s*\|.*\|\s*`([a-z-]+)`[^|]*\|\s*$/gm)];
  const out = rows.map((m) => ({ file: m[1]!, line: Number(m[2]), column: Number(m[3]), ruleId: m[4]! }));
  // Defect 3's note: the same wrong file name is also reported at `outgoing` (3:11).
  out.push({ file: '.apm/memory/handoffs/frontend-agent/handoff-02.log.md', line: 3, column: 11, ruleId: 'handoff-instances' });
  return out;
}

const report = (files: JsonFile[], prefix: string) =>
  files.flatMap((f) => f.messages.map((m) => ({ file: path.relative(prefix, f.path), line: m.line, column: m.column, ruleId: m.ruleId })));

const sorted = <T extends { file: string; line: number; column: number }>(xs: T[]) =>
  [...xs].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);

describe('the APM v1.0 example trees', () => {
  it('examples/apm-v1 (live tree and archived session) has no findings, detected as APM v1.0', () => {
    const run = memlint(['examples/apm-v1', '--report', 'json']);
    expect(run.status, run.stderr).toBe(0);
    const files = JSON.parse(run.stdout) as JsonFile[];
    expect(files.length).toBeGreaterThan(20);
    expect(files.some((f) => f.path.includes('/archives/'))).toBe(true);
    expect(report(files, 'examples/apm-v1')).toEqual([]);
    const explain = memlint(['--explain-dialect', 'examples/apm-v1', '--report', 'json']);
    const { roots } = JSON.parse(explain.stdout) as { roots: { root: string; dialect: string; source: string; metadata: { version: string } | null }[] };
    expect(roots.map((r) => [r.root, r.dialect, r.source, r.metadata?.version])).toEqual([
      ['examples/apm-v1/.apm', 'apm-v1', 'metadata', 'v1.0.2'],
      ['examples/apm-v1/.apm/archives/session-2026-05-04-001-prototype', 'apm-v1', 'metadata', 'v1.0.1'],
    ]);
  });

  it('examples/apm-v1-defects gives exactly the documented defects', () => {
    const run = memlint([defectsTree, '--report', 'json']);
    expect(run.status, run.stderr).toBe(1);
    const files = JSON.parse(run.stdout) as JsonFile[];
    const want = documented();
    expect(want.length).toBe(11);
    expect(sorted(report(files, defectsTree))).toEqual(sorted(want));
    for (const f of files) for (const m of f.messages) expect(m.reason, `${f.path}:${m.line}`).not.toMatch(/undefined|NaN|\[object Object\]/);
  });

  it('memlint --fix repairs the certain ones only (incoming from outgoing, handoff from the file name), and a second run changes nothing', async () => {
    const { copyExample, tempDir } = await import('./support/run.ts');
    const dir = copyExample('apm-v1-defects', tempDir('v1-fix'));
    const first = memlint([dir, '--fix', '--report', 'json']);
    expect([0, 1]).toContain(first.status);
    const manager = readFileSync(path.join(dir, '.apm/memory/handoffs/manager/handoff-02.log.md'), 'utf8');
    expect(manager).toMatch(/^incoming: 3$/m);
    const frontend = readFileSync(path.join(dir, '.apm/memory/handoffs/frontend-agent/handoff-02.log.md'), 'utf8');
    expect(frontend).toMatch(/^handoff: 2$/m);
    // `outgoing` stays: the instance or the number may be the wrong one, and the message names both.
    expect(frontend).toMatch(/^outgoing: 1$/m);
    const again = memlint([dir, '--fix', '--report', 'json']);
    expect(again.stdout).toBe(memlint([dir, '--report', 'json']).stdout);
  });
});

describe('section headings in another language', () => {
  it('a `sections` setting maps them to the format\'s titles', async () => {
    const { tempDir, writeTree } = await import('./support/run.ts');
    const dir = tempDir('v1-sections');
    const log = (h: string[]) => ['---', 'stage: 1', 'task: 1', 'title: Setup', 'agent: backend-agent', 'status: Success', 'important_findings: true', 'compatibility_issues: false', '---', '', '# Task 1.1 - Setup', '', ...h.flatMap((x) => [`## ${x}`, '', 'Texto.', '']), ''].join('\n');
    writeTree(dir, {
      '.apm/metadata.json': '{"releaseVersion":"v1.0.2"}',
      '.apm/memory/stage-01/task-01-01.log.md': log(['Resumo', 'Detalhes', 'Saída', 'Validação', 'Problemas', 'Descobertas Importantes']),
    });
    const without = memlint([dir, '--no-config', '--report', 'json', '--rule', 'task-planned=off']);
    const rules = (JSON.parse(without.stdout) as JsonFile[]).flatMap((f) => f.messages.map((m) => m.ruleId));
    expect(rules.filter((r) => r === 'sections-required')).toHaveLength(5);
    expect(rules).toContain('conditional-sections');
    writeTree(dir, {
      '.memlintrc.json': JSON.stringify({ sections: { Resumo: 'Summary', Detalhes: 'Details', Saída: 'Output', Validação: 'Validation', Problemas: 'Issues', 'Descobertas Importantes': 'Important Findings' } }),
    });
    const withAliases = memlint([dir, '--report', 'json', '--rule', 'task-planned=off'], dir);
    expect(withAliases.status, withAliases.stderr).toBe(0);
    expect((JSON.parse(withAliases.stdout) as JsonFile[]).flatMap((f) => f.messages)).toEqual([]);
  });
});

describe('files that bend the v1.0 layout', () => {
  it('a file in the handoffs area under another name is a misfiled handoff, not a task log', async () => {
    const { tempDir, writeTree } = await import('./support/run.ts');
    const dir = tempDir('v1-misfiled');
    writeTree(dir, {
      '.apm/metadata.json': '{"releaseVersion":"v1.0.1"}',
      '.apm/memory/handoffs/recovered/backend-task-1.1.md': '---\nstage: 1\ntask: "1.1"\nstatus: complete\n---\n\n# Recovered handoff\n',
    });
    const run = memlint([dir, '--report', 'json', '--no-config']);
    const messages = (JSON.parse(run.stdout) as JsonFile[]).flatMap((f) => f.messages);
    expect(messages.map((m) => m.ruleId)).toContain('handoff-log-path');
    expect(messages.map((m) => m.reason).join('\n')).not.toMatch(/in a task log/);
    expect(messages.find((m) => m.ruleId === 'title-format')?.reason).toMatch(/<Display Name> Handoff N/);
  });
});
