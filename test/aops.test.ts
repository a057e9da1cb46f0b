import path from 'node:path';
import { existsSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findReflections, lintWorkspace, loadVirtualRoot, parseDocument } from '@memlint/core';
import { memlint, tempDir, writeTree } from './support/run.ts';

const full = (outcome: string, extra = '') =>
  [
    '## Framework Reflection',
    '',
    '**Prompts**: tidy the import script',
    '**Guidance received**: N/A',
    '**Followed**: Yes - kept to the plan',
    `**Outcome**: ${outcome}`,
    '**Accomplishments**:',
    '- **Parser**: split the reader from the writer',
    '- removed the retry loop',
    '**Friction points**: none',
    extra,
    '**Proposed changes**: none',
    '**Next step**: aops-7c1d2e3f',
    '',
  ]
    .filter((l) => l !== null)
    .join('\n');

const findings = (files: Record<string, string>, config = {}) => {
  const ws = loadVirtualRoot(Object.entries(files).map(([relPath, text]) => ({ relPath, text })), { dialect: 'aops' });
  return [...lintWorkspace(ws, config).values()].flat().map((d) => `${d.range.start.line}:${d.range.start.column} ${d.ruleId}`);
};

describe('Framework Reflection blocks', () => {
  it('finds the heading form and the drifted forms, never inside code fences', () => {
    const text = [
      '# Session',
      '',
      '```markdown',
      '## Framework Reflection',
      '**Outcome**: success',
      '```',
      '',
      '### Framework Reflection',
      '**Outcome**: partial',
      '',
      '**Framework Reflection:**',
      '**Outcome**: failure',
      '',
      'Framework Reflection: answered a question',
      '',
    ].join('\n');
    const doc = parseDocument({ path: 'a.md', relPath: 'a.md', kind: 'other', text });
    expect(findReflections(doc).map((r) => [r.form, r.openerRange.start.line, r.labels.map((l) => l.value).join()])).toEqual([
      ['h3', 8, 'partial'],
      ['bold', 11, 'failure'],
      ['bare', 14, ''],
    ]);
  });

  it('reads a bold lead-in inside a list as part of a value, not as a label', () => {
    const doc = parseDocument({ path: 'a.md', relPath: 'a.md', kind: 'other', text: full('success') });
    const [r] = findReflections(doc);
    expect(r!.labels.map((l) => l.key)).toEqual(['Prompts', 'Guidance received', 'Followed', 'Outcome', 'Accomplishments', 'Friction points', 'Proposed changes', 'Next step']);
    expect(r!.labels[4]!.fullValue).toContain('removed the retry loop');
  });

  it('is clean for a complete generation-2 reflection', () => {
    expect(findings({ 'notes/s.md': full('success') })).toEqual([]);
  });

  it('asks a dump for outcome partial, from each of the three signals', () => {
    const tagged = `---\ntags: [dump, handover]\n---\n\n${full('success')}`;
    expect(findings({ 'notes/s.md': tagged })).toEqual(['10:14 reflection-dump-outcome']);
    const interrupted = `---\nmetadata:\n  reason: interrupted\n---\n\n${full('success')}`;
    expect(findings({ 'notes/s.md': interrupted })).toEqual(['11:14 reflection-dump-outcome']);
    const halted = `${full('success')}\n---\nWork COMPLETE: parser split\n\nNext: \`/pull aops-7c1d2e3f\` to resume.\n---\n`;
    expect(findings({ 'notes/s.md': halted })).toEqual(['6:14 reflection-dump-outcome']);
    // Signals are configurable: with the tag signal replaced, the tagged note is no dump.
    expect(findings({ 'notes/s.md': tagged }, { aops: { dumpSignals: { tags: ['emergency'] } } })).toEqual([]);
  });

  it('requires what the profile requires', () => {
    const minimal = '## Framework Reflection\n\n**Outcome**: success\n**Accomplishments**: fixed it\n**Next step**: none\n';
    expect(findings({ 'n.md': minimal }, { aops: { profile: '3' } })).toEqual([]);
    expect(findings({ 'n.md': minimal }).filter((f) => f.endsWith('reflection-labels'))).toHaveLength(5);
  });
});

describe('a document that is an APM handoff log and holds a reflection', () => {
  it('gets both families\' findings, each once', () => {
    const dir = tempDir('mixed');
    const log = [
      '---',
      'agent_id: Agent_Api',
      'outgoing_worker: Agent_Api_Session_1',
      'incoming_worker: Agent_Api_Session_3',
      'handoff_number: 1',
      'current_stage: Stage 1 - Setup',
      'timestamp: 2026-03-02T09:15:00Z',
      '---',
      '',
      '# Worker Agent Handoff Memory Log',
      '',
      '## Session Summary',
      '',
      '**Tasks Completed This Session:** none',
      '**Current Stage:** Stage 1 - Setup',
      '**Stage Progress:** 0/2',
      '',
      '## Working Context',
      '',
      '## Technical Notes',
      '',
      '## Continuation Guidance',
      '',
      full('Success'),
    ].join('\n');
    writeTree(dir, { '.apm/Memory/Handoffs/Agent_Api_Handoffs/Agent_Api_Handoff_Log_1.md': log, '.apm/Memory/Stage_01_Setup/.gitkeep': '' });
    const run = memlint([dir, '--report', 'json']);
    const messages = (JSON.parse(run.stdout) as { messages: { line: number; ruleId: string }[] }[]).flatMap((f) => f.messages);
    expect(messages.map((m) => `${m.line} ${m.ruleId}`)).toEqual(['4 handoff-session-names', '29 reflection-outcome']);
  });
});

