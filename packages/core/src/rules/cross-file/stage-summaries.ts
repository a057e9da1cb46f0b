import { defineRule } from '../rule.ts';
import { dialectsWhere } from '../../dialects/registry.ts';

export const memoryRootStageLogs = defineRule({
  meta: {
    id: 'memory-root-stage-logs',
    description: 'Every task log a stage summary lists (in the Memory Root, or a v1.0 memory index) exists.',
    severity: 'error',
    family: 'apm',
    dialects: dialectsWhere((d) => d.indexes?.includes('stage-summaries') ?? false),
    // Where the summaries are: the Stage era's Memory Root, v1.0's memory index.
    kinds: ['memory-root', 'memory-index'],
    crossFile: true,
  },
  checkWorkspace({ workspace, report }) {
    const names = new Set(workspace.documents.filter((d) => d.kind === 'task-log' || d.kind === 'delegation-log').map((d) => d.relPath.split('/').pop()!));
    for (const summary of workspace.summaries) {
      for (const log of summary.logs) {
        if (log.path !== undefined) {
          // A link: its target, read from the summary's own folder, is a file of the tree.
          if (log.path !== null && workspace.paths.has(log.path)) continue;
          const from = summary.document.relPath.includes('/') ? `${summary.document.relPath.slice(0, summary.document.relPath.lastIndexOf('/'))}/` : 'the memory root';
          const where = log.path === null ? 'it leads out of the memory tree' : `there is no ${log.path}`;
          report(summary.document, log.range, `${summary.title} links ${log.value}, which does not resolve from ${from}: ${where}`);
          continue;
        }
        if (names.has(log.value)) continue;
        // A format with delegation logs lets summaries list those too.
        const what = `no task ${'delegation-log' in workspace.root.dialect.schemas ? 'or delegation ' : ''}log of that name exists in the memory tree`;
        report(summary.document, log.range, `${summary.title} lists ${log.value}, but ${what}`);
      }
    }
  },
});
