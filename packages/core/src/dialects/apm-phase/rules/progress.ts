import { frontmatterData, type MemoryDocument } from '../../../document.ts';
import { valueRange } from '../../../rules/locate.ts';
import { defineRule } from '../../../rules/rule.ts';
import type { Workspace } from '../../../workspace/workspace.ts';
import { isEmptyLog, logTask } from '../index.ts';
import { pad } from '../paths.ts';

const crossFile = { family: 'apm', crossFile: true, dialects: ['apm-phase'] } as const;
const name = (doc: MemoryDocument) => doc.relPath.split('/').pop()!;
const letters = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '');

/** Why a phase is over, or null while it may still be in progress. */
function phaseOver(ws: Workspace, phase: number): string | null {
  const later = [...ws.tasks.values()].filter((t) => t.stage > phase && t.logs.length > 0).map((t) => t.stage);
  if (later.length > 0) return `Phase ${Math.min(...later)} has begun`;
  const planned = [...ws.tasks.values()].filter((t) => t.stage === phase && t.planned);
  const statuses = ws.root.dialect.doneStatuses ?? [];
  const done = (t: (typeof planned)[number]) => t.logs.some((l) => statuses.includes(String(frontmatterData(l).status)));
  if (planned.length > 0 && planned.every(done)) return `every task the plan gives Phase ${phase} has a Completed log`;
  return null;
}

export const taskLogEmpty = defineRule({
  meta: {
    id: 'task-log-empty',
    description: 'A task log the Manager created empty is filled in once its phase is over: an empty one means the task was never logged.',
    severity: 'warning',
    ...crossFile,
    kinds: ['task-log'],
  },
  checkWorkspace({ workspace, report }) {
    const summarised = new Set(workspace.summaries.map((s) => s.stage));
    const cited = new Set(workspace.chains.flatMap((c) => c.links.flatMap((l) => (l.citedTasks ?? []).map((t) => t.value))));
    for (const doc of workspace.documents) {
      if (!isEmptyLog(doc)) continue;
      const task = logTask(doc);
      if (!task) continue;
      const id = `${task.stage}.${task.task}${task.suffix}`;
      const why = cited.has(id)
        ? `a handover names Task ${id} as its last completed task`
        : summarised.has(task.stage)
          ? `the Memory Root already summarises Phase ${task.stage}`
          : phaseOver(workspace, task.stage);
      if (!why) continue; // the phase is in progress: the log is waiting for its task
      report(doc, doc.source.lineRange(1), `the log of Task ${id} is still empty, but ${why}: the task was never logged (the Manager creates the file when it assigns the task, and the agent fills it in when it is done)`);
    }
  },
});

export const taskLogDuplicate = defineRule({
  meta: {
    id: 'task-log-duplicate',
    description: 'A task has one log (follow-ups aside): a second log of the same task id is a stale copy or a misnumbered task.',
    severity: 'error',
    ...crossFile,
    kinds: ['task-log'],
  },
  checkWorkspace({ workspace, report }) {
    for (const task of workspace.tasks.values()) {
      const own = task.logs.filter((l) => !logTask(l)?.followUp);
      if (own.length < 2) continue;
      // The log named after the plan's title is the task's own; the others are reported.
      const title = task.planned ? letters(task.planned.title) : null;
      const keeper = own.find((l) => title !== null && l.ids.slug !== undefined && letters(l.ids.slug) === title) ?? [...own].sort((a, b) => a.relPath.localeCompare(b.relPath))[0]!;
      for (const log of own) {
        if (log === keeper) continue;
        const range = 'task_ref' in frontmatterData(log) ? valueRange(log, 'task_ref') : (log.title?.range ?? log.source.lineRange(1));
        const why = keeper.ids.slug !== undefined && title !== null && letters(keeper.ids.slug) === title ? ', named after the plan\'s title' : '';
        report(log, range, `Task ${task.id} already has a log, ${keeper.relPath}${why}: ${name(log)} is a second one (merge what it adds into that log and remove it, or correct its task_ref if it is another task's)`);
      }
    }
  },
});

export const phaseSummaryPresent = defineRule({
  meta: {
    id: 'phase-summary-present',
    description: 'A phase that is over, and has task logs, has its `## Phase NN – Name Summary` in the Memory Root.',
    severity: 'error',
    ...crossFile,
    kinds: ['memory-root'],
  },
  checkWorkspace({ workspace, report }) {
    const root = workspace.memoryRoot;
    if (!root || root.problem) return;
    const summarised = new Set(workspace.summaries.filter((s) => s.document === root).map((s) => s.stage));
    const phases = [...new Set([...workspace.tasks.values()].filter((t) => t.logs.length > 0).map((t) => t.stage))].sort((a, b) => a - b);
    for (const phase of phases) {
      if (summarised.has(phase)) continue;
      const why = phaseOver(workspace, phase);
      if (!why) continue;
      const logs = [...workspace.tasks.values()].filter((t) => t.stage === phase).reduce((n, t) => n + t.logs.length, 0);
      const title = workspace.stages.get(phase)?.name ?? '<Name>';
      report(root, root.title?.range ?? root.source.lineRange(1), `Phase ${phase} is over (${why}) and has ${logs} task log${logs === 1 ? '' : 's'}, but the Memory Root has no \`## Phase ${pad(phase)} – ${title} Summary\``);
    }
  },
});
