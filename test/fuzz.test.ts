// Property-based fuzzing of @memlint/core: a few hundred seeded mutations of the example trees,
// each checked for crashes, positions outside the file, malformed messages, fixes that do not
// reach a fixed point or add line-end kinds, and slow (super-linear) input. The generator, the
// position oracle and the checks live in test/support/fuzz.ts; `pnpm fuzz` runs 10,000+ cases.
//
// MEMLINT_FUZZ_SEED and MEMLINT_FUZZ_CASES change the run. A failure lists each distinct
// failure class with its case ids, the replay command (`node scripts/fuzz.js --seed S --case I`)
// and a shrunk repro.
import type { Diagnostic } from '@memlint/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  EditorLines,
  FAILURE_KINDS,
  FuzzPool,
  checkDiagnostic,
  classify,
  describeClass,
  loadTrees,
  makeCase,
  shrinkClasses,
  type CaseResult,
  type FailureClass,
} from './support/fuzz.ts';

const SEED = Number(process.env.MEMLINT_FUZZ_SEED ?? 20261201);
// CI (MEMLINT_LONG=1, set by .ci/run) runs the 10,000-case fuzz; the normal suite a few hundred.
const CASES = Number(process.env.MEMLINT_FUZZ_CASES ?? (process.env.MEMLINT_LONG ? 10_000 : 800));
/** A case slower than this fails; one still running after TIMEOUT_MS is killed (and fails). */
const SLOW_MS = 2_000;
const TIMEOUT_MS = 5_000;

