// --format (another name of --report), the JUnit report, --max-warnings and --frail, and the SARIF
// report against the SARIF 2.1.0 JSON Schema: the CLI as a process.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { memlint, tempDir, writeTree } from './support/run.ts';
import { handoffLog, taskLog } from './support/stage-tree.ts';
import { parseXml, type XmlElement } from './support/xml.ts';
import { xmlAttribute, xmlText } from '../packages/cli/src/junit.ts';

const TASK = '.apm/Memory/Stage_01_Setup/Task_Log_01_01_Schema.md';
const HANDOFF = '.apm/Memory/Handoffs/Agent_Api_Handoffs/Agent_Api_Handoff_Log_1.md';

/** A Stage-era tree whose one finding is task-log-status on `failure_point` (quoted in the message). */
function treeWithOneFinding(prefix: string, failurePoint = 'Validation'): string {
  const dir = tempDir(prefix);
  writeTree(dir, {
    '.apm/metadata.json': '{ "releaseVersion": "v1.0.0-test-6" }\n',
    [HANDOFF]: handoffLog,
    [TASK]: taskLog({ id: '1.1', slug: 'Schema', failurePoint }),
  });
  return dir;
}

const AS_WARNING = ['--rule', 'task-log-status=warning'];

describe('--format, -f: the other name of --report', () => {
  let dir: string;
  beforeAll(() => {
    dir = treeWithOneFinding('format');
  });

  it.each([['json'], ['sarif'], ['github'], ['pretty'], ['junit']])('-f %s prints what --report prints', (format) => {
    const viaReport = memlint(['.', '--report', format], dir);
    for (const args of [['-f', format], ['--format', format], [`--format=${format}`]]) {
      const run = memlint(['.', ...args], dir);
      expect(run.status, run.stderr).toBe(1);
      expect(run.stdout).toBe(viaReport.stdout);
    }
  });

  it('is checked as --report is for `memlint rules`', () => {
    const run = memlint(['rules', '--format', 'junit']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('memlint: memlint rules: --report must be pretty or json, got "junit"');
  });

  it('serves `memlint rules` and --explain-dialect too', () => {
    expect(memlint(['rules', '-f', 'json']).stdout).toBe(memlint(['rules', '--report', 'json']).stdout);
    expect(memlint(['--explain-dialect', '.', '--format', 'json'], dir).stdout).toBe(memlint(['--explain-dialect', '.', '--report', 'json'], dir).stdout);
  });

  it.each([
    [['-r', 'json', '-f', 'sarif'], '-r and -f are one option (--format is its other name): give one'],
    [['--report', 'json', '--format', 'json'], '--report and --format are one option (--format is its other name): give one'],
    [['--format', 'xml'], '--format: expected one of pretty, json, github, sarif, junit, got "xml"'],
  ])('%j is a usage error', (args, message) => {
    const run = memlint(['.', ...args], dir);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`memlint: ${message}`);
    expect(run.stdout).toBe('');
  });
});

