// The language server bench (bench/lsp.js) runs end to end on a small workspace and prints its
// table and targets. No timed assertion: only that it works and reports what it measured.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'memlint-bench-lsp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Edit {
  adds: boolean;
  afterDebounceMs: number;
  serverLintMs: number | null;
}

describe('bench/lsp.js', () => {
  it('drives the server over stdio on a 40-file workspace per era and prints the table, the targets and the JSON', () => {
    const out = path.join(dir, 'lsp.json');
    const r = spawnSync(process.execPath, [path.join(repo, 'bench', 'lsp.js'), '--files', '40', '--edits', '5', '--cross-edits', '3', '--debounce', '50', '--out', out], {
      cwd: repo,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\| measure +\| +Stage era, 40 files \| +APM v1\.0, 40 files \|/);
    expect(r.stdout).toMatch(/\| cold: didOpen → first diagnostics +\| +[\d.]+ ms \| +[\d.]+ ms \|/);
    expect(r.stdout).toMatch(/\| same-file edit after debounce \(median \/ p95 \/ max\) +\| +-?[\d.]+ ms \/ -?[\d.]+ ms \/ -?[\d.]+ ms \|/);
    expect(r.stdout).toMatch(/\| cross-file edit after debounce \(median \/ p95 \/ max\) +\| +-?[\d.]+ ms \//);
    expect(r.stdout).toMatch(/\| server peak RSS \(VmHWM\) \/ RSS at the end +\| +\d+ MB \/ \d+ MB \|/);
    expect(r.stdout).toContain('## Targets');
    for (const era of ['stage', 'v1']) {
      expect(r.stdout).toMatch(new RegExp(`\\| ${era} +\\| cold: didOpen → first diagnostics, at most 1\\.5 s +\\| +[\\d.]+ ms \\| +(PASS|FAIL) \\|`));
      expect(r.stdout).toMatch(new RegExp(`\\| ${era} +\\| same-file edit: median after the 50 ms debounce, at most 50 ms +\\| +-?[\\d.]+ ms \\| +(PASS|FAIL) \\|`));
      expect(r.stdout).toMatch(new RegExp(`\\| ${era} +\\| server peak memory \\(VmHWM\\), under 250 MB +\\| +\\d+ MB \\| +(PASS|FAIL) \\|`));
    }
    const json = JSON.parse(readFileSync(out, 'utf8')) as { eras: Record<string, { sameFile: Edit[]; crossFile: Edit[]; memory: { hwmMB: number } }> };
    for (const era of ['stage', 'v1']) {
      const e = json.eras[era]!;
      expect(e.sameFile.map((x) => x.adds)).toEqual([true, false, true, false, true]);
      expect(e.crossFile).toHaveLength(3);
      // Every edit waited for its own diagnostics, which came after the debounce and the lint.
      for (const x of [...e.sameFile, ...e.crossFile]) expect(x.afterDebounceMs + 50).toBeGreaterThanOrEqual(x.serverLintMs ?? 0);
      expect(e.memory.hwmMB).toBeGreaterThan(0);
    }
  }, 60_000);
});
