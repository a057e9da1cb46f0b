import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildHistory, memlintLoader, renderMemoryMarkdown } from '@memlint/astro';

const examples = path.resolve(import.meta.dirname, '..', '..', '..', 'examples');

const made: string[] = [];
/** A memory tree in a temporary directory, from relative paths and their text. */
function tempTree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'memlint-history-'));
  made.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});
const phaseLog = (ref: string, status: string) =>
  `---\nagent: Agent_Backend\ntask_ref: ${ref}\nstatus: ${status}\nad_hoc_delegation: false\ncompatibility_issues: false\nimportant_findings: false\n---\n\n# Task Log: ${ref} - ${ref === 'Task 2.1a' ? 'Split Totals' : 'Totals'}\n\n## Summary\nDone.\n`;

describe('buildHistory', () => {
  const history = buildHistory(path.join(examples, 'apm-stage-defects'));

  it('has stable ids from the tree\'s own names', () => {
    expect(history.stages.map((s) => s.id)).toEqual(['stage-01', 'stage-02', 'stage-03']);
    expect(history.handoffs.map((h) => h.id)).toContain('agent-backend-handoff-3');
    expect(history.tasks.find((t) => t.taskId === 'Task 2.1')!.id).toBe('task-2-1');
  });

  it('walks each chain session by session and marks its breaks in place', () => {
    const frontend = history.agents.find((a) => a.name === 'Agent_Frontend')!;
    expect(history.sessions.filter((s) => s.agentId === frontend.id).map((s) => [s.number, s.missing, s.current])).toEqual([
      [1, false, false],
      [2, true, false],
      [3, false, false],
      [4, false, true],
    ]);
    expect(frontend.breaks.map((b) => [b.kind, b.ruleId])).toEqual([
      ['gap', 'handoff-chain-continuity'],
    ]);
    const backend3 = history.handoffs.find((h) => h.id === 'agent-backend-handoff-3')!;
    expect([backend3.from, backend3.to, backend3.previous, backend3.next]).toEqual(['Agent_Backend_Session_3', 'Agent_Backend_Session_5', 'agent-backend-handoff-2', null]);
    expect(backend3.problems.map((p) => p.ruleId)).toEqual(['handoff-session-names']);
  });

  it('resolves the tasks a handoff cites to their logs', () => {
    const h = history.handoffs.find((x) => x.id === 'agent-backend-handoff-2')!;
    expect(h.tasksCited.every((t) => t.page?.startsWith('/tasks/'))).toBe(true);
  });

  it('links every finding to the page of its file and its rule', () => {
    expect(history.findings).toHaveLength(7);
    for (const f of history.findings) {
      expect(history.documents.some((d) => d.url === f.page)).toBe(true);
      expect(f.url).toMatch(new RegExp(`${f.ruleId}\\.md$`));
    }
  });

  it('reads the aops files beside the .apm trees', () => {
    const aops = buildHistory(path.join(examples, 'aops'));
    expect(aops.reflections.map((r) => [r.outcome, r.dump])).toEqual([
      ['success', false],
      ['partial', false],
      ['quick-exit', false],
      ['success', true],
    ]);
  });
});

