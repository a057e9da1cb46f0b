// The memlint command line, run as a real process (bin → main.ts under Node's type stripping).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allRules } from '@memlint/core';
import { memlint, repoRoot, type Run } from './support/run.ts';
import { handoffLog, taskLog, type JsonFile, type JsonMessage } from './support/stage-tree.ts';

const cleanTree = 'examples/apm-stage';
const defectsTree = 'examples/apm-stage-defects';


function json(run: Run): JsonFile[] {
  let data: unknown;
  expect(() => (data = JSON.parse(run.stdout)), `stdout is not JSON:\n${run.stdout.slice(0, 500)}\nstderr: ${run.stderr}`).not.toThrow();
  expect(Array.isArray(data)).toBe(true);
  return data as JsonFile[];
}

function allMessages(files: JsonFile[]): (JsonMessage & { file: string })[] {
  return files.flatMap((f) => f.messages.map((m) => ({ ...m, file: f.path })));
}

const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');
const STACK_LINE = /^\s+at /m;

function expectNoStack(run: Run): void {
  expect(run.stderr).not.toMatch(STACK_LINE);
  expect(run.stderr).not.toMatch(/internal error/);
}

// ---------------------------------------------------------------------------
// A small Stage-era tree written here, for the cases the examples do not cover.

const metadata = '{ "releaseVersion": "v1.0.0-test-6" }\n';



const baseTree: Record<string, string> = {
  '.apm/metadata.json': metadata,
  '.apm/Memory/Handoffs/Agent_Api_Handoffs/Agent_Api_Handoff_Log_1.md': handoffLog,
  '.apm/Memory/Stage_01_Setup/Task_Log_01_01_Schema.md': taskLog({ id: '1.1', slug: 'Schema' }),
};

let tmpBase = '';

beforeAll(() => {
  mkdirSync(path.join(repoRoot, 'test-output'), { recursive: true });
  tmpBase = mkdtempSync(path.join(repoRoot, 'test-output', 'cli-test-'));
});

afterAll(() => {
  if (tmpBase) rmSync(tmpBase, { recursive: true, force: true });
});

