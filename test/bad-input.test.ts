// Bad input files in an otherwise good Stage-era tree, run through the real CLI with --report json.
// Whatever the file holds, memlint exits 0 or 1 (2 is for usage and I/O errors), prints no stack
// trace, and says what is wrong with the file at a line and column.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memlint, repoRoot, type Run } from './support/run.ts';
import { handoffLog, taskLog, type JsonFile, type JsonMessage } from './support/stage-tree.ts';



/** Exit 0 or 1, no signal, no stack trace or internal error, JSON on stdout. */
function checked(run: Run): JsonFile[] {
  expect(run.signal, `killed after ${Math.round(run.ms)} ms`).toBeNull();
  expect([0, 1], `exit ${run.status}; stderr: ${run.stderr}`).toContain(run.status);
  expect(run.stderr).not.toMatch(/^\s+at /m);
  expect(run.stderr).not.toMatch(/internal error/);
  let data: unknown;
  expect(() => (data = JSON.parse(run.stdout)), `stdout is not JSON: ${run.stdout.slice(0, 300)}`).not.toThrow();
  expect(Array.isArray(data)).toBe(true);
  return data as JsonFile[];
}

/** The messages of the file at `rel`; every other file of the tree must have none. */
function messagesOf(files: JsonFile[], rel: string): JsonMessage[] {
  const file = files.find((f) => f.path === rel);
  expect(file, `${rel} is not in the report (${files.map((f) => f.path).join(', ')})`).toBeDefined();
  for (const f of files) if (f.path !== rel) expect(f.messages, `${f.path} should stay clean`).toEqual([]);
  return file!.messages;
}

const summary = (messages: JsonMessage[]) => messages.map((m) => `${m.line}:${m.column} ${m.ruleId}`);
/** Start and end as line:column (offsets differ with CRLF, by design). */
const places = (messages: JsonMessage[]) =>
  messages.map((m) => `${m.place!.start.line}:${m.place!.start.column}-${m.place!.end.line}:${m.place!.end.column} ${m.ruleId}`);

// ---------------------------------------------------------------------------
// The good tree.

const HANDOFF = '.apm/Memory/Handoffs/Agent_Api_Handoffs/Agent_Api_Handoff_Log_1.md';
const TASK_1 = '.apm/Memory/Stage_01_Setup/Task_Log_01_01_Schema.md';
const TASK_2 = '.apm/Memory/Stage_01_Setup/Task_Log_01_02_Routes.md';

// Line 20 of handoffLog is "- The API lives in `api/` …"; line 4 is incoming_worker.
const WORKING_CONTEXT_LINE = 20;


const goodTask2 = taskLog({ id: '1.2', slug: 'Routes' });

const baseTree: Record<string, string | Uint8Array> = {
  '.apm/metadata.json': '{ "releaseVersion": "v1.0.0-test-6" }\n',
  [HANDOFF]: handoffLog,
  [TASK_1]: taskLog({ id: '1.1', slug: 'Schema' }),
};

let tmpBase = '';

beforeAll(() => {
  mkdirSync(path.join(repoRoot, 'test-output'), { recursive: true });
  tmpBase = mkdtempSync(path.join(repoRoot, 'test-output', 'bad-input-'));
});

afterAll(() => {
  if (tmpBase) rmSync(tmpBase, { recursive: true, force: true });
});

/** A fresh tree: the good files, with `files` added or replacing them. */
function makeTree(files: Record<string, string | Uint8Array>, base: Record<string, string | Uint8Array> = baseTree): string {
  const dir = mkdtempSync(path.join(tmpBase, 'tree-'));
  for (const [rel, content] of Object.entries({ ...base, ...files })) {
    const file = path.join(dir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return dir;
}

/** Lints a tree with one file added or replaced; returns that file's messages (the rest must be clean). */
function lintWith(rel: string, content: string | Uint8Array, args: string[] = []): { run: Run; messages: JsonMessage[] } {
  const dir = makeTree({ [rel]: content });
  const run = memlint(['.', '--report', 'json', ...args], dir);
  return { run, messages: messagesOf(checked(run), rel) };
}

const BOM = '\ufeff';
const crlf = (s: string) => s.replace(/\n/g, '\r\n');
const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));
// The handoff log with a wrong incoming session on line 4 (column 18 is where the value starts).
const badHandoffLog = handoffLog.replace('incoming_worker: Agent_Api_Session_2', 'incoming_worker: Agent_Api_Session_3');

// ---------------------------------------------------------------------------

describe('the good tree', () => {
  it('lints clean (so every finding below comes from the bad file)', () => {
    const dir = makeTree({ [TASK_2]: goodTask2 });
    const files = checked(memlint(['.', '--report', 'json'], dir));
    expect(files.map((f) => f.path).sort()).toEqual([HANDOFF, TASK_2, TASK_1].sort());
    for (const f of files) expect(f.messages, f.path).toEqual([]);
  });
});

