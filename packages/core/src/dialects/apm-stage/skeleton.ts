import { frontmatterData } from '../../document.ts';
import { agentIdStyle, agentTasks, chainFor, chainTime, currentStage, isManager, lastDoneTask, nextHandoffNumber, requireAgent, sectionBlocks, SkeletonError, slugOf, spellAgent, taskAndAgent, taskLogSections, type Fill, type SkeletonDraft, type SkeletonRequest } from '../../skeleton.ts';
import type { StageInfo, Workspace } from '../../workspace/workspace.ts';

const pad = (n: number) => String(n).padStart(2, '0');
const stageLabel = (s: StageInfo) => `Stage ${s.number}${s.name ? ` - ${s.name}` : ''}`;

/** The next Stage-era handoff or task log, in `.apm/Memory/`. */
export function stageSkeleton(ws: Workspace, request: SkeletonRequest & { now: Date }, fill: Fill): SkeletonDraft {
  if (request.kind === 'handoff') return isManager(requireAgent(ws, request)) ? managerHandoff(ws, request, fill) : workerHandoff(ws, request, fill);
  if (request.kind === 'task-log') return taskLog(ws, request, fill);
  throw new SkeletonError(`APM Stage-era trees have no ${request.kind}: a handoff or a task log`);
}

function workerHandoff(ws: Workspace, request: SkeletonRequest & { now: Date }, fill: Fill): SkeletonDraft {
  const agent = spellAgent(ws, requireAgent(ws, request), agentIdStyle);
  const chain = chainFor(ws, agent);
  const n = nextHandoffNumber(chain);
  const stage = currentStage(ws);
  const tasks = agentTasks(ws, agent, stage.number);
  const done = tasks.filter((t) => t.logs.some((d) => (ws.root.dialect.doneStatuses ?? ['Success']).includes(String(frontmatterData(d).status))));
  const last = lastDoneTask(ws, agent, ws.root.dialect.doneStatuses ?? ['Success']);
  const progress = tasks.length > 0 ? `${done.length}/${tasks.length}` : fill('tasks done / tasks of this agent in the stage', '0/1');
  const text = `---
agent_id: ${agent}
outgoing_worker: ${agent}_Session_${n}
incoming_worker: ${agent}_Session_${n + 1}
handoff_number: ${n}
current_stage: ${stageLabel(stage)}
timestamp: ${chainTime(chain, request.now)}
---

# Worker Agent Handoff Memory Log

## Session Summary

**Tasks Completed This Session:** ${fill('how many tasks this session completed, and which (Task N.M)', last ? `1 (Task ${last.id})` : '0')}
**Current Stage:** ${stageLabel(stage)}
**Stage Progress:** ${progress}

${sectionBlocks([
  ['Working Context', `- ${fill('what the next session must know to carry on', 'The work so far is merged and the tests pass.')}`],
  ['Technical Notes', `- ${fill('technical details, traps and conventions', 'Migrations run in order; none is pending.')}`],
  ['Continuation Guidance', `- ${fill('what comes next and what to watch for', 'The next task in the plan has no blocker.')}`],
])}`;
  return {
    relPath: `Memory/Handoffs/${agent}_Handoffs/${agent}_Handoff_Log_${n}.md`,
    text,
    notes: [chain?.links.length ? `handoff ${n} follows ${chain.links.at(-1)!.document.relPath}` : `the first handoff of ${agent}`, `${stageLabel(stage)}: the latest stage with a task log`],
  };
}

function managerHandoff(ws: Workspace, request: SkeletonRequest & { now: Date }, fill: Fill): SkeletonDraft {
  const chain = chainFor(ws, 'manager');
  const n = nextHandoffNumber(chain);
  const stage = currentStage(ws);
  const text = `---
outgoing_manager: Manager_Session_${n}
incoming_manager: Manager_Session_${n + 1}
handoff_number: ${n}
current_stage: ${stageLabel(stage)}
timestamp: ${chainTime(chain, request.now)}
---

# Manager Agent Handoff Memory Log

${sectionBlocks([
  ['Tracked Worker Handoffs', fill('each worker, the stage of its last handoff and the logs it has loaded', 'No worker has handed off since the last Manager handoff.')],
  ['User Preferences', `- ${fill('what the User asked for and how they like to work', 'The User reviews each stage before the next one starts.')}`],
  ['Coordination Insights', `- ${fill('what worked and what did not in coordinating the workers', 'Giving workers the exact interface in the assignment saved a round trip.')}`],
  ['Working Notes', `- ${fill('open questions and the next steps', 'Assign the next task in the plan.')}`],
])}`;
  return { relPath: `Memory/Handoffs/Manager_Handoffs/Manager_Handoff_Log_${n}.md`, text, notes: [chain?.links.length ? `handoff ${n} follows ${chain.links.at(-1)!.document.relPath}` : 'the first Manager handoff'] };
}

function taskLog(ws: Workspace, request: SkeletonRequest, fill: Fill): SkeletonDraft {
  const { task, agent } = taskAndAgent(ws, request, agentIdStyle);
  const stage = ws.stages.get(task.stage);
  const folder = stage?.folders[0]?.split('/').at(-1) ?? `Stage_${pad(task.stage)}${stage?.name ? `_${slugOf(stage.name)}` : ''}`;
  const slug = slugOf(task.planned?.title ?? 'Task');
  const text = `---
agent: ${agent}
task_id: Task ${task.stage}.${task.task}
status: "${fill('Success, Partial, Failed or Blocked (then say where in failure_point)', 'Success')}"
failure_point: null
important_findings: false
compatibility_issues: false
---

# Task Memory Log: Task ${task.stage}.${task.task} - ${slug}

${taskLogSections(fill, ['Summary', 'Details', 'Output', 'Validation', 'Issues', 'Next Steps'])}`;
  return {
    relPath: `Memory/${folder}/Task_Log_${pad(task.stage)}_${pad(task.task)}_${slug}.md`,
    text,
    notes: [`Task ${task.id}${task.planned ? ` (${task.planned.title})` : ''}`, 'failure_point stays null on Success; important_findings and compatibility_issues true call for their sections'],
  };
}
