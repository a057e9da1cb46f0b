import path from 'node:path';
import { frontmatterData, type LoadIssue, type MemoryDocument, type Workspace } from '@memlint/core';
import type { AgentState, ProgressKey, TreeDashboard } from './dashboard-schemas.ts';
import type { Agent, Document, Finding, Handoff, Reflection, Stage, Task } from './schemas.ts';

/** One tree's part of the history, as history.ts built it, and what the dashboard reads beside it. */
export interface DashboardInput {
  ws: Workspace;
  /** The tree's label (`apm-stage/.apm`); the history's entries carry it as `root`. */
  root: string;
  stages: Stage[];
  tasks: Task[];
  agents: Agent[];
  handoffs: Handoff[];
  reflections: Reflection[];
  /** The tree's documents and findings. */
  documents: Document[];
  findings: Finding[];
  /** The history's document of a file of the tree. */
  documentOf(doc: MemoryDocument): Document | undefined;
  /** Folders of the tree that could not be read. */
  issues: readonly LoadIssue[];
}

const WORST_FINDINGS = 5;

// A heading part that only says what kind of file it is (`APM Implementation Plan`, `Memory Bank`), or a date.
const GENERIC_SUFFIX = /\s*\b(?:APM\s+)?(?:Implementation\s+Plan|Memory\s+Root|Memory\s+Bank|Memory\s+Index|Specifications?|Spec|Plan|Tracker|Handover\s+File|Handoff)$/i;
const projectFromHeading = (heading: string): string | null => {
  for (const part of heading.split(/\s+[-–—|:]\s+|:\s+/)) {
    const name = part.replace(GENERIC_SUFFIX, '').replace(/^APM\b\s*/i, '').trim();
    if (name && !/^\d{4}-\d{2}-\d{2}/.test(name)) return name;
  }
  return null;
};

const nonEmpty = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);

/** The project's name: a `title` the plan, spec, memory index or tracker states, else their H1 without the kind's words. */
export function projectName(ws: Workspace, documentOf: DashboardInput['documentOf']): TreeDashboard['project'] {
  const byKind = (kind: string) => ws.documents.filter((d) => d.kind === kind);
  const sources = [
    ...(ws.plan ? [ws.plan] : []),
    ...byKind('specifications'),
    ...(ws.memoryRoot ? [ws.memoryRoot] : []),
    ...byKind('memory-index'),
    ...byKind('tracker'),
    ...byKind('manager-handoff-log'),
  ];
  const at = (doc: MemoryDocument, name: string, from: TreeDashboard['project']['from']) => {
    const entry = documentOf(doc);
    return { name, file: entry?.file ?? null, page: entry?.url ?? null, from };
  };
  for (const doc of sources) {
    const title = nonEmpty(frontmatterData(doc).title);
    if (title) return at(doc, title, 'title');
  }
  for (const doc of sources) {
    const name = doc.title ? projectFromHeading(doc.title.text) : null;
    if (name) return at(doc, name, 'heading');
  }
  // aops task files name their project; the most common name wins.
  const counts = new Map<string, { n: number; doc: MemoryDocument }>();
  for (const doc of ws.documents) {
    const project = nonEmpty(frontmatterData(doc).project);
    if (!project) continue;
    const seen = counts.get(project);
    counts.set(project, { n: (seen?.n ?? 0) + 1, doc: seen?.doc ?? doc });
  }
  const top = [...counts].sort((a, b) => b[1].n - a[1].n)[0];
  if (top) return at(top[1].doc, top[0], 'project');
  const dir = ws.root.loose ? '' : path.basename(path.dirname(ws.root.dir));
  return { name: dir && !dir.startsWith('.') ? dir : ws.root.loose ? 'Files outside .apm/' : path.basename(ws.root.dir), file: null, page: null, from: 'folder' };
}

/** A task's segment of the progress bar: done as core says, not logged without a log, else by its status's word. */
export function progressKey(task: Pick<Task, 'done' | 'logged' | 'status'>): ProgressKey {
  if (task.done) return 'done';
  if (!task.logged) return 'not-logged';
  if (/\bpartial/i.test(task.status)) return 'partial';
  if (/\bblock/i.test(task.status)) return 'blocked';
  if (/\b(?:fail|error)/i.test(task.status)) return 'failed';
  return 'other';
}

