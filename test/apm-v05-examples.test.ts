// The bundled APM v0.5 (Phase era) trees: examples/apm-v05 lints clean; examples/apm-v05-defects gives
// exactly the defects its DEFECTS.md table lists (file, line:column, rule), through the CLI as a process.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyExample, memlint, repoRoot, tempDir, writeTree } from './support/run.ts';

interface JsonFile {
  path: string;
  messages: { line: number; column: number; ruleId: string; fatal: boolean; reason: string }[];
}

const defectsTree = 'examples/apm-v05-defects';

/** The DEFECTS.md rows: `| n | `file` | line:col | … | `rule` … |`. */
function documented(): { file: string; line: number; column: number; ruleId: string }[] {
  const table = readFileSync(path.join(repoRoot, defectsTree, 'DEFECTS.md'), 'utf8');
  const rows = [...table.matchAll(/^\|\s*\d+\s*\|\s*`([^`]+)`\s*\|\s*(\d+):(\d+)\s*\|.*\|\s*`([a-z-]+)`[^|]*\|\s*$/gm)];
  return rows.map((m) => ({ file: m[1]!, line: Number(m[2]), column: Number(m[3]), ruleId: m[4]! }));
}

const report = (files: JsonFile[], prefix: string) =>
  files.flatMap((f) => f.messages.map((m) => ({ file: path.relative(prefix, f.path), line: m.line, column: m.column, ruleId: m.ruleId })));

const sorted = <T extends { file: string; line: number; column: number }>(xs: T[]) =>
  [...xs].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);

const lint = (dir: string, extra: string[] = []) => {
  const run = memlint([dir, '--report', 'json', ...extra]);
  return { status: run.status, stderr: run.stderr, files: JSON.parse(run.stdout) as JsonFile[] };
};

describe('the APM v0.5 example trees', () => {
  it('examples/apm-v05 has no findings, detected as the Phase era from metadata.json', () => {
    const run = lint('examples/apm-v05');
    expect(run.status, run.stderr).toBe(0);
    expect(run.files.length).toBeGreaterThan(15);
    expect(report(run.files, 'examples/apm-v05')).toEqual([]);
    const explain = memlint(['--explain-dialect', 'examples/apm-v05', '--report', 'json']);
    const { roots } = JSON.parse(explain.stdout) as { roots: { root: string; dialect: string; source: string }[] };
    expect(roots.map((r) => [r.root, r.dialect, r.source])).toEqual([['examples/apm-v05/.apm', 'apm-phase', 'metadata']]);
  });

  it('examples/apm-v05-defects gives exactly the documented defects', () => {
    const run = lint(defectsTree);
    expect(run.status, run.stderr).toBe(1);
    const want = documented();
    expect(want.length).toBe(10);
    expect(sorted(report(run.files, defectsTree))).toEqual(sorted(want));
    for (const f of run.files) for (const m of f.messages) expect(m.reason, `${f.path}:${m.line}`).not.toMatch(/undefined|NaN|\[object Object\]|\bStage\b/);
  });

  it('--fix repairs only the certain one (status case), and a second run changes nothing', () => {
    const dir = copyExample('apm-v05-defects', tempDir('v05-fix'));
    const log = path.join(dir, '.apm/Memory/Phase_01_Studio_Foundations/Task_1_3_App_Shell_and_Sign_In_Screen.md');
    const before = readFileSync(log, 'utf8');
    const first = memlint([dir, '--fix', '--report', 'json']);
    expect(first.status).toBe(1);
    const after = readFileSync(log, 'utf8');
    expect(after).toBe(before.replace(/^status: completed$/m, 'status: Completed'));
    const left = report(JSON.parse(first.stdout) as JsonFile[], dir).map((d) => d.ruleId);
    expect(left).not.toContain('frontmatter-schema');
    expect(left).toHaveLength(9);
    const again = memlint([dir, '--fix', '--report', 'json']);
    expect(again.stdout).toBe(memlint([dir, '--report', 'json']).stdout);
  });

  it('CRLF line ends give the same findings at the same places', () => {
    const dir = copyExample('apm-v05-defects', tempDir('v05-crlf'));
    const { files } = lint(dir);
    for (const f of files) writeFileSync(f.path, readFileSync(f.path, 'utf8').replace(/\r?\n/g, '\r\n'));
    const crlf = lint(dir);
    expect(sorted(report(crlf.files, dir))).toEqual(sorted(report(files, dir)));
  });
});

describe('the Phase era as users bend it', () => {
  const log = (ref: string, extra = '') =>
    `---\nagent: Agent_Api\ntask_ref: ${ref}\nstatus: Completed\nad_hoc_delegation: false\ncompatibility_issues: false\nimportant_findings: false\n${extra}---\n\n# Task Log: ${ref.replace(/^"|"$/g, '')}\n\n## Summary\nDone.\n\n## Details\nIt works.\n\n## Output\n- a file\n\n## Issues\nNone\n\n## Next Steps\nNone\n`;
  const plan = '# Ledger – Implementation Plan\n\n## Phase 1: Base\n\n### Task 1.1 – Schema - Agent_Api\n\n### Task 1.2 – Import │ Agent_Api\n\n## Phase 2: Reports\n\n### Task 2.1a – Totals | Agent_Api\n\n### Task 2.1b – Charts - Agent_Api\n';

  it('dotted and letter ids, an unpadded phase folder beside a padded one, a titled task_ref, a follow-up and a pre-created log are accepted', () => {
    const dir = tempDir('phase-tolerance');
    const files: Record<string, string> = {
      '.apm/metadata.json': '{"templateVersion":"v0.5.3+templates.1"}',
      '.apm/Implementation_Plan.md': plan,
      '.apm/Memory/Memory_Root.md': '# Ledger – APM Memory Root\n\n## Phase 01 – Base Summary\n\n- **Task Logs:** [1.1](Phase_01_Base/Task_1_1_Schema.md), [1.2](Phase_1_Base/Task_1.2_Import.md)\n',
      '.apm/Memory/Phase_01_Base/Task_1_1_Schema.md': log('"Task 1.1 - Schema"'),
      '.apm/Memory/Phase_1_Base/Task_1.2_Import.md': log('Task_1.2_Import'),
      '.apm/Memory/Phase_01_Base/FollowUp_1_1_Indexes.md': log('Follow-Up 1.1'),
      '.apm/Memory/Phase_02_Reports/Task_2_1a_Totals.md': log('Task 2.1a'),
      '.apm/Memory/Phase_02_Reports/Task_2_1b_Charts.md': '',
    };
    writeTree(dir, files);
    const run = lint(dir, ['--no-config']);
    expect(report(run.files, dir), run.stderr).toEqual([]);
    expect(run.status).toBe(0);
  });

  it('an empty log in a phase that is over is one warning that the task was never logged, not a wall of errors', () => {
    const dir = tempDir('phase-empty');
    writeTree(dir, {
      '.apm/metadata.json': '{"templateVersion":"v0.5.4+templates.1"}',
      '.apm/Implementation_Plan.md': plan,
      '.apm/Memory/Memory_Root.md': '# Ledger – APM Memory Root\n',
      '.apm/Memory/Phase_01_Base/Task_1_1_Schema.md': log('Task 1.1'),
      '.apm/Memory/Phase_01_Base/Task_1_2_Import.md': '\r\n',
      '.apm/Memory/Phase_02_Reports/Task_2_1a_Totals.md': log('Task 2.1a'),
    });
    const run = lint(dir, ['--no-config', '--rule', 'phase-summary-present=off']);
    const found = report(run.files, dir);
    expect(found).toEqual([{ file: '.apm/Memory/Phase_01_Base/Task_1_2_Import.md', line: 1, column: 1, ruleId: 'task-log-empty' }]);
    expect(run.files.flatMap((f) => f.messages)[0]!.reason).toMatch(/Task 1\.2 is still empty, but Phase 2 has begun/);
    expect(run.status).toBe(0);
  });

  it('early v0.4 kept the tree in apm/ without the dot: it is a memory root, and a folder named apm without Memory/ is not', () => {
    const dir = tempDir('phase-apm-folder');
    writeTree(dir, {
      'apm/Implementation_Plan.md': plan,
      'apm/Memory/Memory_Bank.md': '# Ledger – APM Dynamic Memory Bank Root\n',
      'apm/Memory/Phase_01_Base/Task_1_1_Schema.md': log('Task 1.1'),
      'apm/Memory/Phase_01_Base/Task_1_2_Import.md': log('Task 1.2', 'compliance: high\n'),
      'src/apm/index.md': '# apm\n\nA module that happens to be called apm.\n',
    });
    const explain = JSON.parse(memlint(['--explain-dialect', '.', '--report', 'json'], dir).stdout) as { roots: { root: string; dialect: string; source: string }[] };
    expect(explain.roots.map((r) => [r.root, r.dialect, r.source])).toEqual([['apm', 'apm-phase', 'layout']]);
    const run = lint(dir, ['--no-config']);
    expect(report(run.files, dir).filter((d) => d.file.startsWith('apm/'))).toEqual([
      // Both planned Phase 1 tasks are Completed: the phase is over and the root has no summary of it.
      { file: 'apm/Memory/Memory_Bank.md', line: 1, column: 1, ruleId: 'phase-summary-present' },
      { file: 'apm/Memory/Phase_01_Base/Task_1_2_Import.md', line: 8, column: 1, ruleId: 'frontmatter-unknown-key' },
    ]);
  });
});
