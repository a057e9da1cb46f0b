// Property-based fuzzing of @memlint/core over mutations of the example trees.
//
// One case = one file of one example tree, mutated by a seeded generator (byte flips, truncation,
// line-end changes, headings in quotes and lists, YAML damage, long runs, brackets, labels, …);
// the rest of the tree stays as context so the cross-file rules run. Per case, in-process through
// core (loadVirtualRoot → lintWorkspace → applyFixes):
//
//   - nothing throws;
//   - every diagnostic's range lies inside its file, as an editor counts lines and columns (this
//     module's own line index: LF, CRLF and a lone CR end a line, U+2028 does not; columns are
//     UTF-16 code units, 1-based, at most the line's length + 1), start ≤ end, and the offset
//     agrees with the line and column;
//   - every message has a known rule id and a real sentence (no `[object Object]`, `NaN`,
//     `undefined` unless the files themselves contain that word);
//   - `--fix` reaches a fixed point in one run (fixWorkspace, as the CLI runs it; then the fixed
//     bytes are loaded into the same tree again, linted, and fixing them changes nothing), and the
//     fixed text has no line-end kind the original lacked;
//   - the case takes less than `slowMs` (super-linear input shows up here).
//
// Cases run in worker threads with a hard timeout, so a hang or a quadratic blow-up is a finding,
// not a stuck test run. Used by test/fuzz.test.ts (a few hundred cases) and scripts/fuzz.js.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { allRules, applyFixes, dialectIds, fixWorkspace, lintWorkspace, loadVirtualRoot, type Diagnostic, type DialectId, type LintConfig, type LoadOptions, type MemoryDocument, type Point, type VirtualFile } from '@memlint/core';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');

// ---------------------------------------------------------------------------
// Seeded randomness.

