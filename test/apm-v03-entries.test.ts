// The v0.3 Memory Bank entries parser: where entries start and end, which labels it reads, and
// that hostile input (huge files of breaks, a megabyte entry, fences never closed) stays linear.
import { describe, expect, it } from 'vitest';
import { classifyDocument, getDialect, parseDocument } from '@memlint/core';
import { entriesOf, isBreak, labelKey, valueOf } from '../packages/core/src/dialects/apm-v03/entries.ts';
import { readStatus } from '../packages/core/src/dialects/apm-v03/rules/status.ts';

/** A v0.3 document as the dialect reads it (a leading `---` that is not YAML is a break). */
function bank(text: string, relPath = 'Memory_Bank.md') {
  // No size limit here: the hostile inputs below are meant to be parsed.
  const doc = parseDocument({ path: `/x/${relPath}`, relPath, kind: 'other', text }, { maxFileSize: 64 * 1024 * 1024 });
  classifyDocument(doc, getDialect('apm-v03'));
  return doc;
}

const summary = (text: string) =>
  entriesOf(bank(text)).map((e) => ({ line: e.line, separated: e.separated, labels: e.labels.map((l) => `${l.line}:${l.key ?? l.label}`) }));

const ENTRY = ['**Agent:** Agent_Api', '**Task Reference:** Phase 1 / Task 1.1 / Scaffold', '**Summary:** Done.', '**Details:** Steps.', '**Output/Result:** Files.', '**Status:** Completed', '**Issues/Blockers:** None'];

