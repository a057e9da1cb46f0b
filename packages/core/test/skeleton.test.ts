// nextLog per dialect on the bundled examples: the path and numbers the tree calls for, and a
// skeleton that lints clean once its placeholders are filled (cross-file rules included).
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fillExamples, lintWorkspace, loadAopsFolder, loadRoot, loadTreeAt, nextLog, PLACEHOLDER, SkeletonError, type SkeletonRequest, type Workspace } from '@memlint/core';

const repo = path.resolve(import.meta.dirname, '..', '..', '..');

function copy(example: string): string {
  const base = path.join(repo, 'test-output', 'tmp');
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(path.join(base, `skeleton-${example}-`));
  cpSync(path.join(repo, 'examples', example), dir, { recursive: true });
  return dir;
}

const workspaceOf = (dir: string): Workspace => loadTreeAt(dir);

/** Writes the filled skeleton and returns the findings memlint has on that file. */
function writeAndLint(dir: string, request: SkeletonRequest): { relPath: string; findings: string[]; text: string } {
  const ws = workspaceOf(dir);
  const skeleton = nextLog(ws, request);
  expect(skeleton.placeholders.length).toBeGreaterThan(0);
  const filled = fillExamples(skeleton.text, skeleton.placeholders);
  expect(filled).not.toMatch(PLACEHOLDER);
  mkdirSync(path.dirname(skeleton.path), { recursive: true });
  if (skeleton.mode === 'append') appendFileSync(skeleton.path, filled);
  else writeFileSync(skeleton.path, filled, { flag: ws.byRelPath.get(skeleton.relPath) ? 'w' : 'wx' });
  const after = ws.root.dialect.id === 'aops' ? loadAopsFolder(ws.root.dir) : loadRoot(ws.root.dir);
  const doc = after.documents.find((d) => d.path === skeleton.path)!;
  expect(doc, skeleton.relPath).toBeDefined();
  const findings = [...lintWorkspace(after, {}, new Set([doc]))].flatMap(([, list]) => list.map((d) => `${d.range.start.line}:${d.range.start.column} ${d.ruleId} ${d.message}`));
  return { relPath: skeleton.relPath, findings, text: readFileSync(skeleton.path, 'utf8') };
}

const cases: { example: string; request: SkeletonRequest; relPath: string | RegExp; contains?: string[] }[] = [
  { example: 'apm-v1', request: { kind: 'handoff', agent: 'backend-agent' }, relPath: '.apm/memory/handoffs/backend-agent/handoff-03.log.md', contains: ['outgoing: 3', 'incoming: 4', 'handoff: 3'] },
  { example: 'apm-v1', request: { kind: 'handoff', agent: 'manager' }, relPath: '.apm/memory/handoffs/manager/handoff-03.log.md', contains: ['agent: manager', 'incoming: 4'] },
  { example: 'apm-v1', request: { kind: 'handoff', agent: 'qa-agent' }, relPath: '.apm/memory/handoffs/qa-agent/handoff-01.log.md', contains: ['incoming: 2'] },
  { example: 'apm-v1', request: { kind: 'task-log', agent: 'backend-agent' }, relPath: '.apm/memory/stage-04/task-04-01.log.md', contains: ['stage: 4', 'task: 1', '# Task 4.1 - '] },
  { example: 'apm-v1', request: { kind: 'task-log', task: '4.3' }, relPath: '.apm/memory/stage-04/task-04-03.log.md', contains: ['agent: frontend-agent'] },
  { example: 'apm-stage', request: { kind: 'handoff', agent: 'Agent_Backend' }, relPath: '.apm/Memory/Handoffs/Agent_Backend_Handoffs/Agent_Backend_Handoff_Log_4.md', contains: ['handoff_number: 4', 'incoming_worker: Agent_Backend_Session_5'] },
  { example: 'apm-stage', request: { kind: 'handoff', agent: 'manager' }, relPath: '.apm/Memory/Handoffs/Manager_Handoffs/Manager_Handoff_Log_3.md', contains: ['incoming_manager: Manager_Session_4'] },
  { example: 'apm-stage', request: { kind: 'task-log', agent: 'Agent_Backend' }, relPath: /^\.apm\/Memory\/Stage_03_[^/]+\/Task_Log_03_05_Revenue_Reports_Endpoint\.md$/, contains: ['task_id: Task 3.5'] },
  { example: 'apm-v05', request: { kind: 'handoff', agent: 'Agent_Backend' }, relPath: '.apm/Memory/Handovers/Agent_Backend_Handovers/Agent_Backend_Handover_File_3.md', contains: ['agent_id: Agent_Backend_3', 'handover_number: 3'] },
  { example: 'apm-v05', request: { kind: 'handoff', agent: 'Manager' }, relPath: '.apm/Memory/Handovers/Manager_Agent_Handovers/Manager_Agent_Handover_File_3.md', contains: ['agent_id: Manager_3'] },
  { example: 'apm-v05', request: { kind: 'task-log', task: '3.4' }, relPath: '.apm/Memory/Phase_03_Wheel_Bookings_and_Statements/Task_3_4_Statement_Review_Screen.md', contains: ['task_ref: Task 3.4'] },
  { example: 'apm-v03', request: { kind: 'task-log', agent: 'Agent_Dashboard' }, relPath: '.apm/Memory_Bank.md', contains: ['**Agent:** Agent_Dashboard'] },
  { example: 'apm-v03', request: { kind: 'handoff', agent: 'Manager' }, relPath: '.apm/Handover_File_2.md', contains: ['## Section 1: Handover Overview'] },
  { example: 'aops', request: { kind: 'reflection', task: 'fieldkit-7d30a5e2', now: new Date('2026-03-01T10:00:00Z') }, relPath: 'sessions/2026-03-01-fieldkit-7d30a5e2.md', contains: ['## Framework Reflection', '**Outcome**:'] },
];

describe('nextLog', () => {
  for (const c of cases) {
    it(`${c.example}: ${c.request.kind}${c.request.agent ? ` of ${c.request.agent}` : ''}${c.request.task ? ` for ${c.request.task}` : ''} lints clean once filled`, () => {
      const dir = copy(c.example);
      const { relPath, findings, text } = writeAndLint(dir, c.request);
      const rel = path.relative(dir, path.join(workspaceOf(dir).root.dir, relPath)).split(path.sep).join('/');
      if (typeof c.relPath === 'string') expect(rel).toBe(c.relPath);
      else expect(rel).toMatch(c.relPath);
      for (const part of c.contains ?? []) expect(text).toContain(part);
      expect(findings).toEqual([]);
    });
  }

  it('says why it cannot lay out a log', () => {
    const ws = workspaceOf(copy('apm-v1'));
    expect(() => nextLog(ws, { kind: 'handoff' })).toThrow(/name it/);
    expect(() => nextLog(ws, { kind: 'task-log', task: '2.1' })).toThrow(/already has a log: memory\/stage-02\/task-02-01\.log\.md/);
    expect(() => nextLog(ws, { kind: 'task-log', task: '9.9' })).toThrow(/not in the plan/);
    expect(() => nextLog(ws, { kind: 'reflection' })).toThrow(SkeletonError);
  });

  it('lists each placeholder with its line', () => {
    const ws = workspaceOf(copy('apm-v1'));
    const s = nextLog(ws, { kind: 'task-log', agent: 'backend-agent' });
    const lines = s.text.split('\n');
    for (const p of s.placeholders) expect(lines[p.line - 1]).toContain(p.marker);
    expect(s.placeholders.map((p) => p.hint)).toContain('Success, Partial or Failed');
  });
});