const PROGRESS_LABELS: Record<ProgressKey, string> = {
  done: 'done',
  partial: 'partial',
  blocked: 'blocked',
  failed: 'failed',
  other: 'other status',
  'not-logged': 'not logged',
};

/**
 * The stage now under way: the one after the last finished stage. A stage is finished when every
 * task of it is done, when a tracker collapses it as done, or when a stage summary was written for
 * it (the Manager writes one as a stage closes).
 */
export function currentStage(input: Pick<DashboardInput, 'ws' | 'stages'>): TreeDashboard['currentStage'] {
  const stages = [...input.stages].sort((a, b) => a.number - b.number);
  if (stages.length === 0) return null;
  const tracked = new Map(input.ws.trackerStages.map((t) => [t.stage, t.document.relPath]));
  const finishedBy = (s: Stage): string | null => {
    if (s.progress.total > 0 && s.progress.done === s.progress.total) return s.progress.total === 1 ? 'its one task is done' : `all ${s.progress.total} of its tasks are done`;
    if (tracked.has(s.number)) return `${tracked.get(s.number)} marks it complete`;
    if (s.summaries.length > 0) return `${s.summaries[0]!.file.split('/').pop()} summarises it`;
    return null;
  };
  const label = (s: Stage) => `${s.word} ${s.number}`;
  let last = -1;
  let why: string | null = null;
  stages.forEach((s, i) => {
    const by = finishedBy(s);
    if (by) [last, why] = [i, by];
  });
  const entry = (s: Stage, reason: string, allFinished: boolean) => ({ id: s.id, number: s.number, label: label(s), name: s.name, reason, allFinished });
  if (last === -1) return entry(stages[0]!, `no ${stages[0]!.word.toLowerCase()} is finished yet: this is the first`, false);
  const done = stages[last]!;
  if (last === stages.length - 1) return entry(done, `every ${done.word.toLowerCase()} is finished; ${label(done)}, the last: ${why}`, true);
  return entry(stages[last + 1]!, `it follows ${label(done)}, the last finished one: ${why}`, false);
}

const latestOf = <T>(items: T[], dateOf: (t: T) => string | null): { item: T; date: string } | null => {
  let best: { item: T; date: string; t: number } | null = null;
  for (const item of items) {
    const date = dateOf(item);
    const t = date ? Date.parse(date) : NaN;
    if (!Number.isNaN(t) && (!best || t > best.t)) best = { item, date: date!, t };
  }
  return best && { item: best.item, date: best.date };
};

/** What the site cannot model about a tree, said in words: what is shown, and why the rest is not. */
export function treeLimits(input: DashboardInput): string[] {
  const { ws } = input;
  const dialect = ws.root.dialect;
  const limits: string[] = [];
  if (ws.root.loose) {
    const reflections = input.reflections.length;
    limits.push(
      `These files are outside any .apm/ tree: they have no plan, ${dialect.stageWord?.toLowerCase() ?? 'stage'}s or handoff chains, so there is no current stage or progress to show. ` +
        `Shown: their findings${reflections ? ` and ${reflections} reflection${reflections === 1 ? '' : 's'}` : ''}.`,
    );
  } else if (dialect.id === 'unknown') {
    limits.push('memlint could not tell which format this tree is written in (no version in metadata.json and no layout it knows): shown are its files and the findings of the generic checks, with no stages, tasks or handoff chains.');
  } else {
    if (!dialect.rulesAvailable) limits.push(`memlint has no format rules for ${dialect.label} yet: only the generic checks ran on these files.`);
    const word = (dialect.stageWord ?? 'Stage').toLowerCase();
    const planned = input.tasks.some((t) => ws.tasks.get(t.taskId.replace(/^Task /, ''))?.planned);
    if (!ws.plan) limits.push(`There is no implementation plan: progress counts the tasks that have a log, and a task nobody has logged yet is not counted.`);
    else if (!planned) {
      const plan = input.documentOf(ws.plan)?.file ?? ws.plan.relPath;
      limits.push(`The plan (${plan}) declares no task memlint can read: progress counts the tasks that have a log, and a task nobody has logged yet is not counted.`);
    }
    if (input.stages.length === 0) limits.push(`No ${word} is declared or logged, so there is no current ${word} to show.`);
    if (input.agents.length === 0) limits.push(`No handoff log was found, so no agent's session chain is shown.`);
  }
  if (input.issues.length > 0) {
    const first = input.issues[0]!;
    limits.push(`${input.issues.length} part${input.issues.length === 1 ? '' : 's'} of the tree could not be read, so what is shown may be incomplete (${path.basename(first.path)}: ${first.message}).`);
  }
  return limits;
}

