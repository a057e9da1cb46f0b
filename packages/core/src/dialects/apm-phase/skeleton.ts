import { plainText } from '../../markdown/structure.ts';
import { agentIdStyle, chainFor, currentStage, isEmptyDocument, isManager, lastDoneTask, nextHandoffNumber, requireAgent, sectionBlocks, SkeletonError, slugOf, spellAgent, taskAndAgent, taskLogSections, type Fill, type SkeletonDraft, type SkeletonRequest } from '../../skeleton.ts';
import type { Workspace } from '../../workspace/workspace.ts';
import { pad } from './paths.ts';


/** A bold label and its placeholder, as the Phase-era handover files write their sections. */
const labelled = (fill: Fill, entries: readonly (readonly [string, string, string])[]) =>
  entries.map(([label, hint, example]) => `**${label}:**\n- ${fill(hint, example)}`).join('\n\n');

/** The next Phase-era handover file or task log, in `.apm/Memory/`. */
export function phaseSkeleton(ws: Workspace, request: SkeletonRequest & { now: Date }, fill: Fill): SkeletonDraft {
  if (request.kind === 'handoff') return isManager(requireAgent(ws, request)) ? managerHandover(ws, fill) : workerHandover(ws, request, fill);
  if (request.kind === 'task-log') return taskLog(ws, request, fill);
  throw new SkeletonError(`APM Phase-era trees have no ${request.kind}: a handover file or a task log`);
}

function workerHandover(ws: Workspace, request: SkeletonRequest, fill: Fill): SkeletonDraft {
  const agent = spellAgent(ws, requireAgent(ws, request), agentIdStyle);
  const chain = chainFor(ws, agent);
  const n = nextHandoffNumber(chain);
  const last = lastDoneTask(ws, agent, ws.root.dialect.doneStatuses ?? ['Completed']);
  const lastTask = last ? `Task ${last.id}` : fill('the last task this instance completed (Task N.M)', 'Task 1.1');
  const text = `---
agent_type: Implementation
agent_id: ${agent}_${n}
handover_number: ${n}
last_completed_task: ${last ? lastTask : `"${lastTask}"`}
---

# Implementation Agent Handover File - ${agent}

${sectionBlocks([
  ['Active Memory Context', labelled(fill, [
    ['User Preferences', 'how the User likes the work done', 'Small commits that name their task.'],
    ['Working Insights', 'what this instance learned about the project', 'The plan holds; no task needs splitting.'],
  ])],
  ['Task Execution Context', labelled(fill, [
    ['Working Environment', 'tools, services and setup the work needs', 'The test suite runs with the standard command.'],
    ['Issues Identified', 'open problems, or None', 'None.'],
  ])],
  ['Current Context', labelled(fill, [
    ['Recent User Directives', 'what the User asked for lately', 'Carry on with the next task in the plan.'],
    ['Working State', 'the branch, the last commit and what is deployed', 'main is clean; everything is merged.'],
  ])],
  ['Working Notes', labelled(fill, [['Development Patterns', 'conventions the next instance should keep', 'Each task gets its own branch.']])],
])}`;
  return {
    relPath: `Memory/Handovers/${agent}_Handovers/${agent}_Handover_File_${n}.md`,
    text,
    notes: [chain?.links.length ? `handover ${n} follows ${chain.links.at(-1)!.document.relPath}` : `the first handover of ${agent}`, last ? `last_completed_task: Task ${last.id}, the latest Completed log of ${agent}` : `${agent} has no Completed task log: name the last task it completed`],
  };
}

function managerHandover(ws: Workspace, fill: Fill): SkeletonDraft {
  const chain = chainFor(ws, 'manager');
  const n = nextHandoffNumber(chain);
  const phase = currentStage(ws);
  const agents = [...new Set([...ws.tasks.values()].filter((t) => t.stage === phase.number && t.planned?.agent).map((t) => t.planned!.agent!))].sort();
  const rootTitle = ws.memoryRoot?.headings.find((h) => h.depth === 1);
  const project = rootTitle ? plainText(rootTitle.text).split(/\s+[-–—]\s+/)[0]!.trim() : fill('the project name', 'The Project');
  const text = `---
agent_type: Manager
agent_id: Manager_${n}
handover_number: ${n}
current_phase: ${JSON.stringify(`Phase ${phase.number}${phase.name ? `: ${phase.name}` : ''}`)}
active_agents: [${agents.join(', ')}]
---

# Manager Agent Handover File - ${project}

${sectionBlocks([
  ['Active Memory Context', labelled(fill, [
    ['User Directives', 'what the User asked for', 'Finish the current phase before starting the next.'],
    ['Decisions', 'decisions taken and why', 'No change to the plan this session.'],
  ])],
  ['Coordination Status', labelled(fill, [
    ['Producer-Consumer Dependencies', 'which task waits on which', 'None open.'],
    ['Coordination Insights', 'what worked in coordinating the agents', 'Exact interfaces in the assignments saved a round trip.'],
  ])],
  ['Next Actions', labelled(fill, [
    ['Ready Assignments', 'the tasks to assign next, and to whom', 'The next task in the plan.'],
    ['Blocked Items', 'what is blocked and on what, or None', 'None.'],
  ])],
  ['Working Notes', labelled(fill, [['Notes', 'anything else the next Manager needs', 'None.']])],
])}`;
  return { relPath: `Memory/Handovers/Manager_Agent_Handovers/Manager_Agent_Handover_File_${n}.md`, text, notes: [chain?.links.length ? `handover ${n} follows ${chain.links.at(-1)!.document.relPath}` : 'the first Manager handover'] };
}

function taskLog(ws: Workspace, request: SkeletonRequest, fill: Fill): SkeletonDraft {
  const { task, agent } = taskAndAgent(ws, request, agentIdStyle);
  const id = `${task.stage}.${task.task}${task.suffix ?? ''}`;
  const title = task.planned?.title ?? fill('the task title, as in the plan', 'The Task');
  // The Manager pre-creates each task's log empty: that file is the one to fill.
  const precreated = task.logs.find(isEmptyDocument);
  const phase = ws.stages.get(task.stage);
  const folder = phase?.folders[0]?.split('/').at(-1) ?? `Phase_${pad(task.stage)}${phase?.name ? `_${slugOf(phase.name)}` : ''}`;
  const relPath = precreated?.relPath ?? `Memory/${folder}/Task_${task.stage}_${task.task}${task.suffix ?? ''}_${slugOf(task.planned?.title ?? 'Task')}.md`;
  const text = `---
agent: ${agent}
task_ref: Task ${id}
status: "${fill('Completed, Partial, Blocked or Error', 'Completed')}"
ad_hoc_delegation: false
compatibility_issues: false
important_findings: false
---

# Task Log: Task ${id} - ${title}

${taskLogSections(fill, ['Summary', 'Details', 'Output', 'Issues', 'Next Steps'])}`;
  return {
    relPath,
    text,
    notes: [`Task ${id}${task.planned ? ` (${task.planned.title})` : ''}${precreated ? `: fills the empty log the Manager created at ${precreated.relPath}` : ''}`],
  };
}
