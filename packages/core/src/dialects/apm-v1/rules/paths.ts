import { frontmatterData } from '../../../document.ts';
import { valueRange } from '../../../rules/locate.ts';
import { defineRule } from '../../../rules/rule.ts';
import { chainPlace } from '../../../workspace/workspace.ts';
import { agentKey } from '../../../text/ids.ts';
import { pad } from '../paths.ts';
import { countValue } from '../schemas.ts';

export const taskLogLocation = defineRule({
  meta: {
    id: 'task-log-location',
    description: 'A v1.0 task log\'s `stage` and `task` agree with its `stage-NN` folder and `task-NN-MM` file name.',
    severity: 'error',
    family: 'apm',
    dialects: ['apm-v1'],
    kinds: ['task-log'],
  },
  checkDocument(doc, { report }) {
    if (doc.kind !== 'task-log') return;
    const data = frontmatterData(doc);
    const [stage, task] = [countValue(data.stage), countValue(data.task)];
    if (stage === null || task === null) return; // frontmatter-schema reports them
    const { ids } = doc;
    const want = `memory/stage-${pad(stage)}/task-${pad(stage)}-${pad(task)}.log.md`;
    if (ids.stage === undefined || ids.task === undefined) {
      report(doc, valueRange(doc, 'task'), `a log for Task ${stage}.${task} belongs at ${want}, not ${doc.relPath}`);
      return;
    }
    const name = doc.relPath.split('/').pop()!;
    if (ids.stage !== stage || ids.task !== task) {
      const key = ids.stage !== stage ? 'stage' : 'task';
      report(doc, valueRange(doc, key), `Task ${stage}.${task} disagrees with the file name ${name} (Task ${ids.stage}.${ids.task}): move the log to ${want}, or set \`${key}: ${key === 'stage' ? ids.stage : ids.task}\` in the frontmatter`, {
        expected: [String(key === 'stage' ? ids.stage : ids.task)],
      });
    } else if (ids.folderStage === undefined) {
      report(doc, valueRange(doc, 'stage'), `task logs live in a stage-NN folder; ${ids.folder ?? doc.relPath} is not one (expected ${want})`);
    } else if (ids.folderStage !== stage) {
      report(doc, valueRange(doc, 'stage'), `a Stage ${stage} task log filed under ${ids.folder}/ (Stage ${ids.folderStage}): it belongs at ${want}`);
    }
  },
});

export const handoffLogPath = defineRule({
  meta: {
    id: 'handoff-log-path',
    description: 'A v1.0 handoff log lives at `memory/handoffs/<agent>/handoff-NN.log.md`, its folder naming its agent.',
    severity: 'error',
    family: 'apm',
    dialects: ['apm-v1'],
    kinds: ['worker-handoff-log', 'manager-handoff-log'],
  },
  checkDocument(doc, { workspace, report }) {
    if (doc.kind !== 'worker-handoff-log' && doc.kind !== 'manager-handoff-log') return;
    const data = frontmatterData(doc);
    const agent = typeof data.agent === 'string' && data.agent ? data.agent : null;
    const n = countValue(data.handoff);
    const { ids } = doc;
    const owner = agent ?? (doc.kind === 'manager-handoff-log' ? 'manager' : '<agent>');
    const want = `memory/handoffs/${owner}/handoff-${n === null ? 'NN' : pad(n)}.log.md`;
    if (ids.agent === undefined || ids.handoff === undefined) {
      report(doc, valueRange(doc, agent ? 'agent' : 'handoff'), `a handoff log belongs at ${want}, not ${doc.relPath}`, { chain: chainPlace(workspace, doc) });
      return;
    }
    if (agent && agentKey(agent) !== agentKey(ids.agent)) {
      report(doc, valueRange(doc, 'agent'), `\`agent: ${agent}\` disagrees with the folder handoffs/${ids.agent}/: the log belongs at ${want}`, { chain: chainPlace(workspace, doc) });
    }
  },
});
