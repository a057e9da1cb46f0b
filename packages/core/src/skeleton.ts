import path from 'node:path';
import { frontmatterData, type MemoryDocument } from './document.ts';
import type { DialectId } from './dialects/dialect.ts';
import { agentKey } from './text/ids.ts';
import type { HandoffChain, StageInfo, TaskInfo, Workspace } from './workspace/workspace.ts';
import type { ReflectionProfile } from './dialects/aops/profiles.ts';

/** The artifacts an agent writes that memlint can lay out ahead of time. */
export const logKinds = ['handoff', 'task-log', 'reflection'] as const;
export type LogKind = (typeof logKinds)[number];

export interface SkeletonRequest {
  kind: LogKind;
  /** The agent writing it (`backend-agent`, `Agent_Backend`, `manager`); a task log defaults to the plan's agent. */
  agent?: string;
  /** The task (`2.1`, `Task 2.1`); a task log defaults to the next planned task without a log. aops: the task the next session resumes. */
  task?: string;
  /** The time a handoff or reflection is dated with (default: now). */
  now?: Date;
  /** aops: the Framework Reflection profile whose labels the block has. */
  profile?: ReflectionProfile;
}

/** A part of the skeleton the writer must fill in, and a value that would pass (tests fill with it). */
export interface Placeholder {
  /** The text standing in the file, `<fill: …>`. */
  marker: string;
  hint: string;
  example: string;
  /** The first line (1-based) it is on. */
  line: number;
}

/** What a dialect lays out: where the artifact goes inside the root, and its text. */
export interface SkeletonDraft {
  relPath: string;
  text: string;
  /** `append`: the text is added at the end of an existing file (a v0.3 Memory Bank entry). Default `create`. */
  mode?: 'create' | 'append';
  notes?: string[];
}

export interface Skeleton {
  /** Absolute path of the file to write (or to append to). */
  path: string;
  relPath: string;
  dialect: DialectId;
  mode: 'create' | 'append';
  text: string;
  placeholders: Placeholder[];
  /** What the numbers were taken from, for the writer. */
  notes: string[];
}

/** Makes a placeholder marker and records the value that would pass. */
export type Fill = (hint: string, example: string) => string;

/** A request memlint cannot lay out (an unsupported kind, a task already logged, an agent not named), said for people. */
export class SkeletonError extends Error {}

export const PLACEHOLDER = /<fill: [^>\n]*>/g;

/**
 * The next artifact of a kind in a memory tree: its path and a skeleton with the numbers the chain
 * and plan call for, the frontmatter and sections its dialect requires, and `<fill: …>` markers
 * for what only the writer knows. Throws SkeletonError when the dialect cannot lay it out.
 */
export function nextLog(ws: Workspace, request: SkeletonRequest): Skeleton {
  const dialect = ws.root.dialect;
  if (!dialect.skeleton) throw new SkeletonError(`memlint cannot lay out logs for ${dialect.label} trees`);
  const examples = new Map<string, string>();
  const fill: Fill = (hint, example) => {
    const marker = `<fill: ${hint.replace(/[>\n"]/g, ' ')}>`;
    examples.set(marker, example);
    return marker;
  };
  const draft = dialect.skeleton(ws, { ...request, now: request.now ?? new Date() }, fill);
  const placeholders: Placeholder[] = [];
  const lines = draft.text.split('\n');
  const seen = new Set<string>();
  lines.forEach((line, i) => {
    for (const m of line.matchAll(PLACEHOLDER)) {
      if (seen.has(m[0])) continue;
      seen.add(m[0]);
      placeholders.push({ marker: m[0], hint: m[0].slice(7, -1), example: examples.get(m[0]) ?? 'TODO', line: i + 1 });
    }
  });
  return {
    path: path.join(ws.root.dir, ...draft.relPath.split('/')),
    relPath: draft.relPath,
    dialect: dialect.id,
    mode: draft.mode ?? 'create',
    text: draft.text,
    placeholders,
    notes: draft.notes ?? [],
  };
}

/** The skeleton's text with every placeholder replaced by its example (what a test writes "after filling"). */
export function fillExamples(text: string, placeholders: readonly Placeholder[]): string {
  return placeholders.reduce((t, p) => t.replaceAll(p.marker, p.example), text);
}

// ---------------------------------------------------------------------------------------------
// What every APM dialect's skeleton reads from the neutral index.

