import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildHistory } from '@memlint/astro';
import { boardColumn, columnLabel, stageBoard, statusColumns } from '../src/board.ts';
import { firstReadableDates, humanDate, timelineSvg, timeRoom, wrapText, type TimelineInput, type TimelineSession } from '../src/timeline.ts';
import { dialects } from '@memlint/core';

const examples = path.resolve(import.meta.dirname, '..', '..', '..', 'examples');

const session = (n: number, extra: Partial<TimelineSession> = {}): TimelineSession => ({
  number: n,
  instance: `Agent_Api_Session_${n}`,
  current: false,
  stage: 'Stage 1 - Setup',
  tasks: [],
  dates: [],
  endedBy: { number: n, page: `/handoffs/api-${n}/`, from: `Agent_Api_Session_${n}`, to: `Agent_Api_Session_${n + 1}`, timestamp: null },
  ...extra,
});
/** The y of the first axis dot after a text, to compare distances on the axis. */
const dots = (svg: string) => [...svg.matchAll(/<circle class="ml-tl-dot" cx="\d+" cy="(\d+)"/g)].map((m) => Number(m[1]));
/** Top edges of the session boxes, in order. */
const sessionTops = (svg: string) => [...svg.matchAll(/<g class="ml-tl-session[^"]*"[^>]*><title>[^<]*<\/title><rect x="\d+" y="(\d+)"/g)].map((m) => Number(m[1]));

describe('timelineSvg', () => {
  const base: TimelineInput = {
    agent: 'Agent_Api',
    handoffWord: 'handoff',
    sessions: [
      session(1, { tasks: [{ taskId: 'Task 1.1', title: 'Schema', page: '/tasks/task-1-1/' }], dates: [{ value: '2026-02-06T17:20:00Z', source: 'handoff 1 timestamp', at: 'end' }] }),
      session(2, { endedBy: null, dates: [{ value: '2026-02-06T17:20:00Z', source: 'handoff 1 timestamp', at: 'start' }] }),
      session(3, { current: true, endedBy: null, dates: [{ value: '2026-03-04T15:10:00Z', source: 'handoff 2 timestamp', at: 'start' }] }),
    ],
    marks: [{ kind: 'gap', session: 2, ruleId: 'handoff-chain-continuity', message: "Agent_Api's handoff chain jumps from handoff 1 to 3: handoff 2 is missing" }],
  };

  it('draws one node per session with its tasks linked, and the handoff as a linked edge', () => {
    const svg = timelineSvg(base);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(sessionTops(svg)).toHaveLength(3);
    expect(svg).toContain('<a href="/tasks/task-1-1/"><text');
    expect(svg).toContain('Task 1.1');
    expect(svg).toContain('<a href="/handoffs/api-1/" class="ml-tl-handoff">');
    expect(svg).toContain('Handoff 1: Agent_Api_Session_1 → Agent_Api_Session_2');
    expect(svg).toContain('Session 3 · Agent_Api_Session_3 · current');
  });

  it('marks a gap loudly where it happens, with its rule and message', () => {
    const svg = timelineSvg(base);
    const mark = /<g class="ml-tl-mark ml-tl-gap"[^>]*>.*?<\/g>/s.exec(svg)?.[0] ?? '';
    expect(mark).toContain('GAP: no handoff 2, the chain breaks here');
    expect(mark).toContain('<a href="/rules/handoff-chain-continuity/">');
    expect(mark).toContain('handoff 2 is missing');
    // Between session 2 and session 3, on a dashed red edge.
    const at = svg.indexOf('ml-tl-mark ml-tl-gap');
    expect(svg.indexOf('Session 2 ·')).toBeLessThan(at);
    expect(svg.indexOf('Session 3 ·')).toBeGreaterThan(at);
    expect(svg).toContain('ml-tl-edge ml-tl-edge-broken');
  });

  it('shows dates in words with the exact timestamp on hover, and places sessions by the time between them', () => {
    const svg = timelineSvg(base);
    expect(svg).toContain('<title>2026-02-06T17:20:00Z (handoff 1 timestamp)</title>');
    expect(svg).toContain('>6 Feb 2026<');
    expect(svg).toContain('>17:20 UTC<');
    // Sessions 1 and 2 share an instant; 3 is 26 days later: more room before it.
    const undated = timelineSvg({ ...base, sessions: base.sessions.map((s) => ({ ...s, dates: [] })) });
    const [a, b, c] = sessionTops(svg);
    const [ua, ub, uc] = sessionTops(undated);
    expect(b! - a!).toBe(ub! - ua!);
    expect(c! - b! - (uc! - ub!)).toBe(timeRoom(Date.parse('2026-03-04T15:10:00Z') - Date.parse('2026-02-06T17:20:00Z')));
    expect(timeRoom(26 * 86_400_000)).toBeGreaterThan(0);
    // Without dates: ordinal placement, said so on hover.
    expect(undated).toContain('no date stated: placed in order');
    expect(dots(undated)).toHaveLength(0);
  });

  it('takes its dates from a pluggable dater', () => {
    const svg = timelineSvg({ ...base, dater: () => ({ start: null, end: { ms: Date.parse('2025-12-25T00:00:00Z'), text: '2025-12-25', source: 'git: first commit' } }) });
    expect(svg).toContain('>25 Dec 2025<');
    expect(svg).toContain('(git: first commit)');
    expect(svg).not.toContain('6 Feb 2026');
  });

  it('picks the first readable date of each end', () => {
    const picked = firstReadableDates([
      { value: 'last Tuesday', source: 'handoff 2 timestamp', at: 'end' },
      { value: '2026-02-19T16:40:00Z', source: 'git: handoff 2 first commit', at: 'end' },
      { value: '2026-02-06', source: 'handoff 1 timestamp', at: 'start' },
    ]);
    expect(picked.end?.source).toBe('git: handoff 2 first commit');
    expect(picked.start?.text).toBe('2026-02-06');
    expect(humanDate(picked.start!)).toEqual({ day: '6 Feb 2026', time: null });
  });

  it('escapes every text that comes from the files', () => {
    const evil = '<img src=x onerror=alert(1)>"&\'';
    const svg = timelineSvg({
      agent: evil,
      handoffWord: 'handoff',
      sessions: [session(1, { instance: evil, stage: evil, tasks: [{ taskId: 'Task 1.1', title: evil, page: '/tasks/"onmouseover="x/' }], endedBy: { number: 1, page: '/h/', from: evil, to: evil, timestamp: evil } })],
      marks: [{ kind: 'mismatch', session: 1, ruleId: 'handoff-instances', message: evil }],
    });
    expect(svg).not.toContain('<img');
    expect(svg).not.toContain('"onmouseover');
    expect(svg).toContain('&lt;img src=x onerror=alert(1)&gt;&quot;&amp;&#39;');
    expect(svg).toContain('MISMATCH at handoff 1');
  });

  it('wraps long messages at spaces, and cuts words longer than a line', () => {
    expect(wrapText('one two three four', 9)).toEqual(['one two', 'three', 'four']);
    expect(wrapText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
  });
});

describe('the board\'s status mapping', () => {
  it('places each format\'s statuses in workflow columns, done as core says', () => {
    const col = (status: string, dialect: string, done = false, logged = true) => boardColumn({ status, done, logged }, dialect);
    expect(col('Success', 'apm-stage', true)).toBe('done');
    expect(col('Partial', 'apm-stage')).toBe('in-progress');
    expect(col('Blocked', 'apm-stage')).toBe('blocked');
    expect(col('Failed', 'apm-v1')).toBe('failed');
    expect(col('Error', 'apm-phase')).toBe('failed');
    expect(col('Completed', 'apm-phase', true)).toBe('done');
    // A status the format does not have (v0.5's `completed` in lower case, v0.5's `Completed` in a v1.0 log) is not done.
    expect(col('completed', 'apm-phase')).toBe('other');
    expect(col('Completed', 'apm-v1')).toBe('other');
    expect(col('No status', 'apm-stage')).toBe('other');
    // v0.3's free text, by what it says.
    expect(col('Partially Completed', 'apm-v03')).toBe('in-progress');
    expect(col('Blocked - waiting on the sensor vendor', 'apm-v03')).toBe('blocked');
    expect(col('Information Only', 'apm-v03')).toBe('other');
    expect(col('Not logged', 'apm-v03', false, false)).toBe('not-logged');
  });

  it('agrees with each dialect on what done means', () => {
    let checked = 0;
    for (const d of Object.values(dialects)) {
      const table = statusColumns[d.id];
      if (!table || !d.doneStatuses) continue;
      checked += 1;
      expect(Object.entries(table).filter(([, c]) => c === 'done').map(([s]) => s), d.id).toEqual([...d.doneStatuses]);
    }
    expect(checked).toBe(4);
  });

  it('names the columns in the format\'s words and keeps every column in workflow order', () => {
    expect(columnLabel('failed', 'apm-phase', ['Completed'])).toBe('Error');
    expect(columnLabel('in-progress', 'apm-stage', ['Success'])).toBe('Partial');
    expect(columnLabel('blocked', 'apm-v1', ['Success'])).toBe('Blocked');
    expect(columnLabel('done', 'apm-v03', ['Completed'])).toBe('Completed');
    const board = stageBoard(
      [
        { id: 'a', status: 'Success', done: true, logged: true },
        { id: 'b', status: 'Blocked', done: false, logged: true },
        { id: 'c', status: 'Not logged', done: false, logged: false },
      ],
      'apm-stage',
      ['Success'],
    );
    expect(board.map((c) => `${c.label}:${c.tasks.join()}`)).toEqual(['Not logged:c', 'Partial:', 'Blocked:b', 'Failed:', 'Success:a', 'Other status:']);
  });
});

describe('the story in the history', () => {
  const history = buildHistory(examples);

  it('shows one agent one way in a tree, and links its tasks to its page', () => {
    const v1 = history.tasks.filter((t) => t.root === 'apm-v1/.apm');
    // plan.md says `Backend Agent`, the logs `backend-agent`: one name, the chain's.
    expect(new Set(v1.map((t) => t.agent))).toEqual(new Set(['backend-agent', 'frontend-agent']));
    expect(new Set(v1.map((t) => t.agentId))).toEqual(new Set(['apm-v1-apm-backend', 'apm-v1-apm-frontend']));
    const agent = history.agents.find((a) => a.id === 'apm-v1-apm-backend')!;
    expect(agent.tasks.map((t) => t.taskId)).toContain('Task 4.1');
  });

  it('links a task to the handoffs citing it and to its neighbours', () => {
    const t = history.tasks.find((x) => x.id === 'apm-stage-apm-task-2-1')!;
    expect(t.citedBy).toEqual([{ id: 'apm-stage-apm-agent-backend-handoff-2', label: 'Agent_Backend handoff 2' }]);
    expect(t.previous?.taskId).toBe('Task 1.3');
    expect(t.next?.taskId).toBe('Task 2.2');
  });

  it('names a handoff\'s neighbours and the gap core found between them', () => {
    const h = history.handoffs.find((x) => x.id === 'apm-stage-defects-apm-agent-frontend-handoff-3')!;
    expect(h.nav.previous).toEqual({ id: 'apm-stage-defects-apm-agent-frontend-handoff-1', label: 'Agent_Frontend handoff 1' });
    expect(h.nav.gapBefore).toMatchObject({ missing: 'handoff 2', ruleId: 'handoff-chain-continuity' });
    expect(h.nav.gapAfter).toBeNull();
  });

  it('leads a reflection\'s Next step to the task file it names', () => {
    const r = history.reflections.find((x) => x.labels['Next step']?.includes('fieldkit-7d30a5e2'))!;
    expect(r.nextTask).toMatchObject({ taskId: 'fieldkit-7d30a5e2', title: 'Validate survey visit dates' });
    expect(r.nextTask!.page).toMatch(/^\/files\//);
  });

  it('fills every stage\'s board and every agent\'s timeline', () => {
    for (const s of history.stages) expect(s.board.flatMap((c) => c.tasks).sort()).toEqual([...s.tasks].sort());
    const frontend = history.agents.find((a) => a.id === 'apm-stage-defects-apm-frontend')!;
    expect(frontend.timeline).toContain('GAP: no handoff 2');
    // v1.0 handoffs cite no tasks: a task sits in the first session that ended in its stage or a later one.
    const backend = history.agents.find((a) => a.id === 'apm-v1-apm-backend')!.timeline;
    const first = backend.indexOf('Handoff 1:');
    for (const t of ['Task 1.1', 'Task 2.1']) expect(backend.indexOf(`>${t}<`), t).toBeLessThan(first);
    expect(backend.indexOf('>Task 3.1<')).toBeGreaterThan(first);
  });
});