describe('the CLI with profiles and a configuration file', () => {
  const minimal = '# Notes\n\n## Framework Reflection\n\n**Outcome**: success\n**Accomplishments**: fixed it\n**Next step**: none\n';

  it('selects a profile with --profile, and refuses an unknown one', () => {
    const dir = tempDir('profile');
    writeTree(dir, { 'session.md': minimal });
    expect(memlint([dir, '--no-config']).status).toBe(1);
    expect(memlint([dir, '--no-config', '--profile', '3']).status).toBe(0);
    const bad = memlint([dir, '--no-config', '--profile', '9']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown reflection profile "9"/);
  });

  it('reads the nearest .memlintrc.json, and reports a broken one as a usage error', () => {
    const dir = tempDir('config');
    writeTree(dir, { 'session.md': minimal, '.memlintrc.json': JSON.stringify({ aops: { profile: '3' } }) });
    expect(memlint(['.'], dir).status).toBe(0);
    writeFileSync(path.join(dir, '.memlintrc.json'), '{ "aops": { "profile": 3 } }');
    const run = memlint(['.'], dir);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/aops\.profile/);
  });
});

describe('a reflection followed directly by `---`', () => {
  it('keeps its last label (markdown would make that line a setext heading)', () => {
    const text = `${full('success').trimEnd()}\n---\n`;
    const doc = parseDocument({ path: 'a.md', relPath: 'a.md', kind: 'other', text });
    expect(findReflections(doc)[0]!.labels.at(-1)!.key).toBe('Next step');
    expect(findings({ 'n.md': text })).toEqual([]);
  });
});

const corpus = path.resolve(import.meta.dirname, '..', '..', 'shared', 'corpus', 'aops');

describe.skipIf(!existsSync(corpus))('the aops corpus (../shared/corpus/aops)', () => {
  it('runs without a crash and finds no reflection in the templates that specs quote in code fences', () => {
    const run = memlint([corpus, '--report', 'json', '--no-config']);
    expect([0, 1]).toContain(run.status);
    expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
    const messages = (JSON.parse(run.stdout) as { path: string; messages: { ruleId: string }[] }[]).flatMap((f) => f.messages);
    expect(messages.filter((m) => m.ruleId.startsWith('reflection-'))).toEqual([]);
  });
});

describe('the bundled aops example', () => {
  it('reports exactly the dump that claims success', () => {
    const run = memlint(['examples/aops', '--report', 'json', '--no-config']);
    expect(run.status).toBe(1);
    const found = (JSON.parse(run.stdout) as { path: string; messages: { line: number; ruleId: string; expected?: string[] }[] }[]).flatMap((f) =>
      f.messages.map((m) => `${f.path}:${m.line} ${m.ruleId} ${m.expected?.join()}`),
    );
    expect(found).toEqual(['examples/aops/sessions/2026-02-20-dump-ambiguous-dates.md:17 reflection-dump-outcome partial']);
  });
});

describe('task files of other tools', () => {
  it('a repository using Backlog.md (backlog/tasks/) gets no aops task findings; an aops task beside it still does', () => {
    const dir = tempDir('aops-backlog');
    writeTree(dir, {
      'backlog/tasks/task-3 - Add-export.md': '---\nid: task-3\ntitle: Add export\nstatus: In Progress\nassignee: [\'@codex\']\ncreated_date: \'2026-02-03 10:12\'\nlabels: []\ndependencies: [task-1]\npriority: high\n---\n\n## Description\n\nExport the table.\n',
      'backlog/tasks/task-4 - Fix-dates.md': '---\nid: task-4\ntitle: Fix dates\nstatus: To Do\ncreated_date: \'2026-02-04 09:00\'\n---\n',
      'data/aops/tasks/aops-1a2b3c4d-tidy.md': '---\nid: aops-1a2b3c4d\ntitle: Tidy\ntype: task\nstatus: open\nproject: aops\n---\n\n# Tidy\n',
    });
    const r = memlint([dir, '--report', 'json'], dir);
    const files = JSON.parse(r.stdout) as { path: string; messages: { ruleId: string }[] }[];
    // Every file is read and reported on (an empty list is a file memlint checked and found clean).
    expect(files.map((f) => f.path).sort()).toEqual(['backlog/tasks/task-3 - Add-export.md', 'backlog/tasks/task-4 - Fix-dates.md', 'data/aops/tasks/aops-1a2b3c4d-tidy.md']);
    const rulesOn = (name: string) => files.find((f) => f.path.includes(name))!.messages.map((m) => m.ruleId);
    expect(rulesOn('task-3 - Add-export.md')).toEqual([]);
    expect(rulesOn('task-4 - Fix-dates.md')).toEqual([]);
    expect(rulesOn('aops-1a2b3c4d-tidy.md')).toContain('task-status');
  });
});
