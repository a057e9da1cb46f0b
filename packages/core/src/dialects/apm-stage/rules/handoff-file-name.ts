import { frontmatterData } from '../../../document.ts';
import { valueRange } from '../../../rules/locate.ts';
import { defineRule } from '../../../rules/rule.ts';
import { chainPlace } from '../../../workspace/workspace.ts';

export const handoffFileName = defineRule({
  meta: {
    id: 'handoff-file-name',
    description: 'A handoff log lives at `Handoffs/<AgentID>_Handoffs/<AgentID>_Handoff_Log_<N>.md`, agreeing with `agent_id` and `handoff_number`.',
    severity: 'error',
    family: 'apm',
    dialects: ['apm-stage'],
    kinds: ['worker-handoff-log', 'manager-handoff-log'],
  },
  checkDocument(doc, { workspace, report }) {
    if (doc.kind !== 'worker-handoff-log' && doc.kind !== 'manager-handoff-log') return;
    const data = frontmatterData(doc);
    const n = Number.isInteger(data.handoff_number) ? (data.handoff_number as number) : null;
    const { ids } = doc;
    const name = doc.relPath.split('/').pop()!;
    if (doc.kind === 'manager-handoff-log') {
      const want = `Memory/Handoffs/Manager_Handoffs/Manager_Handoff_Log_${n ?? '<N>'}.md`;
      if (ids.handoff === undefined || ids.fileAgent !== undefined || !doc.relPath.startsWith('Memory/Handoffs/Manager_Handoffs/')) {
        report(doc, valueRange(doc, 'handoff_number'), `a Manager handoff log belongs at ${want}, not ${doc.relPath}`, { chain: chainPlace(workspace, doc) });
      } else if (n !== null && ids.handoff !== n) {
        report(doc, valueRange(doc, 'handoff_number'), `handoff_number ${n} disagrees with the file name ${name} (handoff ${ids.handoff})`, { chain: chainPlace(workspace, doc) });
      }
      return;
    }
    const agent = typeof data.agent_id === 'string' && data.agent_id ? data.agent_id : null;
    const want = `Memory/Handoffs/${agent ?? '<AgentID>'}_Handoffs/${agent ?? '<AgentID>'}_Handoff_Log_${n ?? '<N>'}.md`;
    if (ids.handoff === undefined || ids.fileAgent === undefined || ids.folderAgent === undefined) {
      report(doc, valueRange(doc, agent ? 'agent_id' : 'handoff_number'), `a worker handoff log belongs at ${want}, not ${doc.relPath}`, { chain: chainPlace(workspace, doc) });
      return;
    }
    if (n !== null && ids.handoff !== n) {
      report(doc, valueRange(doc, 'handoff_number'), `handoff_number ${n} disagrees with the file name ${name} (handoff ${ids.handoff})`, { chain: chainPlace(workspace, doc) });
    }
    if (agent && (ids.folderAgent !== agent || ids.fileAgent !== agent)) {
      const where = ids.folderAgent !== agent ? `folder ${ids.folderAgent}_Handoffs` : `file prefix ${ids.fileAgent}_`;
      report(doc, valueRange(doc, 'agent_id'), `agent_id ${agent} disagrees with the ${where}; expected ${want}`, { chain: chainPlace(workspace, doc) });
    } else if (!agent && ids.folderAgent !== ids.fileAgent) {
      report(doc, valueRange(doc, 'handoff_number'), `the folder ${ids.folderAgent}_Handoffs and the file prefix ${ids.fileAgent}_ name different agents`, { chain: chainPlace(workspace, doc) });
    }
  },
});
