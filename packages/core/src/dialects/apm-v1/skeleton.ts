import { agentTasks, chainFor, currentStage, isManager, nextHandoffNumber, requireAgent, sectionBlocks, SkeletonError, spellAgent, taskAndAgent, taskLogSections, type Fill, type SkeletonDraft, type SkeletonRequest } from '../../skeleton.ts';
import type { Workspace } from '../../workspace/workspace.ts';
import { display } from './index.ts';
import { pad } from './paths.ts';

const slugStyle = (words: string[]) => `${words.join('-')}-agent`;

/** The next v1.0 handoff or task log: `memory/handoffs/<agent>/handoff-NN.log.md`, `memory/stage-NN/task-NN-MM.log.md`. */
export function v1Skeleton(ws: Workspace, request: SkeletonRequest & { now: Date }, fill: Fill): SkeletonDraft {
  if (request.kind === 'handoff') return handoff(ws, request, fill);
  if (request.kind === 'task-log') return taskLog(ws, request, fill);
  throw new SkeletonError(`APM v1.0 trees have no ${request.kind}: a handoff or a task log`);
}

function handoff(ws: Workspace, request: SkeletonRequest, fill: Fill): SkeletonDraft {
  const asked = requireAgent(ws, request);
  const manager = isManager(asked);
  const agent = manager ? 'manager' : spellAgent(ws, asked, slugStyle);
  const chain = chainFor(ws, agent);
  const n = nextHandoffNumber(chain);
  const stage = currentStage(ws).number;
  const who = manager ? 'Manager' : display(agent);
  const previous = chain?.links.at(-1);
  const text = `---
agent: ${agent}
outgoing: ${n}
incoming: ${n + 1}
handoff: ${n}
stage: ${stage}
---

# ${who} Handoff ${n} (${who} ${n} → ${who} ${n + 1})

${sectionBlocks([
  ['Summary', fill('what this instance did and where the work stands', 'This instance worked through its assigned work and stopped between tasks; nothing is half done.')],
  ['Working Context', `- ${fill('what the next instance must know to carry on', 'The branches are merged and the tests pass on main.')}`],
  ['Working Notes', `- ${fill('traps, conventions and open questions', 'Run the slow tests with the race detector once before merging.')}`],
])}`;
  const mine = manager ? [] : agentTasks(ws, agent, stage);
  return {
    relPath: `memory/handoffs/${agent}/handoff-${pad(n)}.log.md`,
    text,
    notes: [
      previous ? `handoff ${n} follows ${previous.document.relPath} (handoff ${previous.number})` : `the first handoff of ${agent}`,
      `stage ${stage}: the latest stage with a task log${mine.length ? `; ${agent}'s tasks in it: ${mine.map((t) => t.id).join(', ')}` : ''}`,
    ],
  };
}

function taskLog(ws: Workspace, request: SkeletonRequest, fill: Fill): SkeletonDraft {
  const { task, agent } = taskAndAgent(ws, request, slugStyle);
  const title = task.planned?.title ?? fill('the task title, as in the plan', 'The Task');
  const text = `---
stage: ${task.stage}
task: ${task.task}
title: ${task.planned ? JSON.stringify(title) : `"${title}"`}
agent: ${agent}
status: "${fill('Success, Partial or Failed', 'Success')}"
important_findings: false
compatibility_issues: false
---

# Task ${task.stage}.${task.task} - ${title}

${taskLogSections(fill, ['Summary', 'Details', 'Output', 'Validation', 'Issues'])}`;
  return {
    relPath: `memory/stage-${pad(task.stage)}/task-${pad(task.stage)}-${pad(task.task)}.log.md`,
    text,
    notes: [
      `Task ${task.id}${task.planned ? ` (${task.planned.title}) as the plan declares it` : ''}`,
      'important_findings and compatibility_issues are false: set one to true and add its `## Important Findings` or `## Compatibility Concerns` section when there is one',
    ],
  };
}
