// The bundled APM v0.3 tree (examples/apm-v03, "Fernhouse") through the CLI as a process: clean as
// shipped; a copy with seeded defects gives exactly those findings, at the same places with CRLF
// and lone-CR line ends; --fix repairs only the certain one, and a second run changes nothing.
// Then discovery of v0.3 roots not named .apm, as real v0.3 trees sit at a project's top.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyExample, memlint, repoRoot, tempDir, writeTree } from './support/run.ts';

interface JsonFile {
  path: string;
  messages: { line: number; column: number; ruleId: string; fatal: boolean; reason: string }[];
}

const findings = (stdout: string, base: string) =>
  (JSON.parse(stdout) as JsonFile[])
    .flatMap((f) => f.messages.map((m) => `${path.relative(path.resolve(repoRoot, base), path.resolve(repoRoot, f.path)).split(path.sep).join('/')} ${m.line}:${m.column} ${m.ruleId}`))
    .sort();

/** Where a text first occurs in a file after a given one: `line:column`. */
function at(text: string, needle: string, after = ''): string {
  const from = after ? text.indexOf(after) : 0;
  const i = text.indexOf(needle, from);
  if (from < 0 || i < 0) throw new Error(`not found: ${needle}`);
  const before = text.slice(0, i).split('\n');
  return `${before.length}:${before.at(-1)!.length + 1}`;
}

function replaceOnce(text: string, old: string, replacement: string, after = ''): string {
  const from = after ? text.indexOf(after) : 0;
  const i = text.indexOf(old, from);
  if (from < 0 || i < 0) throw new Error(`not found: ${old}`);
  return text.slice(0, i) + replacement + text.slice(i + old.length);
}

const BANK = '.apm/Memory_Bank.md';
const HANDOVER = '.apm/Handover_File.md';

/** A copy of the example with five defects; returns it and the findings it must give. */
function seeded(prefix: string): { dir: string; want: string[]; fixable: string } {
  const dir = copyExample('apm-v03', tempDir(prefix));
  let bank = readFileSync(path.join(dir, BANK), 'utf8');
  // 1. The first entry's status in capitals (fixable).
  bank = replaceOnce(bank, '**Status:** Completed', '**Status:** COMPLETED');
  // 2. The second entry loses its Issues/Blockers.
  bank = replaceOnce(bank, '**Issues/Blockers:**\nNone\n\n', '', 'Task 1.2 / Sampling');
  // 3. The `---` before the Task 2.1 entry is dropped: it runs on from the Manager's entry.
  bank = replaceOnce(bank, '---\n**Agent:** Agent_Dashboard\n**Task Reference:** Phase 2 / Task 2.1', '**Agent:** Agent_Dashboard\n**Task Reference:** Phase 2 / Task 2.1');
  // 4. The last entry says Done.
  bank = replaceOnce(bank, '**Status:** Blocked', '**Status:** Done', 'Task 2.2 / Frost');
  writeFileSync(path.join(dir, BANK), bank);
  let handover = readFileSync(path.join(dir, HANDOVER), 'utf8');
  // 5. Section 7 renumbered 8: a gap, and Section 8 twice.
  handover = replaceOnce(handover, '## Section 7:', '## Section 8:');
  writeFileSync(path.join(dir, HANDOVER), handover);
  const fixable = `${BANK} ${at(bank, 'COMPLETED')} memory-bank-status`;
  const want = [
    fixable,
    `${BANK} ${at(bank, '**Agent:** Agent_Sensors', 'Phase 1 / Task 1.1')} memory-bank-entry`,
    `${BANK} ${at(bank, '**Agent:** Agent_Dashboard')} memory-bank-entry`,
    `${BANK} ${at(bank, 'Done', 'Task 2.2 / Frost')} memory-bank-status`,
    `${HANDOVER} ${at(handover, '## Section 8: Recent')} handover-sections`,
    `${HANDOVER} ${at(handover, '## Section 8: Critical')} handover-sections`,
  ];
  return { dir, want: want.sort(), fixable };
}

