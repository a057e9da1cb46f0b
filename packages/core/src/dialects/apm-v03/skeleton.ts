import { plainText } from '../../markdown/structure.ts';
import { agentIdStyle, SkeletonError, slugOf, taskAndAgent, type Fill, type SkeletonDraft, type SkeletonRequest } from '../../skeleton.ts';
import type { Workspace } from '../../workspace/workspace.ts';

/** The next v0.3 Memory Bank entry (appended to the bank, or a task log file in a multi-file bank) or Handover File. */
export function v03Skeleton(ws: Workspace, request: SkeletonRequest & { now: Date }, fill: Fill): SkeletonDraft {
  if (request.kind === 'task-log') return entry(ws, request, fill);
  if (request.kind === 'handoff') return handover(ws, request, fill);
  throw new SkeletonError(`APM v0.3 trees have no ${request.kind}: a Memory Bank entry (task-log) or a Handover File (handoff)`);
}

function entry(ws: Workspace, request: SkeletonRequest, fill: Fill): SkeletonDraft {
  const { task, agent } = taskAndAgent(ws, request, agentIdStyle);
  const title = task.planned?.title ?? fill('the task title, as in the plan', 'The Task');
  const body = `---
**Agent:** ${agent}
**Task Reference:** Phase ${task.stage} / Task ${task.id} / ${title}

**Summary:**
${fill('what was done and how the task ended', 'Implemented what the task asked for; the checks pass.')}

**Details:**
- ${fill('the steps taken and the decisions made', 'Followed the approach the plan describes.')}

**Output/Result:**
- ${fill('files, commands and results produced', 'The changed files, committed.')}

**Status:** ${fill('Completed, Partially Completed, Blocked, Error or Information Only', 'Completed')}

**Issues/Blockers:**
${fill('problems met, or None', 'None')}

**Next Steps (Optional):**
${fill('what should follow, or None', 'None')}
`;
  const bank = ws.memoryRoot;
  // A single-file Memory Bank takes entries at its end; a multi-file one has a log file per task.
  if (bank && !/^Memory\/README\.md$/i.test(bank.relPath)) {
    const text = bank.source.text;
    const gap = text === '' ? '' : text.endsWith('\n\n') ? '' : text.endsWith('\n') ? '\n' : '\n\n';
    return { relPath: bank.relPath, mode: 'append', text: `${gap}${body}`, notes: [`Task ${task.id}: an entry appended at the end of ${bank.relPath}`] };
  }
  const phase = ws.stages.get(task.stage);
  const folder = phase?.folders[0] ?? `Memory/Phase_${task.stage}${phase?.name ? `_${slugOf(phase.name)}` : ''}`;
  return { relPath: `${folder}/Task_${task.id}_Log.md`, text: body, notes: [`Task ${task.id}: its log file in ${folder}/`] };
}

const HANDOVER_SECTIONS = [
  'Handover Overview',
  'Project Goal & Current Objectives',
  'Implementation Plan Status',
  'Key Decisions & Rationale Log',
  'Active Agent Roster & Current Assignments',
  'Recent Memory Bank Entries',
  'Recent Conversational Context & Key User Directives',
  'Critical Code Snippets / Configuration / Outputs',
  'Current Obstacles, Challenges & Risks',
  'Outstanding User/Manager Directives or Questions',
  'Key Project File Manifest',
] as const;

function handover(ws: Workspace, request: SkeletonRequest & { now: Date }, fill: Fill): SkeletonDraft {
  // v0.3 overwrites its one Handover File at each handover; a new one is numbered after those there.
  const numbers = ws.documents.filter((d) => d.kind === 'manager-handoff-log' || d.kind === 'worker-handoff-log').map((d) => d.ids.handoff ?? 1);
  const n = Math.max(0, ...numbers) + 1;
  const planTitle = ws.plan?.headings.find((h) => h.depth === 1);
  const named = planTitle ? /[-–—:]\s*(.+)$/.exec(plainText(planTitle.text))?.[1]?.trim() : undefined;
  const project = named ?? fill('the project name', 'The Project');
  const outgoing = request.agent?.trim() || 'Manager';
  const date = request.now.toISOString().slice(0, 10);
  const sections = HANDOVER_SECTIONS.map((title, i) => {
    const body =
      i === 0
        ? `*   **Outgoing Agent ID:** ${outgoing}_Instance_${n - 1 || 1}\n*   **Incoming Agent ID:** ${outgoing}_Instance_${n}\n*   **Reason for Handover:** ${fill('why the handover happens now', 'Context limit approaching')}\n*   **Brief Project Status Summary:** ${fill('where the project stands', 'The current phase is under way as planned.')}`
        : fill(`${title.toLowerCase()}`, 'Nothing to add since the last handover.');
    return `## Section ${i + 1}: ${title}\n\n${body}\n`;
  });
  return {
    relPath: n === 1 ? 'Handover_File.md' : `Handover_File_${n}.md`,
    text: `# APM Handover File - ${project} - ${date}\n\n${sections.join('\n')}`,
    notes: [n === 1 ? 'the first Handover File' : `Handover File ${n}: the tree's Handover File stays as it is (memlint never overwrites one)`],
  };
}
