import { frontmatterData } from '../../../document.ts';
import { valueRange } from '../../../rules/locate.ts';
import { defineRule } from '../../../rules/rule.ts';
import { agentKey } from '../../../text/ids.ts';
import { chainPlace, type Workspace } from '../../../workspace/workspace.ts';
import { MANAGER, pad, parseTaskRef, phaseFolder, splitAgentId } from '../paths.ts';

/** Where a phase's logs go: its folder as the tree has it, else the form the format gives. */
function phaseDir(ws: Workspace, phase: number): string {
  return ws.stages.get(phase)?.folders[0] ?? `Memory/Phase_${pad(phase)}_<Slug>`;
}

export const taskRefLocation = defineRule({
  meta: {
    id: 'task-ref-location',
    description: 'A Phase-era task log\'s `task_ref` agrees with its `Phase_NN` folder and `Task_N_M` file name.',
    severity: 'error',
    family: 'apm',
    dialects: ['apm-phase'],
    kinds: ['task-log'],
  },
  checkDocument(doc, { workspace, report }) {
    if (doc.kind !== 'task-log') return;
    const raw = frontmatterData(doc).task_ref;
    const ref = parseTaskRef(raw);
    if (!ref) return; // no frontmatter, or a malformed task_ref: frontmatter-missing and frontmatter-schema report them
    const id = `${ref.stage}.${ref.task}${ref.suffix}`;
    const { ids } = doc;
    const name = doc.relPath.split('/').pop()!;
    const dir = phaseDir(workspace, ref.stage);
    const at = () => valueRange(doc, 'task_ref');
    const want = `${dir}/${ref.followUp ? 'FollowUp' : 'Task'}_${ref.stage}_${ref.task}${ref.suffix}_<Slug>.md`;
    if (ids.stage === undefined || ids.task === undefined) {
      report(doc, at(), `a log for ${ref.followUp ? 'a follow-up to ' : ''}Task ${id} belongs at ${want}, not ${doc.relPath}`);
      return;
    }
    const fileId = `${ids.stage}.${ids.task}${ids.taskSuffix ?? ''}`;
    if (fileId !== id) {
      const said = String(raw).trim();
      const shown = said === `Task ${id}` ? `task_ref: ${said}` : `task_ref ${JSON.stringify(said)} (Task ${id})`;
      report(doc, at(), `${shown} disagrees with the file name ${name} (Task ${fileId}): rename the file, or set task_ref: Task ${fileId}`, {
        expected: [`Task ${fileId}`],
      });
      return;
    }
    const folder = ids.folder ? phaseFolder(ids.folder) : null;
    if (!folder) {
      // The file is named like a task log: only its folder is wrong.
      report(doc, at(), `task logs live in a Phase_NN_<Slug> folder; ${ids.folder ?? 'Memory/'} is not one (expected ${dir}/${name})`);
    } else if (folder.sub === null && folder.phase !== ref.stage) {
      report(doc, at(), `a Phase ${ref.stage} task log filed under ${ids.folder}/ (Phase ${folder.phase}): it belongs at ${dir}/${name}`);
    }
  },
});

export const handoverFilePath = defineRule({
  meta: {
    id: 'handover-file-path',
    description: 'A Phase-era handover file lives at `Memory/Handovers/<Agent>_Handovers/<Agent>_Handover_File_<N>.md`, folder and file naming the agent of its `agent_id`.',
    severity: 'error',
    family: 'apm',
    dialects: ['apm-phase'],
    kinds: ['worker-handoff-log', 'manager-handoff-log'],
  },
  checkDocument(doc, { workspace, report }) {
    if (doc.kind !== 'worker-handoff-log' && doc.kind !== 'manager-handoff-log') return;
    const data = frontmatterData(doc);
    const manager = doc.kind === 'manager-handoff-log';
    const idText = typeof data.agent_id === 'string' && data.agent_id.trim() ? data.agent_id.trim() : null;
    const agent = manager ? MANAGER : idText ? splitAgentId(idText).agent : null;
    const n = typeof data.handover_number === 'number' ? data.handover_number : (doc.ids.handoff ?? 'N');
    const owner = agent ?? '<Agent>';
    const want = `Memory/Handovers/${owner}_Handovers/${owner}_Handover_File_${n}.md`;
    const { ids } = doc;
    const at = () => valueRange(doc, idText ? 'agent_id' : 'handover_number');
    const chain = chainPlace(workspace, doc);
    const extra = chain ? { chain } : {};
    if (ids.handoff === undefined || ids.fileAgent === undefined || ids.folderAgent === undefined) {
      report(doc, at(), `a handover file belongs at ${want}, not ${doc.relPath}`, extra);
      return;
    }
    const same = (a: string, b: string) => agentKey(a) === agentKey(b);
    if (agent && !same(ids.folderAgent, agent)) {
      const whose = manager ? 'the Manager\'s' : `${agent}'s`;
      report(doc, at(), `this is ${whose} handover${idText ? ` (\`agent_id: ${idText}\`)` : ''}, but it is filed in ${ids.folderAgent}_Handovers/: it belongs at ${want}`, extra);
    } else if (agent && !same(ids.fileAgent, agent)) {
      report(doc, at(), `the file name ${doc.relPath.split('/').pop()} names ${ids.fileAgent}, not ${agent}: it belongs at ${want}`, extra);
    } else if (!agent && !same(ids.folderAgent, ids.fileAgent)) {
      report(doc, at(), `the folder ${ids.folderAgent}_Handovers and the file prefix ${ids.fileAgent}_ name different agents`, extra);
    }
  },
});
