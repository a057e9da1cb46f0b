import { agentKey, TASK_ID } from '@memlint/core';
import { boardColumn, stageBoard } from './board.ts';
import type { Agent, Document, Handoff, History, Reflection, Stage, Task } from './schemas.ts';
import type { ChainGap, HandoffRef, TaskRef } from './story-schemas.ts';
import { timelineSvg, type DateCandidate, type SessionDater, type TimelineSession } from './timeline.ts';

// The links that tell a tree's story, made from the history itself (core's index and findings, as
// history.ts carried them): agent names shown one way per tree, each task's board column, the
// handoffs that cite it and its neighbours, handoff navigation with the gaps between, a reflection's
// next task, and each agent's timeline. Nothing here re-checks the tree.

export interface StoryOptions {
  /** How a session's dates are chosen from its candidates (default: the handoff's timestamp, then git's dates). */
  dater?: SessionDater;
}

/** The story fields before tellStory fills them: history.ts spreads these into each entry it makes. */
export const untold = {
  stage: (): Pick<Stage, 'board'> => ({ board: [] }),
  task: (): Pick<Task, 'column' | 'agentId' | 'citedBy' | 'previous' | 'next'> => ({ column: 'other', agentId: null, citedBy: [], previous: null, next: null }),
  handoff: (): Pick<Handoff, 'nav'> => ({ nav: { previous: null, next: null, gapBefore: null, gapAfter: null } }),
  agent: (): Pick<Agent, 'tasks' | 'timeline'> => ({ tasks: [], timeline: '' }),
  reflection: (): Pick<Reflection, 'nextTask'> => ({ nextTask: null }),
};

const handoffLabel = (h: Handoff) => `${h.agent} ${h.handoffWord} ${h.number ?? '?'}`;
const taskRef = (t: Task): TaskRef => ({ id: t.id, taskId: t.taskId, title: t.title, page: t.page });
const hasTaskPage = (t: Task) => Boolean(t.page?.startsWith('/tasks/'));

/**
 * One name per agent and tree: the spelling of its handoff chain when it has one, else the spelling
 * its task logs use most (`backend-agent`, `Backend Agent` and `Agent_Backend` are one agent).
 */
export function agentNames(history: Pick<History, 'agents' | 'tasks'>): (root: string, name: string) => { name: string; agentId: string | null } {
  const chains = new Map<string, Agent>();
  for (const a of history.agents) if (!chains.has(`${a.root}\0${agentKey(a.name)}`)) chains.set(`${a.root}\0${agentKey(a.name)}`, a);
  const spellings = new Map<string, Map<string, number>>();
  for (const t of history.tasks) {
    if (!t.agent) continue;
    const key = `${t.root}\0${agentKey(t.agent)}`;
    const counts = spellings.get(key) ?? new Map<string, number>();
    counts.set(t.agent, (counts.get(t.agent) ?? 0) + 1);
    spellings.set(key, counts);
  }
  return (root, name) => {
    const key = `${root}\0${agentKey(name)}`;
    const chain = chains.get(key);
    if (chain) return { name: chain.name, agentId: chain.id };
    const counts = [...(spellings.get(key) ?? new Map<string, number>())];
    const best = counts.reduce<[string, number] | null>((top, c) => (!top || c[1] > top[1] ? c : top), null);
    return { name: best?.[0] ?? name, agentId: null };
  };
}

/** The date candidates a handoff gives the session it starts or ends: its own timestamp first, then git's. */
function handoffDates(h: Handoff | undefined, doc: Document | undefined, at: DateCandidate['at']): DateCandidate[] {
  if (!h) return [];
  const out: DateCandidate[] = [];
  const n = h.number ?? '?';
  if (h.timestamp) out.push({ value: h.timestamp, source: `${h.handoffWord} ${n} timestamp`, at });
  // git's dates, when the history carries them for the handoff's file.
  const fields = (doc ?? {}) as Record<string, unknown>;
  for (const [field, words] of [['firstCommit', 'first commit'], ['lastCommit', 'last commit']] as const) {
    const value = fields[field];
    if (typeof value === 'string' && value) out.push({ value, source: `git: ${h.handoffWord} ${n} ${words}`, at });
  }
  return out;
}

/** The gap core reported between two handoff numbers of a chain (exclusive), if any. */
function gapBetween(agent: Agent | undefined, after: number, before: number): ChainGap | null {
  const missing = (agent?.breaks ?? []).filter((b) => b.kind === 'gap' && b.session > after && b.session < before);
  if (!missing.length) return null;
  const numbers = [...new Set(missing.map((b) => b.session))].sort((a, b) => a - b);
  const word = agent!.handoffWord;
  const what = numbers.length === 1 ? `${word} ${numbers[0]}` : `${word}s ${numbers[0]}–${numbers.at(-1)}`;
  return { missing: what, ruleId: missing[0]!.ruleId ?? '', message: missing[0]!.message };
}