describe('buildHistory of a Phase-era tree', () => {
  const v05 = buildHistory(path.join(examples, 'apm-v05'));
  const defects = buildHistory(path.join(examples, 'apm-v05-defects'));

  it('shows phases as stages, in the format\'s word, done when a log says Completed', () => {
    expect(v05.stages.map((s) => [s.id, s.word, s.name, s.progress.done, s.progress.total])).toEqual([
      ['phase-01', 'Phase', 'Studio Foundations', 3, 3],
      ['phase-02', 'Phase', 'Firing Queue', 3, 4],
      ['phase-03', 'Phase', 'Wheel Bookings and Statements', 1, 4],
    ]);
    expect(v05.stages[0]!.doneStatuses).toEqual(['Completed']);
    expect(v05.trees[0]!.stageWord).toBe('Phase');
    const t24 = v05.tasks.find((t) => t.taskId === 'Task 2.4')!;
    expect([t24.id, t24.status, t24.done, t24.stageWord, t24.stageId, t24.title]).toEqual(['task-2-4', 'Partial', false, 'Phase', 'phase-02', 'Kiln Load Board']);
    // The lower-case `completed` the schema rejects is not done.
    expect(defects.stages[0]!.progress).toEqual({ done: 2, total: 3 });
  });

  it('shows each phase\'s Memory Root summary, its logs leading to their pages or marked with the finding on them', () => {
    const [summary] = v05.stages[0]!.summaries;
    expect(summary!.title).toBe('Phase 01 – Studio Foundations Summary');
    expect(summary!.page).toBe('/files/memory-memory-root/');
    expect(summary!.logs.map((l) => [l.page, l.problem])).toEqual([
      ['/tasks/task-1-1/', null],
      ['/tasks/task-1-2/', null],
      ['/tasks/task-1-3/', null],
    ]);
    expect(summary!.html).toContain('<a href="/tasks/task-1-1/">Task_1_1_Project_Scaffold_and_Data_Model.md</a>');
    expect(summary!.html).not.toMatch(/<hr|Phase 02/);
    const broken = defects.stages[0]!.summaries[0]!.logs[2]!;
    // Written from the repository root: a warning, and the log is still reached (core resolved it that way).
    expect([broken.page, broken.problem?.ruleId, broken.problem?.severity]).toEqual(['/tasks/task-1-3/', 'memory-root-stage-logs', 'warning']);
    // Phase 02's summary is missing in the defects tree (phase-summary-present says so at the Memory Root).
    expect(defects.stages[1]!.summaries).toEqual([]);
  });

  it('gives every log of a task a page, the task\'s own first', () => {
    const t22 = defects.tasks.find((t) => t.taskId === 'Task 2.2')!;
    expect(t22.file).toMatch(/Task_2_2_Piece_Intake_Screen\.md$/);
    expect(t22.logs.map((l) => l.page)).toEqual(['/tasks/task-2-2/', '/tasks/task-2-2-task-2-2-piece-intake-form/']);
    for (const d of defects.documents.filter((x) => x.url.startsWith('/tasks/'))) {
      expect(defects.tasks.some((t) => t.logs.some((l) => l.page === d.url)), d.url).toBe(true);
    }
  });

  it('walks the handover series as chains, with their gaps and mismatches', () => {
    const backend = v05.handoffs.find((h) => h.id === 'agent-backend-handoff-2')!;
    expect([backend.from, backend.to, backend.stage, backend.handoffWord, backend.tasksCited]).toEqual(['Agent_Backend_2', 'Agent_Backend_3', null, 'handover', [{ taskId: 'Task 3.1', page: '/tasks/task-3-1/' }]]);
    const manager = defects.agents.find((a) => a.role === 'manager')!;
    expect(defects.sessions.filter((s) => s.agentId === manager.id).map((s) => [s.number, s.missing, s.current])).toEqual([
      [1, false, false],
      [2, true, false],
      [3, false, false],
      [4, false, true],
    ]);
    expect(manager.breaks.map((b) => [b.kind, b.ruleId])).toEqual([['gap', 'handoff-chain-continuity']]);
    const m1 = defects.handoffs.find((h) => h.id === 'manager-handoff-1')!;
    expect([m1.from, m1.to, m1.stage, m1.stageId]).toEqual(['Manager_1', 'Manager_2', 'Phase 2: Firing Queue', 'phase-02']);
    const worker = defects.agents.find((a) => a.name === 'Agent_Backend')!;
    expect(worker.breaks.map((b) => [b.kind, b.handoff, b.ruleId])).toEqual([['mismatch', 'agent-backend-handoff-2', 'handoff-instances']]);
  });

  it('keeps a task id\'s letter and sorts 2.1 before 2.1a before 2.2', () => {
    const dir = tempTree({
      '.apm/metadata.json': '{"templateVersion": "v0.5.4"}',
      '.apm/Memory/Phase_02_Totals/Task_2_2_Report.md': phaseLog('Task 2.2', 'Completed'),
      '.apm/Memory/Phase_02_Totals/Task_2_1a_Split_Totals.md': phaseLog('Task 2.1a', 'Blocked'),
      '.apm/Memory/Phase_02_Totals/Task_2_1_Totals.md': phaseLog('Task 2.1', 'Completed'),
    });
    const h = buildHistory(dir);
    expect(h.tasks.map((t) => [t.id, t.taskId, t.status, t.done])).toEqual([
      ['task-2-1', 'Task 2.1', 'Completed', true],
      ['task-2-1a', 'Task 2.1a', 'Blocked', false],
      ['task-2-2', 'Task 2.2', 'Completed', true],
    ]);
    expect(h.stages.map((s) => [s.id, s.tasks, s.progress])).toEqual([['phase-02', ['task-2-1', 'task-2-1a', 'task-2-2'], { done: 2, total: 3 }]]);
    // Without a plan, the title comes from the H1 without its `Task Log: Task 2.1a -` prefix.
    expect(h.tasks[1]!.title).toBe('Split Totals');
  });
});