/** A document with nothing in it (the Phase-era Manager pre-creates task logs empty). */
export const isEmptyDocument = (d: MemoryDocument) => d.source.text.trim() === '';

/** The agent's (or the Manager's) handoff chain, when it has one. */
export function chainFor(ws: Workspace, agent: string): HandoffChain | null {
  const manager = isManager(agent);
  const key = manager ? 'manager' : agentKey(agent);
  return ws.chains.find((c) => (manager ? c.role === 'manager' : c.role === 'worker' && c.key === key)) ?? null;
}

export function isManager(agent: string): boolean {
  return /^manager(?:[\s_-]*agent)?$/i.test(agent.trim());
}

/** The number the next handoff of a chain takes: one past the highest written. */
export function nextHandoffNumber(chain: HandoffChain | null): number {
  const numbers = (chain?.links ?? []).map((l) => l.number ?? 0);
  return Math.max(0, ...numbers) + 1;
}

/** The agent a handoff is for: named, or it is a usage error (which chains there are, said). */
export function requireAgent(ws: Workspace, request: SkeletonRequest): string {
  const agent = request.agent?.trim();
  if (agent) return agent;
  const known = ws.chains.map((c) => c.agent);
  throw new SkeletonError(`a handoff is written by one agent: name it (agent${known.length ? `; this tree's chains: ${known.join(', ')}` : ''})`);
}

/** How this tree spells an agent: as its handoff chain or its task logs do, else in the dialect's form. */
export function spellAgent(ws: Workspace, agent: string, style: (words: string[]) => string): string {
  const chain = chainFor(ws, agent);
  if (chain && chain.role === 'worker') return chain.agent;
  const info = ws.agents.get(agentKey(agent));
  for (const log of info?.taskLogs ?? []) {
    const said = frontmatterData(log).agent;
    if (typeof said === 'string' && said.trim()) return said.trim();
  }
  return style(agentKey(agent).split('-').filter(Boolean));
}

/** `Kiln Load Board` → `Kiln_Load_Board`, for file and folder names. */
export const slugOf = (title: string) => title.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'Task';

/** Whether a task has a log with something in it. */
export const logged = (t: TaskInfo) => t.logs.some((d) => !isEmptyDocument(d));

/** `2.1`, `Task 2.1`, `task_2_1`, `2.1a` → the task's stage, number and suffix. */
export function parseTaskId(text: string): { stage: number; task: number; suffix: string; id: string } | null {
  const m = /(\d+)[._-](\d+)([a-z])?\b/i.exec(text);
  if (!m) return null;
  const suffix = m[3]?.toLowerCase() ?? '';
  return { stage: Number(m[1]), task: Number(m[2]), suffix, id: `${Number(m[1])}.${Number(m[2])}${suffix}` };
}

const byId = (a: TaskInfo, b: TaskInfo) => a.stage - b.stage || a.task - b.task || (a.suffix ?? '').localeCompare(b.suffix ?? '');

/**
 * The task a new task log is for: the one named (it must not have a log yet, and must be planned
 * when the tree has a plan), else the first planned task of the agent (or of anyone) with no log.
 */
export function pickTask(ws: Workspace, request: SkeletonRequest): TaskInfo {
  if (request.task?.trim()) {
    const id = parseTaskId(request.task);
    if (!id) throw new SkeletonError(`task: expected a task id such as 2.1, got "${request.task}"`);
    const task = ws.tasks.get(id.id);
    if (task && logged(task)) throw new SkeletonError(`Task ${id.id} already has a log: ${task.logs.find((d) => !isEmptyDocument(d))!.relPath}`);
    if (!task?.planned && ws.provides.plan) {
      throw new SkeletonError(`Task ${id.id} is not in the plan (planned and not logged yet: ${openTasks(ws).map((t) => t.id).join(', ') || 'none'})`);
    }
    return task ?? { id: id.id, stage: id.stage, task: id.task, ...(id.suffix ? { suffix: id.suffix } : {}), logs: [], planned: null };
  }
  const open = openTasks(ws);
  const agent = request.agent?.trim();
  const mine = agent ? open.filter((t) => t.planned?.agent && agentKey(t.planned.agent) === agentKey(agent)) : open;
  const task = mine[0];
  if (!task) {
    throw new SkeletonError(
      open.length === 0 ? 'every planned task has a log: name the task (task)' : `no planned task of ${agent} is without a log (open tasks: ${open.map((t) => t.id).join(', ')}): name the task`,
    );
  }
  return task;
}

/** Planned tasks with no log yet, in plan order. */
export function openTasks(ws: Workspace): TaskInfo[] {
  return [...ws.tasks.values()].filter((t) => t.planned && !logged(t)).sort(byId);
}

/** The stage work is in: the highest with a task logged, else the first planned, else 1. */
export function currentStage(ws: Workspace): StageInfo {
  const withLogs = [...ws.tasks.values()].filter(logged).map((t) => t.stage);
  const stages = [...ws.stages.keys()].sort((a, b) => a - b);
  const n = withLogs.length ? Math.max(...withLogs) : (stages[0] ?? 1);
  return ws.stages.get(n) ?? { number: n, name: null, folders: [], planned: null };
}

/** The tasks of a stage that are the agent's (by the plan, or by who logged them), in order. */
export function agentTasks(ws: Workspace, agent: string, stage: number): TaskInfo[] {
  const key = agentKey(agent);
  const mine = (t: TaskInfo) =>
    (t.planned?.agent && agentKey(t.planned.agent) === key) ||
    t.logs.some((d) => {
      const said = frontmatterData(d).agent;
      return typeof said === 'string' && agentKey(said) === key;
    });
  return [...ws.tasks.values()].filter((t) => t.stage === stage && mine(t)).sort(byId);
}

/** The latest task (in plan order) the agent has a log of, whose status is one of `done`. */
export function lastDoneTask(ws: Workspace, agent: string, done: readonly string[]): TaskInfo | null {
  const key = agentKey(agent);
  const tasks = [...ws.tasks.values()].sort(byId).filter((t) =>
    t.logs.some((d) => {
      const data = frontmatterData(d);
      return typeof data.agent === 'string' && agentKey(data.agent) === key && done.includes(String(data.status));
    }),
  );
  return tasks.at(-1) ?? null;
}

/** An ISO 8601 UTC time to the second, never before the last one the chain states. */
export function chainTime(chain: HandoffChain | null, now: Date): string {
  const at = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const last = chain?.links.map((l) => l.timestamp?.value).filter((v): v is string => typeof v === 'string').sort().at(-1);
  return last && Date.parse(last) > now.getTime() ? last : at;
}

/** `## Heading` and a placeholder paragraph under it, for each section. */
export function sectionBlocks(sections: readonly (readonly [string, string])[]): string {
  return sections.map(([heading, body]) => `## ${heading}\n\n${body}\n`).join('\n');
}

/** The task a task log is for and the agent writing it (named, else the plan's), spelled as this tree spells agents. */
export function taskAndAgent(ws: Workspace, request: SkeletonRequest, style: (words: string[]) => string): { task: TaskInfo; agent: string } {
  const task = pickTask(ws, request);
  const named = request.agent?.trim() || task.planned?.agent;
  if (!named) throw new SkeletonError(`the plan names no agent for Task ${task.id}: name it (agent)`);
  return { task, agent: spellAgent(ws, named, style) };
}

/** What each task-log section asks for, and text that passes. */
const TASK_SECTIONS: Record<string, [hint: string, example: string, list: boolean]> = {
  Summary: ['what was done and how the task ended', 'Implemented what the task asked for; the checks pass.', false],
  Details: ['the steps taken and the decisions made', 'Followed the approach the plan describes.', true],
  Output: ['files, commits and artifacts produced', 'The changed files, committed on the task branch.', true],
  Validation: ['how the result was checked, and what the checks said', 'The test suite passes.', true],
  Issues: ['problems met, or None', 'None.', false],
  'Next Steps': ['what should follow, or None', 'None.', false],
};

/** The sections of a task log, in the order given, each with its placeholder. */
export function taskLogSections(fill: Fill, headings: readonly string[]): string {
  return sectionBlocks(
    headings.map((h) => {
      const [hint, example, list] = TASK_SECTIONS[h] ?? [h.toLowerCase(), 'None.', false];
      return [h, `${list ? '- ' : ''}${fill(hint, example)}`] as const;
    }),
  );
}

/** `Agent_Backend` from `backend`: the APM Stage and Phase eras' (and v0.3's) way of writing an agent id. */
export const agentIdStyle = (words: string[]) => `Agent_${words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('_')}`;