describe('the fuzz oracle', () => {
  it('counts lines as an editor does: LF, CRLF and a lone CR end a line, U+2028 does not', () => {
    const lines = new EditorLines('a\r\nb\rc\nd\u2028e');
    expect(lines.count).toBe(4);
    expect([1, 2, 3, 4].map((l) => lines.length(l))).toEqual([1, 1, 1, 3]);
    expect(lines.locate(1)).toEqual({ line: 1, column: 2, inLineEnd: false });
    expect(lines.locate(2)).toEqual({ line: 1, column: 3, inLineEnd: true });
    expect(lines.locate(5)).toEqual({ line: 3, column: 1, inLineEnd: false });
    expect(lines.locate(9)).toEqual({ line: 4, column: 3, inLineEnd: false });
    expect([...lines.lineEnds].sort()).toEqual(['CR', 'CRLF', 'LF']);
    expect(new EditorLines('').count).toBe(1);
    expect(new EditorLines('x\n').count).toBe(2);
    // Columns are UTF-16 code units: an astral character is two.
    expect(new EditorLines('😀x').locate(2).column).toBe(3);
  });

  const text = 'ab\r\ncd\ref';
  const lines = new EditorLines(text);
  const at = (line: number, column: number, offset: number) => ({ line, column, offset });
  const diagnostic = (start: ReturnType<typeof at>, end: ReturnType<typeof at>, extra: Partial<Diagnostic> = {}): Diagnostic => ({
    ruleId: 'title-format', severity: 'error', message: 'a fine message', path: '/x.md', url: 'u', range: { start, end }, ...extra,
  });
  const checks = (d: Diagnostic, allowed: string[] = []) => checkDiagnostic(d, lines, new Set(allowed), 'lint').map((f) => f.check);

  it('accepts a correct diagnostic, up to the end of a line', () => {
    expect(checks(diagnostic(at(1, 1, 0), at(1, 3, 2)))).toEqual([]);
    expect(checks(diagnostic(at(3, 1, 7), at(3, 3, 9)))).toEqual([]);
  });

  it('rejects positions outside the file, inside a CRLF, or disagreeing with the offset', () => {
    expect(checks(diagnostic(at(1, 4, 3), at(1, 4, 3)))).toEqual(['column-out-of-line', 'column-out-of-line']);
    expect(checks(diagnostic(at(1, 1, 0), at(4, 1, 9)))).toEqual(['line-out-of-file']);
    expect(checks(diagnostic(at(1, 1, 0), at(3, 3, 11)))).toEqual(['offset-out-of-text']);
    expect(checks(diagnostic(at(2, 3, 7), at(2, 3, 7)))).toEqual(['offset-line-column-mismatch', 'offset-line-column-mismatch']);
    // Counting lines by LF only would put offset 7 (after the lone CR) on line 2, column 4.
    expect(checks(diagnostic(at(2, 4, 7), at(2, 4, 7)))).toEqual(['column-out-of-line', 'column-out-of-line']);
    expect(checks(diagnostic(at(3, 1, 7), at(2, 1, 4)))).toEqual(['start-after-end']);
    expect(checks(diagnostic(at(1, 1, 0), at(1, 1, 0), { fix: [{ start: 2, end: 99, text: '' }] }))).toEqual(['fix-edit-out-of-range']);
    expect(checks({ ...diagnostic(at(1, 1, 0), at(1, 1, 0)), range: { start: at(1, 1.5, 0), end: at(1, 1, 0) } })).toEqual(['not-integer']);
  });

  it('rejects messages without a known rule or a sentence, and stray undefined/NaN/[object Object]', () => {
    expect(checks(diagnostic(at(1, 1, 0), at(1, 1, 0), { ruleId: 'no-such-rule' }))).toEqual(['rule-id']);
    expect(checks(diagnostic(at(1, 1, 0), at(1, 1, 0), { message: '  ' }))).toEqual(['empty-message']);
    expect(checks(diagnostic(at(1, 1, 0), at(1, 1, 0), { message: 'got [object Object]' }))).toEqual(['message-contains-objectObject']);
    expect(checks(diagnostic(at(1, 1, 0), at(1, 1, 0), { message: 'Session NaN', note: 'x undefined' }))).toEqual(['message-contains-NaN', 'note-contains-undefined']);
    expect(checks(diagnostic(at(1, 1, 0), at(1, 1, 0), { expected: ['undefined'] }))).toEqual(['expected-contains-undefined']);
    // Unless the file itself says it.
    expect(checks(diagnostic(at(1, 1, 0), at(1, 1, 0), { message: 'value "undefined"' }), ['undefined'])).toEqual([]);
  });

  it('generates the same case from the same seed and index, and different ones otherwise', () => {
    const trees = loadTrees();
    const a = makeCase(trees, 42, 7);
    expect(makeCase(trees, 42, 7)).toEqual(a);
    const ids = new Set(Array.from({ length: 30 }, (_, i) => JSON.stringify(makeCase(trees, 42, i).mutations)));
    expect(ids.size).toBeGreaterThan(25);
  });

  it('kills a case over the timeout and carries on with a fresh worker', async () => {
    // A limit a fresh worker's start fits in even on a loaded machine (it loads the whole linter).
    const pool = new FuzzPool({ workers: 1, timeoutMs: 3_000, slowMs: SLOW_MS });
    try {
      expect(await pool.spin(20_000)).toBe('timeout');
      expect(await pool.spin(10)).toBe('done');
      expect(pool.restarts).toBe(1);
    } finally {
      await pool.close();
    }
  });
});

describe(`fuzz: ${CASES} mutated example files (seed ${SEED})`, () => {
  let results: CaseResult[] = [];
  let classes: FailureClass[] = [];

  beforeAll(async () => {
    const trees = loadTrees();
    const pool = new FuzzPool({ workers: 1, timeoutMs: TIMEOUT_MS, slowMs: SLOW_MS });
    try {
      results = await pool.run(SEED, Array.from({ length: CASES }, (_, i) => i), trees);
      classes = classify(results);
      const count = (kind: string) => classes.filter((c) => c.kind === kind).reduce((n, c) => n + c.cases.length, 0);
      console.log(`fuzz seed ${SEED}: ${results.length} cases; ${FAILURE_KINDS.map(({ kind, title }) => `${title}: ${count(kind)}`).join('; ')}`);
      // Shrink the first case of each class, within ~8 s in all.
      await shrinkClasses(pool, classes, 1_500, 8_000);
    } finally {
      await pool.close();
    }
  }, CASES > 2_000 ? 900_000 : 240_000);

  it('ran every case', () => {
    expect(results).toHaveLength(CASES);
  });

  for (const { kind, title } of FAILURE_KINDS) {
    it(`has no ${title}`, () => {
      const found = classes.filter((c) => c.kind === kind);
      const report = found.map(describeClass).join('\n\n');
      expect(found.map((c) => `${c.signature} ×${c.cases.length}`), `\n${report}\n`).toEqual([]);
    });
  }
});