describe('buildHistory of a v0.3 tree', () => {
  const v03 = buildHistory(path.join(examples, 'apm-v03'));

  it('shows phases with each task\'s status as its latest entry states it, the Memory Bank on its file page', () => {
    expect(v03.stages.map((s) => [s.id, s.word, s.progress.done, s.progress.total])).toEqual([
      ['phase-01', 'Phase', 2, 2],
      ['phase-02', 'Phase', 0, 2],
      ['phase-03', 'Phase', 0, 2],
    ]);
    expect(v03.tasks.map((t) => [t.taskId, t.status, t.done, t.page])).toEqual([
      ['Task 1.1', 'Completed', true, '/files/memory-bank/'],
      ['Task 1.2', 'Completed', true, '/files/memory-bank/'],
      ['Task 2.1', 'Partially Completed', false, '/files/memory-bank/'],
      ['Task 2.2', 'Blocked', false, '/files/memory-bank/'],
      ['Task 3.1', 'Not logged', false, null],
      ['Task 3.2', 'Not logged', false, null],
    ]);
    // One page per id: the tasks of one Memory Bank do not share one.
    expect(new Set(v03.tasks.map((t) => t.id)).size).toBe(v03.tasks.length);
    expect(v03.documents.some((d) => d.url.startsWith('/tasks/'))).toBe(false);
  });
});

describe('memlintLoader', () => {
  it('fills a collection, with digests so unchanged entries are skipped, and removes stale ones', async () => {
    const store = new Map<string, { data: Record<string, unknown>; digest?: string }>([['stale', { data: {} }]]);
    const loader = memlintLoader('handoffs', { memory: path.join(examples, 'apm-stage') });
    await loader.load({
      store: {
        set: (e) => (store.set(e.id, e), true),
        delete: (id) => void store.delete(id),
        keys: () => [...store.keys()],
      },
      generateDigest: (d) => JSON.stringify(d).length.toString(16),
      logger: { info: () => {} },
    });
    expect(store.has('stale')).toBe(false);
    expect([...store.keys()].sort()).toEqual([
      'agent-backend-handoff-1',
      'agent-backend-handoff-2',
      'agent-backend-handoff-3',
      'agent-frontend-handoff-1',
      'agent-frontend-handoff-2',
      'manager-handoff-1',
      'manager-handoff-2',
    ]);
    expect(loader.schema.safeParse(store.get('manager-handoff-2')!.data).success).toBe(true);
  });
});

describe('renderMemoryMarkdown', () => {
  it('shows raw HTML as code and strips what could run', () => {
    const html = renderMemoryMarkdown('---\nx: 1\n---\n# T\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>\n');
    // Escaped text may mention them; no tag, attribute or link carries them.
    expect(html).not.toMatch(/<script|<img|href="javascript:/);
    expect(html).not.toContain('<a');
    expect(html).toContain('<code class="language-html">&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('x: 1');
  });
});
