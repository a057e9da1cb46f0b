// memlint over real-world memory trees collected in ../shared/corpus (not part of this repo:
// skipped when absent). Nothing is asserted about the findings themselves, only that the run is
// sound: exit 0 or 1, JSON on stdout, no internal error, and every position is a real one.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '..');
const binPath = path.resolve(repoRoot, 'packages/cli/bin/memlint.js');
const corpusDir = path.resolve(repoRoot, '..', 'shared', 'corpus');

interface Point {
  line: number;
  column: number;
}
interface JsonMessage extends Point {
  ruleId: string;
  reason: string;
  source: string;
  place?: { start: Point; end: Point } | Point;
}
interface JsonFile {
  path: string;
  messages: JsonMessage[];
}

const { MEMLINT_DEBUG: _debug, ...childEnv } = process.env;

describe.skipIf(!existsSync(corpusDir))('the shared corpus', () => {
  for (const name of ['apm', 'aops']) {
    const dir = path.join(corpusDir, name);

    it.skipIf(!existsSync(dir))(`${name}: memlint --report json runs soundly`, () => {
      const r = spawnSync(process.execPath, [binPath, path.relative(repoRoot, dir), '--report', 'json'], {
        cwd: repoRoot,
        encoding: 'utf8',
        env: childEnv,
        timeout: 120_000,
        maxBuffer: 256 * 1024 * 1024,
      });
      expect(r.error, String(r.error)).toBeUndefined();
      expect(r.signal).toBeNull();
      expect([0, 1], `exit ${r.status}; stderr: ${r.stderr}`).toContain(r.status);
      expect(r.stderr).not.toMatch(/internal error/);
      expect(r.stderr).not.toMatch(/^\s+at /m);

      let files: JsonFile[] = [];
      expect(() => (files = JSON.parse(r.stdout) as JsonFile[]), `stdout is not JSON: ${r.stdout.slice(0, 300)}`).not.toThrow();
      expect(Array.isArray(files)).toBe(true);
      expect(files.length, 'no files were checked').toBeGreaterThan(0);

      const bad: string[] = [];
      let errors = 0;
      for (const file of files) {
        expect(typeof file.path).toBe('string');
        expect(Array.isArray(file.messages), file.path).toBe(true);
        for (const m of file.messages) {
          const where = `${file.path}:${m.line}:${m.column} ${m.ruleId}`;
          if (!Number.isInteger(m.line) || m.line < 1 || !Number.isInteger(m.column) || m.column < 1) bad.push(where);
          if (m.place && 'start' in m.place) {
            const { start, end } = m.place;
            if (start.line < 1 || start.column < 1 || end.line < start.line || (end.line === start.line && end.column < start.column)) {
              bad.push(`${where} (place ${JSON.stringify(m.place)})`);
            }
          }
          if (!m.ruleId || m.source !== 'memlint' || !m.reason) bad.push(`${where} (no rule, source or reason)`);
          if ((m as { fatal?: boolean }).fatal) errors += 1;
        }
      }
      expect(bad, 'messages with impossible positions').toEqual([]);
      // The exit code agrees with the errors in the report.
      expect(r.status).toBe(errors > 0 ? 1 : 0);
    });
  }
});