describe('broken YAML frontmatter', () => {
  it('an invalid nested mapping on line 3 is frontmatter-syntax at 3:10', () => {
    const { run, messages } = lintWith(TASK_2, goodTask2.replace('task_id: Task 1.2', 'task_id: Task: 1.2'));
    expect(run.status).toBe(1);
    expect(summary(messages)).toEqual(['3:10 frontmatter-syntax']);
    expect(messages[0]!.fatal).toBe(true);
    expect(messages[0]!.reason).toMatch(/not valid YAML/);
  });

  it('a duplicate key is frontmatter-syntax on the line of the second one', () => {
    const { messages } = lintWith(TASK_2, goodTask2.replace('status: Success\n', 'status: Success\nstatus: Failed\n'));
    expect(summary(messages)).toEqual(['5:1 frontmatter-syntax']);
  });

  it('`status: [Success` (an unclosed flow sequence) is frontmatter-syntax inside the frontmatter, no crash', () => {
    const { run, messages } = lintWith(TASK_2, goodTask2.replace('status: Success', 'status: [Success'));
    expect(run.status).toBe(1);
    expect(messages.map((m) => m.ruleId)).toEqual(['frontmatter-syntax']);
    expect(messages[0]!.fatal).toBe(true);
    expect(messages[0]!.line).toBeGreaterThanOrEqual(2);
    expect(messages[0]!.line).toBeLessThanOrEqual(8);
  });

  // The YAML parser gives up on the next key (5:1); memlint points at the `[` left open.
  it('`status: [Success` is reported on line 4, the line with the unclosed `[`', () => {
    const { messages } = lintWith(TASK_2, goodTask2.replace('status: Success', 'status: [Success'));
    expect(summary(messages)).toEqual(['4:9 frontmatter-syntax']);
  });

  // Likewise an unclosed quote: the parser reaches the end of the YAML; memlint points at the quote.
  it('an unclosed quote on line 3 is reported on line 3', () => {
    const { messages } = lintWith(TASK_2, goodTask2.replace('task_id: Task 1.2', 'task_id: "Task 1.2'));
    expect(messages.map((m) => [m.line, m.ruleId])).toEqual([[3, 'frontmatter-syntax']]);
  });

  it('unclosed frontmatter is frontmatter-syntax at 1:1', () => {
    const { run, messages } = lintWith(TASK_2, goodTask2.replace(/\n---\n/, '\n\n'));
    expect(run.status).toBe(1);
    const syntax = messages.filter((m) => m.ruleId === 'frontmatter-syntax');
    expect(summary(syntax)).toEqual(['1:1 frontmatter-syntax']);
    expect(syntax[0]!.reason).toMatch(/never closed/);
  });

  it('frontmatter that is a list and not a mapping is frontmatter-syntax', () => {
    const { messages } = lintWith(TASK_2, goodTask2.replace(/^---\n[\s\S]*?\n---\n/, '---\n- Success\n- Task 1.2\n---\n'));
    expect(summary(messages)).toEqual(['2:1 frontmatter-syntax']);
    expect(messages[0]!.reason).toMatch(/mapping/);
  });

  it('an alias bomb is refused as frontmatter-syntax, quickly', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [name, prev] of [['b', 'a'], ['c', 'b'], ['d', 'c'], ['e', 'd'], ['f', 'e']]) {
      bomb.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    }
    const { run, messages } = lintWith(TASK_2, goodTask2.replace(/^---\n[\s\S]*?\n---\n/, `---\n${bomb.join('\n')}\n---\n`));
    expect(messages.map((m) => m.ruleId)).toContain('frontmatter-syntax');
    expect(run.ms).toBeLessThan(20_000);
  });
});

describe('byte order mark', () => {
  it('a BOM before `---` in a valid handoff log: no findings at all', () => {
    const { run, messages } = lintWith(HANDOFF, BOM + handoffLog);
    expect(run.status).toBe(0);
    expect(messages).toEqual([]);
  });

  it('an error on line 4 is reported at line 4, the same column with and without a BOM', () => {
    const plain = lintWith(HANDOFF, badHandoffLog).messages;
    const withBom = lintWith(HANDOFF, BOM + badHandoffLog).messages;
    expect(summary(plain)).toEqual(['4:18 handoff-session-names']);
    expect(places(withBom)).toEqual(places(plain));
  });
});