describe('--max-warnings N (as ESLint) and --frail (as remark)', () => {
  let dir: string;
  let clean: string;
  beforeAll(() => {
    dir = treeWithOneFinding('warnings');
    clean = treeWithOneFinding('no-warnings', 'null');
  });

  it('a warning alone exits 0 without them', () => {
    const run = memlint(['.', ...AS_WARNING], dir);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('⚠ 1 warning');
  });

  it('--max-warnings 0 fails on one warning (exit 1) and says why; --max-warnings 1 allows it', () => {
    const over = memlint(['.', ...AS_WARNING, '--max-warnings', '0'], dir);
    expect(over.status).toBe(1);
    expect(over.stderr).toContain('memlint: 1 warning, more than --max-warnings 0 allows');
    const at = memlint(['.', ...AS_WARNING, '--max-warnings=1'], dir);
    expect(at.status, at.stderr).toBe(0);
    expect(at.stderr).toBe('');
  });

  it('--frail fails on a warning; with no findings it exits 0', () => {
    const run = memlint(['.', ...AS_WARNING, '--frail'], dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('memlint: 1 warning, and --frail makes warnings fail the run');
    expect(memlint(['.', '--frail', '--max-warnings', '0'], clean).status).toBe(0);
  });

  it('count the warnings --quiet hides (as remark --quiet --frail does)', () => {
    const run = memlint(['.', ...AS_WARNING, '--quiet', '--frail', '--report', 'json'], dir);
    expect(run.status).toBe(1);
    expect((JSON.parse(run.stdout) as { messages: unknown[] }[]).flatMap((f) => f.messages)).toEqual([]);
    expect(memlint(['.', ...AS_WARNING, '--quiet', '--max-warnings', '0'], dir).status).toBe(1);
  });

  it('errors still exit 1 whatever the limit; an I/O failure still wins (2)', () => {
    expect(memlint(['.', '--max-warnings', '100'], dir).status).toBe(1);
    expect(memlint(['missing-path', '--max-warnings', '100', '--frail'], dir).status).toBe(2);
  });

  it.each([['-1'], ['x'], ['1.5'], [''], ['1e3']])('--max-warnings %j is a usage error', (value) => {
    const run = memlint(['.', `--max-warnings=${value}`], dir);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`memlint: --max-warnings: expected a whole number of warnings (0 or more), got "${value}"`);
  });

  it('are usage errors outside a lint run', () => {
    const run = memlint(['rules', '--frail']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('memlint: --frail applies to a lint run only');
  });
});

// ---------------------------------------------------------------------------

const byName = (e: XmlElement, name: string) => e.children.filter((c) => c.name === name);

describe('--report junit', () => {
  // A failure_point value with markup, an ampersand, a CDATA end and two C0 controls (YAML escapes,
  // so the file itself is clean): the message quotes it.
  const nasty = '"a <b> & ]]> \\x07 \\x1b z"';
  let dir: string;
  beforeAll(() => {
    dir = treeWithOneFinding('junit & <co>', nasty);
  });

  it('is well-formed XML with a suite per file and a failing case per error', () => {
    const run = memlint(['.', '--report', 'junit'], dir);
    expect(run.status, run.stderr).toBe(1);
    const root = parseXml(run.stdout);
    expect(root.name).toBe('testsuites');
    expect(root.attributes).toMatchObject({ name: 'memlint', tests: '2', failures: '1', errors: '0' });
    const suites = byName(root, 'testsuite');
    expect(suites.map((s) => s.attributes.name)).toEqual([HANDOFF, TASK]);
    // A clean file: one passing case, so the panel lists every file checked.
    expect(suites[0]!.children).toEqual([{ name: 'testcase', attributes: { name: 'memlint', classname: HANDOFF, file: HANDOFF, time: '0' }, children: [], text: '' }]);
    const [testcase] = byName(suites[1]!, 'testcase');
    expect(testcase!.attributes).toMatchObject({ name: 'task-log-status at 5:16', classname: TASK, file: TASK, line: '5' });
    const [failure] = byName(testcase!, 'failure');
    // The characters XML allows arrive as they were (the message itself spells the controls out; raw ones in file names are below).
    expect(failure!.attributes).toEqual({ message: 'a Success task has `failure_point: null`, got "a <b> & ]]> \\u0007 \\u001b z"', type: 'error' });
    expect(failure!.text).toBe(
      `${TASK}:5:16: error: a Success task has \`failure_point: null\`, got "a <b> & ]]> \\u0007 \\u001b z" (task-log-status)\nhttps://github.com/memlint/memlint/blob/main/rules/task-log-status.md`,
    );
    expect(run.stdout).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    expect(run.stdout).not.toContain(']]>');
  });

  it('makes a warning a passing case with its text, and a failure under --frail or an exceeded --max-warnings', () => {
    const passing = memlint(['.', '--report', 'junit', ...AS_WARNING], dir);
    expect(passing.status).toBe(0);
    const root = parseXml(passing.stdout);
    expect(root.attributes.failures).toBe('0');
    const testcase = byName(byName(root, 'testsuite')[1]!, 'testcase')[0]!;
    expect(byName(testcase, 'failure')).toEqual([]);
    expect(byName(testcase, 'system-out')[0]!.text).toContain(`${TASK}:5:16: warning: a Success task has`);
    for (const args of [['--frail'], ['--max-warnings', '0']]) {
      const failing = memlint(['.', '--report', 'junit', ...AS_WARNING, ...args], dir);
      expect(failing.status).toBe(1);
      const r = parseXml(failing.stdout);
      expect(r.attributes.failures).toBe('1');
      expect(byName(byName(byName(r, 'testsuite')[1]!, 'testcase')[0]!, 'failure')[0]!.attributes.type).toBe('warning');
    }
  });

  it('escapes file names (quotes, ampersands, angle brackets, control characters) in attributes', () => {
    const odd = tempDir('junit-names');
    writeTree(odd, { 'notes/a "q" & <b>\u0001.md': '## Framework Reflection\n\n**Outcome**: success\n' });
    const run = memlint(['.', '--report', 'junit'], odd);
    const root = parseXml(run.stdout);
    const names = byName(root, 'testsuite').map((s) => s.attributes.name);
    expect(names).toEqual(['notes/a "q" & <b>\\u0001.md']);
  });

  it('escapes every character XML 1.0 forbids, and parses back to the same text otherwise', () => {
    const raw = 'a\u0000b\u0001\u0008\u000b\u000c\u000e\u001f\u007f\u0085 \ud800x \udc00 \ufffe \uffff 😀 \t\n\r < & > " \' ]]>';
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<r a="${xmlAttribute(raw)}">${xmlText(raw)}</r>\n`;
    const root = parseXml(xml);
    const expected = 'a\\u0000b\\u0001\\u0008\\u000B\\u000C\\u000E\\u001F\u007f\u0085 \\uD800x \\uDC00 \\uFFFE \\uFFFF 😀 \t\n\r < & > " \' ]]>';
    expect(root.attributes.a).toBe(expected);
    expect(root.text).toBe(expected);
  });

  it('is an empty <testsuites> when nothing is found', () => {
    const empty = tempDir('junit-empty');
    const run = memlint(['.', '--report', 'junit'], empty);
    expect(run.status).toBe(0);
    expect(parseXml(run.stdout)).toEqual({ name: 'testsuites', attributes: { name: 'memlint', tests: '0', failures: '0', errors: '0', time: '0' }, children: [], text: '\n' });
    expect(run.stderr).toContain('memlint: no memory files found');
  });
});

// ---------------------------------------------------------------------------

describe('--report sarif against the SARIF 2.1.0 JSON Schema', () => {
  // @microsoft/jest-sarif ships the schema (2.1.0 rtm.5: the OASIS standard's definitions, in
  // draft-04 dress). It uses no keyword whose meaning changed after draft-04 but `id`, so with
  // `$schema` and `id` taken off, Ajv (draft-07) reads it as written; its formats are defined here.
  // Its `language` pattern has a stray `]` (fixed in the OASIS file) that only a non-unicode RegExp accepts.
  const require = createRequire(import.meta.url);
  const schemaFile = path.join(path.dirname(require.resolve('@microsoft/jest-sarif/package.json')), 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');
  const { $schema: _draft, id: _id, ...schema } = JSON.parse(readFileSync(schemaFile, 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  ajv.addFormat('uri', (s: string) => URL.canParse(s));
  ajv.addFormat('uri-reference', (s: string) => URL.canParse(s, 'file:///base/') && !/[\s<>"{}|\\^`]/.test(s));
  ajv.addFormat('date-time', (s: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i.test(s) && !Number.isNaN(Date.parse(s)));
  const validate = ajv.compile(schema);

  function expectValid(stdout: string): { runs: { results: unknown[] }[] } {
    const log = JSON.parse(stdout) as { runs: { results: unknown[] }[] };
    const ok = validate(log);
    expect(ok ? [] : validate.errors!.map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`)).toEqual([]);
    return log;
  }

  it('the schema is the one it says it is, and it rejects what it should', () => {
    expect(JSON.parse(readFileSync(schemaFile, 'utf8')).title).toContain('Version 2.1.0');
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, level: 'fatal' }] }] })).toBe(false);
    expect(validate({ version: '2.0.0', runs: [] })).toBe(false);
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, level: 'error' }] }] })).toBe(true);
  });

  it.each([['examples/apm-stage-defects'], ['examples/apm-v1-defects'], ['examples/aops'], ['examples/apm-stage']])('%s: valid', (tree) => {
    const run = memlint([tree, '--report', 'sarif']);
    expect(run.status).not.toBe(2);
    expectValid(run.stdout);
  });

  it('with warnings, odd file names and control characters in messages: valid', () => {
    const dir = treeWithOneFinding('sarif schema', '"a <b> & ]]> \\x07 z"');
    writeTree(dir, { 'notes/50% #1 ü\u0001.md': '## Framework Reflection\n\n**Outcome**: success\n' });
    const log = expectValid(memlint(['.', '--report', 'sarif', ...AS_WARNING], dir).stdout);
    expect(log.runs[0]!.results.length).toBeGreaterThanOrEqual(1);
  });
});