/** Where one tree stands, from what history.ts built of it. */
export function treeDashboard(input: DashboardInput): TreeDashboard {
  const { ws } = input;
  const counts = new Map<ProgressKey, number>();
  for (const t of input.tasks) counts.set(progressKey(t), (counts.get(progressKey(t)) ?? 0) + 1);
  const progress = (Object.keys(PROGRESS_LABELS) as ProgressKey[]).map((key) => ({ key, label: PROGRESS_LABELS[key], count: counts.get(key) ?? 0 }));

  const handoffById = new Map(input.handoffs.map((h) => [h.id, h]));
  const docById = new Map(input.documents.map((d) => [d.id, d]));
  const agents: AgentState[] = input.agents.map((a) => {
    const latest = a.handoffs.length ? handoffById.get(a.handoffs.at(-1)!) : undefined;
    return {
      id: a.id,
      name: a.name,
      role: a.role,
      instance: a.currentSession,
      latestHandoff: latest
        ? { id: latest.id, page: latest.page, label: `${latest.handoffWord} ${latest.number ?? '?'}`, timestamp: latest.timestamp, firstCommit: docById.get(latest.id)?.firstCommit ?? null }
        : null,
    };
  });

  const git = input.documents.some((d) => d.lastCommit);
  let lastActivity: TreeDashboard['lastActivity'] = null;
  if (git) {
    const hit = latestOf(input.documents, (d) => d.lastCommit);
    if (hit) lastActivity = { date: hit.date, source: 'git', file: hit.item.file, page: hit.item.url };
  } else {
    // Without git: the latest date the files state (handoff timestamps, reflection dates).
    const stated = [
      ...input.handoffs.map((h) => ({ date: h.timestamp, file: h.file, page: h.page })),
      ...input.reflections.map((r) => ({ date: r.date, file: r.file, page: r.page })),
    ];
    const hit = latestOf(stated, (s) => s.date);
    if (hit) lastActivity = { date: hit.date, source: 'stated', file: hit.item.file, page: hit.item.page };
  }

  const severityRank = (f: Finding) => (f.severity === 'error' ? 0 : 1);
  const worst = [...input.findings]
    .sort((a, b) => severityRank(a) - severityRank(b) || a.file.localeCompare(b.file) || a.line - b.line)
    .slice(0, WORST_FINDINGS)
    .map((f) => ({ ruleId: f.ruleId, severity: f.severity, message: f.message, file: f.file, line: f.line, page: f.page }));
  const errors = input.findings.filter((f) => f.severity === 'error').length;

  // What landed when: each stage's task logs and handoffs, by the date git first saw them.
  const landed = git
    ? [...input.stages]
        .sort((a, b) => a.number - b.number)
        .map((s) => {
          const logs = input.tasks.filter((t) => t.stageId === s.id).flatMap((t) => t.logs.map((l) => ({ label: l.followUp ? `${t.taskId} (follow-up)` : t.taskId, id: l.id })));
          const handoffs = input.handoffs.filter((h) => h.stageId === s.id).map((h) => ({ label: `${h.agent} ${h.handoffWord} ${h.number ?? '?'}`, id: h.id }));
          const entries = [...logs, ...handoffs]
            .map(({ label, id }) => ({ label, doc: docById.get(id) }))
            .filter((e): e is { label: string; doc: Document & { firstCommit: string } } => Boolean(e.doc?.firstCommit))
            .map((e) => ({ label: e.label, file: e.doc.file, page: e.doc.url, firstCommit: e.doc.firstCommit }))
            .sort((a, b) => a.firstCommit.localeCompare(b.firstCommit) || a.file.localeCompare(b.file));
          return { stageId: s.id, label: `${s.word} ${s.number}: ${s.name}`, entries };
        })
        .filter((s) => s.entries.length > 0)
    : [];

  return {
    project: projectName(ws, input.documentOf),
    currentStage: currentStage(input),
    progress,
    tasks: input.tasks.length,
    agents,
    lastActivity,
    findings: { errors, warnings: input.findings.length - errors, worst },
    git,
    landed,
    limits: treeLimits(input),
  };
}