/** A fresh tree: the base files, with `files` added or replacing them. */
function makeTree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpBase, 'tree-'));
  for (const [rel, content] of Object.entries({ ...baseTree, ...files })) {
    const file = path.join(dir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return dir;
}

// ---------------------------------------------------------------------------

describe('memlint on the clean example tree', () => {
  it('exits 0 and reports no message for any file (--report json)', () => {
    const run = memlint([cleanTree, '--report', 'json']);
    expect(run.status, run.stderr).toBe(0);
    const files = json(run);
    expect(files.length).toBeGreaterThanOrEqual(20);
    for (const f of files) expect(f.messages, f.path).toEqual([]);
  });

  it('says "no problems" in the pretty report', () => {
    const run = memlint([cleanTree]);
    expect(run.status, run.stderr).toBe(0);
    const lines = stripAnsi(run.stdout).trim().split('\n');
    expect(lines.at(-1)).toMatch(/^\d+ files? checked\b.*: no problems$/);
  });
});

describe('memlint on the defects example tree', () => {
  // DEFECTS.md gives file and line; the rule, and what the column points at, are memlint's side.
  const defects = [
    { n: 1, file: '.apm/Memory/Handoffs/Agent_Backend_Handoffs/Agent_Backend_Handoff_Log_3.md', line: 4, ruleId: 'handoff-session-names', at: 'Agent_Backend_Session_5' },
    { n: 2, file: '.apm/Memory/Handoffs/Agent_Frontend_Handoffs/Agent_Frontend_Handoff_Log_3.md', line: 5, ruleId: 'handoff-chain-continuity', at: '3' },
    { n: 3, file: '.apm/Memory/Stage_02_Billing_Engine/Task_Log_02_03_Invoice_Editor_UI.md', line: 5, ruleId: 'task-log-status', at: 'Validation' },
    { n: 4, file: '.apm/Memory/Stage_01_Project_Foundation/Task_Log_01_03_Frontend_Shell_and_Routing.md', line: 6, ruleId: 'conditional-sections', at: 'true' },
    { n: 5, file: '.apm/Memory/Stage_02_Billing_Engine/Task_Log_02_01_Invoice_API_Endpoints.md', line: 35, ruleId: 'sections-required', at: '## Issues' },
    { n: 6, file: '.apm/Memory/Handoffs/Agent_Backend_Handoffs/Agent_Backend_Handoff_Log_2.md', line: 7, ruleId: 'handoff-chain-timestamps', at: '2026-01-19T16:40:00Z' },
    { n: 7, file: '.apm/Memory/Memory_Root.md', line: 3, ruleId: 'memory-root-handoff-count', at: '3' },
  ];

  it('the expectations here match the table in DEFECTS.md', () => {
    const table = readFileSync(path.join(repoRoot, defectsTree, 'DEFECTS.md'), 'utf8');
    const rows = [...table.matchAll(/^\|\s*(\d+)\s*\|\s*`([^`]+)`\s*\|\s*(\d+)\s*\|/gm)].map((m) => ({ n: Number(m[1]), file: m[2], line: Number(m[3]) }));
    expect(rows).toEqual(defects.map(({ n, file, line }) => ({ n, file, line })));
  });

  it('exits 1 and reports exactly the 7 seeded defects (--report json)', () => {
    const run = memlint([defectsTree, '--report', 'json']);
    expect(run.status, run.stderr).toBe(1);
    expectNoStack(run);
    const messages = allMessages(json(run));
    expect(messages.map((m) => `${m.file}:${m.line} ${m.ruleId}`), 'exactly the seven defects').toHaveLength(7);
    for (const d of defects) {
      const found = messages.filter((m) => m.file.endsWith(d.file));
      expect(found, `defect ${d.n} (${d.file})`).toHaveLength(1);
      const m = found[0]!;
      expect(m.file).toBe(path.posix.join(defectsTree, d.file));
      expect({ line: m.line, ruleId: m.ruleId, fatal: m.fatal, source: m.source }, `defect ${d.n}`).toEqual({ line: d.line, ruleId: d.ruleId, fatal: true, source: 'memlint' });
      expect(m.url.endsWith(`rules/${d.ruleId}.md`), m.url).toBe(true);
      expect(m.reason.length).toBeGreaterThan(10);
      // The column points at the thing at fault.
      const lineText = readFileSync(path.join(repoRoot, defectsTree, d.file), 'utf8').split('\n')[d.line - 1]!;
      expect(lineText.slice(m.column - 1).startsWith(d.at), `defect ${d.n}: column ${m.column} of "${lineText}"`).toBe(true);
    }
  });

  it('names each file in the pretty report and ends with a summary line', () => {
    const run = memlint([defectsTree]);
    expect(run.status, run.stderr).toBe(1);
    const out = stripAnsi(run.stdout);
    for (const d of defects) {
      expect(out).toContain(path.posix.join(defectsTree, d.file));
      expect(out).toContain(d.ruleId);
    }
    expect(out).toMatch(/7 errors/);
    const lines = out.trim().split('\n');
    expect(lines.at(-1)).toMatch(/^\d+ files? checked\b/);
    expect(lines.at(-1)).not.toMatch(/no problems/);
  });
});

describe('naming single files (pre-commit style)', () => {
  const memory = `${defectsTree}/.apm/Memory`;

  it('Memory_Root.md alone: only that file is reported, with the handoff-count error read from the rest of the tree', () => {
    const run = memlint([`${memory}/Memory_Root.md`, '--report', 'json']);
    expect(run.status, run.stderr).toBe(1);
    const files = json(run);
    expect(files.map((f) => f.path)).toEqual([`${memory}/Memory_Root.md`]);
    expect(files[0]!.messages.map((m) => [m.line, m.ruleId])).toEqual([[3, 'memory-root-handoff-count']]);
  });

  it('Agent_Frontend_Handoff_Log_3.md alone: the chain-gap error (a cross-file rule) is still found', () => {
    const file = `${memory}/Handoffs/Agent_Frontend_Handoffs/Agent_Frontend_Handoff_Log_3.md`;
    const run = memlint([file, '--report', 'json']);
    expect(run.status, run.stderr).toBe(1);
    const files = json(run);
    expect(files.map((f) => f.path)).toEqual([file]);
    expect(files[0]!.messages.map((m) => [m.line, m.ruleId])).toEqual([[5, 'handoff-chain-continuity']]);
  });

  it('a clean file of a tree with errors elsewhere exits 0 and reports nothing else', () => {
    const file = `${memory}/Handoffs/Agent_Backend_Handoffs/Agent_Backend_Handoff_Log_1.md`;
    const run = memlint([file, '--report', 'json']);
    expect(run.status, run.stderr).toBe(0);
    const files = json(run);
    expect(files.map((f) => f.path)).toEqual([file]);
    expect(files[0]!.messages).toEqual([]);
  });

  it('two named files: both reported, nothing else', () => {
    const a = `${memory}/Memory_Root.md`;
    const b = `${memory}/Stage_02_Billing_Engine/Task_Log_02_03_Invoice_Editor_UI.md`;
    const run = memlint([a, b, '--report', 'json']);
    expect(run.status, run.stderr).toBe(1);
    const messages = allMessages(json(run));
    expect(messages.map((m) => [m.file, m.line, m.ruleId]).sort()).toEqual(
      [
        [a, 3, 'memory-root-handoff-count'],
        [b, 5, 'task-log-status'],
      ].sort(),
    );
  });

  it('works from another working directory (paths are reported relative to it)', () => {
    const run = memlint(['apm-stage-defects/.apm/Memory/Memory_Root.md', '--report', 'json'], path.join(repoRoot, 'examples'));
    expect(run.status, run.stderr).toBe(1);
    const files = json(run);
    expect(files.map((f) => f.path)).toEqual(['apm-stage-defects/.apm/Memory/Memory_Root.md']);
    expect(files[0]!.messages.map((m) => m.ruleId)).toEqual(['memory-root-handoff-count']);
  });
});

describe('exit codes and usage errors', () => {
  it('a nonexistent path exits 2 with a one-line message on stderr and no stack trace', () => {
    const run = memlint(['does/not/exist', '--report', 'json']);
    expect(run.status).toBe(2);
    expect(run.signal).toBeNull();
    expectNoStack(run);
    const lines = run.stderr.trim().split('\n');
    expect(lines, run.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^memlint: .*does\/not\/exist/);
    expect(run.stdout).toBe('');
  });

  it('a nonexistent path among good ones still exits 2', () => {
    const run = memlint([cleanTree, 'nope.md']);
    expect(run.status).toBe(2);
    expectNoStack(run);
    expect(run.stderr).toMatch(/nope\.md/);
  });

  it('an unknown option exits 2', () => {
    const run = memlint([cleanTree, '--frobnicate']);
    expect(run.status).toBe(2);
    expectNoStack(run);
    expect(run.stderr).toMatch(/^memlint: .*--frobnicate/);
    expect(run.stdout).toBe('');
  });

  it('--report xml exits 2', () => {
    const run = memlint([cleanTree, '--report', 'xml']);
    expect(run.status).toBe(2);
    expectNoStack(run);
    expect(run.stderr).toMatch(/--report.*xml/);
    expect(run.stdout).toBe('');
  });

  it('--report without a value exits 2', () => {
    const run = memlint([cleanTree, '--report']);
    expect(run.status).toBe(2);
    expectNoStack(run);
  });

  it('--rule nope=error (an unknown rule) exits 2', () => {
    const run = memlint([cleanTree, '--rule', 'nope=error']);
    expect(run.status).toBe(2);
    expectNoStack(run);
    expect(run.stderr).toMatch(/"nope"/);
    expect(run.stdout).toBe('');
  });

  it('--rule with an unknown level exits 2', () => {
    const run = memlint([cleanTree, '--rule', 'task-log-status=loud']);
    expect(run.status).toBe(2);
    expectNoStack(run);
    expect(run.stderr).toMatch(/--rule/);
  });

  it('--max-file-size with a non-size exits 2', () => {
    const run = memlint([cleanTree, '--max-file-size', 'lots']);
    expect(run.status).toBe(2);
    expectNoStack(run);
    expect(run.stderr).toMatch(/--max-file-size/);
  });

  it('--rule handoff-session-names=off removes that finding and keeps the others', () => {
    const run = memlint([defectsTree, '--report', 'json', '--rule', 'handoff-session-names=off']);
    expect(run.status, run.stderr).toBe(1);
    const messages = allMessages(json(run));
    expect(messages.map((m) => m.ruleId)).not.toContain('handoff-session-names');
    expect(messages).toHaveLength(6);
  });

  it('--rule task-log-status=warning makes that finding a warning; the other errors still exit 1', () => {
    const run = memlint([defectsTree, '--report', 'json', '--rule', 'task-log-status=warning']);
    expect(run.status, run.stderr).toBe(1);
    const messages = allMessages(json(run));
    expect(messages).toHaveLength(7);
    const status = messages.filter((m) => m.ruleId === 'task-log-status');
    expect(status).toHaveLength(1);
    expect(status[0]!.fatal).toBe(false);
    expect(messages.filter((m) => m.ruleId !== 'task-log-status').every((m) => m.fatal === true)).toBe(true);
  });

  it('--rule accepts the `warn` spelling and `:` as separator', () => {
    const run = memlint([defectsTree, '--report', 'json', '--rule', 'task-log-status:warn']);
    expect(run.status, run.stderr).toBe(1);
    const status = allMessages(json(run)).filter((m) => m.ruleId === 'task-log-status');
    expect(status.map((m) => m.fatal)).toEqual([false]);
  });

  describe('a tree whose only finding is a task-log-status error', () => {
    let dir = '';
    beforeAll(() => {
      dir = makeTree({ '.apm/Memory/Stage_01_Setup/Task_Log_01_02_Routes.md': taskLog({ id: '1.2', slug: 'Routes', failurePoint: 'Validation' }) });
    });

    it('exits 1 as it is', () => {
      const run = memlint(['.', '--report', 'json'], dir);
      expect(run.status, run.stderr).toBe(1);
      const messages = allMessages(json(run));
      expect(messages.map((m) => [m.file, m.line, m.column, m.ruleId, m.fatal])).toEqual([
        ['.apm/Memory/Stage_01_Setup/Task_Log_01_02_Routes.md', 5, 16, 'task-log-status', true],
      ]);
    });

    it('exits 0 when that rule is set to warning, and still reports it as a warning', () => {
      const run = memlint(['.', '--report', 'json', '--rule', 'task-log-status=warning'], dir);
      expect(run.status, run.stderr).toBe(0);
      const messages = allMessages(json(run));
      expect(messages.map((m) => [m.ruleId, m.fatal])).toEqual([['task-log-status', false]]);
    });

    it('the pretty report says "warning"', () => {
      const run = memlint(['.', '--rule', 'task-log-status=warning'], dir);
      expect(run.status, run.stderr).toBe(0);
      const out = stripAnsi(run.stdout);
      expect(out).toMatch(/5:16.*warning.*task-log-status/);
      expect(out).toMatch(/1 warning/);
    });

    it('exits 0 and reports nothing when that rule is off', () => {
      const run = memlint(['.', '--report', 'json', '--rule', 'task-log-status=off'], dir);
      expect(run.status, run.stderr).toBe(0);
      expect(allMessages(json(run))).toEqual([]);
    });
  });
});

describe('--quiet', () => {
  let dir = '';
  beforeAll(() => {
    // An unknown frontmatter key is a warning (frontmatter-unknown-key).
    dir = makeTree({ '.apm/Memory/Stage_01_Setup/Task_Log_01_02_Routes.md': taskLog({ id: '1.2', slug: 'Routes', extraKey: 'reviewer: Dana' }) });
  });

  it('without it, a warning is reported and the exit code is 0', () => {
    const run = memlint(['.', '--report', 'json'], dir);
    expect(run.status, run.stderr).toBe(0);
    const messages = allMessages(json(run));
    expect(messages.map((m) => [m.line, m.ruleId, m.fatal])).toEqual([[8, 'frontmatter-unknown-key', false]]);
  });

  it('drops warnings from the JSON report', () => {
    const run = memlint(['.', '--report', 'json', '--quiet'], dir);
    expect(run.status, run.stderr).toBe(0);
    expect(allMessages(json(run))).toEqual([]);
  });

  it('drops warnings from the pretty report (-q)', () => {
    const run = memlint(['.', '-q'], dir);
    expect(run.status, run.stderr).toBe(0);
    expect(stripAnsi(run.stdout)).not.toMatch(/warning|frontmatter-unknown-key/);
  });

  it('drops a rule turned into a warning, and keeps the errors', () => {
    const run = memlint([defectsTree, '--report', 'json', '--quiet', '--rule', 'task-log-status=warning']);
    expect(run.status, run.stderr).toBe(1);
    const messages = allMessages(json(run));
    expect(messages).toHaveLength(6);
    expect(messages.map((m) => m.ruleId)).not.toContain('task-log-status');
    expect(messages.every((m) => m.fatal === true)).toBe(true);
  });
});

describe('subcommands and information', () => {
  it('`memlint schema task-log` prints the JSON Schema of a task log', () => {
    const run = memlint(['schema', 'task-log']);
    expect(run.status, run.stderr).toBe(0);
    const schema = JSON.parse(run.stdout) as { type?: string; properties: Record<string, unknown>; required: string[] };
    expect(schema.properties.task_id).toBeDefined();
    expect(schema.properties.status).toBeDefined();
    expect(schema.required).toContain('status');
    expect(schema.required).toContain('task_id');
  });

  it('`memlint schema worker-handoff-log` requires the session names', () => {
    const run = memlint(['schema', 'worker-handoff-log']);
    expect(run.status, run.stderr).toBe(0);
    const schema = JSON.parse(run.stdout) as { required: string[] };
    expect(schema.required).toEqual(expect.arrayContaining(['agent_id', 'outgoing_worker', 'incoming_worker', 'handoff_number']));
  });

  it('`memlint schema bogus` exits 2 and lists the kinds', () => {
    const run = memlint(['schema', 'bogus']);
    expect(run.status).toBe(2);
    expectNoStack(run);
    expect(run.stderr).toMatch(/task-log/);
    expect(run.stderr).toMatch(/"bogus"/);
    expect(run.stdout).toBe('');
  });

  it('`memlint schema` without a kind exits 2', () => {
    const run = memlint(['schema']);
    expect(run.status).toBe(2);
    expectNoStack(run);
  });

  it('`memlint rules` lists every rule id with its severity', () => {
    const run = memlint(['rules']);
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    const listed = lines.map((l) => l.split(/\s+/)[0]);
    expect([...listed].sort()).toEqual(allRules.map((r) => r.meta.id).sort());
    for (const rule of allRules) {
      const line = lines.find((l) => l.split(/\s+/)[0] === rule.meta.id)!;
      expect(line.split(/\s+/)[1]).toBe(rule.meta.severity);
    }
  });

  it.each([['--help'], ['-h']])('%s exits 0 and prints the usage', (flag) => {
    const run = memlint([flag]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Usage: memlint/);
    expect(run.stdout).toMatch(/--report/);
    expect(run.stderr).toBe('');
  });

  it.each([['--version'], ['-v']])('%s exits 0 and prints the package version', (flag) => {
    const run = memlint([flag]);
    expect(run.status, run.stderr).toBe(0);
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'packages/cli/package.json'), 'utf8')) as { version: string };
    expect(run.stdout.trim()).toBe(pkg.version);
    expect(run.stderr).toBe('');
  });
});

describe('--report github', () => {
  it('prints one GitHub Actions annotation per finding, with file, line and column', () => {
    const run = memlint(['examples/apm-stage-defects', '--report', 'github']);
    expect(run.status).toBe(1);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(7);
    expect(lines).toContain(
      '::error file=examples/apm-stage-defects/.apm/Memory/Memory_Root.md,line=3,col=23,endLine=3,endColumn=24,title=memlint memory-root-handoff-count::**Manager Handoffs:** says 3 but 2 Manager handoff logs exist (https://github.com/memlint/memlint/blob/main/rules/memory-root-handoff-count.md)',
    );
    for (const line of lines) expect(line).toMatch(/^::error file=[^,]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=memlint [a-z-]+::/);
  });
});

describe('--report sarif', () => {
  it('writes a SARIF 2.1.0 log with every rule and one result per finding', () => {
    const run = memlint(['examples/apm-stage-defects', '--report', 'sarif']);
    expect(run.status).toBe(1);
    const log = JSON.parse(run.stdout) as {
      version: string;
      runs: { tool: { driver: { name: string; rules: { id: string }[] } }; results: { ruleId: string; ruleIndex: number; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[] }[] }[];
    };
    expect(log.version).toBe('2.1.0');
    const [sarifRun] = log.runs;
    expect(sarifRun!.tool.driver.rules.map((r) => r.id)).toEqual(allRules.map((r) => r.meta.id));
    expect(sarifRun!.results).toHaveLength(7);
    const root = sarifRun!.results.find((r) => r.ruleId === 'memory-root-handoff-count')!;
    expect(root.level).toBe('error');
    expect(sarifRun!.tool.driver.rules[root.ruleIndex]!.id).toBe('memory-root-handoff-count');
    expect(root.locations[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'examples/apm-stage-defects/.apm/Memory/Memory_Root.md' },
      region: { startLine: 3, startColumn: 23, endLine: 3, endColumn: 24 },
    });
  });
});