describe('the v0.3 entries parser', () => {
  it('splits at --- lines; the opening text is no entry; a file that opens with --- has no frontmatter', () => {
    const text = ['# Bank', '', 'Intro.', '', '---', ...ENTRY, '', '---', ...ENTRY, ''].join('\n');
    expect(summary(text).map((e) => [e.line, e.separated, e.labels.length])).toEqual([
      [6, true, 7],
      [15, true, 7],
    ]);
    const opening = bank(['---', ...ENTRY, '---', ...ENTRY].join('\n'), 'Memory/Phase_1_Setup/Task_1.1_Log.md');
    expect(opening.frontmatter).toBeNull();
    expect(opening.kind).toBe('task-log');
    expect(opening.ids).toMatchObject({ stage: 1, task: 1 });
    expect(entriesOf(opening).map((e) => e.line)).toEqual([2, 10]);
  });

  it('keeps YAML frontmatter that is a mapping, and reads after it', () => {
    const doc = bank(['---', 'title: Bank', '---', '---', ...ENTRY].join('\n'));
    expect(doc.frontmatter).not.toBeNull();
    expect(entriesOf(doc).map((e) => e.line)).toEqual([5]);
  });

  it('reads labels at the start of a line only: not in lists, quotes or code blocks; a --- in a fence is no break', () => {
    const text = ['---', '**Agent:** A', '- **Status:** nested', '> **Status:** quoted', '```', '---', '**Status:** in code', '```', '    **Status:** indented code', '', '**Status:** Blocked'].join('\n');
    expect(summary(text)).toEqual([{ line: 2, separated: true, labels: ['2:agent', '11:status'] }]);
  });

  it('a second Agent or Task Reference starts an entry with no --- before it, at the heading above it', () => {
    const text = ['---', ...ENTRY, '', '## Task 1.2', '', ...ENTRY].join('\n');
    expect(summary(text).map((e) => [e.line, e.separated])).toEqual([
      [2, true],
      [10, false],
    ]);
  });

  it('a break right under a paragraph (a setext underline to CommonMark) still separates entries', () => {
    const text = ['---', ...ENTRY, '---', ...ENTRY].join('\n');
    expect(summary(text).map((e) => [e.line, e.separated])).toEqual([
      [2, true],
      [10, true],
    ]);
  });

  it('reads label variants, status values with decoration, and a value on the next line', () => {
    expect(['Output/Result', 'Output', 'Result', 'output / result', 'Issues', 'Issues / Blockers', 'Next Steps (Optional)', 'TASK REFERENCE'].map(labelKey)).toEqual([
      'output', 'output', 'output', 'output', 'issues', 'issues', 'next', 'task',
    ]);
    expect(labelKey('Problem')).toBeNull();
    expect(['✅ Completed', '**Blocked**', 'COMPLETED', 'Partially Completed - tests next', 'Completedly', 'Phase 1 Completed - more'].map((v) => [readStatus(v).status, readStatus(v).written])).toEqual([
      ['Completed', 'Completed'],
      ['Blocked', 'Blocked'],
      ['Completed', 'COMPLETED'],
      ['Partially Completed', 'Partially Completed'],
      [null, 'Completedly'],
      [null, 'Phase 1 Completed'],
    ]);
    const doc = bank(['---', '**Agent:** A', '**Status:**', '', 'Error', '**Issues/Blockers:** x'].join('\n'));
    const entry = entriesOf(doc)[0]!;
    const status = entry.labels.find((l) => l.key === 'status')!;
    expect(valueOf(doc, entry, status)).toMatchObject({ value: 'Error', range: { start: { line: 5, column: 1 } } });
  });

  it('CRLF and lone CR give the same entries and positions as LF', () => {
    const lf = ['# Bank', '', '---', ...ENTRY, '', '```', '---', '```', '---', ...ENTRY, ''].join('\n');
    const want = summary(lf);
    expect(summary(lf.replace(/\n/g, '\r\n'))).toEqual(want);
    expect(summary(lf.replace(/\n/g, '\r'))).toEqual(want);
    expect(isBreak('- - -')).toBe(true);
    expect(isBreak('--')).toBe(false);
    expect(isBreak('    ---')).toBe(false);
  });

  it('stays linear on hostile input', () => {
    const cases: [string, string][] = [
      ['100,000 --- lines', '---\n'.repeat(100_000)],
      ['20,000 entries (3.7 MB)', ('---\n' + ENTRY.join('\n') + '\n').repeat(20_000)],
      ['a 1 MB entry', `---\n**Agent:** A\n**Details:** ${'x'.repeat(1_000_000)}\n**Status:** ${' '.repeat(100_000)}Completed\n`],
      ['a 1 MB label line', `---\n**${'Agent '.repeat(200_000)}:** A\n`],
      ['a fence never closed', `---\n**Agent:** A\n\`\`\`\n${'**Status:** x\n---\n'.repeat(50_000)}`],
      ['100,000 Agent labels', '**Agent:** A\n'.repeat(100_000)],
      ['100,000 Status labels', `---\n**Agent:** A\n${'**Status:** Done\n'.repeat(100_000)}`],
    ];
    for (const [name, text] of cases) {
      const started = performance.now();
      const doc = bank(text);
      expect(doc.problem, name).toBeNull();
      const entries = entriesOf(doc);
      for (const e of entries) for (const l of e.labels) if (l.key === 'status') valueOf(doc, e, l);
      const ms = performance.now() - started;
      expect(ms, name).toBeLessThan(4000);
      if (process.env.V03_TIMES) console.log(name, Math.round(ms));
      for (const e of entries) {
        expect(e.line, name).toBeGreaterThanOrEqual(1);
        expect(e.line, name).toBeLessThanOrEqual(doc.source.lineCount);
      }
    }
    expect(entriesOf(bank('---\n'.repeat(100_000)))).toEqual([]);
    expect(entriesOf(bank('**Agent:** A\n'.repeat(1000))).length).toBe(1000);
    expect(entriesOf(bank(('---\n' + ENTRY.join('\n') + '\n').repeat(20_000))).length).toBe(20_000);
    // The unclosed fence swallows everything after it, as a renderer shows it.
    expect(entriesOf(bank(`---\n**Agent:** A\n\`\`\`\n**Status:** x\n---\n**Agent:** B\n`)).map((e) => e.labels.length)).toEqual([1]);
  });
});