describe('CRLF line endings', () => {
  it('a valid tree written with CRLF: no findings', () => {
    const dir = makeTree({ [HANDOFF]: crlf(handoffLog), [TASK_1]: crlf(taskLog({ id: '1.1', slug: 'Schema' })), [TASK_2]: crlf(goodTask2) });
    const files = checked(memlint(['.', '--report', 'json'], dir));
    expect(files).toHaveLength(3);
    for (const f of files) expect(f.messages, f.path).toEqual([]);
  });

  it('an error on line 5 is reported at line 5, the same column as with LF', () => {
    const bad = taskLog({ id: '1.2', slug: 'Routes', failurePoint: 'Validation' });
    const lf = lintWith(TASK_2, bad).messages;
    const withCrlf = lintWith(TASK_2, crlf(bad)).messages;
    expect(summary(lf)).toEqual(['5:16 task-log-status']);
    expect(places(withCrlf)).toEqual(places(lf));
  });

  it('a body error (a heading) keeps its line and columns with CRLF and a BOM', () => {
    const bad = handoffLog.replace('## Technical Notes', '## Tech Notes');
    const lf = lintWith(HANDOFF, bad).messages;
    const both = lintWith(HANDOFF, BOM + crlf(bad)).messages;
    // Reported where the section belongs: at the next required heading, `## Continuation Guidance`.
    expect(summary(lf)).toEqual(['27:1 sections-required']);
    expect(places(both)).toEqual(places(lf));
  });
});

describe('empty and frontmatter-less logs', () => {
  it('an empty task log is frontmatter-missing ("file is empty") at line 1', () => {
    const { run, messages } = lintWith(TASK_2, '');
    expect(run.status).toBe(1);
    const missing = messages.filter((m) => m.ruleId === 'frontmatter-missing');
    expect(summary(missing)).toEqual(['1:1 frontmatter-missing']);
    expect(missing[0]!.reason).toMatch(/file is empty/);
    expect(missing[0]!.fatal).toBe(true);
  });

  it('a task log holding only a BOM and blank lines is "file is empty" too', () => {
    const { messages } = lintWith(TASK_2, `${BOM}\n\n`);
    const missing = messages.filter((m) => m.ruleId === 'frontmatter-missing');
    expect(summary(missing)).toEqual(['1:1 frontmatter-missing']);
    expect(missing[0]!.reason).toMatch(/file is empty/);
  });

  it('a task log without `---` frontmatter is frontmatter-missing at line 1, and nothing else', () => {
    const { run, messages } = lintWith(TASK_2, goodTask2.replace(/^---\n[\s\S]*?\n---\n\n/, ''));
    expect(run.status).toBe(1);
    expect(summary(messages)).toEqual(['1:1 frontmatter-missing']);
    expect(messages[0]!.reason).toMatch(/no frontmatter/);
  });

  it('a worker handoff log without frontmatter is frontmatter-missing', () => {
    const { messages } = lintWith(HANDOFF, handoffLog.replace(/^---\n[\s\S]*?\n---\n\n/, ''));
    expect(messages.map((m) => m.ruleId)).toContain('frontmatter-missing');
    expect(messages.find((m) => m.ruleId === 'frontmatter-missing')!.line).toBe(1);
  });
});

describe('encoding', () => {
  it('a binary file named .md (NUL bytes) is a file-encoding error and nothing else, no crash', () => {
    const png = bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52], [0x00, 0xff, 0x00, 0x10, 0x08, 0x06]);
    const { run, messages } = lintWith(TASK_2, png);
    expect(run.status).toBe(1);
    expect(summary(messages)).toEqual(['1:1 file-encoding']);
    expect(messages[0]!.fatal).toBe(true);
    expect(messages[0]!.reason).toMatch(/NUL/);
  });

  it('a binary file elsewhere in the tree (not a log) is a file-encoding error too', () => {
    const { messages } = lintWith('.apm/Memory/diagram.md', bytes('GIF89a', [0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00]));
    expect(summary(messages)).toEqual(['1:1 file-encoding']);
  });

  it('invalid UTF-8 in the middle of a valid log: file-encoding at its line and column; the other checks still run', () => {
    // An invalid byte (0xFF) just before "API" on line 20, and a wrong session name on line 4.
    const at = badHandoffLog.indexOf('API lives');
    const { run, messages } = lintWith(HANDOFF, bytes(badHandoffLog.slice(0, at), [0xff], badHandoffLog.slice(at)));
    expect(run.status).toBe(1);
    expect(summary(messages)).toEqual(['4:18 handoff-session-names', `${WORKING_CONTEXT_LINE}:7 file-encoding`]);
    expect(messages[1]!.reason).toMatch(/not valid UTF-8/);
  });

  it('the invalid byte keeps its line and column after a multibyte character, with a BOM and with CRLF', () => {
    const text = handoffLog.replace('- The API lives', '- Thé API lives');
    const at = text.indexOf('API lives');
    const expected = [`${WORKING_CONTEXT_LINE}:7 file-encoding`];
    for (const variant of [text, BOM + text, crlf(text), BOM + crlf(text)]) {
      const cut = variant.indexOf('API lives');
      expect(cut - variant.lastIndexOf('\n', cut)).toBe(at - text.lastIndexOf('\n', at));
      const { messages } = lintWith(HANDOFF, bytes(variant.slice(0, cut), [0xc3], variant.slice(cut)));
      expect(summary(messages), JSON.stringify(variant.slice(0, 5))).toEqual(expected);
    }
  });

  it('a UTF-16 file with a BOM is refused as file-encoding, no crash', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(goodTask2, 'utf16le')]);
    const { run, messages } = lintWith(TASK_2, utf16);
    expect(run.status).toBe(1);
    expect(messages.map((m) => m.ruleId)).toContain('file-encoding');
  });
});

