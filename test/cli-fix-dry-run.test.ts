// --fix-dry-run: a unified diff of exactly what --fix would write, and nothing written.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyExample, memlint, tempDir, writeTree } from './support/run.ts';
import { handoffLog, taskLog } from './support/stage-tree.ts';
import { unifiedDiff } from '../packages/cli/src/diff.ts';

/** Every file below a directory: its bytes and modification time. */
function snapshot(dir: string): Map<string, { bytes: string; mtimeMs: number }> {
  const out = new Map<string, { bytes: string; mtimeMs: number }>();
  for (const rel of readdirSync(dir, { recursive: true }) as string[]) {
    const file = path.join(dir, rel);
    const stats = statSync(file);
    if (stats.isFile()) out.set(rel, { bytes: readFileSync(file).toString('base64'), mtimeMs: stats.mtimeMs });
  }
  return out;
}

/** Applies a diff below a directory with git apply (as a user would), failing the test when it does not apply. */
function apply(dir: string, diff: string): void {
  const r = spawnSync('git', ['apply', '--whitespace=nowarn', '-'], { cwd: dir, input: diff, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
}

/** After applying the dry run's diff to one copy and running --fix on another, both trees hold the same bytes. */
function expectDiffIsTheFix(tree: string, diff: string): void {
  const patched = tempDir('dry-patched');
  const fixed = tempDir('dry-fixed');
  cpSync(tree, patched, { recursive: true });
  cpSync(tree, fixed, { recursive: true });
  apply(patched, diff);
  memlint(['.', '--fix'], fixed);
  const a = snapshot(patched);
  const b = snapshot(fixed);
  expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
  for (const [rel, { bytes }] of a) expect(bytes, rel).toBe(b.get(rel)!.bytes);
}

describe('--fix-dry-run', () => {
  it('prints what --fix would write as a unified diff, writes nothing, and exits as a lint run', () => {
    const dir = copyExample('apm-stage-defects', tempDir('dry-defects'));
    const before = snapshot(dir);
    const plain = memlint(['.'], dir);
    const run = memlint(['.', '--fix-dry-run'], dir);
    expect(run.status, run.stderr).toBe(plain.status);
    expect(run.status).toBe(1);
    expect(snapshot(dir)).toEqual(before); // bytes and mtimes, and no temporary file left
    expect(run.stderr).toBe('memlint: --fix would fix 3 problems in 3 files (--fix-dry-run: nothing written)\n');
    expect(run.stdout).toContain(
      [
        '--- a/.apm/Memory/Stage_02_Billing_Engine/Task_Log_02_03_Invoice_Editor_UI.md',
        '+++ b/.apm/Memory/Stage_02_Billing_Engine/Task_Log_02_03_Invoice_Editor_UI.md',
        '@@ -2,7 +2,7 @@',
        ' agent: Agent_Frontend',
        ' task_id: Task 2.3',
        ' status: Success',
        '-failure_point: Validation',
        '+failure_point: null',
        ' important_findings: false',
        ' compatibility_issues: false',
        ' ---',
        '',
      ].join('\n'),
    );
    expect(run.stdout.match(/^--- a\//gm)).toHaveLength(3);
    expectDiffIsTheFix(dir, run.stdout);
  });

  it('shows CRLF line ends and a BOM as they are, so the diff applies to the file', () => {
    const dir = tempDir('dry-crlf');
    const task = '.apm/Memory/Stage_01_Setup/Task_Log_01_01_Schema.md';
    writeTree(dir, {
      '.apm/metadata.json': '{ "releaseVersion": "v1.0.0-test-6" }\n',
      '.apm/Memory/Handoffs/Agent_Api_Handoffs/Agent_Api_Handoff_Log_1.md': handoffLog,
      [task]: `\ufeff${taskLog({ id: '1.1', slug: 'Schema', failurePoint: 'Validation' }).replace(/\n/g, '\r\n')}`,
    });
    const before = snapshot(dir);
    const run = memlint(['.', '--fix-dry-run'], dir);
    expect(run.status).toBe(1);
    expect(snapshot(dir)).toEqual(before);
    expect(run.stdout.startsWith(`--- a/${task}\n+++ b/${task}\n@@ -2,7 +2,7 @@\n`)).toBe(true);
    expect(run.stdout).toContain('-failure_point: Validation\r\n+failure_point: null\r\n');
    expectDiffIsTheFix(dir, run.stdout);
    // A change on the first line carries the BOM on both sides.
    expect(unifiedDiff('f.md', '\ufeffa\r\nb\r\n', '\ufeffA\r\nb\r\n')).toBe('--- a/f.md\n+++ b/f.md\n@@ -1,2 +1,2 @@\n-\ufeffa\r\n+\ufeffA\r\n b\r\n');
  });

  it('leaves out what --fix would leave alone (a read-only file), and says so', () => {
    const dir = copyExample('apm-stage-defects', tempDir('dry-readonly'));
    const root = path.join(dir, '.apm/Memory/Memory_Root.md');
    chmodSync(root, 0o444);
    const run = memlint(['.', '--fix-dry-run'], dir);
    expect(run.status).toBe(1);
    expect(run.stdout).not.toContain('Memory_Root.md');
    expect(run.stderr).toContain('memlint: not fixing .apm/Memory/Memory_Root.md: the file is read-only');
    expect(run.stderr).toContain('memlint: --fix would fix 2 problems in 2 files');
  });

  it('prints nothing on a clean tree and exits 0', () => {
    const dir = copyExample('apm-stage', tempDir('dry-clean'));
    const run = memlint(['.', '--fix-dry-run'], dir);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('memlint: --fix would fix 0 problems in 0 files (--fix-dry-run: nothing written)\n');
  });

  it.each([
    [['--fix'], '--fix-dry-run and --fix contradict each other: give one'],
    [['--report', 'json'], '--fix-dry-run prints a diff of what --fix would write: --report json does not apply to it'],
  ])('with %j is a usage error', (args, message) => {
    const run = memlint(['examples/apm-stage-defects', '--fix-dry-run', ...args]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`memlint: ${message}`);
  });

  it('unifiedDiff: hunks with three lines of context, merged when close, and the missing final newline marked', () => {
    const lines = (n: number, change: Record<number, string> = {}) => Array.from({ length: n }, (_, i) => `${change[i + 1] ?? `l${i + 1}`}\n`).join('');
    expect(unifiedDiff('x.md', lines(20), lines(20, { 2: 'A', 18: 'B' }))).toBe(
      '--- a/x.md\n+++ b/x.md\n@@ -1,5 +1,5 @@\n l1\n-l2\n+A\n l3\n l4\n l5\n@@ -15,6 +15,6 @@\n l15\n l16\n l17\n-l18\n+B\n l19\n l20\n',
    );
    expect(unifiedDiff('x.md', lines(12), lines(12, { 2: 'A', 9: 'B' }))).toMatch(/^--- a\/x\.md\n\+\+\+ b\/x\.md\n@@ -1,12 \+1,12 @@\n/);
    expect(unifiedDiff('x.md', 'a\nb', 'a\nc')).toBe('--- a/x.md\n+++ b/x.md\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n');
    expect(unifiedDiff('x.md', 'a\n', 'a\n')).toBe('');
  });
});