/** Fills the story fields of a history in place and returns it. */
export function tellStory(history: History, options: StoryOptions = {}): History {
  const trees = new Map(history.trees.map((t) => [t.label, t]));
  const tasksById = new Map(history.tasks.map((t) => [t.id, t]));
  const agentsById = new Map(history.agents.map((a) => [a.id, a]));
  const handoffsById = new Map(history.handoffs.map((h) => [h.id, h]));
  const docsById = new Map(history.documents.map((d) => [d.id, d]));
  const stagesById = new Map(history.stages.map((s) => [s.id, s]));

  // Agents: one name per tree, and the task ↔ agent links.
  const nameOf = agentNames(history);
  for (const t of history.tasks) {
    const named = t.agent ? nameOf(t.root, t.agent) : null;
    t.agent = named?.name ?? null;
    t.agentId = named?.agentId ?? null;
  }

  // Board columns, from core's done and each format's statuses.
  for (const t of history.tasks) t.column = boardColumn(t, trees.get(t.root)?.dialectId ?? '');
  for (const s of history.stages) {
    const inStage = s.tasks.map((id) => tasksById.get(id)).filter((t): t is Task => Boolean(t));
    s.board = stageBoard(inStage, trees.get(s.root)?.dialectId ?? '', s.doneStatuses);
  }

  // A task's handoffs (those that cite it) and its neighbours with pages, in the tree's order.
  for (const t of history.tasks) t.citedBy = [];
  for (const h of history.handoffs) {
    for (const c of h.tasksCited) {
      for (const t of history.tasks) if (t.root === h.root && t.taskId === c.taskId && !t.citedBy.some((x) => x.id === h.id)) t.citedBy.push({ id: h.id, label: handoffLabel(h) });
    }
  }
  const byRoot = new Map<string, Task[]>();
  for (const t of history.tasks) if (hasTaskPage(t)) byRoot.set(t.root, [...(byRoot.get(t.root) ?? []), t]);
  for (const t of history.tasks) {
    const list = byRoot.get(t.root) ?? [];
    const i = list.indexOf(t);
    t.previous = i > 0 ? taskRef(list[i - 1]!) : null;
    t.next = i >= 0 && i < list.length - 1 ? taskRef(list[i + 1]!) : null;
  }

  // Handoff navigation that names where it leads, and the gaps core found on the way.
  for (const h of history.handoffs) {
    const ref = (id: string | null): HandoffRef | null => {
      const other = id ? handoffsById.get(id) : undefined;
      return other ? { id: other.id, label: handoffLabel(other) } : null;
    };
    const agent = agentsById.get(h.agentId);
    const prev = h.previous ? handoffsById.get(h.previous) : undefined;
    const next = h.next ? handoffsById.get(h.next) : undefined;
    const n = h.number;
    h.nav = {
      previous: ref(h.previous),
      next: ref(h.next),
      gapBefore: n === null ? null : gapBetween(agent, prev?.number ?? 0, n),
      gapAfter: n === null || !next || next.number === null ? null : gapBetween(agent, n, next.number),
    };
  }

  // A reflection's Next step leads to the task file it names.
  const taskFiles = new Map<string, Document>();
  for (const d of history.documents) {
    if (d.kind !== 'task-file') continue;
    const fm = d.frontmatter;
    const names = [fm.id, fm.task_id, fm.permalink, ...(Array.isArray(fm.alias) ? fm.alias : [])];
    for (const name of names) if (typeof name === 'string' && name && !taskFiles.has(name)) taskFiles.set(name, d);
  }
  for (const r of history.reflections) {
    const step = Object.entries(r.labels).find(([k]) => /^next[ _-]?steps?$/i.test(k.trim()))?.[1] ?? '';
    const named = [...step.matchAll(TASK_ID)].map((m) => m[0]).find((id) => taskFiles.has(id));
    const file = named ? taskFiles.get(named)! : undefined;
    r.nextTask = file && named ? { id: file.id, taskId: named, title: typeof file.frontmatter.title === 'string' ? file.frontmatter.title : file.title, page: file.url } : null;
  }

  // Each agent's tasks, and its timeline.
  const stageNumber = (id: string | null) => (id ? (stagesById.get(id)?.number ?? null) : null);
  for (const a of history.agents) {
    const mine = history.tasks.filter((t) => t.agentId === a.id);
    a.tasks = mine.map(taskRef);
    const sessions = history.sessions.filter((s) => s.agentId === a.id).sort((x, y) => x.number - y.number);
    // Where a logged task sits: in the session whose handoff cites it, else the first session whose handoff was
    // written in the task's stage or a later one, else (a stage after every handoff's) the current session.
    const placed = new Map<number, TaskRef[]>();
    const place = (k: number, t: Task) => placed.set(k, [...(placed.get(k) ?? []), taskRef(t)]);
    const handoffStages = sessions.map((s) => (s.endedBy ? stageNumber(handoffsById.get(s.endedBy)?.stageId ?? null) : null));
    const latestStage = Math.max(-Infinity, ...handoffStages.filter((n): n is number => n !== null));
    for (const t of mine.filter((x) => x.logged)) {
      const cited = sessions.find((s) => s.endedBy && t.citedBy.some((c) => c.id === s.endedBy));
      const sameStage = sessions.find((_, i) => handoffStages[i] !== null && handoffStages[i]! >= t.stage);
      const current = sessions.find((s) => s.current);
      const home = cited ?? sameStage ?? (t.stage > latestStage ? current : undefined);
      if (home) place(home.number, t);
    }
    const timeline: TimelineSession[] = sessions.map((s) => {
      const started = s.startedBy ? handoffsById.get(s.startedBy) : undefined;
      const ended = s.endedBy ? handoffsById.get(s.endedBy) : undefined;
      return {
        number: s.number,
        instance: started?.to ?? ended?.from ?? null,
        current: s.current,
        stage: ended?.stage ?? started?.stage ?? null,
        tasks: placed.get(s.number) ?? [],
        dates: [...handoffDates(started, docsById.get(started?.id ?? ''), 'start'), ...handoffDates(ended, docsById.get(ended?.id ?? ''), 'end')],
        endedBy: ended ? { number: ended.number, page: ended.page, from: ended.from, to: ended.to, timestamp: ended.timestamp } : null,
      };
    });
    a.timeline = timelineSvg({ agent: a.name, handoffWord: a.handoffWord, sessions: timeline, marks: a.breaks, dater: options.dater });
  }
  return history;
}
