// `memlint new <kind>`: the skeleton written where the tree wants it (never over a log), its path
// printed; once its placeholders are filled, memlint lints it clean, in every dialect.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fillExamples, loadTreeAt, nextLog, type SkeletonRequest } from '@memlint/core';
import { copyExample, memlint, tempDir } from './support/run.ts';

/** The value each placeholder's example stands for, found by asking core for the same skeleton before the file existed. */
function fillFile(file: string, placeholders: { marker: string; example: string }[]): void {
  writeFileSync(file, fillExamples(readFileSync(file, 'utf8'), placeholders.map((p) => ({ ...p, hint: '', line: 0 }))));
}

const cases: { example: string; args: string[]; request: SkeletonRequest; at?: string }[] = [
  { example: 'apm-v1', args: ['handoff', '--agent', 'backend-agent'], request: { kind: 'handoff', agent: 'backend-agent' } },
  { example: 'apm-v1', args: ['task-log', '--agent', 'frontend-agent'], request: { kind: 'task-log', agent: 'frontend-agent' } },
  { example: 'apm-stage', args: ['handoff', '--agent', 'Agent_Frontend'], request: { kind: 'handoff', agent: 'Agent_Frontend' } },
  { example: 'apm-stage', args: ['task', '--task', '3.6'], request: { kind: 'task-log', task: '3.6' } },
  { example: 'apm-v05', args: ['handover', '--agent', 'Agent_Frontend'], request: { kind: 'handoff', agent: 'Agent_Frontend' } },
  { example: 'apm-v05', args: ['task-log', '--task', '3.4'], request: { kind: 'task-log', task: '3.4' } },
  { example: 'apm-v03', args: ['task-log', '--agent', 'Agent_Sensors'], request: { kind: 'task-log', agent: 'Agent_Sensors' } },
  { example: 'apm-v03', args: ['handoff', '--agent', 'Manager'], request: { kind: 'handoff', agent: 'Manager' } },
  { example: 'aops', args: ['reflection'], request: { kind: 'reflection' } },
];

describe('memlint new', () => {
  for (const c of cases) {
    it(`${c.example}: memlint new ${c.args.join(' ')} writes a skeleton that lints clean once filled`, () => {
      const tree = copyExample(c.example, tempDir(`new-${c.example}`));
      const expected = nextLog(loadTreeAt(tree), c.request);
      const r = memlint(['new', ...c.args], tree);
      expect(r.stderr).toMatch(/memlint new: (wrote|appended)/);
      expect(r.status).toBe(0);
      const written = path.resolve(tree, r.stdout.trim());
      expect(written).toBe(expected.path);
      const text = readFileSync(written, 'utf8');
      expect(text).toContain('<fill: ');
      fillFile(written, expected.placeholders);
      const lint = memlint([written], tree);
      expect(lint.stdout + lint.stderr).not.toMatch(/error|warning/);
      expect(lint.status).toBe(0);
    });
  }

  it('a skeleton saved unfilled is reported at each placeholder (skeleton-placeholder)', () => {
    const tree = copyExample('apm-v1', tempDir('new-unfilled'));
    const expected = nextLog(loadTreeAt(tree), { kind: 'handoff', agent: 'backend-agent' });
    const r = memlint(['new', 'handoff', '--agent', 'backend-agent'], tree);
    expect(r.status).toBe(0);
    const lint = memlint([r.stdout.trim(), '--format', 'json'], tree);
    expect(lint.status).toBe(1);
    const found = (JSON.parse(lint.stdout) as { messages: { ruleId: string; line: number }[] }[]).flatMap((f) => f.messages).filter((m) => m.ruleId === 'skeleton-placeholder');
    expect(found.map((m) => m.line)).toEqual(expected.placeholders.map((p) => p.line));
  });

  it('never overwrites a log, and says why it cannot lay one out', () => {
    const tree = copyExample('apm-v1', tempDir('new-refuse'));
    const first = memlint(['new', 'handoff', '--agent', 'manager'], tree);
    expect(first.status).toBe(0);
    // The same request again lays out handoff 4: handoff 3 is now on disk.
    expect(memlint(['new', 'handoff', '--agent', 'manager', '--stdout'], tree).stdout).toContain('outgoing: 4');
    const done = memlint(['new', 'task-log', '--task', '2.1'], tree);
    expect(done).toMatchObject({ status: 2, stdout: '' });
    expect(done.stderr).toContain('Task 2.1 already has a log: memory/stage-02/task-02-01.log.md');
    expect(memlint(['new', 'handoff'], tree).stderr).toMatch(/name it/);
    expect(memlint(['new', 'diary'], tree)).toMatchObject({ status: 2 });
    expect(memlint(['new', 'reflection'], tree).stderr).toMatch(/no reflection/);
  });
});