describe('the APM v0.3 example tree', () => {
  it('examples/apm-v03 has no findings and is detected as APM v0.3', () => {
    const run = memlint(['examples/apm-v03', '--report', 'json']);
    expect(run.status, run.stderr).toBe(0);
    const files = JSON.parse(run.stdout) as JsonFile[];
    expect(files.map((f) => f.path).sort()).toEqual(['examples/apm-v03/.apm/Handover_File.md', 'examples/apm-v03/.apm/Implementation_Plan.md', 'examples/apm-v03/.apm/Memory_Bank.md']);
    expect(findings(run.stdout, 'examples/apm-v03')).toEqual([]);
    const explain = memlint(['--explain-dialect', 'examples/apm-v03', '--report', 'json']);
    const { roots } = JSON.parse(explain.stdout) as { roots: { root: string; dialect: string; source: string }[] };
    expect(roots.map((r) => [r.root, r.dialect, r.source])).toEqual([['examples/apm-v03/.apm', 'apm-v03', 'layout']]);
  });

  it('a copy with seeded defects gives exactly those findings, the same with CRLF and lone-CR line ends', () => {
    const { dir, want } = seeded('v03-defects');
    const run = memlint([dir, '--report', 'json']);
    expect(run.status, run.stderr).toBe(1);
    expect(findings(run.stdout, dir)).toEqual(want);
    for (const f of JSON.parse(run.stdout) as JsonFile[]) for (const m of f.messages) expect(m.reason).not.toMatch(/undefined|NaN|\[object Object\]/);
    for (const [name, eol] of [['crlf', '\r\n'], ['cr', '\r']] as const) {
      const copy = seeded(`v03-${name}`).dir;
      for (const rel of [BANK, HANDOVER, '.apm/Implementation_Plan.md']) {
        const file = path.join(copy, rel);
        writeFileSync(file, readFileSync(file, 'utf8').replace(/\n/g, eol));
      }
      const again = memlint([copy, '--report', 'json']);
      expect(findings(again.stdout, copy), name).toEqual(want);
    }
  });

  it('--fix writes the status case the format uses, leaves the rest, and a second run changes nothing', () => {
    const { dir, want, fixable } = seeded('v03-fix');
    const first = memlint([dir, '--fix', '--report', 'json']);
    expect(first.status, first.stderr).toBe(1);
    const fixed = readFileSync(path.join(dir, BANK), 'utf8');
    expect(fixed).not.toContain('COMPLETED');
    expect(fixed).toContain('**Status:** Done');
    expect(findings(first.stdout, dir)).toEqual(want.filter((w) => w !== fixable));
    const second = memlint([dir, '--fix', '--report', 'json']);
    expect(readFileSync(path.join(dir, BANK), 'utf8')).toBe(fixed);
    expect(findings(second.stdout, dir)).toEqual(findings(first.stdout, dir));
  });
});

describe('v0.3 roots not named .apm', () => {
  const entry = ['---', '**Agent:** Agent_Api', '**Task Reference:** Phase 1 / Task 1.1 / Scaffold', '**Summary:** Done.', '**Details:** Steps.', '**Output/Result:** Files.', '**Status:** Complete', '**Issues/Blockers:** None', ''].join('\n');

  it('a folder with Memory_Bank.md and the plan (or Memory/) is a root; the project around it is not memory', () => {
    const dir = tempDir('v03-bare');
    writeTree(dir, {
      'Memory_Bank.md': `# Bank\n\n${entry}`,
      'Implementation_Plan.md': '# Implementation Plan\n\n## Phase 1: Setup\n\n### Task 1.1 - Agent_Api: Scaffold\n',
      'README.md': '# Project\n',
      'src/app.md': '# App notes\n',
      'docs/archive/Memory_Bank.md': `# Old bank\n\n${entry}`,
      'docs/archive/Memory/Phase_1_Setup/Task_1.1_Log.md': entry,
      // Another tool's file of the same name, alone: not a memory root.
      'notes/Memory_Bank.md': '# My memory bank\n\n- remember the milk\n',
    });
    const explain = memlint(['--explain-dialect', dir, '--report', 'json']);
    const { roots } = JSON.parse(explain.stdout) as { roots: { root: string; dialect: string }[] };
    expect(roots.map((r) => [path.relative(dir, path.resolve(r.root)) || '.', r.dialect]).sort()).toEqual([
      ['.', 'apm-v03'],
      ['docs/archive', 'apm-v03'],
    ]);
    const run = memlint([dir, '--report', 'json']);
    expect(findings(run.stdout, dir)).toEqual([
      'Memory_Bank.md 9:13 memory-bank-status',
      'docs/archive/Memory/Phase_1_Setup/Task_1.1_Log.md 7:13 memory-bank-status',
      'docs/archive/Memory_Bank.md 9:13 memory-bank-status',
    ]);
    // A file named inside such a root is linted with its tree; one beside it is not memory.
    const named = memlint([path.join(dir, 'docs/archive/Memory/Phase_1_Setup/Task_1.1_Log.md'), path.join(dir, 'README.md'), '--report', 'json']);
    expect(findings(named.stdout, dir)).toEqual(['docs/archive/Memory/Phase_1_Setup/Task_1.1_Log.md 7:13 memory-bank-status']);
    const inside = memlint(['--explain-dialect', path.join(dir, 'docs/archive/Memory'), '--report', 'json']);
    expect((JSON.parse(inside.stdout) as { roots: { root: string }[] }).roots.map((r) => path.relative(dir, path.resolve(r.root)))).toEqual(['docs/archive']);
  });
});
