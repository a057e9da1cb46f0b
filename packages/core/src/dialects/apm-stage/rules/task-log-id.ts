import { frontmatterData } from '../../../document.ts';
import { valueRange } from '../../../rules/locate.ts';
import { defineRule } from '../../../rules/rule.ts';

const pad = (n: number) => String(n).padStart(2, '0');

export const taskLogId = defineRule({
  meta: {
    id: 'task-log-id',
    description: 'A task log\'s `task_id` (Task N.M) agrees with its `Stage_<N>` folder and `Task_Log_<N>_<M>` file name.',
    severity: 'error',
    family: 'apm',
    dialects: ['apm-stage'],
    kinds: ['task-log'],
  },
  checkDocument(doc, { report }) {
    if (doc.kind !== 'task-log') return;
    const id = frontmatterData(doc).task_id;
    const m = typeof id === 'string' ? /^Task (\d+)\.(\d+)$/.exec(id) : null;
    if (!m) return; // frontmatter-schema reports a malformed id
    const [stage, task] = [Number(m[1]), Number(m[2])];
    const { ids } = doc;
    const want = `Memory/Stage_${pad(stage)}_<Slug>/Task_Log_${pad(stage)}_${pad(task)}_<Slug>.md`;
    const at = () => valueRange(doc, 'task_id');
    if (ids.stage === undefined || ids.task === undefined) {
      report(doc, at(), `a task log for ${id as string} belongs at ${want}, not ${doc.relPath}`);
      return;
    }
    const name = doc.relPath.split('/').pop()!;
    if (ids.stage !== stage || ids.task !== task) {
      report(doc, at(), `task_id ${id as string} disagrees with the file name ${name} (Task ${ids.stage}.${ids.task})`, {
        expected: [`Task ${ids.stage}.${ids.task}`],
      });
    }
    if (ids.folderStage === undefined) {
      report(doc, at(), `task logs live in a Stage_<NN>_<Slug> folder; ${ids.folder} is not one (expected ${want})`);
    } else if (ids.folderStage !== stage) {
      report(doc, at(), `task_id ${id as string} is a Stage ${stage} task but the log sits in ${ids.folder} (Stage ${ids.folderStage})`);
    }
  },
});