/** mulberry32: small, fast, and the same sequence on every machine. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  u32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  float(): number {
    return this.u32() / 4294967296;
  }

  /** An integer in [low, high]. */
  int(low: number, high: number): number {
    return low + Math.floor(this.float() * (high - low + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  /** A count in [1, max], mostly small: the cube of a uniform number. */
  size(max: number): number {
    return 1 + Math.floor(this.float() ** 3 * max);
  }
}

/** The generator of one case: a function of the run's seed and the case's index only. */
export function caseRng(seed: number, index: number): Rng {
  let h = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul((index >>> 0) + 1, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return new Rng(h);
}

// ---------------------------------------------------------------------------
// The example trees.

export interface Tree {
  name: string;
  /** The memory root as loadVirtualRoot sees it (`.apm/` for APM trees). */
  dir: string;
  options: LoadOptions;
  files: { relPath: string; text: string }[];
  markdown: string[];
}

const TREE_SPECS: { name: string; root: string; options: LoadOptions }[] = [
  { name: 'apm-stage', root: 'examples/apm-stage/.apm', options: {} },
  { name: 'apm-stage-defects', root: 'examples/apm-stage-defects/.apm', options: {} },
  { name: 'apm-v1', root: 'examples/apm-v1/.apm', options: {} },
  { name: 'apm-v1-defects', root: 'examples/apm-v1-defects/.apm', options: {} },
  { name: 'apm-v05', root: 'examples/apm-v05/.apm', options: {} },
  { name: 'apm-v05-defects', root: 'examples/apm-v05-defects/.apm', options: {} },
  { name: 'apm-v03', root: 'examples/apm-v03/.apm', options: {} },
  { name: 'aops', root: 'examples/aops', options: { dialect: 'aops' } },
];

export function loadTrees(base: string = repoRoot): Tree[] {
  return TREE_SPECS.map((spec) => {
    const dir = path.join(base, spec.root);
    const files: Tree['files'] = [];
    const visit = (d: string) => {
      for (const name of readdirSync(d).sort()) {
        const p = path.join(d, name);
        if (statSync(p).isDirectory()) visit(p);
        else files.push({ relPath: path.relative(dir, p).split(path.sep).join('/'), text: readFileSync(p, 'utf8') });
      }
    };
    visit(dir);
    return { name: spec.name, dir, options: spec.options, files, markdown: files.map((f) => f.relPath).filter((p) => /\.md$/i.test(p)) };
  });
}

// ---------------------------------------------------------------------------
// Snippets: the inputs the issue names, and their relatives.

interface Snippet {
  text: string;
  /** How the case report names it (long runs as `"x" × n`). */
  label: string;
}

const lit = (text: string): Snippet => ({ text, label: JSON.stringify(text) });
const rep = (unit: string, n: number, before = '', after = ''): Snippet => ({
  text: before + unit.repeat(n) + after,
  label: `${before ? `${JSON.stringify(before)} + ` : ''}${JSON.stringify(unit)} × ${n}${after ? ` + ${JSON.stringify(after)}` : ''}`,
});
const cat = (...parts: Snippet[]): Snippet => ({ text: parts.map((p) => p.text).join(''), label: parts.map((p) => p.label).join(' + ') });

const CONTAINER_HEADINGS = [
  '> ## Notes', '- ## Item', '1. # x', '\r#', '- #', '# a\u2028b', '* ### Framework Reflection', '> ## Framework Reflection',
  '- ## Framework Reflection', '>> ## Session Summary', '  - ## Next Steps', '1) ## x', '- > ## x', '> - # x', '#', '##', '#\t',
  '# ', '####### seven', '## Framework Reflection #####', '\\## escaped', '`## code`', '    ## indented code', '\t## tab',
  '<h2>Framework Reflection</h2>', 'Setext title\n===', 'Setext title\n---', '```\n## in a fence', '~~~md\n# x\n~~~', '<!-- ## x',
  '-->', '#\u00a0nbsp', '## Framework Reflectİon', '## FRAMEWORK REFLECTİON', '# Task Log: Task 1.1 - x', '## Summary', '## Output',
  '## Issues', '## Next Steps', '## Session Summary', '## Working Context', '- [ ] ## task item', '| ## | cell |', '#\u2028#',
  '# x \\', '## #', '##  ', '#\r\n#', '> #\r>', '- #\u2028- #', '## Phase 01 – x Summary', '## Phase 1\u0013x Summary', '## Phase 06.5 – x Summary',
  '## Phase 99999999999999999999 Summary', '## Ad-Hoc Agent Delegation', '## Compatibility Concerns', '# Task Log: Task 2.1a - x', '---\n**Agent:** x',
];

const LABELS = [
  '**Label:**', '**Label:** v', '**Outcome:** x', '**Outcome**: Success', '**Outcome**: PARTIAL', '**Outcome**: `partial`',
  '**Outcome**: **failure**', '**Outcome**:', '**Outcome**: success.', '**Outcome**: SUCCESSİ', '**Outcome**: ß', '**Request**: do it',
  '**Request**:', '**Next step**: none', '**Followed**: maybe', '**Root cause**:', '**Prompts**:', '** Outcome**: x', '**Outcome** : x',
  '****: x', '**:** x', '**: x', '**Outcome**:**', '**Manager Handoffs:** 999999999999999999999', '**Manager Handoffs:** -1',
  '**Manager Handoffs:**', '**Manager Handoffs:** NaN', '**Tasks Completed This Session:** Task 9.9', '**Stage Progress:** 3/0',
  '**Stage Progress:** x/y', '**Current Stage:** Stage 99', '- **Outcome**: success', '> **Outcome**: Success', '**İOutcome**: x',
  'Answered user\'s question: "x"', 'Answered user\'s question: "', '**Outcome**\u2028: x', '**Outcome**: success\r', '__Outcome__: x',
  '*Outcome*: x', 'Outcome: success', '**Status:** Success', '**Status:** Failed', '**Failure Point:** Execution', '**Label**:\t\t',
  '**Task Reference:** Phase 1 / Task 1.1 / x', '**Status:** Partially Completed', '**Agent:**', '- [Task_1_1_x.md](Phase_01_x/Task_1_1_x.md)',
  '[x](../../../../../../etc/passwd.md)', '[x](%E0%A4%A.md)', '[x](<a b.md>)', '[x](Task_1_1.md "t")', 'task_ref: Task 2.1a', 'agent_id: Agent_X_99999999999999999999',
  '**Outcome**: partial - tests red', '**Next step**: fieldkit-7d30a5e2', 'Work COMPLETE: x', 'Next: `/pull fieldkit-7d30a5e2` to resume.',
];

const ODD_TEXT = [
  '\u0085', '\u000b', '\u000c', '\ufeff', '\ud800', '\udfff', '😀', 'e\u0301', '\u200b', '\u00a0', '\u2029', '\u2028', '\u0000',
  '\u001b[31m', 'İ', 'ß', 'ﬁ', '\u202e', '\r', '\r\n', '\n', '\t', '\\', '&amp;', '&#0;', '<br>', '<', '>', '|', '~~', '[^1]', '[a](',
  '![', '[x][y]', '<<', '{{', '}}', '(((', ']]]', '[[[[', '`', '``', '***', '___', '~~~', '$$', '%', '@', '\u{10ffff}',
];

function bigCount(rng: Rng, max: number): number {
  // The issue's sizes now and then, rarely far beyond (deep recursion), otherwise skewed small.
  if (rng.chance(0.03)) return max * rng.int(4, 8);
  return rng.chance(0.15) ? rng.pick([1000, 2500, max]) : rng.size(max);
}

function runOf(rng: Rng, max = 20_000): Snippet {
  return rep(rng.pick([' ', '\t', ' \t', '\t ', '  \t']), bigCount(rng, max));
}

function deepSnippet(rng: Rng): Snippet {
  const n = bigCount(rng, 3000);
  switch (rng.int(0, 15)) {
    case 0: return rep('> ', n, '', 'x');
    case 1: return rep('- ', n, '', 'x');
    case 2: return rep('1. ', n, '', 'x');
    case 3: return rep('[', n);
    case 4: return rep('[', n, '## Summary\n');
    case 5: return rep('*', n);
    case 6: return rep('_', n);
    case 7: return rep('`', n);
    case 8: return rep('**', n, '', 'x');
    case 9: return rep('[a](', n);
    case 10: return rep('<', n);
    case 11: return rep('*a _b `c', n);
    case 12: return rep('>', n, '', ' ## x');
    case 13: return rep('  ', n, '- ', '## x');
    case 14: return rep('\\', n);
    default: return rep('|', n);
  }
}

function repeatedBlocks(rng: Rng): Snippet {
  const n = bigCount(rng, 800);
  switch (rng.int(0, 5)) {
    case 0: return rep('## Heading\n**Label**: value\n', n);
    case 1: return rep('**Request**: something\n', n);
    case 2: return rep('- item\n\nparagraph\n\n', n);
    case 3: return rep('## Framework Reflection\n**Outcome**: Success\n**Outcome:** x\n', n);
    case 4: return rep('> ', n, '', 'quoted\n');
    default: return rep('**Label:** v' + ' '.repeat(rng.size(200)) + '\n', n);
  }
}

const REFLECTION_LABELS = ['Prompts', 'Request', 'Guidance received', 'Followed', 'Outcome', 'Accomplishments', 'Friction points', 'Root cause', 'Proposed changes', 'Next step', 'Next steps', 'User tone', 'Bogus', 'outcome', 'OUTCOME', ''];
const REFLECTION_VALUES = ['success', 'Success', 'PARTIAL', '`partial`', '**failure**', 'success.', 'done', '', ' ', 'partial - tests red', 'none', 'N/A', 'Yes', 'No', 'Partial', 'maybe', 'fieldkit-7d30a5e2', 'aops-91c3f5a8', '[', '**', 'İ'];
const REFLECTION_FORMS = ['**L**: V', '**L:** V', '**L** : V', '**L**:V', '- **L**: V', '* **L**: V', '> **L**: V', '__L__: V', '*L*: V', 'L: V', '**L**:', '  **L**: V', '**L**\u2028: V', '1. **L**: V', '**L** (if not success): V'];

/** A form with its placeholders `L` (label) and `V` (value) filled in at once. */
const fill = (form: string, label: string, value: string) => form.replace(/[LV]/g, (m) => (m === 'L' ? label : value));
const REFLECTION_HEADINGS = ['## Framework Reflection', '### Framework Reflection', '**Framework Reflection**', 'Framework Reflection', '# Framework Reflection', '## Framework Reflection:', '> ## Framework Reflection', '- ## Framework Reflection', '## framework reflection', '##Framework Reflection', '#### Framework Reflection'];

function reflectionBlock(rng: Rng): Snippet {
  const lines = [rng.pick(REFLECTION_HEADINGS) + (rng.chance(0.1) ? ' '.repeat(rng.size(500)) : ''), ''];
  const count = rng.int(0, 12);
  for (let i = 0; i < count; i++) {
    const label = rng.pick(REFLECTION_LABELS);
    const value = rng.pick(REFLECTION_VALUES);
    lines.push(fill(rng.pick(REFLECTION_FORMS), label, value));
  }
  if (rng.chance(0.2)) lines.push('Answered user\'s question: "what is it?"');
  if (rng.chance(0.15)) lines.push('', rng.pick(['Work COMPLETE: x', 'Next: `/pull fieldkit-7d30a5e2` to resume.']));
  return { text: lines.join('\n'), label: `reflection block (${count} labels)` };
}

function snippet(rng: Rng): Snippet {
  switch (rng.int(0, 9)) {
    case 0:
    case 1: return lit(rng.pick(CONTAINER_HEADINGS));
    case 2:
    case 3: return lit(rng.pick(LABELS));
    case 4: return rng.chance(0.3)
      // A run inside the bold of a label, where the label's own text is long.
      ? cat(lit(rng.pick(['**Outcome', '**Request', '**Root cause', '**Label'])), rep(rng.pick([' \t', ' ', '(', ' (', ':']), bigCount(rng, 20_000)), lit(rng.pick(['**: success', ':** x', '**:', '**'])))
      : cat(lit(rng.pick(['# Title', '## Summary', '**Label:** v', '**Outcome**: ', '## Framework Reflection'])), runOf(rng));
    case 5: return deepSnippet(rng);
    case 6: return repeatedBlocks(rng);
    case 7: return reflectionBlock(rng);
    case 8: return lit(rng.pick(ODD_TEXT));
    default: return cat(lit(rng.pick(CONTAINER_HEADINGS)), lit(rng.pick(ODD_TEXT)), lit(rng.pick(LABELS)));
  }
}

// ---------------------------------------------------------------------------
// YAML damage.

const YAML_VALUES = [
  '[a, b', '"abc', "'abc", '{a: 1', '*x', '&x v', '!!binary AAAA', '!!js/function "f"', '!custom y', '[Success]', '{a: b}', '12', 'null',
  '~', '1e400', '-0', '0x10', '.nan', '.inf', '2024-13-45T99:99:99Z', '2025-02-30', '|', '>-', '"\\x"', '"\\uD800"', 'a: b', '- a', '',
  'Task 1.1', 'Stage 99', 'Agent_Backend_Session_99', 'true', 'yes', "''", '`code`', '@at', '% pct', '#comment', 'a #b', '"a" trailing',
  '? x', '[]', '{}', '[[[]]]', 'Success', 'Failed', 'Partial', 'Blocked', 'NaN', 'undefined', '9007199254740993', '"\\"', '\t',
];

function yamlValue(rng: Rng): Snippet {
  const n = bigCount(rng, 2000);
  switch (rng.int(0, 7)) {
    case 0: return rep('[', n);
    case 1: return rep('{', n);
    case 2: return rep('x', n);
    case 3: return rep(' ', n, '"', '"');
    default: return lit(rng.pick(YAML_VALUES));
  }
}

function yamlLine(rng: Rng, keys: readonly string[]): Snippet {
  const key = keys.length > 0 && rng.chance(0.6) ? rng.pick(keys) : rng.pick(['key', 'status', 'task_id', 'agent_id', 'handoff_number', 'tags', 'title', 'id']);
  const n = bigCount(rng, 2500);
  switch (rng.int(0, 19)) {
    case 0: return rep('- ', n, '', 'x');
    case 1: return { text: Array.from({ length: Math.min(n, 600) }, (_, i) => `${'  '.repeat(i)}a:`).join('\n') + ' x', label: `nested mapping × ${Math.min(n, 600)}` };
    case 2: return lit('base: &b {task_id: Task 1.1, status: Success}\n<<: *b');
    case 3: return lit(rng.pick(['<<: *b', '<<: [*b, *c]', '<<: *missing', 'alias: *b', '*b: x', '&a &b x: y', '<<: 1', '<<: [1, 2]']));
    case 4: {
      const levels = rng.int(2, 7);
      const rows = ['l0: &l0 [x, x, x, x, x, x, x, x, x]'];
      for (let i = 1; i < levels; i++) rows.push(`l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(', ')}]`);
      return { text: rows.join('\n'), label: `alias expansion, ${levels} levels of 9` };
    }
    case 5: return lit(rng.pick(['__proto__: {polluted: yes}', 'constructor: x', 'toString: 1', 'hasOwnProperty: 1', 'valueOf: x', '__proto__: null', 'prototype: {}']));
    case 6: return lit(rng.pick(['? complex\n: key', '[a, b]: c', '{a: 1}: c', '%YAML 1.2', '---', '...', '\tkey: tab', 'key:\tvalue', ': no key', '"key": v', "'key': v", 'key: value: other', '- item', '!!map {a: 1}: b']));
    case 7: return { text: Array.from({ length: n }, (_, i) => `k${i}: v${i}`).join('\n'), label: `${n} distinct keys` };
    case 8: return rep('a', n, '', ': x');
    case 9: return { text: `${key}: 1\n${key}: 2`, label: `duplicate key ${key}` };
    default: return cat(lit(`${key}: `), yamlValue(rng));
  }
}

/** The frontmatter as this module finds it: offsets of the content and of the closing fence line. */
function frontmatterSpan(text: string): { contentStart: number; closeStart: number; closeEnd: number } | null {
  const first = /^---[ \t]*(\r\n|\r|\n)/.exec(text);
  if (!first) return null;
  const close = /(^|\r\n|\r|\n)(---|\.\.\.)[ \t]*(?=\r\n|\r|\n|$)/g;
  close.lastIndex = first[0].length - first[1]!.length;
  const m = close.exec(text);
  if (!m) return { contentStart: first[0].length, closeStart: -1, closeEnd: -1 };
  const start = m.index + m[1]!.length;
  return { contentStart: first[0].length, closeStart: start, closeEnd: start + m[0].length - m[1]!.length };
}

function yamlDamage(text: string, rng: Rng): { text: string; label: string } {
  const fm = frontmatterSpan(text);
  if (!fm) {
    const body = yamlLine(rng, []);
    const closed = rng.chance(0.8);
    return { text: `---\n${body.text}\n${closed ? '---\n' : ''}${text}`, label: `prepend frontmatter ${body.label}${closed ? '' : ' (unclosed)'}` };
  }
  const end = fm.closeStart === -1 ? text.length : fm.closeStart;
  const content = text.slice(fm.contentStart, end);
  const lines = content.split(/(?<=\n)/);
  const keys = lines.map((l) => /^([A-Za-z_][\w-]*):/.exec(l)?.[1]).filter((k): k is string => Boolean(k));
  const at = rng.int(0, lines.length);
  switch (rng.int(0, 7)) {
    case 0:
    case 1: {
      const line = yamlLine(rng, keys);
      lines.splice(at, 0, line.text + '\n');
      return { text: text.slice(0, fm.contentStart) + lines.join('') + text.slice(end), label: `insert ${line.label} at frontmatter line ${at + 2}` };
    }
    case 2:
    case 3: {
      const i = lines.findIndex((l, k) => k >= at && /^[\w-]+:/.test(l));
      const target = i === -1 ? lines.findIndex((l) => /^[\w-]+:/.test(l)) : i;
      if (target === -1) return yamlDamage(text.slice(fm.contentStart), rng);
      const value = yamlValue(rng);
      const eol = /\r?\n?$/.exec(lines[target]!)![0];
      lines[target] = lines[target]!.replace(/^([\w-]+:).*?(\r?\n?)$/s, `$1 ${value.text.replace(/\$/g, '$$$$')}`) + eol;
      return { text: text.slice(0, fm.contentStart) + lines.join('') + text.slice(end), label: `value of frontmatter line ${target + 2} := ${value.label}` };
    }
    case 4:
      if (fm.closeStart === -1) return { text: text.slice(0, fm.contentStart), label: 'unclosed frontmatter, body dropped' };
      return { text: text.slice(0, fm.closeStart) + text.slice(fm.closeEnd), label: 'remove the closing fence' };
    case 5: {
      const blob = rng.chance(0.5) ? rep('- ', bigCount(rng, 2500), '', 'x\n') : rep('[', bigCount(rng, 1000), 'key: ', '\n');
      return { text: text.slice(0, fm.contentStart) + blob.text + text.slice(end), label: `frontmatter := ${blob.label}` };
    }
    case 6: {
      const fence = rng.pick(['--- ', '----', '---\t', '+++', '-- -', '---x', ' ---', '---\u2028']);
      const open = /^---[ \t]*/.exec(text)![0];
      return rng.chance(0.5) || fm.closeStart === -1
        ? { text: fence + text.slice(open.length), label: `opening fence := ${JSON.stringify(fence)}` }
        : { text: text.slice(0, fm.closeStart) + fence + text.slice(fm.closeStart + 3), label: `closing fence := ${JSON.stringify(fence)}` };
    }
    default: {
      const i = rng.int(0, Math.max(0, lines.length - 1));
      const indent = rng.pick(['\t', '  ', ' ', '    \t', ' '.repeat(rng.size(5000))]);
      lines[i] = indent + (lines[i] ?? '');
      return { text: text.slice(0, fm.contentStart) + lines.join('') + text.slice(end), label: `indent frontmatter line ${i + 2} by ${JSON.stringify(indent.length > 20 ? `${indent.length} spaces` : indent)}` };
    }
  }
}

// ---------------------------------------------------------------------------
// Near misses: values a fix should put right, written in every YAML style the fix must survive.

const NEAR_MISSES = [
  'Sucess', 'success', 'SUCCESS', 'Completed', 'done', 'Done', 'in progress', 'In-Progress', 'inprogress', 'blocked', 'Blocked',
  'review', 'Partial', 'partial', 'failed', 'Failed', 'Failure', 'null', 'Null', 'none', '~', 'Execution', 'execution', 'validation',
  'Agent_Backend_Session_9', 'Agent_Frontend_Session_1', 'Manager_Session_3', 'open', 'active', 'todo', 'waiting',
];

function nearMiss(value: string, rng: Rng): string {
  const v = value.replace(/^["']|["']$/g, '');
  switch (rng.int(0, 6)) {
    case 0: return v.toLowerCase();
    case 1: return v.toUpperCase();
    case 2: return v.length > 1 ? v.slice(0, rng.int(1, v.length - 1)) + v.slice(rng.int(1, v.length - 1) + 1) : v + v; // a typo: one character dropped
    case 3: return v.replace(/\d+/, (d) => String(Number(d) + rng.int(1, 3)));
    case 4: return v.length > 2 ? v.slice(0, 1) + v.slice(2, 3) + v.slice(1, 2) + v.slice(3) : v; // two swapped
    default: return rng.pick(NEAR_MISSES);
  }
}

/** ` v` in one YAML style (the leading space included, as it follows the colon). */
function yamlStyle(v: string, rng: Rng): Snippet {
  const styles: [string, string][] = [
    [` ${v}`, 'plain'], [` "${v}"`, 'double-quoted'], [` '${v}'`, 'single-quoted'], [` |\n  ${v}`, 'literal block'], [` >-\n  ${v}`, 'folded block'],
    [` &anchor ${v}`, 'anchored'], [` !!str ${v}`, 'tagged'], [` ${v} # comment`, 'with a comment'], [` ${v}   `, 'trailing spaces'],
    [` "${v}" # c`, 'quoted with a comment'], [` ${v}\n  continued`, 'multi-line plain'], [`\n  ${v}`, 'on the next line'], [` [${v}]`, 'in a flow sequence'],
    [` {x: ${v}}`, 'in a flow mapping'], [`\t${v}`, 'after a tab'], [` ${v}\r`, 'with a CR'], [` "${v}\\t"`, 'escaped tab'], [` '${v}''s'`, 'quote escaped'],
  ];
  const [text, style] = rng.pick(styles);
  return { text, label: `${JSON.stringify(v)} ${style}` };
}

// ---------------------------------------------------------------------------
// Text and byte mutations.

type TextOp = { name: string; weight: number; apply: (text: string, rng: Rng) => { text: string; label: string } };

/** Offsets where lines start (LF, CRLF, CR and U+2028 all count here: a place to insert at). */
function lineStartOffsets(text: string): number[] {
  const out = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 0x2028 || (c === 13 && text.charCodeAt(i + 1) !== 10)) out.push(i + 1);
  }
  return out;
}

function splitLines(text: string): string[] {
  return text.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? [];
}

const lineEndOf = (text: string) => (text.includes('\r\n') ? '\r\n' : text.includes('\n') ? '\n' : text.includes('\r') ? '\r' : '\n');

const TEXT_OPS: TextOp[] = [
  { name: 'line-ends', weight: 3, apply: (text, rng) => {
    const kind = rng.pick(['crlf', 'cr', 'mixed', 'u2028', 'u2028-some', 'lf', 'no-final', 'extra-cr']);
    switch (kind) {
      case 'crlf': return { text: text.replace(/\r?\n/g, '\r\n'), label: 'all CRLF' };
      case 'cr': return { text: text.replace(/\r?\n/g, '\r'), label: 'all CR' };
      case 'mixed': return { text: text.replace(/\r?\n/g, () => rng.pick(['\n', '\r\n', '\r'])), label: 'mixed LF/CRLF/CR' };
      case 'u2028': return { text: text.replace(/\r?\n/g, '\u2028'), label: 'every line end U+2028' };
      case 'u2028-some': return { text: text.replace(/\r?\n/g, (m) => (rng.chance(0.2) ? '\u2028' : m)), label: 'some line ends U+2028' };
      case 'lf': return { text: text.replace(/\r\n?/g, '\n'), label: 'all LF' };
      case 'no-final': return { text: text.replace(/(\r\n|\r|\n)+$/, ''), label: 'no final line end' };
      default: return { text: text.replace(/\n/g, (m) => (rng.chance(0.3) ? '\r\r\n' : m)), label: 'some CR CR LF' };
    }
  } },
  { name: 'truncate', weight: 2, apply: (text, rng) => {
    const at = rng.int(0, text.length);
    return { text: text.slice(0, at), label: `at ${at} of ${text.length}` };
  } },
  { name: 'insert-line', weight: 6, apply: (text, rng) => {
    const starts = lineStartOffsets(text);
    const at = rng.pick(starts);
    const s = snippet(rng);
    const eol = rng.chance(0.8) ? lineEndOf(text) : rng.pick(['\r', '\u2028', '\r\n', '']);
    return { text: text.slice(0, at) + s.text + eol + text.slice(at), label: `${s.label} at line ${starts.indexOf(at) + 1}` };
  } },
  { name: 'insert-inline', weight: 3, apply: (text, rng) => {
    const at = rng.int(0, text.length);
    const s = rng.chance(0.5) ? lit(rng.pick(ODD_TEXT)) : snippet(rng);
    return { text: text.slice(0, at) + s.text + text.slice(at), label: `${s.label} at offset ${at}` };
  } },
  { name: 'replace-line', weight: 2, apply: (text, rng) => {
    const lines = splitLines(text);
    if (lines.length === 0) return { text: snippet(rng).text, label: 'empty file' };
    const i = rng.int(0, lines.length - 1);
    const s = snippet(rng);
    lines[i] = s.text + /(\r\n|\r|\n)?$/.exec(lines[i]!)![0];
    return { text: lines.join(''), label: `line ${i + 1} := ${s.label}` };
  } },
  { name: 'yaml', weight: 4, apply: yamlDamage },
  { name: 'yaml-near-miss', weight: 3, apply: (text, rng) => {
    const fm = frontmatterSpan(text);
    if (!fm) return yamlDamage(text, rng);
    const end = fm.closeStart === -1 ? text.length : fm.closeStart;
    const lines = text.slice(fm.contentStart, end).split(/(?<=\n)/);
    const keyed = lines.map((l, i) => (/^[\w-]+:/.test(l) ? i : -1)).filter((i) => i >= 0);
    if (keyed.length === 0) return yamlDamage(text, rng);
    const i = rng.pick(keyed);
    const m = /^([\w-]+):[ \t]*(.*?)(\r?\n)?$/s.exec(lines[i]!)!;
    const value = nearMiss(m[2]!, rng);
    const styled = yamlStyle(value, rng);
    const eol = m[3] ?? '';
    const key = m[1]!;
    // The key in another form now and then: quoted, explicit, or merged in from an anchored mapping.
    const forms: [string, string][] = [
      [`${key}:${styled.text}`, 'plain key'], [`"${key}":${styled.text}`, 'double-quoted key'], [`'${key}':${styled.text}`, 'single-quoted key'],
      [`? ${key}\n:${styled.text}`, 'explicit key'], [`_base: &base\n  ${key}:${styled.text.replace(/\n/g, '\n  ')}\n<<: *base`, 'merged from an anchor'],
      [`${key}:${styled.text}\n${key}: ${m[2]}`, 'then the old value again (duplicate key)'],
    ];
    const [line, form] = rng.chance(0.7) ? forms[0]! : rng.pick(forms);
    lines[i] = line + eol;
    return { text: text.slice(0, fm.contentStart) + lines.join('') + text.slice(end), label: `${key}: ${JSON.stringify(m[2])} → ${styled.label}, ${form}` };
  } },
  { name: 'heading', weight: 3, apply: (text, rng) => {
    const lines = splitLines(text);
    const headings = lines.map((l, i) => (/^#{1,6}(\s|$)/.test(l) ? i : -1)).filter((i) => i >= 0);
    if (headings.length === 0) return { text: '# ' + text, label: 'prefix "# "' };
    const i = rng.pick(headings);
    const line = lines[i]!;
    const eol = /(\r\n|\r|\n)?$/.exec(line)![0];
    const body = line.slice(0, line.length - eol.length);
    const hashes = /^#+/.exec(body)![0];
    const rest = body.slice(hashes.length);
    const variant = rng.int(0, 9);
    const out = [
      '#'.repeat(rng.int(0, 8)) + rest,
      hashes + rest.trimStart(),
      body + ' ' + '#'.repeat(rng.int(1, 9)),
      rng.pick(['> ', '- ', '1. ', '* ', '>> ', '- > ', '1) ']) + body,
      rng.pick(['   ', '    ', '\t', ' ']) + body,
      body + '\u2028b',
      body + runOf(rng).text,
      body.toUpperCase(),
      hashes + rest.replace(/ /g, '\t'),
      body + rng.pick(ODD_TEXT),
    ][variant]!;
    return { text: lines.slice(0, i).join('') + out + eol + lines.slice(i + 1).join(''), label: `heading line ${i + 1} variant ${variant}: ${JSON.stringify(out.length > 80 ? out.slice(0, 80) + '…' : out)}` };
  } },
  { name: 'label', weight: 4, apply: (text, rng) => {
    const lines = splitLines(text);
    const labelled = lines.map((l, i) => (/\*\*[^*\r\n]+\*\*/.test(l) ? i : -1)).filter((i) => i >= 0);
    if (labelled.length === 0) return { text: text + '\n' + rng.pick(LABELS) + '\n', label: 'append a label' };
    const i = rng.pick(labelled);
    const line = lines[i]!;
    const eol = /(\r\n|\r|\n)?$/.exec(line)![0];
    const body = line.slice(0, line.length - eol.length);
    const m = /^(\s*(?:[-*>]\s+|\d+\.\s+)?)\*\*([^*]+?)(:?)\*\*(:?)[ \t]*(.*)$/.exec(body);
    const prefix = m?.[1] ?? '';
    const label = m?.[2] ?? 'Label';
    const value = m?.[5] ?? body;
    const inner = rng.pick([' \t', '(', ' (', ':', ' :', '*']).repeat(rng.size(3000));
    const forms = ['**L**: V', '**L:** V', '**L** : V', '**L**:V', '- **L**: V', '> **L**: V', '__L__: V', '*L*: V', 'L: V', '**L**:', '**L**: V' + ' '.repeat(rng.size(3000)), '**L:**' + '\t'.repeat(rng.size(3000)) + 'V', '**L**\u2028: V', `**L${inner}**: V`, `**L${inner}:** V`];
    const values = [value, value.toUpperCase(), value.charAt(0).toUpperCase() + value.slice(1), `\`${value}\``, `**${value}**`, '', value + '.', value.replace(/\d+/g, (d) => String(Number(d) + 1)), value + rng.pick(ODD_TEXT)];
    const labels = [label, label.toUpperCase(), label.toLowerCase(), label + 'İ', label.replace(/ /g, '  ')];
    const form = rng.pick(forms);
    const out = prefix + fill(form, rng.pick(labels), rng.pick(values));
    return { text: lines.slice(0, i).join('') + out + eol + lines.slice(i + 1).join(''), label: `label line ${i + 1} := ${JSON.stringify(out.length > 80 ? out.slice(0, 80) + '…' : out)}` };
  } },
  { name: 'digits', weight: 2, apply: (text, rng) => {
    const runs = [...text.matchAll(/\d+/g)];
    if (runs.length === 0) return { text: text + ' 1', label: 'append a digit' };
    const m = rng.pick(runs);
    const to = rng.pick(['0', '1', '2', '3', '9', '10', '99', '007', '4294967296', '99999999999999999999', '-1', '1.5', '١', '1e3']);
    return { text: text.slice(0, m.index) + to + text.slice(m.index! + m[0].length), label: `${m[0]} → ${to} at ${m.index}` };
  } },
  { name: 'lines', weight: 2, apply: (text, rng) => {
    const lines = splitLines(text);
    if (lines.length < 2) return { text: text + text, label: 'doubled' };
    const a = rng.int(0, lines.length - 1);
    const b = Math.min(lines.length, a + rng.size(20));
    switch (rng.int(0, 2)) {
      case 0: return { text: [...lines.slice(0, b), ...lines.slice(a, b), ...lines.slice(b)].join(''), label: `duplicate lines ${a + 1}–${b}` };
      case 1: return { text: [...lines.slice(0, a), ...lines.slice(b)].join(''), label: `delete lines ${a + 1}–${b}` };
      default: {
        const c = rng.int(0, lines.length - 1);
        [lines[a], lines[c]] = [lines[c]!, lines[a]!];
        return { text: lines.join(''), label: `swap lines ${a + 1} and ${c + 1}` };
      }
    }
  } },
  { name: 'run', weight: 2, apply: (text, rng) => {
    const lines = splitLines(text);
    const r = runOf(rng);
    if (lines.length === 0 || rng.chance(0.3)) {
      const at = rng.int(0, text.length);
      return { text: text.slice(0, at) + r.text + text.slice(at), label: `${r.label} at offset ${at}` };
    }
    const i = rng.int(0, lines.length - 1);
    lines[i] = lines[i]!.replace(/(\r\n|\r|\n)?$/, (eol) => r.text + eol);
    return { text: lines.join(''), label: `${r.label} at the end of line ${i + 1}` };
  } },
  { name: 'whole', weight: 1, apply: (text, rng) => {
    switch (rng.int(0, 4)) {
      case 0: return { text: '', label: 'empty file' };
      case 1: return { text: ' \n\t\n', label: 'whitespace only' };
      case 2: return { text: '\ufeff' + text, label: 'BOM (U+FEFF) prefix' };
      case 3: return { text: text + text, label: 'file twice' };
      default: return { text: reflectionBlock(rng).text, label: 'just a reflection block' };
    }
  } },
];

type ByteOp = { name: string; apply: (bytes: Uint8Array, rng: Rng) => { bytes: Uint8Array; label: string } };

const INVALID_SEQUENCES = [[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80], [0x80], [0xef, 0xbb, 0xbf], [0x00], [0xc2]];

const BYTE_OPS: ByteOp[] = [
  { name: 'flip', apply: (bytes, rng) => {
    const out = Uint8Array.from(bytes);
    const flips: string[] = [];
    const n = out.length === 0 ? 0 : rng.int(1, 8);
    for (let k = 0; k < n; k++) {
      const i = rng.int(0, out.length - 1);
      const bit = 1 << rng.int(0, 7);
      out[i]! ^= bit;
      flips.push(`${i}^${bit}`);
    }
    return { bytes: out, label: `bits ${flips.join(', ') || '(empty file)'}` };
  } },
  { name: 'truncate-bytes', apply: (bytes, rng) => {
    const at = rng.int(0, bytes.length);
    return { bytes: bytes.slice(0, at), label: `at byte ${at} of ${bytes.length}` };
  } },
  { name: 'invalid-utf8', apply: (bytes, rng) => {
    const seq = rng.pick(INVALID_SEQUENCES);
    const at = rng.int(0, bytes.length);
    const out = new Uint8Array(bytes.length + seq.length);
    out.set(bytes.subarray(0, at), 0);
    out.set(seq, at);
    out.set(bytes.subarray(at), at + seq.length);
    return { bytes: out, label: `${seq.map((b) => b.toString(16).padStart(2, '0')).join(' ')} at byte ${at}` };
  } },
  { name: 'bom-bytes', apply: (bytes, rng) => {
    const n = rng.int(1, 2);
    const out = new Uint8Array(bytes.length + 3 * n);
    for (let k = 0; k < n; k++) out.set([0xef, 0xbb, 0xbf], 3 * k);
    out.set(bytes, 3 * n);
    return { bytes: out, label: `${n} BOM${n > 1 ? 's' : ''}` };
  } },
];

function pickWeighted<T extends { weight: number }>(rng: Rng, items: readonly T[]): T {
  const total = items.reduce((n, i) => n + i.weight, 0);
  let at = rng.float() * total;
  for (const item of items) {
    at -= item.weight;
    if (at < 0) return item;
  }
  return items[items.length - 1]!;
}

// ---------------------------------------------------------------------------
// Cases.

export interface FuzzCase {
  /** `<seed>:<index>`; `node scripts/fuzz.js --seed <seed> --case <index>` replays it. */
  id: string;
  seed: number;
  index: number;
  tree: string;
  /** The file the case writes (a new file when `added`). */
  relPath: string;
  /** The example file it started from. */
  basePath: string;
  added: boolean;
  mutations: string[];
  content: string | Uint8Array;
  /** The reflection profile and forced dialect, when the case varies them (else the tree's own). */
  settings: CaseSettings;
}

export interface CaseSettings {
  profile?: string;
  dialect?: DialectId;
}

/** A sibling path for a mutated copy added to the tree (a second handoff numbered alike, a new note). */
function siblingPath(relPath: string, rng: Rng): string {
  if (/\d/.test(relPath) && rng.chance(0.7)) return relPath.replace(/(\d+)(?!.*\d)/, (d) => String(Number(d) + rng.int(1, 3)));
  return relPath.replace(/\.md$/i, `-fuzz${rng.int(1, 9)}.md`);
}

export function makeCase(trees: readonly Tree[], seed: number, index: number): FuzzCase {
  const rng = caseRng(seed, index);
  const tree = rng.pick(trees);
  const basePath = rng.pick(tree.markdown);
  let text = tree.files.find((f) => f.relPath === basePath)!.text;
  const mutations: string[] = [];
  const count = rng.pick([1, 1, 2, 2, 3, 4]);
  for (let k = 0; k < count; k++) {
    const op = pickWeighted(rng, TEXT_OPS);
    const out = op.apply(text, rng);
    text = out.text;
    mutations.push(`${op.name}: ${out.label}`);
  }
  let content: string | Uint8Array = text;
  if (rng.chance(0.15)) {
    const op = rng.pick(BYTE_OPS);
    const out = op.apply(new Uint8Array(Buffer.from(text, 'utf8')), rng);
    content = out.bytes;
    mutations.push(`${op.name}: ${out.label}`);
  }
  const added = rng.chance(0.08);
  const relPath = added ? siblingPath(basePath, rng) : basePath;
  const settings: CaseSettings = {};
  if (rng.chance(0.25)) settings.profile = rng.pick(['2', '1b', '3', '5']);
  if (rng.chance(0.08)) settings.dialect = rng.pick(dialectIds);
  return { id: `${seed}:${index}`, seed, index, tree: tree.name, relPath, basePath, added: added && relPath !== basePath, mutations, content, settings };
}

// ---------------------------------------------------------------------------
// The oracle: lines and columns as an editor counts them, written independently of core.

export type LineEnd = 'LF' | 'CRLF' | 'CR';

export class EditorLines {
  readonly text: string;
  /** Offset where each line starts. */
  readonly starts: number[] = [0];
  /** Offset just past each line's last character (before its line end). */
  readonly ends: number[] = [];
  readonly lineEnds = new Set<LineEnd>();

  constructor(text: string) {
    this.text = text;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      this.ends.push(i);
      if (c === 13 && text.charCodeAt(i + 1) === 10) {
        this.lineEnds.add('CRLF');
        i += 1;
      } else this.lineEnds.add(c === 13 ? 'CR' : 'LF');
      this.starts.push(i + 1);
    }
    this.ends.push(text.length);
  }

  get count(): number {
    return this.starts.length;
  }

  /** Length of a 1-based line in UTF-16 code units, line end excluded. */
  length(line: number): number {
    return this.ends[line - 1]! - this.starts[line - 1]!;
  }

  /** The 1-based line and column of an offset (`inLineEnd`: between the CR and LF of a CRLF). */
  locate(offset: number): { line: number; column: number; inLineEnd: boolean } {
    // The first line starting after the offset, minus one (bisection over the line starts).
    let first = 0;
    let count = this.starts.length;
    while (count > 0) {
      const half = count >>> 1;
      if (this.starts[first + half]! <= offset) {
        first += half + 1;
        count -= half + 1;
      } else count = half;
    }
    const index = Math.max(0, first - 1);
    return { line: index + 1, column: offset - this.starts[index]! + 1, inLineEnd: offset > this.ends[index]! };
  }
}

/** The text core positions refer to: UTF-8 decoded (invalid bytes as U+FFFD), a leading BOM dropped. */
export function referenceText(content: string | Uint8Array): string {
  const text = typeof content === 'string' ? content : new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(content);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

// ---------------------------------------------------------------------------
// Checks.

export type FailureKind = 'crash' | 'position' | 'message' | 'fix-not-idempotent' | 'fix-line-ends' | 'slow';

export const FAILURE_KINDS: { kind: FailureKind; title: string }[] = [
  { kind: 'crash', title: 'crashes' },
  { kind: 'position', title: 'positions out of range' },
  { kind: 'message', title: 'bad messages' },
  { kind: 'fix-not-idempotent', title: 'non-idempotent fixes' },
  { kind: 'fix-line-ends', title: 'fixes adding line ends' },
  { kind: 'slow', title: 'slow cases' },
];

export interface Failure {
  kind: FailureKind;
  /** Which property: `column-out-of-line`, `TypeError`, `timeout`, … */
  check: string;
  ruleId?: string;
  /** Where in the pipeline: load, lint, fix, relint-load, relint, refix. */
  stage?: string;
  detail: string;
  /** The first stack frame in packages/core, and the first frame at all. */
  frame?: string;
  top?: string;
  /** The head of the stack (crashes only). */
  stack?: string;
}

export interface CheckOutcome {
  failures: Failure[];
  ms: number;
  stageMs: Record<string, number>;
  diagnostics: number;
  fixed: boolean;
}

export interface CaseResult extends CheckOutcome {
  id: string;
  seed: number;
  index: number;
  tree: string;
  relPath: string;
  mutations: string[];
  settings: CaseSettings;
  size: number;
}

const KNOWN_RULES = new Set(allRules.map((r) => r.meta.id));
const BAD_TOKENS = ['[object Object]', 'NaN', 'undefined'];

function frames(stack: string | undefined): { frame?: string; top?: string } {
  const out: { frame?: string; top?: string } = {};
  for (const raw of (stack ?? '').split('\n')) {
    const line = raw.trim();
    if (!line.startsWith('at ')) continue;
    const m = /^at (?:(.*?) \()?(?:file:\/\/)?(.+?):(\d+):(\d+)\)?$/.exec(line);
    if (!m) continue;
    const file = m[2]!.startsWith(repoRoot) ? path.relative(repoRoot, m[2]!) : m[2]!;
    const where = `${file}:${m[3]}${m[1] ? ` (${m[1]})` : ''}`;
    out.top ??= where;
    if (file.startsWith('packages/core/src/')) {
      out.frame = where;
      break;
    }
  }
  return out;
}

function crashFailure(stage: string, error: unknown): Failure {
  const e = error instanceof Error ? error : new Error(`non-Error thrown: ${String(error)}`);
  const stack = (e.stack ?? '').split('\n').slice(0, 25).join('\n');
  return { kind: 'crash', check: e.name || 'Error', stage, detail: `${e.name}: ${String(e.message).slice(0, 300)}`, ...frames(e.stack), stack };
}

const short = (s: string, n = 120) => (s.length > n ? `${s.slice(0, n)}…` : s);

function checkPoint(p: Point | undefined, lines: EditorLines, which: string): { check: string; detail: string } | null {
  if (!p || typeof p !== 'object') return { check: 'missing-point', detail: `${which}: no point` };
  const { line, column, offset } = p;
  if (![line, column, offset].every(Number.isInteger)) return { check: 'not-integer', detail: `${which} ${line}:${column}@${offset}: not integers` };
  const where = `${which} ${line}:${column}@${offset}`;
  if (offset < 0 || offset > lines.text.length) return { check: 'offset-out-of-text', detail: `${where}: the text has ${lines.text.length} characters` };
  if (line < 1 || line > lines.count) return { check: 'line-out-of-file', detail: `${where}: the file has ${lines.count} lines` };
  if (column < 1 || column > lines.length(line) + 1) return { check: 'column-out-of-line', detail: `${where}: line ${line} has ${lines.length(line)} characters (columns 1–${lines.length(line) + 1})` };
  const at = lines.locate(offset);
  if (at.inLineEnd) return { check: 'offset-inside-crlf', detail: `${where}: offset ${offset} is between the CR and LF ending line ${at.line}` };
  if (at.line !== line || at.column !== column) return { check: 'offset-line-column-mismatch', detail: `${where}: offset ${offset} is ${at.line}:${at.column}` };
  return null;
}

/** Everything wrong with one diagnostic, against its file's text as an editor sees it. */
export function checkDiagnostic(d: Diagnostic, lines: EditorLines, allowedTokens: ReadonlySet<string>, stage: string): Failure[] {
  const out: Failure[] = [];
  const ruleId = typeof d.ruleId === 'string' ? d.ruleId : String(d.ruleId);
  const message = typeof d.message === 'string' ? d.message : String(d.message);
  const quote = `"${short(message)}"`;
  const bad = (kind: FailureKind, check: string, detail: string) => out.push({ kind, check, ruleId, stage, detail });
  if (typeof d.ruleId !== 'string' || !KNOWN_RULES.has(d.ruleId)) bad('message', 'rule-id', `rule id ${JSON.stringify(d.ruleId)} is not a known rule`);
  if (d.severity !== 'error' && d.severity !== 'warning') bad('message', 'severity', `severity ${JSON.stringify(d.severity)}`);
  if (typeof d.message !== 'string' || d.message.trim() === '') bad('message', 'empty-message', `message ${JSON.stringify(d.message)}`);
  const texts: [string, unknown][] = [['message', d.message], ['note', d.note], ...(d.expected ?? []).map((e, i): [string, unknown] => [`expected[${i}]`, e])];
  for (const [field, value] of texts) {
    if (value === undefined && field === 'note') continue;
    if (typeof value !== 'string') {
      bad('message', `${field}-not-string`, `${field} is ${typeof value}`);
      continue;
    }
    for (const token of BAD_TOKENS) {
      if (value.includes(token) && !allowedTokens.has(token)) bad('message', `${field.replace(/\[\d+\]/, '')}-contains-${token.replace(/\W/g, '') || token}`, `${field}: "${short(value)}" contains ${token}`);
    }
  }
  const start = checkPoint(d.range?.start, lines, 'start');
  const end = checkPoint(d.range?.end, lines, 'end');
  for (const p of [start, end]) if (p) bad('position', p.check, `${p.detail} — ${quote}`);
  if (!start && !end) {
    const s = d.range.start;
    const e = d.range.end;
    if (s.offset > e.offset || s.line > e.line || (s.line === e.line && s.column > e.column)) {
      bad('position', 'start-after-end', `${s.line}:${s.column}@${s.offset} – ${e.line}:${e.column}@${e.offset} — ${quote}`);
    }
  }
  for (const edit of d.fix ?? []) {
    if (!Number.isInteger(edit.start) || !Number.isInteger(edit.end) || edit.start < 0 || edit.start > edit.end || edit.end > lines.text.length || typeof edit.text !== 'string') {
      bad('position', 'fix-edit-out-of-range', `edit [${edit.start}, ${edit.end}) of a ${lines.text.length}-character text — ${quote}`);
    }
  }
  return out;
}

function tokensIn(texts: readonly string[]): Set<string> {
  return new Set(BAD_TOKENS.filter((t) => texts.some((x) => x.includes(t))));
}

function virtualFiles(tree: Tree, relPath: string, content: string | Uint8Array, standalone: boolean): VirtualFile[] {
  const rest = tree.files.filter((f) => f.relPath !== relPath && (!standalone || !/\.md$/i.test(f.relPath)));
  const file: VirtualFile = typeof content === 'string' ? { relPath, text: content } : { relPath, bytes: content };
  return [...rest, file];
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Lints a tree with one file replaced (or added), checks every diagnostic, fixes that file,
 * re-lints and fixes again. `standalone`: the file alone (plus the tree's metadata.json).
 */
export function checkContent(tree: Tree, relPath: string, content: string | Uint8Array, options: { standalone?: boolean; slowMs?: number; settings?: CaseSettings } = {}): CheckOutcome {
  const failures: Failure[] = [];
  const stageMs: Record<string, number> = {};
  const t0 = performance.now();
  let last = t0;
  const lap = (stage: string) => {
    const now = performance.now();
    stageMs[stage] = (stageMs[stage] ?? 0) + (now - last);
    last = now;
  };
  const outcome = (fixed: boolean, diagnostics: number): CheckOutcome => {
    const ms = performance.now() - t0;
    if (options.slowMs !== undefined && ms > options.slowMs) {
      const [stage, worst] = Object.entries(stageMs).sort((a, b) => b[1] - a[1])[0] ?? ['load', ms];
      failures.push({ kind: 'slow', check: 'over-time-limit', stage, detail: `${Math.round(ms)} ms (limit ${options.slowMs} ms); ${stage} took ${Math.round(worst)} ms` });
    }
    return { failures, ms, stageMs, diagnostics, fixed };
  };
  const files = virtualFiles(tree, relPath, content, options.standalone ?? false);
  const texts = files.map((f) => (f.text !== undefined ? f.text : referenceText(f.bytes ?? new Uint8Array())));
  const allowed = tokensIn(texts);
  const loadOptions = { ...tree.options, ...(options.settings?.dialect ? { dialect: options.settings.dialect } : {}), dir: tree.dir };
  const config: LintConfig = options.settings?.profile ? { aops: { profile: options.settings.profile } } : {};

  /** Runs one stage of the pipeline; a throw is a crash of that stage, and the case stops there. */
  const attempt = <T>(stage: string, run: () => T): T | undefined => {
    try {
      const value = run();
      lap(stage);
      return value;
    } catch (error) {
      failures.push(crashFailure(stage, error));
      return undefined;
    }
  };

  const ws = attempt('load', () => loadVirtualRoot(files, loadOptions));
  const result = ws && attempt('lint', () => lintWorkspace(ws, config));
  if (!result) return outcome(false, 0);
  let target: MemoryDocument | undefined;
  let count = 0;
  const refText = referenceText(content);
  const refLines = new EditorLines(refText);
  for (const [doc, diagnostics] of result) {
    count += diagnostics.length;
    const isTarget = doc.relPath === relPath;
    if (isTarget) target = doc;
    const lines = isTarget ? refLines : new EditorLines(referenceText(files.find((f) => f.relPath === doc.relPath)?.text ?? doc.source.text));
    for (const d of diagnostics) failures.push(...checkDiagnostic(d, lines, allowed, 'lint'));
  }
  lap('check');
  if (!target) {
    failures.push({ kind: 'crash', check: 'document-missing', stage: 'lint', detail: `${relPath} is not among the linted documents` });
    return outcome(false, count);
  }
  // `--fix` as the CLI runs it: passes of lint + fix over the workspace until nothing changes.
  const doc = target;
  const run = attempt('fix', () => fixWorkspace(ws!, config, new Set([doc])));
  const first = run?.fixed.find((f) => f.original === doc);
  if (!first) return outcome(false, count);
  const fixedBytes = first.bytes;

  const fixedText = referenceText(fixedBytes);
  const fixedLines = new EditorLines(fixedText);
  const added = [...fixedLines.lineEnds].filter((k) => !refLines.lineEnds.has(k));
  if (added.length > 0 && (refLines.lineEnds.size > 0 || fixedLines.lineEnds.size > 1)) {
    const rules = [...new Set(first.applied.map((d) => d.ruleId))].sort();
    failures.push({
      kind: 'fix-line-ends', check: 'new-line-end-kind', ruleId: rules.join(','), stage: 'fix',
      detail: `line ends before: ${[...refLines.lineEnds].join('+') || 'none'}; after the fix: ${[...fixedLines.lineEnds].join('+')} (fixes by ${rules.join(', ')})`,
    });
  }
  const ws2 = attempt('relint-load', () => loadVirtualRoot(virtualFiles(tree, relPath, fixedBytes, options.standalone ?? false), loadOptions));
  const target2 = ws2?.documents.find((d) => d.relPath === relPath);
  const result2 = ws2 && target2 && attempt('relint', () => lintWorkspace(ws2, config, new Set([target2])));
  if (!result2 || !target2) return outcome(true, count);
  const diagnostics2 = result2.get(target2) ?? [];
  const allowed2 = tokensIn([...texts, fixedText]);
  for (const d of diagnostics2) failures.push(...checkDiagnostic(d, fixedLines, allowed2, 'relint'));
  const second = attempt('refix', () => applyFixes(target2, diagnostics2));
  if (!second) return outcome(true, count);
  if (second.bytes && !sameBytes(second.bytes, fixedBytes)) {
    const rules = [...new Set(second.applied.map((d) => d.ruleId))].sort();
    const d = second.applied[0]!;
    const edit = d.fix![0]!;
    failures.push({
      kind: 'fix-not-idempotent', check: 'second-fix-changes', ruleId: rules.join(','), stage: 'refix',
      detail: `after one --fix (${run!.passes} passes), ${second.applied.length} fix(es) still apply (${rules.join(', ')}); first: ${d.ruleId} at ${d.range.start.line}:${d.range.start.column} "${short(d.message)}" replaces ${JSON.stringify(short(fixedText.slice(edit.start, edit.end), 60))} with ${JSON.stringify(short(edit.text, 60))}`,
    });
  }
  return outcome(true, count);
}

export function runCase(trees: readonly Tree[], c: FuzzCase, slowMs: number): CaseResult {
  const tree = trees.find((t) => t.name === c.tree)!;
  const checked = checkContent(tree, c.relPath, c.content, { slowMs, settings: c.settings });
  // A crash whose stack was cut before reaching packages/core (a deep recursion in a library) runs
  // again with the whole stack kept. Only then: whole stacks make every Error costly, and libraries
  // create many (the YAML parser one per problem), which would distort the timings.
  if (checked.failures.some((f) => f.kind === 'crash' && !f.frame && f.stack)) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = Infinity;
    try {
      const again = checkContent(tree, c.relPath, c.content, { settings: c.settings }).failures;
      for (const f of checked.failures) {
        const full = again.find((g) => g.kind === 'crash' && g.stage === f.stage && g.check === f.check);
        if (f.kind === 'crash' && !f.frame && full?.frame) f.frame = full.frame;
      }
    } finally {
      Error.stackTraceLimit = limit;
    }
  }
  const size = typeof c.content === 'string' ? c.content.length : c.content.byteLength;
  return { id: c.id, seed: c.seed, index: c.index, tree: c.tree, relPath: c.relPath, mutations: c.mutations, settings: c.settings, size, ...checked };
}

/** What makes two failures the same finding (positions and values left out). */
export function signature(f: Failure): string {
  switch (f.kind) {
    case 'crash': return `crash | ${f.stage} | ${f.detail.replace(/\d+/g, 'N').slice(0, 140)} | ${f.frame ?? f.top ?? '?'}`;
    case 'slow': return `slow | ${f.stage}`;
    default: return `${f.kind} | ${f.check} | ${f.ruleId ?? '-'} | ${f.stage}`;
  }
}

// ---------------------------------------------------------------------------
// Shrinking: the smallest content (lines, then characters) that still fails the same way.

/** ddmin over the complement: drop chunks while the test still fails, finer and finer. */
function ddmin<T>(items: T[], fails: (items: T[]) => boolean, deadline: number): T[] {
  let n = 2;
  while (items.length >= 2 && performance.now() < deadline) {
    const chunk = Math.ceil(items.length / n);
    let reduced = false;
    for (let start = 0; start < items.length && performance.now() < deadline; start += chunk) {
      const candidate = [...items.slice(0, start), ...items.slice(start + chunk)];
      if (fails(candidate)) {
        items = candidate;
        n = Math.max(n - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (n >= items.length) break;
      n = Math.min(items.length, n * 2);
    }
  }
  return items;
}

export interface Shrunk {
  /** Minimal content, and whether it fails without the rest of the tree. */
  content: string | Uint8Array;
  standalone: boolean;
  relPath: string;
  tree: string;
  settings: CaseSettings;
  failure: Failure;
  evaluations: number;
}

export function shrinkCase(trees: readonly Tree[], c: FuzzCase, sig: string, budgetMs: number): Shrunk | null {
  if (sig.startsWith('slow')) return null;
  const tree = trees.find((t) => t.name === c.tree)!;
  const deadline = performance.now() + budgetMs;
  let evaluations = 0;
  let found: Failure | undefined;
  const failsWith = (content: string | Uint8Array, standalone: boolean) => {
    evaluations += 1;
    const f = checkContent(tree, c.relPath, content, { standalone, settings: c.settings }).failures.find((x) => signature(x) === sig);
    if (f) found = f;
    return Boolean(f);
  };
  const standalone = failsWith(c.content, true);
  if (!standalone && !failsWith(c.content, false)) return null;
  let content = c.content;
  if (typeof content === 'string') {
    let text = ddmin(splitLines(content), (ls) => failsWith(ls.join(''), standalone), deadline).join('');
    text = ddmin(text.split(''), (cs) => failsWith(cs.join(''), standalone), deadline).join('');
    content = text;
  } else {
    const bytes = content;
    const lines: number[][] = [];
    let cur: number[] = [];
    for (const b of bytes) {
      cur.push(b);
      if (b === 10) {
        lines.push(cur);
        cur = [];
      }
    }
    if (cur.length) lines.push(cur);
    const kept = ddmin(lines, (ls) => failsWith(Uint8Array.from(ls.flat()), standalone), deadline).flat();
    content = Uint8Array.from(ddmin(kept, (bs) => failsWith(Uint8Array.from(bs), standalone), deadline));
    // Bytes that are plain UTF-8 (no BOM) read better as text, when they fail the same way as text.
    const text = strictUtf8(content);
    if (text !== null && text.charCodeAt(0) !== 0xfeff && failsWith(text, standalone)) content = text;
  }
  failsWith(content, standalone); // the failure as the final content shows it
  return { content, standalone, relPath: c.relPath, tree: c.tree, settings: c.settings, failure: found!, evaluations };
}

function strictUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** A snippet that reproduces a shrunk case with core alone. */
export function reproSnippet(s: Shrunk, c: Pick<FuzzCase, 'seed' | 'index'>): string {
  const tree = TREE_SPECS.find((t) => t.name === s.tree)!;
  const file = typeof s.content === 'string'
    ? `{ relPath: ${JSON.stringify(s.relPath)}, text: ${JSON.stringify(s.content)} }`
    : `{ relPath: ${JSON.stringify(s.relPath)}, bytes: Buffer.from(${JSON.stringify(Buffer.from(s.content).toString('hex'))}, 'hex') }`;
  const dialect = s.settings.dialect ?? tree.options.dialect;
  const opts = dialect ? `, { dialect: ${JSON.stringify(dialect)} }` : '';
  const config = s.settings.profile ? `ws, { aops: { profile: ${JSON.stringify(s.settings.profile)} } }` : 'ws';
  const context = s.standalone
    ? (s.tree === 'aops' ? '' : `{ relPath: 'metadata.json', text: ${JSON.stringify(readMetadata(s.tree))} }, `)
    : `...filesOf(${JSON.stringify(tree.root)}) /* every other file of the example tree */, `;
  return [
    `// fuzz case ${c.seed}:${c.index} — replay: node scripts/fuzz.js --seed ${c.seed} --case ${c.index}`,
    `const ws = loadVirtualRoot([${context}${file}]${opts});`,
    `const result = lintWorkspace(${config}); // then applyFixes(doc, result.get(doc)), re-lint, applyFixes again`,
  ].join('\n');
}

/** Writes a case as a tree on disk (the example tree with the case's file), for the CLI: `pnpm memlint <dir>`. */
export function writeCaseTree(trees: readonly Tree[], c: FuzzCase, dir: string): string {
  const tree = trees.find((t) => t.name === c.tree)!;
  const spec = TREE_SPECS.find((t) => t.name === c.tree)!;
  const root = spec.root.endsWith('/.apm') ? path.join(dir, '.apm') : dir;
  for (const f of virtualFiles(tree, c.relPath, c.content, false)) {
    const file = path.join(root, ...f.relPath.split('/'));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, f.bytes ?? f.text ?? '');
  }
  return path.join(root, ...c.relPath.split('/'));
}

function readMetadata(treeName: string): string {
  const tree = TREE_SPECS.find((t) => t.name === treeName)!;
  try {
    return readFileSync(path.join(repoRoot, tree.root, 'metadata.json'), 'utf8').trim();
  } catch {
    return '';
  }
}

// ---------------------------------------------------------------------------
// Worker pool: cases run off the main thread, each under a hard timeout.

type Job =
  | { type: 'case'; seed: number; index: number; slowMs: number }
  | { type: 'shrink'; seed: number; index: number; signature: string; budgetMs: number }
  | { type: 'spin'; ms: number };

interface Slot {
  worker: Worker;
  job: { job: Job; resolve: (value: unknown) => void; timer: NodeJS.Timeout } | null;
}

export interface PoolOptions {
  workers: number;
  /** A case still running after this is terminated and reported as slow (`timeout`). */
  timeoutMs: number;
  /** A case slower than this fails as slow. */
  slowMs: number;
  /**
   * Per-thread stack (MB). Node keeps 192 KB of a worker's stack in reserve, so 1.17 gives V8 about
   * the main thread's default 984 KB: a recursion overflows here exactly when it overflows the CLI.
   */
  stackSizeMb?: number;
}

export class FuzzPool {
  private readonly options: PoolOptions;
  private readonly slots: Slot[] = [];
  private readonly queue: { job: Job; resolve: (value: unknown) => void }[] = [];
  restarts = 0;

  constructor(options: PoolOptions) {
    this.options = options;
    for (let i = 0; i < options.workers; i++) {
      const slot: Slot = { worker: this.spawn(), job: null };
      this.slots.push(slot);
      this.attach(slot);
    }
  }

  private spawn(): Worker {
    const worker = new Worker(new URL(import.meta.url), {
      workerData: { memlintFuzzWorker: true },
      resourceLimits: { maxOldGenerationSizeMb: 2048, stackSizeMb: this.options.stackSizeMb ?? 1.17 },
      stdout: false,
      stderr: false,
    });
    worker.unref();
    return worker;
  }

  private attach(slot: Slot): void {
    const { worker } = slot;
    const settle = (value: unknown) => {
      const current = slot.job;
      if (!current || slot.worker !== worker) return;
      clearTimeout(current.timer);
      slot.job = null;
      current.resolve(value);
      this.pump();
    };
    worker.removeAllListeners();
    worker.on('message', settle);
    const died = (error: unknown) => {
      if (slot.worker !== worker) return;
      const job = slot.job;
      this.replace(slot);
      if (job) {
        clearTimeout(job.timer);
        slot.job = null;
        job.resolve({ died: error instanceof Error ? `${error.name}: ${error.message}` : `worker exited (${String(error)})`, stack: error instanceof Error ? error.stack : undefined });
      }
      this.pump();
    };
    worker.on('error', died);
    worker.on('exit', (code) => died(code));
  }

  private replace(slot: Slot): void {
    const old = slot.worker;
    old.removeAllListeners();
    old.on('error', () => {});
    void old.terminate();
    this.restarts += 1;
    slot.worker = this.spawn();
    this.attach(slot);
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.job || this.queue.length === 0) continue;
      const next = this.queue.shift()!;
      const limit = next.job.type === 'shrink' ? next.job.budgetMs + this.options.timeoutMs : this.options.timeoutMs;
      const timer = setTimeout(() => {
        if (slot.job?.job !== next.job) return;
        slot.job = null;
        this.replace(slot);
        next.resolve({ timedOut: limit });
        this.pump();
      }, limit);
      slot.job = { job: next.job, resolve: next.resolve, timer };
      slot.worker.postMessage(next.job);
    }
  }

  private submit(job: Job): Promise<unknown> {
    return new Promise((resolve) => {
      this.queue.push({ job, resolve });
      this.pump();
    });
  }

  /** Runs cases; a case the pool had to kill comes back as a `slow` (timeout) or `crash` (worker died) failure. */
  async runCase(seed: number, index: number, trees: readonly Tree[]): Promise<CaseResult> {
    const reply = (await this.submit({ type: 'case', seed, index, slowMs: this.options.slowMs })) as CaseResult | { timedOut: number } | { died: string; stack?: string };
    if ('id' in reply) return reply;
    const c = makeCase(trees, seed, index);
    const base = { id: c.id, seed, index, tree: c.tree, relPath: c.relPath, mutations: c.mutations, settings: c.settings, size: typeof c.content === 'string' ? c.content.length : c.content.byteLength, stageMs: {}, diagnostics: 0, fixed: false };
    if ('timedOut' in reply) {
      return { ...base, ms: reply.timedOut, failures: [{ kind: 'slow', check: 'timeout', stage: 'timeout', detail: `no result after ${reply.timedOut} ms: the worker was terminated` }] };
    }
    return { ...base, ms: 0, failures: [{ kind: 'crash', check: 'worker-died', stage: 'worker', detail: reply.died, ...frames(reply.stack) }] };
  }

  async run(seed: number, indices: readonly number[], trees: readonly Tree[], onResult?: (r: CaseResult) => void): Promise<CaseResult[]> {
    return Promise.all(indices.map(async (i) => {
      const r = await this.runCase(seed, i, trees);
      onResult?.(r);
      return r;
    }));
  }

  async shrink(seed: number, index: number, sig: string, budgetMs: number): Promise<Shrunk | null> {
    const reply = (await this.submit({ type: 'shrink', seed, index, signature: sig, budgetMs })) as { shrunk: Shrunk | null } | object;
    return 'shrunk' in reply ? reply.shrunk : null;
  }

  /** Busies a worker for `ms` (the pool's own test: a job over the timeout is killed and the pool goes on). */
  async spin(ms: number): Promise<'done' | 'timeout'> {
    const reply = (await this.submit({ type: 'spin', ms })) as { spun: number } | { timedOut: number };
    return 'spun' in reply ? 'done' : 'timeout';
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => {
      s.worker.removeAllListeners();
      s.worker.on('error', () => {});
      return s.worker.terminate();
    }));
  }
}

/** Failing cases grouped by failure signature, most frequent first. */
export interface FailureClass {
  signature: string;
  kind: FailureKind;
  cases: CaseResult[];
  failure: Failure;
  shrunk?: Shrunk | null;
}

export function classify(results: readonly CaseResult[]): FailureClass[] {
  const bySig = new Map<string, FailureClass>();
  for (const r of results) {
    const seen = new Set<string>();
    for (const f of r.failures) {
      const sig = signature(f);
      if (seen.has(sig)) continue;
      seen.add(sig);
      const cls = bySig.get(sig) ?? { signature: sig, kind: f.kind, cases: [], failure: f };
      cls.cases.push(r);
      bySig.set(sig, cls);
    }
  }
  const order = FAILURE_KINDS.map((k) => k.kind);
  return [...bySig.values()].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || b.cases.length - a.cases.length);
}

/** Shrinks the first (smallest) case of each class, within a total time budget. */
export async function shrinkClasses(pool: FuzzPool, classes: FailureClass[], perClassMs: number, totalMs: number): Promise<void> {
  const until = performance.now() + totalMs;
  for (const cls of classes) {
    if (cls.kind === 'slow' || performance.now() > until) continue;
    const smallest = [...cls.cases].sort((a, b) => a.size - b.size)[0]!;
    cls.shrunk = await pool.shrink(smallest.seed, smallest.index, cls.signature, Math.min(perClassMs, Math.max(0, until - performance.now())));
  }
}

/** A printable account of some classes: count, an example case, its mutations, the failure and a repro. */
export function describeClass(cls: FailureClass): string {
  const example = [...cls.cases].sort((a, b) => a.size - b.size)[0]!;
  const f = cls.failure;
  const lines = [
    `● ${cls.signature}  (${cls.cases.length} case${cls.cases.length === 1 ? '' : 's'}: ${cls.cases.slice(0, 5).map((c) => c.id).join(', ')}${cls.cases.length > 5 ? ', …' : ''})`,
    `  ${f.detail}`,
    ...(f.frame || f.top ? [`  at ${f.frame ?? '(no packages/core frame)'}${f.top && f.top !== f.frame ? `; top frame ${f.top}` : ''}`] : []),
    `  case ${example.id}: ${example.tree} ${example.relPath}${Object.entries(example.settings).map(([k, v]) => `, ${k} ${v}`).join('')} (${example.size} chars/bytes, ${Math.round(example.ms)} ms) — ${example.mutations.map((m) => short(m, 100)).join('; ')}`,
  ];
  if (cls.shrunk) {
    const s = cls.shrunk;
    const shown = typeof s.content === 'string' ? JSON.stringify(short(s.content, 400)) : `bytes ${Buffer.from(s.content).toString('hex').slice(0, 400)}`;
    lines.push(`  minimal ${s.standalone ? 'standalone ' : 'in-tree '}${s.relPath}: ${shown}`);
    if (s.failure && s.failure.detail !== f.detail) lines.push(`  minimal failure: ${s.failure.detail}`);
    lines.push(...reproSnippet(s, example).split('\n').map((l) => `  ${l}`));
  } else {
    lines.push(`  replay: node scripts/fuzz.js --seed ${example.seed} --case ${example.index}`);
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------
// The worker's side.

if (!isMainThread && (workerData as { memlintFuzzWorker?: boolean } | null)?.memlintFuzzWorker) {
  Error.stackTraceLimit = 50;
  const trees = loadTrees();
  parentPort!.on('message', (job: Job) => {
    if (job.type === 'spin') {
      const until = performance.now() + job.ms;
      while (performance.now() < until);
      parentPort!.postMessage({ spun: job.ms });
      return;
    }
    const c = makeCase(trees, job.seed, job.index);
    if (job.type === 'case') parentPort!.postMessage(runCase(trees, c, job.slowMs));
    else parentPort!.postMessage({ shrunk: shrinkCase(trees, c, job.signature, job.budgetMs) });
  });
}