describe('size', () => {
  const BIG = '.apm/Memory/Field_Notes.md';
  const paragraph = 'The importer reads each CSV row, trims the cells and checks the date column against the survey window.\n';
  let big = '';

  beforeAll(() => {
    const parts = ['# Field notes\n\n'];
    let size = parts[0]!.length;
    for (let n = 0; size < 5 * 1024 * 1024; n++) {
      const part = `${n % 100 === 0 ? `## Notes ${n / 100}\n\n` : ''}${paragraph.repeat(4)}\n`;
      parts.push(part);
      size += part.length;
    }
    big = parts.join('');
  });

  it('a 5 MB markdown file is a file-size warning at 1:1, and the run is quick', () => {
    const { run, messages } = lintWith(BIG, big);
    expect(run.status).toBe(0);
    expect(summary(messages)).toEqual(['1:1 file-size']);
    expect(messages[0]!.fatal).toBe(false);
    expect(messages[0]!.reason).toMatch(/5\.0 MB/);
    expect(run.ms).toBeLessThan(20_000);
  });

  it('with --max-file-size 10MB the same file is parsed: no file-size finding, no crash', () => {
    const { run, messages } = lintWith(BIG, big, ['--max-file-size', '10MB']);
    expect(messages.map((m) => m.ruleId)).not.toContain('file-size');
    expect(messages).toEqual([]);
    expect(run.status).toBe(0);
    expect(run.ms).toBeLessThan(60_000);
  });

  it('--max-file-size below a file\'s size skips that file with a warning', () => {
    const { run, messages } = lintWith(TASK_2, `${goodTask2}\n${paragraph.repeat(40)}`, ['--max-file-size', '2KB']);
    expect(run.status).toBe(0);
    expect(summary(messages)).toEqual(['1:1 file-size']);
    expect(messages[0]!.reason).toMatch(/limit/);
  });

  // 1 MB (half the default 2 MB limit) of alternating one-item lists and paragraphs once took
  // minutes (micromark goes quadratic on it); memlint's structure parser is linear.
  it(
    'a 1 MB log of alternating list items and paragraphs, under the default limit, is linted in under 20 s',
    () => {
      const parts: string[] = ['# Session notes\n\n'];
      let size = 0;
      for (let n = 0; size < 1024 * 1024; n++) {
        const part = `- checked batch ${n}\n\nBatch ${n} had no rejected rows.\n\n`;
        parts.push(part);
        size += part.length;
      }
      const dir = makeTree({ '.apm/Memory/Session_Notes.md': parts.join('') });
      const run = memlint(['.', '--report', 'json'], dir, 20_000);
      checked(run);
    },
    60_000,
  );

  // Deeply nested markdown once overflowed a recursive tree walk; the structure parser has none.
  it('a task log with 10 000 nested block quotes does not crash the run', () => {
    const { run, messages } = lintWith(TASK_2, `${goodTask2}\n${'>'.repeat(10_000)} deep\n`);
    expect(run.status).toBe(0);
    expect(messages).toEqual([]);
  });
});

describe('no memory tree', () => {
  let dir = '';
  beforeAll(() => {
    dir = makeTree({ 'src/index.js': 'export const x = 1;\n', 'notes.txt': 'nothing to see\n', 'data/rows.csv': 'a,b\n1,2\n' }, {});
  });

  it('a directory with no .apm anywhere exits 0 and says so on stderr (pretty report)', () => {
    const run = memlint(['.'], dir);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.stderr).toMatch(/no memory files found/);
  });

  it('with --report json it exits 0 and prints an empty array', () => {
    const run = memlint(['.', '--report', 'json'], dir);
    expect(checked(run)).toEqual([]);
    expect(run.status).toBe(0);
  });

  // In JSON mode too, stderr says that nothing was checked, so a CI job can tell.
  it('with --report json it still says on stderr that no memory files were found', () => {
    const run = memlint(['.', '--report', 'json'], dir);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/no memory files found/);
  });
});
