import type { MemoryDocument } from '../../document.ts';
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
    // Links written from the repository root that lead to a log: one warning per file, the rest counted.
    const fromRepository = new Map<MemoryDocument, { first: (typeof workspace.summaries)[number]['logs'][number]; title: string; count: number }>();
    for (const summary of workspace.summaries) {
      for (const log of summary.logs) {
        if (log.path !== undefined) {
          // A link: its target, read from the summary's own folder, is a file of the tree.
          if (log.path !== null && workspace.paths.has(log.path)) continue;
          if (log.fromRepository && workspace.paths.has(log.fromRepository)) {
            const seen = fromRepository.get(summary.document);
            if (seen) seen.count++;
            else fromRepository.set(summary.document, { first: log, title: summary.title, count: 1 });
            continue;
          }
          const from = folderOf(summary.document);
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
    for (const [doc, { first, title, count }] of fromRepository) {
      const more = count - 1;
      report(
        doc,
        first.range,
        `${title} links ${first.value} from the repository root: an agent there finds the log, but the link is read from ${folderOf(doc)} and leads nowhere in a viewer (write ${first.fromRepository!.slice(folderOf(doc).length)})`,
        { severity: 'warning', ...(more > 0 ? { note: `${more} more link${more === 1 ? '' : 's'} in this file ${more === 1 ? 'is' : 'are'} written the same way` } : {}) },
      );
    }
  },
});

/** The folder a summary's links are read from, as written in messages (`Memory/`). */
function folderOf(doc: MemoryDocument): string {
  return doc.relPath.includes('/') ? `${doc.relPath.slice(0, doc.relPath.lastIndexOf('/'))}/` : 'the memory root';
}
