// The comparative bench (bench/compare.js) runs end to end on a tiny tree and prints its table.
// No timed assertion: only that it works and reports what it measured.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateV1Tree } from '../bench/generate.js';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';

const repo = path.resolve(import.meta.dirname, '..');

describe('bench/compare.js', () => {
  it('runs memlint and the read-only floor on a 20-file tree and prints the table and targets', () => {
    const r = spawnSync(process.execPath, [path.join(repo, 'bench', 'compare.js'), '--sizes', '20', '--runs', '1', '--tools', 'memlint,read'], {
      cwd: repo,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(0);
    for (const era of ['Stage era', 'APM v1.0']) expect(r.stdout).toContain(`## ${era}: wall median`);
    expect(r.stdout).toMatch(/\| memlint, cold +\| +[\d.]+ s \/ /);
    expect(r.stdout).toMatch(/\| read the files only +\| +[\d.]+ s \/ /);
    expect(r.stdout).toContain('20 files checked in 1 memory root: no problems');
    expect(r.stdout).toContain('## Targets');
    expect(r.stdout).toMatch(/memlint cold, 20 files, under 1 s wall .*\| +(PASS|FAIL) \|/);
  });

  it('generates clean, deterministic v1.0 trees', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'memlint-v1-tree-'));
    try {
      const a = generateV1Tree(path.join(dir, 'a'), { files: 60, seed: 3 });
      const b = generateV1Tree(path.join(dir, 'b'), { files: 60, seed: 3 });
      expect(a.files).toHaveLength(60);
      expect(a.files).toEqual(b.files);
      expect(a.taskLogs[0]).toBe('.apm/memory/stage-01/task-01-01.log.md');
      const lint = spawnSync(process.execPath, [path.join(repo, 'packages', 'cli', 'bin', 'memlint.js'), path.join(dir, 'a'), '--no-config', '--report', 'json'], { encoding: 'utf8' });
      expect(lint.status, lint.stdout).toBe(0);
      expect(JSON.parse(lint.stdout).flatMap((f: { messages: unknown[] }) => f.messages)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
